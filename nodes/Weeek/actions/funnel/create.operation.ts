import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import type { WeeekClient } from '../../../../shared/weeek/client';

const show = { resource: ['funnel'], operation: ['create'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show },
		placeholder: 'e.g. Website sales',
		description: 'Name of the new sales funnel (pipeline)',
	},
	{
		displayName: 'Currency Name or ID',
		name: 'currencyId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCurrencies' },
		default: '',
		required: true,
		displayOptions: { show },
		description:
			'Currency of the deal amounts in this funnel; its ID is a whole number. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
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
				displayName: 'Private',
				name: 'isPrivate',
				type: 'boolean',
				default: false,
				description: 'Whether only the members of the funnel team see the funnel',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const currency = String(this.getNodeParameter('currencyId', itemIndex, '') ?? '').trim();
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	if (name === '') {
		throw new ConfigurationError('missingName', "The parameter 'Name' is empty: enter a name for the funnel", { parameter: 'Name' });
	}
	if (!/^\d+$/.test(currency)) {
		const problem = currency === '' ? 'is empty' : `must be a WEEEK currency ID, a whole number such as 1, not '${currency}'`;
		throw new ConfigurationError('invalidCurrency', `The parameter 'Currency Name or ID' ${problem}: pick the currency from the list`, { parameter: 'Currency Name or ID' });
	}

	const funnel = await client.createFunnel({
		name,
		currencyId: Number(currency),
		isPrivate: typeof fields.isPrivate === 'boolean' ? fields.isPrivate : undefined,
	});
	return funnel as IDataObject;
}
