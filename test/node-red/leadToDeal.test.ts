/**
 * `weeek-lead-to-deal` in a real Node-RED runtime (the test helper) against the WEEEK sandbox:
 * requests per lead, redeliveries before and after a restart, a deal whose response was lost,
 * the contact modes and failures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { normalizeLead } from '../../shared/leads';
import type { NormalizedLead } from '../../shared/leads/types';
import { loadSample } from '../fixtures/samples';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { builtNodes, delay, everythingReported, helper, nextMessage, statusesOf, waitFor, type TestNode } from './support';

const STATUS_ID = SEED.statuses.newLead.id;
const TILDA_KEY = 'tilda:1234567:8901234567';

let sandbox: Sandbox;
let userDir: string;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	userDir = await mkdtemp(path.join(tmpdir(), 'weeek-lead-to-deal-'));
	helper.settings({ userDir });
});

afterEach(async () => {
	await helper.unload();
	helper.settings({});
	sandbox.reset();
	await rm(userDir, { recursive: true, force: true });
});

function tildaLead(sampleName = 'tilda-1.txt'): NormalizedLead {
	const sample = loadSample(sampleName);
	return normalizeLead('tilda', { body: sample.body, contentType: sample.contentType, receivedAt: Date.now() });
}

/** Builds a lead from another source with the phone of tilda-1 and a new e-mail. */
function samePersonLead(): NormalizedLead {
	return normalizeLead('generic', { body: { id: 'g-501', name: 'Иван Тестов', phone: '8 (999) 000-12-34', email: 'ivan.work@example.ru' }, receivedAt: Date.now() });
}

