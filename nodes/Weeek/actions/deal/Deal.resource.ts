import type { INodeProperties } from 'n8n-workflow';

import * as addContact from './addContact.operation';
import * as create from './create.operation';

export const operations = { addContact, create };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deal'] } },
		options: [
			{
				name: 'Add Contact',
				value: 'addContact',
				action: 'Add a contact to a deal',
				description: 'Link an existing contact to an existing deal; needs both IDs',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a deal',
				description: 'Create a deal in a funnel status; needs the status ID (pick the funnel, then the status)',
			},
		],
		default: 'create',
	},
	...create.properties,
	...addContact.properties,
];
