import type { INodeProperties } from 'n8n-workflow';

import * as addTag from './addTag.operation';
import * as create from './create.operation';
import * as deleteContact from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as removeTag from './removeTag.operation';
import * as update from './update.operation';

export const operations = { addTag, create, delete: deleteContact, get, getAll, removeTag, update };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Add Tag',
				value: 'addTag',
				action: 'Add a tag to a contact',
				description: 'Tag a contact; needs the contact ID and a tag ID (a whole number, see the tag list)',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a contact',
				description: 'Create a WEEEK contact from a first name and optional last name, e-mails and phones',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a contact',
				description: 'Delete a contact for good; needs the contact ID',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a contact',
				description: 'Read one contact; needs the contact ID',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many contacts',
				description: 'List contacts, optionally only those matching a search text, one item per contact',
			},
			{
				name: 'Remove Tag',
				value: 'removeTag',
				action: 'Remove a tag from a contact',
				description: 'Untag a contact; needs the contact ID and the tag ID',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a contact',
				description: 'Change names, e-mails or phones of a contact; needs the contact ID and at least one field to change',
			},
		],
		default: 'create',
	},
	...create.properties,
	...get.properties,
	...getAll.properties,
	...update.properties,
	...deleteContact.properties,
	...addTag.properties,
	...removeTag.properties,
];
