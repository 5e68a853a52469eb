import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export const operations = { getAll };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['member'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many members',
				description: 'List the members of the workspace with their IDs, which deal assignees and organization responsibles use',
			},
		],
		default: 'getAll',
	},
	...getAll.properties,
];
