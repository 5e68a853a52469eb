/**
 * Repairs for bodies that Node-RED's `http in` parsed before `weeek-lead` receives them, so the lead
 * comes out as it does from the request bytes (`weeek-lead-in`, n8n).
 *
 * `http in` (Node-RED 4.1) parses JSON and urlencoded bodies with body-parser, up to `apiMaxLength`
 * (5 MB by default), and drops the bytes. A lead body is limited to 1 MiB everywhere else, and the
 * form parser (`qs`) keeps a value whose percent escapes are not UTF-8 as undecoded text.
 */
import { LeadInputError } from '../../../shared/errors';
import { FORBIDDEN_KEYS, isBytes, isRecord } from '../../../shared/leads/common';
import { mediaTypeOf, parseUrlEncoded } from '../../../shared/leads/body';
import { DEFAULT_MAX_BODY_BYTES } from '../../../shared/leads/webhook';
import type { NodeMessage } from './nodeRed';

/**
 * Returns the `tooLarge` error for a request whose declared length is over the lead body limit,
 * when only the parsed body reached the node. Bodies that arrive as bytes are measured by the core.
 */
export function parsedBodyTooLarge(msg: NodeMessage, limit = DEFAULT_MAX_BODY_BYTES): LeadInputError | undefined {
	if (isBytes(msg.payload) || typeof msg.payload === 'string') return undefined;

	const size = Number(msg.req?.headers?.['content-length']);
	if (!Number.isFinite(size) || size <= limit) return undefined;
	return new LeadInputError('tooLarge', `The request body has ${size} bytes, more than the ${limit} accepted: lead forms are far smaller, so this is not a lead`, {
		params: { size, limit },
	});
}

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/**
 * Decodes the form keys and values that `http in` left percent-encoded because their bytes are not
 * UTF-8, as the core decodes form bytes: windows-1251, the usual legacy encoding of Russian sites.
 * Other bodies are returned unchanged.
 */
export function decodeLegacyFormText(body: unknown, contentType: string | undefined): unknown {
	if (mediaTypeOf(contentType) !== 'application/x-www-form-urlencoded' || !isRecord(body)) return body;
	return decodeTree(body);
}

function decodeTree(value: unknown): unknown {
	if (typeof value === 'string') return decodeText(value);
	if (Array.isArray(value)) return value.map(decodeTree);
	if (!isRecord(value)) return value;

	const result: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) {
		const decodedKey = decodeText(key);
		if (!FORBIDDEN_KEYS.has(decodedKey)) result[decodedKey] = decodeTree(item);
	}
	return result;
}

/** Decodes `text` when it still contains percent escapes that are not UTF-8. `qs` turned `+` into spaces already. */
function decodeText(text: string): string {
	if (!PERCENT_ESCAPE.test(text) || decodesAsUtf8(text)) return text;

	// `&` cannot occur in a value `qs` split off, so the text is one pair's value.
	const decoded = parseUrlEncoded(`value=${text}`).value;
	return typeof decoded === 'string' ? decoded : text;
}

function decodesAsUtf8(text: string): boolean {
	try {
		decodeURIComponent(text);
		return true;
	} catch {
		return false;
	}
}
