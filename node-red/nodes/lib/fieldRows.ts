/**
 * The "Fields" list of the update operations (and of deal creation): rows of a field name and a
 * TypedInput value, saved in the node as `fields: [{field, name?, value, type}]`.
 *
 * A value that is missing from the message, or empty text, leaves its field unchanged, so one
 * node can update whichever fields a message carries. Only `null` clears a field, and only where
 * WEEEK allows clearing it.
 */
import { ConfigurationError } from '../../../shared/errors';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './nodeRed';
import { evaluateProperty } from './properties';

export interface FieldRow {
	field: string;
	/** Display name of a deal custom field, saved so the dialog can show it without asking WEEEK. */
	name?: string;
	value: unknown;
	type: string;
}

/** Prefix of deal custom field rows: `customField:<field uuid>`. */
export const CUSTOM_FIELD_PREFIX = 'customField:';

/** Returns the saved rows, skipping anything that is not a row with a field name. */
export function fieldRows(definition: NodeDefinition): FieldRow[] {
	const rows = Array.isArray(definition.fields) ? (definition.fields as unknown[]) : [];
	return rows.flatMap((row) => {
		if (row === null || typeof row !== 'object') return [];
		const { field, name, value, type } = row as Record<string, unknown>;
		if (typeof field !== 'string' || field === '') return [];
		return [{ field, name: typeof name === 'string' ? name : undefined, value: value ?? '', type: typeof type === 'string' && type !== '' ? type : 'str' }];
	});
}

/** Evaluates each row for one message and returns the fields to change, in row order. */
export async function evaluateFieldRows(
	RED: NodeAPI,
	node: NodeInstance,
	msg: NodeMessage,
	rows: FieldRow[],
): Promise<Array<{ field: string; value: unknown }>> {
	const changes: Array<{ field: string; value: unknown }> = [];
	for (const row of rows) {
		const label = row.name ?? row.field;
		const value = row.type !== 'str' && String(row.value).trim() === '' ? undefined : await evaluateProperty(RED, node, msg, { label, value: row.value, type: row.type });
		if (value === undefined) continue;
		if (typeof value === 'string' && value.trim() === '') continue;
		changes.push({ field: row.field, value });
	}
	return changes;
}

/** Builds the error for a row whose field this operation does not know, for example after a manual edit of the flow. */
export function unknownField(field: string, known: readonly string[]): ConfigurationError {
	return new ConfigurationError(
		'unknownField',
		`The field '${field}' cannot be set here (known fields: ${known.join(', ')}): remove the row and add it again from the list`,
		{ field, known: known.join(', ') },
	);
}

/** Builds the error for an update whose field list is empty, so it would not change anything. */
export function noFieldsToUpdate(): ConfigurationError {
	return new ConfigurationError('noFieldsToUpdate', 'The update has no fields: add at least one row under Fields in the node', {});
}
