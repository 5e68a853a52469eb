/**
 * The parts of the Node-RED runtime API these nodes use, typed by hand so the package needs no
 * `@types/node-red` (whose typings lag behind Node-RED 4). Shapes follow Node-RED 4.1.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import type { DryRunRequest } from '../../../shared/weeek/dryRun';

export interface NodeStatus {
	fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
	shape?: 'ring' | 'dot';
	text?: string;
}

/** Results the WEEEK nodes add to a message, so a chain of them needs no glue between nodes. */
export interface WeeekResults {
	contact?: { id: string; [key: string]: unknown };
	deal?: { id: string; [key: string]: unknown };
	organization?: { id: string; [key: string]: unknown };
	funnel?: { id: string; [key: string]: unknown };
	status?: { id: string; [key: string]: unknown };
	/** Lists from the "get many" operations, one key per record kind (`contacts`, `deals`, `members`, ...). */
	contacts?: unknown[];
	deals?: unknown[];
	organizations?: unknown[];
	funnels?: unknown[];
	statuses?: unknown[];
	members?: unknown[];
	tags?: unknown[];
	currencies?: unknown[];
	/** Paging of the last "get many" of contacts, organizations or deals. */
	page?: { limit: number; offset: number; count: number; hasMore: boolean };
	/** The record the last delete removed. */
	deleted?: { kind: string; id: string };
	/** The two records the last link operation joined, named by kind: `{dealId, contactId}`, `{contactId, tagId}`. */
	link?: Record<string, string | number>;
	/** The two records the last unlink operation separated, named like `link`. */
	unlink?: Record<string, string | number>;
	/** WEEEK calls `weeek-lead-to-deal` made for the lead; 0 when it was handled before. */
	weeekCalls?: number;
	/** In dry run mode, the requests the node would have sent, in order. */
	dryRun?: { requests: DryRunRequest[] };
}

/** Express request as `http in` puts it on `msg.req`. */
export interface HttpInRequest extends IncomingMessage {
	headers: IncomingHttpHeaders;
	query?: Record<string, unknown>;
	body?: unknown;
}

/** Express response inside the wrapper `http in` puts on `msg.res`. */
export interface ExpressResponse extends ServerResponse {
	status(code: number): ExpressResponse;
	type(contentType: string): ExpressResponse;
	send(body: string): ExpressResponse;
	json(body: unknown): ExpressResponse;
}

export interface NodeMessage {
	_msgid?: string;
	payload?: unknown;
	req?: HttpInRequest;
	res?: { _res: ExpressResponse };
	weeek?: WeeekResults;
	[key: string]: unknown;
}

export type SendFunction = (msg: NodeMessage | Array<NodeMessage | null>) => void;
export type DoneFunction = (error?: Error) => void;

/** Node context as `node.context()` returns it; the callback forms work with every context store. */
export interface NodeContext {
	get(key: string, store: string | undefined, callback: (error: Error | null, value?: unknown) => void): void;
	set(key: string, value: unknown, store: string | undefined, callback: (error?: Error | null) => void): void;
}

export interface NodeInstance {
	id: string;
	type: string;
	name?: string;
	z?: string;
	credentials?: Record<string, string | undefined>;
	context(): NodeContext;
	status(status: NodeStatus): void;
	log(message: unknown): void;
	warn(message: unknown): void;
	error(message: unknown, msg?: NodeMessage): void;
	debug(message: unknown): void;
	trace(message: unknown): void;
	send(msg: NodeMessage | Array<NodeMessage | null>): void;
	on(event: 'input', handler: (msg: NodeMessage, send: SendFunction, done: DoneFunction) => void): void;
	on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
}

/** Properties every node definition arrives with from the flow file. */
export interface NodeDefinition {
	id: string;
	type: string;
	name?: string;
	z?: string;
	[key: string]: unknown;
}

/** Minimal Express request/response for admin routes. */
export interface AdminRequest {
	body?: unknown;
}

export interface AdminResponse {
	status(code: number): AdminResponse;
	json(body: unknown): void;
}

export type AdminHandler = (request: AdminRequest, response: AdminResponse, next: (error?: unknown) => void) => void;

/** Express request as a route on `RED.httpNode` receives it (Express 4, used by Node-RED 4 and 5). */
export interface HttpNodeRequest extends IncomingMessage {
	headers: IncomingHttpHeaders;
	query: Record<string, unknown>;
	path: string;
	body?: unknown;
}

export type HttpNodeMiddleware = (request: HttpNodeRequest, response: ExpressResponse, next: (error?: unknown) => void) => void;
export type HttpNodeErrorHandler = (error: unknown, request: HttpNodeRequest, response: ExpressResponse, next: (error?: unknown) => void) => void;

/** One entry of an Express router stack; `route` is set for routes added with `get`/`post`. */
export interface RouterLayer {
	route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle: unknown }> };
}

/** The Express app Node-RED serves flow endpoints from, mounted at `httpNodeRoot`. */
export interface HttpNodeApp {
	get(path: string, ...handlers: Array<HttpNodeMiddleware | HttpNodeMiddleware[] | HttpNodeErrorHandler>): void;
	post(path: string, ...handlers: Array<HttpNodeMiddleware | HttpNodeMiddleware[] | HttpNodeErrorHandler>): void;
	_router?: { stack: RouterLayer[] };
}

/** The runtime settings these nodes read; all optional, because embedding applications may leave them out. */
export interface RuntimeSettings {
	userDir?: string;
	httpNodeRoot?: string | false;
	httpNodeMiddleware?: HttpNodeMiddleware | HttpNodeMiddleware[];
	httpNodeCors?: { origin?: unknown; methods?: unknown; credentials?: boolean };
	contextStorage?: Record<string, { module?: unknown } | string | undefined>;
}

export interface NodeAPI {
	nodes: {
		createNode(node: object, definition: NodeDefinition): void;
		registerType(type: string, constructor: (this: NodeInstance, definition: NodeDefinition) => void, options?: object): void;
		getNode(id: string): unknown;
		getCredentials(id: string): Record<string, string | undefined> | undefined;
		eachNode(callback: (definition: NodeDefinition) => void): void;
	};
	util: {
		evaluateNodeProperty(
			value: unknown,
			type: string,
			node: NodeInstance,
			msg: NodeMessage,
			callback: (error: Error | null, result?: unknown) => void,
		): void;
		getSetting(node: NodeInstance | null, name: string): string | undefined;
		/** Splits a property expression such as `weeek.deal.id`; throws when it is malformed. */
		normalisePropertyExpression(expression: string): Array<string | number>;
		generateId(): string;
		prepareJSONataExpression(expression: string, node: NodeInstance): unknown;
		evaluateJSONataExpression(expression: unknown, input: unknown, callback: (error: Error | null, result?: unknown) => void): void;
	};
	httpNode: HttpNodeApp;
	settings: RuntimeSettings;
	httpAdmin: {
		post(path: string, ...handlers: AdminHandler[]): void;
	};
	auth: {
		needsPermission(permission: string): AdminHandler;
	};
	log: {
		warn(message: string): void;
		debug(message: string): void;
	};
	/** Looks a key up in this node set's message catalogue; `ns:key` reaches another catalogue. */
	_(key: string, params?: Record<string, unknown>): string;
}
