import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId } from '../../helpers/parameters';
import { funnelLocator } from '../common.descriptions';

const show = { resource: ['funnel'], operation: ['get'] };

export const properties: INodeProperties[] = [{ ...funnelLocator, description: 'The funnel to read, with its deal custom fields', displayOptions: { show } }];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const funnelId = readRequiredId(this, 'funnel', itemIndex, 'Funnel', PICK_HINTS.funnel);

	const funnel = await client.getFunnel(funnelId);
	return funnel as IDataObject;
}
