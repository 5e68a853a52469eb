/**
 * Tilda form submissions. The classic webhook posts `application/x-www-form-urlencoded`; marketplace
 * integrations post JSON with an API key in a header or a body field. Right after the webhook URL is
 * saved, Tilda posts `test=test` and expects 200 within 5 seconds.
 */

import { LeadInputError } from '../errors';
import { parseJsonLossless, readDeliveryBody } from './body';
import { bearerToken, canonicalJson, headerValue, isRecord, ownValue, scalarText, secretsMatch, sha256Hex, withoutKeys } from './common';
import { addAnswer, addEmails, addPhones, applyFullName, finishLead, startLead } from './build';
import { flattenEntries, formatPath } from './paths';
import {
	clickIdKeyOf,
	emptyTracking,
	mergeTracking,
	type Tracking,
	trackingFromCookies,
	trackingFromPairs,
	trackingFromUrl,
	utmFieldOf,
} from './tracking';
import type { LeadDelivery, LeadOrder, NormalizedLead } from './types';

export interface TildaOptions {
	/** API key expected in the `X-API-Key`, `Api-Key` or `Authorization: Bearer` header, or in an `X-API-Key`, `api_key` or `apikey` body field. */
	apiKey?: string;
	/** Token expected in the `token` query parameter of the webhook URL. */
	urlToken?: string;
}

/** Body fields that may carry the API key; matched case-insensitively and never copied into answers. */
const API_KEY_FIELDS: ReadonlySet<string> = new Set(['x-api-key', 'api_key', 'apikey', 'api-key']);

/** Technical fields Tilda adds to every submission; they are mapped or dropped, never copied into answers. */
const TECHNICAL_FIELDS: ReadonlySet<string> = new Set(['tranid', 'formid', 'formname', 'cookies', 'test', 'payment', 'pageid', 'projectid']);

const PAGE_URL_FIELDS: ReadonlySet<string> = new Set(['referer', 'referrer', 'page_url', 'pageurl']);

type StandardField = 'name' | 'phone' | 'email' | 'comment' | 'city';

/** Standard field names as authors rename them in the form block settings, English and Russian. */
const STANDARD_FIELDS: ReadonlyArray<[StandardField, RegExp]> = [
	['name', /^(?:name|имя|фио|fio|full_?name)$/],
	['phone', /^(?:phone|телефон|tel|phone_?number)$/],
	['email', /^(?:e-?mail|почта)$/],
	['comment', /^(?:comments?|комментари[йи]|message|сообщение)$/],
	['city', /^(?:city|город)$/],
];

/** Rejects the delivery unless it carries the configured URL token and API key. Messages never contain either value. */
export function checkTildaSecrets(delivery: LeadDelivery, body: Record<string, unknown>, options: TildaOptions): void {
	if (options.urlToken !== undefined && options.urlToken !== '') {
		const token = firstText(ownValue(delivery.query, 'token'));
		if (token === undefined || !secretsMatch(token, options.urlToken)) {
			throw new LeadInputError(
				'badSecret',
				'The Tilda webhook was called without the token query parameter or with a wrong token: copy the full webhook URL, including ?token=, from this node into the Tilda webhook settings.',
				{ field: 'token' },
			);
		}
	}

	if (options.apiKey !== undefined && options.apiKey !== '') {
		const presented = [
			headerValue(delivery.headers, 'x-api-key'),
			headerValue(delivery.headers, 'api-key'),
			bearerToken(headerValue(delivery.headers, 'authorization')),
			...Object.keys(body)
				.filter((key) => API_KEY_FIELDS.has(key.toLowerCase()))
				.map((key) => firstText(body[key])),
		].filter((value): value is string => value !== undefined && value !== '');
		const expected = options.apiKey;
		if (!presented.some((value) => secretsMatch(value, expected))) {
			throw new LeadInputError(
				'badSecret',
				'The Tilda request has no API key or a wrong one (looked in the X-API-Key, Api-Key and Authorization headers and in the X-API-Key, api_key and apikey fields): enter the same API key in the Tilda integration and in this node.',
				{ field: 'apiKey' },
			);
		}
	}
}

/**
 * Normalizes one Tilda delivery. The `test=test` ping gives a lead with `isTest: true` and the dedup
 * key `tilda:test`; hosts answer it with 200 and create nothing.
 */
