/**
 * Request body parsing for lead webhooks. Hosts hand bodies over in different states: n8n and
 * Node-RED usually parse JSON and urlencoded bodies themselves, but a body may also arrive as text or
 * as bytes. Everything here works on all three and never lets a payload key reach `Object.prototype`.
 */

import { LeadInputError } from '../errors';
import { FORBIDDEN_KEYS, hasOwn, isBytes, isRecord } from './common';
import type { LeadDelivery } from './types';

/** Integers with this many digits or more are read as strings; 2^53 already has 16 digits. */
const BIG_INTEGER_DIGITS = 16;

/** Deepest bracket nesting read from a form key (`a[b][c]`); deeper segments stay one literal key. */
const MAX_KEY_DEPTH = 10;

/** Largest explicit array index honoured in a form key (`a[3]`); larger ones become object keys, so a payload cannot allocate a huge array. */
const MAX_ARRAY_INDEX = 100;

/** Lower-cased media type without parameters: `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
	const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
	return mediaType === '' ? undefined : mediaType;
}

/** Returns the `charset` parameter of a content type, lower-cased and unquoted. */
export function charsetOf(contentType: string | undefined): string | undefined {
	const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
	return match ? match[1].toLowerCase() : undefined;
}

export function isJsonMediaType(mediaType: string | undefined): boolean {
	return mediaType === 'application/json' || mediaType === 'text/json' || (mediaType ?? '').endsWith('+json');
}

/**
 * Decodes bytes as text. A declared charset other than UTF-8 (for example `windows-1251` from old PHP
 * sites) is honoured. Otherwise the bytes are read as UTF-8, and bytes that are not valid UTF-8 are
 * read as windows-1251, the usual legacy encoding of Russian sites.
 */
export function decodeBytes(bytes: Uint8Array, charset?: string): string {
	const label = supportedCharset(charset);
	if (label !== undefined && label !== 'utf-8') {
		return new TextDecoder(label).decode(bytes);
	}

	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return decodeWindows1251(bytes);
	}
}

function supportedCharset(charset: string | undefined): string | undefined {
	if (charset === undefined) {
		return undefined;
	}
	try {
		return new TextDecoder(charset).encoding;
	} catch {
		// An unknown label is treated as absent, so the UTF-8 and windows-1251 detection applies.
		return undefined;
	}
}

function decodeWindows1251(bytes: Uint8Array): string {
	let decoder: InstanceType<typeof TextDecoder>;
	try {
		decoder = new TextDecoder('windows-1251');
	} catch {
		throw new LeadInputError(
			'unsupportedContentType',
			'The request body is not valid UTF-8 and this Node.js build cannot decode windows-1251: send the body in UTF-8 or run a Node.js build with full ICU.',
			{ field: 'body' },
		);
	}
	return decoder.decode(bytes);
}

/**
 * Parses JSON without losing precision: integers of 16 or more digits become strings before
 * `JSON.parse` can round them (Facebook sent 17-digit ids as numbers). A small tokenizer walks the
 * text and skips string literals, so digits inside strings are never touched. `__proto__` keys are
 * dropped.
 */
export function parseJsonLossless(text: string): unknown {
	const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	try {
		return JSON.parse(quoteBigIntegers(source), (key, value: unknown) => (key === '__proto__' ? undefined : value));
	} catch (error) {
		const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
		// The parser's own message is left out because newer V8 versions quote the body, which may contain personal data.
		throw new LeadInputError(
			'invalidJson',
			`The request body is not valid JSON${position ? ` (error at character ${position[1]})` : ''}: check that the sender posts JSON, or set the Content-Type header to match the body.`,
			{ field: 'body', params: position ? { position: Number(position[1]) } : {} },
		);
	}
}

function isDigitCode(code: number): boolean {
	return code >= 0x30 && code <= 0x39;
}

