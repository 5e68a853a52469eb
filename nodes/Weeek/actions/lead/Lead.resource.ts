import type { INodeProperties } from 'n8n-workflow';

import * as normalize from './normalize.operation';

export const operations = { normalize };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['lead'] } },
		options: [
			{
				name: 'Normalize',
				value: 'normalize',
				action: 'Normalize a lead',
				description:
					'Turn a raw lead from a Webhook node or another trigger into the normalized lead shape (E.164 phones, UTM tags, answers, dedup key); calls nothing in WEEEK',
			},
		],
		default: 'normalize',
	},
	...normalize.properties,
];
