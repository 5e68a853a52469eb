/**
 * `weeek-watch` in a real Node-RED runtime (the test helper) against the WEEEK sandbox. Covered: the
 * baseline on deploy, each event, polls requested by an input message, restarts and redeploys that
 * continue from the state file, failures reported to catch nodes, and settings checks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { builtNodes, catalogueCalls, delay, everythingReported, helper, statusesOf, waitFor, type TestNode } from './support';

const SHARED = '@weeek-leads/node-red-weeek/weeek-config:';
const { newLead, qualified, contract, inbox } = SEED.statuses;

let sandbox: Sandbox;
let userDir: string;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	sandbox.reset();
	userDir = await mkdtemp(path.join(tmpdir(), 'weeek-watch-'));
	helper.settings({ userDir });
});

afterEach(async () => {
	await helper.unload();
	helper.settings({});
	await rm(userDir, { recursive: true, force: true });
});

function flow(properties: Record<string, unknown>): object[] {
	return [
		{ id: 'tab', type: 'tab', label: 'watch' },
		{ id: 'cfg', type: 'weeek-config', name: 'sandbox', baseUrl: sandbox.baseUrl, requestsPerSecond: 50 },
		...[
			{ id: 'watch', type: 'weeek-watch', config: 'cfg', event: 'newDeal', funnelId: SEED.funnels.sales.id, statusId: '', outcome: 'either', interval: 60, ...properties, wires: [['out']] },
			{ id: 'out', type: 'helper' },
			{ id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', type: 'helper' },
		].map((node) => ({ z: 'tab', x: 100, y: 100, ...node })),
	];
}

interface Loaded {
	messages: Array<Record<string, unknown>>;
	caught: Array<Record<string, unknown>>;
}

async function deploy(properties: Record<string, unknown> = {}, token = sandbox.token): Promise<Loaded> {
	await helper.load(builtNodes(), flow(properties), { cfg: { token } });
	const messages: Array<Record<string, unknown>> = [];
	const caught: Array<Record<string, unknown>> = [];
	helper.getNode('out').on('input', (msg) => messages.push(msg));
	helper.getNode('caught').on('input', (msg) => caught.push(msg));
	return { messages, caught };
}

/** Resolves when the watch node has shown a final status (green or red) `count` times. */
async function pollsFinished(count: number, timeoutMs = 8_000): Promise<void> {
	await waitFor(`${count} poll(s) finish`, () => statusesOf(helper.getNode('watch')).filter((status) => status.fill === 'green' || status.fill === 'red').length >= count, timeoutMs);
}

async function pollNow(count: number): Promise<void> {
	helper.getNode('watch').receive({ payload: 'poll now' });
	await pollsFinished(count);
}

