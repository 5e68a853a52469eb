/**
 * WEEEK sandbox: an in-memory loopback HTTP server that imitates the CRM part of WEEEK's public
 * API (`/public/v1`), so tests and the demo never call the real service.
 *
 * Besides the API it serves control routes under `/__sandbox`: state snapshot, reset and faults.
 * The faults are latency, 429, 5xx, resets, slow responses, a per-token rate limit, and writes
 * that are applied but get an error response or none at all.
 */

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo, type Socket } from 'node:net';

import { FaultPlanner, type FaultDecision, type FaultKind, type FaultSettings, type OneShotFault } from './faults';
import { matchRoute, type Route, type RouteMethod } from './router';
import { contactRoutes } from './routes-contacts';
import { dealRoutes } from './routes-deals';
import { funnelRoutes } from './routes-funnels';
import { workspaceRoutes } from './routes-workspace';
import { createSeedState } from './seed';
import { recomputeTotals, type SandboxState } from './store';
import { ApiError, parsePhpQuery, type JsonObject, type PhpQuery } from './validation';

export { SEED } from './seed';
export { DEFAULT_FAULT_SETTINGS } from './faults';
export type { FaultKind, FaultSettings, OneShotFault } from './faults';
export type {
	ContactRecord,
	CustomFieldRecord,
	DealRecord,
	FunnelRecord,
	MemberRecord,
	OrganizationRecord,
	SandboxState,
	StatusRecord,
	TagRecord,
	TaskRecord,
} from './store';

export interface SandboxOptions {
	/** TCP port; 0 (the default) picks any free port. */
	port?: number;
	/** Loopback address to listen on; 127.0.0.1 by default. Any other address is rejected. */
	host?: string;
	/** Bearer token the API accepts; 32 random hex characters by default. */
	token?: string;
	/** Faults active from the start; `reset()` turns them off again. */
	faults?: Partial<FaultSettings>;
}

/** One request to `/public/v1`, as the sandbox received and handled it. */
export interface RecordedRequest {
	method: string;
	/** Path below `/public/v1`, without the query string, e.g. `/crm/contacts`. */
	path: string;
	/**
	 * Query parameters under the names sent: `winStatuses[]` stays `winStatuses[]`. A name sent
	 * once maps to a string, a repeated name or a `[]` name to an array of strings.
	 */
	query: Record<string, string | string[]>;
	/** Parsed JSON body; undefined when the body was empty or not valid JSON. */
	body: unknown;
	/** Whether the request carried the sandbox's bearer token. The token itself is never stored. */
	authorized: boolean;
	/** HTTP status sent; 0 while the response is pending and when the socket was destroyed instead. */
	status: number;
	/** Arrival time, ms since the Unix epoch. */
	at: number;
	/** Time the response was sent, ms since the Unix epoch. Absent while pending and when the socket was destroyed. */
	respondedAt?: number;
	/** Whether the route handler ran, so a write took effect (for a valid request). */
	applied: boolean;
	/** Injected fault; `rateLimit` is a 429 from `rateLimitPerSecond`. */
	fault?: FaultKind | 'rateLimit';
	accept?: string;
	contentType?: string;
	/** Message of an unexpected sandbox error that became a 500. */
	error?: string;
}

export interface Sandbox {
	/** API base URL with WEEEK's path prefix, e.g. `http://127.0.0.1:43210/public/v1`. */
	baseUrl: string;
	/** Control route base URL, e.g. `http://127.0.0.1:43210/__sandbox`. */
	controlUrl: string;
	token: string;
	/**
	 * Live state for assertions. The object stays the same after `reset()`, but its arrays are
	 * replaced, so read `sandbox.state.deals` again instead of keeping the array.
	 */
	state: SandboxState;
	/** Every API request in arrival order; `reset()` empties this same array. */
	requests: RecordedRequest[];
	setFaults(faults: Partial<FaultSettings>): void;
	queueFault(rule: OneShotFault): void;
	/** Restores the seed state and clears the request log, faults and queued faults. */
	reset(): void;
	/** Stops listening, destroys open sockets and cancels delayed responses. */
	close(): Promise<void>;
}

const API_PREFIX = '/public/v1';
const CONTROL_PREFIX = '/__sandbox';
const MAX_BODY_BYTES = 1024 * 1024;
const ROUTE_METHODS: readonly RouteMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const ROUTES: readonly Route[] = [...workspaceRoutes, ...funnelRoutes, ...dealRoutes, ...contactRoutes];

