/**
 * Receives leads pushed by lead sources and starts the workflow with one normalized lead per item.
 *
 * The node answers the source itself, before the workflow runs, because sources give little time
 * (Tilda waits 5 s and then sends the lead again) and some need an exact reply body.
 */
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { LeadInputError } from '../../shared/errors';
import { normalizeLead } from '../../shared/leads';
import type { LeadDelivery, LeadSource } from '../../shared/leads/types';

export class WeeekLeadTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WEEEK Lead Trigger',
		name: 'weeekLeadTrigger',
		icon: { light: 'file:../../icons/weeek.svg', dark: 'file:../../icons/weeek.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Source: " + $parameter["source"]}}',
		description: 'Starts the workflow when a lead source (Tilda, a webhook) sends a lead, with the lead already normalized',
		defaults: { name: 'WEEEK Lead Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'lead' },
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'lead' },
		],
		properties: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Generic Webhook', value: 'generic', description: 'Any service that posts JSON, a form or a query string' },
					{ name: 'Tilda', value: 'tilda', description: 'Tilda form webhook (Site Settings → Forms → Webhook)' },
				],
				default: 'tilda',
			},
			{
				displayName: 'Paste the production URL shown above into the source\'s webhook settings, then activate the workflow. Tilda\'s connection test (test=test) is answered and starts nothing.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Lead ID Field',
				name: 'idPath',
				type: 'string',
				default: '',
				placeholder: 'e.g. lead_id or contact.id',
				displayOptions: { show: { source: ['generic'] } },
				description: 'Dotted path of the field that identifies a lead, used to recognise the same lead sent twice. When empty, common names (id, lead_id) are tried, then a hash of the whole body.',
			},
		],
	};

	// Tilda and generic webhooks are registered by hand in the source's settings, so there is
	// nothing to create or delete remotely; n8n still requires the three lifecycle methods.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const source = this.getNodeParameter('source') as LeadSource;
		const request = this.getRequestObject();
		const response = this.getResponseObject();

		const delivery: LeadDelivery = {
			body: this.getWebhookName() === 'setup' ? this.getQueryData() : this.getBodyData(),
			rawBody: readRawBody(request as unknown as { rawBody?: unknown }),
			contentType: String(this.getHeaderData()['content-type'] ?? ''),
			headers: this.getHeaderData() as LeadDelivery['headers'],
			query: this.getQueryData() as Record<string, unknown>,
			method: request.method,
			receivedAt: Date.now(),
		};

		try {
			const idPath = source === 'generic' ? String(this.getNodeParameter('idPath', '')) : '';
			const lead = normalizeLead(source, delivery, idPath === '' ? {} : { idPath });

			response.status(200).type('text/plain').send('ok');
			if (lead.isTest) return { noWebhookResponse: true };
			return { noWebhookResponse: true, workflowData: [[{ json: lead as unknown as IDataObject }]] };
		} catch (error) {
			if (!(error instanceof LeadInputError)) throw error;

			const statusCode = error.code === 'badSecret' || error.code === 'badSignature' ? 403 : 400;
			this.logger.warn(`WEEEK Lead Trigger rejected a ${source} delivery: ${error.message}`);
			response.status(statusCode).type('text/plain').send(error.message);
			return { noWebhookResponse: true };
		}
	}
}

function readRawBody(request: { rawBody?: unknown }): string | undefined {
	const raw = request.rawBody;
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw === 'string') return raw;
	if (raw instanceof Uint8Array) return Buffer.from(raw).toString('utf8');
	return undefined;
}
