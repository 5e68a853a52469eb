/**
 * The operation select of the resource nodes: one node per WEEEK resource, whose dialog picks an
 * operation. Each operation names its green status text and the WEEEK calls it makes.
 */
import { ConfigurationError } from '../../../shared/errors';
import type { WeeekClient } from '../../../shared/weeek/client';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage, WeeekResults } from './nodeRed';
import { handleWeeekInput, isDryRun } from './weeekNode';

export type WeeekMessage = NodeMessage & { weeek: WeeekResults };

export interface Operation {
	/** Catalogue key of the green status after a success, relative to the shared namespace. */
	doneKey: string;
	run(msg: WeeekMessage, client: WeeekClient): Promise<void>;
}

/**
 * Registers the input handler for the operation saved in the node. Flows saved before the node
 * had an operation select run `defaultOperation`. An unknown operation fails each message with an
 * error, because a node that silently forwards messages would hide the broken setting.
 */
export function handleOperation(
	RED: NodeAPI,
	node: NodeInstance,
	definition: NodeDefinition,
	operations: Record<string, Operation>,
	defaultOperation: string,
): void {
	const name = typeof definition.operation === 'string' && definition.operation !== '' ? definition.operation : defaultOperation;
	const operation = Object.prototype.hasOwnProperty.call(operations, name) ? operations[name] : undefined;

	handleWeeekInput(RED, node, {
		configId: definition.config,
		doneKey: operation?.doneKey ?? 'status.done',
		dryRun: isDryRun(definition),
		run: async (msg, client) => {
			if (operation === undefined) {
				throw new ConfigurationError(
					'unknownOperation',
					`The operation '${name}' is not known to ${node.type} (known: ${Object.keys(operations).join(', ')}): open the node, pick an operation and deploy`,
					{ operation: name, known: Object.keys(operations).join(', ') },
				);
			}
			await operation.run(msg, client);
		},
	});
}