async function weeek(method: string, apiPath: string, body: unknown): Promise<Record<string, any>> {
	const response = await fetch(`${sandbox.baseUrl}${apiPath}`, {
		method,
		headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json', accept: 'application/json' },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as Record<string, any>;
}

async function createDeal(statusId: string, title: string): Promise<string> {
	return (await weeek('POST', `/crm/statuses/${statusId}/deals`, { title })).deal.id;
}

const lastStatus = (node: TestNode) => statusesOf(node).pop();
const stateFile = () => path.join(userDir, 'weeek', 'watch-watch.json');

describe('weeek-watch', () => {
	it('sets a baseline on deploy and sends nothing', async () => {
		await createDeal(newLead.id, 'Existing');
		const { messages } = await deploy();

		await pollsFinished(1);

		expect(messages).toEqual([]);
		expect(lastStatus(helper.getNode('watch'))).toEqual({ fill: 'green', shape: 'ring', text: 'weeek-watch.status.baseline' });
		expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toMatchObject({ version: 1, deals: { funnelId: SEED.funnels.sales.id } });
	});

	it('sends a new deal once when asked to poll', async () => {
		const { messages } = await deploy();
		await pollsFinished(1);

		const id = await createDeal(qualified.id, 'Fresh deal');
		await pollNow(2);
		await pollNow(3);

		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({ event: 'newDeal', topic: 'weeek/newDeal', payload: { id, title: 'Fresh deal', statusId: qualified.id } });
		expect(statusesOf(helper.getNode('watch')).filter((status) => status.fill === 'green').map((status) => status.text)).toEqual([
			'weeek-watch.status.baseline',
			'weeek-watch.status.events',
			'weeek-watch.status.noEvents',
		]);
	});

	it('sends moves into the chosen status with the previous status', async () => {
		const mover = await createDeal(newLead.id, 'Mover');
		const other = await createDeal(newLead.id, 'Other');
		const { messages } = await deploy({ event: 'dealMoved', statusId: contract.id });
		await pollsFinished(1);

		await weeek('PUT', `/crm/deals/${mover}/status`, { statusId: qualified.id });
		await weeek('PUT', `/crm/deals/${mover}/status`, { statusId: contract.id });
		await weeek('PUT', `/crm/deals/${other}/status`, { statusId: qualified.id });
		await pollNow(2);

		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({ event: 'dealMoved', previousStatusId: newLead.id, payload: { id: mover, statusId: contract.id } });
	});

	it('sends won deals only when watching won', async () => {
		const won = await createDeal(newLead.id, 'Won');
		const lost = await createDeal(newLead.id, 'Lost');
		const { messages } = await deploy({ event: 'dealWonOrLost', outcome: 'won' });
		await pollsFinished(1);

		await weeek('PUT', `/crm/deals/${won}`, { winStatus: 'won' });
		await weeek('PUT', `/crm/deals/${lost}`, { winStatus: 'lost' });
		await pollNow(2);

		expect(messages.map((msg) => (msg.payload as { id: string }).id)).toEqual([won]);
		expect(messages[0]).toMatchObject({ event: 'dealWonOrLost', previousWinStatus: null, topic: 'weeek/dealWonOrLost' });
	});

	it('sends new contacts', async () => {
		const { messages } = await deploy({ event: 'newContact', funnelId: '' });
		await pollsFinished(1);

		await weeek('POST', '/crm/contacts', { firstName: 'Ольга' });
		await pollNow(2);

		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({ event: 'newContact', payload: { firstName: 'Ольга' } });
	});

	it('continues after a restart without repeating or skipping', async () => {
		const first = await deploy();
		await pollsFinished(1);
		await createDeal(newLead.id, 'Before redeploy');
		await pollNow(2);
		expect(first.messages.map((msg) => (msg.payload as { title: string }).title)).toEqual(['Before redeploy']);
		// Stopping the runtime's flows and loading them again is what a Node-RED restart does.
		await helper.unload();

		// Created while the flow was stopped.
		await createDeal(contract.id, 'While stopped');
		const second = await deploy();
		await pollsFinished(1);
		await pollNow(2);

		expect(second.messages.map((msg) => (msg.payload as { title: string }).title)).toEqual(['While stopped']);
	});

	it('sends nothing twice after a full redeploy', async () => {
		const { messages } = await deploy();
		await pollsFinished(1);
		await createDeal(newLead.id, 'Before redeploy');
		await pollNow(2);

		// A full deploy from the editor stops and starts every node, this one included.
		await (helper as unknown as { setFlows(flow: object[], type: string, credentials: object): Promise<void> }).setFlows(flow({}), 'full', { cfg: { token: sandbox.token } });
		const afterRedeploy: Array<Record<string, unknown>> = [];
		helper.getNode('out').on('input', (msg) => afterRedeploy.push(msg));
		await createDeal(contract.id, 'After redeploy');
		await waitFor('the first poll after the redeploy finishes', () => existsSync(stateFile()) && lastStatus(helper.getNode('watch'))?.fill === 'green');
		helper.getNode('watch').receive({ payload: 'poll now' });
		await waitFor('the redeployed node sends', () => afterRedeploy.length >= 1);
		helper.getNode('watch').receive({ payload: 'poll now' });
		await delay(300);

		expect(messages.map((msg) => (msg.payload as { title: string }).title)).toEqual(['Before redeploy']);
		expect(afterRedeploy.map((msg) => (msg.payload as { title: string }).title)).toEqual(['After redeploy']);
	});

	it('deletes its state file when the node is removed', async () => {
		await deploy();
		await pollsFinished(1);
		expect(existsSync(stateFile())).toBe(true);

		// A "modified nodes" deploy without the node closes it as removed, as the editor does.
		await (helper as unknown as { setFlows(flow: object[], type: string, credentials: object): Promise<void> }).setFlows(
			flow({}).filter((node) => (node as { id: string }).id !== 'watch'),
			'nodes',
			{ cfg: { token: sandbox.token } },
		);

		await waitFor('the state file is deleted', () => !existsSync(stateFile()));
	});
});

describe('weeek-watch failures', () => {
	it('reports a failed poll to catch nodes and catches up later', async () => {
		const mover = await createDeal(newLead.id, 'Mover');
		const { messages, caught } = await deploy({ event: 'dealMoved' });
		await pollsFinished(1);
		const saved = readFileSync(stateFile(), 'utf8');

		await weeek('PUT', `/crm/deals/${mover}/status`, { statusId: qualified.id });
		// Every attempt of the retrying client fails, so the poll fails.
		sandbox.queueFault({ method: 'GET', pathPattern: `/crm/funnels/${SEED.funnels.sales.id}/statuses`, fault: '503', times: 5 });
		helper.getNode('watch').receive({ payload: 'poll now' });
		await waitFor('the failure is caught', () => caught.length === 1, 20_000);

		expect(lastStatus(helper.getNode('watch'))).toEqual({ fill: 'red', shape: 'ring', text: `${SHARED}status.failed.server` });
		expect((caught[0].error as { message: string }).message).toMatch(/503/);
		expect(readFileSync(stateFile(), 'utf8')).toBe(saved);

		await pollNow(3);
		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({ previousStatusId: newLead.id, payload: { statusId: qualified.id } });
	}, 30_000);

	it('reports a rejected token without showing it', async () => {
		const wrongToken = 'wrong-token-8d3f2b1a9c';
		const { caught } = await deploy({}, wrongToken);

		await waitFor('the failure is caught', () => caught.length === 1);

		expect(lastStatus(helper.getNode('watch'))).toEqual({ fill: 'red', shape: 'ring', text: `${SHARED}status.failed.unauthorized` });
		expect(caught[0].topic).toBe('weeek/newDeal');
		expect(everythingReported(helper.getNode('watch'))).not.toContain(wrongToken);
		expect(JSON.stringify(caught[0])).not.toContain(wrongToken);
		expect(existsSync(stateFile())).toBe(false);
	});

	it('names a status outside the funnel', async () => {
		const { caught } = await deploy({ statusId: inbox.id });

		await waitFor('the failure is caught', () => caught.length === 1);

		expect((caught[0].error as { message: string }).message).toContain(inbox.id);
		expect(lastStatus(helper.getNode('watch'))).toEqual({ fill: 'red', shape: 'ring', text: `${SHARED}status.failed.setup` });
	});

	it('raises a too short interval to the minimum', async () => {
		await deploy({ interval: 2 });
		await pollsFinished(1);

		const warnings = helper
			.getNode('watch')
			.warn.getCalls()
			.map((call) => String(call.args[0]));
		expect(warnings).toContain('weeek-watch.warn.intervalBelowMinimum');
		expect(catalogueCalls('weeek-watch.warn.intervalBelowMinimum').map((call) => call.params)).toEqual([{ value: 2, minimum: 10 }]);
	});
});
