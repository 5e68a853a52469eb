import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import type { WeeekClient } from '../../../../shared/weeek/client';
import { buildCustomFieldValues, readCustomFieldRows } from '../../helpers/customFields';
import { PICK_HINTS, isDryRun, nonEmpty, parseTagIds, parseWinStatus, readRequiredId } from '../../helpers/parameters';
import { dealCustomFieldsCollection, funnelLocator, splitList, statusOptions } from '../common.descriptions';

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
				displayName: 'Assignee Names or IDs',
				name: 'assigneeIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getMembers' },
				default: [],
				description:
					'Workspace members responsible for the deal. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Contact IDs',
				name: 'contactIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 0b6f2a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
				description: 'IDs of existing WEEEK contacts to link when the deal is created, separated by commas',
			},
			dealCustomFieldsCollection("Values of the chosen funnel's deal custom fields"),
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
			},
			{
				displayName: 'Organization IDs',
				name: 'organizationIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7c1e4b2a-3d5f-4a6b-8c9d-0e1f2a3b4c5d',
				description: 'IDs of existing WEEEK organizations to link when the deal is created, separated by commas',
			},
			{
				displayName: 'Tag Names or IDs',
				name: 'tagIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getTags' },
				default: [],
				description:
					'Workspace tags to put on the deal. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Win Status',
				name: 'winStatus',
				type: 'options',
				options: [
					{ name: 'Archived', value: 'archived' },
					{ name: 'Lost', value: 'lost' },
					{ name: 'Won', value: 'won' },
				],
				default: 'won',
				description: 'Create the deal as already won, lost or archived; without this field it is open',
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
	const organizations = splitList(fields.organizationIds);
	const assignees = splitList(fields.assigneeIds);
	const tags = parseTagIds(fields.tagIds, 'Tag Names or IDs');
	const winStatus = fields.winStatus === undefined ? undefined : parseWinStatus(fields.winStatus, 'Win Status', false);
	const amount = readAmount(fields.amount);
	const customFields = await readCustomFields.call(this, itemIndex, client, fields.customFields);

	const deal = await client.createDeal(statusId, {
		title,
		amount,
		description: typeof fields.description === 'string' && fields.description !== '' ? fields.description : undefined,
		winStatus: winStatus ?? undefined,
		contacts: nonEmpty(contacts),
		organizations: nonEmpty(organizations),
		assignees: nonEmpty(assignees),
		tags: nonEmpty(tags),
		customFields,
	});
	return deal as IDataObject;
}

/** Converts the Custom Fields rows by the field types of the chosen funnel, which is read only when rows are present. */
async function readCustomFields(this: IExecuteFunctions, itemIndex: number, client: WeeekClient, collection: unknown): Promise<Record<string, unknown> | undefined> {
	const rows = readCustomFieldRows(collection);
	if (rows.length === 0) return undefined;

	const funnelId = readRequiredId(this, 'funnel', itemIndex, 'Funnel', PICK_HINTS.funnel);
	const funnel = await client.getFunnel(funnelId);
	return buildCustomFieldValues(rows, funnel.customFields ?? [], { strict: !isDryRun(this, itemIndex), clearEmpty: false });
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
