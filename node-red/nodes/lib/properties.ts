/**
 * Reads TypedInput properties (msg, flow, global, env, JSONata, literals) for one message.
 */
import { ConfigurationError } from '../../../shared/errors';
import type { NodeAPI, NodeInstance, NodeMessage } from './nodeRed';

/**
 * Evaluates one TypedInput value. Always passes a callback, because flow/global context stores may
 * be asynchronous and Node-RED 4 requires one for JSONata.
 */
export function evaluateProperty(
	RED: NodeAPI,
	node: NodeInstance,
	msg: NodeMessage,
	property: { label: string; value: unknown; type: string },
): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const fail = (error: unknown): void => {
			const reason = error instanceof Error ? error.message : String(error);
			reject(
				new ConfigurationError(
					'invalidProperty',
					`Could not read the property '${property.label}' (${property.type}: ${String(property.value)}): ${reason}`,
					{ label: property.label, type: property.type, value: String(property.value), reason },
				),
			);
		};

		const settle = (error: unknown, result?: unknown): void => {
			if (!error) resolve(result);
			else if (property.type === 'msg' && isValidExpression(RED, property.value)) resolve(undefined);
			else fail(error);
		};

		try {
			RED.util.evaluateNodeProperty(property.value, property.type, node, msg, settle);
		} catch (error) {
			settle(error);
		}
	});
}

/**
 * Checks whether a msg property expression is well formed. Node-RED throws when a parent of the property
 * is missing (`weeek.deal.id` without `msg.weeek.deal`); for a well-formed expression that only
 * means the value is absent.
 */
function isValidExpression(RED: NodeAPI, value: unknown): boolean {
	try {
		RED.util.normalisePropertyExpression(String(value));
		return true;
	} catch {
		return false;
	}
}

/** Text of a property value, trimmed; undefined for empty, null and undefined values. */
export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = (typeof value === 'string' ? value : String(value)).trim();
	return text === '' ? undefined : text;
}

/** Splits one value or a list into non-empty strings: "a, b; c" and ["a", "b"] both work. */
export function textList(value: unknown): string[] {
	const values = Array.isArray(value) ? value : [value];
	const result: string[] = [];
	for (const item of values) {
		const text = optionalText(item);
		if (text === undefined) continue;
		result.push(...text.split(/[,;\n]+/).map((part) => part.trim()).filter((part) => part !== ''));
	}
	return result;
}
