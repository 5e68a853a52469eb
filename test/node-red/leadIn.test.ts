/**
 * Lead sources over real HTTP in a real Node-RED runtime (the test helper): every push sample is
 * posted to `weeek-lead-in`, and where `http in` can carry the source, also to `http in → weeek-lead`.
 * Emitted leads are compared field by field with the hand-written literals of `EXPECTED_LEADS`.
 * Facebook leads are fetched from a loopback fake of the Graph API.
 */
import { createHmac } from 'node:crypto';

import { ACCESS_TOKEN_MARKER, startFakeGraph, type FakeGraph } from '../fakes/graph';
import { EXPECTED_LEADS, expectLead, FACEBOOK_FORM_NAME, FACEBOOK_PAGE_NAME, RECEIVED_AT, type ExpectedLeadSample } from '../fixtures/expectedLeads';
import { builtNodes, catalogueCalls, delay, everythingReported, helper, HttpNodeServer, httpInNodes, loadSample, nextMessage, statusesOf, waitFor, type TestNode } from './support';

const VK_CONFIRMATION = 'a1b2c3d4';
const VK_SECRET = 's3cr3t-from-community-settings';
const URL_TOKEN = 'url-t0k3n-5ecret';
const TILDA_API_KEY = 'user-api-key-value';
const APP_SECRET = 'app-secret-0123';
const VERIFY_TOKEN = 'verify-token-42';
const ACCESS_TOKEN = 'EAAG-page-token-secret';
const LEAD_IN_STATUS = 'weeek-lead-in.status.';

const server = new HttpNodeServer();
let nodeUrl: string;
let graph: FakeGraph;

const graphLead = JSON.parse(loadSample('facebook-2.json').body) as Record<string, unknown>;
const { ad_id: _adId, ad_name: _adName, adset_id: _adsetId, adset_name: _adsetName, campaign_id: _campaignId, campaign_name: _campaignName, ...organicLead } = graphLead;

beforeAll(async () => {
	nodeUrl = await server.start();
	graph = await startFakeGraph({
		leads: {
			'1234567890123456': graphLead,
			'1234567890124001': { ...organicLead, id: '1234567890124001', is_organic: true },
			'1234567890124002': { ...graphLead, id: '1234567890124002', form_id: '555555555555555' },
		},
		forms: { '987654321098765': FACEBOOK_FORM_NAME, '555555555555555': 'Autumn form' },
		pages: { '104851234567890': FACEBOOK_PAGE_NAME },
		accessToken: ACCESS_TOKEN,
	});
});

afterAll(async () => {
	await server.stop();
	await graph.close();
});

afterEach(async () => {
	await helper.unload();
	helper.settings({});
	graph.requests.length = 0;
	graph.failNext(0);
	jest.restoreAllMocks();
	delete process.env.WEEEK_NR_LEAD_SECRET;
	delete process.env.WEEEK_NR_UNSET_SECRET;
});

type Kind = 'tilda' | 'generic' | 'platformalp' | 'vk' | 'facebook';

interface SourceSetup {
	kind: Kind;
	secretLocation?: 'none' | 'urlToken' | 'apiKey';
	credentials?: Record<string, string>;
}

/** Returns the credentials a source needs in the tests, unless a test sets its own. */
function defaultCredentials(kind: Kind): Record<string, string> {
	if (kind === 'vk') return { vkConfirmation: VK_CONFIRMATION, vkSecret: VK_SECRET };
	if (kind === 'facebook') return { fbAppSecret: APP_SECRET, fbVerifyToken: VERIFY_TOKEN, fbAccessToken: ACCESS_TOKEN };
	return {};
}

function sourceNode(setup: SourceSetup): object {
	return { id: 'src', type: 'weeek-lead-source', name: `${setup.kind} test`, kind: setup.kind, secretLocation: setup.secretLocation ?? 'none', graphBaseUrl: graph.baseUrl };
}

/** Puts the nodes on a tab with a Catch node and positions, so Node-RED treats them as flow nodes. */
function onTab(nodes: object[], setup: SourceSetup): object[] {
	return [
		{ id: 'tab', type: 'tab', label: 'leads' },
		sourceNode(setup),
		...[...nodes, { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }].map((node) => ({
			z: 'tab',
			x: 100,
			y: 100,
			...node,
		})),
	];
}

