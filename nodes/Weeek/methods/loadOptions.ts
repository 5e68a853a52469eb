import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { toNodeError } from '../helpers/errors';
import { createWeeekClient } from '../transport';

/** Statuses of the funnel chosen in the same node, in WEEEK's board order. */
export async function getStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const funnelId = String(this.getCurrentNodeParameter('funnel', { extractValue: true }) ?? '').trim();
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

/** Deal custom fields defined on the chosen funnel, by name. */
export async function getDealCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const funnelId = String(this.getCurrentNodeParameter('funnel', { extractValue: true }) ?? '').trim();
	if (funnelId === '') return [];

	try {
		const client = await createWeeekClient(this);
		const funnel = await client.getFunnel(funnelId);
		return (funnel.customFields ?? [])
			.map((field) => ({ name: `${field.name ?? field.id} (${field.type})`, value: field.id }))
			.sort((a, b) => a.name.localeCompare(b.name));
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
