/**
 * Dry run of the nodes that call WEEEK, in a real Node-RED runtime (the test helper) next to the
 * WEEEK sandbox. The nodes run their logic and list the requests they would send on
 * `msg.weeek.dryRun.requests`. They send nothing and need no WEEEK account.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { normalizeLead } from '../../shared/leads';
import type { NormalizedLead } from '../../shared/leads/types';
import type { DryRunRequest } from '../../shared/weeek/dryRun';
import { loadSample } from '../fixtures/samples';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { builtNodes, helper, nextMessage, statusesOf } from './support';

const STATUS_ID = SEED.statuses.newLead.id;
const DRY_RUN_STATUS = { fill: 'grey', shape: 'ring', text: '@weeek-leads/node-red-weeek/weeek-config:status.dryRun' };

let sandbox: Sandbox;
let userDir: string;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	userDir = await mkdtemp(path.join(tmpdir(), 'weeek-dry-run-'));
	helper.settings({ userDir });
});

afterEach(async () => {
	await helper.unload();
	helper.settings({});
	sandbox.reset();
	await rm(userDir, { recursive: true, force: true });
});

function tildaLead(): NormalizedLead {
	const sample = loadSample('tilda-1.txt');
	return normalizeLead('tilda', { body: sample.body, contentType: sample.contentType, receivedAt: Date.now() });
}

/** Places nodes on a tab with a Catch node and a config node for the sandbox. */
function onTab(nodes: object[]): object[] {
	return [
		{ id: 'tab', type: 'tab', label: 'dry run' },
		{ id: 'cfg', type: 'weeek-config', name: 'sandbox', baseUrl: sandbox.baseUrl, requestsPerSecond: 50 },
		...[...nodes, { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }].map((node) => ({
			z: 'tab',
			x: 100,
			y: 100,
			...node,
		})),
	];
}

function leadToDeal(properties: Record<string, unknown> = {}): object {
	return {
		id: 'toDeal',
		type: 'weeek-lead-to-deal',
		config: '',
		funnelId: SEED.funnels.sales.id,
		statusId: STATUS_ID,
		contactMode: 'reuse',
		titleTemplate: '{source}: {name}',
		amount: '',
		amountType: 'num',
		customFields: [],
		dryRun: true,
		...properties,
		wires: [['out']],
	};
}

type DryRunMessage = {
	payload: NormalizedLead;
	weeek: {
		contact?: { id: string; outcome?: string };
		deal?: { id: string; outcome?: string; title?: string };
		link?: { dealId: string; contactId: string };
		weeekCalls?: number;
		dryRun: { requests: DryRunRequest[] };
	};
};

/** Lists the contact searches Lead → Deal makes for a lead: the last ten digits of each phone, then each e-mail. */
function searchesFor(lead: NormalizedLead): string[] {
	const texts = [...lead.phones.map((phone) => phone.replace(/\D/g, '').slice(-10)), ...lead.emails];
	return texts.map((text) => `GET /crm/contacts?limit=50&offset=0&search=${encodeURIComponent(text)}`);
}

const describeRequest = (request: DryRunRequest) => `${request.method} ${request.path}`;

