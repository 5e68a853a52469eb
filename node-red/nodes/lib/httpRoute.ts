/**
 * A webhook route of our own on `RED.httpNode`, for nodes that must see the exact request bytes.
 *
 * Node-RED's `http in` parses JSON and form bodies and drops the bytes, but Facebook signs the bytes
 * exactly as sent, so `weeek-lead-in` reads the body itself. The route keeps Node-RED's conventions
 * for flow endpoints: `httpNodeMiddleware` runs first, `httpNodeCors` headers are added, and the
 * route is removed when the node closes.
 */
import { guardRouteBody, UNREAD_BODY_FLAG } from './adminBodyGuard';
import type { ExpressResponse, HttpNodeApp, HttpNodeErrorHandler, HttpNodeMiddleware, HttpNodeRequest, NodeAPI, RouterLayer } from './nodeRed';

/** Largest body a lead delivery may have. A lead is a few kilobytes, so 1 MiB leaves room for long free-text fields. */
export const MAX_LEAD_BODY_BYTES = 1024 * 1024;

export type BodyReadResult = { kind: 'bytes'; bytes: Buffer } | { kind: 'parsed'; body: unknown } | { kind: 'tooLarge' };

/**
 * Reads the request body as bytes, up to `limit`. A body that some middleware already read is
 * returned as that middleware left it, with its bytes only when it kept them as a Buffer.
 */
export function readRequestBody(request: HttpNodeRequest, limit = MAX_LEAD_BODY_BYTES): Promise<BodyReadResult> {
	// body-parser marks a request it consumed with `_body`; the admin body guard sets it too, but
	// leaves the stream unread for us.
	const unread = (request as unknown as Record<string, unknown>)[UNREAD_BODY_FLAG] === true;
	if (!unread && ((request as { _body?: unknown })._body === true || request.readableEnded)) {
		return Promise.resolve(Buffer.isBuffer(request.body) ? { kind: 'bytes', bytes: request.body } : { kind: 'parsed', body: request.body });
	}

	const declared = Number(request.headers['content-length']);
	return new Promise((resolve, reject) => {
		if (Number.isFinite(declared) && declared > limit) {
			// The rest is read and discarded, so the sender gets the 413 instead of a broken connection.
			request.resume();
			resolve({ kind: 'tooLarge' });
			return;
		}

		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) tooLarge = true;
			if (!tooLarge) chunks.push(chunk);
		});
		request.on('error', reject);
		request.on('end', () => resolve(tooLarge ? { kind: 'tooLarge' } : { kind: 'bytes', bytes: Buffer.concat(chunks) }));
	});
}

/**
 * Adds the CORS headers that `httpNodeCors` sets. Webhook senders are servers and ignore them, so
 * they matter only when a browser page posts to the route. The OPTIONS preflight is answered by
 * Node-RED's own `http in` module, which registers it for every flow endpoint.
 */
export function applyCors(RED: NodeAPI, request: HttpNodeRequest, response: ExpressResponse): void {
	const cors = RED.settings.httpNodeCors;
	if (cors === undefined || cors === null || typeof cors !== 'object') return;

	const origin = request.headers.origin;
	const allowed = cors.origin;
	let value: string | undefined;
	if (allowed === undefined || allowed === '*') value = '*';
	else if (typeof allowed === 'string') value = allowed;
	else if (allowed === true && typeof origin === 'string') value = origin;
	else if (Array.isArray(allowed) && typeof origin === 'string' && allowed.some((entry) => entry === origin || (entry instanceof RegExp && entry.test(origin)))) value = origin;
	else if (allowed instanceof RegExp && typeof origin === 'string' && allowed.test(origin)) value = origin;
	if (value === undefined) return;

	response.setHeader('Access-Control-Allow-Origin', value);
	if (value !== '*') response.setHeader('Vary', 'Origin');
	if (cors.credentials === true) response.setHeader('Access-Control-Allow-Credentials', 'true');
}

/** Returns the user's `httpNodeMiddleware`, or a pass-through when none is set. */
export function userMiddleware(RED: NodeAPI): HttpNodeMiddleware | HttpNodeMiddleware[] {
	const middleware = RED.settings.httpNodeMiddleware;
	if (typeof middleware === 'function' || Array.isArray(middleware)) return middleware;
	return (_request, _response, next) => next();
}

/** Normalizes a configured route path: trimmed, with one leading slash and no trailing one. */
export function normalizeRoutePath(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '' || /\s/.test(text) || text.includes('?') || text.includes('#')) return undefined;
	const path = `/${text.replace(/^\/+/, '').replace(/\/+$/, '')}`;
	return path === '/' ? undefined : path;
}

/** Checks whether another route already handles `method` on `path`, so the user can be warned about the clash. */
export function routeExists(app: HttpNodeApp, method: 'get' | 'post', path: string): boolean {
	return (app._router?.stack ?? []).some((layer) => layer.route?.path === path && layer.route.methods[method] === true);
}

/**
 * Registers GET and POST on `path` and returns a function that removes exactly these routes again,
 * leaving other nodes' routes on the same path alone.
 */
export function registerRoute(RED: NodeAPI, path: string, handler: HttpNodeMiddleware, errorHandler: HttpNodeErrorHandler): () => void {
	const app = RED.httpNode;
	const middleware = userMiddleware(RED);
	app.get(path, middleware, handler, errorHandler);
	app.post(path, middleware, handler, errorHandler);
	const removeGuard = guardRouteBody(RED, path);

	return () => {
		removeGuard();
		const stack = app._router?.stack;
		if (stack === undefined) return;
		for (let index = stack.length - 1; index >= 0; index--) {
			if (isOwnLayer(stack[index], handler)) stack.splice(index, 1);
		}
	};
}

function isOwnLayer(layer: RouterLayer, handler: HttpNodeMiddleware): boolean {
	return layer.route !== undefined && layer.route.stack.some((entry) => entry.handle === handler);
}
