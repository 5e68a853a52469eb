/**
 * `npm run demo`: the Tilda example flows in a real, embedded Node-RED 4 against the WEEEK sandbox.
 *
 * Starts the sandbox and Node-RED on 127.0.0.1, with a fresh temporary user directory and our built
 * package loaded from `node-red/` through `nodesDir`. Then it deploys two example flows through the
 * admin API with the sandbox's base URL and token:
 * - `examples/Tilda lead to contact and deal.json`, the chain of separate nodes, which makes a
 *   contact, a deal and a link for every delivery;
 * - `examples/Tilda to WEEEK in one node.json`, which uses WEEEK Lead → Deal and remembers lead keys.
 * It posts the Tilda samples to each as Tilda would, waits for the records in the sandbox and prints them.
 *
 * Exits 0 when every lead arrived and the second path made exactly one contact and one deal for the
 * deliveries of one `tranid`, 1 with the reason otherwise. With `--keep` it stays up and prints the
 * editor address and the sandbox credentials until Ctrl+C.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadSample } from '../fixtures/samples';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE_DIR = path.join(ROOT, 'node-red');
const EXAMPLE_FILE = path.join(PACKAGE_DIR, 'examples', 'Tilda lead to contact and deal.json');
const ONE_NODE_EXAMPLE_FILE = path.join(PACKAGE_DIR, 'examples', 'Tilda to WEEEK in one node.json');
const WEBHOOK_PATH = '/weeek/tilda';
const ONE_NODE_WEBHOOK_PATH = '/weeek/tilda-deal';
const WAIT_MS = 15_000;
/** How long WEEEK must stay quiet after a delivery before the demo decides it created nothing. */
const QUIET_MS = 500;

/** The samples in the order Tilda would send them: the connection test first. */
const SAMPLES = ['tilda-2.txt', 'tilda-1.txt', 'tilda-5.json', 'tilda-6.txt'];

type Handler = (request: IncomingMessage, response: ServerResponse, next?: () => void) => void;

interface EmbeddedNodeRed {
	init(server: Server, settings: Record<string, unknown>): void;
	start(): Promise<void>;
	stop(): Promise<void>;
	httpAdmin: Handler;
	httpNode: Handler;
}

interface ExpressApp extends Handler {
	use(path: string, handler: Handler): void;
}

interface FlowNode {
	id: string;
	type: string;
	z?: string;
	x?: number;
	[key: string]: unknown;
}

/** What one delivery to the WEEEK Lead → Deal path changed in the sandbox. */
interface OneNodeResult {
	sample: string;
	status: number;
	answer: string;
	isPing: boolean;
	newContacts: number;
	newDeals: number;
}

interface SampleResult {
	sample: string;
	status: number;
	answer: string;
	tranid?: string;
	isPing: boolean;
	contactId?: string;
	dealId?: string;
	linked: boolean;
}

class DemoError extends Error {}

async function main(): Promise<void> {
	const keep = process.argv.includes('--keep');
	const sandbox = await startSandbox();
	const userDir = await mkdtemp(path.join(tmpdir(), 'weeek-node-red-demo-'));
	let nodeRed: { RED: EmbeddedNodeRed; server: Server; url: string } | undefined;

	const cleanUp = async (): Promise<void> => {
		if (nodeRed !== undefined) {
			await nodeRed.RED.stop().catch(() => undefined);
			nodeRed.server.closeAllConnections();
			await new Promise<void>((resolve) => nodeRed?.server.close(() => resolve()));
		}
		await sandbox.close();
		await rm(userDir, { recursive: true, force: true });
	};

	try {
		nodeRed = await startNodeRed(userDir);
		await requirePackageLoaded(nodeRed.url);
		await deployExamples(nodeRed.url, sandbox);

		const results: SampleResult[] = [];
		for (const sample of SAMPLES) {
			results.push(await sendSample(nodeRed.url, sandbox, sample));
		}

		printResults(sandbox, results);

		const known = knownRecordIds(sandbox);
		const oneNodeResults: OneNodeResult[] = [];
		for (const sample of SAMPLES) {
			oneNodeResults.push(await sendSampleToOneNode(nodeRed.url, sandbox, sample));
		}
		printOneNodeResults(sandbox, known, oneNodeResults, userDir);

		if (keep) {
			console.log('');
			console.log(`Node-RED editor:  ${nodeRed.url}/`);
			console.log(`Tilda webhook:    POST ${nodeRed.url}${WEBHOOK_PATH}  (chain of nodes)`);
			console.log(`                  POST ${nodeRed.url}${ONE_NODE_WEBHOOK_PATH}  (WEEEK Lead → Deal)`);
			console.log(`Sandbox base URL: ${sandbox.baseUrl}`);
			console.log(`Sandbox token:    ${sandbox.token}`);
			console.log('Press Ctrl+C to stop.');
			await new Promise<void>((resolve) => {
				process.once('SIGINT', resolve);
				process.once('SIGTERM', resolve);
			});
		}
	} finally {
		await cleanUp();
	}
}

