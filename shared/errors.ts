/**
 * Typed errors shared by both hosts.
 *
 * Every error carries a stable `code` and the `params` its message was built from, so the Node-RED
 * wrapper can translate it through its message catalogues (`errors.<code>` with `__param__`
 * placeholders) while n8n shows the English `message`. Messages never contain a token or secret:
 * the core never receives the WEEEK token, and callers must not put secrets into `params`.
 */

export type WeeekErrorCode =
	| 'unauthorized'
	| 'forbidden'
	| 'notFound'
	| 'validation'
	| 'rateLimited'
	| 'server'
	| 'network'
	| 'timeout'
	| 'invalidResponse'
	| 'unexpectedStatus';

export type ErrorParams = Record<string, string | number>;

export class WeeekError extends Error {
	readonly code: WeeekErrorCode;
	readonly params: ErrorParams;
	/** HTTP status of the WEEEK response; absent when no response arrived. */
	readonly httpStatus?: number;
	/** Field name → messages, from a 422 response. */
	readonly fields?: Record<string, string[]>;
	/** How long WEEEK asked us to wait (429 `Retry-After`), in milliseconds. */
	readonly retryAfterMs?: number;
	/** Whether the request may have been applied by WEEEK even though it failed (timeouts, resets, 5xx). */
	readonly mayHaveApplied: boolean;

	constructor(
		code: WeeekErrorCode,
		message: string,
		details: {
			params?: ErrorParams;
			httpStatus?: number;
			fields?: Record<string, string[]>;
			retryAfterMs?: number;
			mayHaveApplied?: boolean;
		} = {},
	) {
		super(message);
		this.name = 'WeeekError';
		this.code = code;
		this.params = details.params ?? {};
		this.httpStatus = details.httpStatus;
		this.fields = details.fields;
		this.retryAfterMs = details.retryAfterMs;
		this.mayHaveApplied = details.mayHaveApplied ?? false;
	}

	/** Whether sending the same request again can succeed (429, 5xx, network trouble). */
	get isTransient(): boolean {
		return ['rateLimited', 'server', 'network', 'timeout'].includes(this.code);
	}
}

export type LeadInputErrorCode =
	| 'emptyBody'
	| 'invalidJson'
	| 'notAnObject'
	| 'missingField'
	| 'noContactData'
	| 'invalidField'
	| 'unsupportedContentType'
	| 'badSecret'
	| 'badSignature'
	| 'tooLarge'
	| 'unknownSource';

/** A lead payload that cannot be normalized. `field` names the offending input field. */
export class LeadInputError extends Error {
	readonly code: LeadInputErrorCode;
	readonly params: ErrorParams;
	readonly field?: string;

	constructor(code: LeadInputErrorCode, message: string, details: { field?: string; params?: ErrorParams } = {}) {
		super(message);
		this.name = 'LeadInputError';
		this.code = code;
		this.field = details.field;
		this.params = { ...(details.field === undefined ? {} : { field: details.field }), ...(details.params ?? {}) };
	}
}

/** A node setting that is missing or invalid, found before anything is sent to WEEEK. */
export class ConfigurationError extends Error {
	readonly code: string;
	readonly params: ErrorParams;

	constructor(code: string, message: string, params: ErrorParams = {}) {
		super(message);
		this.name = 'ConfigurationError';
		this.code = code;
		this.params = params;
	}
}