export function normalizeTildaLead(delivery: LeadDelivery, options: TildaOptions = {}): NormalizedLead {
	const receivedBody = readTildaBody(delivery);
	checkTildaSecrets(delivery, receivedBody, options);

	// The API key and the URL token are secrets: they stay out of `raw.body`, answers and the content
	// hash. A GET delivery carries its fields in the query, next to the token.
	const tokenInBody = options.urlToken !== undefined && options.urlToken !== '';
	const body = withoutKeys(receivedBody, (key) => API_KEY_FIELDS.has(key.toLowerCase()) || (tokenInBody && key === 'token'));
	const lead = startLead('tilda', delivery.receivedAt, { contentType: delivery.contentType, body });
	// Tilda's technical field names change case between integrations (tranid, TRANID, FORMNAME).
	const keysByLowerCase = new Map<string, string>();
	for (const key of Object.keys(body)) {
		if (!keysByLowerCase.has(key.toLowerCase())) {
			keysByLowerCase.set(key.toLowerCase(), key);
		}
	}
	const field = (lowerCaseName: string): unknown => {
		const key = keysByLowerCase.get(lowerCaseName);
		return key === undefined ? undefined : body[key];
	};

	const tranid = firstText(field('tranid'));
	if (tranid === undefined && firstText(field('test'))?.toLowerCase() === 'test') {
		lead.isTest = true;
		lead.dedupKey = 'tilda:test';
		return finishLead(lead);
	}

	lead.sourceLeadId = tranid;
	lead.dedupKey = `tilda:${tranid ?? sha256Hex(canonicalJson(body))}`;
	lead.form = { id: firstText(field('formid')), name: firstText(field('formname')) };
	lead.page = { id: firstText(field('pageid')) };

	const tracking = emptyTracking();
	const filledFields = new Set<StandardField>();
	for (const key of Object.keys(body)) {
		readTildaField(lead, key, body[key], filledFields, tracking);
	}

	if (field('payment') !== undefined) {
		readTildaPayment(lead, field('payment'));
	}

	// Body fields win over the TILDAUTM cookie, which wins over the page URL and the Referer header.
	mergeTracking(tracking, trackingFromCookies(firstText(field('cookies'))));
	mergeTracking(tracking, trackingFromUrl(lead.page.url));
	mergeTracking(tracking, trackingFromUrl(headerValue(delivery.headers, 'referer')));
	lead.utm = tracking.utm;
	lead.clickIds = tracking.clickIds;

	return finishLead(lead);
}

function readTildaBody(delivery: LeadDelivery): Record<string, unknown> {
	const body = readDeliveryBody(delivery);
	if (body === undefined) {
		throw new LeadInputError('emptyBody', 'The Tilda request has an empty body: check that the form sends its data to this webhook.', {
			field: 'body',
		});
	}
	if (!isRecord(body)) {
		throw new LeadInputError(
			'notAnObject',
			'The Tilda request body is not a set of form fields: Tilda sends application/x-www-form-urlencoded or a JSON object; check the webhook settings.',
			{ field: 'body' },
		);
	}
	return body;
}

function readTildaField(
	lead: NormalizedLead,
	key: string,
	value: unknown,
	filledFields: Set<StandardField>,
	tracking: Tracking,
): void {
	const lower = key.toLowerCase();
	if (TECHNICAL_FIELDS.has(lower)) {
		return;
	}
	if (utmFieldOf(key) !== undefined || clickIdKeyOf(key) !== undefined) {
		mergeTracking(tracking, trackingFromPairs([[key, value]]));
		return;
	}
	if (PAGE_URL_FIELDS.has(lower) && lead.page?.url === undefined) {
		lead.page = { ...lead.page, url: firstText(value) };
		return;
	}

	const standard = STANDARD_FIELDS.find(([, pattern]) => pattern.test(lower))?.[0];
	if (standard === 'phone') {
		addPhones(lead, value);
		return;
	}
	if (standard === 'email') {
		addEmails(lead, value, key);
		return;
	}
	if (standard !== undefined && !filledFields.has(standard) && firstText(value) !== undefined) {
		filledFields.add(standard);
		if (standard === 'name') {
			applyFullName(lead, firstText(value));
		} else if (standard === 'comment') {
			lead.comment = allTexts(value).join('\n');
		} else {
			lead.city = firstText(value);
		}
		return;
	}

	// Repeated keys and `name[]` keys arrive as arrays; `; `-joined strings stay as sent.
	for (const entry of flattenEntries(value, [key])) {
		addAnswer(lead, { key: formatPath(entry.segments), value: entry.value });
	}
}

/**
 * Reads a cart order. Tilda sends `payment` as a JSON string inside urlencoded bodies and as an object
 * in JSON deliveries. `orderid`, `amount` and `products` fill `order`; other payment fields (delivery,
 * promo code) become answers named `payment.<field>`. A string that is not JSON stays an answer.
 */
function readTildaPayment(lead: NormalizedLead, value: unknown): void {
	let payment: unknown = value;
	if (typeof value === 'string') {
		try {
			payment = parseJsonLossless(value);
		} catch {
			addAnswer(lead, { key: 'payment', value });
			return;
		}
	}
	if (!isRecord(payment)) {
		addAnswer(lead, { key: 'payment', value: typeof value === 'string' ? value : JSON.stringify(value) });
		return;
	}

	const order: LeadOrder = {};
	for (const key of Object.keys(payment)) {
		const lower = key.toLowerCase();
		const amount = lower === 'amount' ? Number(scalarText(payment[key])) : Number.NaN;
		if (lower === 'orderid') {
			order.id = scalarText(payment[key]);
		} else if (Number.isFinite(amount)) {
			order.amount = amount;
		} else if (lower === 'products' && Array.isArray(payment[key])) {
			order.products = payment[key] as unknown[];
		} else {
			for (const entry of flattenEntries(payment[key], ['payment', key])) {
				addAnswer(lead, { key: formatPath(entry.segments), value: entry.value });
			}
		}
	}
	lead.order = order;
}

function allTexts(value: unknown): string[] {
	const values = Array.isArray(value) ? value : [value];
	return values.map((item) => scalarText(item)).filter((item): item is string => item !== undefined);
}

function firstText(value: unknown): string | undefined {
	return allTexts(value)[0];
}
