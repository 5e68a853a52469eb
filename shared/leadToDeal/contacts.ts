/**
 * Finds the WEEEK contact a lead belongs to, by normalized phone or e-mail.
 *
 * WEEEK's contact list takes a `search` text, but what it matches is not documented, so search
 * results are only candidates: each one is compared here, phone against phone in E.164 and
 * e-mail against e-mail lower-cased, and only an exact match counts.
 */
import { normalizeEmails } from '../leads/email';
import { normalizePhones } from '../leads/phone';
import type { NormalizedLead } from '../leads/types';
import type { ContactInput, WeeekClient } from '../weeek/client';
import type { WeeekContact } from '../weeek/schemas';

const SEARCH_PAGE_SIZE = 50;
/** Candidate pages read per search text; a common name could otherwise page through the whole workspace. */
const SEARCH_MAX_PAGES = 2;

function contactPhones(contact: WeeekContact): string[] {
	return normalizePhones((contact.phones ?? []).map((entry) => entry.phone)).phones;
}

function contactEmails(contact: WeeekContact): string[] {
	return normalizeEmails((contact.emails ?? []).map((entry) => entry.email));
}

export function contactMatchesLead(contact: WeeekContact, lead: Pick<NormalizedLead, 'phones' | 'emails'>): boolean {
	const phones = new Set(contactPhones(contact));
	const emails = new Set(contactEmails(contact));
	return lead.phones.some((phone) => phones.has(phone)) || lead.emails.some((email) => emails.has(email));
}

/** Search texts, most selective first: each phone's national digits, then each e-mail. */
function searchTexts(lead: Pick<NormalizedLead, 'phones' | 'emails'>): string[] {
	const texts: string[] = [];
	for (const phone of lead.phones) {
		const digits = phone.replace(/\D/g, '');
		// The last ten digits match however the number was typed (+7, 8, spaces, brackets stripped).
		texts.push(digits.length > 10 ? digits.slice(-10) : digits);
	}
	texts.push(...lead.emails);
	return [...new Set(texts.filter((text) => text.length >= 5))];
}

export async function findContactForLead(client: WeeekClient, lead: Pick<NormalizedLead, 'phones' | 'emails'>): Promise<WeeekContact | undefined> {
	for (const text of searchTexts(lead)) {
		for (let page = 0; page < SEARCH_MAX_PAGES; page++) {
			const contacts = await client.listContacts({ search: text, limit: SEARCH_PAGE_SIZE, offset: page * SEARCH_PAGE_SIZE });
			const match = contacts.find((contact) => contactMatchesLead(contact, lead));
			if (match !== undefined) return match;
			if (contacts.length < SEARCH_PAGE_SIZE) break;
		}
	}
	return undefined;
}

/**
 * Returns the update body that adds the lead's new phones and e-mails to the contact, or
 * `undefined` when the contact already has them all. WEEEK requires `firstName` on every update
 * and replaces the lists, so the body resends everything the contact has.
 */
export function mergeContactDetails(contact: WeeekContact, lead: Pick<NormalizedLead, 'phones' | 'emails'>): ContactInput | undefined {
	const storedPhones = (contact.phones ?? []).map((entry) => entry.phone);
	const storedEmails = (contact.emails ?? []).map((entry) => entry.email);
	const knownPhones = new Set(contactPhones(contact));
	const knownEmails = new Set(contactEmails(contact));

	const newPhones = lead.phones.filter((phone) => !knownPhones.has(phone));
	const newEmails = lead.emails.filter((email) => !knownEmails.has(email));
	if (newPhones.length === 0 && newEmails.length === 0) return undefined;

	return {
		firstName: contact.firstName ?? '',
		lastName: contact.lastName ?? undefined,
		middleName: contact.middleName ?? undefined,
		phones: [...storedPhones, ...newPhones],
		emails: [...storedEmails, ...newEmails],
		organizations: contact.organizations ?? undefined,
		tags: contact.tags ?? undefined,
	};
}
