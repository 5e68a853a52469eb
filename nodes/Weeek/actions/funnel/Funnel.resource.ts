import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { create, get, getAll };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['funnel'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a funnel',
				description: 'Create a sales funnel (pipeline); needs a name and a currency ID',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a funnel',
				description: 'Read one funnel with its deal custom fields; needs the funnel ID',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many funnels',
				description: 'List the funnels of the workspace, one item per funnel',
			},
		],
		default: 'getAll',
	},
	...create.properties,
	...get.properties,
	...getAll.properties,
];
