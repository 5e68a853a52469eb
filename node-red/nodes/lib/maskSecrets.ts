/**
 * Masks a lead source's secrets in what `http in` put on a message, before `weeek-lead` sends the
 * message on or hands it to Catch and Complete nodes. Senders put the secret into the URL
 * (`?token=`), a header (`X-Webhook-Secret`, `Authorization: Bearer`) or a body field (VK's `secret`,
 * a Tilda `X-API-Key` field), and debug nodes and logs show all of these.
 *
 * Every occurrence of a secret inside a text is replaced, not only whole values, so
 * `Bearer <secret>` and `/hook?token=<secret>` are caught. The lead itself is cleaned separately by
 * `withoutSecrets`, which drops whole fields.
 */
import { isBytes, isRecord } from '../../../shared/leads/common';
import type { HttpInRequest } from './nodeRed';

export const SECRET_MASK = '***';

/** Returns `value` with each secret in its texts and bytes replaced by `SECRET_MASK`; objects are copied, never changed. */
export function maskSecrets(value: unknown, secrets: readonly string[]): unknown {
	if (secrets.length === 0) return value;
	if (typeof value === 'string') return maskText(value, secrets);
	if (isBytes(value)) return maskBytes(value, secrets);
	if (Array.isArray(value)) return value.map((item) => maskSecrets(item, secrets));
	if (!isRecord(value)) return value;

	const copy: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) copy[key] = maskSecrets(item, secrets);
	return copy;
}

/**
 * Masks the secrets in the request `http in` put on `msg.req`. The request object itself is kept,
 * because flows read other parts of it (`msg.req.ip`, cookies), so its URL, headers, query and body
 * change in place. By then Express has routed the request, so changing them alters nothing else.
 */
export function maskRequestSecrets(request: HttpInRequest | undefined, secrets: readonly string[]): void {
	if (request === undefined || request === null || typeof request !== 'object' || secrets.length === 0) return;

	const target = request as HttpInRequest & { originalUrl?: unknown };
	const urlSecrets = [...secrets, ...secrets.map((secret) => encodeURIComponent(secret))];
	if (typeof target.url === 'string') target.url = maskText(target.url, urlSecrets);
	if (typeof target.originalUrl === 'string') target.originalUrl = maskText(target.originalUrl, urlSecrets);
	// `http in` redefines `headers` as a read-only property, so the objects are changed, not replaced.
	maskFieldsInPlace(target.headers, secrets);
	maskFieldsInPlace(target.query, secrets);
	if (target.body !== undefined) target.body = maskSecrets(target.body, secrets);
}

function maskFieldsInPlace(record: unknown, secrets: readonly string[]): void {
	if (!isRecord(record)) return;
	for (const [key, value] of Object.entries(record)) record[key] = maskSecrets(value, secrets);
}

function maskText(text: string, secrets: readonly string[]): string {
	let masked = text;
	for (const secret of secrets) {
		if (secret !== '' && masked.includes(secret)) masked = masked.split(secret).join(SECRET_MASK);
	}
	return masked;
}

function maskBytes(bytes: Uint8Array, secrets: readonly string[]): Uint8Array {
	let buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	for (const secret of secrets) {
		const needle = Buffer.from(secret, 'utf8');
		if (needle.length === 0 || buffer.indexOf(needle) === -1) continue;

		const parts: Buffer[] = [];
		let start = 0;
		for (let found = buffer.indexOf(needle); found !== -1; found = buffer.indexOf(needle, start)) {
			parts.push(buffer.subarray(start, found), Buffer.from(SECRET_MASK));
			start = found + needle.length;
		}
		parts.push(buffer.subarray(start));
		buffer = Buffer.concat(parts);
	}
	return buffer;
}
