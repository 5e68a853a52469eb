/**
 * The WEEEK public API client used by both hosts.
 *
 * It speaks through the injected ports only, validates every answer with zod, maps failures to
 * `WeeekError`, spaces requests with a rate limiter and retries what is safe to retry:
 * reads and idempotent writes on 429, 5xx, timeouts and network errors; creates only when WEEEK
 * cannot have applied them (429, refused connection). Creates whose outcome is unknown fail with
 * `mayHaveApplied: true`, and the caller reconciles (see `leadToDeal`).
 */
import type { ZodType, ZodTypeDef } from 'zod';

import { WeeekError } from '../errors';
import type { ClockPort, HttpMethod, HttpPort, LoggerPort, SleepPort } from '../ports';
import { silentLogger } from '../ports';
import { mapErrorResponse, mapTransportError, type RequestSubject } from './errorMapping';
import { RateLimiter } from './rateLimiter';
import * as schemas from './schemas';

export const DEFAULT_BASE_URL = 'https://api.weeek.net/public/v1';
export const DEFAULT_TIMEOUT_MS = 15_000;

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Total time the retries of one call may wait, in milliseconds. */
	budgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8_000, budgetMs: 30_000 };
export const NO_RETRY: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, budgetMs: 0 };

export interface WeeekClientOptions {
	baseUrl?: string;
	http: HttpPort;
	sleep: SleepPort;
	clock: ClockPort;
	logger?: LoggerPort;
	timeoutMs?: number;
	retry?: RetryPolicy;
	/** Shared limiter; without one, requests are not spaced. */
	limiter?: RateLimiter;
	/** Source of jitter in [0, 1); tests pass a fixed one. */
	random?: () => number;
}

export interface ContactInput {
	firstName: string;
	lastName?: string;
	middleName?: string;
	emails?: string[];
	phones?: string[];
	tags?: number[];
	organizations?: string[];
}

export interface DealInput {
	title: string;
	amount?: number | null;
	description?: string;
	contacts?: string[];
	organizations?: string[];
	assignees?: string[];
	tags?: number[];
	/** Field id → value, the write shape WEEEK requires. */
	customFields?: Record<string, unknown>;
}

export interface ListPage {
	limit?: number;
	offset?: number;
	search?: string;
	/** Sort key such as `-createdAt` (newest first); WEEEK's deal list accepts it, contacts take `-updatedAt`. */
	sort?: string;
}

interface CallOptions {
	query?: Record<string, string | number | undefined>;
	body?: unknown;
	/** Whether sending the request twice has the same effect as once. */
	idempotent: boolean;
}

export class WeeekClient {
	readonly baseUrl: string;
	private readonly http: HttpPort;
	private readonly sleep: SleepPort;
	private readonly clock: ClockPort;
	private readonly logger: LoggerPort;
	private readonly timeoutMs: number;
	private readonly retry: RetryPolicy;
	private readonly limiter?: RateLimiter;
	private readonly random: () => number;

	constructor(options: WeeekClientOptions) {
		this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
		this.http = options.http;
		this.sleep = options.sleep;
		this.clock = options.clock;
		this.logger = options.logger ?? silentLogger;
		this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
		this.limiter = options.limiter;
		this.random = options.random ?? Math.random;
	}

	async getCurrentUser(): Promise<schemas.WeeekUser> {
		const body = await this.call('GET', '/user/me', { action: 'read the current user' }, schemas.userEnvelope, { idempotent: true });
		return body.user;
	}

	async listFunnels(): Promise<schemas.WeeekFunnel[]> {
		const body = await this.call('GET', '/crm/funnels', { action: 'list funnels' }, schemas.funnelsEnvelope, { idempotent: true });
		return body.funnels;
	}

	async getFunnel(funnelId: string): Promise<schemas.WeeekFunnel> {
		const body = await this.call(
			'GET',
			`/crm/funnels/${encodeId(funnelId)}`,
			{ action: 'read a funnel', kind: 'funnel', id: funnelId },
			schemas.funnelEnvelope,
			{ idempotent: true },
		);
		return body.funnel;
	}

	async listStatuses(funnelId: string): Promise<schemas.WeeekStatus[]> {
		const body = await this.call(
			'GET',
			`/crm/funnels/${encodeId(funnelId)}/statuses`,
			{ action: 'list the statuses of a funnel', kind: 'funnel', id: funnelId },
			schemas.statusesEnvelope,
			{ idempotent: true },
		);
		return body.statuses;
	}

	async createContact(input: ContactInput): Promise<schemas.WeeekContact> {
		const body = await this.call('POST', '/crm/contacts', { action: 'create a contact' }, schemas.contactEnvelope, {
			body: compact({ ...input }),
			idempotent: false,
		});
		return body.contact;
	}

	async getContact(contactId: string): Promise<schemas.WeeekContact> {
		const body = await this.call(
			'GET',
			`/crm/contacts/${encodeId(contactId)}`,
			{ action: 'read a contact', kind: 'contact', id: contactId },
			schemas.contactEnvelope,
			{ idempotent: true },
		);
		return body.contact;
	}

	/** Replaces a contact's fields; WEEEK requires `firstName` on every update. */
	async updateContact(contactId: string, input: ContactInput): Promise<schemas.WeeekContact> {
		const body = await this.call(
			'PUT',
			`/crm/contacts/${encodeId(contactId)}`,
			{ action: 'update a contact', kind: 'contact', id: contactId },
			schemas.contactEnvelope,
			{ body: compact({ ...input }), idempotent: true },
		);
		return body.contact;
	}

