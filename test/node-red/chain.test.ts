/**
 * The chain weeek-lead → weeek-contact → weeek-deal → weeek-link in a real Node-RED runtime (the
 * test helper) against the WEEEK sandbox, fed directly or through a real HTTP POST to `http in`.
 */
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import {
	builtNodes,
	delay,
	everythingReported,
	helper,
	HttpNodeServer,
	httpInNodes,
	loadSample,
	nextMessage,
	parseFormBody,
	statusesOf,
	waitFor,
} from './support';

const SHARED = '@weeek-leads/node-red-weeek/weeek-config:';
const SALES_NEW_LEAD = SEED.statuses.newLead.id;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

afterEach(async () => {
	await helper.unload();
	sandbox.reset();
	delete process.env.WEEEK_NR_TEST_TOKEN;
	delete process.env.WEEEK_NR_UNSET_TOKEN;
});

interface ChainOptions {
	/** Node that feeds the lead node; defaults to none (messages are injected with `receive`). */
	entry?: object[];
	amount?: { amount: string; amountType: string };
	withCatch?: boolean;
}

/** The Tilda chain plus a helper node at the end and, optionally, a Catch node for the WEEEK nodes. */
function chainFlow(options: ChainOptions = {}): object[] {
	const flow: object[] = [
		{ id: 'tab', type: 'tab', label: 'chain' },
		{ id: 'cfg', type: 'weeek-config', name: 'sandbox', baseUrl: sandbox.baseUrl, requestsPerSecond: 50 },
		{ id: 'lead', type: 'weeek-lead', z: 'tab', source: 'tilda', answer: true, wires: [['contact']] },
		{ id: 'contact', type: 'weeek-contact', z: 'tab', config: 'cfg', mode: 'lead', wires: [['deal']] },
		{
			id: 'deal',
			type: 'weeek-deal',
			z: 'tab',
			config: 'cfg',
			funnelId: SEED.funnels.sales.id,
			statusId: SALES_NEW_LEAD,
			titleType: 'leadTitle',
			amount: options.amount?.amount ?? '',
			amountType: options.amount?.amountType ?? 'leadAmount',
			descriptionType: 'leadSummary',
			linkContact: true,
			wires: [['link']],
		},
		{ id: 'link', type: 'weeek-link', z: 'tab', config: 'cfg', dealId: 'weeek.deal.id', dealIdType: 'msg', contactId: 'weeek.contact.id', contactIdType: 'msg', wires: [['out']] },
		{ id: 'out', type: 'helper', z: 'tab' },
		...(options.entry ?? []),
	];
	if (options.withCatch) {
		flow.push({ id: 'catch', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper', z: 'tab' });
	}
	// Node-RED treats a node on a tab without a position as a config node, which breaks the Catch node.
	return flow.map((node) => ('z' in node ? { x: 100, y: 100, ...node } : node));
}

function tildaMessage(sample: string): Record<string, unknown> {
	const { body, contentType } = loadSample(sample);
	return {
		payload: parseFormBody(body),
		req: { headers: { 'content-type': contentType }, query: {}, method: 'POST' },
	};
}

function requestsTo(method: string, pattern: RegExp) {
	return sandbox.requests.filter((request) => request.method === method && pattern.test(request.path));
}

describe('Node-RED Tilda chain', () => {
	it('creates one contact, one deal and one link', async () => {
		await helper.load(builtNodes(), chainFlow(), { cfg: { token: sandbox.token } });
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		await received;

		const { contacts, deals } = sandbox.state;
		expect(contacts).toHaveLength(1);
		expect(deals).toHaveLength(1);
		expect(deals[0].statusId).toBe(SALES_NEW_LEAD);
		expect(deals[0].contacts).toEqual([contacts[0].id]);
		expect(requestsTo('POST', /^\/crm\/contacts$/)).toHaveLength(1);
		expect(requestsTo('POST', /^\/crm\/statuses\/[^/]+\/deals$/)).toHaveLength(1);
		expect(requestsTo('POST', /^\/crm\/deals\/[^/]+\/contacts$/)).toHaveLength(1);
	});

	it('sends the contact fields of the lead', async () => {
		await helper.load(builtNodes(), chainFlow(), { cfg: { token: sandbox.token } });
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		await received;

		const body = requestsTo('POST', /^\/crm\/contacts$/)[0].body as Record<string, unknown>;
		expect(body.firstName).toBe('Иван');
		expect(body.lastName).toBe('Тестов');
		expect(body.phones).toEqual(['+79990001234']);
		expect(body.emails).toEqual(['ivan.testov@example.ru']);
	});

	it('sends the deal title, never name, and a numeric amount', async () => {
		await helper.load(builtNodes(), chainFlow({ amount: { amount: '150 000,50', amountType: 'str' } }), { cfg: { token: sandbox.token } });
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		await received;

		const body = requestsTo('POST', /^\/crm\/statuses\/[^/]+\/deals$/)[0].body as Record<string, unknown>;
		expect(body.title).toBe('Иван Тестов — Заявка на консультацию');
		expect(body).not.toHaveProperty('name');
		expect(body.amount).toBe(150000.5);
		expect(String(body.description)).toContain('Хочу консультацию по кухне');
		expect(String(body.description)).toContain('utm_source=yandex');
	});

	it('keeps the lead in payload and adds results to msg.weeek', async () => {
		await helper.load(builtNodes(), chainFlow(), { cfg: { token: sandbox.token } });
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		const msg = (await received) as {
			payload: { source: string; sourceLeadId?: string };
			weeekRaw: Record<string, unknown>;
			weeek: { contact: { id: string }; deal: { id: string }; link: { dealId: string; contactId: string } };
		};

		expect(msg.payload.source).toBe('tilda');
		expect(msg.payload.sourceLeadId).toBe('1234567:8901234567');
		expect(msg.weeekRaw.tranid).toBe('1234567:8901234567');
		expect(msg.weeek.contact.id).toBe(sandbox.state.contacts[0].id);
		expect(msg.weeek.deal.id).toBe(sandbox.state.deals[0].id);
		expect(msg.weeek.link).toEqual({ dealId: msg.weeek.deal.id, contactId: msg.weeek.contact.id });
	});

	it('shows a green status on every WEEEK node after success', async () => {
		await helper.load(builtNodes(), chainFlow(), { cfg: { token: sandbox.token } });
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		await received;

		for (const id of ['contact', 'deal', 'link']) {
			const statuses = statusesOf(helper.getNode(id));
			expect(statuses[0]).toEqual({ fill: 'blue', shape: 'dot', text: `${SHARED}status.requesting` });
			expect(statuses[statuses.length - 1]).toMatchObject({ fill: 'green', shape: 'dot' });
		}
	});

	it('never reports the token it used', async () => {
		await helper.load(builtNodes(), chainFlow(), { cfg: { token: sandbox.token } });
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		const msg = await received;

		expect(everythingReported(helper.getNode('contact'))).not.toContain(sandbox.token);
		expect(JSON.stringify(msg.weeek)).not.toContain(sandbox.token);
	});

	it('reads a ${NAME} token from the environment', async () => {
		process.env.WEEEK_NR_TEST_TOKEN = sandbox.token;
		await helper.load(builtNodes(), chainFlow(), { cfg: { token: '${WEEEK_NR_TEST_TOKEN}' } });
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		await received;

		expect(sandbox.state.deals).toHaveLength(1);
	});

	it('keeps green until the last of parallel messages finishes', async () => {
		sandbox.setFaults({ latencyMs: 150 });
		await helper.load(builtNodes(), chainFlow(), { cfg: { token: sandbox.token } });
		const contact = helper.getNode('contact');
		let arrived = 0;
		helper.getNode('out').on('input', () => {
			arrived += 1;
		});

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		await delay(40);
		helper.getNode('lead').receive(tildaMessage('tilda-6.txt'));
		await waitFor('both messages pass the chain', () => arrived === 2, 10_000);

		const fills = statusesOf(contact).map((status) => status.fill);
		expect(fills).toEqual(['blue', 'blue', 'green']);
	});
});

describe('Node-RED Tilda chain failures', () => {
	const wrongToken = 'wrong-token-7f3a9c1e5b';

	it('ends a rejected token in catch with the lead on the message', async () => {
		await helper.load(builtNodes(), chainFlow({ withCatch: true }), { cfg: { token: wrongToken } });
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		const msg = (await caught) as { payload: { source: string; phones: string[] }; error: { message: string; source: { id: string }; code?: string } };

		expect(msg.error.source.id).toBe('contact');
		expect(msg.error.code).toBe('unauthorized');
		expect(msg.error.message).toContain('401');
		expect(msg.payload.source).toBe('tilda');
		expect(msg.payload.phones).toEqual(['+79990001234']);
	});

	it('shows a red ring after a rejected token', async () => {
		await helper.load(builtNodes(), chainFlow({ withCatch: true }), { cfg: { token: wrongToken } });
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		await caught;

		const statuses = statusesOf(helper.getNode('contact'));
		expect(statuses[statuses.length - 1]).toEqual({ fill: 'red', shape: 'ring', text: `${SHARED}status.failed.unauthorized` });
		expect(sandbox.state.deals).toHaveLength(0);
	});

	it('keeps a rejected token out of errors, status and logs', async () => {
		await helper.load(builtNodes(), chainFlow({ withCatch: true }), { cfg: { token: wrongToken } });
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		const msg = await caught;
		await delay(20);

		const reported = everythingReported(helper.getNode('contact'));
		expect(reported).toContain('unauthorized');
		expect(reported).not.toContain(wrongToken);
		expect(JSON.stringify(msg.error)).not.toContain(wrongToken);
	});

	it('names an unset token variable', async () => {
		await helper.load(builtNodes(), chainFlow({ withCatch: true }), { cfg: { token: '${WEEEK_NR_UNSET_TOKEN}' } });
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		const msg = (await caught) as { error: { code?: string; message: string } };

		expect(msg.error.code).toBe('tokenEnvNotSet');
		expect(msg.error.message).toContain('WEEEK_NR_UNSET_TOKEN');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('reports a deal node without a status before calling WEEEK', async () => {
		const flow = chainFlow({ withCatch: true }).map((node) => ((node as { id: string }).id === 'deal' ? { ...node, statusId: '' } : node));
		await helper.load(builtNodes(), flow, { cfg: { token: sandbox.token } });
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('lead').receive(tildaMessage('tilda-1.txt'));
		const msg = (await caught) as { error: { code?: string; source: { id: string } } };

		expect(msg.error.source.id).toBe('deal');
		expect(msg.error.code).toBe('missingStatus');
		expect(requestsTo('POST', /\/deals$/)).toHaveLength(0);
	});
});

describe('Node-RED Tilda chain over HTTP', () => {
	const server = new HttpNodeServer();
	let nodeUrl: string;

	beforeAll(async () => {
		nodeUrl = await server.start();
	});

	afterAll(async () => {
		await server.stop();
	});

	const httpIn = [{ id: 'in', type: 'http in', z: 'tab', url: '/tilda', method: 'post', upload: false, wires: [['lead']] }];

	async function postSample(name: string): Promise<{ status: number; text: string }> {
		const { body, contentType } = loadSample(name);
		const response = await fetch(`${nodeUrl}/tilda`, { method: 'POST', headers: { 'content-type': contentType }, body });
		return { status: response.status, text: await response.text() };
	}

	it('answers a real Tilda POST with 200 ok and creates the records', async () => {
		await helper.load([...builtNodes(), httpInNodes(), server.capture], chainFlow({ entry: httpIn }), { cfg: { token: sandbox.token } });
		const received = nextMessage(helper.getNode('out'));

		const answer = await postSample('tilda-1.txt');
		const msg = await received;

		expect(answer).toEqual({ status: 200, text: 'ok' });
		expect(msg).not.toHaveProperty('res');
		expect(sandbox.state.contacts).toHaveLength(1);
		expect(sandbox.state.deals[0].contacts).toEqual([sandbox.state.contacts[0].id]);
	});

	it('answers the Tilda ping with 200 and creates nothing', async () => {
		await helper.load([...builtNodes(), httpInNodes(), server.capture], chainFlow({ entry: httpIn }), { cfg: { token: sandbox.token } });
		let passed = false;
		helper.getNode('out').on('input', () => {
			passed = true;
		});

		const answer = await postSample('tilda-2.txt');
		await delay(200);

		expect(answer).toEqual({ status: 200, text: 'ok' });
		expect(passed).toBe(false);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('rejects a non-lead body with 400', async () => {
		await helper.load([...builtNodes(), httpInNodes(), server.capture], chainFlow({ entry: httpIn, withCatch: true }), { cfg: { token: sandbox.token } });
		const caught = nextMessage(helper.getNode('caught'));

		const response = await fetch(`${nodeUrl}/tilda`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1, 2]' });
		const msg = (await caught) as { error: { code?: string; source: { id: string } } };

		expect(response.status).toBe(400);
		expect(msg.error.source.id).toBe('lead');
		expect(msg.error.code).toBe('notAnObject');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('leaves the answer to http response when answering is off', async () => {
		const flow = chainFlow({
			entry: [
				{ id: 'in', type: 'http in', z: 'tab', url: '/tilda', method: 'post', upload: false, wires: [['quiet']] },
				{ id: 'quiet', type: 'weeek-lead', z: 'tab', source: 'tilda', answer: false, wires: [['reply']] },
				{ id: 'reply', type: 'http response', z: 'tab', statusCode: '202', headers: {}, wires: [] },
			],
		});
		await helper.load([...builtNodes(), httpInNodes(), server.capture], flow, { cfg: { token: sandbox.token } });

		const answer = await postSample('tilda-1.txt');

		expect(answer.status).toBe(202);
	});
});
