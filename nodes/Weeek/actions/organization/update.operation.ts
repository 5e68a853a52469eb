import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import type { WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, readRequiredId, requireSomethingToUpdate } from '../../helpers/parameters';
import { organizationLocator } from '../common.descriptions';
import { organizationFieldOptions, readOrganizationFields } from './fields';

const show = { resource: ['organization'], operation: ['update'] };

const nameField: INodeProperties = {
	displayName: 'Name',
	name: 'name',
	type: 'string',
	default: '',
	description: 'New name; WEEEK requires one, so it cannot be empty',
};

export const properties: INodeProperties[] = [
	{ ...organizationLocator, description: 'The organization to change', displayOptions: { show } },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		description: 'Fields to change; a list field given here replaces the whole list, and every field not listed keeps its value',
		options: [...organizationFieldOptions, nameField].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const organizationId = readRequiredId(this, 'organization', itemIndex, 'Organization', PICK_HINTS.organization);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;

	const changes = readOrganizationFields(fields);
	if (fields.name !== undefined) {
		const name = String(fields.name).trim();
		if (name === '') {
			throw new ConfigurationError(
				'emptyOrganizationName',
				"The parameter 'Name' under 'Update Fields' is empty: WEEEK requires a name on every organization, so enter one or remove the field",
				{ parameter: 'Name' },
			);
		}
		changes.name = name;
	}
	requireSomethingToUpdate(fields, changes);

	// WEEEK updates organizations only by a PUT of the whole record; patchOrganization reads it and resends the rest.
	const organization = await client.patchOrganization(organizationId, changes);
	return organization as IDataObject;
}
