import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { takeUpTo } from '../../helpers/paging';
import { PICK_HINTS, readMaxResults, readRequiredId } from '../../helpers/parameters';
import { funnelLocator, returnAllAndLimit } from '../common.descriptions';

const show = { resource: ['status'], operation: ['getAll'] };

export const properties: INodeProperties[] = [
	{ ...funnelLocator, description: 'The funnel whose statuses to list, in board order', displayOptions: { show } },
	...returnAllAndLimit(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject[]> {
	const funnelId = readRequiredId(this, 'funnel', itemIndex, 'Funnel', PICK_HINTS.funnel);
	const max = readMaxResults(this, itemIndex);

	// WEEEK returns all statuses of a funnel in one response, in board order, so Limit keeps the first ones.
	const statuses = await client.listStatuses(funnelId);
	return takeUpTo(statuses, max) as IDataObject[];
}
