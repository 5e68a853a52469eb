/**
 * Simplified output of contacts, organizations and deals for the Simplify option. It keeps the
 * fields a workflow usually maps. E-mails, phones and addresses become plain strings instead of
 * WEEEK's `{id, email}` objects, and deal custom fields become one object keyed by field name.
 */
import type { IDataObject } from 'n8n-workflow';

import type { WeeekContact, WeeekDeal, WeeekOrganization } from '../../../shared/weeek/schemas';

export function simplifyContact(contact: WeeekContact): IDataObject {
	return {
		id: contact.id,
		firstName: contact.firstName ?? null,
		lastName: contact.lastName ?? null,
		middleName: contact.middleName ?? null,
		emails: (contact.emails ?? []).map((entry) => entry.email),
		phones: (contact.phones ?? []).map((entry) => entry.phone),
		organizations: contact.organizations ?? [],
		tags: contact.tags ?? [],
		createdAt: contact.createdAt ?? null,
		updatedAt: contact.updatedAt ?? null,
	};
}

export function simplifyOrganization(organization: WeeekOrganization): IDataObject {
	return {
		id: organization.id,
		name: organization.name ?? null,
		responsibleId: organization.responsibleId ?? null,
		addresses: (organization.addresses ?? []).map((entry) => entry.address),
		emails: (organization.emails ?? []).map((entry) => entry.email),
		phones: (organization.phones ?? []).map((entry) => entry.phone),
		contacts: organization.contacts ?? [],
		tags: organization.tags ?? [],
		createdAt: typeof organization.createdAt === 'string' ? organization.createdAt : null,
		updatedAt: typeof organization.updatedAt === 'string' ? organization.updatedAt : null,
	};
}

export function simplifyDeal(deal: WeeekDeal): IDataObject {
	return {
		id: deal.id,
		title: deal.title ?? null,
		amount: deal.amount ?? null,
		winStatus: deal.winStatus ?? null,
		funnelId: deal.funnelId ?? null,
		statusId: deal.statusId ?? null,
		description: deal.description ?? null,
		assignees: deal.assignees ?? [],
		contacts: deal.contacts ?? [],
		organizations: deal.organizations ?? [],
		tags: deal.tags ?? [],
		customFields: customFieldsByName(deal),
		createdAt: deal.createdAt ?? null,
		updatedAt: deal.updatedAt ?? null,
	};
}

/** Custom field values keyed by field name; a field without a name, or with a name used twice, is keyed by its ID. */
function customFieldsByName(deal: WeeekDeal): IDataObject {
	const fields = deal.customFields ?? [];
	const nameCounts = new Map<string, number>();
	for (const field of fields) {
		if (field.name) nameCounts.set(field.name, (nameCounts.get(field.name) ?? 0) + 1);
	}

	const values: IDataObject = {};
	for (const field of fields) {
		const key = field.name && nameCounts.get(field.name) === 1 ? field.name : field.id;
		values[key] = (field.value ?? null) as IDataObject[string];
	}
	return values;
}
