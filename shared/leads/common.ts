/**
 * Small helpers shared by the lead normalizers: value coercion, hashing, constant-time secret
 * comparison, header lookup and time parsing.
 */

import { createHash, timingSafeEqual } from 'node:crypto';

/** Keys that would reach `Object.prototype` when assigned to a plain object; payloads may not use them. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !isBytes(value);
}

export function isBytes(value: unknown): value is Uint8Array {
	return value instanceof Uint8Array;
}

export function hasOwn(target: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(target, key);
}

/** Reads an own property only, so keys such as `toString` never resolve to inherited members. */
export function ownValue(target: unknown, key: string): unknown {
	if (typeof target !== 'object' || target === null || !hasOwn(target, key)) {
		return undefined;
	}
	return (target as Record<string, unknown>)[key];
}

/** Returns a shallow copy of `record` without the keys `drop` selects; used to keep secrets out of `raw.body`. */
export function withoutKeys(record: Record<string, unknown>, drop: (key: string) => boolean): Record<string, unknown> {
	const copy: Record<string, unknown> = {};
	for (const key of Object.keys(record)) {
		if (!drop(key) && !FORBIDDEN_KEYS.has(key)) {
			copy[key] = record[key];
		}
	}
	return copy;
}

/** Converts a scalar to a trimmed string; returns undefined for empty strings, null, objects and arrays. */
export function scalarText(value: unknown): string | undefined {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}
	if (typeof value === 'number') {
		return Number.isFinite(value) ? String(value) : undefined;
	}
	if (typeof value === 'bigint' || typeof value === 'boolean') {
		return String(value);
	}
	return undefined;
}

/**
 * Converts a platform id to a string. Zero and empty values mean "no id" on every source here
 * (Facebook sends `"0"` for organic leads, VK sends `0` for leads without an ad).
 */
export function idText(value: unknown): string | undefined {
	const text = scalarText(value);
	return text === undefined || text === '0' ? undefined : text;
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Serializes a value as JSON with object keys sorted at every level, so two deliveries with the same
 * content produce the same text whatever order the sender used.
 */
export function canonicalJson(value: unknown): string {
	if (value === undefined || value === null) {
		return 'null';
	}
	if (typeof value === 'bigint') {
		return JSON.stringify(String(value));
	}
	if (isBytes(value)) {
		return JSON.stringify(Buffer.from(value).toString('base64'));
	}
	if (Array.isArray(value)) {
		return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
	}
	if (typeof value === 'object') {
		const record = value as Record<string, unknown>;
		const keys = Object.keys(record)
			.filter((key) => record[key] !== undefined)
			.sort();
		return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * Compares a received secret with the configured one in constant time. Both sides are hashed first,
 * so the buffers given to `timingSafeEqual` always have equal length and the comparison does not
 * reveal the secret's length either.
 */
export function secretsMatch(received: string, expected: string): boolean {
	const receivedDigest = createHash('sha256').update(received, 'utf8').digest();
	const expectedDigest = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(receivedDigest, expectedDigest);
}

/** Finds a header by name, ignoring case; a repeated header yields its first value. */
export function headerValue(
	headers: Record<string, string | string[] | undefined> | undefined,
	name: string,
): string | undefined {
	if (!headers) {
		return undefined;
	}
	const lowerCaseName = name.toLowerCase();
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() !== lowerCaseName) {
			continue;
		}
		const value = headers[key];
		return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** Returns the token of an `Authorization: Bearer <token>` header value. */
export function bearerToken(authorization: string | undefined): string | undefined {
	const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
	return match ? match[1] : undefined;
}

const ZONELESS_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Converts a platform timestamp to ISO 8601 UTC. Accepted forms:
 * - unix seconds or milliseconds (numbers below 10^11 are seconds);
 * - ISO 8601 with a zone, also `+0000` without a colon as the Facebook Graph API sends it;
 * - a bare date;
 * - `YYYY-MM-DD hh:mm:ss` without a zone, read at `zonelessOffsetMinutes` east of UTC.
 * Returns undefined for anything else, because `Date.parse` would read other forms in the host's zone.
 */
export function toIsoTime(value: unknown, zonelessOffsetMinutes = 0): string | undefined {
	if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d{9,13}(\.\d+)?\s*$/.test(value))) {
		const number = Number(value);
		if (!Number.isFinite(number) || number <= 0) {
			return undefined;
		}
		return new Date(number < 1e11 ? number * 1000 : number).toISOString();
	}
	if (typeof value !== 'string') {
		return undefined;
	}

	const text = value.trim();
	const zoneless = ZONELESS_DATE_TIME.exec(text);
	if (zoneless) {
		const [, year, month, day, hour, minute, second, millis] = zoneless;
		const utcMillis = Date.UTC(
			Number(year),
			Number(month) - 1,
			Number(day),
			Number(hour),
			Number(minute),
			Number(second ?? 0),
			Number((millis ?? '0').padEnd(3, '0')),
		);
		return new Date(utcMillis - zonelessOffsetMinutes * 60_000).toISOString();
	}
	if (ISO_WITH_ZONE.test(text) || DATE_ONLY.test(text)) {
		const parsed = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
		return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
	}
	return undefined;
}