async function startNodeRed(userDir: string): Promise<{ RED: EmbeddedNodeRed; server: Server; url: string }> {
	// Both come with the node-red devDependency; the demo is the only place that embeds them.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const RED = require('node-red') as EmbeddedNodeRed;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const express = require('express') as () => ExpressApp;

	const app = express();
	const server = createServer(app);
	RED.init(server, {
		userDir,
		flowFile: 'flows.json',
		credentialSecret: 'weeek-demo-credential-secret',
		nodesDir: [PACKAGE_DIR],
		httpAdminRoot: '/',
		httpNodeRoot: '/',
		uiHost: '127.0.0.1',
		logging: { console: { level: 'warn', metrics: false, audit: false } },
		telemetry: { enabled: false },
		editorTheme: { tours: false },
		externalModules: { palette: { allowInstall: false } },
	});
	app.use('/', RED.httpAdmin);
	app.use('/', RED.httpNode);

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	await RED.start();

	const { port } = server.address() as AddressInfo;
	return { RED, server, url: `http://127.0.0.1:${port}` };
}

async function requirePackageLoaded(url: string): Promise<void> {
	const response = await fetch(`${url}/nodes`, { headers: { accept: 'application/json' } });
	const sets = (await response.json()) as Array<{ module: string; types: string[]; err?: string | { message?: string; code?: string } }>;
	const ours = sets.filter((set) => set.module === '@weeek-leads/node-red-weeek');
	const types = ours.flatMap((set) => set.types);
	const failed = ours.filter((set) => set.err !== undefined);

	if (failed.length > 0 || !types.includes('weeek-deal')) {
		const messages = failed.map((set) => (typeof set.err === 'string' ? set.err : (set.err?.message ?? set.err?.code ?? JSON.stringify(set.err))));
		const reason = [...new Set(messages)].join('; ') || 'the module was not found';
		throw new DemoError(`Node-RED did not load @weeek-leads/node-red-weeek from node-red/ (${reason}): run node scripts/build-node-red.mjs first`);
	}
}

/**
 * Deploys both Tilda examples, each on its own tab, with the sandbox account filled in, the way the
 * admin API's POST /flows takes them.
 */
async function deployExamples(url: string, sandbox: Sandbox): Promise<void> {
	const chain = await exampleOnTab(EXAMPLE_FILE, { id: 'weeek-demo-tab', type: 'tab', label: 'WEEEK demo: chain' }, sandbox);
	const oneNode = await exampleOnTab(ONE_NODE_EXAMPLE_FILE, { id: 'weeek-demo-one-node-tab', type: 'tab', label: 'WEEEK demo: Lead → Deal' }, sandbox);

	const response = await fetch(`${url}/flows`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v1', 'Node-RED-Deployment-Type': 'full' },
		body: JSON.stringify([...chain, ...oneNode]),
	});
	if (!response.ok) {
		throw new DemoError(`Node-RED rejected the example flows with HTTP ${response.status}: ${await response.text()}`);
	}
}

