/**
 * Small `fetch` wrapper for the sandbox contract tests.
 */

import type { Sandbox } from './server';

export interface TestResponse {
	status: number;
	headers: Headers;
	/** Parsed JSON body, or the raw text when the body is not JSON; `any` so tests can read any field. */
	body: any;
	text: string;
}

export interface CallOptions {
	/** Token to send; `null` sends no Authorization header. The sandbox's token by default. */
	token?: string | null;
	headers?: Record<string, string>;
	/** Raw body sent as is, instead of JSON-encoding `body`. */
	rawBody?: string;
	timeoutMs?: number;
}

/** Sends one request to `sandbox.baseUrl + path` with JSON headers and the sandbox token. */
export async function call(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
	options: CallOptions = {},
): Promise<TestResponse> {
	const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
	const token = options.token === undefined ? sandbox.token : options.token;
	if (token !== null) {
		headers.Authorization = `Bearer ${token}`;
	}
	let payload: string | undefined = options.rawBody;
	if (payload === undefined && body !== undefined) {
		payload = JSON.stringify(body);
	}
	if (payload !== undefined && headers['Content-Type'] === undefined) {
		headers['Content-Type'] = 'application/json';
	}

	const response = await fetch(`${sandbox.baseUrl}${path}`, {
		method,
		headers,
		body: payload,
		signal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// Not JSON (e.g. the HTML 502 page): keep the text.
	}
	return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Sends a request to a control route under `sandbox.controlUrl`. */
export async function control(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<TestResponse> {
	const response = await fetch(`${sandbox.controlUrl}${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}
