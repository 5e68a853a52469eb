/**
 * `weeek-config`: one WEEEK workspace account (API token, base URL, request rate). It owns the
 * `WeeekClient` every WEEEK node of the account shares, and registers the admin routes the edit
 * dialogs call.
 */
import { Agent } from 'undici';

import type { LoggerPort } from '../../shared/ports';
import type { WeeekClient } from '../../shared/weeek/client';
import { registerAdminRoutes } from './lib/adminRoutes';
import { checkToken, createClient, normalizeBaseUrl, normalizeRate } from './lib/client';
import type { NodeAPI, NodeDefinition, NodeInstance } from './lib/nodeRed';
import { CONFIG_TYPE, type WeeekConfigNode } from './lib/weeekNode';

/** How long a closing config node lets requests in flight finish before cutting them off. */
const CLOSE_GRACE_MS = 5_000;

export default function register(RED: NodeAPI): void {
	function WeeekConfig(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this as WeeekConfigNode;

		node.name = typeof definition.name === 'string' ? definition.name : '';
		node.requestsPerSecond = normalizeRate(definition.requestsPerSecond);
		const configuredRate = definition.requestsPerSecond;
		if (configuredRate !== undefined && configuredRate !== '' && node.requestsPerSecond !== Number(configuredRate)) {
			node.warn(RED._('weeek-config.warn.invalidRate', { value: String(configuredRate), rate: node.requestsPerSecond }));
		}

		// A setup problem is kept and reported by every message that needs the client, so a
		// misconfigured account fails visibly on the nodes that use it instead of only in the log.
		let setupError: Error | undefined;
		let client: WeeekClient | undefined;
		let token = '';
		const agent = new Agent({ keepAliveTimeout: 10_000 });

		try {
			node.baseUrl = normalizeBaseUrl(definition.baseUrl);
			token = checkToken(node.credentials?.token);
			client = createClient({
				baseUrl: node.baseUrl,
				token,
				requestsPerSecond: node.requestsPerSecond,
				logger: nodeLogger(node),
				dispatcher: agent,
			});
		} catch (error) {
			node.baseUrl ??= normalizeBaseUrlOrDefault(definition.baseUrl);
			setupError = error as Error;
		}

		node.getClient = () => {
			if (client === undefined) throw setupError;
			return client;
		};
		node.getToken = () => {
			if (setupError !== undefined) throw setupError;
			return token;
		};

		node.on('close', (_removed, done) => {
			const forced = setTimeout(() => agent.destroy().catch(() => undefined), CLOSE_GRACE_MS);
			agent
				.close()
				.catch(() => undefined)
				.finally(() => {
					clearTimeout(forced);
					done();
				});
		});
	}

	RED.nodes.registerType(CONFIG_TYPE, WeeekConfig, {
		credentials: { token: { type: 'password' } },
	});

	registerAdminRoutes(RED);
}

function normalizeBaseUrlOrDefault(value: unknown): string {
	try {
		return normalizeBaseUrl(value);
	} catch {
		return normalizeBaseUrl('');
	}
}

/** Sends core log lines to the node's log, with metadata appended as JSON. The core never puts the token into metadata. */
function nodeLogger(node: NodeInstance): LoggerPort {
	const format = (message: string, meta?: Record<string, unknown>): string =>
		meta === undefined ? message : `${message} ${JSON.stringify(meta)}`;
	return {
		debug: (message, meta) => node.debug(format(message, meta)),
		info: (message, meta) => node.log(format(message, meta)),
		warn: (message, meta) => node.warn(format(message, meta)),
	};
}
