/**
 * Mapping of a normalized lead to WEEEK fields, used while a node keeps its lead defaults: the
 * contact's fields, the deal title, the deal description and the amount.
 */
import { ConfigurationError } from '../../../shared/errors';
import type { NormalizedLead } from '../../../shared/leads/types';
import type { ContactInput } from '../../../shared/weeek/client';
import { translate } from './i18n';
import type { NodeAPI } from './nodeRed';

/** WEEEK cuts titles and names at 255 characters; longer values fail validation. */
const MAX_TEXT_LENGTH = 255;

const SOURCE_LABELS: Record<string, string> = {
	tilda: 'Tilda',
	facebook: 'Facebook',
	vk: 'VK',
	mytarget: 'myTarget',
	platformalp: 'PlatformaLP',
	generic: 'Webhook',
};

/** Checks whether `value` has the shape of a lead from the `weeek-lead` node. */
export function isNormalizedLead(value: unknown): value is NormalizedLead {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const lead = value as Partial<NormalizedLead>;
	return typeof lead.source === 'string' && Array.isArray(lead.phones) && Array.isArray(lead.emails);
}

/** Returns the lead in `msg.payload`, or throws a setup error that says where a lead is expected. */
export function requireLead(value: unknown, nodeLabel: string): NormalizedLead {
	if (isNormalizedLead(value)) return value;
	throw new ConfigurationError(
		'notALead',
		`${nodeLabel} expected a lead in msg.payload (put a WEEEK Lead node before it) or fields set in the node`,
		{ node: nodeLabel },
	);
}

/**
 * Contact fields of a lead. WEEEK requires a first name, so a lead without any name is filed under
 * its first phone or e-mail, which is what a sales manager would type in by hand.
 */
export function contactFromLead(lead: NormalizedLead): ContactInput {
	const firstName = lead.firstName ?? lead.name ?? lead.phones[0] ?? lead.emails[0];
	if (firstName === undefined || firstName.trim() === '') {
		throw new ConfigurationError(
			'leadWithoutContact',
			'The lead has no name, phone or e-mail, so WEEEK cannot get a contact for it: check the form fields the source sends',
		);
	}

	return {
		firstName: clip(firstName),
		lastName: lead.firstName === undefined ? undefined : optionalClip(lead.lastName),
		middleName: lead.firstName === undefined ? undefined : optionalClip(lead.middleName),
		emails: lead.emails.length > 0 ? lead.emails : undefined,
		phones: lead.phones.length > 0 ? lead.phones : undefined,
	};
}

/** Builds a deal title such as "Иван Тестов — Заявка на консультацию", or "+79990001234 — Tilda" without a form name. */
export function dealTitleFromLead(lead: NormalizedLead): string {
	const person = lead.name ?? joinName(lead) ?? lead.phones[0] ?? lead.emails[0];
	const origin = lead.form?.name ?? SOURCE_LABELS[lead.source] ?? lead.source;
	return clip(person === undefined ? origin : `${person} — ${origin}`);
}

/** Returns the amount of a cart order in the lead, when the source sent one. */
export function amountFromLead(lead: NormalizedLead): number | undefined {
	const amount = lead.order?.amount;
	return typeof amount === 'number' && Number.isFinite(amount) ? amount : undefined;
}

/** Builds a plain-text summary of the lead for the deal description: contacts, comment, form, other form fields, UTM. */
export function dealDescriptionFromLead(RED: NodeAPI, lead: NormalizedLead): string {
	const label = (key: string, fallback: string): string => translate(RED, `weeek-deal.summary.${key}`, {}, fallback);
	const lines: string[] = [];
	const add = (key: string, fallback: string, value: string | undefined): void => {
		if (value !== undefined && value !== '') lines.push(`${label(key, fallback)}: ${value}`);
	};

	add('source', 'Source', SOURCE_LABELS[lead.source] ?? lead.source);
	add('form', 'Form', lead.form?.name ?? lead.form?.id);
	add('page', 'Page', lead.page?.url ?? lead.page?.name);
	add('leadId', 'Lead ID', lead.sourceLeadId);
	add('phones', 'Phones', lead.phones.join(', '));
	add('emails', 'E-mails', lead.emails.join(', '));
	add('city', 'City', lead.city);
	add('comment', 'Comment', lead.comment);

	for (const answer of lead.answers) {
		const value = Array.isArray(answer.value) ? answer.value.join(', ') : answer.value;
		if (value !== '') lines.push(`${answer.label ?? answer.key}: ${value}`);
	}

	const utm = Object.entries(lead.utm)
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([key, value]) => `utm_${key}=${String(value)}`)
		.join(', ');
	add('utm', 'UTM', utm);
	add('receivedAt', 'Received', lead.receivedAt);

	return lines.join('\n');
}

/** Reads an amount typed or mapped as "150 000,50", 150000 or "1500.5"; empty means no amount. */
export function parseAmount(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw invalidAmount(String(value));
		return value;
	}

	const text = String(value).replace(/[\s\u00a0]/g, '').replace(',', '.');
	if (text === '') return undefined;
	const amount = Number(text);
	if (!Number.isFinite(amount)) throw invalidAmount(String(value));
	return amount;
}

function invalidAmount(value: string): ConfigurationError {
	return new ConfigurationError(
		'invalidAmount',
		`The amount '${value}' is not a number: use digits such as 150000 or 1500.50`,
		{ value },
	);
}

function joinName(lead: NormalizedLead): string | undefined {
	const parts = [lead.firstName, lead.middleName, lead.lastName].filter((part): part is string => part !== undefined && part !== '');
	return parts.length > 0 ? parts.join(' ') : undefined;
}

function clip(text: string): string {
	const trimmed = text.trim();
	return trimmed.length > MAX_TEXT_LENGTH ? trimmed.slice(0, MAX_TEXT_LENGTH) : trimmed;
}

function optionalClip(text: string | undefined): string | undefined {
	return text === undefined || text.trim() === '' ? undefined : clip(text);
}
