/**
 * Contact and organization routes, with their e-mail, phone, address, contact and tag
 * sub-resources.
 */

import type { Route, RouteHandler } from './router';
import {
	contactJson,
	createUuid,
	findOrFail,
	organizationJson,
	timestamp,
	type ContactRecord,
	type OrganizationRecord,
	type SandboxState,
} from './store';
import { QueryValidator, Validator, isValidEmail, type JsonObject } from './validation';

type ValueCollection = 'emails' | 'phones' | 'addresses';
type ValueKey = 'email' | 'phone' | 'address';
type ValueOwner = { id: string; updatedAt: string } & Partial<Record<ValueCollection, unknown[]>>;

const SORT_VALUES = ['alphabet', '-alphabet', 'updatedAt', '-updatedAt'];

function memberExists(state: SandboxState): (id: string) => boolean {
	return (id) => state.members.some((member) => member.id === id);
}

function contactExists(state: SandboxState): (id: string) => boolean {
	return (id) => state.contacts.some((contact) => contact.id === id);
}

function organizationExists(state: SandboxState): (id: string) => boolean {
	return (id) => state.organizations.some((organization) => organization.id === id);
}

function tagExists(state: SandboxState): (id: number) => boolean {
	return (id) => state.tags.some((tag) => tag.id === id);
}

function digitsOf(text: string): string {
	return text.replace(/\D/g, '');
}

/**
 * Matches a contact against `search` deliberately loosely, because WEEEK does not document
 * what its search matches: any case-insensitive substring of a name, e-mail or phone as stored,
 * or the search's digits inside a phone's digits. A client must check candidates itself.
 */
function contactMatches(contact: ContactRecord, search: string): boolean {
	const needle = search.toLowerCase();
	const names = [contact.firstName, contact.lastName ?? '', contact.middleName ?? ''];
	const texts = [
		...names,
		`${contact.firstName} ${contact.lastName ?? ''}`,
		`${contact.lastName ?? ''} ${contact.firstName}`,
		...contact.emails.map((email) => email.email),
		...contact.phones.map((phone) => phone.phone),
	];
	if (texts.some((text) => text.toLowerCase().includes(needle))) {
		return true;
	}

	const digits = digitsOf(search);
	return digits !== '' && contact.phones.some((phone) => digitsOf(phone.phone).includes(digits));
}

function organizationMatches(organization: OrganizationRecord, search: string): boolean {
	const needle = search.toLowerCase();
	const texts = [
		organization.name,
		...organization.emails.map((email) => email.email),
		...organization.phones.map((phone) => phone.phone),
		...organization.addresses.map((address) => address.address),
	];
	return texts.some((text) => text.toLowerCase().includes(needle));
}

/** Reads `limit`, `offset`, `search` and `sort` of a contact or organization list. */
function readListQuery(query: QueryValidator): { limit: number; offset: number; search: string; sort?: string } {
	const limit = query.boundedInteger('limit', 1, 100, 50);
	const offset = query.boundedInteger('offset', 0, undefined, 0);
	const sort = query.oneOf('sort', SORT_VALUES, false) ?? undefined;
	const search = query.value('search');
	return { limit, offset, search: typeof search === 'string' ? search.trim() : '', sort };
}

/** Sorts by `alphabet` (the given name key) or `updatedAt`, `-` prefix for descending. */
function sortRecords<T extends { updatedAt: string }>(records: T[], sort: string | undefined, nameOf: (record: T) => string): T[] {
	if (sort === undefined) {
		return records;
	}
	const descending = sort.startsWith('-');
	const key = descending ? sort.slice(1) : sort;
	const sorted = [...records].sort((left, right) =>
		key === 'alphabet' ? nameOf(left).localeCompare(nameOf(right)) : left.updatedAt.localeCompare(right.updatedAt),
	);
	return descending ? sorted.reverse() : sorted;
}

interface ContactFields {
	firstName: string;
	lastName?: string | null;
	middleName?: string | null;
	emails?: string[];
	phones?: string[];
	organizations?: string[];
	tags?: number[];
}

