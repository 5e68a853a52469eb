/**
 * Keeps Node-RED's editor body parsers away from the request bodies of our own webhook routes.
 *
 * With Node-RED's default settings, `httpAdminRoot` and `httpNodeRoot` are both `/`, so every
 * request passes through the editor app first, and its `body-parser` JSON and form parsers
 * (Node-RED 4.1 and 5.0, `@node-red/editor-api`) read the body of every POST. The bytes are then
 * gone: a Facebook signature cannot be checked, the 1 MiB limit and the cp1251 decoding never run,
 * and long numeric ids are rounded by `JSON.parse`. This guard runs just before those parsers and
 * marks POSTs to our routes as already read, which makes `body-parser` skip them. `readRequestBody`
 * then reads the bytes itself.
 */
import type { ExpressResponse, HttpNodeRequest, NodeAPI } from './nodeRed';

/** Marks a request whose body the editor parsers skip; its stream is still unread. */
export const UNREAD_BODY_FLAG = 'weeekUnreadBody';

interface ExpressLayer {
	name?: string;
	handle?: unknown;
}

interface AdminApp {
	use?(handler: (request: HttpNodeRequest, response: ExpressResponse, next: () => void) => void): void;
	_router?: { stack: ExpressLayer[] };
	/** The app this one is mounted in; Express sets it on mount. */
	parent?: AdminApp;
}

/** Full URL paths (node root included, lower case) of the registered routes, per editor app. */
const guardedPaths = new WeakMap<object, Map<string, number>>();

/**
 * Protects POSTs to `routePath` (relative to `httpNodeRoot`) from the editor's body parsers and
 * returns a function that removes the protection again. Does nothing when no editor app with body
 * parsers is found, for example when `httpAdminRoot` is `false`.
 */
export function guardRouteBody(RED: NodeAPI, routePath: string): () => void {
	const admin = appWithBodyParsers(RED.httpAdmin as unknown as AdminApp);
	if (admin === undefined) return () => undefined;

	const paths = pathsOf(admin);
	if (paths === undefined) return () => undefined;

	const fullPath = fullRoutePath(RED, routePath);
	paths.set(fullPath, (paths.get(fullPath) ?? 0) + 1);
	return () => {
		const count = (paths.get(fullPath) ?? 1) - 1;
		if (count > 0) paths.set(fullPath, count);
		else paths.delete(fullPath);
	};
}

/**
 * Finds the app whose stack contains the body parsers. Nodes get the runtime's admin app, which the
 * editor app mounts after its parsers, so the search walks up the `parent` chain.
 */
function appWithBodyParsers(start: AdminApp | undefined): AdminApp | undefined {
	for (let app = start; app !== undefined && app !== null && (typeof app === 'function' || typeof app === 'object'); app = app.parent) {
		if (guardedPaths.has(app) || parserIndex(app) >= 0) return app;
	}
	return undefined;
}

function parserIndex(app: AdminApp): number {
	return (app._router?.stack ?? []).findIndex((layer) => layer.name === 'jsonParser' || layer.name === 'urlencodedParser');
}

/** Returns the path registry of an editor app, installing the guard on first use. */
function pathsOf(admin: AdminApp): Map<string, number> | undefined {
	const existing = guardedPaths.get(admin);
	if (existing !== undefined) return existing;

	const stack = admin._router?.stack;
	const firstParser = parserIndex(admin);
	if (typeof admin.use !== 'function' || stack === undefined || firstParser < 0) return undefined;

	const paths = new Map<string, number>();
	admin.use((request, _response, next) => {
		if (request.method === 'POST' && paths.has(requestPath(request))) {
			// body-parser skips a request whose `_body` is set, as it does after parsing one itself.
			(request as { _body?: boolean })._body = true;
			(request as unknown as Record<string, unknown>)[UNREAD_BODY_FLAG] = true;
		}
		next();
	});
	// `use` appends; the guard has to run before the parsers, so its layer moves up to theirs.
	const guardLayer = stack.pop();
	if (guardLayer === undefined) return undefined;
	stack.splice(firstParser, 0, guardLayer);

	guardedPaths.set(admin, paths);
	return paths;
}

function fullRoutePath(RED: NodeAPI, routePath: string): string {
	const root = typeof RED.settings.httpNodeRoot === 'string' ? RED.settings.httpNodeRoot : '/';
	return normalizePath(`${root.replace(/\/+$/, '')}/${routePath.replace(/^\/+/, '')}`);
}

function requestPath(request: HttpNodeRequest): string {
	const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '/';
	return normalizePath(url.split('?')[0]);
}

/** Lower-cases and drops a trailing slash, as Express's default (non-strict, case-insensitive) routing matches. */
function normalizePath(path: string): string {
	const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
	return trimmed.toLowerCase();
}
