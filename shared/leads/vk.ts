/**
 * VK community lead forms: the Callback API push (`lead_forms_new` events) and the
 * `leadForms.getLeads` polling response.
 *
 * The Callback API expects the exact confirmation string as plain text for `confirmation` requests
 * and exactly `ok` for everything else. VK resends the event after any other reply.
 */

import { ConfigurationError, LeadInputError } from '../errors';
import { parseLeadBody } from './body';
import { idText, isBytes, isRecord, scalarText, secretsMatch, toIsoTime, withoutKeys } from './common';
import { addAnswer, addEmails, addPhones, answerValue, finishLead, namedRef, startLead } from './build';
import type { NormalizedLead } from './types';

export interface VkCallbackOptions {
	/** Confirmation string of a single community, from the Callback API server settings. */
	confirmationCode?: string;
	/** Confirmation strings by community id (`group_id`), for one endpoint serving several communities; wins over `confirmationCode`. */
	confirmationCodes?: Record<string, string>;
	/** Secret key of the Callback API server; when set, every request must carry it in the `secret` field. */
	secret?: string;
	/** Receive time in milliseconds since the Unix epoch. */
	receivedAt: number;
	contentType?: string;
}

export type VkCallbackResult =
	| { kind: 'confirmation'; reply: string; groupId: string }
	| { kind: 'lead'; lead: NormalizedLead; reply: 'ok'; eventId?: string }
	| { kind: 'ignored'; reply: 'ok'; eventType?: string; eventId?: string };

export interface VkLeadOptions {
	/** Receive time in milliseconds since the Unix epoch. */
	receivedAt: number;
	contentType?: string;
	/** Secret key of the Callback API server, checked when set. */
	secret?: string;
}

/**
 * Handles one Callback API request. It checks the secret first, because VK sends the secret with the
 * confirmation request too. It returns the community's confirmation string for `confirmation`, a lead
 * for `lead_forms_new` and the reply `ok` for every other event type.
 *
 * Redeliveries repeat `event_id` and `lead_id`, so they get the same dedup key `vk:{group_id}:{lead_id}`.
 * `eventId` is returned for hosts that also keep a set of seen events.
 */
export function handleVkCallback(body: unknown, options: VkCallbackOptions): VkCallbackResult {
	const event = readVkEvent(body, options.contentType);
	checkVkSecret(event, options.secret);

	if (typeof event.type !== 'string' || event.type.trim() === '') {
		throw new LeadInputError('missingField', 'The request has no VK event type (field "type"): it did not come from the VK Callback API, so it was refused.', {
			field: 'type',
		});
	}
	const type = event.type;
	const eventId = scalarText(event.event_id);

	if (type === 'confirmation') {
		const groupId = idText(event.group_id) ?? '';
		const reply = options.confirmationCodes?.[groupId] ?? options.confirmationCode;
		if (reply === undefined || reply.trim() === '') {
			throw new ConfigurationError(
				'missingConfirmationCode',
				`No VK confirmation code is set for community ${groupId || '(no group_id in the request)'}: copy the string from Community management → Settings → Working with API → Callback API into this node.`,
				{ groupId },
			);
		}
		return { kind: 'confirmation', reply: reply.trim(), groupId };
	}

	if (type === 'lead_forms_new') {
		return { kind: 'lead', lead: buildVkEventLead(event, options), reply: 'ok', eventId };
	}

	return { kind: 'ignored', reply: 'ok', eventType: type, eventId };
}

/** Normalizes a `lead_forms_new` Callback API body; confirmation and other events are rejected. */
export function normalizeVkLeadEvent(body: unknown, options: VkLeadOptions): NormalizedLead {
	const event = readVkEvent(body, options.contentType);
	checkVkSecret(event, options.secret);

	const type = scalarText(event.type);
	if (type !== 'lead_forms_new') {
		throw new LeadInputError(
			'invalidField',
			`The VK event type is "${type ?? '(missing)'}", not lead_forms_new: only lead form events carry a lead; handle confirmation requests with handleVkCallback.`,
			{ field: 'type', params: { type: type ?? '' } },
		);
	}
	return buildVkEventLead(event, options);
}

function readVkEvent(body: unknown, contentType: string | undefined): Record<string, unknown> {
	const parsed = typeof body === 'string' || isBytes(body) ? parseLeadBody(body, contentType ?? 'application/json') : body;
	if (!isRecord(parsed)) {
		throw new LeadInputError(
			'notAnObject',
			'The VK Callback API request body is not a JSON object: check that the Callback API server URL points to this webhook.',
			{ field: 'body' },
		);
	}
	return parsed;
}

function checkVkSecret(event: Record<string, unknown>, secret: string | undefined): void {
	if (secret === undefined || secret === '') {
		return;
	}
	const received = scalarText(event.secret);
	if (received === undefined || !secretsMatch(received, secret)) {
		throw new LeadInputError(
			'badSecret',
			'The VK Callback API request has no secret or a wrong one: copy the secret key from Community management → Settings → Working with API → Callback API into this node.',
			{ field: 'secret' },
		);
	}
}

