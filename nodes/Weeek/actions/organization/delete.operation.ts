import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId } from '../../helpers/parameters';
import { organizationLocator } from '../common.descriptions';

const show = { resource: ['organization'], operation: ['delete'] };

export const properties: INodeProperties[] = [
	{ ...organizationLocator, description: 'The organization to delete. WEEEK has no way to restore it.', displayOptions: { show } },
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const organizationId = readRequiredId(this, 'organization', itemIndex, 'Organization', PICK_HINTS.organization);

	await client.deleteOrganization(organizationId);
	return { success: true, organizationId };
}
