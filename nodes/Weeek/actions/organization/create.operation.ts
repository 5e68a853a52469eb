import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import type { WeeekClient } from '../../../../shared/weeek/client';
import { organizationFieldOptions, readOrganizationFields } from './fields';

const show = { resource: ['organization'], operation: ['create'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show },
		placeholder: 'e.g. Example LLC',
		description: 'Organization (company) name; WEEEK requires one',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: organizationFieldOptions,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	if (name === '') {
		throw new ConfigurationError('missingName', "The parameter 'Name' is empty: WEEEK requires a name for every organization", { parameter: 'Name' });
	}

	const organization = await client.createOrganization({ ...readOrganizationFields(fields), name });
	return organization as IDataObject;
}
