import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { WeeekClient } from '../../../shared/weeek/client';
import type { WeeekCustomFieldDefinition } from '../../../shared/weeek/schemas';
import { toNodeError } from '../helpers/errors';
import { createWeeekClient } from '../transport';

/** Statuses of the funnel chosen in the same node, in WEEEK's board order. */
export async function getStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const funnelId = currentId(this, 'funnel');
	if (funnelId === '') return [];

	try {
		const client = await createWeeekClient(this);
		const statuses = await client.listStatuses(funnelId);
		// Quirk: statuses have no position field; the array order is the board order, so no sorting.
		return statuses.map((status) => ({ name: status.name, value: status.id }));
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/**
 * Deal custom fields, by name, of the funnel chosen in the node or, in operations without a
 * funnel parameter, of the funnel the chosen deal is in.
 */
export async function getDealCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const funnelId = currentId(this, 'funnel');
	const dealId = currentId(this, 'deal');
	if (funnelId === '' && dealId === '') return [];

	try {
		const client = await createWeeekClient(this);
		const fields = funnelId !== '' ? await funnelFields(client, funnelId) : await dealFields(client, dealId);
		return fields
			.map((field) => ({ name: `${field.name ?? field.id} (${field.type ?? 'unknown type'})`, value: field.id }))
			.sort((a, b) => a.name.localeCompare(b.name));
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/** Workspace members, for assignees and responsibles. */
export async function getMembers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const client = await createWeeekClient(this);
		const members = await client.listMembers();
		return members
			.map((member) => {
				const name = [member.firstName, member.lastName].filter((part) => part).join(' ') || member.email || member.id;
				return { name: member.email && name !== member.email ? `${name} (${member.email})` : name, value: member.id };
			})
			.sort((a, b) => a.name.localeCompare(b.name));
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/** Workspace tags; WEEEK shares them between deals, contacts and organizations. */
export async function getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const client = await createWeeekClient(this);
		const tags = await client.listTags();
		return tags.map((tag) => ({ name: tag.title || `Tag ${tag.id}`, value: tag.id })).sort((a, b) => a.name.localeCompare(b.name));
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/** Currencies a funnel can use. */
export async function getCurrencies(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const client = await createWeeekClient(this);
		const currencies = await client.listCurrencies();
		return currencies
			.map((currency) => ({ name: [currency.code, currency.name].filter((part) => part).join(' — ') || `Currency ${currency.id}`, value: currency.id }))
			.sort((a, b) => a.name.localeCompare(b.name));
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

function currentId(context: ILoadOptionsFunctions, name: string): string {
	return String(context.getCurrentNodeParameter(name, { extractValue: true }) ?? '').trim();
}

async function funnelFields(client: WeeekClient, funnelId: string): Promise<WeeekCustomFieldDefinition[]> {
	const funnel = await client.getFunnel(funnelId);
	return funnel.customFields ?? [];
}

/** Reads the custom fields of a deal's funnel, which come with the deal itself. */
async function dealFields(client: WeeekClient, dealId: string): Promise<Array<{ id: string; name?: string | null; type?: string | null }>> {
	const deal = await client.getDeal(dealId);
	return deal.customFields ?? [];
}
