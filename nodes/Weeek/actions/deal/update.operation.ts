import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import type { DealChanges, WeeekClient } from '../../../../shared/weeek/client';
import { buildCustomFieldValues, readCustomFieldRows } from '../../helpers/customFields';
import { PICK_HINTS, isDryRun, parseTagIds, parseWinStatus, readRequiredId, requireSomethingToUpdate } from '../../helpers/parameters';
import { dealCustomFieldsCollection, dealLocator, splitList } from '../common.descriptions';
import { readAmount } from './create.operation';

const show = { resource: ['deal'], operation: ['update'] };

export const properties: INodeProperties[] = [
	{ ...dealLocator, description: 'The deal to change', displayOptions: { show } },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		description:
			'Fields to change; every field not listed keeps its value. A list given here replaces the whole list: to add or remove one contact, organization, assignee or tag, use the Add and Remove operations.',
		options: [
			{
				displayName: 'Amount',
				name: 'amount',
				type: 'number',
				default: 0,
				description: "New deal amount in the funnel's currency",
			},
			{
				displayName: 'Assignee Names or IDs',
				name: 'assigneeIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getMembers' },
				default: [],
				description:
					'Replaces all assignees of the deal. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Contact IDs',
				name: 'contactIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 0b6f2a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
				description: 'Replaces all linked contacts; IDs separated by commas, empty to unlink them all',
			},
			dealCustomFieldsCollection("Values of the deal's custom fields; an empty value clears the field"),
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'New description; leave empty to remove it',
			},
			{
				displayName: 'Organization IDs',
				name: 'organizationIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7c1e4b2a-3d5f-4a6b-8c9d-0e1f2a3b4c5d',
				description: 'Replaces all linked organizations; IDs separated by commas, empty to unlink them all',
			},
			{
				displayName: 'Tag Names or IDs',
				name: 'tagIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getTags' },
				default: [],
				description:
					'Replaces all tags of the deal. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				description: 'New deal title; it cannot be empty',
			},
			{
				displayName: 'Win Status',
				name: 'winStatus',
				type: 'options',
				options: [
					{ name: 'Archived', value: 'archived' },
					{ name: 'Lost', value: 'lost' },
					{ name: 'Open', value: 'open' },
					{ name: 'Won', value: 'won' },
				],
				default: 'won',
				description: 'Mark the deal won, lost or archived, or reopen it',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const dealId = readRequiredId(this, 'deal', itemIndex, 'Deal', PICK_HINTS.deal);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;

	const changes = readChanges(fields);
	const rows = readCustomFieldRows(fields.customFields);
	if (rows.length > 0) {
		// The deal as read carries the definitions of its funnel's custom fields, which convert the values.
		const current = await client.getDeal(dealId);
		changes.customFields = buildCustomFieldValues(rows, current.customFields ?? [], { strict: !isDryRun(this, itemIndex), clearEmpty: true });
	}
	requireSomethingToUpdate(fields, changes);

	// WEEEK's PUT applies only some fields and its PATCH returns no deal, so updateDeal picks the route and returns the deal.
	const deal = await client.updateDeal(dealId, changes);
	return deal as IDataObject;
}

function readChanges(fields: IDataObject): DealChanges {
	const changes: DealChanges = {};

	if (fields.title !== undefined) {
		const title = String(fields.title).trim();
		if (title === '') {
			throw new ConfigurationError('emptyTitle', "The parameter 'Title' under 'Update Fields' is empty: enter a title or remove the field to keep the current one", {
				parameter: 'Title',
			});
		}
		changes.title = title;
	}
	if (fields.amount !== undefined) changes.amount = readAmount(fields.amount) ?? null;
	if (fields.description !== undefined) changes.description = String(fields.description) === '' ? null : String(fields.description);
	if (fields.winStatus !== undefined) changes.winStatus = parseWinStatus(fields.winStatus, 'Win Status', true);
	// NOTE: WEEEK does not document whether a PATCH list replaces or extends the deal's list. The node promises replace, as the sandbox does.
	if (fields.assigneeIds !== undefined) changes.assignees = splitList(fields.assigneeIds);
	if (fields.contactIds !== undefined) changes.contacts = splitList(fields.contactIds);
	if (fields.organizationIds !== undefined) changes.organizations = splitList(fields.organizationIds);
	if (fields.tagIds !== undefined) changes.tags = parseTagIds(fields.tagIds, 'Tag Names or IDs');

	return changes;
}
