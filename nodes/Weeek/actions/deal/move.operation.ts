import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId } from '../../helpers/parameters';
import { dealLocator, funnelLocator, statusOptions } from '../common.descriptions';

const show = { resource: ['deal'], operation: ['move'] };

export const properties: INodeProperties[] = [
	{ ...dealLocator, description: 'The deal to move', displayOptions: { show } },
	{
		...funnelLocator,
		description: "The funnel to move the deal to; pick the deal's own funnel to move it between statuses only",
		displayOptions: { show },
	},
	{
		...statusOptions,
		description:
			'The status (stage) to put the deal in. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show },
	},
];

/**
 * Moves a deal in up to two steps and returns it as WEEEK stores it afterwards. A deal from
 * another funnel first moves by WEEEK's funnel route, then to the status, because what WEEEK
 * does with a status of another funnel on its status route is not documented.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const dealId = readRequiredId(this, 'deal', itemIndex, 'Deal', PICK_HINTS.deal);
	const funnelId = readRequiredId(this, 'funnel', itemIndex, 'Funnel', PICK_HINTS.funnel);
	const statusId = readRequiredId(this, 'status', itemIndex, 'Status', PICK_HINTS.status);

	const deal = await client.getDeal(dealId);
	const changesFunnel = deal.funnelId !== funnelId;
	if (changesFunnel) await client.moveDealToFunnel(dealId, funnelId);
	if (changesFunnel || deal.statusId !== statusId) await client.moveDealToStatus(dealId, statusId);

	const moved = await client.getDeal(dealId);
	return moved as IDataObject;
}
