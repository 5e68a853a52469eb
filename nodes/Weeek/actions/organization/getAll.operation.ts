import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../../shared/weeek/client';
import { collectPages, shortPageEnds } from '../../helpers/paging';
import { optionalText, readMaxResults } from '../../helpers/parameters';
import { simplifyOrganization } from '../../helpers/simplify';
import { returnAllAndLimit, simplifyOption } from '../common.descriptions';

const show = { resource: ['organization'], operation: ['getAll'] };

export const properties: INodeProperties[] = [
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
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. Example LLC',
				description: 'Text WEEEK looks for in the organizations; WEEEK does not document which fields it matches, so check the results',
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
					{ name: 'Name (A to Z)', value: 'alphabet' },
					{ name: 'Name (Z to A)', value: '-alphabet' },
					{ name: 'Updated (Newest First)', value: '-updatedAt' },
					{ name: 'Updated (Oldest First)', value: 'updatedAt' },
				],
				default: '-updatedAt',
				description: 'Order in which WEEEK returns the organizations',
			},
		],
	},
	simplifyOption(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject[]> {
	const max = readMaxResults(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const search = optionalText(filters.search);
	const sort = optionalText(options.sort);

	const organizations = await collectPages(async (page) => shortPageEnds(await client.listOrganizations({ ...page, search, sort }), page), max);

	const simplify = this.getNodeParameter('simplify', itemIndex, true) === true;
	return organizations.map((organization) => (simplify ? simplifyOrganization(organization) : (organization as IDataObject)));
}
