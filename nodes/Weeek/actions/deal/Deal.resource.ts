import type { INodeProperties } from 'n8n-workflow';

import * as addAssignee from './addAssignee.operation';
import * as addContact from './addContact.operation';
import * as addOrganization from './addOrganization.operation';
import * as addTag from './addTag.operation';
import * as create from './create.operation';
import * as deleteDeal from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as move from './move.operation';
import * as removeAssignee from './removeAssignee.operation';
import * as removeContact from './removeContact.operation';
import * as removeOrganization from './removeOrganization.operation';
import * as removeTag from './removeTag.operation';
import * as update from './update.operation';

export const operations = {
	addAssignee,
	addContact,
	addOrganization,
	addTag,
	create,
	delete: deleteDeal,
	get,
	getAll,
	move,
	removeAssignee,
	removeContact,
	removeOrganization,
	removeTag,
	update,
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deal'] } },
		options: [
			{
				name: 'Add Assignee',
				value: 'addAssignee',
				action: 'Add an assignee to a deal',
				description: 'Make a workspace member responsible for a deal; needs the deal ID and a member ID (see Member → Get Many)',
			},
			{
				name: 'Add Contact',
				value: 'addContact',
				action: 'Add a contact to a deal',
				description: 'Link an existing contact to an existing deal; needs both IDs',
			},
			{
				name: 'Add Organization',
				value: 'addOrganization',
				action: 'Add an organization to a deal',
				description: 'Link an existing organization to a deal; needs the deal ID and the organization ID',
			},
			{
				name: 'Add Tag',
				value: 'addTag',
				action: 'Add a tag to a deal',
				description: 'Tag a deal; needs the deal ID and a tag ID (a whole number, see the tag list)',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a deal',
				description: 'Create a deal in a funnel status; needs the status ID (pick the funnel, then the status)',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a deal',
				description: 'Delete a deal for good; needs the deal ID',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a deal',
				description: 'Read one deal; needs the deal ID',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many deals',
				description: 'List the deals of one funnel status, optionally filtered by text, win status, assignee or tag; needs the status ID',
			},
			{
				name: 'Move',
				value: 'move',
				action: 'Move a deal to another status or funnel',
				description: 'Put a deal into a status of the same or another funnel; needs the deal ID, the funnel ID and the status ID',
			},
			{
				name: 'Remove Assignee',
				value: 'removeAssignee',
				action: 'Remove an assignee from a deal',
				description: 'Unassign a workspace member from a deal; needs the deal ID and the member ID',
			},
			{
				name: 'Remove Contact',
				value: 'removeContact',
				action: 'Remove a contact from a deal',
				description: 'Unlink a contact from a deal; needs the deal ID and the contact ID',
			},
			{
				name: 'Remove Organization',
				value: 'removeOrganization',
				action: 'Remove an organization from a deal',
				description: 'Unlink an organization from a deal; needs the deal ID and the organization ID',
			},
			{
				name: 'Remove Tag',
				value: 'removeTag',
				action: 'Remove a tag from a deal',
				description: 'Untag a deal; needs the deal ID and the tag ID',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a deal',
				description: 'Change the title, amount, description, win status, relations or custom fields of a deal; needs the deal ID and at least one field to change',
			},
		],
		default: 'create',
	},
	...create.properties,
	...get.properties,
	...getAll.properties,
	...update.properties,
	...move.properties,
	...deleteDeal.properties,
	...addContact.properties,
	...removeContact.properties,
	...addOrganization.properties,
	...removeOrganization.properties,
	...addAssignee.properties,
	...removeAssignee.properties,
	...addTag.properties,
	...removeTag.properties,
];
