/**
 * A small path resolver (`contact.phones[0]`, `answers["Тип объекта"]`) and the flattening of nested
 * bodies into dotted keys. Full JSONPath is left to the hosts: Node-RED resolves JSONPath or JSONata
 * itself and passes the results in as values.
 */

import { ConfigurationError } from '../errors';
import { isRecord, ownValue, scalarText } from './common';

/**
 * Splits a path into segments. Accepts dotted names, `[0]` indexes and quoted keys in brackets
 * (`["a.b"]` or `['a b']`), with an optional leading `$` or `$.` as in JSONPath.
 */
export function parsePath(path: string): string[] {
	const segments: string[] = [];
	let rest = path.trim().replace(/^\$\.?/, '');

	while (rest !== '') {
		const bracketed = /^\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\d+))\s*\]/.exec(rest);
		if (bracketed) {
			const quoted = bracketed[1] ?? bracketed[2];
			segments.push(quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bracketed[3]);
			rest = rest.slice(bracketed[0].length);
		} else {
			const name = /^[^.[\]]+/.exec(rest);
			if (!name) {
				throw new ConfigurationError(
					'invalidPath',
					`The field path "${path}" is not valid: write it as dotted names with [index] or ["quoted key"] parts, for example contact.phones[0] or answers["Тип объекта"].`,
					{ path },
				);
			}
			segments.push(name[0].trim());
			rest = rest.slice(name[0].length);
		}
		if (rest.startsWith('.')) {
			rest = rest.slice(1);
		}
	}

	return segments;
}

/** Reads the value at `path` (text or segments); own properties only, so `constructor` never resolves. */
export function resolvePath(data: unknown, path: string | readonly string[]): unknown {
	const segments = typeof path === 'string' ? parsePath(path) : path;
	let current: unknown = data;
	for (const segment of segments) {
		if (Array.isArray(current)) {
			current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
		} else {
			current = ownValue(current, segment);
		}
		if (current === undefined) {
			return undefined;
		}
	}
	return current;
}

/** Formats segments as a display key: `contact.address.city`, `items[0].name`. */
export function formatPath(segments: readonly string[]): string {
	let key = '';
	for (const segment of segments) {
		if (/^\d+$/.test(segment) && key !== '') {
			key += `[${segment}]`;
		} else {
			key += key === '' ? segment : `.${segment}`;
		}
	}
	return key;
}

export interface FlatEntry {
	segments: string[];
	/** The raw leaf: a scalar, or an array of scalars kept whole as one multi-value answer. */
	value: unknown;
}

function isScalar(value: unknown): boolean {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint';
}

/**
 * Flattens nested objects into leaf entries. Arrays of scalars stay one entry (a multi-value answer);
 * arrays holding objects are walked by index. Empty values (null, empty strings) are skipped.
 */
export function flattenEntries(value: unknown, prefix: string[] = []): FlatEntry[] {
	if (Array.isArray(value)) {
		if (value.every((item) => isScalar(item) || item === null || item === undefined)) {
			const items = value.filter((item) => scalarText(item) !== undefined);
			return items.length === 0 ? [] : [{ segments: prefix, value: items }];
		}
		return value.flatMap((item, index) => flattenEntries(item, [...prefix, String(index)]));
	}
	if (isRecord(value)) {
		return Object.keys(value).flatMap((key) => flattenEntries(value[key], [...prefix, key]));
	}
	if (scalarText(value) === undefined || prefix.length === 0) {
		return [];
	}
	return [{ segments: prefix, value }];
}

/** Returns whether `segments` equals `prefix` or lies below it. */
export function startsWithSegments(segments: readonly string[], prefix: readonly string[]): boolean {
	return prefix.length <= segments.length && prefix.every((segment, index) => segments[index] === segment);
}
