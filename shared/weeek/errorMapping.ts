/**
 * Turns a WEEEK answer that is not a success into a `WeeekError` a user can act on.
 *
 * Quirk: WEEEK error bodies differ by status and some 404s come back as HTML, so the HTTP status
 * decides the error kind and the body only adds detail.
 */
import { WeeekError } from '../errors';
import type { HttpResponse } from '../ports';

/** What the failed request was about, so a 404 can name the missing record. */
export interface RequestSubject {
	/** Human word for the record in the path: 'funnel', 'status', 'deal', 'contact', ... */
	kind?: string;
	id?: string;
	/** Short description of the operation, e.g. 'create a deal'. */
	action: string;
	/** Whether the request only reads (GET), so a failure cannot have written anything. */
	readOnly?: boolean;
}

interface ErrorBody {
	message?: string;
	code?: number;
	errors?: Record<string, string[]>;
}

function readErrorBody(body: unknown): ErrorBody {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
	const record = body as Record<string, unknown>;
	const result: ErrorBody = {};
	if (typeof record.message === 'string') result.message = record.message;
	if (typeof record.code === 'number') result.code = record.code;
	if (record.errors !== null && typeof record.errors === 'object' && !Array.isArray(record.errors)) {
		const fields: Record<string, string[]> = {};
		for (const [field, messages] of Object.entries(record.errors as Record<string, unknown>)) {
			fields[field] = Array.isArray(messages) ? messages.map(String) : [String(messages)];
		}
		result.errors = fields;
	}
	return result;
}

function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Reads `Retry-After` (seconds or an HTTP date) as milliseconds from `now`. */
export function parseRetryAfter(headers: HttpResponse['headers'], now: number): number | undefined {
	const value = headerValue(headers, 'retry-after');
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeFields(fields: Record<string, string[]>): string {
	return Object.entries(fields)
		.map(([field, messages]) => `${field}: ${messages.join(' ')}`)
		.join('; ');
}

export function mapErrorResponse(response: HttpResponse, subject: RequestSubject, now: number): WeeekError {
	const status = response.statusCode;
	const body = readErrorBody(response.body);
	const params = { action: subject.action, status, kind: subject.kind ?? 'record', id: subject.id ?? '' };

	if (status === 401) {
		return new WeeekError(
			'unauthorized',
			`WEEEK rejected the API token while trying to ${subject.action} (401 Unauthenticated): create a token in WEEEK under Workspace settings → API and put it into the WEEEK credential`,
			{ params, httpStatus: status },
		);
	}

	if (status === 403) {
		return new WeeekError(
			'forbidden',
			`WEEEK refused to ${subject.action} (403): the token's user lacks the rights or the workspace plan does not include this feature`,
			{ params, httpStatus: status },
		);
	}

	// Quirk: an unknown route answers 404 with "The route … could not be found", which means a wrong base URL.
	if (status === 404 && body.message !== undefined && /route .* could not be found/i.test(body.message)) {
		return new WeeekError(
			'notFound',
			`WEEEK has no such API route while trying to ${subject.action}: check the base URL in the WEEEK credential (it ends with /public/v1)`,
			{ params: { ...params, kind: 'route' }, httpStatus: status },
		);
	}

	// Quirk: some WEEEK versions answer "not found" as 400 with body code 1000001.
	if (status === 404 || (status === 400 && body.code === 1000001)) {
		const what = subject.id ? `${params.kind} '${subject.id}'` : `such ${params.kind}`;
		return new WeeekError(
			'notFound',
			`WEEEK has no ${what} in this workspace (while trying to ${subject.action}): pick the ${params.kind} again from the list or check the ID`,
			{ params, httpStatus: status },
		);
	}

	if (status === 422 || status === 400) {
		const fields = body.errors ?? {};
		const detail = Object.keys(fields).length > 0 ? describeFields(fields) : (body.message ?? 'no details given');
		return new WeeekError(
			'validation',
			`WEEEK rejected the request to ${subject.action} (${status}): ${detail}. Correct the named fields and try again`,
			{ params: { ...params, fields: Object.keys(fields).join(', '), detail }, httpStatus: status, fields },
		);
	}

	if (status === 429) {
		const retryAfterMs = parseRetryAfter(response.headers, now);
		const wait = retryAfterMs === undefined ? '' : ` (WEEEK asks to wait ${Math.ceil(retryAfterMs / 1000)} s)`;
		return new WeeekError(
			'rateLimited',
			`WEEEK rate limit reached while trying to ${subject.action}${wait}: lower the requests per second in the credential or spread the items over time`,
			{ params, httpStatus: status, retryAfterMs },
		);
	}

	if (status >= 500) {
		// A 5xx can arrive after WEEEK has written the record, so a write is not blindly repeated.
		const mayHaveApplied = subject.readOnly !== true;
		const advice = mayHaveApplied
			? 'this is usually temporary, but WEEEK may have applied the request: check WEEEK before trying again'
			: 'this is usually temporary, try again later';
		return new WeeekError('server', `WEEEK failed with HTTP ${status} while trying to ${subject.action}: ${advice}`, {
			params,
			httpStatus: status,
			mayHaveApplied,
		});
	}

	return new WeeekError(
		'unexpectedStatus',
		`WEEEK answered HTTP ${status} while trying to ${subject.action}${body.message ? `: ${body.message}` : ''}`,
		{ params, httpStatus: status },
	);
}

/** Maps a rejection of the HTTP port (no response at all) to a `WeeekError`. */
export function mapTransportError(error: unknown, subject: RequestSubject, timeoutMs: number): WeeekError {
	const code = readErrorCode(error);
	const params = { action: subject.action, kind: subject.kind ?? 'record', id: subject.id ?? '', timeoutMs };

	const mayHaveApplied = subject.readOnly !== true;
	if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'TimeoutError' || code === 'AbortError') {
		const advice = mayHaveApplied ? ': WEEEK may still have applied the request, so check WEEEK before trying again' : ': try again later';
		return new WeeekError('timeout', `WEEEK did not answer within ${timeoutMs} ms while trying to ${subject.action}${advice}`, { params, mayHaveApplied });
	}

	// A refused connection never reached WEEEK, so nothing can have been written.
	const reason = code ?? 'network error';
	if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return new WeeekError(
			'network',
			`Could not reach WEEEK while trying to ${subject.action} (${reason}): check the network and the base URL in the credential`,
			{ params: { ...params, reason, connection: 'refused' }, mayHaveApplied: false },
		);
	}

	// The connection broke after the request left, so a write may have been applied.
	const advice = mayHaveApplied ? 'WEEEK may have applied the request, so check WEEEK before trying again' : 'try again';
	return new WeeekError('network', `The connection to WEEEK broke while trying to ${subject.action} (${reason}): ${advice}`, {
		params: { ...params, reason, connection: 'lost' },
		mayHaveApplied,
	});
}

function readErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
		const record = current as { code?: unknown; name?: unknown; cause?: unknown };
		if (typeof record.code === 'string' && record.code !== '') return record.code;
		if (record.name === 'TimeoutError' || record.name === 'AbortError') return record.name;
		current = record.cause;
	}
	return undefined;
}
