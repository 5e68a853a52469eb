/**
 * The WEEEK Trigger polling node in the n8n harness against the sandbox: baseline, each event,
 * static data across restarts, "Fetch Test Event", errors, and the reused funnel and status lists.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WeeekTrigger } from '../../nodes/WeeekTrigger/WeeekTrigger.node';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { createLoadOptionsContext, createPollContext, type HarnessCredentials } from './harness';

const trigger = new WeeekTrigger();
const { newLead, qualified, contract, inbox } = SEED.statuses;
const salesFunnel = { __rl: true, mode: 'list', value: SEED.funnels.sales.id };

let sandbox: Sandbox;
let credentials: HarnessCredentials;

beforeAll(async () => {
	sandbox = await startSandbox();
	credentials = { apiToken: sandbox.token, baseUrl: sandbox.baseUrl, requestsPerSecond: 100 };
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

/** Runs one poll. `staticData` is the node's static data, kept by the caller between polls as n8n does. */
async function poll(parameters: Record<string, unknown>, staticData: IDataObject, extra: { mode?: 'manual' | 'trigger'; credentials?: HarnessCredentials } = {}) {
	const { context, harness } = createPollContext({
		parameters,
		staticData,
		credentials: extra.credentials ?? credentials,
		mode: extra.mode,
		nodeType: 'n8n-nodes-weeek.weeekTrigger',
	});
	const output = await trigger.poll.call(context);
	return { items: output?.[0], output, harness };
}

const json = (items: INodeExecutionData[] | undefined) => (items ?? []).map((item) => item.json);

async function createDeal(statusId: string, title: string): Promise<string> {
	const response = await fetch(`${sandbox.baseUrl}/crm/statuses/${statusId}/deals`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json', accept: 'application/json' },
		body: JSON.stringify({ title }),
	});
	return ((await response.json()) as { deal: { id: string } }).deal.id;
}