function quoteBigIntegers(text: string): string {
	const chunks: string[] = [];
	let copiedUpTo = 0;
	let index = 0;

	while (index < text.length) {
		const code = text.charCodeAt(index);

		if (code === 0x22) {
			index = endOfString(text, index);
			continue;
		}
		if (code !== 0x2d && !isDigitCode(code)) {
			index += 1;
			continue;
		}

		const start = index;
		let cursor = code === 0x2d ? index + 1 : index;
		const digitsStart = cursor;
		while (cursor < text.length && isDigitCode(text.charCodeAt(cursor))) {
			cursor += 1;
		}
		const digitCount = cursor - digitsStart;
		let isInteger = true;
		while (cursor < text.length && /[.eE+\-0-9]/.test(text[cursor])) {
			isInteger = false;
			cursor += 1;
		}

		// A leading zero makes the number invalid JSON; quoting it would hide that.
		const hasLeadingZero = text.charCodeAt(digitsStart) === 0x30 && digitCount > 1;
		if (isInteger && digitCount >= BIG_INTEGER_DIGITS && !hasLeadingZero) {
			chunks.push(text.slice(copiedUpTo, start), '"', text.slice(start, cursor), '"');
			copiedUpTo = cursor;
		}
		index = cursor;
	}

	chunks.push(text.slice(copiedUpTo));
	return chunks.join('');
}

/** Returns the index just past the string literal that starts at `start` (a double quote). */
function endOfString(text: string, start: number): number {
	let index = start + 1;
	while (index < text.length) {
		const code = text.charCodeAt(index);
		if (code === 0x5c) {
			index += 2;
		} else if (code === 0x22) {
			return index + 1;
		} else {
			index += 1;
		}
	}
	return index;
}

/**
 * Parses `application/x-www-form-urlencoded` text (or a query string) with the bracket rules of the
 * PHP and `qs` parsers: `a[]=1&a[]=2` and `a=1&a=2` give arrays, `contact[name]=x` gives a nested
 * object. Percent-encoded bytes are decoded as UTF-8, or in `charset` when one is given, and bytes
 * that are not valid UTF-8 are read as windows-1251. Keys named `__proto__`, `constructor` or
 * `prototype` at any level are skipped.
 */
export function parseUrlEncoded(text: string, charset?: string): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	const query = text.startsWith('?') ? text.slice(1) : text;

	for (const pair of query.split('&')) {
		if (pair === '') {
			continue;
		}
		const separator = pair.indexOf('=');
		const key = percentDecode(separator === -1 ? pair : pair.slice(0, separator), charset);
		const value = separator === -1 ? '' : percentDecode(pair.slice(separator + 1), charset);
		if (key !== '') {
			assignFormField(result, key, value);
		}
	}

	return compactArrays(result) as Record<string, unknown>;
}

function percentDecode(text: string, charset: string | undefined): string {
	const spaced = text.replace(/\+/g, ' ');
	if (!spaced.includes('%')) {
		return spaced;
	}

	const label = supportedCharset(charset);
	if (label === undefined || label === 'utf-8') {
		try {
			return decodeURIComponent(spaced);
		} catch {
			// Not UTF-8 (or a stray `%`): decode the bytes below, which falls back to windows-1251.
		}
	}

	const bytes: number[] = [];
	for (let index = 0; index < spaced.length; index += 1) {
		const escape = spaced[index] === '%' ? /^[0-9a-fA-F]{2}$/.exec(spaced.slice(index + 1, index + 3)) : null;
		if (escape) {
			bytes.push(parseInt(escape[0], 16));
			index += 2;
		} else {
			const codePoint = spaced.codePointAt(index) ?? 0;
			const character = String.fromCodePoint(codePoint);
			bytes.push(...Buffer.from(character, 'utf8'));
			index += character.length - 1;
		}
	}
	return decodeBytes(Uint8Array.from(bytes), charset);
}

/** Splits `contact[phone][]` into `['contact', 'phone', '']`; a key that is not well-formed stays whole. */
export function splitBracketKey(key: string): string[] {
	const open = key.indexOf('[');
	if (open <= 0) {
		return [key];
	}

	const segments = [key.slice(0, open)];
	let rest = key.slice(open);
	while (rest.startsWith('[') && segments.length <= MAX_KEY_DEPTH) {
		const close = rest.indexOf(']');
		if (close === -1) {
			return [key];
		}
		segments.push(rest.slice(1, close));
		rest = rest.slice(close + 1);
	}

	if (rest === '') {
		return segments;
	}
	if (segments.length > MAX_KEY_DEPTH) {
		segments.push(rest);
		return segments;
	}
	return [key];
}

