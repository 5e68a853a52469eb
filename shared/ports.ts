/**
 * Ports: everything the core needs from its host.
 *
 * The core runs inside n8n, whose community-node rules forbid timers, `process`, file access and
 * HTTP clients of a package's own. So the hosts hand these functions in: n8n wraps its
 * `httpRequestWithAuthentication` and `sleep`, Node-RED wraps undici and `setTimeout`.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
	method: HttpMethod;
	/** Absolute URL, query string included. */
	url: string;
	/** JSON body; sent with `Content-Type: application/json`. DELETE may carry one too. */
	body?: unknown;
	timeoutMs: number;
}

export interface HttpResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the response was JSON, the text otherwise, `undefined` for an empty body. */
	body: unknown;
}

/**
 * Sends one request and resolves with any HTTP status; rejects only when no response arrived
 * (connection refused or reset, DNS failure, timeout). The host adds the WEEEK token.
 */
export type HttpPort = (request: HttpRequest) => Promise<HttpResponse>;

export type SleepPort = (milliseconds: number) => Promise<void>;

/** Milliseconds since the Unix epoch. */
export type ClockPort = () => number;

export interface LoggerPort {
	debug(message: string, meta?: Record<string, unknown>): void;
	info(message: string, meta?: Record<string, unknown>): void;
	warn(message: string, meta?: Record<string, unknown>): void;
}

export const silentLogger: LoggerPort = {
	debug: () => undefined,
	info: () => undefined,
	warn: () => undefined,
};
