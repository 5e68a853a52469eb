/**
 * PlatformaLP (platformalp.ru) landing-page leads, as a preset of the generic source.
 *
 * NOTE: PlatformaLP publishes no webhook format. Two shapes are accepted as assumptions: flat form
 * fields (urlencoded or JSON, keys as shown on the page, often Cyrillic) and JSON with
 * `fields: [{ name, value }]`, `form: { id, name }`, `page: { url, title }` and `utm: {…}`. Unknown
 * fields pass through as answers, and `paths`/`values` options can remap anything.
 */

import { canonicalJson, FORBIDDEN_KEYS, hasOwn, isRecord, scalarText, sha256Hex } from './common';
import { buildFieldLead, type GenericOptions, readFieldData } from './generic';
import type { LeadDelivery, NormalizedLead } from './types';

export type PlatformaLpOptions = GenericOptions;

/** Submissions of the same contact on the same form within one such window share a dedup key. */
export const PLATFORMALP_DEDUP_WINDOW_MS = 10 * 60_000;

/**
 * Normalizes a PlatformaLP delivery. No submission id is known, so the dedup key is a SHA-256 of three
 * parts, unless the body has an `id` or `lead_id` or `idPath` is set:
 * - the first phone, else the first e-mail, else the whole body;
 * - the form id, else the form name, else the page URL without its query;
 * - the 10-minute window of the receive time, which catches double clicks and quick resubmissions.
 *
 * Limitation: two submissions on either side of a window boundary (12:09:59 and 12:10:01) get
 * different keys; a fixed window is used because a sliding one needs the store of earlier keys.
 */
export function normalizePlatformaLpLead(delivery: LeadDelivery, options: PlatformaLpOptions = {}): NormalizedLead {
	const data = readFieldData(delivery, options.secret, 'PlatformaLP');
	return buildFieldLead('platformalp', delivery, unwrapFieldList(data), options, {
		rawBody: data,
		dedupKey: (lead) => platformaLpDedupKey(lead, data, delivery.receivedAt),
	});
}

export function platformaLpDedupKey(lead: NormalizedLead, data: unknown, receivedAt: number): string {
	const contact = lead.phones[0] ?? lead.emails[0] ?? sha256Hex(canonicalJson(data));
	const pageUrl = lead.page?.url?.split(/[?#]/)[0];
	const place = lead.form?.id ?? lead.form?.name ?? pageUrl ?? '';
	const window = Math.floor(receivedAt / PLATFORMALP_DEDUP_WINDOW_MS);
	return `platformalp:${sha256Hex(`${contact}|${place}|${window}`)}`;
}

/** Turns `fields: [{ name, value }]` into a `fields` object keyed by name, which the generic builder reads like any form. */
function unwrapFieldList(data: Record<string, unknown>): Record<string, unknown> {
	const list = data.fields;
	if (!Array.isArray(list) || !list.every((item) => isRecord(item) && scalarText(item.name) !== undefined)) {
		return data;
	}

	const fields: Record<string, unknown> = {};
	for (const item of list as Array<Record<string, unknown>>) {
		const name = scalarText(item.name) as string;
		if (FORBIDDEN_KEYS.has(name)) {
			continue;
		}
		if (!hasOwn(fields, name)) {
			fields[name] = item.value;
		} else {
			// A repeated field name (a checkbox group sent item by item) becomes one multi-value answer.
			const existing = fields[name];
			fields[name] = [...(Array.isArray(existing) ? existing : [existing]), item.value];
		}
	}

	return { ...data, fields };
}
