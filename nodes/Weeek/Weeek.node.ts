import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as contact from './actions/contact/Contact.resource';
import * as deal from './actions/deal/Deal.resource';
import * as funnel from './actions/funnel/Funnel.resource';
import * as lead from './actions/lead/Lead.resource';
import * as member from './actions/member/Member.resource';
import * as organization from './actions/organization/Organization.resource';
import { router } from './actions/router';
import * as status from './actions/status/Status.resource';
import { searchContacts, searchDeals, searchFunnels, searchOrganizations } from './methods/listSearch';
import { getCurrencies, getDealCustomFields, getMembers, getStatuses, getTags } from './methods/loadOptions';

export class Weeek implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WEEEK',
		name: 'weeek',
		icon: { light: 'file:../../icons/weeek.svg', dark: 'file:../../icons/weeek.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Work with WEEEK CRM contacts, organizations, deals, funnels and statuses, and turn leads from any source into deals',
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
					{ name: 'Funnel', value: 'funnel' },
					{ name: 'Lead', value: 'lead' },
					{ name: 'Member', value: 'member' },
					{ name: 'Organization', value: 'organization' },
					{ name: 'Status', value: 'status' },
				],
				default: 'deal',
			},
			...contact.properties,
			...deal.properties,
			...funnel.properties,
			...lead.properties,
			...member.properties,
			...organization.properties,
			...status.properties,
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				displayOptions: { hide: { operation: ['normalize'] } },
				description:
					'Whether to validate the input and list the WEEEK requests the node would send, under dryRun.requests, without sending anything, reads included. In a dry run, lists come back empty, a record read by ID is a placeholder with that ID, and an update that reads the record first shows placeholder values for the fields it keeps. Lead → Create Deal therefore shows the requests for a new contact and deal.',
			},
		],
	};

	methods = {
		listSearch: { searchContacts, searchDeals, searchFunnels, searchOrganizations },
		loadOptions: { getCurrencies, getDealCustomFields, getMembers, getStatuses, getTags },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
