import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import type { WeeekClient } from '../../../../shared/weeek/client';

const show = { resource: ['deal'], operation: ['addContact'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Deal ID',
		name: 'dealId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show },
		placeholder: 'e.g. Hk3Jd8Lq0Zp2Xv5N',
		description: 'ID of the deal, for example from a Deal → Create node before this one',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show },
		placeholder: 'e.g. 0b6f2a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
		description: 'ID of the contact to link, for example from a Contact → Create node',
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const dealId = String(this.getNodeParameter('dealId', itemIndex, '')).trim();
	const contactId = String(this.getNodeParameter('contactId', itemIndex, '')).trim();

	if (dealId === '') throw new ConfigurationError('missingDealId', "The parameter 'Deal ID' is empty: map the id of the deal to link to");
	if (contactId === '') throw new ConfigurationError('missingContactId', "The parameter 'Contact ID' is empty: map the id of the contact to link");

	await client.addContactToDeal(dealId, contactId);
	return { success: true, dealId, contactId };
}
