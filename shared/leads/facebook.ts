/**
 * Facebook Lead Ads. The webhook carries ids only: the verification handshake (GET with
 * `hub.challenge`), a signed notification (POST, `X-Hub-Signature-256`), and then a Graph API request
 * per `leadgen_id` for the contact data. HTTP and retries belong to the caller; Graph requests go
 * through the injected `graphGet` port.
 */

import { createHmac, timingSafeEqual } from 'node:crypto';

import { LeadInputError } from '../errors';
import type { LoggerPort } from '../ports';
import { parseLeadBody, readDeliveryBody } from './body';
import { idText, isBytes, isRecord, ownValue, scalarText, secretsMatch, toIsoTime } from './common';
import { addAnswer, addEmails, addPhones, applyFullName, finishLead, namedRef, startLead } from './build';
import type { NamedRef, NormalizedLead } from './types';

/** Lead fields requested from the Graph API; campaign fields too, which n8n's own trigger leaves out. */
export const FACEBOOK_LEAD_FIELDS =
	'id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,field_data,is_organic,platform,custom_disclaimer_responses';

export type FacebookVerificationResult = { statusCode: 200; body: string } | { statusCode: 403 };

/**
 * Responds to the subscription handshake: 200 with the raw `hub.challenge` when `hub.mode` is `subscribe`
 * and `hub.verify_token` equals `verifyToken`, else 403. Accepts the parameter names as sent
 * (`hub.mode`), with underscores (`hub_mode`, as PHP-style parsers rename them) and nested (`hub: {mode}`).
 */
export function answerFacebookVerification(query: Record<string, unknown> | undefined, verifyToken: string): FacebookVerificationResult {
	const mode = hubParameter(query, 'mode');
	const token = hubParameter(query, 'verify_token');
	const challenge = hubParameter(query, 'challenge');

	if (verifyToken === '' || mode !== 'subscribe' || token === undefined || challenge === undefined) {
		return { statusCode: 403 };
	}
	return secretsMatch(token, verifyToken) ? { statusCode: 200, body: challenge } : { statusCode: 403 };
}

