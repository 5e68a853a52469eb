/**
 * A real Node-RED 4 embedded in the test process, for what the test helper cannot run:
 * - flows with two Catch (or Complete, or Status) nodes, because the helper's `load` calls the core
 *   module once per such node and the second call fails with "catch already registered";
 * - deploys through the admin API, which save `flows.json` and `flows_cred.json` in the user directory.
 *
 * It loads the built package from `node-red/` through `nodesDir`, listens on 127.0.0.1 only, records
 * every log line at every level (audit included) and subscribes to the debug and status messages the
 * editor would receive. Start one per test file: Node-RED's runtime is a single instance per module registry.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { ROOT } from './support';

type Handler = (request: IncomingMessage, response: ServerResponse, next?: () => void) => void;

interface NodeRedModule {
	init(server: Server, settings: Record<string, unknown>): void;
	start(): Promise<void>;
	stop(): Promise<void>;
	httpAdmin: Handler;
	httpNode: Handler;
}

interface ExpressApp extends Handler {
	use(path: string, handler: Handler): void;
}

interface WebSocketClient {
	on(event: 'open' | 'close', listener: () => void): void;
	on(event: 'message', listener: (data: unknown) => void): void;
	on(event: 'error', listener: (error: Error) => void): void;
	send(data: string): void;
	close(): void;
}

/** One message the editor's comms connection receives, e.g. `{topic: 'debug', data: {id, msg, …}}`. */
export interface CommsMessage {
	topic: string;
	data: unknown;
}

export interface EmbeddedNodeRed {
	/** `http://127.0.0.1:<port>`; the admin API and flow endpoints are both served at the root. */
	url: string;
	userDir: string;
	/** Every log line, as the runtime logged it, serialized. */
	logs: string[];
	/** Debug and status messages the editor would show, in arrival order. */
	comms: CommsMessage[];
	/** Replaces all flows through `POST /flows` and waits until Node-RED has started them. */
	deploy(flows: object[]): Promise<void>;
	/** Clicks an inject node's button through its admin route. */
	inject(nodeId: string): Promise<void>;
	stop(): Promise<void>;
}

export async function startEmbeddedNodeRed(userDir: string, extraSettings: Record<string, unknown> = {}): Promise<EmbeddedNodeRed> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const RED = require('node-red') as NodeRedModule;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const express = require('express') as () => ExpressApp;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const WebSocket = require('ws') as new (url: string) => WebSocketClient;

	const logs: string[] = [];
	const app = express();
	const server = createServer(app);
	RED.init(server, {
		userDir,
		flowFile: 'flows.json',
		credentialSecret: 'weeek-test-credential-secret',
		nodesDir: [path.join(ROOT, 'node-red')],
		httpAdminRoot: '/',
		httpNodeRoot: '/',
		uiHost: '127.0.0.1',
		// Node-RED keeps a timer per websocket upgrade this long, which would keep the test process alive after `stop`.
		inboundWebSocketTimeout: 1_000,
		logging: {
			console: { level: 'off' },
			recorder: { level: 'trace', audit: true, metrics: false, handler: () => (line: unknown) => logs.push(JSON.stringify(line)) },
		},
		telemetry: { enabled: false },
		editorTheme: { tours: false },
		externalModules: { palette: { allowInstall: false } },
		...extraSettings,
	});
	app.use('/', RED.httpAdmin);
	app.use('/', RED.httpNode);

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	await RED.start();
	// The first flows start after `start` resolves; a deploy before that would be counted as this start.
	await waitForStart(logs, 0);
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const comms: CommsMessage[] = [];
	const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/comms`);
	await new Promise<void>((resolve, reject) => {
		socket.on('error', reject);
		socket.on('open', () => {
			socket.send(JSON.stringify({ subscribe: 'debug' }));
			socket.send(JSON.stringify({ subscribe: 'status/#' }));
			resolve();
		});
	});
	socket.on('message', (data) => {
		const parsed = JSON.parse(String(data)) as CommsMessage | CommsMessage[];
		comms.push(...(Array.isArray(parsed) ? parsed : [parsed]));
	});

	return {
		url,
		userDir,
		logs,
		comms,
		async deploy(flows) {
			const startsBefore = countStarts(logs);
			const response = await fetch(`${url}/flows`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v1', 'Node-RED-Deployment-Type': 'full' },
				body: JSON.stringify(flows),
			});
			if (!response.ok) throw new Error(`Node-RED rejected the flows with HTTP ${response.status}: ${await response.text()}`);
			await waitForStart(logs, startsBefore);
		},
		async inject(nodeId) {
			const response = await fetch(`${url}/inject/${nodeId}`, { method: 'POST' });
			if (!response.ok) throw new Error(`Node-RED did not trigger inject node ${nodeId}: HTTP ${response.status} ${await response.text()}`);
		},
		async stop() {
			socket.close();
			await RED.stop();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Counts the "Started flows" lines Node-RED logs at the end of every full deploy, in English or, with `lang: 'ru'`, in Russian. */
function countStarts(logs: string[]): number {
	return logs.filter((line) => line.includes('"msg":"Started flows"') || line.includes('"msg":"Запущены потоки"')).length;
}

/** Waits until Node-RED has started the flows of a full deploy, which it does after the deploy request returns. */
async function waitForStart(logs: string[], startsBefore: number): Promise<void> {
	const started = Date.now();
	while (countStarts(logs) <= startsBefore) {
		if (Date.now() - started > 10_000) throw new Error('Node-RED did not start the deployed flows within 10 s');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