async function exampleOnTab(file: string, tab: FlowNode, sandbox: Sandbox): Promise<FlowNode[]> {
	const example = JSON.parse(await readFile(file, 'utf8')) as FlowNode[];
	const statusChoice = {
		funnelId: SEED.funnels.sales.id,
		funnelName: SEED.funnels.sales.name,
		statusId: SEED.statuses.newLead.id,
		statusName: SEED.statuses.newLead.name,
	};

	const flow = example.map((node) => {
		const copy: FlowNode = { ...node };
		if (copy.x !== undefined) copy.z = tab.id;
		if (copy.type === 'weeek-config') {
			Object.assign(copy, { baseUrl: sandbox.baseUrl, requestsPerSecond: 20, credentials: { token: sandbox.token } });
		}
		if (copy.type === 'weeek-deal') Object.assign(copy, statusChoice);
		// "Always create" gives this path a contact of its own, so it can be counted apart from the chain's.
		if (copy.type === 'weeek-lead-to-deal') Object.assign(copy, statusChoice, { contactMode: 'create' });
		return copy;
	});
	return [tab, ...flow];
}

/** Posts one sample as Tilda would and waits until its contact, deal and link are in the sandbox. */
async function sendSample(url: string, sandbox: Sandbox, name: string): Promise<SampleResult> {
	const { body, contentType } = loadSample(name);
	// WEEEK lists new deals at the top of a status, so new records are identified by id, not position.
	const known = new Set([...sandbox.state.contacts.map((contact) => contact.id), ...sandbox.state.deals.map((deal) => deal.id)]);
	const newContacts = () => sandbox.state.contacts.filter((contact) => !known.has(contact.id));
	const newDeals = () => sandbox.state.deals.filter((deal) => !known.has(deal.id));

	const response = await postUntilRouted(`${url}${WEBHOOK_PATH}`, body, contentType);
	const result: SampleResult = {
		sample: name,
		status: response.status,
		answer: response.text,
		tranid: tranidOf(body, contentType),
		isPing: /^test=test$/.test(body.trim()),
		linked: false,
	};
	if (response.status !== 200) {
		throw new DemoError(`${name}: the webhook answered HTTP ${response.status} (${response.text}) instead of 200 ok`);
	}

	if (result.isPing) {
		// The ping must create nothing; a short wait gives a wrongly forwarded ping time to show up.
		await sleep(300);
		if (newContacts().length > 0 || newDeals().length > 0) {
			throw new DemoError(`${name}: the Tilda connection test created records in WEEEK`);
		}
		return result;
	}

	const arrived = await waitUntil(() => newContacts().length > 0 && newDeals().some((deal) => linkRequestsFor(sandbox, deal.id) > 0));
	if (!arrived) {
		const seen = sandbox.requests.map((request) => `${request.method} ${request.path} → ${request.status}`).join('\n  ');
		throw new DemoError(`${name}: no linked contact and deal arrived in the sandbox within ${WAIT_MS / 1000} s. Requests the sandbox saw:\n  ${seen || '(none)'}`);
	}

	const contact = newContacts()[0];
	const deal = newDeals()[0];
	result.contactId = contact.id;
	result.dealId = deal.id;
	result.linked = deal.contacts.includes(contact.id);
	return result;
}

function knownRecordIds(sandbox: Sandbox): Set<string> {
	return new Set([...sandbox.state.contacts.map((contact) => contact.id), ...sandbox.state.deals.map((deal) => deal.id)]);
}

/**
 * Posts one sample to the WEEEK Lead → Deal path. WEEEK Lead replies before anything reaches WEEEK,
 * and a delivery the node remembers makes no WEEEK call at all. So the demo waits until the sandbox
 * has seen no request for a while, then counts what the delivery created.
 */
