import { createHmac } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Weeek } from '../../nodes/Weeek/Weeek.node';
import { WeeekLeadTrigger } from '../../nodes/WeeekLeadTrigger/WeeekLeadTrigger.node';
import { normalizeLead } from '../../shared/leads';
import { startFakeGraph, type FakeGraph } from '../fakes/graph';
import { loadSample } from '../fixtures/samples';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { createExecuteContext, createLoadOptionsContext, createWebhookContext, type LogLine } from './harness';

const WEEEK_TOKEN = 'weeek-token-SECRET-7f3a9c';
const SECRETS = {
	weeekToken: WEEEK_TOKEN,
	appSecret: 'fb-app-secret-SECRET-51c2',
	verifyToken: 'fb-verify-SECRET-88d0',
	pageToken: 'fb-page-token-SECRET-0b44',
	vkSecret: 'vk-secret-SECRET-3e19',
	webhookSecret: 'webhook-secret-SECRET-aa7c',
};

const node = new Weeek();
const trigger = new WeeekLeadTrigger();
let sandbox: Sandbox;
let graph: FakeGraph;
/** Everything a user or a log collector could see: logs, errors, responses and output items. */
const seen: string[] = [];

beforeAll(async () => {
	sandbox = await startSandbox({ token: WEEEK_TOKEN });
	graph = await startFakeGraph({ leads: {}, forms: {}, pages: {}, accessToken: SECRETS.pageToken });
});

afterAll(async () => {
	await sandbox.close();
	await graph.close();
});

function record(logs: LogLine[], output?: unknown, error?: unknown): void {
	for (const line of logs) seen.push(`${line.level} ${line.message} ${JSON.stringify(line.meta ?? {})}`);
	if (output !== undefined) seen.push(JSON.stringify(output));
	if (error !== undefined) {
		const failure = error as Error & { description?: string };
		seen.push(failure.message, String(failure.description ?? ''), failure.stack ?? '', JSON.stringify(error));
	}
}

function lead(): IDataObject {
	const sample = loadSample('tilda-1.txt');
	return normalizeLead('tilda', { body: sample.body, contentType: sample.contentType, receivedAt: Date.now() }) as unknown as IDataObject;
}

async function runNode(parameters: Record<string, unknown>, token: string, items: INodeExecutionData[] = [{ json: lead() }], continueOnFail = false): Promise<INodeExecutionData[] | undefined> {
	// A high request rate keeps the client's rate limiter from stretching the many runs past the test timeout.
	const credentials = { apiToken: token, baseUrl: sandbox.baseUrl, requestsPerSecond: 1000 };
	const { context, harness } = createExecuteContext({ parameters, items, continueOnFail, credentials, staticData: {} });
	let output: INodeExecutionData[][] | undefined;
	let error: unknown;
	try {
		output = await node.execute.call(context);
	} catch (caught) {
		error = caught;
	}
	record(harness.logs, output, error);
	return output?.[0];
}

const funnel = { __rl: true, mode: 'list', value: SEED.funnels.sales.id };
const operations: Array<Record<string, unknown>> = [
	{ resource: 'contact', operation: 'create', firstName: 'Ivan', additionalFields: { phones: '+79990001234' } },
	{ resource: 'deal', operation: 'create', funnel, status: SEED.statuses.newLead.id, title: 'Deal', additionalFields: {} },
	{ resource: 'deal', operation: 'create', funnel, status: 'NoSuchStatus0001', title: 'Deal', additionalFields: {} },
	{ resource: 'deal', operation: 'addContact', dealId: 'NoSuchDeal000001', contactId: 'x' },
	{ resource: 'lead', operation: 'createDeal', funnel, status: SEED.statuses.newLead.id, contactMode: 'update', titleTemplate: '{name}', amount: '', additionalFields: {} },
	{ resource: 'lead', operation: 'createDeal', funnel, status: SEED.statuses.newLead.id, contactMode: 'reuse', titleTemplate: '{name}', amount: '', additionalFields: {}, dryRun: true },
];

