import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId } from '../../helpers/parameters';
import { funnelLocator, statusOptions } from '../common.descriptions';

const show = { resource: ['status'], operation: ['get'] };

export const properties: INodeProperties[] = [
	{ ...funnelLocator, required: false, description: 'The funnel of the status, used only to fill the status list', displayOptions: { show } },
	{
		...statusOptions,
		description:
			'The status (stage) to read. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const statusId = readRequiredId(this, 'status', itemIndex, 'Status', PICK_HINTS.status);

	const status = await client.getStatus(statusId);
	return status as IDataObject;
}