/** Tells whether `host` is a loopback name or address (127.0.0.0/8, ::1 or localhost). */
export function isLoopbackHost(host: string): boolean {
	const bare = host.replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:/i, '');
	if (bare === 'localhost' || bare === '::1') {
		return true;
	}
	return isIP(bare) === 4 && bare.startsWith('127.');
}

function digest(text: string): Buffer {
	return createHash('sha256').update(text).digest();
}

function rawQuery(params: URLSearchParams): Record<string, string | string[]> {
	const query: Record<string, string | string[]> = {};
	for (const [key, value] of params) {
		const existing = query[key];
		if (existing === undefined) {
			query[key] = key.endsWith('[]') ? [value] : value;
		} else {
			query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
		}
	}
	return query;
}

interface ReceivedBody {
	/** Parsed JSON, undefined when empty or invalid. */
	json: unknown;
	/** JSON parse error message, when the body is not valid JSON. */
	invalid?: string;
	tooLarge: boolean;
}

function readBody(request: IncomingMessage): Promise<ReceivedBody> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) {
				chunks.push(chunk);
			}
		});
		request.on('error', reject);
		request.on('end', () => {
			if (size > MAX_BODY_BYTES) {
				resolve({ json: undefined, tooLarge: true });
				return;
			}
			const text = Buffer.concat(chunks).toString('utf8');
			if (text.trim() === '') {
				resolve({ json: undefined, tooLarge: false });
				return;
			}
			try {
				resolve({ json: JSON.parse(text), tooLarge: false });
			} catch (error) {
				resolve({ json: undefined, invalid: (error as Error).message, tooLarge: false });
			}
		});
	});
}

class SandboxServer implements Sandbox {
	baseUrl = '';
	controlUrl = '';
	readonly token: string;
	readonly state: SandboxState = createSeedState();
	readonly requests: RecordedRequest[] = [];

	private readonly faults = new FaultPlanner();
	private readonly server = createServer((request, response) => {
		// A failed body read (the client hung up mid-request) is the expected way to get here.
		this.handle(request, response).catch(() => this.sendJson(response, 500, { message: 'Server Error' }));
	});
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private closed = false;

