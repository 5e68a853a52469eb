import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId } from '../../helpers/parameters';
import { simplifyOrganization } from '../../helpers/simplify';
import { organizationLocator, simplifyOption } from '../common.descriptions';

const show = { resource: ['organization'], operation: ['get'] };

export const properties: INodeProperties[] = [
	{ ...organizationLocator, description: 'The organization to read', displayOptions: { show } },
	simplifyOption(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const organizationId = readRequiredId(this, 'organization', itemIndex, 'Organization', PICK_HINTS.organization);

	const organization = await client.getOrganization(organizationId);
	return this.getNodeParameter('simplify', itemIndex, true) === true ? simplifyOrganization(organization) : (organization as IDataObject);
}
