/**
 * Building blocks every source normalizer uses to assemble a `NormalizedLead`, so that defaults
 * (`utm: {}`, `answers: []`), phone and e-mail handling and the final clean-up are the same everywhere.
 */

import { LeadInputError } from '../errors';
import { idText, isRecord, scalarText } from './common';
import { normalizeEmailList } from './email';
import { joinNameParts, splitFullName } from './names';
import { mergePhoneLists, normalizePhones } from './phone';
import type { LeadAnswer, LeadSource, NormalizedLead } from './types';

/** Converts the receive time in milliseconds since the Unix epoch to ISO 8601 UTC. */
export function receivedAtIso(receivedAt: unknown): string {
	if (typeof receivedAt !== 'number' || !Number.isFinite(receivedAt)) {
		throw new LeadInputError(
			'invalidField',
			'The receive time of the lead is missing or not a number: pass receivedAt as milliseconds since the Unix epoch.',
			{ field: 'receivedAt' },
		);
	}
	return new Date(receivedAt).toISOString();
}

/** Starts a lead with every required field set to its empty value. */
export function startLead(
	source: LeadSource,
	receivedAt: number,
	raw: { contentType?: string; body: unknown; fetched?: unknown },
): NormalizedLead {
	const lead: NormalizedLead = {
		source,
		dedupKey: '',
		isTest: false,
		receivedAt: receivedAtIso(receivedAt),
		phones: [],
		phonesRaw: [],
		emails: [],
		utm: {},
		answers: [],
		raw: { body: raw.body },
	};
	if (raw.contentType !== undefined) {
		lead.raw.contentType = raw.contentType;
	}
	if (raw.fetched !== undefined) {
		lead.raw.fetched = raw.fetched;
	}
	return lead;
}

export function addPhones(lead: NormalizedLead, values: unknown): void {
	mergePhoneLists(lead, normalizePhones(values));
}

/** Adds e-mail values; values that do not look like an address are kept as an answer under `key`. */
export function addEmails(lead: NormalizedLead, values: unknown, key: string): void {
	const { emails, rejected } = normalizeEmailList(values);
	for (const email of emails) {
		if (!lead.emails.includes(email)) {
			lead.emails.push(email);
		}
	}
	if (rejected.length > 0) {
		addAnswer(lead, { key, value: rejected.length === 1 ? rejected[0] : rejected });
	}
}

/** Sets `name` and, where the split is unambiguous, the name parts that are still empty. */
export function applyFullName(lead: NormalizedLead, fullName: unknown): void {
	const parts = splitFullName(scalarText(fullName));
	if (parts.name === undefined) {
		return;
	}
	lead.name ??= parts.name;
	if (lead.firstName === undefined && lead.lastName === undefined && lead.middleName === undefined) {
		lead.firstName = parts.firstName;
		lead.lastName = parts.lastName;
		lead.middleName = parts.middleName;
	}
}

/** Converts an answer value to the `string | string[]` form; returns undefined for empty values. */
export function answerValue(value: unknown): string | string[] | undefined {
	if (Array.isArray(value)) {
		const items = value.flatMap((item) => {
			const single = answerValue(item);
			return single === undefined ? [] : Array.isArray(single) ? single : [single];
		});
		return items.length === 0 ? undefined : items;
	}
	if (isRecord(value)) {
		return JSON.stringify(value);
	}
	return scalarText(value);
}

export function addAnswer(lead: NormalizedLead, answer: { key: string; label?: string; value: unknown }): void {
	const value = answerValue(answer.value);
	if (value === undefined) {
		return;
	}
	const entry: LeadAnswer =
		answer.label !== undefined && answer.label !== answer.key ? { key: answer.key, label: answer.label, value } : { key: answer.key, value };
	lead.answers.push(entry);
}

/** Field order of a finished lead, so that every source's output reads the same in the host's data view. */
const LEAD_FIELD_ORDER: ReadonlyArray<keyof NormalizedLead> = [
	'source',
	'sourceLeadId',
	'dedupKey',
	'isTest',
	'createdAt',
	'receivedAt',
	'name',
	'firstName',
	'lastName',
	'middleName',
	'phones',
	'phonesRaw',
	'emails',
	'city',
	'comment',
	'extraContacts',
	'campaign',
	'adGroup',
	'ad',
	'form',
	'page',
	'platform',
	'isOrganic',
	'utm',
	'clickIds',
	'consents',
	'answers',
	'order',
	'raw',
];

/** Fills `name` from its parts, drops optional fields that are undefined or empty objects, and orders the fields. */
export function finishLead(lead: NormalizedLead): NormalizedLead {
	lead.name ??= joinNameParts(lead);

	const finished: Record<string, unknown> = {};
	for (const key of LEAD_FIELD_ORDER) {
		let value: unknown = lead[key];
		if (isRecord(value) && key !== 'raw' && key !== 'utm') {
			value = withoutUndefined(value);
			if (Object.keys(value as object).length === 0) {
				continue;
			}
		}
		if (value !== undefined) {
			finished[key] = value;
		}
	}
	finished.utm = withoutUndefined(lead.utm);
	return finished as unknown as NormalizedLead;
}

function withoutUndefined<T extends object>(value: T): T {
	const copy: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) {
		if (item !== undefined) {
			copy[key] = item;
		}
	}
	return copy as T;
}

/** Builds a `{ id, name }` reference from loose values (an id of 0 counts as empty); returns undefined when both are empty. */
export function namedRef(id: unknown, name: unknown): { id?: string; name?: string } | undefined {
	const idString = idText(id);
	const nameString = scalarText(name);
	if (idString === undefined && nameString === undefined) {
		return undefined;
	}
	return { id: idString, name: nameString };
}
