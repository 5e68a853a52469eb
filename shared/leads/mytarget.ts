/**
 * myTarget lead forms (Odnoklassniki lead ads), read by polling
 * `GET /api/v2/ok/lead_ads/{form_id}.json`, which returns pages of `{ count, items, limit, offset }`.
 * No push delivery is known for these forms, so polling is the only way to get them. The polling loop
 * lives in the hosts. This module provides page parsing, lead normalization and the selection of new
 * leads.
 */

import { LeadInputError } from '../errors';
import { parseLeadBody } from './body';
import { idText, isBytes, isRecord, scalarText, toIsoTime } from './common';
import { addAnswer, addEmails, addPhones, applyFullName, finishLead, namedRef, startLead } from './build';
import type { NormalizedLead } from './types';

/**
 * Offset of Moscow time from UTC in minutes (UTC+3, no daylight saving since 2014).
 * NOTE: the zone of `created_time` is not documented; Moscow time is an assumption, which the
 * `timeZoneOffsetMinutes` option overrides.
 */
export const MOSCOW_OFFSET_MINUTES = 180;

export interface MyTargetLeadOptions {
	/** Receive time in milliseconds since the Unix epoch. */
	receivedAt: number;
	/** Minutes east of UTC in which `created_time` is written; default Moscow time (180). */
	timeZoneOffsetMinutes?: number;
	contentType?: string;
}

export interface MyTargetPage {
	items: Array<Record<string, unknown>>;
	/** Total number of leads matching the request filters, over all pages. */
	count: number;
	limit: number;
	offset: number;
}

/** Reads a lead list page; accepts the parsed object, JSON text or bytes. */
export function parseMyTargetPage(body: unknown): MyTargetPage {
	const parsed = typeof body === 'string' || isBytes(body) ? parseLeadBody(body, 'application/json') : body;
	if (!isRecord(parsed) || !Array.isArray(parsed.items)) {
		throw new LeadInputError(
			'missingField',
			'The myTarget response has no items list: check that the request went to /api/v2/ok/lead_ads/{form_id}.json.',
			{ field: 'items' },
		);
	}

	const items = parsed.items.filter(isRecord);
	const number = (value: unknown, fallback: number): number => {
		const converted = Number(scalarText(value));
		return Number.isFinite(converted) ? converted : fallback;
	};
	return {
		items,
		count: number(parsed.count, items.length),
		limit: number(parsed.limit, items.length),
		offset: number(parsed.offset, 0),
	};
}

/** Offset of the page after `page`, or undefined when `page` is the last one. */
export function nextMyTargetOffset(page: MyTargetPage): number | undefined {
	const next = page.offset + page.items.length;
	return page.items.length > 0 && next < page.count ? next : undefined;
}

/**
 * Formats a time for the `_created_time__gte` filter: `YYYY-MM-DD hh:mm:ss` in the zone of
 * `created_time`, which is Moscow time unless `timeZoneOffsetMinutes` is given.
 */
export function formatMyTargetTime(epochMilliseconds: number, timeZoneOffsetMinutes = MOSCOW_OFFSET_MINUTES): string {
	const shifted = new Date(epochMilliseconds + timeZoneOffsetMinutes * 60_000).toISOString();
	return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}

/** Returns the dedup key of a lead item, `mt:{form_id}:{id}`. */
export function myTargetDedupKey(item: Record<string, unknown>): string {
	return `mt:${requireId(item.form_id, 'form_id')}:${requireId(item.id, 'id')}`;
}

/**
 * Returns the leads of a page whose dedup keys are not in `seen`, in page order, together with their
 * keys. A lead repeated inside the page is returned once. Polling windows overlap on purpose, so the
 * same lead arrives on several pages and is filtered here.
 */
export function selectNewMyTargetLeads(
	page: MyTargetPage,
	seen: ReadonlySet<string> | ((dedupKey: string) => boolean),
	options: MyTargetLeadOptions,
): { leads: NormalizedLead[]; keys: string[] } {
	const isSeen = typeof seen === 'function' ? seen : (key: string) => seen.has(key);
	const leads: NormalizedLead[] = [];
	const keys: string[] = [];

	for (const item of page.items) {
		const key = myTargetDedupKey(item);
		if (isSeen(key) || keys.includes(key)) {
			continue;
		}
		keys.push(key);
		leads.push(normalizeMyTargetLead(item, options));
	}

	return { leads, keys };
}

/** Normalizes one lead item of a myTarget lead list. */
export function normalizeMyTargetLead(item: unknown, options: MyTargetLeadOptions): NormalizedLead {
	const parsed = typeof item === 'string' || isBytes(item) ? parseLeadBody(item, 'application/json') : item;
	if (!isRecord(parsed)) {
		throw new LeadInputError('notAnObject', 'The myTarget lead is not a JSON object: pass one element of the items list.', {
			field: 'item',
		});
	}

	const lead = startLead('mytarget', options.receivedAt, { contentType: options.contentType, body: parsed });
	lead.dedupKey = myTargetDedupKey(parsed);
	lead.sourceLeadId = idText(parsed.id);
	lead.createdAt = toIsoTime(parsed.created_time, options.timeZoneOffsetMinutes ?? MOSCOW_OFFSET_MINUTES);
	lead.form = namedRef(parsed.form_id, parsed.form_name);
	lead.campaign = namedRef(parsed.campaign_id, undefined);
	lead.ad = namedRef(parsed.banner_id, undefined);

	applyFullName(lead, parsed.user_fullname);
	addPhones(lead, parsed.user_phone);
	addEmails(lead, parsed.user_email, 'user_email');
	lead.city = scalarText(parsed.user_geo);

	addAnswer(lead, { key: 'user_birthday', value: parsed.user_birthday });
	// "unknown" is what the API sends when the user's profile has no sex; it carries no information.
	const sex = scalarText(parsed.user_sex);
	if (sex !== undefined && sex !== 'unknown') {
		addAnswer(lead, { key: 'user_sex', value: sex });
	}
	for (const question of Array.isArray(parsed.user_questions) ? parsed.user_questions : []) {
		readQuestion(lead, question);
	}

	return finishLead(lead);
}

/** Reads one custom question, sent as a `[question, answer]` pair. */
function readQuestion(lead: NormalizedLead, question: unknown): void {
	if (Array.isArray(question) && question.length >= 2) {
		const text = scalarText(question[0]);
		if (text !== undefined) {
			addAnswer(lead, { key: text, value: question.length === 2 ? question[1] : question.slice(1) });
		}
	} else if (isRecord(question)) {
		const text = scalarText(question.question) ?? scalarText(question.name);
		if (text !== undefined) {
			addAnswer(lead, { key: text, value: question.answer ?? question.value });
		}
	}
}

function requireId(value: unknown, field: string): string {
	const id = idText(value);
	if (id === undefined) {
		throw new LeadInputError('missingField', `The myTarget lead has no ${field}: a lead id and form id are needed to detect duplicates.`, {
			field,
		});
	}
	return id;
}
