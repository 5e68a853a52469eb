/**
 * How the WEEEK client sends one API call: rate limiting, timeouts, retries and response
 * validation. The endpoint methods live in `client.ts`.
 *
 * Reads and idempotent writes are retried on 429, 5xx, timeouts and network errors; creates only
 * when WEEEK cannot have applied them (429, refused connection). Creates whose outcome is unknown
 * fail with `mayHaveApplied: true`, and the caller reconciles (see `leadToDeal`).
 */
import type { ZodType, ZodTypeDef } from 'zod';

import { WeeekError } from '../errors';
import type { ClockPort, HttpMethod, HttpPort, LoggerPort, SleepPort } from '../ports';
import { silentLogger } from '../ports';
import { mapErrorResponse, mapTransportError, type RequestSubject } from './errorMapping';
import { RateLimiter } from './rateLimiter';

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

/** Query values; arrays are sent in WEEEK's bracket form (`tags[]=1&tags[]=2`), booleans as 1/0. */
export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

export interface CallOptions {
	query?: Record<string, QueryValue>;
	body?: unknown;
	/** Whether sending the request twice has the same effect as once. */
	idempotent: boolean;
	/**
	 * Treats 404 on a repeated attempt as success. Used by deletes: when the first attempt timed out
	 * after WEEEK deleted the record, the retry finds nothing, which is the result the caller wanted.
	 */
	notFoundOnRetryIsSuccess?: boolean;
}

export class WeeekTransport {
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

	/** Sends one API call with rate limiting and retries, and returns the validated body. */
	protected async call<T>(
		method: HttpMethod,
		path: string,
		subject: RequestSubject,
		schema: ZodType<T, ZodTypeDef, unknown>,
		options: CallOptions,
	): Promise<T> {
		const url = this.baseUrl + path + buildQuery(options.query);
		const started = this.clock();
		const about: RequestSubject = { ...subject, readOnly: method === 'GET' };

		for (let attempt = 1; ; attempt++) {
			const error = await this.attempt(method, url, about, options.body).then(
				(response) => {
					if (response instanceof WeeekError) return response;
					return { value: this.validate(response, schema, method, path) };
				},
				(transportError: unknown) => mapTransportError(transportError, about, this.timeoutMs),
			);
			if (!(error instanceof WeeekError)) return error.value;

			if (error.code === 'notFound' && attempt > 1 && options.notFoundOnRetryIsSuccess === true) {
				return schema.parse({ success: true });
			}

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

export function encodeId(id: string): string {
	return encodeURIComponent(id);
}

export function buildQuery(query: CallOptions['query']): string {
	if (!query) return '';
	const parts: string[] = [];
	const add = (key: string, value: string | number) => parts.push(`${key}=${encodeURIComponent(String(value))}`);

	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === '') continue;
		const name = encodeURIComponent(key);
		// Quirk: WEEEK returns 422 for `tags=1,2`, for repeated `tags=1&tags=2` and for true/false.
		if (Array.isArray(value)) {
			for (const item of value as readonly (string | number)[]) add(`${name}%5B%5D`, item);
		} else if (typeof value === 'boolean') {
			add(name, value ? 1 : 0);
		} else {
			add(name, value as string | number);
		}
	}
	return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Drops `undefined` values so WEEEK never receives explicit nulls the user did not set. */
export function compact<T extends object>(value: T): Partial<T> {
	const result: Partial<T> = {};
	for (const [key, item] of Object.entries(value) as Array<[keyof T, T[keyof T]]>) {
		if (item !== undefined) result[key] = item;
	}
	return result;
}
