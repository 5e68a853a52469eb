import type { INodeProperties } from 'n8n-workflow';

import * as addContact from './addContact.operation';
import * as addToDeal from './addToDeal.operation';
import * as create from './create.operation';
import * as deleteOrganization from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as removeContact from './removeContact.operation';
import * as removeFromDeal from './removeFromDeal.operation';
import * as update from './update.operation';

export const operations = { addContact, addToDeal, create, delete: deleteOrganization, get, getAll, removeContact, removeFromDeal, update };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['organization'] } },
		options: [
			{
				name: 'Add Contact',
				value: 'addContact',
				action: 'Add a contact to an organization',
				description: 'Link an existing contact to an organization; needs the organization ID and the contact ID',
			},
			{
				name: 'Add to Deal',
				value: 'addToDeal',
				action: 'Add an organization to a deal',
				description: 'Link an organization to a deal; needs the organization ID and the deal ID',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create an organization',
				description: 'Create a WEEEK organization (company) from a name and optional addresses, e-mails, phones and responsible member',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an organization',
				description: 'Delete an organization for good; needs the organization ID',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an organization',
				description: 'Read one organization; needs the organization ID',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many organizations',
				description: 'List organizations, optionally only those matching a search text, one item per organization',
			},
			{
				name: 'Remove Contact',
				value: 'removeContact',
				action: 'Remove a contact from an organization',
				description: 'Unlink a contact from an organization; needs the organization ID and the contact ID',
			},
			{
				name: 'Remove From Deal',
				value: 'removeFromDeal',
				action: 'Remove an organization from a deal',
				description: 'Unlink an organization from a deal; needs the organization ID and the deal ID',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update an organization',
				description: 'Change the name, addresses, e-mails, phones or responsible member; needs the organization ID and at least one field to change',
			},
		],
		default: 'create',
	},
	...create.properties,
	...get.properties,
	...getAll.properties,
	...update.properties,
	...deleteOrganization.properties,
	...addContact.properties,
	...removeContact.properties,
	...addToDeal.properties,
	...removeFromDeal.properties,
];
