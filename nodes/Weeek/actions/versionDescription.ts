import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as contact from './contact/Contact.resource';
import * as deal from './deal/Deal.resource';
import * as lead from './lead/Lead.resource';

export const versionDescription: INodeTypeDescription = {
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
	credentials: [{ name: 'weeekApi', required: true, displayOptions: { hide: { operation: ['normalize'] } } }],
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
	],
};
