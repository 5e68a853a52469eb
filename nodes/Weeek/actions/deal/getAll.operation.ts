import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient, WinStatus } from '../../../../shared/weeek/client';
import { collectPages } from '../../helpers/paging';
import { PICK_HINTS, nonEmpty, optionalText, parseTagIds, parseWinStatus, readMaxResults, readRequiredId } from '../../helpers/parameters';
import { simplifyDeal } from '../../helpers/simplify';
import { funnelLocator, returnAllAndLimit, simplifyOption, splitList, statusOptions } from '../common.descriptions';

const show = { resource: ['deal'], operation: ['getAll'] };

export const properties: INodeProperties[] = [
	{ ...funnelLocator, description: 'The funnel of the status to list; WEEEK lists deals one status at a time', displayOptions: { show } },
	{
		...statusOptions,
		description:
			'The status (stage) whose deals to list. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show },
	},
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Assignee Names or IDs',
				name: 'assigneeIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getMembers' },
				default: [],
				description:
					'Only deals with at least one of these assignees. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. Kitchen',
				description: 'Only deals matching this text; WEEEK does not document which fields it searches, so check the results',
			},
			{
				displayName: 'Tag Names or IDs',
				name: 'tagIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getTags' },
				default: [],
				description:
					'Only deals with at least one of these tags. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Win Statuses',
				name: 'winStatuses',
				type: 'multiOptions',
				options: [
					{ name: 'Archived', value: 'archived' },
					{ name: 'Lost', value: 'lost' },
					{ name: 'Won', value: 'won' },
				],
				default: [],
				description: 'Only deals with one of these win statuses; WEEEK has no filter for open deals',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Sort',
				name: 'sort',
				type: 'options',
				options: [
					{ name: 'Amount (High to Low)', value: '-amount' },
					{ name: 'Amount (Low to High)', value: 'amount' },
					{ name: 'Created (Newest First)', value: '-createdAt' },
					{ name: 'Created (Oldest First)', value: 'createdAt' },
					{ name: 'Title (A to Z)', value: 'title' },
					{ name: 'Title (Z to A)', value: '-title' },
					{ name: 'Updated (Newest First)', value: '-updatedAt' },
					{ name: 'Updated (Oldest First)', value: 'updatedAt' },
				],
				default: '-createdAt',
				description: 'Order in which WEEEK returns the deals; without it, the order of the WEEEK board',
			},
		],
	},
	simplifyOption(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject[]> {
	const statusId = readRequiredId(this, 'status', itemIndex, 'Status', PICK_HINTS.status);
	const max = readMaxResults(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const filter = {
		search: optionalText(filters.search),
		winStatuses: splitList(filters.winStatuses).map((value) => parseWinStatus(value, 'Win Statuses', false) as WinStatus),
		assigneeIds: splitList(filters.assigneeIds),
		tags: parseTagIds(filters.tagIds, 'Tag Names or IDs'),
		sort: optionalText(options.sort),
	};
	const deals = await collectPages(async (page) => {
		const result = await client.listDeals(statusId, {
			...page,
			search: filter.search,
			sort: filter.sort,
			winStatuses: nonEmpty(filter.winStatuses),
			assigneeIds: nonEmpty(filter.assigneeIds),
			tags: nonEmpty(filter.tags),
		});
		return { records: result.deals, hasMore: result.hasMore };
	}, max);

	const simplify = this.getNodeParameter('simplify', itemIndex, true) === true;
	return deals.map((deal) => (simplify ? simplifyDeal(deal) : (deal as IDataObject)));
}
