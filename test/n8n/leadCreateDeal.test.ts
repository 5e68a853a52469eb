import type { IDataObject } from 'n8n-workflow';

import { Weeek } from '../../nodes/Weeek/Weeek.node';
import { normalizeLead } from '../../shared/leads';
import { loadSample } from '../fixtures/samples';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { createExecuteContext, createLoadOptionsContext, type HarnessCredentials } from './harness';

const node = new Weeek();
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

function tildaLead(name: string): IDataObject {
	const sample = loadSample(name);
	return normalizeLead('tilda', { body: sample.body, contentType: sample.contentType, receivedAt: Date.now() }) as unknown as IDataObject;
}

const parameters = {
	resource: 'lead',
	operation: 'createDeal',
	funnel: { __rl: true, mode: 'list', value: SEED.funnels.sales.id },
	status: SEED.statuses.newLead.id,
	contactMode: 'reuse',
	titleTemplate: '{source}: {name}',
	amount: '',
	additionalFields: {},
};

async function run(items: IDataObject[], staticData: IDataObject, overrides: Record<string, unknown> = {}, continueOnFail = false) {
	const { context } = createExecuteContext({
		parameters: { ...parameters, ...overrides },
		items: items.map((json) => ({ json })),
		credentials,
		staticData,
		continueOnFail,
	});
	const [output] = await node.execute.call(context);
	return output;
}

describe('WEEEK node: Lead → Create Deal', () => {
	it('turns a lead into a linked contact and deal', async () => {
		const output = await run([tildaLead('tilda-1.txt')], {});

		expect(output[0].json.contact).toEqual({ id: sandbox.state.contacts[0].id, outcome: 'created' });
		expect(output[0].json.deal).toEqual({ id: sandbox.state.deals[0].id, outcome: 'created', statusId: SEED.statuses.newLead.id });
		expect(sandbox.state.deals[0].contacts).toEqual([sandbox.state.contacts[0].id]);
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('reports a redelivered lead as existing', async () => {
		const staticData: IDataObject = {};
		await run([tildaLead('tilda-1.txt')], staticData);
		const output = await run([tildaLead('tilda-6.txt')], staticData);

		expect((output[0].json.deal as IDataObject).outcome).toBe('existing');
		expect(sandbox.state.deals).toHaveLength(1);
		expect(sandbox.state.contacts).toHaveLength(1);
	});

	it('reads the credential once per batch', async () => {
		const { context, harness } = createExecuteContext({
			parameters: { ...parameters, contactMode: 'create' },
			items: [tildaLead('tilda-1.txt'), tildaLead('tilda-6.txt')].map((json, index) => ({ json: { ...json, dedupKey: `tilda:batch-${index}` } })),
			credentials,
			staticData: {},
		});

		await node.execute.call(context);

		expect(sandbox.requests.map((request) => request.status)).toEqual([200, 200, 200, 200]);
		expect(harness.credentialReads).toBe(1);
	});

	it('handles a lead twice in one batch once', async () => {
		const output = await run([tildaLead('tilda-1.txt'), tildaLead('tilda-6.txt')], {});

		expect(output.map((item) => (item.json.deal as IDataObject).outcome)).toEqual(['created', 'existing']);
		expect(sandbox.state.deals).toHaveLength(1);
	});

	it('rejects items that are not normalized leads', async () => {
		await expect(run([{ name: 'Ivan', phone: '+7 999' }], {})).rejects.toThrow(/not a normalized lead/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('keeps the lead on the error item', async () => {
		const lead = tildaLead('tilda-1.txt');
		const output = await run([lead], {}, { status: 'NoSuchStatus0001' }, true);

		expect(output[0].json.dedupKey).toBe(lead.dedupKey);
		expect(output[0].json.phones).toEqual(lead.phones);
		expect(String(output[0].json.error)).toMatch(/no status 'NoSuchStatus0001'/);
	});

	it('lists the funnel custom fields', async () => {
		const { context } = createLoadOptionsContext({ parameters: { funnel: parameters.funnel }, credentials });
		const options = await node.methods.loadOptions.getDealCustomFields.call(context);

		expect(options.map((option) => option.value).sort()).toEqual(
			[SEED.customFields.leadKey.id, SEED.customFields.utmSource.id, SEED.customFields.channel.id, SEED.customFields.budget.id].sort(),
		);
		expect(options.find((option) => option.value === SEED.customFields.leadKey.id)?.name).toBe('Lead key (text)');
	});
});

describe('WEEEK node: replaying a failed item', () => {
	it('finds the deal a lost answer left in WEEEK', async () => {
		const lead = tildaLead('tilda-1.txt');
		await run([lead], {});

		// A replay workflow has its own, empty node memory; the failed item still carries its error.
		const output = await run([{ ...lead, error: 'The connection to WEEEK broke while trying to create a deal' }], {});

		expect((output[0].json.deal as IDataObject).outcome).toBe('existing');
		expect(sandbox.state.deals).toHaveLength(1);
	});

	it('creates again without the error field', async () => {
		const lead = tildaLead('tilda-1.txt');
		await run([lead], {});

		await run([lead], {});

		// Without memory, the error field or the option, the node has no reason to look WEEEK up first.
		expect(sandbox.state.deals).toHaveLength(2);
	});
});

describe('WEEEK node: Dry Run', () => {
	it('lists the requests of a new lead and sends none', async () => {
		const lead = tildaLead('tilda-1.txt');
		const { context } = createExecuteContext({
			parameters: { ...parameters, dryRun: true },
			items: [{ json: lead }],
			credentials: { apiToken: 'unused', baseUrl: 'http://127.0.0.1:9/public/v1' },
			staticData: {},
		});
		const [output] = await node.execute.call(context);

		const requests = (output[0].json.dryRun as IDataObject).requests as IDataObject[];
		expect(requests.map((request) => `${String(request.method)} ${String(request.path).split('?')[0]}`)).toEqual([
			'GET /crm/contacts',
			'GET /crm/contacts',
			'POST /crm/contacts',
			`POST /crm/statuses/${SEED.statuses.newLead.id}/deals`,
		]);
		expect((requests[3].body as IDataObject).title).toBe('Tilda: Иван Тестов');
		expect((requests[3].body as IDataObject).contacts).toEqual(['dry-run-contact-1']);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('leaves the lead memory unchanged', async () => {
		const lead = tildaLead('tilda-1.txt');
		const staticData: IDataObject = {};
		const { context } = createExecuteContext({
			parameters: { ...parameters, dryRun: true },
			items: [{ json: lead }],
			credentials: { apiToken: 'unused', baseUrl: 'http://127.0.0.1:9/public/v1' },
			staticData,
		});
		await node.execute.call(context);
		const memory = staticData.leadMemory as { entries: Record<string, unknown> };
		expect(Object.keys(memory.entries)).toEqual([]);

		const output = await run([lead], staticData);

		expect((output[0].json.deal as IDataObject).outcome).toBe('created');
		expect(sandbox.state.deals).toHaveLength(1);
	});

	it('still rejects invalid input', async () => {
		const { context } = createExecuteContext({
			parameters: { resource: 'deal', operation: 'create', dryRun: true, funnel: parameters.funnel, status: SEED.statuses.newLead.id, title: 'x', additionalFields: { amount: 'lots' } },
			credentials: { apiToken: 'unused', baseUrl: 'http://127.0.0.1:9/public/v1' },
		});
		await expect(node.execute.call(context)).rejects.toThrow(/'Amount' is not a number/);
	});
});