/** Validates a contact create or PUT body; both require `firstName`. */
function readContactBody(state: SandboxState, body: JsonObject): ContactFields {
	const input = new Validator(body);
	const fields = {
		firstName: input.string('firstName', { required: true }) as string,
		lastName: input.string('lastName', { nullable: true }),
		middleName: input.string('middleName', { nullable: true }),
		emails: input.stringArray('emails', 'email'),
		phones: input.stringArray('phones', 'text'),
		organizations: input.idArray('organizations', organizationExists(state)),
		tags: input.integerArray('tags', tagExists(state)),
	};
	input.throwIfFailed();

	return fields;
}

/** Writes validated fields; lists that are present replace the stored ones, absent ones stay. */
function applyContactFields(contact: ContactRecord, fields: ContactFields): void {
	contact.firstName = fields.firstName;
	if (fields.lastName !== undefined) {
		contact.lastName = fields.lastName;
	}
	if (fields.middleName !== undefined) {
		contact.middleName = fields.middleName;
	}
	if (fields.emails !== undefined) {
		contact.emails = fields.emails.map((email) => ({ id: createUuid(), email }));
	}
	if (fields.phones !== undefined) {
		contact.phones = fields.phones.map((phone) => ({ id: createUuid(), phone }));
	}
	if (fields.organizations !== undefined) {
		contact.organizations = fields.organizations;
	}
	if (fields.tags !== undefined) {
		contact.tags = fields.tags;
	}
	contact.updatedAt = timestamp();
}

interface OrganizationFields {
	name: string;
	addresses?: string[];
	emails?: string[];
	phones?: string[];
	responsibles?: string[];
	tags?: number[];
}

function readOrganizationBody(state: SandboxState, body: JsonObject): OrganizationFields {
	const input = new Validator(body);
	const fields = {
		name: input.string('name', { required: true }) as string,
		addresses: input.stringArray('addresses', 'text'),
		emails: input.stringArray('emails', 'email'),
		phones: input.stringArray('phones', 'text'),
		responsibles: input.idArray('responsibles', memberExists(state)),
		tags: input.integerArray('tags', tagExists(state)),
	};
	input.throwIfFailed();

	return fields;
}

function applyOrganizationFields(organization: OrganizationRecord, fields: OrganizationFields): void {
	organization.name = fields.name;
	if (fields.addresses !== undefined) {
		organization.addresses = fields.addresses.map((address) => ({ id: createUuid(), address }));
	}
	if (fields.emails !== undefined) {
		organization.emails = fields.emails.map((email) => ({ id: createUuid(), email }));
	}
	if (fields.phones !== undefined) {
		organization.phones = fields.phones.map((phone) => ({ id: createUuid(), phone }));
	}
	// WEEEK takes `responsibles[]` on write but returns a single `responsibleId`.
	if (fields.responsibles !== undefined) {
		organization.responsibleId = fields.responsibles[0] ?? null;
	}
	if (fields.tags !== undefined) {
		organization.tags = fields.tags;
	}
	organization.updatedAt = timestamp();
}

/**
 * Builds the POST, PUT and DELETE routes of an owner's e-mails, phones or addresses, e.g.
 * `POST /crm/contacts/{ownerId}/emails {email}` → `{success, email: {id, email}}`.
 */