type Container = Record<string, unknown> | unknown[];

function isArrayIndex(segment: string): boolean {
	return /^\d+$/.test(segment) && Number(segment) <= MAX_ARRAY_INDEX;
}

function readChild(container: Container, segment: string): unknown {
	if (Array.isArray(container)) {
		return isArrayIndex(segment) ? container[Number(segment)] : undefined;
	}
	return hasOwn(container, segment) ? container[segment] : undefined;
}

function writeChild(container: Container, segment: string, value: unknown): void {
	if (Array.isArray(container)) {
		if (segment === '') {
			container.push(value);
		} else {
			container[Number(segment)] = value;
		}
	} else {
		container[segment] = value;
	}
}

/** Copies an array into an object keyed by index, for a key that mixes `a[0]` and `a[name]`. */
function arrayToObject(array: unknown[]): Record<string, unknown> {
	const object: Record<string, unknown> = {};
	array.forEach((item, index) => {
		object[String(index)] = item;
	});
	return object;
}

/**
 * Stores one form field under its bracket key. A repeated key turns the value into an array. Keys
 * containing `__proto__`, `constructor` or `prototype` segments are ignored.
 */
export function assignFormField(target: Record<string, unknown>, key: string, value: unknown): void {
	const segments = splitBracketKey(key);
	if (segments.some((segment) => FORBIDDEN_KEYS.has(segment))) {
		return;
	}

	let container: Container = target;
	for (let index = 0; index < segments.length - 1; index += 1) {
		const next = segments[index + 1];
		const nextIsArray = next === '' || isArrayIndex(next);
		// `a[][b]=1` appends a new element to the array `a`.
		const segment = Array.isArray(container) && segments[index] === '' ? String(container.length) : segments[index];

		let child = readChild(container, segment);
		if (Array.isArray(child) && !nextIsArray) {
			// `a[0]=x&a[name]=y`: an array that receives a named key becomes an object, as in `qs`.
			child = arrayToObject(child);
			writeChild(container, segment, child);
		} else if (!Array.isArray(child) && !isRecord(child)) {
			const fresh: Container = nextIsArray ? [] : {};
			// `a=1&a[b]=2`: the earlier plain value is kept beside the nested one.
			writeChild(container, segment, child === undefined ? fresh : [child, fresh]);
			child = fresh;
		}
		container = child as Container;
	}

	const last = segments[segments.length - 1];
	if (last === '' && Array.isArray(container)) {
		container.push(value);
	} else {
		appendValue(container, last, value);
	}
}

function appendValue(container: Container, key: string, value: unknown): void {
	const existing = readChild(container, key);
	if (existing === undefined) {
		writeChild(container, key, value);
	} else if (Array.isArray(existing)) {
		existing.push(value);
	} else {
		writeChild(container, key, [existing, value]);
	}
}

/** Removes the holes that explicit indexes (`a[5]=x`) leave in arrays. */
function compactArrays(value: unknown): unknown {
	if (Array.isArray(value)) {
		return value.filter(() => true).map((item) => compactArrays(item));
	}
	if (isRecord(value)) {
		for (const key of Object.keys(value)) {
			value[key] = compactArrays(value[key]);
		}
	}
	return value;
}

/**
 * Parses a `multipart/form-data` body into fields by the same bracket rules as urlencoded bodies.
 * Text parts become fields; parts with a `filename` (uploaded files) are skipped.
 */
