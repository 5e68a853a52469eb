import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { WeeekApi } from '../../credentials/WeeekApi.credentials';
import { Weeek } from '../../nodes/Weeek/Weeek.node';
import { WeeekLeadTrigger } from '../../nodes/WeeekLeadTrigger/WeeekLeadTrigger.node';
import { loadSample, parseFormBody } from '../fixtures/samples';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import {
	createExecuteContext,
	createLoadOptionsContext,
	createWebhookContext,
	runCredentialTest,
	type HarnessCredentials,
} from './harness';

const node = new Weeek();
const trigger = new WeeekLeadTrigger();

let sandbox: Sandbox;
let credentials: HarnessCredentials;

beforeAll(async () => {
	sandbox = await startSandbox();
	credentials = { apiToken: sandbox.token, baseUrl: sandbox.baseUrl };
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function run(
	parameters: Record<string, unknown>,
	items?: INodeExecutionData[],
	extra: { continueOnFail?: boolean; onError?: 'continueErrorOutput' | 'continueRegularOutput'; credentials?: HarnessCredentials } = {},
) {
	const { context, harness } = createExecuteContext({
		parameters,
		items,
		continueOnFail: extra.continueOnFail,
		onError: extra.onError,
		credentials: extra.credentials ?? credentials,
	});
	const output = await node.execute.call(context);
	return { output: output[0], harness };
}

function apiRequests(method: string, pathPattern: RegExp) {
	return sandbox.requests.filter((entry) => entry.method === method && pathPattern.test(entry.path));
}

const salesFunnel = { __rl: true, mode: 'list', value: SEED.funnels.sales.id };

describe('WEEEK node: Contact → Create', () => {
	it('creates a contact with normalized phones and e-mails', async () => {
		const { output } = await run({
			resource: 'contact',
			operation: 'create',
			firstName: 'Ivan',
			additionalFields: { lastName: 'Testov', emails: ' Ivan.Testov@Example.RU ', phones: '8 (999) 000-12-34; +7 999 000 33 44' },
		});

		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		const created = sandbox.state.contacts;
		expect(created).toHaveLength(1);
		expect(created[0].firstName).toBe('Ivan');
		expect(created[0].lastName).toBe('Testov');
		expect(created[0].emails.map((entry) => entry.email)).toEqual(['ivan.testov@example.ru']);
		expect(created[0].phones.map((entry) => entry.phone)).toEqual(['+79990001234', '+79990003344']);
		expect(output[0].json.id).toBe(created[0].id);
	});

	it('reports an empty first name before calling WEEEK', async () => {
		await expect(run({ resource: 'contact', operation: 'create', firstName: '  ', additionalFields: {} })).rejects.toThrow(
			/First Name/,
		);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('WEEEK node: Deal → Create', () => {
	it('sends title and a numeric amount, never name', async () => {
		const { output } = await run({
			resource: 'deal',
			operation: 'create',
			funnel: salesFunnel,
			status: SEED.statuses.newLead.id,
			title: 'Kitchen — Ivan',
			additionalFields: { amount: '150 000,50', description: 'From Tilda' },
		});

		const [sent] = apiRequests('POST', /^\/crm\/statuses\/[^/]+\/deals$/);
		expect(sent.path).toBe(`/crm/statuses/${SEED.statuses.newLead.id}/deals`);
		expect(sent.body).toEqual({ title: 'Kitchen — Ivan', amount: 150000.5, description: 'From Tilda' });
		expect(sent.body).not.toHaveProperty('name');

		const deal = sandbox.state.deals.find((entry) => entry.id === output[0].json.id)!;
		expect(deal.statusId).toBe(SEED.statuses.newLead.id);
		expect(deal.amount).toBe(150000.5);
	});

	it('names the unknown status and says how to fix it', async () => {
		await expect(
			run({ resource: 'deal', operation: 'create', funnel: salesFunnel, status: 'NoSuchStatus0001', title: 'x', additionalFields: {} }),
		).rejects.toThrow(/no status 'NoSuchStatus0001'.*pick the status again/);
	});

	it('rejects an amount that is not a number', async () => {
		await expect(
			run({ resource: 'deal', operation: 'create', funnel: salesFunnel, status: SEED.statuses.newLead.id, title: 'x', additionalFields: { amount: 'a lot' } }),
		).rejects.toThrow(/'Amount' is not a number/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('WEEEK node: Deal → Add Contact', () => {
	it('links the contact to the deal in WEEEK', async () => {
		const contact = await run({ resource: 'contact', operation: 'create', firstName: 'Anna', additionalFields: {} });
		const deal = await run({ resource: 'deal', operation: 'create', funnel: salesFunnel, status: SEED.statuses.newLead.id, title: 'Anna', additionalFields: {} });

		const { output } = await run({
			resource: 'deal',
			operation: 'addContact',
			dealId: String(deal.output[0].json.id),
			contactId: String(contact.output[0].json.id),
		});

		expect(output[0].json).toEqual({ success: true, dealId: deal.output[0].json.id, contactId: contact.output[0].json.id });
		expect(sandbox.state.deals.find((entry) => entry.id === deal.output[0].json.id)?.contacts).toEqual([contact.output[0].json.id]);
	});
});

describe('WEEEK node: failures', () => {
	const badCredentials = () => ({ apiToken: 'wrong-token-4f1d', baseUrl: sandbox.baseUrl });

	it('explains a rejected token without showing it', async () => {
		const error = await run({ resource: 'contact', operation: 'create', firstName: 'Ivan', additionalFields: {} }, undefined, {
			credentials: badCredentials(),
		}).catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toMatch(/rejected the API token.*Workspace settings → API/);
		expect(JSON.stringify(error)).not.toContain('wrong-token-4f1d');
		expect((error as Error).message).not.toContain('wrong-token-4f1d');
	});

	it('keeps the failed lead on the item with Continue On Fail', async () => {
		const lead = { name: 'Ivan', phones: ['+79990001234'], dedupKey: 'tilda:1' };
		const { output } = await run(
			{ resource: 'contact', operation: 'create', firstName: 'Ivan', additionalFields: {} },
			[{ json: lead }],
			{ continueOnFail: true, credentials: badCredentials() },
		);

		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject(lead);
		expect(String(output[0].json.error)).toMatch(/rejected the API token/);
		// n8n would replace the JSON of an item with an `error` property by `{ error }`, dropping the lead.
		expect(output[0].error).toBeUndefined();
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('leaves the lead to n8n on the error output', async () => {
		const lead = { name: 'Ivan', phones: ['+79990001234'], dedupKey: 'tilda:1' };
		const { output } = await run(
			{ resource: 'contact', operation: 'create', firstName: 'Ivan', additionalFields: {} },
			[{ json: lead }],
			{ continueOnFail: true, onError: 'continueErrorOutput', credentials: badCredentials() },
		);

		// n8n routes an item whose JSON is only `error` to the error output and merges the input item into it.
		expect(Object.keys(output[0].json)).toEqual(['error']);
		expect(String(output[0].json.error)).toMatch(/rejected the API token/);
		expect(output[0].error).toBeUndefined();
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('WEEEK node: dropdowns', () => {
	it('lists the sandbox funnels by name', async () => {
		const { context } = createLoadOptionsContext({ parameters: {}, credentials });
		const result = await node.methods.listSearch.searchFunnels.call(context);

		const names = result.results.map((entry) => entry.name);
		expect(names).toEqual(expect.arrayContaining([SEED.funnels.sales.name, SEED.funnels.partners.name]));
		expect(result.results.find((entry) => entry.name === SEED.funnels.sales.name)?.value).toBe(SEED.funnels.sales.id);
	});

	it('filters funnels by the search text', async () => {
		const { context } = createLoadOptionsContext({ parameters: {}, credentials });
		const result = await node.methods.listSearch.searchFunnels.call(context, SEED.funnels.partners.name.slice(0, 4).toLowerCase());

		expect(result.results.map((entry) => entry.value)).toEqual([SEED.funnels.partners.id]);
	});

	it('lists exactly the statuses of the chosen funnel', async () => {
		for (const funnel of [SEED.funnels.sales, SEED.funnels.partners]) {
			const { context } = createLoadOptionsContext({ parameters: { funnel: { __rl: true, mode: 'list', value: funnel.id } }, credentials });
			const options = await node.methods.loadOptions.getStatuses.call(context);

			const expected = sandbox.state.statuses.filter((status) => status.funnelId === funnel.id);
			expect(options.map((option) => option.value)).toEqual(expected.map((status) => status.id));
			expect(options.map((option) => option.name)).toEqual(expected.map((status) => status.name));
		}
	});

	it('returns no statuses while no funnel is chosen', async () => {
		const { context } = createLoadOptionsContext({ parameters: { funnel: { __rl: true, mode: 'list', value: '' } }, credentials });
		expect(await node.methods.loadOptions.getStatuses.call(context)).toEqual([]);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('WEEEK API credential', () => {
	it('passes its test request with a valid token', async () => {
		expect((await runCredentialTest(credentials)).statusCode).toBe(200);
	});

	it('fails its test request with a wrong token', async () => {
		expect((await runCredentialTest({ apiToken: 'nope', baseUrl: sandbox.baseUrl })).statusCode).toBe(401);
	});

	it('adds the bearer header, keeping the others', async () => {
		const request = { url: `${sandbox.baseUrl}/ws`, headers: { Accept: 'application/json' } };
		const authenticate = new WeeekApi().authenticate;

		const authenticated = await authenticate({ apiToken: 't0k' }, request);

		expect(authenticated.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer t0k' });
		expect(authenticated.url).toBe(request.url);
		expect(request.headers).toEqual({ Accept: 'application/json' });
	});
});

describe('Tilda lead to linked contact and deal', () => {
	async function receive(sampleName: string) {
		const sample = loadSample(sampleName);
		const isForm = sample.contentType.includes('urlencoded');
		const { context, response } = createWebhookContext(
			{ source: 'tilda' },
			{
				body: isForm ? parseFormBody(sample.body) : JSON.parse(sample.body),
				rawBody: Buffer.from(sample.body),
				headers: { 'content-type': sample.contentType },
			},
		);
		const result = await trigger.webhook.call(context);
		return { result, response };
	}

	it('answers the Tilda ping with 200 and starts nothing', async () => {
		const { result, response } = await receive('tilda-2.txt');

		expect(response.statusCode).toBe(200);
		expect(result.workflowData).toBeUndefined();
		expect(sandbox.requests).toHaveLength(0);
	});

	it('creates one contact and one deal, linked, from tilda-1', async () => {
		const { result, response } = await receive('tilda-1.txt');
		expect(response.statusCode).toBe(200);
		const lead = result.workflowData![0][0].json as IDataObject;

		const contact = await run(
			{ resource: 'contact', operation: 'create', firstName: lead.firstName ?? lead.name, additionalFields: { lastName: lead.lastName ?? '', emails: (lead.emails as string[]).join(','), phones: (lead.phones as string[]).join(',') } },
			[{ json: lead }],
		);
		const deal = await run(
			{ resource: 'deal', operation: 'create', funnel: salesFunnel, status: SEED.statuses.newLead.id, title: `Tilda: ${String(lead.name)}`, additionalFields: {} },
			[{ json: lead }],
		);
		await run({ resource: 'deal', operation: 'addContact', dealId: deal.output[0].json.id, contactId: contact.output[0].json.id });

		const contacts = sandbox.state.contacts;
		const deals = sandbox.state.deals;
		expect(contacts).toHaveLength(1);
		expect(contacts[0].phones.map((entry) => entry.phone)).toEqual(['+79990001234']);
		expect(contacts[0].emails.map((entry) => entry.email)).toEqual(['ivan.testov@example.ru']);
		expect(deals).toHaveLength(1);
		expect(deals[0].title).toBe('Tilda: Иван Тестов');
		expect(deals[0].contacts).toEqual([contacts[0].id]);
	});
});