function flow(properties: Record<string, unknown> = {}, nodeId = 'toDeal'): object[] {
	return [
		{ id: 'tab', type: 'tab', label: 'lead to deal' },
		{ id: 'cfg', type: 'weeek-config', name: 'sandbox', baseUrl: sandbox.baseUrl, requestsPerSecond: 50 },
		...[
			{
				id: nodeId,
				type: 'weeek-lead-to-deal',
				config: 'cfg',
				funnelId: SEED.funnels.sales.id,
				statusId: STATUS_ID,
				contactMode: 'create',
				titleTemplate: '{source}: {name}',
				amount: '',
				amountType: 'num',
				customFields: [],
				alwaysCheckWeeek: false,
				...properties,
				wires: [['out']],
			},
			{ id: 'out', type: 'helper' },
			{ id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', type: 'helper' },
		].map((node) => ({ z: 'tab', x: 100, y: 100, ...node })),
	];
}

async function load(properties: Record<string, unknown> = {}, token = sandbox.token, nodeId = 'toDeal'): Promise<void> {
	await helper.load(builtNodes(), flow(properties, nodeId), { cfg: { token } });
}

interface DealResult {
	payload: NormalizedLead;
	weeek: { contact?: { id: string; outcome: string }; deal: { id: string; outcome: string; statusId: string }; weeekCalls: number };
}

async function sendLead(lead: NormalizedLead, nodeId = 'toDeal'): Promise<DealResult> {
	const received = nextMessage(helper.getNode('out'));
	helper.getNode(nodeId).receive({ payload: lead });
	return (await received) as unknown as DealResult;
}

/** Creates a contact in the sandbox the way a sales manager would, outside the flow. */
async function existingContact(body: Record<string, unknown>): Promise<string> {
	const response = await fetch(`${sandbox.baseUrl}/crm/contacts`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const created = (await response.json()) as { contact: { id: string } };
	return created.contact.id;
}

function collect(node: TestNode): Array<Record<string, unknown>> {
	const messages: Array<Record<string, unknown>> = [];
	node.on('input', (msg) => messages.push(msg));
	return messages;
}

const writes = () => sandbox.requests.filter((entry) => entry.method !== 'GET');

describe('weeek-lead-to-deal', () => {
	it('makes a linked contact and deal in two WEEEK calls', async () => {
		await load();

		const msg = await sendLead(tildaLead());

		expect(sandbox.requests.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['POST /crm/contacts', `POST /crm/statuses/${STATUS_ID}/deals`]);
		const [contact] = sandbox.state.contacts;
		const [deal] = sandbox.state.deals;
		expect(deal.contacts).toEqual([contact.id]);
		expect(deal.statusId).toBe(STATUS_ID);
		expect(deal.title).toBe('Tilda: Иван Тестов');
		expect(deal.description).toContain(`Lead key: ${TILDA_KEY}`);
		expect(msg.weeek).toEqual({ contact: { id: contact.id, outcome: 'created' }, deal: { id: deal.id, outcome: 'created', statusId: STATUS_ID }, weeekCalls: 2 });
		expect(msg.payload.dedupKey).toBe(TILDA_KEY);
		expect(statusesOf(helper.getNode('toDeal')).pop()).toEqual({ fill: 'green', shape: 'dot', text: 'weeek-lead-to-deal.status.created' });
	});

	it('creates nothing for the same lead delivered again', async () => {
		await load();
		const first = await sendLead(tildaLead());
		const requestsAfterFirst = sandbox.requests.length;

		const again = await sendLead(tildaLead('tilda-6.txt'));

		expect(sandbox.requests).toHaveLength(requestsAfterFirst);
		expect(again.weeek.deal).toEqual({ id: first.weeek.deal.id, outcome: 'existing', statusId: STATUS_ID });
		expect(again.weeek.weeekCalls).toBe(0);
		expect(sandbox.state.deals).toHaveLength(1);
		expect(statusesOf(helper.getNode('toDeal')).pop()).toEqual({ fill: 'green', shape: 'dot', text: 'weeek-lead-to-deal.status.existing' });
	});

	it('creates nothing for the same lead after a restart', async () => {
		await load();
		const first = await sendLead(tildaLead());
		await helper.unload();
		const requestsBefore = sandbox.requests.length;

		await load();
		const again = await sendLead(tildaLead('tilda-6.txt'));

		expect(sandbox.requests).toHaveLength(requestsBefore);
		expect(again.weeek.deal).toEqual({ id: first.weeek.deal.id, outcome: 'existing', statusId: STATUS_ID });
		expect(sandbox.state.deals).toHaveLength(1);
		expect(sandbox.state.contacts).toHaveLength(1);
	});

	it('keeps its memory as JSON in the user directory', async () => {
		await load();
		const msg = await sendLead(tildaLead());

		const file = path.join(userDir, 'weeek', 'lead-memory-toDeal.json');
		expect(existsSync(file)).toBe(true);
		const saved = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, { state: string; dealId?: string }> };
		expect(saved.entries[TILDA_KEY]).toMatchObject({ state: 'done', dealId: msg.weeek.deal.id });
	});

	it('makes one deal when the deal response is lost', async () => {
		sandbox.queueFault({ method: 'POST', pathPattern: '/crm/statuses/:id/deals', fault: 'appliedDrop' });
		await load();

		const msg = await sendLead(tildaLead());

		expect(sandbox.state.deals).toHaveLength(1);
		expect(msg.weeek.deal.id).toBe(sandbox.state.deals[0].id);
		expect(writes().filter((entry) => entry.path.endsWith('/deals'))).toHaveLength(1);
		expect(sandbox.state.deals[0].contacts).toEqual([sandbox.state.contacts[0].id]);
	});

	it('handles two deliveries of one lead arriving together once', async () => {
		await load();
		const messages = collect(helper.getNode('out'));

		helper.getNode('toDeal').receive({ payload: tildaLead() });
		helper.getNode('toDeal').receive({ payload: tildaLead('tilda-6.txt') });
		await waitFor('both deliveries are handled', () => messages.length === 2);

		expect(sandbox.state.deals).toHaveLength(1);
		expect(messages.map((msg) => (msg as unknown as DealResult).weeek.deal.outcome)).toEqual(['created', 'existing']);
	});

	it('finds a deal made by another node when told to check WEEEK', async () => {
		await load({}, sandbox.token, 'firstNode');
		const first = await sendLead(tildaLead(), 'firstNode');
		await helper.unload();

		await load({ alwaysCheckWeeek: true }, sandbox.token, 'secondNode');
		const again = await sendLead(tildaLead('tilda-6.txt'), 'secondNode');

		expect(again.weeek.deal).toEqual({ id: first.weeek.deal.id, outcome: 'existing', statusId: STATUS_ID });
		expect(sandbox.state.deals).toHaveLength(1);
	});

	it('sends the title template, amount and custom fields', async () => {
		await load({
			titleTemplate: '{form} — {name} ({phone})',
			amount: 'budget',
			amountType: 'msg',
			leadKeyFieldId: SEED.customFields.leadKey.id,
			customFields: [{ id: SEED.customFields.utmSource.id, name: 'UTM source', value: 'payload.utm.source', type: 'msg' }],
		});
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('toDeal').receive({ payload: tildaLead(), budget: '150 000' });
		await received;

		const [deal] = sandbox.state.deals;
		expect(deal.title).toBe('Заявка на консультацию — Иван Тестов (+79990001234)');
		expect(deal.amount).toBe(150000);
		expect(deal.customFieldValues).toEqual({ [SEED.customFields.leadKey.id]: TILDA_KEY, [SEED.customFields.utmSource.id]: 'yandex' });
	});
});

describe('weeek-lead-to-deal: contact modes', () => {
	it('reuses the contact with the same phone', async () => {
		const contactId = await existingContact({ firstName: 'Иван', phones: ['+79990001234'] });
		await load({ contactMode: 'reuse' });

		const msg = await sendLead(tildaLead());

		expect(msg.weeek.contact).toEqual({ id: contactId, outcome: 'reused' });
		expect(sandbox.state.contacts).toHaveLength(1);
		expect(sandbox.state.deals[0].contacts).toEqual([contactId]);
		expect(writes().filter((entry) => entry.method === 'PUT')).toHaveLength(0);
	});

	it('adds a new e-mail to the matching contact in update mode', async () => {
		const contactId = await existingContact({ firstName: 'Иван', phones: ['+79990001234'], emails: ['ivan.testov@example.ru'] });
		await load({ contactMode: 'update' });

		const msg = await sendLead(samePersonLead());

		expect(msg.weeek.contact).toEqual({ id: contactId, outcome: 'updated' });
		const contact = sandbox.state.contacts.find((entry) => entry.id === contactId);
		expect(contact?.emails.map((entry) => entry.email)).toEqual(['ivan.testov@example.ru', 'ivan.work@example.ru']);
		expect(sandbox.state.contacts).toHaveLength(1);
	});

	it('creates a second contact in create mode', async () => {
		const contactId = await existingContact({ firstName: 'Иван', phones: ['+79990001234'] });
		await load({ contactMode: 'create' });

		const msg = await sendLead(tildaLead());

		expect(msg.weeek.contact?.outcome).toBe('created');
		expect(msg.weeek.contact?.id).not.toBe(contactId);
		expect(sandbox.state.contacts).toHaveLength(2);
	});
});

describe('weeek-lead-to-deal: failures', () => {
	const wrongToken = 'wrong-token-3c9d1f7a2b';

	it('ends a rejected token in catch with the lead on the message', async () => {
		await load({}, wrongToken);
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('toDeal').receive({ payload: tildaLead() });
		const msg = (await caught) as { payload: NormalizedLead; error: { code?: string; message: string; source: { id: string } } };
		await delay(20);

		expect(msg.error.source.id).toBe('toDeal');
		expect(msg.error.code).toBe('unauthorized');
		expect(msg.payload.dedupKey).toBe(TILDA_KEY);
		expect(msg.payload.phones).toEqual(['+79990001234']);
		expect(sandbox.state.deals).toHaveLength(0);
		expect(statusesOf(helper.getNode('toDeal')).pop()).toMatchObject({ fill: 'red', shape: 'ring' });
		expect(JSON.stringify(msg)).not.toContain(wrongToken);
		expect(everythingReported(helper.getNode('toDeal'))).not.toContain(wrongToken);
	});

	it('asks for a lead when msg.payload holds none', async () => {
		await load();
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('toDeal').receive({ payload: { name: 'Ivan', phone: '+7 999' } });
		const msg = (await caught) as { error: { code?: string } };

		expect(msg.error.code).toBe('notALead');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('reports a node without a status before calling WEEEK', async () => {
		await load({ statusId: '' });
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('toDeal').receive({ payload: tildaLead() });
		const msg = (await caught) as { error: { code?: string } };

		expect(msg.error.code).toBe('missingStatus');
		expect(sandbox.requests).toHaveLength(0);
	});
});
