import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { toNodeError } from '../helpers/errors';
import { createWeeekClient } from '../transport';

export async function searchFunnels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	try {
		const client = await createWeeekClient(this);
		const funnels = await client.listFunnels();
		const needle = filter?.trim().toLowerCase() ?? '';

		const results = funnels
			.filter((funnel) => needle === '' || funnel.name.toLowerCase().includes(needle) || funnel.id === filter)
			.map((funnel) => ({ name: funnel.name, value: funnel.id }))
			.sort((a, b) => a.name.localeCompare(b.name));
		return { results };
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