async function sendSampleToOneNode(url: string, sandbox: Sandbox, name: string): Promise<OneNodeResult> {
	const { body, contentType } = loadSample(name);
	const known = knownRecordIds(sandbox);

	const response = await postUntilRouted(`${url}${ONE_NODE_WEBHOOK_PATH}`, body, contentType);
	if (response.status !== 200) {
		throw new DemoError(`${name}: ${ONE_NODE_WEBHOOK_PATH} answered HTTP ${response.status} (${response.text}) instead of 200 ok`);
	}
	await waitUntilQuiet(sandbox);

	return {
		sample: name,
		status: response.status,
		answer: response.text,
		isPing: /^test=test$/.test(body.trim()),
		newContacts: sandbox.state.contacts.filter((contact) => !known.has(contact.id)).length,
		newDeals: sandbox.state.deals.filter((deal) => !known.has(deal.id)).length,
	};
}

/** Waits until the sandbox has received no request for `QUIET_MS`, or fails after `WAIT_MS`. */
async function waitUntilQuiet(sandbox: Sandbox): Promise<void> {
	const started = Date.now();
	let count = sandbox.requests.length;
	let quietSince = Date.now();
	while (Date.now() - quietSince < QUIET_MS) {
		if (Date.now() - started > WAIT_MS) throw new DemoError(`the sandbox kept receiving requests for ${WAIT_MS / 1000} s`);
		await sleep(50);
		if (sandbox.requests.length !== count) {
			count = sandbox.requests.length;
			quietSince = Date.now();
		}
	}
}

function printOneNodeResults(sandbox: Sandbox, known: Set<string>, results: OneNodeResult[], userDir: string): void {
	console.log('');
	console.log(`The same Tilda samples posted to ${ONE_NODE_WEBHOOK_PATH} (WEEEK Lead → WEEEK Lead → Deal, contact mode "always create"):`);
	printTable(
		['sample', 'answer', 'new contacts', 'new deals'],
		results.map((result) => [
			result.sample,
			`${result.status} ${result.answer}`,
			result.isPing ? 'connection test: nothing created' : String(result.newContacts),
			result.isPing ? '' : String(result.newDeals),
		]),
	);

	const contacts = sandbox.state.contacts.filter((contact) => !known.has(contact.id));
	const deals = sandbox.state.deals.filter((deal) => !known.has(deal.id));
	const deliveries = results.filter((result) => !result.isPing);
	const tranids = new Set(deliveries.map((result) => tranidOfSample(result.sample)));
	if (contacts.length !== 1 || deals.length !== 1 || !deals[0].contacts.includes(contacts[0].id)) {
		throw new DemoError(
			`${ONE_NODE_WEBHOOK_PATH} made ${contacts.length} contact(s) and ${deals.length} deal(s) for ${deliveries.length} deliveries of one lead, instead of one linked contact and deal`,
		);
	}

	console.log('');
	console.log(
		`${ONE_NODE_WEBHOOK_PATH} made exactly one contact (${short(contacts[0].id)}) and one deal (${short(deals[0].id)}, "${deals[0].title ?? ''}"), linked, ` +
			`for the ${deliveries.length} deliveries of tranid ${[...tranids].join(', ')}.`,
	);
	const memoryDir = path.join(userDir, 'weeek');
	const memoryFiles = existsSync(memoryDir) ? readdirSync(memoryDir).filter((file) => /^lead-memory-.+\.json$/.test(file)) : [];
	for (const file of memoryFiles) {
		console.log(`WEEEK Lead → Deal keeps the lead key in weeek/${file} in the Node-RED user directory, so a restart does not repeat the deal.`);
	}
}

function tranidOfSample(name: string): string | undefined {
	const { body, contentType } = loadSample(name);
	return tranidOf(body, contentType);
}

/** Retries while Node-RED returns 404, because right after a deploy the route may not exist yet. */
async function postUntilRouted(url: string, body: string, contentType: string): Promise<{ status: number; text: string }> {
	const started = Date.now();
	for (;;) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
		const text = await response.text();
		if (response.status !== 404 || Date.now() - started > 5_000) return { status: response.status, text };
		await sleep(100);
	}
}

function linkRequestsFor(sandbox: Sandbox, dealId: string): number {
	return sandbox.requests.filter((request) => request.method === 'POST' && request.path === `/crm/deals/${dealId}/contacts` && request.status === 200).length;
}