function valueRoutes(
	ownerPath: string,
	owners: (state: SandboxState) => ValueOwner[],
	collection: ValueCollection,
	valueKey: ValueKey,
): Route[] {
	const readValue = (body: JsonObject): string => {
		const input = new Validator(body);
		const value = input.string(valueKey, { required: true });
		if (valueKey === 'email' && typeof value === 'string' && !isValidEmail(value)) {
			input.fail(valueKey, 'The email field must be a valid email address.');
		}
		input.throwIfFailed();
		return value as string;
	};
	const valuesOf = (owner: ValueOwner): Array<{ id: string } & Record<string, string>> =>
		(owner[collection] ?? []) as Array<{ id: string } & Record<string, string>>;

	return [
		{
			pattern: `${ownerPath}/${collection}`,
			handlers: {
				POST: ({ state, params, body }) => {
					const owner = findOrFail(owners(state), params.ownerId);
					const created = { id: createUuid(), [valueKey]: readValue(body) };
					valuesOf(owner).push(created);
					owner.updatedAt = timestamp();
					return { success: true, [valueKey]: { ...created } };
				},
			},
		},
		{
			pattern: `${ownerPath}/${collection}/{valueId}`,
			handlers: {
				PUT: ({ state, params, body }) => {
					const owner = findOrFail(owners(state), params.ownerId);
					const record = findOrFail(valuesOf(owner), params.valueId);
					record[valueKey] = readValue(body);
					owner.updatedAt = timestamp();
					return { success: true, [valueKey]: { ...record } };
				},
				DELETE: ({ state, params }) => {
					const owner = findOrFail(owners(state), params.ownerId);
					const values = valuesOf(owner);
					values.splice(values.indexOf(findOrFail(values, params.valueId)), 1);
					owner.updatedAt = timestamp();
					return { success: true };
				},
			},
		},
	];
}

/** Builds POST (add) and DELETE (remove) of `{tagId}` on a contact or organization. */
function tagHandlers(owners: (state: SandboxState) => Array<{ id: string; tags: number[]; updatedAt: string }>): Route['handlers'] {
	const change = (add: boolean): RouteHandler => ({ state, params, body }) => {
		const owner = findOrFail(owners(state), params.ownerId);
		const input = new Validator(body);
		const tagId = input.existingInteger('tagId', tagExists(state));
		input.throwIfFailed();

		const others = owner.tags.filter((id) => id !== tagId);
		owner.tags = add ? [...others, tagId as number] : others;
		owner.updatedAt = timestamp();
		return { success: true };
	};
	return { POST: change(true), DELETE: change(false) };
}

/** Links or unlinks a contact and an organization; the link is stored on the contact. */
function organizationContactHandler(link: boolean): RouteHandler {
	return ({ state, params, body }) => {
		const organization = findOrFail(state.organizations, params.ownerId);
		const input = new Validator(body);
		const contactId = input.existingId('contactId', contactExists(state));
		input.throwIfFailed();

		const contact = findOrFail(state.contacts, contactId as string);
		const others = contact.organizations.filter((id) => id !== organization.id);
		contact.organizations = link ? [...others, organization.id] : others;
		contact.updatedAt = timestamp();
		organization.updatedAt = contact.updatedAt;
		return { success: true };
	};
}

const contacts = (state: SandboxState): ContactRecord[] => state.contacts;
const organizations = (state: SandboxState): OrganizationRecord[] => state.organizations;

