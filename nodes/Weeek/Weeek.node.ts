import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as contact from './actions/contact/Contact.resource';
import * as deal from './actions/deal/Deal.resource';
import * as lead from './actions/lead/Lead.resource';
import { router } from './actions/router';
import { searchFunnels } from './methods/listSearch';
import { getDealCustomFields, getStatuses } from './methods/loadOptions';

export class Weeek implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WEEEK',
		name: 'weeek',
		icon: { light: 'file:../../icons/weeek.svg', dark: 'file:../../icons/weeek.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create and link contacts and deals in WEEEK CRM, and normalize leads from any source',
		defaults: { name: 'WEEEK' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Lead → Normalize runs without WEEEK, so it needs no credential.
		credentials: [{ name: 'weeekApi', required: true, displayOptions: { hide: { operation: ['normalize'], dryRun: [true] } } }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Deal', value: 'deal' },
					{ name: 'Lead', value: 'lead' },
				],
				default: 'deal',
			},
			...contact.properties,
			...deal.properties,
			...lead.properties,
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				displayOptions: { hide: { operation: ['normalize'] } },
				description:
					'Whether to validate the input and list the WEEEK requests the node would send, under dryRun.requests, without sending anything. Lookups find nothing in a dry run, so it shows the requests for a new contact and deal.',
			},
		],
	};

	methods = {
		listSearch: { searchFunnels },
		loadOptions: { getDealCustomFields, getStatuses },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
