/**
 * The example flow "Keep failed leads for replay" as shipped, deployed through the admin API of an
 * embedded Node-RED against the WEEEK sandbox. A Tilda lead that WEEEK rejects lands as one JSON
 * line in `failed-leads.jsonl`. Once the token is fixed, the replay branch makes its deal once.
 *
 * The example has two Catch nodes, which the test helper cannot load, so this runs a real runtime.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { NormalizedLead } from '../../shared/leads/types';
import { receiveLeadWebhook } from '../../shared/leads/webhook';
import { loadSample } from '../fixtures/samples';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { startEmbeddedNodeRed, type EmbeddedNodeRed } from './embedded';
import { ROOT, waitFor } from './support';

const EXAMPLE = path.join(ROOT, 'node-red', 'examples', 'Keep failed leads for replay.json');
const URL_TOKEN = 'tilda-url-token-9c1d';
const STATUS_ID = SEED.statuses.newLead.id;

/** Node ids in the example file. */
const IDS = {
	alert: 'fa11ed0000000008',
	replay: 'fa11ed0000000010',
	replayedDeal: 'fa11ed0000000017',
	replayFailed: 'fa11ed0000000019',
};

type FlowNode = { id: string; type: string; x?: number; [key: string]: unknown };
type FailedLine = { failedAt: string; reason: string; lead: NormalizedLead };

let sandbox: Sandbox;
let userDir: string;
let nodeRed: EmbeddedNodeRed;

beforeAll(async () => {
	sandbox = await startSandbox();
	userDir = await mkdtemp(path.join(tmpdir(), 'weeek-failed-leads-'));
	// The example writes `failed-leads.jsonl` by a relative name, which Node-RED resolves against this setting.
	nodeRed = await startEmbeddedNodeRed(userDir, { fileWorkingDirectory: userDir });
});

afterAll(async () => {
	await nodeRed.stop();
	await sandbox.close();
	await rm(userDir, { recursive: true, force: true });
});

/**
 * Builds the example as a user deploys it: the file as shipped on a tab, the funnel and status picked
 * in both Lead → Deal nodes, the account pointed at the sandbox with `weeekToken`, and a URL token.
 */
function exampleFlow(weeekToken: string): FlowNode[] {
	const nodes = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as FlowNode[];
	const configured = nodes.map((node): FlowNode => {
		const placed = node.x === undefined ? node : { ...node, z: 'tab' };
		if (node.type === 'weeek-lead-to-deal') return { ...placed, funnelId: SEED.funnels.sales.id, statusId: STATUS_ID };
		if (node.type === 'weeek-config') return { ...placed, baseUrl: sandbox.baseUrl, requestsPerSecond: 50, credentials: { token: weeekToken } };
		if (node.type === 'weeek-lead-source') return { ...placed, credentials: { secret: URL_TOKEN } };
		return placed;
	});
	return [{ id: 'tab', type: 'tab', label: 'failed leads' }, ...configured];
}

function failedLines(): FailedLine[] {
	const file = path.join(userDir, 'failed-leads.jsonl');
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => JSON.parse(line) as FailedLine);
}

/** Returns what the debug sidebar showed for one debug node, each message parsed back from its JSON. */
function debugShown(nodeId: string): unknown[] {
	return nodeRed.comms
		.filter((message) => message.topic === 'debug' && (message.data as { id?: string }).id === nodeId)
		.map((message) => JSON.parse((message.data as { msg: string }).msg) as unknown);
}

const tildaSample = loadSample('tilda-1.txt');

async function postTildaLead(): Promise<number> {
	const response = await fetch(`${nodeRed.url}/weeek/tilda-leads?token=${URL_TOKEN}`, { method: 'POST', headers: { 'content-type': tildaSample.contentType }, body: tildaSample.body });
	await response.text();
	return response.status;
}

/** Builds the lead WEEEK Lead In emits for the Tilda sample, received at `receivedAt`. */
function expectedLead(receivedAt: string): unknown {
	const outcome = receiveLeadWebhook(
		{ source: 'tilda', tilda: { urlToken: URL_TOKEN } },
		{ body: Buffer.from(tildaSample.body), rawBody: Buffer.from(tildaSample.body), contentType: tildaSample.contentType, method: 'POST', query: { token: URL_TOKEN }, headers: {}, receivedAt: Date.parse(receivedAt) },
	);
	if (outcome.kind !== 'leads') throw new Error(`the Tilda sample gave ${outcome.kind}, not a lead`);
	return JSON.parse(JSON.stringify(outcome.leads[0])) as unknown;
}

const dealsOfLead = (dedupKey: string) => sandbox.state.deals.filter((deal) => String(deal.description ?? '').includes(dedupKey));
const dealOutcome = (shown: unknown) => (shown as { deal: { outcome: string } }).deal.outcome;

describe('example: keep failed leads for replay', () => {
	it('replays a rejected lead into one deal', async () => {
		await nodeRed.deploy(exampleFlow('wrong-token-for-the-example'));

		expect(await postTildaLead()).toBe(200);
		await waitFor('the failed lead is written and shown', () => failedLines().length === 1 && debugShown(IDS.alert).length === 1);

		const [line] = failedLines();
		expect(line.lead).toEqual(expectedLead(line.lead.receivedAt));
		expect(line.lead.dedupKey).toBe('tilda:1234567:8901234567');
		expect(line.reason).toContain('HTTP 401');
		expect(Number.isNaN(Date.parse(line.failedAt))).toBe(false);
		expect(debugShown(IDS.alert)[0]).toEqual(line);
		expect(sandbox.state.deals).toHaveLength(0);

		// The user enters the right token and deploys, then clicks the replay button.
		await nodeRed.deploy(exampleFlow(sandbox.token));
		await nodeRed.inject(IDS.replay);
		await waitFor('the replayed deal is shown', () => debugShown(IDS.replayedDeal).length === 1, 10_000);

		expect(debugShown(IDS.replayFailed)).toHaveLength(0);
		expect(dealOutcome(debugShown(IDS.replayedDeal)[0])).toBe('created');
		expect(dealsOfLead(line.lead.dedupKey)).toHaveLength(1);
		expect(dealsOfLead(line.lead.dedupKey)[0].statusId).toBe(STATUS_ID);

		// Replaying the same file again finds the deal and makes none.
		await nodeRed.inject(IDS.replay);
		await waitFor('the second replay is shown', () => debugShown(IDS.replayedDeal).length === 2, 10_000);

		expect(dealOutcome(debugShown(IDS.replayedDeal)[1])).toBe('existing');
		expect(dealsOfLead(line.lead.dedupKey)).toHaveLength(1);
		expect(failedLines()).toHaveLength(1);
	});
});