export function parseMultipart(body: Uint8Array | string, contentType: string): Record<string, unknown> {
	const boundary = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	if (!boundary) {
		throw new LeadInputError(
			'unsupportedContentType',
			'The multipart/form-data request has no boundary parameter in its Content-Type header: send the form as the browser or HTTP client encodes it, without setting Content-Type by hand.',
			{ field: 'content-type' },
		);
	}

	const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`, 'utf8');
	const charset = charsetOf(contentType);
	const result: Record<string, unknown> = {};

	let position = bytes.indexOf(delimiter);
	while (position !== -1) {
		const afterDelimiter = position + delimiter.length;
		if (bytes[afterDelimiter] === 0x2d && bytes[afterDelimiter + 1] === 0x2d) {
			break;
		}
		const lineEnd = bytes.indexOf(0x0a, afterDelimiter);
		if (lineEnd === -1) {
			break;
		}
		const next = bytes.indexOf(delimiter, lineEnd + 1);
		if (next === -1) {
			break;
		}

		let end = next;
		if (bytes[end - 1] === 0x0a) {
			end -= 1;
		}
		if (bytes[end - 1] === 0x0d) {
			end -= 1;
		}
		readMultipartPart(bytes.subarray(lineEnd + 1, Math.max(end, lineEnd + 1)), charset, result);
		position = next;
	}

	return compactArrays(result) as Record<string, unknown>;
}

function readMultipartPart(part: Buffer, bodyCharset: string | undefined, result: Record<string, unknown>): void {
	let headerEnd = part.indexOf('\r\n\r\n');
	let contentStart = headerEnd + 4;
	if (headerEnd === -1) {
		headerEnd = part.indexOf('\n\n');
		contentStart = headerEnd + 2;
	}
	if (headerEnd === -1) {
		return;
	}

	const headers = new TextDecoder('utf-8').decode(part.subarray(0, headerEnd)).split(/\r?\n/);
	let disposition = '';
	let partCharset: string | undefined;
	for (const line of headers) {
		const colon = line.indexOf(':');
		const name = line.slice(0, colon).trim().toLowerCase();
		if (name === 'content-disposition') {
			disposition = line.slice(colon + 1);
		} else if (name === 'content-type') {
			partCharset = charsetOf(line.slice(colon + 1));
		}
	}

	const parameters = dispositionParameters(disposition);
	const fieldName = parameters.get('name');
	if (fieldName === undefined || fieldName === '' || parameters.has('filename') || parameters.has('filename*')) {
		return;
	}
	assignFormField(result, fieldName, decodeBytes(part.subarray(contentStart), partCharset ?? bodyCharset));
}

function dispositionParameters(disposition: string): Map<string, string> {
	const parameters = new Map<string, string>();
	const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	for (let match = pattern.exec(disposition); match !== null; match = pattern.exec(disposition)) {
		const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3].trim();
		parameters.set(match[1].toLowerCase(), value);
	}
	return parameters;
}

const SNIFFED_MEDIA_TYPES = new Set([undefined, 'text/plain', 'application/octet-stream']);

/**
 * Parses a request body by its content type. Objects the host already parsed are returned as they
 * are; text and bytes are decoded (see `decodeBytes`) and parsed as JSON, urlencoded or multipart.
 * Plain-text bodies and bodies without a content type are sniffed: JSON if they parse as JSON,
 * urlencoded if they look like `key=value&…`. Returns undefined for an empty body and the text itself
 * when nothing applies.
 */
export function parseLeadBody(body: unknown, contentType?: string): unknown {
	if (body === undefined || body === null) {
		return undefined;
	}

	const mediaType = mediaTypeOf(contentType);
	const charset = charsetOf(contentType);
	if (mediaType === 'multipart/form-data' && (typeof body === 'string' || isBytes(body))) {
		return parseMultipart(body, contentType ?? '');
	}

	let text: string;
	if (isBytes(body)) {
		text = decodeBytes(body, charset);
	} else if (typeof body === 'string') {
		text = body;
	} else {
		return body;
	}

	const trimmed = text.replace(/^\uFEFF/, '').trim();
	if (trimmed === '') {
		return undefined;
	}
	if (isJsonMediaType(mediaType)) {
		return parseJsonLossless(trimmed);
	}
	if (mediaType === 'application/x-www-form-urlencoded') {
		return parseUrlEncoded(trimmed, charset);
	}
	if (SNIFFED_MEDIA_TYPES.has(mediaType)) {
		if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
			try {
				return parseJsonLossless(trimmed);
			} catch {
				// Not JSON after all: try the urlencoded shape, else return the text.
			}
		}
		if (/^[^\s=&]+=\S*$/.test(trimmed)) {
			return parseUrlEncoded(trimmed, charset);
		}
	}
	return text;
}

/**
 * Returns the parsed body of a delivery. When the host parsed JSON itself but also kept the raw text,
 * the raw text is parsed again so that big integer ids keep their exact digits.
 */
export function readDeliveryBody(delivery: Pick<LeadDelivery, 'body' | 'rawBody' | 'contentType'>): unknown {
	const mediaType = mediaTypeOf(delivery.contentType);
	if (mediaType !== undefined && !isJsonMediaType(mediaType) && !LEAD_MEDIA_TYPES.has(mediaType)) {
		throw new LeadInputError(
			'unsupportedContentType',
			`The content type ${mediaType} is not a lead format: send JSON, a form (urlencoded or multipart) or a query string`,
			{ field: 'content-type', params: { contentType: mediaType } },
		);
	}

	const value = readBodyValue(delivery);
	checkNestingDepth(value);
	return value;
}

/** Content types a lead may arrive in, besides JSON (`application/json`, `application/*+json`). */
const LEAD_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** Deepest nesting accepted; real lead payloads stay within a few levels, and deeper ones would strain the recursive readers. */
export const MAX_BODY_DEPTH = 32;

/** Rejects values nested deeper than `MAX_BODY_DEPTH`, walking with an explicit stack so the check itself cannot overflow. */
function checkNestingDepth(value: unknown): void {
	const stack: Array<[unknown, number]> = [[value, 0]];
	while (stack.length > 0) {
		const [current, depth] = stack.pop()!;
		if (current === null || typeof current !== 'object' || isBytes(current)) continue;
		if (depth >= MAX_BODY_DEPTH) {
			throw new LeadInputError('invalidField', `The request body is nested more than ${MAX_BODY_DEPTH} levels deep: no lead form sends that, so it is refused`, {
				field: 'body',
				params: { maxDepth: MAX_BODY_DEPTH },
			});
		}
		for (const child of Object.values(current as Record<string, unknown>)) stack.push([child, depth + 1]);
	}
}

function readBodyValue(delivery: Pick<LeadDelivery, 'body' | 'rawBody' | 'contentType'>): unknown {
	const { body, rawBody, contentType } = delivery;
	const rawString = isBytes(rawBody) ? decodeBytes(rawBody, charsetOf(contentType)) : rawBody;
	const rawText = typeof rawString === 'string' && rawString.trim() !== '' ? rawString : undefined;

	// For JSON the exact text decides: it keeps big ids exact, and a body the host failed to parse is reported.
	if (isJsonMediaType(mediaTypeOf(contentType)) && rawText !== undefined) {
		return parseJsonLossless(rawText.trim());
	}

	if ((body === undefined || body === null || body === '') && rawText !== undefined) {
		return parseLeadBody(rawText, contentType);
	}

	const hostParsed = typeof body === 'object' && body !== null && !isBytes(body);
	const formBody = mediaTypeOf(contentType) === 'application/x-www-form-urlencoded';

	// Some hosts (n8n) parse forms flat, leaving `contact[name]` as one key: the raw text keeps the nesting.
	if (hostParsed && formBody && rawText !== undefined) {
		return parseUrlEncoded(rawText, charsetOf(contentType));
	}
	if (hostParsed && !Array.isArray(body) && !isJsonMediaType(mediaTypeOf(contentType)) && Object.keys(body as object).some((key) => key.includes('['))) {
		const nested: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
			// A repeated key arrives as an array; each element is one field occurrence.
			for (const occurrence of Array.isArray(value) ? value : [value]) assignFormField(nested, key, occurrence);
		}
		return parseLeadBody(nested, contentType);
	}

	if (hostParsed && rawText !== undefined && /^\s*[{[]/.test(rawText.replace(/^\uFEFF/, ''))) {
		try {
			return parseJsonLossless(rawText.trim());
		} catch {
			// The host's own parse is kept when the raw text is not JSON.
		}
	}

	return parseLeadBody(body, contentType);
}
