/**
 * `weeek-lead-in` under Node-RED's default settings, where the editor and the flow endpoints share
 * the root `/`. The editor's body parsers then see every POST first; these tests prove that our
 * route still reads the exact bytes: Facebook signatures match, the 1 MiB limit and our JSON errors
 * apply, cp1251 forms decode and long ids keep every digit. A real embedded Node-RED runs the flow.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startFakeGraph, type FakeGraph } from '../fakes/graph';
import { FACEBOOK_FORM_NAME, FACEBOOK_PAGE_NAME } from '../fixtures/expectedLeads';
import { loadSample } from '../fixtures/samples';
import { startEmbeddedNodeRed, type EmbeddedNodeRed } from './embedded';
import { waitFor } from './support';

const APP_SECRET = 'fb-app-secret-default-roots';
const ACCESS_TOKEN = 'EAAG-default-roots-token';
const DEBUG_ID = 'debug0000000001';

let userDir: string;
let nodeRed: EmbeddedNodeRed;
let graph: FakeGraph;

beforeAll(async () => {
	graph = await startFakeGraph({
		leads: { '1234567890123456': JSON.parse(loadSample('facebook-2.json').body) as Record<string, unknown> },
		forms: { '987654321098765': FACEBOOK_FORM_NAME },
		pages: { '104851234567890': FACEBOOK_PAGE_NAME },
		accessToken: ACCESS_TOKEN,
	});
	userDir = await mkdtemp(path.join(tmpdir(), 'weeek-default-roots-'));
	nodeRed = await startEmbeddedNodeRed(userDir);
	await nodeRed.deploy([
		{ id: 'tab', type: 'tab', label: 'default roots' },
		{ id: 'src-generic', type: 'weeek-lead-source', name: 'generic', kind: 'generic', secretLocation: 'none' },
		{
			id: 'src-fb',
			type: 'weeek-lead-source',
			name: 'facebook',
			kind: 'facebook',
			secretLocation: 'none',
			graphBaseUrl: graph.baseUrl,
			credentials: { fbAppSecret: APP_SECRET, fbVerifyToken: 'verify-default-roots', fbAccessToken: ACCESS_TOKEN },
		},
		{ id: 'in-generic', type: 'weeek-lead-in', z: 'tab', x: 100, y: 100, source: 'src-generic', url: '/generic-leads', wires: [[DEBUG_ID]] },
		{ id: 'in-fb', type: 'weeek-lead-in', z: 'tab', x: 100, y: 200, source: 'src-fb', url: '/fb-leads', wires: [[DEBUG_ID]] },
		{ id: DEBUG_ID, type: 'debug', z: 'tab', x: 300, y: 100, active: true, complete: 'payload', targetType: 'msg', tosidebar: true, wires: [] },
	]);
});

afterAll(async () => {
	await nodeRed.stop();
	await graph.close();
	await rm(userDir, { recursive: true, force: true });
});

/** Returns the leads the debug node showed, parsed back from the sidebar messages. */
function shownLeads(): Array<Record<string, unknown>> {
	return nodeRed.comms
		.filter((message) => message.topic === 'debug' && (message.data as { id?: string }).id === DEBUG_ID)
		.map((message) => JSON.parse(String((message.data as { msg: string }).msg)) as Record<string, unknown>);
}

async function post(route: string, body: string | Buffer, contentType: string, headers: Record<string, string> = {}) {
	const response = await fetch(`${nodeRed.url}${route}`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
	return { status: response.status, text: await response.text() };
}

describe('weeek-lead-in at the editor root', () => {
	it('accepts a signed Facebook delivery', async () => {
		const body = loadSample('facebook-1.json').body;
		const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;

		const answer = await post('/fb-leads', body, 'application/json', { 'x-hub-signature-256': signature });

		expect(answer.status).toBe(200);
		await waitFor('the fetched Facebook lead to reach the debug node', () => shownLeads().some((lead) => lead.source === 'facebook'));
	});

	it('keeps every digit of a long JSON id', async () => {
		const answer = await post('/generic-leads', '{"id": 12345678901234567891, "name": "Ivan", "phone": "+79990001234"}', 'application/json');

		expect(answer.status).toBe(200);
		await waitFor('the lead with the long id', () => shownLeads().some((lead) => lead.dedupKey === 'generic:12345678901234567891'));
	});

	it('answers invalid JSON with its own 400', async () => {
		const answer = await post('/generic-leads', '{"name": "Ivan",}', 'application/json');

		expect(answer.status).toBe(400);
		expect(answer.text).toMatch(/not valid JSON/);
		expect(answer.text).not.toMatch(/node_modules|SyntaxError/);
	});

	it('rejects a body over 1 MiB with 413', async () => {
		const answer = await post('/generic-leads', JSON.stringify({ name: 'Ivan', phone: '+79990001234', note: 'x'.repeat(1024 * 1024) }), 'application/json');

		expect(answer.status).toBe(413);
	});

	it('decodes a cp1251 form', async () => {
		// "name=Иван" in Windows-1251, percent-encoded as a browser on a cp1251 page sends it.
		const answer = await post('/generic-leads', 'name=%C8%E2%E0%ED&phone=%2B79990001235', 'application/x-www-form-urlencoded; charset=windows-1251');

		expect(answer.status).toBe(200);
		await waitFor('the cp1251 lead', () => shownLeads().some((lead) => (lead.phones as string[] | undefined)?.includes('+79990001235') === true));
		const lead = shownLeads().find((candidate) => (candidate.phones as string[]).includes('+79990001235'));
		expect(lead?.firstName).toBe('Иван');
	});
});