describe('weeek-lead-to-deal dry run', () => {
	it('lists the requests for a new lead and sends none', async () => {
		const lead = tildaLead();
		await helper.load(builtNodes(), onTab([leadToDeal(), { id: 'out', type: 'helper' }]));
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('toDeal').receive({ payload: lead });
		const msg = (await received) as unknown as DryRunMessage;

		const requests = msg.weeek.dryRun.requests;
		expect(requests.map(describeRequest)).toEqual([...searchesFor(lead), 'POST /crm/contacts', `POST /crm/statuses/${STATUS_ID}/deals`]);
		expect(requests.at(-2)?.body).toMatchObject({ firstName: 'Иван', lastName: 'Тестов', phones: lead.phones, emails: lead.emails });
		const contactId = msg.weeek.contact?.id;
		expect(contactId).toMatch(/^dry-run-contact-/);
		expect(requests.at(-1)?.body).toMatchObject({ title: 'Tilda: Иван Тестов', contacts: [contactId] });
		expect(msg.weeek.deal).toMatchObject({ outcome: 'created', statusId: STATUS_ID });
		expect(msg.weeek.deal?.id).toMatch(/^dry-run-deal-/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('shows the dry run status from deploy on', async () => {
		await helper.load(builtNodes(), onTab([leadToDeal(), { id: 'out', type: 'helper' }]));
		expect(statusesOf(helper.getNode('toDeal'))).toEqual([DRY_RUN_STATUS]);
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('toDeal').receive({ payload: tildaLead() });
		await received;

		expect(statusesOf(helper.getNode('toDeal'))).toEqual([DRY_RUN_STATUS, DRY_RUN_STATUS]);
	});

	it('needs no token even when an account is chosen', async () => {
		await helper.load(builtNodes(), onTab([leadToDeal({ config: 'cfg' }), { id: 'out', type: 'helper' }]), { cfg: { token: 'not-a-valid-token' } });
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('toDeal').receive({ payload: tildaLead() });
		const msg = (await received) as unknown as DryRunMessage;

		expect(msg.weeek.dryRun.requests.length).toBeGreaterThan(0);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('still rejects a message without a lead', async () => {
		await helper.load(builtNodes(), onTab([leadToDeal(), { id: 'out', type: 'helper' }]));
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('toDeal').receive({ payload: { hello: 'world' } });
		const msg = (await caught) as { error: { code?: string } };

		expect(msg.error.code).toBe('notALead');
		expect(statusesOf(helper.getNode('toDeal')).pop()).toMatchObject({ fill: 'red' });
	});

	it('leaves the lead memory to real runs', async () => {
		const lead = tildaLead();
		await helper.load(builtNodes(), onTab([leadToDeal(), { id: 'out', type: 'helper' }]));
		const dryRun = nextMessage(helper.getNode('out'));
		helper.getNode('toDeal').receive({ payload: lead });
		await dryRun;
		await helper.unload();

		await helper.load(builtNodes(), onTab([leadToDeal({ config: 'cfg', dryRun: false }), { id: 'out', type: 'helper' }]), { cfg: { token: sandbox.token } });
		const realRun = nextMessage(helper.getNode('out'));
		helper.getNode('toDeal').receive({ payload: lead });
		const msg = (await realRun) as unknown as DryRunMessage;

		expect(msg.weeek.deal?.outcome).toBe('created');
		expect(sandbox.state.deals).toHaveLength(1);
		expect(msg.weeek).not.toHaveProperty('dryRun');
	});

	it('lists no request for a lead a real run handled', async () => {
		const lead = tildaLead();
		await helper.load(builtNodes(), onTab([leadToDeal({ config: 'cfg', dryRun: false }), { id: 'out', type: 'helper' }]), { cfg: { token: sandbox.token } });
		const realRun = nextMessage(helper.getNode('out'));
		helper.getNode('toDeal').receive({ payload: lead });
		const real = (await realRun) as unknown as DryRunMessage;
		await helper.unload();
		const requestsBefore = sandbox.requests.length;

		await helper.load(builtNodes(), onTab([leadToDeal(), { id: 'out', type: 'helper' }]));
		const dryRun = nextMessage(helper.getNode('out'));
		helper.getNode('toDeal').receive({ payload: lead });
		const msg = (await dryRun) as unknown as DryRunMessage;

		expect(msg.weeek.dryRun.requests).toEqual([]);
		expect(msg.weeek.deal).toEqual({ id: real.weeek.deal?.id, outcome: 'existing', statusId: STATUS_ID });
		expect(sandbox.requests).toHaveLength(requestsBefore);
	});

	it('writes no memory file', async () => {
		await helper.load(builtNodes(), onTab([leadToDeal(), { id: 'out', type: 'helper' }]));
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('toDeal').receive({ payload: tildaLead() });
		await received;

		expect(existsSync(path.join(userDir, 'weeek', 'lead-memory-toDeal.json'))).toBe(false);
	});
});

describe('weeek-contact, weeek-deal and weeek-link dry run', () => {
	const chain = [
		{ id: 'contact', type: 'weeek-contact', config: '', mode: 'lead', dryRun: true, wires: [['deal']] },
		{
			id: 'deal',
			type: 'weeek-deal',
			config: '',
			funnelId: SEED.funnels.sales.id,
			statusId: STATUS_ID,
			title: '',
			titleType: 'leadTitle',
			amount: '',
			amountType: 'leadAmount',
			description: '',
			descriptionType: 'leadSummary',
			linkContact: true,
			dryRun: true,
			wires: [['link']],
		},
		{ id: 'link', type: 'weeek-link', config: '', dryRun: true, wires: [['out']] },
		{ id: 'out', type: 'helper' },
	];

	it('lists the requests of the whole chain and sends none', async () => {
		const lead = tildaLead();
		await helper.load(builtNodes(), onTab(chain));
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('contact').receive({ payload: lead });
		const msg = (await received) as unknown as DryRunMessage;

		const contactId = msg.weeek.contact?.id;
		const dealId = msg.weeek.deal?.id;
		expect(contactId).toMatch(/^dry-run-contact-/);
		expect(dealId).toMatch(/^dry-run-deal-/);
		expect(msg.weeek.dryRun.requests.map(describeRequest)).toEqual([
			'POST /crm/contacts',
			`POST /crm/statuses/${STATUS_ID}/deals`,
			`POST /crm/deals/${dealId}/contacts`,
		]);
		const [contact, deal, link] = msg.weeek.dryRun.requests;
		expect(contact.body).toMatchObject({ firstName: 'Иван', phones: lead.phones, emails: lead.emails });
		expect(deal.body).toMatchObject({ contacts: [contactId] });
		expect(typeof (deal.body as { title?: unknown }).title).toBe('string');
		expect(link.body).toEqual({ contactId });
		expect(msg.weeek.link).toEqual({ dealId, contactId });
		expect(sandbox.requests).toHaveLength(0);
		for (const id of ['contact', 'deal', 'link']) expect(statusesOf(helper.getNode(id)).pop()).toEqual(DRY_RUN_STATUS);
	});

	it('still checks the deal settings', async () => {
		await helper.load(builtNodes(), onTab([{ ...chain[1], statusId: '', wires: [[]] }]));
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('deal').receive({ payload: tildaLead() });
		const msg = (await caught) as { error: { code?: string } };

		expect(msg.error.code).toBe('missingStatus');
		expect(sandbox.requests).toHaveLength(0);
	});
});