function hubParameter(query: Record<string, unknown> | undefined, name: string): string | undefined {
	const value = ownValue(query, `hub.${name}`) ?? ownValue(query, `hub_${name}`) ?? ownValue(ownValue(query, 'hub'), name);
	return scalarText(Array.isArray(value) ? value[0] : value);
}

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>`, an HMAC-SHA256 of the raw request bytes keyed with the
 * app secret. The HMAC must be computed over the bytes as received: Meta signs its escaped-unicode
 * JSON, so re-serialized JSON does not match. Returns false for a missing or malformed header.
 */
export function verifyFacebookSignature(rawBody: string | Uint8Array, header: string | string[] | undefined, appSecret: string): boolean {
	const value = Array.isArray(header) ? header[0] : header;
	const match = /^\s*sha256=([0-9a-f]{64})\s*$/i.exec(value ?? '');
	if (!match || appSecret === '') {
		return false;
	}

	const hmac = createHmac('sha256', appSecret);
	if (typeof rawBody === 'string') {
		hmac.update(rawBody, 'utf8');
	} else {
		hmac.update(rawBody);
	}
	return timingSafeEqual(hmac.digest(), Buffer.from(match[1], 'hex'));
}

/** One `leadgen` change of a webhook notification; ids are strings, times ISO 8601 UTC. */
export interface FacebookLeadChange {
	leadgenId: string;
	formId?: string;
	pageId?: string;
	adId?: string;
	adgroupId?: string;
	createdTime?: string;
}

/**
 * Lists the `leadgen` changes of a webhook notification, in order, duplicates included (Meta
 * redelivers; dedup happens later by key). Pass the raw text or bytes where possible: then ids sent
 * as 17-digit JSON numbers keep every digit. Notifications for other objects give an empty list.
 */
export function parseFacebookNotification(body: unknown): FacebookLeadChange[] {
	const parsed = typeof body === 'string' || isBytes(body) ? parseLeadBody(body, 'application/json') : body;
	if (!isRecord(parsed)) {
		throw new LeadInputError('notAnObject', 'The Facebook webhook body is not a JSON object: check that the callback URL points to this webhook.', {
			field: 'body',
		});
	}
	if (parsed.object !== 'page' || !Array.isArray(parsed.entry)) {
		return [];
	}

	const changes: FacebookLeadChange[] = [];
	for (const entry of parsed.entry.filter(isRecord)) {
		for (const change of (Array.isArray(entry.changes) ? entry.changes : []).filter(isRecord)) {
			const value = change.value;
			const leadgenId = isRecord(value) ? idText(value.leadgen_id) : undefined;
			if (change.field !== 'leadgen' || !isRecord(value) || leadgenId === undefined) {
				continue;
			}
			changes.push(
				dropUndefined({
					leadgenId,
					formId: idText(value.form_id),
					pageId: idText(value.page_id) ?? idText(entry.id),
					adId: idText(value.ad_id),
					adgroupId: idText(value.adgroup_id),
					createdTime: toIsoTime(value.created_time),
				}),
			);
		}
	}
	return changes;
}

/** Reads the notification changes of a delivery, preferring the raw text the host kept. */
export function parseFacebookDelivery(delivery: { body: unknown; rawBody?: string | Uint8Array; contentType?: string }): FacebookLeadChange[] {
	return parseFacebookNotification(readDeliveryBody(delivery));
}

/** Sends a Graph API GET for `path` (`/{id}`, no version prefix) with `query`; resolves with the parsed JSON body. The caller adds the host, version and retries. */
export type FacebookGraphGet = (path: string, query: Record<string, string>) => Promise<unknown>;

export interface FacebookFetchOptions {
	graphGet: FacebookGraphGet;
	/** Page (or system user) access token with `leads_retrieval`; sent as `access_token`, never put in errors. */
	accessToken: string;
	/** Receive time of the notification in milliseconds since the Unix epoch. */
	receivedAt: number;
	/** Form and page names by id, kept by the host between deliveries to save Graph calls. */
	nameCache?: Map<string, string>;
	/** Receives a warning when a form or page name cannot be fetched; the lead is built without it. */
	logger?: LoggerPort;
	/** Webhook body, kept as `raw.body`. */
	notification?: unknown;
	contentType?: string;
}

/**
 * Fetches the Graph lead of one change, and the names of its form and page, and normalizes it.
 * A failed lead request rejects with the port's error so that the caller can retry; a failed name
 * request only leaves the name out.
 */
export async function fetchFacebookLead(change: FacebookLeadChange, options: FacebookFetchOptions): Promise<NormalizedLead> {
	const leadgenId = requireNumericId(change.leadgenId, 'leadgen_id');
	const graphLead = await options.graphGet(`/${leadgenId}`, { fields: FACEBOOK_LEAD_FIELDS, access_token: options.accessToken });
	checkGraphResponse(graphLead, `lead ${leadgenId}`, options.accessToken);
	// A body without the lead's id is not a Graph lead: typically a wrong Graph API base URL that
	// reached some other server, which must not pass as an empty lead.
	if (isRecord(graphLead) && idText(graphLead.id) === undefined && !Array.isArray(graphLead.field_data)) {
		throw new LeadInputError(
			'invalidField',
			`The Facebook Graph API response for lead ${leadgenId} has neither id nor field_data: check the Graph API base URL in the credential (https://graph.facebook.com/v21.0)`,
			{ field: 'graph', params: { graphCode: '' } },
		);
	}

	const formId = change.formId ?? (isRecord(graphLead) ? idText(graphLead.form_id) : undefined);
	const [formName, pageName] = await Promise.all([
		fetchObjectName(formId, 'form', options),
		fetchObjectName(change.pageId, 'page', options),
	]);

	return normalizeFacebookGraphLead(graphLead, {
		receivedAt: options.receivedAt,
		change,
		form: { id: formId, name: formName },
		page: { id: change.pageId, name: pageName },
		notification: options.notification,
		contentType: options.contentType,
	});
}