/** Lists every CRM operation once, on the records the first three runs create, so success and failure paths both run. */
function crmOperations(ids: { contact: string; organization: string; deal: string }): Array<Record<string, unknown>> {
	const contact = { __rl: true, mode: 'id', value: ids.contact };
	const organization = { __rl: true, mode: 'id', value: ids.organization };
	const deal = { __rl: true, mode: 'id', value: ids.deal };
	const missingDeal = { __rl: true, mode: 'id', value: 'NoSuchDeal000001' };
	const page = { returnAll: false, limit: 5, filters: {}, options: {} };
	return [
		{ resource: 'contact', operation: 'get', contact },
		{ resource: 'contact', operation: 'getAll', ...page, filters: { search: 'Ivan' } },
		{ resource: 'contact', operation: 'update', contact, updateFields: { lastName: 'Petrov' } },
		{ resource: 'contact', operation: 'addTag', contact, tag: SEED.tags.hot.id },
		{ resource: 'contact', operation: 'removeTag', contact, tag: SEED.tags.hot.id },
		{ resource: 'organization', operation: 'get', organization },
		{ resource: 'organization', operation: 'getAll', ...page },
		{ resource: 'organization', operation: 'update', organization, updateFields: { phones: '+74950001234' } },
		{ resource: 'organization', operation: 'addContact', organization, contact },
		{ resource: 'organization', operation: 'removeContact', organization, contact },
		{ resource: 'organization', operation: 'addToDeal', organization, deal },
		{ resource: 'organization', operation: 'removeFromDeal', organization, deal },
		{ resource: 'deal', operation: 'get', deal },
		{ resource: 'deal', operation: 'getAll', funnel, status: SEED.statuses.newLead.id, ...page },
		{ resource: 'deal', operation: 'update', deal, updateFields: { description: 'x', customFields: { field: [{ fieldId: SEED.customFields.budget.id, value: '5' }] } } },
		{ resource: 'deal', operation: 'move', deal, funnel, status: SEED.statuses.qualified.id },
		{ resource: 'deal', operation: 'removeContact', deal, contact },
		{ resource: 'deal', operation: 'addOrganization', deal, organization },
		{ resource: 'deal', operation: 'removeOrganization', deal, organization },
		{ resource: 'deal', operation: 'addAssignee', deal, member: SEED.members.manager.id },
		{ resource: 'deal', operation: 'removeAssignee', deal, member: SEED.members.manager.id },
		{ resource: 'deal', operation: 'addTag', deal, tag: SEED.tags.hot.id },
		{ resource: 'deal', operation: 'removeTag', deal, tag: SEED.tags.hot.id },
		{ resource: 'deal', operation: 'get', deal: missingDeal },
		{ resource: 'funnel', operation: 'create', name: 'Funnel', currencyId: SEED.currencies.rub.id, additionalFields: {} },
		{ resource: 'funnel', operation: 'get', funnel },
		{ resource: 'funnel', operation: 'getAll', returnAll: true },
		{ resource: 'status', operation: 'get', funnel, status: SEED.statuses.newLead.id },
		{ resource: 'status', operation: 'getAll', funnel, returnAll: true },
		{ resource: 'member', operation: 'getAll', returnAll: true },
		{ resource: 'deal', operation: 'delete', deal },
		{ resource: 'organization', operation: 'delete', organization },
		{ resource: 'contact', operation: 'delete', contact },
	];
}