	/** One page of contacts. Quirk: the contact list has no "more" flag; a short page is the last. */
	async listContacts(page: ListPage = {}): Promise<schemas.WeeekContact[]> {
		const body = await this.call('GET', '/crm/contacts', { action: 'list contacts' }, schemas.contactsEnvelope, {
			query: { limit: page.limit ?? 50, offset: page.offset ?? 0, search: page.search },
			idempotent: true,
		});
		return body.contacts;
	}

	/** Creates a deal in a funnel status. Quirk: deals take `title`, not `name`, and the status comes from the path. */
	async createDeal(statusId: string, input: DealInput): Promise<schemas.WeeekDeal> {
		const body = await this.call(
			'POST',
			`/crm/statuses/${encodeId(statusId)}/deals`,
			{ action: 'create a deal', kind: 'status', id: statusId },
			schemas.dealEnvelope,
			{ body: compact({ ...input }), idempotent: false },
		);
		return body.deal;
	}

	async getDeal(dealId: string): Promise<schemas.WeeekDeal> {
		const body = await this.call(
			'GET',
			`/crm/deals/${encodeId(dealId)}`,
			{ action: 'read a deal', kind: 'deal', id: dealId },
			schemas.dealEnvelope,
			{ idempotent: true },
		);
		return body.deal;
	}

	/** One page of the deals in a status; `hasMore` mirrors WEEEK's `hasMoreDeals`. */
	async listDeals(statusId: string, page: ListPage = {}): Promise<{ deals: schemas.WeeekDeal[]; hasMore: boolean }> {
		const body = await this.call(
			'GET',
			`/crm/statuses/${encodeId(statusId)}/deals`,
			{ action: 'list the deals of a status', kind: 'status', id: statusId },
			schemas.dealsEnvelope,
			{ query: { limit: page.limit ?? 50, offset: page.offset ?? 0, search: page.search, sort: page.sort }, idempotent: true },
		);
		return { deals: body.deals, hasMore: body.hasMoreDeals === true };
	}

	/** Links a contact to a deal. Linking twice leaves one link, so the call is retried like a read. */
	async addContactToDeal(dealId: string, contactId: string): Promise<void> {
		await this.call(
			'POST',
			`/crm/deals/${encodeId(dealId)}/contacts`,
			{ action: 'link a contact to a deal', kind: 'deal', id: dealId },
			schemas.emptyEnvelope,
			{ body: { contactId }, idempotent: true },
		);
	}

	/** Sends one API call with rate limiting and retries, and returns the validated body. */
	private async call<T>(
		method: HttpMethod,
		path: string,
		subject: RequestSubject,
		schema: ZodType<T, ZodTypeDef, unknown>,
		options: CallOptions,
	): Promise<T> {
		const url = this.baseUrl + path + buildQuery(options.query);
		const started = this.clock();

		for (let attempt = 1; ; attempt++) {
			const error = await this.attempt(method, url, subject, options.body).then(
				(response) => {
					if (response instanceof WeeekError) return response;
					return { value: this.validate(response, schema, method, path) };
				},
				(transportError: unknown) => mapTransportError(transportError, subject, this.timeoutMs),
			);
			if (!(error instanceof WeeekError)) return error.value;

			const delay = this.retryDelay(error, attempt, started, options.idempotent);
			if (delay === undefined) throw error;

			this.logger.warn(`WEEEK request failed, retrying in ${delay} ms`, {
				method,
				path,
				attempt,
				code: error.code,
				httpStatus: error.httpStatus,
			});
			await this.sleep(delay);
		}
	}

	private async attempt(method: HttpMethod, url: string, subject: RequestSubject, body: unknown) {
		if (this.limiter) await this.limiter.acquire();

		const response = await this.http({ method, url, body, timeoutMs: this.timeoutMs });
		if (response.statusCode >= 200 && response.statusCode < 300) return response;
		return mapErrorResponse(response, subject, this.clock());
	}

	private validate<T>(
		response: { statusCode: number; body: unknown },
		schema: ZodType<T, ZodTypeDef, unknown>,
		method: HttpMethod,
		path: string,
	): T {
		const parsed = schema.safeParse(response.body);
		if (parsed.success) return parsed.data;

		const problems = parsed.error.issues
			.slice(0, 3)
			.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
			.join('; ');
		throw new WeeekError('invalidResponse', `WEEEK answered ${method} ${path} with an unexpected body (${problems})`, {
			params: { method, path, problems },
			httpStatus: response.statusCode,
		});
	}

	/** Milliseconds to wait before the next attempt, or `undefined` when the error is final. */
	private retryDelay(error: WeeekError, attempt: number, started: number, idempotent: boolean): number | undefined {
		if (attempt >= this.retry.maxAttempts) return undefined;

		// A write whose outcome is unknown must not be sent again blindly: the caller reconciles.
		const safeToRepeat = idempotent || (error.isTransient && !error.mayHaveApplied);
		if (!error.isTransient || !safeToRepeat) return undefined;

		const exponential = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
		const jittered = Math.round(exponential / 2 + this.random() * (exponential / 2));
		const delay = Math.max(jittered, error.retryAfterMs ?? 0);

		if (this.clock() - started + delay > this.retry.budgetMs) return undefined;
		return delay;
	}
}

function encodeId(id: string): string {
	return encodeURIComponent(id);
}

function buildQuery(query: CallOptions['query']): string {
	if (!query) return '';
	const parts: string[] = [];
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === '') continue;
		parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
	}
	return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Drops `undefined` values so WEEEK never receives explicit nulls the user did not set. */
function compact<T extends object>(value: T): Partial<T> {
	const result: Partial<T> = {};
	for (const [key, item] of Object.entries(value) as Array<[keyof T, T[keyof T]]>) {
		if (item !== undefined) result[key] = item;
	}
	return result;
}
