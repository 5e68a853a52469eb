import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId } from '../../helpers/parameters';
import { dealLocator } from '../common.descriptions';

const show = { resource: ['deal'], operation: ['delete'] };

export const properties: INodeProperties[] = [
	{ ...dealLocator, description: 'The deal to delete. WEEEK has no way to restore it.', displayOptions: { show } },
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const dealId = readRequiredId(this, 'deal', itemIndex, 'Deal', PICK_HINTS.deal);

	await client.deleteDeal(dealId);
	return { success: true, dealId };
}
