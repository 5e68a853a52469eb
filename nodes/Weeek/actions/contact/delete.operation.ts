import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId } from '../../helpers/parameters';
import { contactLocator } from '../common.descriptions';

const show = { resource: ['contact'], operation: ['delete'] };

export const properties: INodeProperties[] = [
	{ ...contactLocator, description: 'The contact to delete. WEEEK has no way to restore it.', displayOptions: { show } },
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const contactId = readRequiredId(this, 'contact', itemIndex, 'Contact', PICK_HINTS.contact);

	await client.deleteContact(contactId);
	return { success: true, contactId };
}
