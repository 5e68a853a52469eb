/**
 * The core's HTTP port over undici. It adds the WEEEK token, so the token stays in this closure and
 * never reaches the core, a log or an error message.
 */
import { request, type Dispatcher } from 'undici';

import type { HttpPort, HttpResponse } from '../../../shared/ports';

export interface HttpPortOptions {
	token: string;
	/** Connection pool to use; undici's global one when absent. */
	dispatcher?: Dispatcher;
}

/** Resolves with any HTTP status; rejects only when no response arrived (refused, reset, timed out). */
export function createUndiciHttpPort(options: HttpPortOptions): HttpPort {
	return async (outgoing) => {
		const headers: Record<string, string> = {
			authorization: `Bearer ${options.token}`,
			accept: 'application/json',
		};

		// WEEEK reads a JSON body on DELETE too (unlinking a contact sends `{contactId}`).
		let body: string | undefined;
		if (outgoing.body !== undefined) {
			body = JSON.stringify(outgoing.body);
			headers['content-type'] = 'application/json';
		}

		const response = await request(outgoing.url, {
			method: outgoing.method,
			headers,
			body,
			dispatcher: options.dispatcher,
			headersTimeout: outgoing.timeoutMs,
			bodyTimeout: outgoing.timeoutMs,
			signal: AbortSignal.timeout(outgoing.timeoutMs),
		});

		const text = await response.body.text();
		return {
			statusCode: response.statusCode,
			headers: response.headers as HttpResponse['headers'],
			body: parseBody(text, response.headers['content-type']),
		};
	};
}

/** Parses JSON bodies. WEEEK returns some errors as HTML, which stays text. */
function parseBody(text: string, contentType: string | string[] | undefined): unknown {
	if (text.trim() === '') return undefined;

	const type = Array.isArray(contentType) ? contentType[0] : contentType;
	const looksJson = /^\s*[[{]/.test(text);
	if (!(type !== undefined && /[/+]json\b/i.test(type)) && !looksJson) return text;

	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}
