import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { takeUpTo } from '../../helpers/paging';
import { readMaxResults } from '../../helpers/parameters';
import { returnAllAndLimit } from '../common.descriptions';

const show = { resource: ['funnel'], operation: ['getAll'] };

export const properties: INodeProperties[] = [...returnAllAndLimit(show)];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject[]> {
	const max = readMaxResults(this, itemIndex);

	// WEEEK returns every funnel in one response, so Limit applies to that list.
	const funnels = await client.listFunnels();
	return takeUpTo(funnels, max) as IDataObject[];
}