function tranidOf(body: string, contentType: string): string | undefined {
	if (contentType.includes('json')) {
		const parsed = JSON.parse(body) as { tranid?: unknown };
		return typeof parsed.tranid === 'string' ? parsed.tranid : undefined;
	}
	return new URLSearchParams(body).get('tranid') ?? undefined;
}

function printResults(sandbox: Sandbox, results: SampleResult[]): void {
	const statusNames = new Map(sandbox.state.statuses.map((status) => [status.id, status.name]));
	const funnelNames = new Map(sandbox.state.funnels.map((funnel) => [funnel.id, funnel.name]));
	const contactName = (id: string | undefined): string => {
		const contact = sandbox.state.contacts.find((candidate) => candidate.id === id);
		return contact === undefined ? '—' : [contact.firstName, contact.lastName].filter(Boolean).join(' ');
	};

	console.log(`Tilda samples posted to ${WEBHOOK_PATH} (http in → WEEEK Lead → WEEEK Contact → WEEEK Deal → WEEEK Link):`);
	printTable(
		['sample', 'answer', 'contact', 'deal', 'linked'],
		results.map((result) =>
			result.isPing
				? [result.sample, `${result.status} ${result.answer}`, 'connection test: nothing created', '', '']
				: [result.sample, `${result.status} ${result.answer}`, `${contactName(result.contactId)} (${short(result.contactId)})`, short(result.dealId), result.linked ? 'yes' : 'NO'],
		),
	);

	console.log('');
	console.log('Contacts in the WEEEK sandbox:');
	printTable(
		['id', 'name', 'phones', 'e-mails'],
		sandbox.state.contacts.map((contact) => [
			short(contact.id),
			contactName(contact.id),
			contact.phones.map((phone) => phone.phone).join(', '),
			contact.emails.map((email) => email.email).join(', '),
		]),
	);

	console.log('');
	console.log('Deals in the WEEEK sandbox:');
	printTable(
		['id', 'title', 'funnel / status', 'amount', 'linked contacts'],
		sandbox.state.deals.map((deal) => {
			const status = sandbox.state.statuses.find((candidate) => candidate.id === deal.statusId);
			return [
				short(deal.id),
				deal.title ?? '',
				`${funnelNames.get(status?.funnelId ?? '') ?? '?'} / ${statusNames.get(deal.statusId) ?? deal.statusId}`,
				deal.amount === null || deal.amount === undefined ? '—' : String(deal.amount),
				deal.contacts.map((id) => `${contactName(id)} (${short(id)})`).join(', '),
			];
		}),
	);

	// The chain of separate nodes has no memory of leads, so each delivery of one lead makes its own records.
	const byTranid = new Map<string, string[]>();
	for (const result of results.filter((item) => !item.isPing && item.tranid !== undefined)) {
		byTranid.set(result.tranid as string, [...(byTranid.get(result.tranid as string) ?? []), result.sample]);
	}
	for (const [tranid, samples] of byTranid) {
		if (samples.length < 2) continue;
		console.log('');
		console.log(
			`Note: ${samples.join(', ')} carry the same Tilda tranid ${tranid}, the same lead delivered ${samples.length} times. ` +
				`The chain of separate nodes made ${samples.length} contacts and deals for it, because it keeps no memory of leads; ` +
				`WEEEK Lead → Deal, below, makes one.`,
		);
	}
}

function printTable(header: string[], rows: string[][]): void {
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
	const line = (cells: string[]): string => cells.map((cell, column) => (cell ?? '').padEnd(widths[column])).join('  ').trimEnd();
	console.log(`  ${line(header)}`);
	console.log(`  ${line(widths.map((width) => '-'.repeat(width)))}`);
	for (const row of rows) console.log(`  ${line(row)}`);
}

function short(id: string | undefined): string {
	if (id === undefined) return '—';
	return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

async function waitUntil(condition: () => boolean): Promise<boolean> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > WAIT_MS) return false;
		await sleep(50);
	}
	return true;
}

function sleep(milliseconds: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof DemoError ? `Demo failed: ${error.message}` : error);
		process.exit(1);
	},
);
