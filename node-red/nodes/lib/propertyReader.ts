/**
 * Reads the TypedInput properties of the resource nodes (WEEEK Contact, Deal, Organization,
 * Workspace) for one message, with per-property defaults for flows saved before a property existed.
 *
 * Property `x` is stored as `x` (the value) and `xType` (the TypedInput type). An id that the dialog
 * can pick from a WEEEK list uses the TypedInput type `list`, and the picked id is kept in a
 * separate property filled by a dropdown (for example `statusSource` of type `list` uses `statusId`).
 */
import { ConfigurationError } from '../../../shared/errors';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './nodeRed';
import { evaluateProperty, optionalText, textList } from './properties';

/** TypedInput type meaning "the id picked from the WEEEK list in the dialog". */
export const LIST_TYPE = 'list';

/** Types whose value is written in the node itself rather than looked up when a message arrives. */
const LITERAL_TYPES = new Set(['str', 'num', 'bool', 'json', LIST_TYPE]);

export interface PropertyDefault {
	value: string;
	type: string;
}

export interface TypedProperty {
	label: string;
	value: unknown;
	type: string;
}

export class PropertyReader {
	constructor(
		private readonly RED: NodeAPI,
		private readonly node: NodeInstance,
		private readonly definition: NodeDefinition,
		private readonly defaults: Record<string, PropertyDefault>,
	) {}

	/** Returns the saved value and type of a property, or its default when the flow predates it. */
	property(name: string): TypedProperty {
		const fallback = this.defaults[name] ?? { value: '', type: 'str' };
		const savedType = this.definition[`${name}Type`];
		const type = typeof savedType === 'string' && savedType !== '' ? savedType : fallback.type;
		const value = this.definition[name] === undefined ? fallback.value : this.definition[name];
		return { label: name, value, type };
	}

	/**
	 * Evaluates a property. An empty reference or literal of any type but text means "not set" and
	 * gives undefined, instead of the whole message or a parse error.
	 */
	async value(msg: NodeMessage, name: string): Promise<unknown> {
		const property = this.property(name);
		if (property.type === LIST_TYPE) return this.definition[pickedProperty(name)];
		if (property.type !== 'str' && optionalText(property.value) === undefined) return undefined;
		return await evaluateProperty(this.RED, this.node, msg, property);
	}

	async text(msg: NodeMessage, name: string): Promise<string | undefined> {
		return optionalText(await this.value(msg, name));
	}

	/** Like `text`, but a missing value is an error that names the property and where it was read from. */
	async requireText(msg: NodeMessage, name: string): Promise<string> {
		const text = await this.text(msg, name);
		if (text === undefined) throw this.missing(name);
		return text;
	}

	async list(msg: NodeMessage, name: string): Promise<string[]> {
		return textList(await this.value(msg, name));
	}

	/** Reads a whole number within `min`..`max`, or undefined when the property is not set. */
	async integer(msg: NodeMessage, name: string, range: { min: number; max: number }): Promise<number | undefined> {
		return parseInteger(await this.value(msg, name), name, range);
	}

	async requireInteger(msg: NodeMessage, name: string, range: { min: number; max: number }): Promise<number> {
		const value = await this.integer(msg, name, range);
		if (value === undefined) throw this.missing(name);
		return value;
	}

	/** Builds the error for a property without a value, naming where the node looked for it. */
	missing(name: string): ConfigurationError {
		const property = this.property(name);
		if (LITERAL_TYPES.has(property.type)) {
			return new ConfigurationError('emptyValue', `The ${name} is empty: enter it in the node or pick where it comes from`, { property: name });
		}

		const source = describeSource(property);
		return new ConfigurationError(
			'missingValue',
			`There is no ${name} in ${source}: put the WEEEK node that sets it before this one, or set where the value comes from`,
			{ property: name, source },
		);
	}
}

/** Returns the name of the property that contains the id picked from a list: `statusSource` → `statusId`. */
export function pickedProperty(sourceName: string): string {
	return sourceName.endsWith('Source') ? `${sourceName.slice(0, -'Source'.length)}Id` : `${sourceName}Picked`;
}

/** Describes where a property is read from, as the user wrote it: `msg.weeek.deal.id`, `env.WEEEK_STATUS`. */
export function describeSource(property: TypedProperty): string {
	const value = String(property.value ?? '');
	if (property.type === 'jsonata') return `JSONata ${value}`;
	return `${property.type}.${value}`;
}

/** Reads a whole number from a number or numeric text; undefined for empty values. */
export function parseInteger(value: unknown, name: string, range: { min: number; max: number }): number | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;

	const number = typeof value === 'number' ? value : Number(String(value).trim());
	const invalid = !Number.isInteger(number) || number < range.min || number > range.max;
	// An ID range has no real upper bound, so the message names the kind of value instead of the numbers.
	if (invalid && range.min === 1 && range.max === Number.MAX_SAFE_INTEGER) {
		throw new ConfigurationError('invalidId', `The ${name} '${String(value)}' is not a WEEEK ID, which is a whole number above 0: pick it from the list or correct it in the message`, {
			property: name,
			value: String(value),
		});
	}
	if (invalid) {
		throw new ConfigurationError(
			'invalidInteger',
			`The ${name} '${String(value)}' is not a whole number from ${range.min} to ${range.max}: correct it in the node or in the message`,
			{ property: name, value: String(value), min: range.min, max: range.max },
		);
	}
	return number;
}