	constructor(token: string) {
		this.token = token;
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	async listen(host: string, port: number): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, host, () => {
				this.server.off('error', reject);
				resolve();
			});
		});

		const address = this.server.address() as AddressInfo;
		const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
		this.baseUrl = `http://${urlHost}:${address.port}${API_PREFIX}`;
		this.controlUrl = `http://${urlHost}:${address.port}${CONTROL_PREFIX}`;
	}

	setFaults(faults: Partial<FaultSettings>): void {
		this.faults.configure(faults);
	}

	queueFault(rule: OneShotFault): void {
		this.faults.enqueue(rule);
	}

	reset(): void {
		Object.assign(this.state, createSeedState());
		this.requests.length = 0;
		this.faults.reset();
	}

	async close(): Promise<void> {
		if (this.closed) {
			return;
		}
		this.closed = true;

		for (const timer of this.timers) {
			clearTimeout(timer);
		}
		this.timers.clear();

		const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		for (const socket of this.sockets) {
			socket.destroy();
		}
		await stopped;
	}

	/** Serializable view of everything, served by `GET /__sandbox/state`. */
	snapshot(): JsonObject {
		return {
			success: true,
			state: this.state,
			requests: this.requests,
			faults: { settings: this.faults.settings, pending: this.faults.pending },
		};
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		// Prefixing keeps a path such as `//x` a path instead of a host.
		const url = new URL(`http://sandbox.invalid${request.url ?? '/'}`);
		const body = await readBody(request);

		if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
			this.handleApi(request, response, url, body);
			return;
		}
		if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
			this.handleControl(request, response, url.pathname.slice(CONTROL_PREFIX.length) || '/', body);
			return;
		}
		this.sendJson(response, 404, {
			success: false,
			message: `The route ${url.pathname.replace(/^\//, '')} could not be found.`,
		});
	}

	private handleApi(request: IncomingMessage, response: ServerResponse, url: URL, body: ReceivedBody): void {
		const method = (request.method ?? 'GET').toUpperCase();
		const path = url.pathname.slice(API_PREFIX.length) || '/';
		const token = this.bearerToken(request);
		const record: RecordedRequest = {
			method,
			path,
			query: rawQuery(url.searchParams),
			body: body.json,
			authorized: token !== undefined && this.isValidToken(token),
			status: 0,
			at: Date.now(),
			applied: false,
			accept: request.headers.accept,
			contentType: request.headers['content-type'],
		};
		this.requests.push(record);

		const latencyMs = this.faults.settings.latencyMs;
		const respond = (status: number, payload: JsonObject, headers: Record<string, string> = {}, delayMs = latencyMs): void =>
			this.later(delayMs, () => {
				this.markResponded(record, status);
				this.sendJson(response, status, payload, headers);
			});

		// Laravel matches the route (404, 405) before the auth middleware runs (401).
		const match = matchRoute(ROUTES, path);
		if (match === undefined) {
			respond(404, { success: false, message: `The route ${url.pathname.replace(/^\//, '')} could not be found.` });
			return;
		}
		const handler = ROUTE_METHODS.includes(method as RouteMethod) ? match.route.handlers[method as RouteMethod] : undefined;
		if (handler === undefined) {
			const allowed = Object.keys(match.route.handlers).join(', ');
			respond(
				405,
				{
					success: false,
					message: `The ${method} method is not supported for route ${url.pathname.replace(/^\//, '')}. Supported methods: ${allowed}.`,
				},
				{ Allow: allowed },
			);
			return;
		}
		if (!record.authorized) {
			respond(401, { success: false, code: 2000000, message: 'Unauthenticated.' });
			return;
		}

		const decision = this.faults.decide(method, path, token as string, record.at);
		record.fault = decision?.fault;
		if (decision !== undefined && !this.isAppliedFault(decision)) {
			this.respondToUnappliedFault(decision, request, response, record);
			return;
		}

		if (body.tooLarge) {
			respond(413, { success: false, message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` });
			return;
		}
		if (body.invalid !== undefined) {
			respond(400, { success: false, message: `The request body is not valid JSON: ${body.invalid}` });
			return;
		}

		const result = this.runHandler(handler, match.params, parsePhpQuery(url.searchParams), request, body, record);

		if (decision?.fault === 'appliedDrop') {
			this.later(latencyMs, () => request.socket.destroy());
		} else if (decision?.fault === 'appliedError') {
			respond(500, { message: 'Server Error' });
		} else {
			respond(result.status, result.body, result.headers, latencyMs + (decision?.slowMs ?? 0));
		}
	}

	private runHandler(
		handler: NonNullable<Route['handlers'][RouteMethod]>,
		params: Record<string, string>,
		query: PhpQuery,
		request: IncomingMessage,
		body: ReceivedBody,
		record: RecordedRequest,
	): { status: number; body: JsonObject; headers: Record<string, string> } {
		// Laravel reads JSON fields only from a JSON content type; any other body gives no fields.
		const isJson = /[/+]json\b/i.test(request.headers['content-type'] ?? '');
		const fields =
			isJson && typeof body.json === 'object' && body.json !== null && !Array.isArray(body.json)
				? (body.json as JsonObject)
				: {};

		record.applied = true;
		try {
			const payload = handler({ state: this.state, params, query, body: fields });
			recomputeTotals(this.state);
			return { status: 200, body: payload, headers: {} };
		} catch (error) {
			recomputeTotals(this.state);
			if (error instanceof ApiError) {
				return { status: error.status, body: error.body, headers: error.headers };
			}
			record.error = error instanceof Error ? error.message : String(error);
			return { status: 500, body: { message: 'Server Error' }, headers: {} };
		}
	}

	private isAppliedFault(decision: FaultDecision): boolean {
		return decision.fault === 'slow' || decision.fault === 'appliedError' || decision.fault === 'appliedDrop';
	}

	/** Sends the response of a fault that stops the request before it is applied. */
	private respondToUnappliedFault(
		decision: FaultDecision,
		request: IncomingMessage,
		response: ServerResponse,
		record: RecordedRequest,
	): void {
		const retryAfter = String(this.faults.settings.retryAfterSeconds);

		this.later(this.faults.settings.latencyMs, () => {
			switch (decision.fault) {
				case 'reset':
					request.socket.destroy();
					return;
				case '429':
				case 'rateLimit':
					this.markResponded(record, 429);
					this.sendJson(response, 429, { success: false, message: 'Too Many Attempts.' }, { 'Retry-After': retryAfter });
					return;
				case '502':
					// A gateway error comes from the proxy in front of the application, as HTML.
					this.markResponded(record, 502);
					this.send(
						response,
						502,
						'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
						'text/html; charset=utf-8',
					);
					return;
				case '503':
					this.markResponded(record, 503);
					this.sendJson(response, 503, { message: 'Service Unavailable' }, { 'Retry-After': retryAfter });
					return;
				default:
					this.markResponded(record, 500);
					this.sendJson(response, 500, { message: 'Server Error' });
			}
		});
	}

	private markResponded(record: RecordedRequest, status: number): void {
		record.status = status;
		record.respondedAt = Date.now();
	}

	private handleControl(request: IncomingMessage, response: ServerResponse, path: string, body: ReceivedBody): void {
		if (!isLoopbackHost(request.socket.remoteAddress ?? '')) {
			this.sendJson(response, 403, { success: false, message: 'Control routes accept loopback clients only: call them from this machine.' });
			return;
		}

		const method = (request.method ?? 'GET').toUpperCase();
		const routes: Record<string, { method: string; run: () => JsonObject }> = {
			'/state': { method: 'GET', run: () => this.snapshot() },
			'/reset': {
				method: 'POST',
				run: () => {
					this.reset();
					return { success: true };
				},
			},
			'/faults': {
				method: 'POST',
				run: () => {
					this.setFaults(body.json as Partial<FaultSettings>);
					return { success: true, faults: this.faults.settings };
				},
			},
			'/faults/next': {
				method: 'POST',
				run: () => {
					this.queueFault(body.json as OneShotFault);
					return { success: true, pending: this.faults.pending };
				},
			},
		};

		const route = routes[path.replace(/\/$/, '') || '/'];
		if (route === undefined) {
			this.sendJson(response, 404, { success: false, message: `The sandbox has no control route ${CONTROL_PREFIX}${path}.` });
			return;
		}
		if (method !== route.method) {
			this.sendJson(
				response,
				405,
				{ success: false, message: `Use ${route.method} for ${CONTROL_PREFIX}${path}.` },
				{ Allow: route.method },
			);
			return;
		}
		if (body.invalid !== undefined) {
			this.sendJson(response, 400, { success: false, message: `The request body is not valid JSON: ${body.invalid}` });
			return;
		}

		try {
			this.sendJson(response, 200, route.run());
		} catch (error) {
			this.sendJson(response, 400, { success: false, message: (error as Error).message });
		}
	}

	private bearerToken(request: IncomingMessage): string | undefined {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
		return match?.[1];
	}

	private isValidToken(token: string): boolean {
		return timingSafeEqual(digest(token), digest(this.token));
	}

	/** Runs `action` after `delayMs`; `close()` cancels it, so no timer outlives the sandbox. */
	private later(delayMs: number, action: () => void): void {
		if (delayMs <= 0) {
			action();
			return;
		}
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			action();
		}, delayMs);
		this.timers.add(timer);
	}

	private sendJson(response: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
		this.send(response, status, JSON.stringify(payload), 'application/json', headers);
	}

	private send(
		response: ServerResponse,
		status: number,
		text: string,
		contentType: string,
		headers: Record<string, string> = {},
	): void {
		if (response.headersSent || response.destroyed) {
			return;
		}
		response.writeHead(status, {
			'Content-Type': contentType,
			'Content-Length': Buffer.byteLength(text),
			'Cache-Control': 'no-cache, private',
			...headers,
		});
		response.end(text);
	}
}

/** Starts a sandbox with the seed state; resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	if (!isLoopbackHost(host)) {
		throw new Error(`The WEEEK sandbox listens on loopback addresses only, not '${host}': use 127.0.0.1 or ::1.`);
	}
	if (options.token !== undefined && !/^\S+$/.test(options.token)) {
		throw new Error('The sandbox token must be non-empty and contain no spaces: leave it out to get a random one.');
	}

	const sandbox = new SandboxServer(options.token ?? randomBytes(16).toString('hex'));
	if (options.faults !== undefined) {
		sandbox.setFaults(options.faults);
	}
	await sandbox.listen(host, options.port ?? 0);
	return sandbox;
}
