import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId } from '../../helpers/parameters';
import { simplifyDeal } from '../../helpers/simplify';
import { dealLocator, simplifyOption } from '../common.descriptions';

const show = { resource: ['deal'], operation: ['get'] };

export const properties: INodeProperties[] = [
	{ ...dealLocator, description: 'The deal to read', displayOptions: { show } },
	simplifyOption(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const dealId = readRequiredId(this, 'deal', itemIndex, 'Deal', PICK_HINTS.deal);

	const deal = await client.getDeal(dealId);
	return this.getNodeParameter('simplify', itemIndex, true) === true ? simplifyDeal(deal) : (deal as IDataObject);
}
