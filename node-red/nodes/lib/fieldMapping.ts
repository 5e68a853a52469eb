/**
 * Field mapping for generic and PlatformaLP senders: per standard field, a JSONPath (jsonpath-plus)
 * or a JSONata expression evaluated against the parsed request body. The results go to the core as
 * `values`, which win over its detection by common field names. An empty expression leaves the
 * field to that detection.
 */
import { JSONPath } from 'jsonpath-plus';

import { ConfigurationError } from '../../../shared/errors';
import type { StandardField } from '../../../shared/leads/generic';
import type { NodeAPI, NodeDefinition, NodeInstance } from './nodeRed';

export const MAPPED_FIELDS = ['name', 'firstName', 'lastName', 'phone', 'email', 'comment', 'city'] as const satisfies readonly StandardField[];
export type MappedField = (typeof MAPPED_FIELDS)[number];

export type MappingType = 'jsonpath' | 'jsonata';

interface FieldMapping {
	field: MappedField;
	type: MappingType;
	expression: string;
	/** The prepared JSONata expression, or the setup error when the expression does not compile. */
	prepared?: unknown;
	setupError?: ConfigurationError;
}

/** Node property holding the expression of a field: `mapName`, `mapFirstName`, …; the type is in `<property>Type`. */
export function mappingProperty(field: MappedField): string {
	return `map${field.charAt(0).toUpperCase()}${field.slice(1)}`;
}

export class FieldMapper {
	private readonly mappings: FieldMapping[];

	/** Reads the mapping from the node's properties and compiles JSONata expressions once. */
	constructor(
		private readonly RED: NodeAPI,
		node: NodeInstance,
		definition: NodeDefinition,
	) {
		this.mappings = [];
		for (const field of MAPPED_FIELDS) {
			const property = mappingProperty(field);
			const expression = typeof definition[property] === 'string' ? (definition[property] as string).trim() : '';
			if (expression === '') continue;

			const type: MappingType = definition[`${property}Type`] === 'jsonata' ? 'jsonata' : 'jsonpath';
			const mapping: FieldMapping = { field, type, expression };
			if (type === 'jsonata') {
				try {
					mapping.prepared = RED.util.prepareJSONataExpression(expression, node);
				} catch (error) {
					mapping.setupError = invalidMapping(mapping, error);
				}
			}
			this.mappings.push(mapping);
		}
	}

	get isEmpty(): boolean {
		return this.mappings.length === 0;
	}

	/** Evaluates every mapped field against `body`; a field whose expression finds nothing is left out. */
	async values(body: unknown): Promise<Partial<Record<StandardField, unknown>>> {
		const values: Partial<Record<StandardField, unknown>> = {};
		if (body === null || typeof body !== 'object') return values;

		for (const mapping of this.mappings) {
			if (mapping.setupError !== undefined) throw mapping.setupError;

			const value = mapping.type === 'jsonata' ? await this.evaluateJsonata(mapping, body) : evaluateJsonPath(mapping, body);
			if (value !== undefined && value !== null && value !== '') values[mapping.field] = value;
		}
		return values;
	}

	private evaluateJsonata(mapping: FieldMapping, body: object): Promise<unknown> {
		return new Promise((resolve, reject) => {
			this.RED.util.evaluateJSONataExpression(mapping.prepared, body, (error, result) => {
				if (error) reject(invalidMapping(mapping, error));
				else resolve(result);
			});
		});
	}
}

/** Returns the single match, all matches as one list when there are several, or undefined for none. */
function evaluateJsonPath(mapping: FieldMapping, body: object): unknown {
	let matches: unknown[];
	try {
		matches = JSONPath({ path: mapping.expression, json: body, wrap: true, eval: 'safe' }) as unknown[];
	} catch (error) {
		throw invalidMapping(mapping, error);
	}

	if (!Array.isArray(matches) || matches.length === 0) return undefined;
	return matches.length === 1 ? matches[0] : matches.flat();
}

function invalidMapping(mapping: FieldMapping, error: unknown): ConfigurationError {
	const reason = error instanceof Error ? error.message : String(error);
	const language = mapping.type === 'jsonata' ? 'JSONata' : 'JSONPath';
	return new ConfigurationError(
		'invalidFieldMapping',
		`The ${language} expression '${mapping.expression}' for the field ${mapping.field} cannot be evaluated (${reason}): correct it in the node`,
		{ field: mapping.field, language, expression: mapping.expression, reason },
	);
}
