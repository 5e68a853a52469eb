import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import { normalizeLead, type SyncLeadSource } from '../../../../shared/leads';
import type { StandardField } from '../../../../shared/leads/generic';
import type { LeadDelivery } from '../../../../shared/leads/types';

const show = { resource: ['lead'], operation: ['normalize'] };

const OVERRIDABLE: ReadonlyArray<[StandardField, string]> = [
	['name', 'Full Name'],
	['firstName', 'First Name'],
	['lastName', 'Last Name'],
	['phone', 'Phone'],
	['email', 'Email'],
	['comment', 'Comment'],
	['city', 'City'],
];

export const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Facebook Lead (Graph or Facebook Lead Ads Trigger)', value: 'facebook' },
			{ name: 'Generic', value: 'generic' },
			{ name: 'myTarget Lead Item', value: 'mytarget' },
			{ name: 'PlatformaLP', value: 'platformalp' },
			{ name: 'Tilda', value: 'tilda' },
			{ name: 'VK Lead Forms Event', value: 'vk' },
		],
		default: 'tilda',
		description:
			'Where the input item comes from. Items from n8n\'s Webhook node ({headers, query, body}) are read from their body; n8n\'s Facebook Lead Ads Trigger output (simplified or not) is read as a Facebook lead.',
	},
	{
		displayName: 'Lead ID Field',
		name: 'idPath',
		type: 'string',
		default: '',
		placeholder: 'e.g. lead_id',
		displayOptions: { show: { ...show, source: ['generic', 'platformalp'] } },
		description: 'Path of the field that identifies a lead; when empty, the ID and lead_id fields are tried, then a hash of the body',
	},
	{
		displayName: 'Field Values',
		name: 'fieldValues',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { ...show, source: ['generic', 'platformalp'] } },
		description: 'Values that replace what the common field names would find, usually expressions that read a field of the input item by its own name',
		options: OVERRIDABLE.map(([name, displayName]) => ({ displayName, name, type: 'string' as const, default: '' })),
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const source = this.getNodeParameter('source', itemIndex) as SyncLeadSource;
	const item = this.getInputData()[itemIndex].json;
	if (item === undefined || Object.keys(item).length === 0) {
		throw new ConfigurationError('emptyItem', `Item ${itemIndex} is empty: connect the node that receives the lead (a Webhook or trigger node) before Lead → Normalize`);
	}
	const delivery = toDelivery(item);

	const options: IDataObject = {};
	if (source === 'generic' || source === 'platformalp') {
		const idPath = String(this.getNodeParameter('idPath', itemIndex, '')).trim();
		if (idPath !== '') options.idPath = idPath;

		const fieldValues = this.getNodeParameter('fieldValues', itemIndex, {}) as IDataObject;
		const values: IDataObject = {};
		for (const [name] of OVERRIDABLE) {
			const value = fieldValues[name];
			if (value !== undefined && value !== '') values[name] = value;
		}
		options.values = values;
	}

	return normalizeLead(source, delivery, options) as unknown as IDataObject;
}

/** Reads an item either as n8n Webhook output ({headers, query, body}) or as the payload itself. */
function toDelivery(item: IDataObject): LeadDelivery {
	const isWebhookOutput = typeof item.headers === 'object' && item.headers !== null && 'body' in item;
	if (!isWebhookOutput) return { body: item, contentType: 'application/json', receivedAt: Date.now() };

	const headers = item.headers as Record<string, string>;
	const query = (item.query ?? {}) as Record<string, unknown>;
	const body = item.body;
	const hasBody = body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body as object).length === 0);
	return {
		body: hasBody ? body : query,
		contentType: hasBody ? String(headers['content-type'] ?? '') : undefined,
		headers,
		query,
		receivedAt: Date.now(),
	};
}
