/**
 * Turns the rows of a deal's Custom Fields parameter into WEEEK's write shape, a map of field ID
 * to a value of the field's type. The node's text inputs are converted by the field type the
 * funnel defines, so "150 000" reaches a number field as 150000 and a select option may be given
 * by its name.
 */
import type { IDataObject } from 'n8n-workflow';

import { ConfigurationError } from '../../../shared/errors';
import { splitList } from '../actions/common.descriptions';

/** A custom field as WEEEK describes it on a funnel or on a deal. */
export interface CustomFieldDefinition {
	id: string;
	name?: string | null;
	type?: string | null;
	options?: unknown;
}

interface CustomFieldRow {
	fieldId?: unknown;
	value?: unknown;
}

export interface CustomFieldSettings {
	/**
	 * Whether a field the definitions do not contain is an error. Dry runs turn it off because
	 * their funnel and deal placeholders define no fields; the values then pass unconverted.
	 */
	strict: boolean;
	/** Whether an empty value clears the field (update) instead of being left out (create). */
	clearEmpty: boolean;
}

const PARAMETER = 'Custom Fields';

/** Reads the rows of a Custom Fields fixed collection (`{field: [{fieldId, value}]}`). */
export function readCustomFieldRows(collection: unknown): CustomFieldRow[] {
	if (collection === null || typeof collection !== 'object') return [];
	const rows = (collection as IDataObject).field;
	return Array.isArray(rows) ? (rows as CustomFieldRow[]) : [];
}

/** Builds the `customFields` map, or returns `undefined` when no row sets or clears a value. */
export function buildCustomFieldValues(
	rows: CustomFieldRow[],
	definitions: CustomFieldDefinition[],
	settings: CustomFieldSettings,
): Record<string, unknown> | undefined {
	const values: Record<string, unknown> = {};

	for (const row of rows) {
		const fieldId = String(row.fieldId ?? '').trim();
		if (fieldId === '') {
			throw new ConfigurationError('missingCustomField', `A row under '${PARAMETER}' has no field: pick a field from the list or remove the row`, {
				parameter: PARAMETER,
			});
		}

		const definition = definitions.find((candidate) => candidate.id === fieldId);
		if (definition === undefined && settings.strict) {
			throw new ConfigurationError(
				'unknownCustomField',
				`The deal's funnel has no custom field '${fieldId}' (parameter '${PARAMETER}'): pick the field again from the list`,
				{ parameter: PARAMETER, field: fieldId },
			);
		}

		if (isEmpty(row.value)) {
			if (settings.clearEmpty) values[fieldId] = null;
			continue;
		}
		values[fieldId] = definition === undefined ? row.value : convertValue(definition, row.value);
	}

	return Object.keys(values).length > 0 ? values : undefined;
}

function isEmpty(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (Array.isArray(value)) return value.length === 0;
	return typeof value === 'string' && value.trim() === '';
}

/** Converts one value to the JSON type WEEEK expects for the field's type. */
function convertValue(definition: CustomFieldDefinition, value: unknown): unknown {
	switch (definition.type) {
		case 'text':
		case 'link':
			return String(value);
		case 'number':
			return toNumber(definition, value);
		case 'boolean':
			return toBoolean(definition, value);
		case 'datetime':
			return toDateTime(definition, value);
		case 'select':
			return toOptionId(definition, value);
		case 'multiselect':
			return splitList(value).map((entry) => toOptionId(definition, entry));
		case 'member':
		case 'approval':
			return splitList(value);
		case 'contact':
			return String(value).trim();
		default:
			// A field type this node does not know yet: WEEEK validates the value itself.
			return value;
	}
}

function invalidValue(definition: CustomFieldDefinition, value: unknown, expected: string): ConfigurationError {
	const field = definition.name ?? definition.id;
	return new ConfigurationError(
		'invalidCustomFieldValue',
		`The value of custom field '${field}' under '${PARAMETER}' must be ${expected}, not '${String(value)}'`,
		{ parameter: PARAMETER, field, value: String(value) },
	);
}

function toNumber(definition: CustomFieldDefinition, value: unknown): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	const number = Number(String(value).replace(/[\s\u00a0]/g, '').replace(',', '.'));
	if (!Number.isFinite(number) || String(value).trim() === '') throw invalidValue(definition, value, 'a number such as 1500 or 1500.50');
	return number;
}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

function toBoolean(definition: CustomFieldDefinition, value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	const word = String(value).trim().toLowerCase();
	if (TRUE_WORDS.includes(word)) return true;
	if (FALSE_WORDS.includes(word)) return false;
	throw invalidValue(definition, value, 'true or false');
}

function toDateTime(definition: CustomFieldDefinition, value: unknown): string {
	const text = String(value).trim();
	if (Number.isNaN(Date.parse(text))) throw invalidValue(definition, value, 'a date in ISO 8601 form such as 2025-06-30T12:00:00Z');
	return text;
}

/** Accepts an option's ID or, ignoring case, its name. */
function toOptionId(definition: CustomFieldDefinition, value: unknown): string {
	const text = String(value).trim();
	const options = Array.isArray(definition.options) ? (definition.options as Array<{ id?: unknown; name?: unknown }>) : [];
	const byId = options.find((option) => String(option.id) === text);
	if (byId) return text;

	const byName = options.find((option) => typeof option.name === 'string' && option.name.toLowerCase() === text.toLowerCase());
	if (byName) return String(byName.id);

	const names = options.map((option) => String(option.name ?? option.id)).join(', ');
	throw invalidValue(definition, value, `one of its options (${names}), by name or ID`);
}