/** Loads `weeek-lead-in` on /leads (or `path`) for the source, wired to a helper node `out`. */
async function loadLeadIn(setup: SourceSetup, properties: Record<string, unknown> = {}): Promise<void> {
	const flow = onTab([{ id: 'in', type: 'weeek-lead-in', source: 'src', url: '/leads', ...properties, wires: [['out']] }, { id: 'out', type: 'helper' }], setup);
	await helper.load([...builtNodes(), server.capture], flow, { src: setup.credentials ?? defaultCredentials(setup.kind) });
}

/** Loads `http in` (POST and GET on /hook) → `weeek-lead` for the source, wired to a helper node `out`. */
async function loadHttpIn(setup: SourceSetup, properties: Record<string, unknown> = {}): Promise<void> {
	const flow = onTab(
		[
			{ id: 'post', type: 'http in', url: '/hook', method: 'post', upload: false, wires: [['lead']] },
			{ id: 'get', type: 'http in', url: '/hook', method: 'get', upload: false, wires: [['lead']] },
			{ id: 'lead', type: 'weeek-lead', source: setup.kind, sourceConfig: 'src', answer: true, ...properties, wires: [['out']] },
			{ id: 'out', type: 'helper' },
		],
		setup,
	);
	await helper.load([...builtNodes(), httpInNodes(), server.capture], flow, { src: setup.credentials ?? defaultCredentials(setup.kind) });
}

interface Answer {
	status: number;
	text: string;
	contentType: string | null;
}