async function weeek(method: string, apiPath: string, body: unknown): Promise<void> {
	const response = await fetch(`${sandbox.baseUrl}${apiPath}`, {
		method,
		headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json', accept: 'application/json' },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(200);
}

describe('WEEEK Trigger description', () => {
	it('is a polling trigger with the WEEEK credential', () => {
		const description = trigger.description;

		expect(description.polling).toBe(true);
		expect(description.inputs).toEqual([]);
		expect(description.group).toEqual(['trigger']);
		expect(description.credentials).toEqual([{ name: 'weeekApi', required: true }]);
	});

	it('is listed in the package', () => {
		const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };

		expect(manifest.n8n.nodes).toContain('dist/nodes/WeeekTrigger/WeeekTrigger.node.js');
	});

	it('lists event options alphabetically', () => {
		const event = trigger.description.properties.find((property) => property.name === 'event');
		const names = (event?.options ?? []).map((option) => (option as { name: string }).name);

		expect(names).toEqual([...names].sort());
	});
});

describe('WEEEK Trigger polls', () => {
	it('sets a baseline, then emits each new deal once', async () => {
		await createDeal(newLead.id, 'Before activation');
		const staticData: IDataObject = {};
		const parameters = { event: 'newDeal', funnel: salesFunnel, statuses: [] };

		expect((await poll(parameters, staticData)).output).toBeNull();
		expect(staticData.weeekWatch).toMatchObject({ version: 1, deals: { funnelId: SEED.funnels.sales.id } });

		const id = await createDeal(qualified.id, 'After activation');
		const { items } = await poll(parameters, staticData);
		expect(json(items)).toHaveLength(1);
		expect(json(items)[0]).toMatchObject({ id, title: 'After activation', statusId: qualified.id, event: 'newDeal' });
		expect((await poll(parameters, staticData)).output).toBeNull();
	});

	it('emits a move with the previous status, for the chosen statuses only', async () => {
		const toContract = await createDeal(newLead.id, 'To contract');
		const toQualified = await createDeal(newLead.id, 'To qualified');
		const staticData: IDataObject = {};
		const parameters = { event: 'dealMoved', funnel: salesFunnel, statuses: [contract.id] };
		await poll(parameters, staticData);

		await weeek('PUT', `/crm/deals/${toContract}/status`, { statusId: qualified.id });
		await weeek('PUT', `/crm/deals/${toContract}/status`, { statusId: contract.id });
		await weeek('PUT', `/crm/deals/${toQualified}/status`, { statusId: qualified.id });

		const { items } = await poll(parameters, staticData);
		expect(json(items)).toEqual([expect.objectContaining({ id: toContract, statusId: contract.id, previousStatusId: newLead.id, event: 'dealMoved' })]);
	});

	it('emits lost deals only when watching lost', async () => {
		const won = await createDeal(newLead.id, 'Won');
		const lost = await createDeal(newLead.id, 'Lost');
		const staticData: IDataObject = {};
		const parameters = { event: 'dealWonOrLost', funnel: salesFunnel, outcome: 'lost' };
		await poll(parameters, staticData);

		await weeek('PUT', `/crm/deals/${won}`, { winStatus: 'won' });
		await weeek('PUT', `/crm/deals/${lost}`, { winStatus: 'lost' });

		const { items } = await poll(parameters, staticData);
		expect(json(items)).toEqual([expect.objectContaining({ id: lost, winStatus: 'lost', previousWinStatus: null, event: 'dealWonOrLost' })]);
	});

	it('emits new contacts', async () => {
		const staticData: IDataObject = {};
		await poll({ event: 'newContact' }, staticData);

		await weeek('POST', '/crm/contacts', { firstName: 'Мария', phones: ['+79990001234'] });

		const { items } = await poll({ event: 'newContact' }, staticData);
		expect(json(items)).toEqual([expect.objectContaining({ firstName: 'Мария', event: 'newContact' })]);
		expect(json(items)[0].phones).toEqual([expect.objectContaining({ phone: '+79990001234' })]);
	});

	it('emits nothing twice across restarts', async () => {
		const parameters = { event: 'newDeal', funnel: salesFunnel, statuses: [] };
		// n8n keeps static data in the database as JSON; each poll here starts from that copy.
		let saved = JSON.stringify({});
		const restartAndPoll = async () => {
			const staticData = JSON.parse(saved) as IDataObject;
			const result = await poll(parameters, staticData);
			saved = JSON.stringify(staticData);
			return json(result.items).map((item) => item.title);
		};

		await restartAndPoll();
		await createDeal(newLead.id, 'One');
		expect(await restartAndPoll()).toEqual(['One']);
		await createDeal(contract.id, 'Two');
		await createDeal(newLead.id, 'Three');
		expect(await restartAndPoll()).toEqual(['Two', 'Three']);
		expect(await restartAndPoll()).toEqual([]);
	});
});

describe('WEEEK Trigger test event', () => {
	it('returns the newest matching record and keeps static data', async () => {
		await createDeal(newLead.id, 'Older');
		await createDeal(qualified.id, 'Newest');
		const staticData: IDataObject = {};

		const { items } = await poll({ event: 'newDeal', funnel: salesFunnel, statuses: [] }, staticData, { mode: 'manual' });

		expect(json(items)).toEqual([expect.objectContaining({ title: 'Newest', event: 'newDeal' })]);
		expect(staticData).toEqual({});
	});

	it('says what to do when nothing matches yet', async () => {
		const failure = poll({ event: 'dealWonOrLost', funnel: salesFunnel, outcome: 'won' }, {}, { mode: 'manual' });

		await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
		await expect(failure).rejects.toThrow(/no record that fits/);
	});
});

describe('WEEEK Trigger errors', () => {
	it('keeps the state when WEEEK rejects the token, and shows no token', async () => {
		const staticData: IDataObject = {};
		const parameters = { event: 'newDeal', funnel: salesFunnel, statuses: [] };
		await poll(parameters, staticData);
		const before = JSON.stringify(staticData);
		const wrongToken = 'wrong-token-5f1e9c2a7b';

		const failure = poll(parameters, staticData, { credentials: { ...credentials, apiToken: wrongToken } });

		await expect(failure).rejects.toBeInstanceOf(NodeApiError);
		const error = (await failure.catch((caught: unknown) => caught)) as NodeApiError;
		expect(error.description).toMatch(/next poll reads the same period again/);
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(wrongToken);
		expect(JSON.stringify(staticData)).toBe(before);
	});

	it('names a status outside the funnel', async () => {
		const failure = poll({ event: 'newDeal', funnel: salesFunnel, statuses: [inbox.id] }, {});

		await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
		await expect(failure).rejects.toThrow(new RegExp(`status '${inbox.id}' is not in funnel`));
	});

	it('asks for a funnel', async () => {
		await expect(poll({ event: 'newDeal', funnel: { __rl: true, mode: 'list', value: '' }, statuses: [] }, {})).rejects.toThrow(/pick the funnel/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('WEEEK Trigger lists', () => {
	it('loads the statuses of the chosen funnel through the WEEEK node method', async () => {
		const { context } = createLoadOptionsContext({ parameters: { event: 'dealMoved', funnel: salesFunnel }, credentials });

		const statuses = await trigger.methods.loadOptions.getStatuses.call(context);

		expect(statuses.map((status) => status.value)).toEqual([newLead.id, qualified.id, SEED.statuses.negotiation.id, contract.id]);
	});

	it('searches funnels through the WEEEK node method', async () => {
		const { context } = createLoadOptionsContext({ parameters: {}, credentials });

		const found = await trigger.methods.listSearch.searchFunnels.call(context, 'part');

		expect(found.results).toEqual([{ name: 'Partners', value: SEED.funnels.partners.id }]);
	});
});
