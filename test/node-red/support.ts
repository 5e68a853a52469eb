/**
 * Shared set-up for the Node-RED tests: the built node modules from `node-red/dist`, the
 * `node-red-node-test-helper` typed for what the tests use, and small waiting helpers.
 *
 * The tests load the compiled package exactly as Node-RED would, so run
 * `node scripts/build-node-red.mjs` before jest (the npm scripts do).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const NODES_DIR = path.join(ROOT, 'node-red', 'dist', 'node-red', 'nodes');

export type NodeModule = (RED: unknown) => unknown;

/** One sinon call as the helper's spies record it. */
export interface SpyCall {
	args: unknown[];
	thisValue: { id?: string; type?: string };
}

export interface Spy {
	getCalls(): SpyCall[];
}

export interface AdminAnswer {
	status: number;
	body: Record<string, unknown> & { items?: Array<{ id: string; name: string }> };
	text: string;
}

export interface TestNode {
	id: string;
	on(event: 'input', listener: (msg: Record<string, unknown>) => void): void;
	receive(msg: Record<string, unknown>): void;
	status: Spy;
	error: Spy;
	warn: Spy;
	log: Spy;
	debug: Spy;
	trace: Spy;
}

/** The parts of node-red-node-test-helper 0.3.6 these tests use (the package ships no types). */
export interface TestHelper {
	init(runtimePath?: string): void;
	load(nodes: NodeModule[], flow: object[], credentials?: Record<string, Record<string, string>>): Promise<void>;
	unload(): Promise<void>;
	getNode(id: string): TestNode;
	request(): { post(url: string): { send(body: unknown): PromiseLike<AdminAnswer> } };
	log(): Spy;
	/** Replaces the runtime settings the next `load` gives the nodes, merged with Node-RED's defaults. */
	settings(userSettings: Record<string, unknown>): Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper = require('node-red-node-test-helper') as TestHelper;
helper.init(require.resolve('node-red'));

function loadModule(file: string): NodeModule {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const loaded = require(file) as { default?: NodeModule } & NodeModule;
	return loaded.default ?? loaded;
}

/** The package's node sets, in the order of `node-red/package.json`. */
export const NODE_SETS = ['weeek-config', 'weeek-lead-source', 'weeek-lead', 'weeek-lead-in', 'weeek-lead-poll', 'weeek-contact', 'weeek-deal', 'weeek-organization', 'weeek-workspace', 'weeek-link', 'weeek-lead-to-deal', 'weeek-watch'];

/** One `RED._` call of the nodes: the catalogue key and the parameters of its text. */
export interface CatalogueCall {
	key: string;
	params?: Record<string, unknown>;
}

let catalogueCallsOfLoad: CatalogueCall[] = [];

/**
 * Records every `RED._` call of the nodes in the current load. The helper's `RED._` returns the key
 * and drops the parameters, so tests read the values of a message here. The key is still returned
 * unchanged, so the nodes behave as with the plain helper.
 */
const catalogueRecorder: NodeModule = (RED) => {
	const api = RED as { _: (key: string, params?: Record<string, unknown>) => unknown };
	const translate = api._;
	const calls: CatalogueCall[] = [];
	catalogueCallsOfLoad = calls;
	api._ = (key, params) => {
		calls.push(params === undefined ? { key } : { key, params });
		return translate(key, params);
	};
};

/** Returns the `RED._` calls of the nodes since the last `helper.load` of `builtNodes()`, or only those with `key`. */
export function catalogueCalls(key?: string): CatalogueCall[] {
	return key === undefined ? catalogueCallsOfLoad : catalogueCallsOfLoad.filter((call) => call.key === key);
}

/** Loads every node set of the package from the built files, with the recorder of `RED._` calls first. */
export function builtNodes(): NodeModule[] {
	return [catalogueRecorder, ...NODE_SETS.map((name) => loadModule(path.join(NODES_DIR, `${name}.js`)))];
}

/** Node-RED's own `http in` / `http response` node set. */
export function httpInNodes(): NodeModule {
	return loadModule(require.resolve('@node-red/nodes/core/network/21-httpin.js'));
}

/**
 * Serves the routes `http in` nodes register. The helper gives those routes an Express app of
 * their own but mounts it on no server, so a module loaded with the nodes captures it and this
 * serves it on 127.0.0.1.
 */
export class HttpNodeServer {
	private app: ((request: unknown, response: unknown) => void) | undefined;
	private server: Server | undefined;

	/** A node module that records `RED.httpNode` when the helper loads it. */
	readonly capture: NodeModule = (RED) => {
		this.app = (RED as { httpNode: (request: unknown, response: unknown) => void }).httpNode;
	};

	async start(): Promise<string> {
		this.server = createServer((request, response) => {
			if (this.app === undefined) {
				response.writeHead(503).end('no flow loaded');
				return;
			}
			this.app(request, response);
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (server === undefined) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}

/** Resolves with the next message the helper node receives, or rejects after `timeoutMs`. */
export function nextMessage(node: TestNode, timeoutMs = 5_000): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no message reached ${node.id} within ${timeoutMs} ms`)), timeoutMs);
		node.on('input', (msg) => {
			clearTimeout(timer);
			resolve(msg);
		});
	});
}

/** Polls `condition` until it holds, or fails with `description` after `timeoutMs`. */
export async function waitFor(description: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting until ${description}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export function delay(milliseconds: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Status objects a node set, in order. The helper's spies sit on the prototype, so calls are filtered by node. */
export function statusesOf(node: TestNode): Array<{ fill?: string; shape?: string; text?: string }> {
	return node.status
		.getCalls()
		.filter((call) => call.thisValue?.id === node.id)
		.map((call) => call.args[0] as { fill?: string; shape?: string; text?: string });
}

/**
 * Everything the nodes reported through status, log, warn, error, debug and trace, the runtime log
 * and the parameters of catalogue texts, as text.
 */
export function everythingReported(anyNode: TestNode): string {
	const spies = [anyNode.status, anyNode.error, anyNode.warn, anyNode.log, anyNode.debug, anyNode.trace, helper.log()];
	const reported = spies
		.flatMap((spy) => spy.getCalls())
		.map((call) => call.args.map((argument) => (argument instanceof Error ? `${argument.name}: ${argument.message}\n${argument.stack ?? ''}` : safeJson(argument))).join(' '));
	const translated = catalogueCalls().map((call) => `${call.key} ${safeJson(call.params ?? {})}`);
	return [...reported, ...translated].join('\n');
}

function safeJson(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return JSON.stringify(value, (_key, item: unknown) => {
			if (item !== null && typeof item === 'object') {
				if (seen.has(item)) return '[circular]';
				seen.add(item);
			}
			return item;
		});
	} catch {
		return String(value);
	}
}

/** A Tilda sample body as Tilda posts it, from `test/fixtures/samples`. */
export { loadSample, parseFormBody } from '../fixtures/samples';
