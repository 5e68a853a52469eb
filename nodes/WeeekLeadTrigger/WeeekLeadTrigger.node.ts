/**
 * Receives leads pushed by lead sources and starts the workflow with one normalized lead per item.
 *
 * The node answers the source itself, before any slow work, because sources give little time
 * (Tilda waits 5 s, VK and Facebook resend on slow answers) and VK needs an exact reply body.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, sleep } from 'n8n-workflow';

import type { GenericOptions, StandardField } from '../../shared/leads/generic';
import { RecentKeys, type RecentKeysState } from '../../shared/leads/recentKeys';
import type { LeadDelivery, NormalizedLead } from '../../shared/leads/types';
import {
	facebookLeadStub,
	fetchFacebookLeads,
	receiveLeadWebhook,
	type LeadWebhookSettings,
	type PushSource,
} from '../../shared/leads/webhook';
import { testVkCallbackCredential, testWebhookSecretCredential } from './credentialTests';
import { triggerProperties } from './properties';

const FIELD_PATH_NAMES: readonly StandardField[] = ['name', 'firstName', 'lastName', 'phone', 'email', 'comment', 'city'];

export class WeeekLeadTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WEEEK Lead Trigger',
		name: 'weeekLeadTrigger',
		icon: { light: 'file:../../icons/weeek.svg', dark: 'file:../../icons/weeek.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Source: " + $parameter["source"]}}',
		description:
			'Starts the workflow when Tilda, PlatformaLP, VK lead forms, Facebook Lead Ads or any webhook sends a lead, with the lead already normalized',
		defaults: { name: 'WEEEK Lead Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'weeekFacebookLeadAdsApi', required: true, displayOptions: { show: { source: ['facebook'] } } },
			{ name: 'weeekVkCallbackApi', required: true, testedBy: 'testVkCallbackCredential', displayOptions: { show: { source: ['vk'] } } },
			{
				name: 'weeekWebhookSecretApi',
				required: true,
				testedBy: 'testWebhookSecretCredential',
				displayOptions: { show: { source: ['generic', 'platformalp', 'tilda'], checkSecret: [true] } },
			},
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'lead' },
			// Facebook's subscription check and GET-style senders arrive on the same URL.
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'lead' },
		],
		properties: triggerProperties,
	};

	// The VK and webhook-secret credentials contain values that only the sender has, so their tests
	// check them locally.
	methods = {
		credentialTest: { testVkCallbackCredential, testWebhookSecretCredential },
	};

	// Every supported source is registered by hand in the source's own settings (the URL is pasted
	// there), so there is nothing to create or delete remotely; n8n still requires the three methods.
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
		const source = this.getNodeParameter('source') as PushSource;
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const headers = this.getHeaderData() as LeadDelivery['headers'];

		const delivery: LeadDelivery = {
			body: this.getBodyData(),
			rawBody: (request as unknown as { rawBody?: Buffer }).rawBody,
			contentType: String(headers?.['content-type'] ?? ''),
			headers,
			query: this.getQueryData() as Record<string, unknown>,
			method: this.getWebhookName() === 'setup' ? 'GET' : 'POST',
			receivedAt: Date.now(),
		};

		const settings = await readSettings.call(this, source);
		const outcome = receiveLeadWebhook(settings, delivery);
		response.status(outcome.reply.statusCode).type('text/plain').send(outcome.reply.body);

		if (outcome.kind === 'rejected') {
			this.logger.warn(`WEEEK Lead Trigger rejected a ${source} request: ${outcome.error.message}`);
			return { noWebhookResponse: true };
		}
		if (outcome.kind === 'handshake') {
			this.logger.debug(`WEEEK Lead Trigger answered a ${source} handshake (${outcome.reason})`);
			return { noWebhookResponse: true };
		}

		const items =
			outcome.kind === 'leads'
				? outcome.leads.map((lead) => toItem(lead))
				: await fetchFacebookItems.call(this, outcome.changes, delivery);

		const fresh = skipRepeated.call(this, items);
		if (fresh.length === 0) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [fresh] };
	}
}

async function readSettings(this: IWebhookFunctions, source: PushSource): Promise<LeadWebhookSettings> {
	const settings: LeadWebhookSettings = { source };

	if (source === 'facebook') {
		const credentials = await this.getCredentials('weeekFacebookLeadAdsApi');
		settings.facebook = { appSecret: text(credentials.appSecret), verifyToken: text(credentials.verifyToken) };
		return settings;
	}

	if (source === 'vk') {
		const credentials = await this.getCredentials('weeekVkCallbackApi');
		settings.vk = { confirmationCode: text(credentials.confirmationCode), secret: text(credentials.secret) || undefined };
		return settings;
	}

	const secret = this.getNodeParameter('checkSecret', false) ? await this.getCredentials('weeekWebhookSecretApi') : undefined;
	if (source === 'tilda') {
		settings.tilda = tildaSecret(secret);
		return settings;
	}

	const options: GenericOptions = { paths: readFieldPaths.call(this) };
	const idPath = text(this.getNodeParameter('idPath', ''));
	if (idPath !== '') options.idPath = idPath;
	if (secret) options.secret = genericSecret(secret);
	settings[source] = options;
	return settings;
}

function tildaSecret(credentials: ICredentialDataDecryptedObject | undefined): LeadWebhookSettings['tilda'] {
	if (credentials === undefined) return {};
	const secret = text(credentials.secret);
	return credentials.location === 'apiKey' ? { apiKey: secret } : { urlToken: secret };
}

function genericSecret(credentials: ICredentialDataDecryptedObject): GenericOptions['secret'] {
	const value = text(credentials.secret);
	return credentials.location === 'apiKey' ? { value } : { value, query: 'token' };
}

function readFieldPaths(this: IWebhookFunctions): GenericOptions['paths'] {
	const configured = this.getNodeParameter('fieldPaths', {}) as IDataObject;
	const paths: NonNullable<GenericOptions['paths']> = {};
	for (const name of FIELD_PATH_NAMES) {
		const path = text(configured[name]);
		if (path !== '') paths[name] = path;
	}
	return paths;
}

async function fetchFacebookItems(
	this: IWebhookFunctions,
	changes: Parameters<typeof fetchFacebookLeads>[0],
	delivery: LeadDelivery,
): Promise<INodeExecutionData[]> {
	const credentials = await this.getCredentials('weeekFacebookLeadAdsApi');
	const graphBaseUrl = text(credentials.graphBaseUrl).replace(/\/+$/, '') || 'https://graph.facebook.com/v21.0';

	const results = await fetchFacebookLeads(changes, delivery, {
		// The credential adds access_token to the query, so the core's copy is dropped here.
		graphGet: async (path, query) => {
			const rest = { ...query };
			delete rest.access_token;
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'weeekFacebookLeadAdsApi', {
				method: 'GET',
				url: graphBaseUrl + path,
				qs: rest,
				json: true,
				timeout: 15_000,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as { statusCode: number; body: unknown };

			// Graph answers permanent problems (missing permission, expired token) with 4xx and an
			// error body the core explains; only overload and server errors are worth retrying.
			if (response.statusCode === 429 || response.statusCode >= 500) {
				throw new NodeOperationError(this.getNode(), `The Graph API answered HTTP ${response.statusCode}`);
			}
			return typeof response.body === 'string' && response.body.trim().startsWith('{') ? (JSON.parse(response.body) as unknown) : response.body;
		},
		accessToken: text(credentials.accessToken),
		sleep,
		logger: this.logger,
	});

	return results.map((result) => {
		if ('lead' in result) return toItem(result.lead);

		// The lead stays in the output with its ids and the reason, so nothing is lost silently.
		this.logger.warn(`WEEEK Lead Trigger could not fetch Facebook lead ${result.change.leadgenId}: ${result.error.message}`);
		return { json: { ...facebookLeadStub(result.change, delivery.receivedAt), error: result.error.message } as IDataObject };
	});
}

/** Drops leads whose dedup key was emitted recently, remembered in the workflow's static data. */
function skipRepeated(this: IWebhookFunctions, items: INodeExecutionData[]): INodeExecutionData[] {
	if (!this.getNodeParameter('skipRepeated', true)) return items;

	const staticData = this.getWorkflowStaticData('node') as { recentLeads?: RecentKeysState };
	const recent = new RecentKeys(staticData.recentLeads);
	staticData.recentLeads = recent.snapshot;

	const now = Date.now();
	const fresh: INodeExecutionData[] = [];
	for (const item of items) {
		const key = text(item.json.dedupKey);
		if (key !== '' && recent.has(key, now)) {
			this.logger.info(`WEEEK Lead Trigger skipped a repeated lead (${key})`);
			continue;
		}
		// Failed Facebook fetches are not remembered, so a redelivery gets another chance.
		if (key !== '' && item.json.error === undefined) recent.add(key, now);
		fresh.push(item);
	}
	return fresh;
}

function toItem(lead: NormalizedLead): INodeExecutionData {
	return { json: lead as unknown as IDataObject };
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
}