export const contactRoutes: Route[] = [
	{
		pattern: '/crm/contacts',
		handlers: {
			// No `hasMore` flag: a client stops paging when a page is shorter than `limit`.
			GET: ({ state, query }) => {
				const input = new QueryValidator(query);
				const list = readListQuery(input);
				const organizationIds = input.filterArray('organizationIds');
				input.throwIfFailed();

				let found = state.contacts;
				if (list.search !== '') {
					found = found.filter((contact) => contactMatches(contact, list.search));
				}
				if (organizationIds !== undefined) {
					found = found.filter((contact) => contact.organizations.some((id) => organizationIds.includes(id)));
				}
				found = sortRecords(found, list.sort, (contact) => `${contact.firstName} ${contact.lastName ?? ''}`);
				return { success: true, contacts: found.slice(list.offset, list.offset + list.limit).map(contactJson) };
			},
			POST: ({ state, body }) => {
				const fields = readContactBody(state, body);
				const now = timestamp();
				const contact: ContactRecord = {
					id: createUuid(),
					creatorId: state.currentUserId,
					firstName: fields.firstName,
					lastName: null,
					middleName: null,
					organizations: [],
					emails: [],
					phones: [],
					tags: [],
					createdAt: now,
					updatedAt: now,
				};
				applyContactFields(contact, fields);
				contact.updatedAt = now;
				state.contacts.push(contact);
				return { success: true, contact: contactJson(contact) };
			},
		},
	},
	{
		pattern: '/crm/contacts/{ownerId}',
		handlers: {
			GET: ({ state, params }) => ({ success: true, contact: contactJson(findOrFail(state.contacts, params.ownerId)) }),
			// PUT is a full update: `firstName` is required again, e-mails and phones sent replace the stored ones.
			PUT: ({ state, params, body }) => {
				const contact = findOrFail(state.contacts, params.ownerId);
				applyContactFields(contact, readContactBody(state, body));
				return { success: true, contact: contactJson(contact) };
			},
			DELETE: ({ state, params }) => {
				const contact = findOrFail(state.contacts, params.ownerId);
				state.contacts = state.contacts.filter((candidate) => candidate !== contact);
				for (const deal of state.deals) {
					deal.contacts = deal.contacts.filter((id) => id !== contact.id);
				}
				return { success: true };
			},
		},
	},
	...valueRoutes('/crm/contacts/{ownerId}', contacts, 'emails', 'email'),
	...valueRoutes('/crm/contacts/{ownerId}', contacts, 'phones', 'phone'),
	{ pattern: '/crm/contacts/{ownerId}/tags', handlers: tagHandlers(contacts) },
	{
		pattern: '/crm/organizations',
		handlers: {
			GET: ({ state, query }) => {
				const input = new QueryValidator(query);
				const list = readListQuery(input);
				input.throwIfFailed();

				let found = state.organizations;
				if (list.search !== '') {
					found = found.filter((organization) => organizationMatches(organization, list.search));
				}
				found = sortRecords(found, list.sort, (organization) => organization.name);
				return {
					success: true,
					organizations: found.slice(list.offset, list.offset + list.limit).map((organization) => organizationJson(state, organization)),
				};
			},
			POST: ({ state, body }) => {
				const fields = readOrganizationBody(state, body);
				const now = timestamp();
				const organization: OrganizationRecord = {
					id: createUuid(),
					creatorId: state.currentUserId,
					name: fields.name,
					responsibleId: null,
					addresses: [],
					emails: [],
					phones: [],
					tags: [],
					createdAt: now,
					updatedAt: now,
				};
				applyOrganizationFields(organization, fields);
				organization.updatedAt = now;
				state.organizations.push(organization);
				return { success: true, organization: organizationJson(state, organization) };
			},
		},
	},
	{
		pattern: '/crm/organizations/{ownerId}',
		handlers: {
			GET: ({ state, params }) => ({
				success: true,
				organization: organizationJson(state, findOrFail(state.organizations, params.ownerId)),
			}),
			PUT: ({ state, params, body }) => {
				const organization = findOrFail(state.organizations, params.ownerId);
				applyOrganizationFields(organization, readOrganizationBody(state, body));
				return { success: true, organization: organizationJson(state, organization) };
			},
			DELETE: ({ state, params }) => {
				const organization = findOrFail(state.organizations, params.ownerId);
				state.organizations = state.organizations.filter((candidate) => candidate !== organization);
				for (const owner of [...state.contacts, ...state.deals]) {
					owner.organizations = owner.organizations.filter((id) => id !== organization.id);
				}
				return { success: true };
			},
		},
	},
	...valueRoutes('/crm/organizations/{ownerId}', organizations, 'addresses', 'address'),
	...valueRoutes('/crm/organizations/{ownerId}', organizations, 'emails', 'email'),
	...valueRoutes('/crm/organizations/{ownerId}', organizations, 'phones', 'phone'),
	{
		pattern: '/crm/organizations/{ownerId}/contacts',
		handlers: { POST: organizationContactHandler(true), DELETE: organizationContactHandler(false) },
	},
	{ pattern: '/crm/organizations/{ownerId}/tags', handlers: tagHandlers(organizations) },
];