describe('secrets stay out of everything users and logs see', () => {
	it('runs every WEEEK operation, good and failing', async () => {
		for (const parameters of operations) {
			await runNode(parameters, WEEEK_TOKEN);
			await runNode(parameters, WEEEK_TOKEN, undefined, true);
			await runNode(parameters, `${WEEEK_TOKEN}-wrong`, undefined, true);
		}

		sandbox.setFaults({ rate5xx: 1 });
		await runNode(operations[0], WEEEK_TOKEN);
		sandbox.setFaults({ rate5xx: 0 });

		for (const method of ['searchFunnels', 'getStatuses', 'getDealCustomFields'] as const) {
			for (const token of [WEEEK_TOKEN, 'bad']) {
				const { context, harness } = createLoadOptionsContext({ parameters: { funnel }, credentials: { apiToken: token, baseUrl: sandbox.baseUrl } });
				const call = method === 'searchFunnels' ? node.methods.listSearch.searchFunnels.call(context) : node.methods.loadOptions[method].call(context);
				await call.then(
					(result) => record(harness.logs, result),
					(error: unknown) => record(harness.logs, undefined, error),
				);
			}
		}
		expect(seen.length).toBeGreaterThan(20);
	});

	it('runs every CRM operation and dropdown, good and failing', async () => {
		const created = await Promise.all([
			runNode({ resource: 'contact', operation: 'create', firstName: 'Ivan', additionalFields: {} }, WEEEK_TOKEN),
			runNode({ resource: 'organization', operation: 'create', name: 'Example LLC', additionalFields: {} }, WEEEK_TOKEN),
			runNode({ resource: 'deal', operation: 'create', funnel, status: SEED.statuses.newLead.id, title: 'Deal', additionalFields: {} }, WEEEK_TOKEN),
		]);
		const [contact, organization, deal] = created.map((output) => String(output?.[0].json.id));

		for (const parameters of crmOperations({ contact, organization, deal })) {
			await runNode(parameters, WEEEK_TOKEN);
			await runNode(parameters, `${WEEEK_TOKEN}-wrong`, undefined, true);
			await runNode({ ...parameters, dryRun: true }, WEEEK_TOKEN);
		}

		const methods: Array<[string, (context: ReturnType<typeof createLoadOptionsContext>['context']) => Promise<unknown>]> = [
			['searchContacts', (context) => node.methods.listSearch.searchContacts.call(context, 'Ivan')],
			['searchOrganizations', (context) => node.methods.listSearch.searchOrganizations.call(context)],
			['searchDeals', (context) => node.methods.listSearch.searchDeals.call(context)],
			['getMembers', (context) => node.methods.loadOptions.getMembers.call(context)],
			['getTags', (context) => node.methods.loadOptions.getTags.call(context)],
			['getCurrencies', (context) => node.methods.loadOptions.getCurrencies.call(context)],
		];
		for (const [, load] of methods) {
			for (const token of [WEEEK_TOKEN, 'bad']) {
				const { context, harness } = createLoadOptionsContext({ parameters: {}, credentials: { apiToken: token, baseUrl: sandbox.baseUrl, requestsPerSecond: 1000 } });
				await load(context).then(
					(result) => record(harness.logs, result),
					(error: unknown) => record(harness.logs, undefined, error),
				);
			}
		}
		expect(sandbox.state.deals.some((entry) => entry.id === deal)).toBe(false);
	});

	it('runs every trigger source, accepted and refused', async () => {
		const credentials = {
			weeekFacebookLeadAdsApi: { appSecret: SECRETS.appSecret, verifyToken: SECRETS.verifyToken, accessToken: SECRETS.pageToken, graphBaseUrl: graph.baseUrl },
			weeekVkCallbackApi: { confirmationCode: 'confirm', secret: SECRETS.vkSecret },
			weeekWebhookSecretApi: { secret: SECRETS.webhookSecret, location: 'apiKey' },
		};
		const facebookBody = loadSample('facebook-1.json').body;
		const signature = `sha256=${createHmac('sha256', SECRETS.appSecret).update(facebookBody).digest('hex')}`;
		const vkBody = JSON.parse(loadSample('vk-1.json').body) as IDataObject;

		const deliveries: Array<[Record<string, unknown>, Parameters<typeof createWebhookContext>[1]]> = [
			[{ source: 'facebook' }, { webhookName: 'setup', method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': SECRETS.verifyToken, 'hub.challenge': '42' } }],
			[{ source: 'facebook' }, { webhookName: 'setup', method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '42' } }],
			[{ source: 'facebook' }, { body: JSON.parse(facebookBody) as IDataObject, rawBody: Buffer.from(facebookBody), headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } }],
			[{ source: 'facebook' }, { body: JSON.parse(facebookBody) as IDataObject, rawBody: Buffer.from(facebookBody), headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' } }],
			[{ source: 'vk' }, { body: { ...vkBody, secret: SECRETS.vkSecret }, rawBody: Buffer.from(JSON.stringify({ ...vkBody, secret: SECRETS.vkSecret })), headers: { 'content-type': 'application/json' } }],
			[{ source: 'vk' }, { body: { ...vkBody, secret: 'wrong' }, rawBody: Buffer.from(JSON.stringify({ ...vkBody, secret: 'wrong' })), headers: { 'content-type': 'application/json' } }],
			[{ source: 'generic', checkSecret: true }, { body: { name: 'Ivan', phone: '+79990001234' }, headers: { 'content-type': 'application/json', 'x-webhook-secret': SECRETS.webhookSecret } }],
			[{ source: 'generic', checkSecret: true }, { body: { name: 'Ivan', phone: '+79990001234' }, headers: { 'content-type': 'application/json', 'x-webhook-secret': 'wrong' } }],
			[{ source: 'tilda', checkSecret: true }, { body: { Name: 'Ivan', Phone: '+79990001234', 'X-API-Key': SECRETS.webhookSecret }, headers: { 'content-type': 'application/json' } }],
		];

		for (const [parameters, request] of deliveries) {
			const { context, response, logs } = createWebhookContext(parameters, request, { credentials });
			const result = await trigger.webhook.call(context).catch((error: unknown) => ({ error }));
			record(logs, { result, response: { status: response.statusCode, body: response.body } }, (result as { error?: unknown }).error);
		}
		expect(graph.requests.length).toBeGreaterThan(0);
	});

	it('finds no secret in anything recorded', () => {
		const everything = seen.join('\n');
		for (const [name, secret] of Object.entries(SECRETS)) {
			expect({ name, leaked: everything.includes(secret) }).toEqual({ name, leaked: false });
		}
	});
});