function buildVkEventLead(event: Record<string, unknown>, options: { receivedAt: number; contentType?: string }): NormalizedLead {
	const object = event.object;
	if (!isRecord(object)) {
		throw new LeadInputError('missingField', 'The VK lead_forms_new event has no object field: the request is not a complete lead event.', {
			field: 'object',
		});
	}

	if (object.answers !== undefined && object.answers !== null && !Array.isArray(object.answers)) {
		throw new LeadInputError('invalidField', 'The VK lead_forms_new event has answers that are not a list: the request is not a complete lead event.', {
			field: 'object.answers',
		});
	}

	const groupId = idText(object.group_id) ?? idText(event.group_id);
	const leadId = requireId(object.lead_id, 'object.lead_id');
	if (groupId === undefined) {
		throw new LeadInputError('missingField', 'The VK lead_forms_new event has no group_id: the request is not a complete lead event.', {
			field: 'group_id',
		});
	}

	// The secret is left out of `raw.body`, which hosts pass on to later workflow steps.
	const lead = startLead('vk', options.receivedAt, { contentType: options.contentType, body: withoutKeys(event, (key) => key === 'secret') });
	fillVkLead(lead, object, groupId, leadId);
	return finishLead(lead);
}

export interface VkPolledLeadOptions {
	/** Community id the form belongs to; `leadForms.getLeads` items do not repeat it. */
	groupId: string | number;
	formId?: string | number;
	formName?: string;
	/** Receive time in milliseconds since the Unix epoch. */
	receivedAt: number;
}

export interface VkLeadsPage {
	/** Raw lead items of the response. */
	items: Array<Record<string, unknown>>;
	/** Token for the next page; absent on the last page. */
	nextPageToken?: string;
}

/** Reads a `leadForms.getLeads` response (`{ response: { leads, next_page_token } }` or the inner object). */
export function parseVkLeadsPage(body: unknown): VkLeadsPage {
	const parsed = typeof body === 'string' || isBytes(body) ? parseLeadBody(body, 'application/json') : body;
	if (isRecord(parsed) && isRecord(parsed.error)) {
		const message = scalarText(parsed.error.error_msg) ?? 'unknown error';
		throw new LeadInputError('invalidField', `VK leadForms.getLeads returned an error: ${message}. Check the token's groups scope and the form id.`, {
			field: 'error',
			params: { vkError: message },
		});
	}

	const response = isRecord(parsed) && isRecord(parsed.response) ? parsed.response : parsed;
	if (!isRecord(response) || !Array.isArray(response.leads)) {
		throw new LeadInputError('missingField', 'The VK leadForms.getLeads response has no leads list: check that the request called leadForms.getLeads.', {
			field: 'response.leads',
		});
	}

	return {
		items: response.leads.filter(isRecord),
		nextPageToken: scalarText(response.next_page_token),
	};
}

/** Normalizes one lead of a `leadForms.getLeads` response; answers may be `{value}`, `{key, value}` or an array of those. */
export function normalizeVkPolledLead(item: Record<string, unknown>, options: VkPolledLeadOptions): NormalizedLead {
	const groupId = requireId(options.groupId, 'groupId');
	const leadId = requireId(item.lead_id, 'lead_id');

	const lead = startLead('vk', options.receivedAt, { body: item });
	fillVkLead(lead, { ...item, form_id: item.form_id ?? options.formId, form_name: item.form_name ?? options.formName }, groupId, leadId);
	lead.createdAt = toIsoTime(item.date);
	return finishLead(lead);
}

function requireId(value: unknown, field: string): string {
	const id = idText(value);
	if (id === undefined) {
		throw new LeadInputError('missingField', `The VK lead has no ${field}: a lead id is needed to detect duplicates.`, { field });
	}
	return id;
}

function fillVkLead(lead: NormalizedLead, object: Record<string, unknown>, groupId: string, leadId: string): void {
	lead.sourceLeadId = leadId;
	lead.dedupKey = `vk:${groupId}:${leadId}`;
	lead.form = namedRef(object.form_id, object.form_name);
	lead.ad = namedRef(object.ad_id, undefined);
	lead.page = { id: groupId, url: `https://vk.com/club${groupId}` };

	const userId = idText(object.user_id);
	if (userId !== undefined) {
		lead.extraContacts = { vkUserId: userId, vkDialogUrl: `https://vk.com/gim${groupId}?sel=${userId}` };
	}

	const answers = Array.isArray(object.answers) ? object.answers.filter(isRecord) : [];
	for (const answer of answers) {
		applyVkAnswer(lead, answer);
	}
}

/** Reads the value of one VK answer: a string (Callback API), `{value}`, `{key, value}` or an array of those (getLeads). */
export function vkAnswerValue(answer: unknown): string | string[] | undefined {
	if (Array.isArray(answer)) {
		return answerValue(answer.map((item) => (isRecord(item) ? item.value : item)));
	}
	if (isRecord(answer)) {
		return answerValue(answer.value);
	}
	return answerValue(answer);
}

function applyVkAnswer(lead: NormalizedLead, answer: Record<string, unknown>): void {
	const key = scalarText(answer.key) ?? '';
	const label = scalarText(answer.question);
	const value = vkAnswerValue(answer.answer);
	if (value === undefined) {
		return;
	}
	const text = Array.isArray(value) ? value.join(', ') : value;

	switch (key) {
		case 'first_name':
			lead.firstName = text;
			break;
		case 'patronymic_name':
			lead.middleName = text;
			break;
		case 'last_name':
			lead.lastName = text;
			break;
		case 'phone_number':
			addPhones(lead, value);
			break;
		case 'email':
			addEmails(lead, value, key);
			break;
		case 'location':
			lead.city = text;
			break;
		default:
			addAnswer(lead, { key: key === '' ? (label ?? 'answer') : key, label, value });
	}
}
