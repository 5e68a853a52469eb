import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import { LeadMemory, leadToDeal, type ContactMode, type LeadMemoryState } from '../../../../shared/leadToDeal';
import type { NormalizedLead } from '../../../../shared/leads/types';
import type { WeeekClient } from '../../../../shared/weeek/client';
import { funnelLocator, statusOptions } from '../common.descriptions';
import { readAmount } from '../deal/create.operation';

const show = { resource: ['lead'], operation: ['createDeal'] };

export const properties: INodeProperties[] = [
	{ ...funnelLocator, displayOptions: { show } },
	{ ...statusOptions, displayOptions: { show } },
	{
		displayName: 'Contact',
		name: 'contactMode',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Always Create a New Contact', value: 'create' },
			{ name: 'Reuse the Contact With the Same Phone or Email', value: 'reuse' },
			{ name: 'Reuse and Add New Phones and Emails', value: 'update' },
		],
		default: 'reuse',
		description: 'What to do when WEEEK already has a contact with one of the lead\'s phones (compared in E.164) or e-mails',
	},
	{
		displayName: 'Deal Title',
		name: 'titleTemplate',
		type: 'string',
		default: '{source}: {name}',
		displayOptions: { show },
		description:
			'Placeholders: {source}, {name}, {phone}, {email}, {form}, {campaign}, {ad}, {city}, {utm_source}, {utm_campaign} and the other utm tags',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		placeholder: 'e.g. 15000 or {{ $json.order.amount }}',
		displayOptions: { show },
		description: "Deal amount in the funnel's currency; leave empty for none",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Always Check WEEEK for Duplicates',
				name: 'alwaysCheckWeeek',
				type: 'boolean',
				default: false,
				description:
					'Whether to look the lead key up in the status before every create. Without it, WEEEK is asked only after a failed attempt and for items that carry an error field from an earlier failure; leads handled before are recognised from this node\'s memory, which n8n keeps for active workflows.',
			},
			{
				displayName: 'Custom Fields',
				name: 'customFields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add Custom Field',
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{
								displayName: 'Field Name or ID',
								name: 'fieldId',
								type: 'options',
								typeOptions: { loadOptionsMethod: 'getDealCustomFields', loadOptionsDependsOn: ['funnel.value'] },
								default: '',
								description:
									'Deal custom field of the chosen funnel. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
							},
							{
								displayName: 'Value',
								name: 'value',
								type: 'string',
								default: '',
								placeholder: 'e.g. {{ $json.utm.source }}',
								description: 'Text, number, date (ISO 8601), option ID for select fields, or a comma-separated list of IDs for multi-value fields',
							},
						],
					},
				],
			},
			{
				displayName: 'Description Note',
				name: 'descriptionNote',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Text added to the generated description (which lists source, form, campaign, ad, UTM tags and answers)',
			},
			{
				displayName: 'Lead Key Field Name or ID',
				name: 'leadKeyFieldId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getDealCustomFields', loadOptionsDependsOn: ['funnel.value'] },
				default: '',
				description:
					'Text custom field that also receives the lead key (it is always written into the description). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
];

interface CustomFieldEntry {
	fieldId?: string;
	value?: unknown;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const lead = readLead(this.getInputData()[itemIndex].json, itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const customFieldEntries = ((fields.customFields as IDataObject | undefined)?.field ?? []) as CustomFieldEntry[];

	const customFields: Record<string, unknown> = {};
	for (const entry of customFieldEntries) {
		if (entry.fieldId) customFields[entry.fieldId] = entry.value;
	}

	const staticData = this.getWorkflowStaticData('node') as { leadMemory?: LeadMemoryState };
	const storedMemory = new LeadMemory(staticData.leadMemory);
	staticData.leadMemory = storedMemory.snapshot;
	// A dry run reads what the node remembers but must not record the lead as handled.
	const memory = this.getNodeParameter('dryRun', itemIndex, false) === true ? storedMemory.copy() : storedMemory;

	const result = await leadToDeal(
		lead,
		{
			statusId: String(this.getNodeParameter('status', itemIndex, '')).trim(),
			contactMode: this.getNodeParameter('contactMode', itemIndex, 'reuse') as ContactMode,
			titleTemplate: String(this.getNodeParameter('titleTemplate', itemIndex, '')),
			amount: readAmount(this.getNodeParameter('amount', itemIndex, '')),
			descriptionNote: typeof fields.descriptionNote === 'string' ? fields.descriptionNote : undefined,
			customFields: Object.keys(customFields).length > 0 ? customFields : undefined,
			leadKeyFieldId: typeof fields.leadKeyFieldId === 'string' && fields.leadKeyFieldId !== '' ? fields.leadKeyFieldId : undefined,
			// An item that failed before (it carries the `error` this node adds) may have reached WEEEK.
			alwaysCheckWeeek: fields.alwaysCheckWeeek === true || isReplayedFailure(this.getInputData()[itemIndex].json),
		},
		{ client, memory, now: Date.now },
	);

	return result as unknown as IDataObject;
}

/** Whether the item is a failed item of this operation fed back in, which has its lead plus `error`. */
function isReplayedFailure(json: IDataObject): boolean {
	return typeof json.error === 'string' && json.error !== '';
}

function readLead(json: IDataObject, itemIndex: number): NormalizedLead {
	// A lead from the WEEEK Lead Trigger or Lead → Normalize has these fields; anything else is raw data.
	const looksNormalized = typeof json.dedupKey === 'string' && typeof json.source === 'string' && Array.isArray(json.phones) && Array.isArray(json.emails);
	if (!looksNormalized) {
		throw new ConfigurationError(
			'notALead',
			`Item ${itemIndex} is not a normalized lead (it has no dedupKey, phones and emails): put the WEEEK Lead Trigger or a WEEEK Lead → Normalize node before Lead → Create Deal`,
			{ item: itemIndex },
		);
	}
	const lead = json as unknown as NormalizedLead;
	return { ...lead, utm: lead.utm ?? {}, answers: lead.answers ?? [], phonesRaw: lead.phonesRaw ?? [] };
}
