/**
 * A loopback fake of the Facebook Graph API, enough for the lead fetch that follows a leadgen
 * webhook: `GET /v21.0/{id}?fields=…&access_token=…` for leads, forms and pages.
 *
 *   const graph = await startFakeGraph({ leads: { '1234…': graphLead }, forms: { '9876…': 'Spring form' }, pages: {}, accessToken: 'EAAG…' });
 *   graph.baseUrl        // http://127.0.0.1:<port>/v21.0, the value of the credential's Graph API Base URL
 *   graph.requests       // [{ method, path, query }] in arrival order; access_token values are replaced by ACCESS_TOKEN_MARKER
 *   graph.failNext(2)    // the next 2 lead requests fail with 500 and Graph's transient error body
 *   await graph.close()
 *
 * Responses follow Graph's documented shapes:
 * - a known lead, form or page: 200 with the object, limited to `id` and the requested `fields`;
 * - a missing access_token: 400 `OAuthException` code 104; a wrong one: 400 `OAuthException` code 190;
 * - an unknown id: 400 `GraphMethodException` code 100 ("Unsupported get request…"), which is also what
 *   Graph returns when the token's user lacks leads access;
 * - any other method or a path outside `/v21.0/{id}`: 400 code 100.
 * The token is checked before the id, as Graph does. Only 127.0.0.1 is listened on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const GRAPH_VERSION = 'v21.0';

/** Replaces every access_token value in `requests`, so a test that prints them never prints a token. */
export const ACCESS_TOKEN_MARKER = '[access token]';

export interface FakeGraphOptions {
	/** Graph lead objects (as `GET /{leadgen_id}` returns them) by leadgen id. */
	leads: Record<string, Record<string, unknown>>;
	/** Lead form names by form id. */
	forms: Record<string, string>;
	/** Page names by page id. */
	pages: Record<string, string>;
	/** The only access token the fake accepts. */
	accessToken: string;
}

export interface GraphRequest {
	method: string;
	/** Path without the query, e.g. `/v21.0/1234567890123456`. */
	path: string;
	query: Record<string, string>;
}

export interface FakeGraph {
	/** `http://127.0.0.1:<port>/v21.0`, without a trailing slash. */
	baseUrl: string;
	requests: GraphRequest[];
	/**
	 * Makes the next `count` lead requests fail with `status` (default 500) and Graph's transient error
	 * body. Requests for forms and pages are not affected. Pass `Infinity` to fail every lead request.
	 */
	failNext(count: number, status?: number): void;
	close(): Promise<void>;
}

interface GraphError {
	message: string;
	type: string;
	code: number;
	error_subcode?: number;
	is_transient?: boolean;
}

export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph> {
	const requests: GraphRequest[] = [];
	let failuresLeft = 0;
	let failureStatus = 500;

	const handle = (request: IncomingMessage, response: ServerResponse): void => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const query = Object.fromEntries(url.searchParams);
		const recordedQuery = { ...query };
		if ('access_token' in recordedQuery) recordedQuery.access_token = ACCESS_TOKEN_MARKER;
		requests.push({ method: request.method ?? 'GET', path: url.pathname, query: recordedQuery });

		const match = new RegExp(`^/${GRAPH_VERSION.replace('.', '\\.')}/(\\d+)$`).exec(url.pathname);
		if (request.method !== 'GET' || match === null) {
			sendError(response, 400, {
				message: `Unknown path components: ${url.pathname}`,
				type: 'OAuthException',
				code: 100,
			});
			return;
		}

		if (query.access_token === undefined || query.access_token === '') {
			sendError(response, 400, { message: 'An access token is required to request this resource.', type: 'OAuthException', code: 104 });
			return;
		}
		if (query.access_token !== options.accessToken) {
			sendError(response, 400, { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 });
			return;
		}

		const id = match[1];
		const object = findObject(options, id);
		if (object === undefined) {
			sendError(response, 400, {
				message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
				type: 'GraphMethodException',
				code: 100,
				error_subcode: 33,
			});
			return;
		}

		if (object.kind === 'lead' && failuresLeft > 0) {
			failuresLeft -= 1;
			sendError(response, failureStatus, {
				message: 'An unexpected error has occurred. Please retry your request later.',
				type: 'OAuthException',
				code: 2,
				is_transient: true,
			});
			return;
		}

		sendJson(response, 200, selectFields(object.value, query.fields));
	};

	const server = createServer(handle);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;

	return {
		baseUrl: `http://127.0.0.1:${port}/${GRAPH_VERSION}`,
		requests,
		failNext(count: number, status = 500) {
			failuresLeft = count;
			failureStatus = status;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}

function findObject(options: FakeGraphOptions, id: string): { kind: 'lead' | 'form' | 'page'; value: Record<string, unknown> } | undefined {
	if (Object.hasOwn(options.leads, id)) return { kind: 'lead', value: { id, ...options.leads[id] } };
	if (Object.hasOwn(options.forms, id)) return { kind: 'form', value: { id, name: options.forms[id] } };
	if (Object.hasOwn(options.pages, id)) return { kind: 'page', value: { id, name: options.pages[id] } };
	return undefined;
}

/** Keeps `id` and the fields named in the comma-separated `fields` parameter; without it Graph returns its default fields, here every field. */
function selectFields(value: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
	if (fields === undefined || fields.trim() === '') return value;

	const wanted = new Set(['id', ...fields.split(',').map((field) => field.trim())]);
	return Object.fromEntries(Object.entries(value).filter(([key]) => wanted.has(key)));
}

function sendError(response: ServerResponse, status: number, error: GraphError): void {
	sendJson(response, status, { error: { ...error, fbtrace_id: 'AFakeTraceId0000000000' } });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
	response.end(text);
}
