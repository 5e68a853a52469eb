/**
 * Shared parts of the nodes that call WEEEK: finding the config node, the status dot, error
 * translation, dry runs and the `done` protocol. Each node only defines what to read from the
 * message and which client method to call.
 */
import { ConfigurationError } from '../../../shared/errors';
import type { WeeekClient } from '../../../shared/weeek/client';
import type { DryRunRequest } from '../../../shared/weeek/dryRun';
import { createDryRunClient } from './client';
import { failureStatusKey, translateError } from './i18n';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage, WeeekResults } from './nodeRed';
import { RequestStatus } from './status';

export const CONFIG_TYPE = 'weeek-config';

/** The runtime side of a deployed `weeek-config` node, as other nodes and the admin routes see it. */
export interface WeeekConfigNode extends NodeInstance {
	baseUrl: string;
	requestsPerSecond: number;
	/** The shared client; throws the setup error (missing token, unset variable) when there is none. */
	getClient(): WeeekClient;
	/** The token after environment substitution, for the admin routes; throws like `getClient`. */
	getToken(): string;
}

export function isWeeekConfigNode(value: unknown): value is WeeekConfigNode {
	return (
		value !== null &&
		typeof value === 'object' &&
		(value as { type?: unknown }).type === CONFIG_TYPE &&
		typeof (value as { getClient?: unknown }).getClient === 'function'
	);
}

/** Returns the deployed config node chosen in a node's dialog, or throws a setup error. */
export function findConfigNode(RED: NodeAPI, configId: unknown): WeeekConfigNode {
	const node = typeof configId === 'string' && configId !== '' ? RED.nodes.getNode(configId) : null;
	if (isWeeekConfigNode(node)) return node;
	throw new ConfigurationError(
		'missingConfig',
		'The node has no WEEEK config node, or it is not deployed: pick a WEEEK account in the node and deploy',
	);
}

export interface WeeekInputOptions {
	configId: unknown;
	/** Catalogue key of the green status after a success, relative to the shared namespace. */
	doneKey: string;
	/** Appends the requests to `msg.weeek.dryRun.requests` instead of sending them; no config node is needed. */
	dryRun: boolean;
	/** Makes the WEEEK call(s) for one message and records results on `msg.weeek`. */
	run(msg: NodeMessage & { weeek: WeeekResults }, client: WeeekClient): Promise<void>;
}

/** Reads the "Dry run" checkbox of a node's dialog. */
export function isDryRun(definition: NodeDefinition): boolean {
	return definition.dryRun === true;
}

/**
 * Registers the input and close handlers of a node that calls WEEEK. A failure goes to `done(err)`
 * with the message, so Catch nodes receive it with the lead still in `msg.payload`. It is not also
 * logged with `node.error`, because that would report it twice.
 */
export function handleWeeekInput(RED: NodeAPI, node: NodeInstance, options: WeeekInputOptions): void {
	const status = new RequestStatus(node, options.doneKey, options.dryRun);

	node.on('input', (msg, send, done) => {
		status.start();

		const work = async (): Promise<void> => {
			const requests: DryRunRequest[] = [];
			const client = options.dryRun ? createDryRunClient(requests) : findConfigNode(RED, options.configId).getClient();
			const target = msg as NodeMessage & { weeek: WeeekResults };
			if (target.weeek === null || typeof target.weeek !== 'object') target.weeek = {};
			await options.run(target, client);
			// A chain of nodes in dry run lists all its requests, so each node appends its own.
			if (options.dryRun) target.weeek.dryRun = { requests: [...(target.weeek.dryRun?.requests ?? []), ...requests] };
		};

		work().then(
			() => {
				status.succeed();
				send(msg);
				done();
			},
			(error: unknown) => {
				const translated = translateError(RED, error);
				status.fail(failureStatusKey(translated));
				done(translated);
			},
		);
	});

	node.on('close', (_removed, done) => {
		status.clear();
		done();
	});
}