async function fetchObjectName(id: string | undefined, kind: 'form' | 'page', options: FacebookFetchOptions): Promise<string | undefined> {
	if (id === undefined || !/^\d+$/.test(id)) {
		return undefined;
	}
	const cached = options.nameCache?.get(id);
	if (cached !== undefined) {
		return cached;
	}

	try {
		const response = await options.graphGet(`/${id}`, { fields: 'id,name', access_token: options.accessToken });
		checkGraphResponse(response, `${kind} ${id}`, options.accessToken);
		const name = isRecord(response) ? scalarText(response.name) : undefined;
		if (name !== undefined) {
			options.nameCache?.set(id, name);
		}
		return name;
	} catch (error) {
		options.logger?.warn(`Facebook ${kind} name could not be fetched; the lead is kept without it`, {
			[`${kind}Id`]: id,
			error: redact(error instanceof Error ? error.message : String(error), options.accessToken),
		});
		return undefined;
	}
}

/** Throws when a Graph response is an error object instead of data; the token is removed from the message. */
function checkGraphResponse(response: unknown, subject: string, accessToken: string): void {
	const error = isRecord(response) ? response.error : undefined;
	if (isRecord(error)) {
		const message = redact(scalarText(error.message) ?? 'unknown error', accessToken);
		const code = scalarText(error.code) ?? '';
		throw new LeadInputError(
			'invalidField',
			`The Facebook Graph API returned an error for ${subject}: ${message}${code === '' ? '' : ` (code ${code})`}. Code 190 means the access token expired; permission errors mean the token's user lacks leads access in the Leads Access Manager.`,
			{ field: 'graph', params: { graphCode: code } },
		);
	}
	if (!isRecord(response)) {
		throw new LeadInputError('invalidField', `The Facebook Graph API response for ${subject} is not a JSON object: check that the graphGet port resolves with the parsed response body.`, {
			field: 'graph',
		});
	}
}

function redact(text: string, secret: string): string {
	return secret === '' ? text : text.split(secret).join('[access token]');
}

function requireNumericId(value: string | undefined, field: string): string {
	if (value === undefined || !/^\d+$/.test(value)) {
		throw new LeadInputError('invalidField', `The Facebook ${field} is missing or not numeric: only ids from a leadgen notification can be fetched.`, {
			field,
		});
	}
	return value;
}

export interface FacebookLeadExtra {
	/** Receive time in milliseconds since the Unix epoch; defaults to the lead's creation time. */
	receivedAt?: number;
	/** The notification change the lead was fetched for. */
	change?: FacebookLeadChange;
	/** Form id and name, when fetched separately. */
	form?: NamedRef;
	/** Page id and name, when fetched separately. */
	page?: NamedRef;
	/** Webhook body; when given it becomes `raw.body` and the Graph lead `raw.fetched`. */
	notification?: unknown;
	contentType?: string;
}

/**
 * Normalizes a Graph API lead (`GET /{leadgen_id}`). Also accepts the items of n8n's own Facebook Lead
 * Ads trigger, which nest `ad`, `adset`, `form` and `page` and, with "Simplify output", turn
 * `field_data` into a `data` map holding only the first value of each field.
 */
export function normalizeFacebookGraphLead(graphLead: unknown, extra: FacebookLeadExtra = {}): NormalizedLead {
	const parsed = typeof graphLead === 'string' || isBytes(graphLead) ? parseLeadBody(graphLead, 'application/json') : graphLead;
	if (!isRecord(parsed)) {
		throw new LeadInputError('notAnObject', 'The Facebook lead is not a JSON object: pass the Graph API lead or an item of the Facebook Lead Ads trigger.', {
			field: 'lead',
		});
	}

	const leadgenId = idText(parsed.id) ?? extra.change?.leadgenId;
	if (leadgenId === undefined) {
		throw new LeadInputError('missingField', 'The Facebook lead has no id: pass the Graph API lead as returned by GET /{leadgen_id}.', {
			field: 'id',
		});
	}
	const createdAt = toIsoTime(parsed.created_time) ?? extra.change?.createdTime;
	const receivedAt = extra.receivedAt ?? (createdAt === undefined ? undefined : Date.parse(createdAt));
	if (receivedAt === undefined) {
		throw new LeadInputError('missingField', 'The Facebook lead has no created_time and no receive time was given: pass receivedAt.', {
			field: 'receivedAt',
		});
	}

	const lead = startLead('facebook', receivedAt, {
		contentType: extra.contentType,
		body: extra.notification ?? parsed,
		fetched: extra.notification === undefined ? undefined : parsed,
	});
	lead.sourceLeadId = leadgenId;
	lead.dedupKey = `fb:${leadgenId}`;
	lead.createdAt = createdAt;

	readFacebookReferences(lead, parsed, extra);
	readFacebookFields(lead, parsed);
	readFacebookConsents(lead, parsed.custom_disclaimer_responses);
	lead.platform = scalarText(parsed.platform);
	lead.isOrganic = booleanOf(parsed.is_organic);

	return finishLead(lead);
}

