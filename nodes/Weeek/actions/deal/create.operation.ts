import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import type { WeeekClient } from '../../../../shared/weeek/client';
import { funnelLocator, splitList, statusOptions } from '../common.descriptions';

const show = { resource: ['deal'], operation: ['create'] };

export const properties: INodeProperties[] = [
	{ ...funnelLocator, displayOptions: { show } },
	{ ...statusOptions, displayOptions: { show } },
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show },
		placeholder: 'e.g. Kitchen renovation — Ivan Petrov',
		description: 'Deal title shown on the WEEEK board',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Amount',
				name: 'amount',
				type: 'number',
				default: 0,
				description: "Deal amount in the funnel's currency",
			},
			{
				displayName: 'Contact IDs',
				name: 'contactIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 0b6f2a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
				description: 'IDs of existing WEEEK contacts to link when the deal is created, separated by commas',
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const statusId = String(this.getNodeParameter('status', itemIndex, '')).trim();
	const title = String(this.getNodeParameter('title', itemIndex, '')).trim();
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	if (statusId === '') {
		throw new ConfigurationError('missingStatus', "The parameter 'Status' is empty: pick a funnel, then one of its statuses");
	}
	if (title === '') {
		throw new ConfigurationError('missingTitle', "The parameter 'Title' is empty: WEEEK needs a title for the deal");
	}

	const contacts = splitList(fields.contactIds);
	const deal = await client.createDeal(statusId, {
		title,
		amount: readAmount(fields.amount),
		description: typeof fields.description === 'string' && fields.description !== '' ? fields.description : undefined,
		contacts: contacts.length > 0 ? contacts : undefined,
	});
	return deal as IDataObject;
}

/** WEEEK takes amounts as numbers; an expression may hand over "150 000,50". */
export function readAmount(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw invalidAmount(String(value));
		return value;
	}
	const normalized = String(value).replace(/[\s\u00a0]/g, '').replace(',', '.');
	const amount = Number(normalized);
	if (!Number.isFinite(amount)) throw invalidAmount(String(value));
	return amount;
}

function invalidAmount(value: string): ConfigurationError {
	return new ConfigurationError('invalidAmount', `The parameter 'Amount' is not a number ('${value}'): enter digits such as 150000 or 1500.50`, { value });
}
