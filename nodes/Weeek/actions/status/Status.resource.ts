import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { get, getAll };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['status'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a status',
				description: 'Read one funnel status (stage) with its deal count and amount; needs the status ID',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many statuses',
				description: 'List the statuses of one funnel in board order; needs the funnel ID',
			},
		],
		default: 'getAll',
	},
	...get.properties,
	...getAll.properties,
];