function readFacebookReferences(lead: NormalizedLead, parsed: Record<string, unknown>, extra: FacebookLeadExtra): void {
	const nested = (key: string, field: 'id' | 'name'): unknown => ownValue(parsed[key], field);

	lead.campaign = namedRef(parsed.campaign_id ?? nested('campaign', 'id'), parsed.campaign_name ?? nested('campaign', 'name'));
	lead.adGroup = namedRef(
		parsed.adset_id ?? nested('adset', 'id') ?? extra.change?.adgroupId,
		parsed.adset_name ?? nested('adset', 'name'),
	);
	lead.ad = namedRef(parsed.ad_id ?? nested('ad', 'id') ?? extra.change?.adId, parsed.ad_name ?? nested('ad', 'name'));
	lead.form = namedRef(
		parsed.form_id ?? nested('form', 'id') ?? extra.form?.id ?? extra.change?.formId,
		extra.form?.name ?? nested('form', 'name'),
	);
	lead.page = namedRef(extra.page?.id ?? nested('page', 'id') ?? extra.change?.pageId, extra.page?.name ?? nested('page', 'name'));
}

/** Maps `field_data` (or the trigger's `data` map): standard keys to contact fields, every other key to an answer with all its values. */
function readFacebookFields(lead: NormalizedLead, parsed: Record<string, unknown>): void {
	const fields: Array<[string, unknown[]]> = [];
	if (Array.isArray(parsed.field_data)) {
		for (const field of parsed.field_data.filter(isRecord)) {
			const name = scalarText(field.name);
			if (name !== undefined) {
				fields.push([name, Array.isArray(field.values) ? field.values : [field.values]]);
			}
		}
	} else if (isRecord(parsed.data)) {
		for (const [name, value] of Object.entries(parsed.data)) {
			fields.push([name, Array.isArray(value) ? value : [value]]);
		}
	}

	let fullName: string | undefined;
	for (const [name, values] of fields) {
		const key = name.toLowerCase();
		if (key === 'full_name') {
			fullName ??= scalarText(values[0]);
		} else if (key === 'first_name') {
			lead.firstName ??= scalarText(values[0]);
		} else if (key === 'last_name') {
			lead.lastName ??= scalarText(values[0]);
		} else if (key === 'email') {
			addEmails(lead, values, name);
		} else if (key.includes('phone')) {
			// Custom phone questions get keys such as phone_number_(eg.65xxxxxxxx).
			addPhones(lead, values);
		} else if (key === 'city') {
			lead.city ??= scalarText(values[0]);
		} else {
			addAnswer(lead, { key: name, value: values.length === 1 ? values[0] : values });
		}
	}
	applyFullName(lead, fullName);
}

function readFacebookConsents(lead: NormalizedLead, responses: unknown): void {
	if (!Array.isArray(responses)) {
		return;
	}
	const consents = responses.filter(isRecord).flatMap((response) => {
		const key = scalarText(response.checkbox_key) ?? idText(response.id);
		return key === undefined ? [] : [{ key, checked: booleanOf(response.is_checked) === true }];
	});
	if (consents.length > 0) {
		lead.consents = consents;
	}
}

/** Reads the loose booleans of the Graph API: true/false, "1"/"0", "true"/"false". */
function booleanOf(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') {
		return value;
	}
	const text = scalarText(value)?.toLowerCase();
	if (text === '1' || text === 'true') {
		return true;
	}
	if (text === '0' || text === 'false') {
		return false;
	}
	return undefined;
}

function dropUndefined<T extends object>(value: T): T {
	for (const key of Object.keys(value) as Array<keyof T>) {
		if (value[key] === undefined) {
			delete value[key];
		}
	}
	return value;
}
