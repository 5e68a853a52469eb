import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId } from '../../helpers/parameters';
import { simplifyContact } from '../../helpers/simplify';
import { contactLocator, simplifyOption } from '../common.descriptions';

const show = { resource: ['contact'], operation: ['get'] };

export const properties: INodeProperties[] = [
	{ ...contactLocator, description: 'The contact to read', displayOptions: { show } },
	simplifyOption(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const contactId = readRequiredId(this, 'contact', itemIndex, 'Contact', PICK_HINTS.contact);

	const contact = await client.getContact(contactId);
	return this.getNodeParameter('simplify', itemIndex, true) === true ? simplifyContact(contact) : (contact as IDataObject);
}