async function request(method: 'GET' | 'POST', path: string, options: { body?: string; contentType?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.contentType !== undefined) headers['content-type'] = options.contentType;
	const response = await fetch(`${nodeUrl}${path}`, { method, headers, body: options.body });
	return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

/** Posts a sample as its source sends it; generic-5 is a GET whose query string is in the sample. */
async function sendSample(path: string, fileName: string, options: { query?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
	const sample = loadSample(fileName);
	if (fileName === 'generic-5.txt') {
		const query = sample.body.split(' ')[1].split('?')[1];
		return request('GET', `${path}?${query}`, options);
	}
	return request('POST', `${path}${options.query ?? ''}`, { body: sample.body, contentType: sample.contentType, headers: options.headers });
}

function signature(text: string, secret = APP_SECRET): string {
	return `sha256=${createHmac('sha256', secret).update(Buffer.from(text, 'utf8')).digest('hex')}`;
}

async function postSigned(path: string, text: string, secret = APP_SECRET): Promise<Answer> {
	return request('POST', path, { body: text, contentType: 'application/json', headers: { 'x-hub-signature-256': signature(text, secret) } });
}

/** Collects every message a helper node receives. */
function collect(node: TestNode): Array<Record<string, unknown>> {
	const messages: Array<Record<string, unknown>> = [];
	node.on('input', (msg) => messages.push(msg));
	return messages;
}

const leadRequests = (leadgenId: string) => graph.requests.filter((entry) => entry.path === `/v21.0/${leadgenId}`);

interface SampleCase {
	label: string;
	sample: ExpectedLeadSample;
	file: string;
	kind: Kind;
	headers?: Record<string, string>;
}

const PUSH_SAMPLES: SampleCase[] = [
	{ label: 'Tilda urlencoded form', sample: 'tilda-1', file: 'tilda-1.txt', kind: 'tilda' },
	{ label: 'Tilda JSON with an API key field', sample: 'tilda-5', file: 'tilda-5.json', kind: 'tilda' },
	{ label: 'Tilda redelivery on its own', sample: 'tilda-6', file: 'tilda-6.txt', kind: 'tilda' },
	{ label: 'generic flat JSON', sample: 'generic-1', file: 'generic-1.json', kind: 'generic' },
	{ label: 'generic nested JSON', sample: 'generic-2', file: 'generic-2.json', kind: 'generic' },
	{ label: 'generic urlencoded bracket keys', sample: 'generic-3', file: 'generic-3.txt', kind: 'generic' },
	{ label: 'generic GET query string', sample: 'generic-5', file: 'generic-5.txt', kind: 'generic' },
	{ label: 'PlatformaLP urlencoded form', sample: 'platformalp-1', file: 'platformalp-1.txt', kind: 'platformalp' },
	{ label: 'PlatformaLP JSON with a fields list', sample: 'platformalp-2', file: 'platformalp-2.json', kind: 'platformalp' },
	{ label: 'VK lead_forms_new', sample: 'vk-1', file: 'vk-1.json', kind: 'vk' },
	{ label: 'VK redelivery on its own', sample: 'vk-4', file: 'vk-4.json', kind: 'vk', headers: { 'x-retry-counter': '1' } },
];

describe('weeek-lead-in: samples from push sources', () => {
	beforeEach(() => {
		// The PlatformaLP dedup key contains the 10-minute window of the receive time.
		jest.spyOn(Date, 'now').mockReturnValue(RECEIVED_AT);
	});

	it.each(PUSH_SAMPLES)('emits the expected lead for $label ($sample)', async ({ sample, file, kind, headers }) => {
		await loadLeadIn({ kind });
		const received = nextMessage(helper.getNode('out'));

		const answer = await sendSample('/leads', file, { headers });
		const msg = await received;

		expect(answer.status).toBe(200);
		expect(answer.text).toBe('ok');
		expectLead(msg.payload, EXPECTED_LEADS[sample]);
		expect((msg.payload as { receivedAt: string }).receivedAt).toBe('2024-05-14T09:22:00.000Z');
		expect(msg.topic).toBe(kind);
	});

	it('emits the fetched lead of facebook-1', async () => {
		await loadLeadIn({ kind: 'facebook' });
		const received = nextMessage(helper.getNode('out'));

		const answer = await postSigned('/leads', loadSample('facebook-1.json').body);
		const msg = await received;

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
		expectLead(msg.payload, EXPECTED_LEADS['facebook-1+2']);
		expect(msg.topic).toBe('facebook');
	});
});

describe('http in → weeek-lead: samples from push sources', () => {
	beforeEach(() => {
		jest.spyOn(Date, 'now').mockReturnValue(RECEIVED_AT);
	});

	it.each(PUSH_SAMPLES)('emits the expected lead for $label ($sample)', async ({ sample, file, kind, headers }) => {
		await loadHttpIn({ kind });
		const received = nextMessage(helper.getNode('out'));

		const answer = await sendSample('/hook', file, { headers });
		const msg = await received;

		expect(answer.status).toBe(200);
		expect(answer.text).toBe('ok');
		expectLead(msg.payload, EXPECTED_LEADS[sample]);
		expect(msg).not.toHaveProperty('res');
	});
});

describe('weeek-lead-in: handshakes', () => {
	it('answers the Tilda ping with 200 ok and emits nothing', async () => {
		await loadLeadIn({ kind: 'tilda' });
		const messages = collect(helper.getNode('out'));

		const answer = await sendSample('/leads', 'tilda-2.txt');
		await delay(200);

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
		expect(messages).toHaveLength(0);
	});

	it('answers the VK confirmation with exactly the confirmation string', async () => {
		await loadLeadIn({ kind: 'vk' });
		const messages = collect(helper.getNode('out'));

		const answer = await sendSample('/leads', 'vk-2.json');
		await delay(200);

		expect(answer.status).toBe(200);
		expect(answer.text).toBe(VK_CONFIRMATION);
		expect(answer.contentType).toMatch(/^text\/plain\b/);
		expect(messages).toHaveLength(0);
	});

	it('answers another VK event with exactly ok and emits nothing', async () => {
		await loadLeadIn({ kind: 'vk' });
		const messages = collect(helper.getNode('out'));
		const body = JSON.stringify({ type: 'message_new', group_id: 218765432, event_id: 'e-1', v: '5.199', object: {}, secret: VK_SECRET });

		const answer = await request('POST', '/leads', { body, contentType: 'application/json' });
		await delay(200);

		expect(answer.status).toBe(200);
		expect(answer.text).toBe('ok');
		expect(answer.contentType).toMatch(/^text\/plain\b/);
		expect(messages).toHaveLength(0);
	});

	it('answers the Facebook verification with the challenge', async () => {
		await loadLeadIn({ kind: 'facebook' });
		const messages = collect(helper.getNode('out'));

		const answer = await request('GET', `/leads?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);

		expect(answer).toMatchObject({ status: 200, text: '1158201444' });
		expect(messages).toHaveLength(0);
		expect(graph.requests).toHaveLength(0);
	});

	it('rejects a Facebook verification with a wrong token with 403', async () => {
		await loadLeadIn({ kind: 'facebook' });

		const answer = await request('GET', '/leads?hub.mode=subscribe&hub.verify_token=not-the-token&hub.challenge=1158201444');
		await delay(50);

		expect(answer.status).toBe(403);
		expect(answer.text).not.toContain('1158201444');
		expect(everythingReported(helper.getNode('in'))).not.toContain(VERIFY_TOKEN);
	});

	it('shows the handshake in the status', async () => {
		await loadLeadIn({ kind: 'vk' });

		await sendSample('/leads', 'vk-2.json');
		await waitFor('the status is set', () => statusesOf(helper.getNode('in')).length > 0);

		expect(statusesOf(helper.getNode('in')).pop()).toEqual({ fill: 'green', shape: 'ring', text: `${LEAD_IN_STATUS}handshake` });
	});
});

describe('http in → weeek-lead: handshakes', () => {
	it('answers the Tilda ping with 200 ok and emits nothing', async () => {
		await loadHttpIn({ kind: 'tilda' });
		const messages = collect(helper.getNode('out'));

		const answer = await sendSample('/hook', 'tilda-2.txt');
		await delay(200);

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
		expect(messages).toHaveLength(0);
	});

	it('answers the VK confirmation with exactly the confirmation string', async () => {
		await loadHttpIn({ kind: 'vk' });
		const messages = collect(helper.getNode('out'));

		const answer = await sendSample('/hook', 'vk-2.json');
		await delay(200);

		expect(answer.status).toBe(200);
		expect(answer.text).toBe(VK_CONFIRMATION);
		expect(answer.contentType).toMatch(/^text\/plain\b/);
		expect(messages).toHaveLength(0);
	});

	it('answers another VK event with exactly ok even with answering off', async () => {
		await loadHttpIn({ kind: 'vk' }, { answer: false });
		const body = JSON.stringify({ type: 'group_join', group_id: 218765432, event_id: 'e-2', v: '5.199', object: {}, secret: VK_SECRET });

		const answer = await request('POST', '/hook', { body, contentType: 'application/json' });

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
	});

	it('answers the Facebook verification GET with the challenge', async () => {
		await loadHttpIn({ kind: 'facebook' });

		const answer = await request('GET', `/hook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=77`);

		expect(answer).toMatchObject({ status: 200, text: '77' });
	});
});

describe('weeek-lead-in: secrets and signatures', () => {
	it('accepts the Tilda URL token and keeps it out of the lead', async () => {
		await loadLeadIn({ kind: 'tilda', secretLocation: 'urlToken', credentials: { secret: URL_TOKEN } });
		const received = nextMessage(helper.getNode('out'));

		const answer = await sendSample('/leads', 'tilda-1.txt', { query: `?token=${URL_TOKEN}` });
		const msg = await received;

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
		expect((msg.payload as { dedupKey: string }).dedupKey).toBe('tilda:1234567:8901234567');
		expect(JSON.stringify(msg)).not.toContain(URL_TOKEN);
		expect(everythingReported(helper.getNode('in'))).not.toContain(URL_TOKEN);
	});

	it('keeps the Tilda URL token of a GET delivery out of the lead', async () => {
		await loadLeadIn({ kind: 'tilda', secretLocation: 'urlToken', credentials: { secret: URL_TOKEN } });
		const received = nextMessage(helper.getNode('out'));

		const answer = await request('GET', `/leads?Name=Ivan&Phone=%2B79990001234&tranid=1%3A2&token=${URL_TOKEN}`);
		const msg = (await received) as { payload: { dedupKey: string; answers: unknown[] } };

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
		expect(msg.payload.dedupKey).toBe('tilda:1:2');
		expect(msg.payload.answers).toEqual([]);
		expect(JSON.stringify(msg)).not.toContain(URL_TOKEN);
	});

	it.each([
		['a wrong token', '?token=guessed-token'],
		['no token', ''],
	])('rejects a Tilda request with %s with 403 and emits nothing', async (_label, query) => {
		await loadLeadIn({ kind: 'tilda', secretLocation: 'urlToken', credentials: { secret: URL_TOKEN } });
		const messages = collect(helper.getNode('out'));
		const caught = collect(helper.getNode('caught'));

		const answer = await sendSample('/leads', 'tilda-1.txt', { query });
		await waitFor('the status shows the rejection', () => statusesOf(helper.getNode('in')).length > 0);

		expect(answer).toMatchObject({ status: 403, text: 'Forbidden' });
		expect(messages).toHaveLength(0);
		expect(caught).toHaveLength(0);
		expect(statusesOf(helper.getNode('in')).pop()).toEqual({ fill: 'red', shape: 'ring', text: `${LEAD_IN_STATUS}rejected` });
		const reported = everythingReported(helper.getNode('in'));
		expect(catalogueCalls('weeek-lead-in.warn.requestRejected').map((call) => call.params)).toEqual([
			{ source: 'tilda', status: 403, reason: expect.stringContaining('wrong token') as unknown },
		]);
		expect(reported).not.toContain(URL_TOKEN);
		expect(reported).not.toContain('guessed-token');
	});

	it('accepts the Tilda API key in the body', async () => {
		await loadLeadIn({ kind: 'tilda', secretLocation: 'apiKey', credentials: { secret: TILDA_API_KEY } });
		const received = nextMessage(helper.getNode('out'));

		const answer = await sendSample('/leads', 'tilda-5.json');
		const msg = await received;

		expect(answer.status).toBe(200);
		expect(JSON.stringify(msg)).not.toContain(TILDA_API_KEY);
	});

	it('rejects a generic request without its API key with 403', async () => {
		await loadLeadIn({ kind: 'generic', secretLocation: 'apiKey', credentials: { secret: 'generic-secret-9' } });
		const messages = collect(helper.getNode('out'));

		const answer = await sendSample('/leads', 'generic-1.json');
		await delay(100);

		expect(answer.status).toBe(403);
		expect(messages).toHaveLength(0);
		expect(everythingReported(helper.getNode('in'))).not.toContain('generic-secret-9');
	});

	it('accepts the generic API key in the X-Webhook-Secret header', async () => {
		await loadLeadIn({ kind: 'generic', secretLocation: 'apiKey', credentials: { secret: 'generic-secret-9' } });
		const received = nextMessage(helper.getNode('out'));

		const answer = await sendSample('/leads', 'generic-1.json', { headers: { 'X-Webhook-Secret': 'generic-secret-9' } });
		const msg = await received;

		expect(answer.status).toBe(200);
		expect(JSON.stringify(msg)).not.toContain('generic-secret-9');
	});

	it('rejects a VK event with a wrong secret with 403 and emits nothing', async () => {
		await loadLeadIn({ kind: 'vk', credentials: { vkConfirmation: VK_CONFIRMATION, vkSecret: 'configured-vk-secret' } });
		const messages = collect(helper.getNode('out'));

		const answer = await sendSample('/leads', 'vk-1.json');
		await delay(100);

		expect(answer.status).toBe(403);
		expect(answer.text).not.toBe('ok');
		expect(messages).toHaveLength(0);
		const reported = everythingReported(helper.getNode('in'));
		expect(reported).not.toContain('configured-vk-secret');
		expect(reported).not.toContain(VK_SECRET);
	});

	it('keeps the VK secret out of the emitted lead', async () => {
		await loadLeadIn({ kind: 'vk' });
		const received = nextMessage(helper.getNode('out'));

		await sendSample('/leads', 'vk-1.json');
		const msg = await received;

		expect(JSON.stringify(msg)).not.toContain(VK_SECRET);
	});

	it.each([
		['a signature made with another secret', (text: string) => postSigned('/leads', text, 'other-app-secret')],
		['no signature header', (text: string) => request('POST', '/leads', { body: text, contentType: 'application/json' })],
		[
			'a signature of re-serialized JSON',
			(text: string) => request('POST', '/leads', { body: text, contentType: 'application/json', headers: { 'x-hub-signature-256': signature(JSON.stringify(JSON.parse(text))) } }),
		],
	])('rejects a Facebook notification with %s with 403 and calls no Graph API', async (_label, send) => {
		await loadLeadIn({ kind: 'facebook' });
		const messages = collect(helper.getNode('out'));

		const answer = await send(JSON.stringify(JSON.parse(loadSample('facebook-1.json').body), null, 1));
		await delay(100);

		expect(answer).toMatchObject({ status: 403, text: 'Forbidden' });
		expect(messages).toHaveLength(0);
		expect(graph.requests).toHaveLength(0);
		const reported = everythingReported(helper.getNode('in'));
		expect(reported).not.toContain(APP_SECRET);
		expect(reported).not.toContain(ACCESS_TOKEN);
	});

	it('reads a ${NAME} secret from the environment', async () => {
		process.env.WEEEK_NR_LEAD_SECRET = URL_TOKEN;
		await loadLeadIn({ kind: 'tilda', secretLocation: 'urlToken', credentials: { secret: '${WEEEK_NR_LEAD_SECRET}' } });
		const received = nextMessage(helper.getNode('out'));

		const answer = await sendSample('/leads', 'tilda-1.txt', { query: `?token=${URL_TOKEN}` });
		await received;

		expect(answer.status).toBe(200);
	});

	it('names an unset secret variable', async () => {
		await loadLeadIn({ kind: 'tilda', secretLocation: 'urlToken', credentials: { secret: '${WEEEK_NR_UNSET_SECRET}' } });
		const caught = nextMessage(helper.getNode('caught'));

		const answer = await sendSample('/leads', 'tilda-1.txt', { query: '?token=anything' });
		const msg = (await caught) as { error: { code?: string; message: string } };

		expect(answer.status).toBe(500);
		expect(answer.text).not.toContain('WEEEK_NR_UNSET_SECRET');
		expect(msg.error.code).toBe('secretEnvNotSet');
		expect(msg.error.message).toContain('WEEEK_NR_UNSET_SECRET');
	});
});

describe('http in → weeek-lead: secrets', () => {
	it('rejects a wrong Tilda token with 403', async () => {
		await loadHttpIn({ kind: 'tilda', secretLocation: 'urlToken', credentials: { secret: URL_TOKEN } });
		const caught = nextMessage(helper.getNode('caught'));

		const answer = await sendSample('/hook', 'tilda-1.txt', { query: '?token=guessed-token' });
		const msg = (await caught) as { error: { code?: string; message: string } };

		expect(answer.status).toBe(403);
		expect(msg.error.code).toBe('badSecret');
		expect(JSON.stringify(msg.error)).not.toContain(URL_TOKEN);
		expect(everythingReported(helper.getNode('lead'))).not.toContain(URL_TOKEN);
	});

	it('rejects a lead source set up for another source', async () => {
		const flow = onTab(
			[
				{ id: 'lead', type: 'weeek-lead', source: 'tilda', sourceConfig: 'src', answer: true, wires: [['out']] },
				{ id: 'out', type: 'helper' },
			],
			{ kind: 'vk' },
		);
		await helper.load(builtNodes(), flow, { src: defaultCredentials('vk') });
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('lead').receive({ payload: { Name: 'Ivan', Phone: '+79990001234', tranid: '1:2' } });
		const msg = (await caught) as { error: { code?: string } };

		expect(msg.error.code).toBe('leadSourceMismatch');
	});
});

describe('weeek-lead-in: repeated leads', () => {
	it('emits vk-4 after vk-1 once and answers both with ok', async () => {
		await loadLeadIn({ kind: 'vk' });
		const messages = collect(helper.getNode('out'));

		const first = await sendSample('/leads', 'vk-1.json');
		await waitFor('the first lead arrives', () => messages.length === 1);
		const again = await sendSample('/leads', 'vk-4.json', { headers: { 'x-retry-counter': '1' } });
		await waitFor('the repeat is recorded in the status', () => statusesOf(helper.getNode('in')).some((status) => status.text === `${LEAD_IN_STATUS}repeated`));

		expect(first).toMatchObject({ status: 200, text: 'ok' });
		expect(again).toMatchObject({ status: 200, text: 'ok' });
		expect(messages).toHaveLength(1);
		expect(everythingReported(helper.getNode('in'))).toContain('dropped a repeated lead (vk:218765432:4521)');
	});

	it('emits tilda-6 after tilda-1 once', async () => {
		await loadLeadIn({ kind: 'tilda' });
		const messages = collect(helper.getNode('out'));

		await sendSample('/leads', 'tilda-1.txt');
		await waitFor('the first lead arrives', () => messages.length === 1);
		await sendSample('/leads', 'tilda-6.txt');
		await delay(200);

		expect(messages).toHaveLength(1);
	});

	it('emits each lead of the facebook-4 batch once and fetches each once', async () => {
		await loadLeadIn({ kind: 'facebook' });
		const messages = collect(helper.getNode('out'));

		const answer = await postSigned('/leads', loadSample('facebook-4.json').body);
		await waitFor('two leads arrive', () => messages.length >= 2);
		await delay(100);

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
		expect(messages.map((msg) => (msg.payload as { sourceLeadId: string }).sourceLeadId)).toEqual(['1234567890124001', '1234567890124002']);
		expect(messages.map((msg) => (msg.payload as { form: { name: string } }).form.name)).toEqual(['Spring form', 'Autumn form']);
		expect(leadRequests('1234567890124001')).toHaveLength(1);
		expect(leadRequests('1234567890124002')).toHaveLength(1);
	});

	it('does not fetch a redelivered Facebook lead again', async () => {
		await loadLeadIn({ kind: 'facebook' });
		const messages = collect(helper.getNode('out'));

		await postSigned('/leads', loadSample('facebook-1.json').body);
		await waitFor('the lead arrives', () => messages.length === 1);
		const again = await postSigned('/leads', loadSample('facebook-1.json').body);
		await delay(200);

		expect(again).toMatchObject({ status: 200, text: 'ok' });
		expect(messages).toHaveLength(1);
		expect(leadRequests('1234567890123456')).toHaveLength(1);
	});
});

describe('weeek-lead-in: Facebook lead fetch', () => {
	it('answers ok before fetching the lead', async () => {
		// One failure keeps the fetch waiting for the 1 s retry delay, long enough to see that the reply came first.
		graph.failNext(1, 500);
		await loadLeadIn({ kind: 'facebook' });
		let arrivedAt = 0;
		helper.getNode('out').on('input', () => {
			arrivedAt = Date.now();
		});

		const answer = await postSigned('/leads', loadSample('facebook-1.json').body);
		const answeredAt = Date.now();
		await waitFor('the lead arrives', () => arrivedAt > 0, 8_000);

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
		expect(arrivedAt - answeredAt).toBeGreaterThanOrEqual(500);
		expect(leadRequests('1234567890123456')).toHaveLength(2);
	});

	it('sends a lead whose fetch failed to catch with its ids', async () => {
		graph.failNext(Infinity, 500);
		await loadLeadIn({ kind: 'facebook' });
		const messages = collect(helper.getNode('out'));
		const caught = nextMessage(helper.getNode('caught'), 10_000);

		const answer = await postSigned('/leads', loadSample('facebook-1.json').body);
		const msg = (await caught) as { payload: Record<string, unknown>; error: { code?: string; message: string; source: { id: string } } };

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
		expect(messages).toHaveLength(0);
		expect(msg.error.source.id).toBe('in');
		expect(msg.error.code).toBe('facebookFetchFailed');
		expect(msg.payload.sourceLeadId).toBe('1234567890123456');
		expect(msg.payload.dedupKey).toBe('fb:1234567890123456');
		expect(msg.payload.form).toEqual({ id: '987654321098765' });
		expect(leadRequests('1234567890123456')).toHaveLength(3);
		expect(statusesOf(helper.getNode('in')).pop()).toEqual({ fill: 'red', shape: 'ring', text: `${LEAD_IN_STATUS}fetchFailed` });
		expect(JSON.stringify(msg)).not.toContain(ACCESS_TOKEN);
		expect(everythingReported(helper.getNode('in'))).not.toContain(ACCESS_TOKEN);
	});

	it('fetches a lead again when a failed one is redelivered', async () => {
		graph.failNext(Infinity, 500);
		await loadLeadIn({ kind: 'facebook' });
		const messages = collect(helper.getNode('out'));
		const caught = nextMessage(helper.getNode('caught'), 10_000);

		await postSigned('/leads', loadSample('facebook-1.json').body);
		await caught;
		graph.failNext(0);
		await postSigned('/leads', loadSample('facebook-1.json').body);
		await waitFor('the lead arrives', () => messages.length === 1);

		expect((messages[0].payload as { name: string }).name).toBe('Ivan Testov');
	});

	it('reports a wrong page token without showing it', async () => {
		const wrongToken = 'EAAG-expired-token-value';
		await loadLeadIn({ kind: 'facebook', credentials: { fbAppSecret: APP_SECRET, fbVerifyToken: VERIFY_TOKEN, fbAccessToken: wrongToken } });
		const caught = nextMessage(helper.getNode('caught'));

		await postSigned('/leads', loadSample('facebook-1.json').body);
		const msg = (await caught) as { error: { message: string } };

		expect(msg.error.message).toContain('code 190');
		expect(leadRequests('1234567890123456')[0].query.access_token).toBe(ACCESS_TOKEN_MARKER);
		expect(JSON.stringify(msg)).not.toContain(wrongToken);
		expect(everythingReported(helper.getNode('in'))).not.toContain(wrongToken);
	});
});

describe('weeek-lead-in: field mapping', () => {
	it('maps fields with JSONPath and JSONata against the body', async () => {
		await loadLeadIn(
			{ kind: 'generic' },
			{ mapPhone: '$.contact.phones[1]', mapPhoneType: 'jsonpath', mapComment: 'answers.`Площадь, м²` & " m²"', mapCommentType: 'jsonata', mapCity: '$.nowhere', mapCityType: 'jsonpath' },
		);
		const received = nextMessage(helper.getNode('out'));

		await sendSample('/leads', 'generic-2.json');
		const msg = (await received) as { payload: { phones: string[]; comment?: string; city?: string; name?: string } };

		expect(msg.payload.phones).toEqual(['+79990003344']);
		expect(msg.payload.comment).toBe('54 m²');
		expect(msg.payload.city).toBeUndefined();
		expect(msg.payload.name).toBe('Алексей');
	});

	it('reports a JSONPath that cannot be evaluated', async () => {
		await loadLeadIn({ kind: 'generic' }, { mapName: '$[?(@.a', mapNameType: 'jsonpath' });
		const caught = nextMessage(helper.getNode('caught'));

		const answer = await sendSample('/leads', 'generic-1.json');
		const msg = (await caught) as { error: { code?: string } };

		expect(answer.status).toBe(500);
		expect(msg.error.code).toBe('invalidFieldMapping');
	});

	it('maps a PlatformaLP field in weeek-lead with JSONPath', async () => {
		await loadHttpIn({ kind: 'platformalp' }, { mapCity: '$.page.title', mapCityType: 'jsonpath' });
		const received = nextMessage(helper.getNode('out'));

		await sendSample('/hook', 'platformalp-2.json');
		const msg = (await received) as { payload: { city?: string } };

		expect(msg.payload.city).toBe('Курс по дизайну');
	});
});

describe('weeek-lead-in: the route', () => {
	it('answers a body over 1 MiB with 413 and emits nothing', async () => {
		await loadLeadIn({ kind: 'generic' });
		const messages = collect(helper.getNode('out'));
		const body = JSON.stringify({ name: 'Ivan', phone: '+79990001234', comment: 'x'.repeat(1024 * 1024) });

		const answer = await request('POST', '/leads', { body, contentType: 'application/json' });
		await delay(100);

		expect(answer.status).toBe(413);
		expect(messages).toHaveLength(0);
		expect(statusesOf(helper.getNode('in')).pop()).toEqual({ fill: 'red', shape: 'ring', text: `${LEAD_IN_STATUS}tooLarge` });
	});

	it('answers HEAD without emitting a lead', async () => {
		await loadLeadIn({ kind: 'generic' });
		const messages = collect(helper.getNode('out'));

		const response = await fetch(`${nodeUrl}/leads?name=Ivan&phone=%2B79990001234&lead_id=h-1`, { method: 'HEAD' });
		await delay(100);

		expect(response.status).toBe(200);
		expect(messages).toHaveLength(0);
	});

	it('removes its route when the flow stops', async () => {
		await loadLeadIn({ kind: 'tilda' });
		await helper.unload();

		const answer = await sendSample('/leads', 'tilda-1.txt');

		expect(answer.status).toBe(404);
	});

	it('runs httpNodeMiddleware and adds the httpNodeCors headers', async () => {
		helper.settings({
			httpNodeMiddleware: (_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => {
				response.setHeader('x-middleware', 'ran');
				next();
			},
			httpNodeCors: { origin: '*' },
		});
		await loadLeadIn({ kind: 'tilda' });

		const response = await fetch(`${nodeUrl}/leads`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://example.com' }, body: loadSample('tilda-2.txt').body });

		expect(response.status).toBe(200);
		expect(response.headers.get('x-middleware')).toBe('ran');
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
	});
});

describe('http in → weeek-lead: Facebook', () => {
	it('reads a Graph lead posted as JSON', async () => {
		await loadHttpIn({ kind: 'facebook' });
		const received = nextMessage(helper.getNode('out'));

		const answer = await request('POST', '/hook', { body: loadSample('facebook-2.json').body, contentType: 'application/json' });
		const msg = (await received) as { payload: { source: string; sourceLeadId: string; name: string; phones: string[]; dedupKey: string } };

		expect(answer).toMatchObject({ status: 200, text: 'ok' });
		expect(msg.payload.source).toBe('facebook');
		expect(msg.payload.sourceLeadId).toBe('1234567890123456');
		expect(msg.payload.dedupKey).toBe('fb:1234567890123456');
		expect(msg.payload.name).toBe('Ivan Testov');
		expect(msg.payload.phones).toEqual(['+79990001234']);
	});

	it('points a webhook notification to weeek-lead-in', async () => {
		await loadHttpIn({ kind: 'facebook' });
		const caught = nextMessage(helper.getNode('caught'));

		await request('POST', '/hook', { body: loadSample('facebook-1.json').body, contentType: 'application/json' });
		const msg = (await caught) as { error: { code?: string; message: string } };

		expect(msg.error.code).toBe('facebookNotification');
		expect(msg.error.message).toContain('WEEEK Lead In');
		expect(graph.requests).toHaveLength(0);
	});
});
