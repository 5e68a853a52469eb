/**
 * Error responses and Laravel-style input validation, as WEEEK's API (a Laravel application)
 * produces them.
 *
 * Messages follow Laravel 10's default English wording; WEEEK's exact CRM wording is not
 * published, only the shape `{success:false, message, errors:{field:[…]}}`.
 */

export type JsonObject = Record<string, unknown>;

/** A non-2xx response that a route handler ends with. */
export class ApiError extends Error {
	readonly status: number;
	readonly body: JsonObject;
	readonly headers: Record<string, string>;

	constructor(status: number, body: JsonObject, headers: Record<string, string> = {}) {
		super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
		this.name = 'ApiError';
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

export function recordNotFound(): ApiError {
	return new ApiError(404, { message: 'Record not found' });
}

/** Builds Laravel's 422 body: the first message, plus "(and N more errors)" when there are more. */
export function validationError(errors: Record<string, string[]>): ApiError {
	const messages = Object.values(errors).flat();
	const extra = messages.length - 1;
	let message = messages[0] ?? 'The given data was invalid.';
	if (extra > 0) {
		message += ` (and ${extra} more error${extra === 1 ? '' : 's'})`;
	}
	return new ApiError(422, { success: false, message, errors });
}

/** Turns a field key into Laravel's attribute name: `firstName` → `first name`, `emails.0` stays. */
export function attributeName(field: string): string {
	return field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks an e-mail address about as strictly as Laravel's default `email` rule (RFC syntax):
 * one `@`, no spaces or special characters, no empty or dotted-at-the-edge parts. A domain
 * without a dot passes, as it does in Laravel.
 */
export function isValidEmail(value: string): boolean {
	const match = /^([^\s@"(),:;<>[\\\]]+)@([^\s@"(),:;<>[\\\]]+)$/.exec(value);
	if (match === null) {
		return false;
	}
	return match.slice(1).every((part) => !part.startsWith('.') && !part.endsWith('.') && !part.includes('..'));
}

interface StringRule {
	required?: boolean;
	nullable?: boolean;
	max?: number;
}

/**
 * Collects Laravel-style errors for one request body. Each check reads one field, records
 * what is wrong with it under its key and returns the accepted value (or `undefined`).
 */
export class Validator {
	readonly errors: Record<string, string[]> = {};
	private readonly input: JsonObject;

	constructor(input: JsonObject) {
		this.input = input;
	}

	/** Tells whether the body contains the field at all, `null` included. */
	has(field: string): boolean {
		return Object.prototype.hasOwnProperty.call(this.input, field);
	}

	value(field: string): unknown {
		return this.input[field];
	}

	fail(field: string, message: string): void {
		(this.errors[field] ??= []).push(message);
	}

	get failed(): boolean {
		return Object.keys(this.errors).length > 0;
	}

	throwIfFailed(): void {
		if (this.failed) {
			throw validationError(this.errors);
		}
	}

	/** Validates a string field. Whitespace-only counts as missing for `required`, like Laravel's input trimming. */
	string(field: string, rule: StringRule = {}): string | null | undefined {
		const value = this.input[field];
		const missing = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
		if (rule.required && missing) {
			this.fail(field, `The ${attributeName(field)} field is required.`);
			return undefined;
		}
		if (value === undefined) {
			return undefined;
		}
		if (value === null) {
			if (rule.nullable) {
				return null;
			}
			this.fail(field, `The ${attributeName(field)} field must be a string.`);
			return undefined;
		}
		return this.checkString(field, value, rule.max ?? 255);
	}

	/** Validates a finite JSON number or null. Strings fail even when numeric, as WEEEK's deal `amount` does. */
	number(field: string): number | null | undefined {
		const value = this.input[field];
		if (value === undefined || value === null) {
			return value;
		}
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			this.fail(field, `The ${attributeName(field)} field must be a number.`);
			return undefined;
		}
		return value;
	}

	/** Validates an integer. Integer strings pass and are converted, as Laravel's `integer` rule allows. */
	integer(field: string, existing?: (id: number) => boolean): number | undefined {
		const value = this.input[field];
		if (value === undefined || value === null) {
			return undefined;
		}
		return this.checkInteger(field, value, existing);
	}

	boolean(field: string): boolean | undefined {
		const value = this.input[field];
		if (value === undefined || value === null) {
			return undefined;
		}
		if (value === true || value === 1 || value === '1') {
			return true;
		}
		if (value === false || value === 0 || value === '0') {
			return false;
		}
		this.fail(field, `The ${attributeName(field)} field must be true or false.`);
		return undefined;
	}

	/** Validates one of a fixed set of strings, or null when `nullable`. */
	oneOf<T extends string>(field: string, allowed: readonly T[], nullable: boolean): T | null | undefined {
		const value = this.input[field];
		if (value === undefined) {
			return undefined;
		}
		if (value === null && nullable) {
			return null;
		}
		if (typeof value !== 'string' || !allowed.includes(value as T)) {
			this.fail(field, `The selected ${attributeName(field)} is invalid.`);
			return undefined;
		}
		return value as T;
	}

	/** Validates the required id of an existing record, such as `contactId` in attach and detach bodies. */
	existingId(field: string, exists: (id: string) => boolean): string | undefined {
		const value = this.input[field];
		if (value === undefined || value === null || value === '') {
			this.fail(field, `The ${attributeName(field)} field is required.`);
			return undefined;
		}
		if (typeof value !== 'string' || !exists(value)) {
			this.fail(field, `The selected ${attributeName(field)} is invalid.`);
			return undefined;
		}
		return value;
	}

	/** Validates the required integer id of an existing record, such as `tag` or `tagId`. */
	existingInteger(field: string, exists: (id: number) => boolean): number | undefined {
		const value = this.input[field];
		if (value === undefined || value === null || value === '') {
			this.fail(field, `The ${attributeName(field)} field is required.`);
			return undefined;
		}
		return this.checkInteger(field, value, exists);
	}

	/** Validates an array of ids of existing records, where `null` counts as an empty list. */
	idArray(field: string, exists: (id: string) => boolean): string[] | undefined {
		const items = this.array(field);
		if (items === undefined) {
			return undefined;
		}
		const accepted: string[] = [];
		items.forEach((item, index) => {
			if (typeof item !== 'string' || !exists(item)) {
				this.fail(`${field}.${index}`, `The selected ${field}.${index} is invalid.`);
				return;
			}
			if (!accepted.includes(item)) {
				accepted.push(item);
			}
		});
		return accepted;
	}

	/** Validates an array of integer ids of existing records, where `null` counts as an empty list. */
	integerArray(field: string, exists: (id: number) => boolean): number[] | undefined {
		const items = this.array(field);
		if (items === undefined) {
			return undefined;
		}
		const accepted: number[] = [];
		items.forEach((item, index) => {
			const id = this.checkInteger(`${field}.${index}`, item, exists);
			if (id !== undefined && !accepted.includes(id)) {
				accepted.push(id);
			}
		});
		return accepted;
	}

	/** Validates an array of strings of at most 255 characters each, optionally valid e-mail addresses. */
	stringArray(field: string, kind: 'text' | 'email'): string[] | undefined {
		const items = this.array(field);
		if (items === undefined) {
			return undefined;
		}
		const accepted: string[] = [];
		items.forEach((item, index) => {
			const key = `${field}.${index}`;
			const text = this.checkString(key, item, 255);
			if (text === undefined) {
				return;
			}
			if (kind === 'email' && !isValidEmail(text)) {
				this.fail(key, `The ${key} field must be a valid email address.`);
				return;
			}
			accepted.push(text);
		});
		return accepted;
	}

	private array(field: string): unknown[] | undefined {
		const value = this.input[field];
		if (value === undefined) {
			return undefined;
		}
		if (value === null) {
			return [];
		}
		if (!Array.isArray(value)) {
			this.fail(field, `The ${attributeName(field)} field must be an array.`);
			return undefined;
		}
		return value;
	}

	private checkString(field: string, value: unknown, max: number): string | undefined {
		if (typeof value !== 'string') {
			this.fail(field, `The ${attributeName(field)} field must be a string.`);
			return undefined;
		}
		if (value.length > max) {
			this.fail(field, `The ${attributeName(field)} field must not be greater than ${max} characters.`);
			return undefined;
		}
		return value;
	}

	private checkInteger(field: string, value: unknown, exists?: (id: number) => boolean): number | undefined {
		let id: number | undefined;
		if (typeof value === 'number' && Number.isInteger(value)) {
			id = value;
		} else if (typeof value === 'string' && /^-?\d+$/.test(value)) {
			id = Number(value);
		}
		if (id === undefined) {
			this.fail(field, `The ${attributeName(field)} field must be an integer.`);
			return undefined;
		}
		if (exists !== undefined && !exists(id)) {
			this.fail(field, `The selected ${attributeName(field)} is invalid.`);
			return undefined;
		}
		return id;
	}
}

/**
 * Query parameters read the way PHP reads them: `key[]=a&key[]=b` and `key[0]=a` give arrays,
 * a plain repeated `key=a&key=b` keeps only the last value (so WEEEK rejects it where an array
 * is expected).
 */
export type PhpQuery = Record<string, string | string[]>;

export function parsePhpQuery(params: URLSearchParams): PhpQuery {
	const query: PhpQuery = {};
	for (const [key, value] of params) {
		const arrayKey = /^([^[\]]+)\[(\d*)\]$/.exec(key);
		if (arrayKey === null) {
			query[key] = value;
			continue;
		}
		const name = arrayKey[1];
		const existing = query[name];
		query[name] = Array.isArray(existing) ? [...existing, value] : [value];
	}
	return query;
}

/** Validates list parameters of a query string, with the same error shape as body fields. */
export class QueryValidator extends Validator {
	/** Validates an integer in `min..max`; returns `fallback` when the parameter is absent or invalid. */
	boundedInteger(field: string, min: number, max: number | undefined, fallback: number): number {
		const value = this.value(field);
		if (value === undefined || value === '') {
			return fallback;
		}
		if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
			this.fail(field, `The ${attributeName(field)} field must be an integer.`);
			return fallback;
		}
		const number = Number(value);
		if (number < min) {
			this.fail(field, `The ${attributeName(field)} field must be at least ${min}.`);
			return fallback;
		}
		if (max !== undefined && number > max) {
			this.fail(field, `The ${attributeName(field)} field must not be greater than ${max}.`);
			return fallback;
		}
		return number;
	}

	/** Validates an array filter, which must use bracket form (`name[]=…`). A plain `name=…` fails as not an array. */
	filterArray(field: string): string[] | undefined {
		const value = this.value(field);
		if (value === undefined) {
			return undefined;
		}
		if (!Array.isArray(value)) {
			this.fail(field, `The ${attributeName(field)} field must be an array.`);
			return undefined;
		}
		return value.map(String);
	}
}
