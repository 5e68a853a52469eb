/**
 * HTTP ports of the lead sources' APIs over undici: the Facebook Graph API (`graphGet` of
 * `fetchFacebookLeads`) and the myTarget API (`get` of `pollMyTargetLeads`). Tokens are added here
 * and never copied into an error message.
 */
import { request, type Dispatcher } from 'undici';

import type { FacebookGraphGet } from '../../../shared/leads/facebook';
import type { MyTargetGet } from '../../../shared/leads/mytargetPoll';
import { LeadSourceError } from './sourceErrors';

const GRAPH_TIMEOUT_MS = 15_000;
const MYTARGET_TIMEOUT_MS = 30_000;

/**
 * Sends Graph API GETs to `baseUrl` (which includes the version, e.g. `https://graph.facebook.com/v21.0`).
 * Graph returns permanent problems (an expired token, a missing permission) as 4xx with an error body
 * that the core explains, so those resolve. 429 and 5xx reject, so the core retries them.
 */
export function createGraphGet(baseUrl: string, options: { dispatcher?: Dispatcher; signal?: AbortSignal } = {}): FacebookGraphGet {
	return async (path, query) => {
		const url = `${baseUrl}${path}?${new URLSearchParams(query).toString()}`;
		const response = await request(url, {
			method: 'GET',
			headers: { accept: 'application/json' },
			dispatcher: options.dispatcher,
			headersTimeout: GRAPH_TIMEOUT_MS,
			bodyTimeout: GRAPH_TIMEOUT_MS,
			signal: combinedSignal(options.signal, GRAPH_TIMEOUT_MS),
		});
		const text = await response.body.text();

		if (response.statusCode === 429 || response.statusCode >= 500) {
			throw new Error(`The Graph API returned HTTP ${response.statusCode}`);
		}
		return parseJson(text);
	};
}

/** Sends myTarget API GETs with the access token as a Bearer header. Any status but 2xx rejects with a `LeadSourceError`. */
export function createMyTargetGet(baseUrl: string, accessToken: string, options: { dispatcher?: Dispatcher; signal?: AbortSignal } = {}): MyTargetGet {
	return async (path, query) => {
		const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]));
		let response: Dispatcher.ResponseData;
		try {
			response = await request(`${baseUrl}${path}?${search.toString()}`, {
				method: 'GET',
				headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` },
				dispatcher: options.dispatcher,
				headersTimeout: MYTARGET_TIMEOUT_MS,
				bodyTimeout: MYTARGET_TIMEOUT_MS,
				signal: combinedSignal(options.signal, MYTARGET_TIMEOUT_MS),
			});
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			throw new LeadSourceError('myTargetUnreachable', `Could not reach the myTarget API at ${baseUrl} (${reason}): check the network and the base URL in the lead source`, {
				baseUrl,
				reason,
			});
		}

		const text = await response.body.text();
		const body = parseJson(text);
		if (response.statusCode === 401 || response.statusCode === 403) {
			throw new LeadSourceError(
				'myTargetUnauthorized',
				`myTarget rejected the access token (HTTP ${response.statusCode}): get a new token with the lead forms permission and enter it in the lead source`,
				{ status: response.statusCode },
			);
		}
		if (response.statusCode < 200 || response.statusCode >= 300) {
			const reason = apiMessage(body) ?? `HTTP ${response.statusCode}`;
			throw new LeadSourceError('myTargetRequestFailed', `myTarget returned HTTP ${response.statusCode} for ${path} (${reason}), so the next poll reads the same period again`, {
				status: response.statusCode,
				path,
				reason,
			});
		}
		return body;
	};
}

function combinedSignal(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
	const timeout = AbortSignal.timeout(timeoutMs);
	return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
}

function parseJson(text: string): unknown {
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** Returns the error text of a myTarget error body such as `{"error": {"code": "…", "message": "…"}}`. */
function apiMessage(body: unknown): string | undefined {
	if (body === null || typeof body !== 'object') return typeof body === 'string' && body.trim() !== '' ? body.trim().slice(0, 200) : undefined;
	const error = (body as { error?: unknown }).error;
	if (error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
	return undefined;
}
