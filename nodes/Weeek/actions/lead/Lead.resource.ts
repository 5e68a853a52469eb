import type { INodeProperties } from 'n8n-workflow';

import * as createDeal from './createDeal.operation';
import * as normalize from './normalize.operation';

export const operations = { createDeal, normalize };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['lead'] } },
		options: [
			{
				name: 'Create Deal',
				value: 'createDeal',
				action: 'Create a deal from a lead',
				description:
					'Find or create the contact and create a deal in the chosen status, linked, in two WEEEK calls for a new lead; a lead seen before (same lead key) creates nothing. Needs a normalized lead as input.',
			},
			{
				name: 'Normalize',
				value: 'normalize',
				action: 'Normalize a lead',
				description:
					'Turn a raw lead from a Webhook node or another trigger into the normalized lead shape (E.164 phones, UTM tags, answers, dedup key); calls nothing in WEEEK',
			},
		],
		default: 'createDeal',
	},
	...createDeal.properties,
	...normalize.properties,
];
