/**
 * The WEEEK watch core (`shared/watch`) against the sandbox with the real client: baselines, each
 * event type, paging, restarts through a JSON round trip, faults in the middle of a poll, the
 * snapshot cap and the overlap window.
 */
import { ConfigurationError } from '../../shared/errors';
import { pollWatch, readWatchState, sampleWatchEvent, type WatchEvent, type WatchOptions, type WatchSettings, type WatchState } from '../../shared/watch';
import { NO_RETRY, WeeekClient } from '../../shared/weeek/client';
import { createUndiciHttpPort } from '../../node-red/nodes/lib/http';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';

const SALES = SEED.funnels.sales.id;
const PARTNERS = SEED.funnels.partners.id;
const { newLead, qualified, negotiation, contract, inbox } = SEED.statuses;

let sandbox: Sandbox;
let client: WeeekClient;

beforeAll(async () => {
	sandbox = await startSandbox();
	client = makeClient();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

function makeClient(retry = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0, budgetMs: 5_000 }): WeeekClient {
	return new WeeekClient({
		baseUrl: sandbox.baseUrl,
		http: createUndiciHttpPort({ token: sandbox.token }),
		// Retries wait on this port; the tests skip the waiting instead of sleeping.
		sleep: async () => undefined,
		clock: Date.now,
		retry,
	});
}

/** One watch with its state, persisted through JSON between polls as n8n and the file store do. */
class Watch {
	stored: string | undefined;

	constructor(
		readonly settings: WatchSettings,
		readonly options: WatchOptions = {},
		readonly watchClient: WeeekClient = client,
	) {}

	get state(): WatchState | undefined {
		return this.stored === undefined ? undefined : (JSON.parse(this.stored) as WatchState);
	}

	async poll(): Promise<WatchEvent[]> {
		const result = await pollWatch({ client: this.watchClient, settings: this.settings, state: this.state, options: this.options });
		this.stored = JSON.stringify(result.state);
		return result.events;
	}
}

async function createDeal(statusId: string, title: string, extra: { winStatus?: 'won' | 'lost' } = {}): Promise<string> {
	const deal = await client.createDeal(statusId, { title, ...extra });
	return deal.id;
}

/** Makes the sandbox's deals look old: ten minutes apart, the newest an hour ago, in their current order. */
function backdateDeals(): void {
	const newest = Date.now() - 3_600_000;
	const byAge = [...sandbox.state.deals].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	byAge.forEach((deal, index) => {
		deal.createdAt = deal.updatedAt = new Date(newest - index * 600_000).toISOString();
	});
}

const titles = (events: WatchEvent[]) => events.map((event) => (event.record as { title?: string }).title);

describe('watch baseline', () => {
	it('emits nothing on the first poll', async () => {
		await createDeal(newLead.id, 'Existing');
		const watch = new Watch({ event: 'newDeal', funnelId: SALES });

		const first = await pollWatch({ client, settings: watch.settings, state: undefined });

		expect(first.baseline).toBe(true);
		expect(first.events).toEqual([]);
		expect(Object.keys(first.state.deals?.deals ?? {})).toHaveLength(1);
		expect(first.state.deals?.complete).toBe(true);
	});

	it('starts a new baseline when the funnel changes', async () => {
		await createDeal(newLead.id, 'Sales deal');
		const sales = new Watch({ event: 'newDeal', funnelId: SALES });
		await sales.poll();

		await createDeal(inbox.id, 'Partner deal');
		const partners = await pollWatch({ client, settings: { event: 'newDeal', funnelId: PARTNERS }, state: sales.state });

		expect(partners.baseline).toBe(true);
		expect(partners.events).toEqual([]);
		expect(partners.state.deals?.funnelId).toBe(PARTNERS);
	});
});

describe('watch: new deal', () => {
	it('reports a deal created after the baseline once', async () => {
		await createDeal(newLead.id, 'Old');
		const watch = new Watch({ event: 'newDeal', funnelId: SALES });
		await watch.poll();

		await createDeal(qualified.id, 'Fresh');

		const events = await watch.poll();
		expect(titles(events)).toEqual(['Fresh']);
		expect(events[0]).toMatchObject({ event: 'newDeal', record: { statusId: qualified.id, funnelId: SALES } });
		expect(await watch.poll()).toEqual([]);
	});

	it('narrows to the chosen statuses', async () => {
		const watch = new Watch({ event: 'newDeal', funnelId: SALES, statusIds: [qualified.id, contract.id] });
		await watch.poll();

		await createDeal(newLead.id, 'In new lead');
		await createDeal(qualified.id, 'In qualified');
		await createDeal(contract.id, 'In contract');
		await createDeal(inbox.id, 'Other funnel');

		expect(titles(await watch.poll())).toEqual(['In qualified', 'In contract']);
	});

	it('reports a deal created and moved between polls once, in its final status', async () => {
		const watch = new Watch({ event: 'newDeal', funnelId: SALES, statusIds: [negotiation.id] });
		await watch.poll();

		const id = await createDeal(newLead.id, 'Fast mover');
		await client.moveDealToStatus(id, qualified.id);
		await client.moveDealToStatus(id, negotiation.id);

		const events = await watch.poll();
		expect(titles(events)).toEqual(['Fast mover']);
		expect(events[0].record).toMatchObject({ statusId: negotiation.id });
	});
});

describe('watch: deal moved to status', () => {
	it('reports one move with the previous status when a deal moved twice', async () => {
		const id = await createDeal(newLead.id, 'Mover');
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES });
		await watch.poll();

		await client.moveDealToStatus(id, qualified.id);
		await client.moveDealToStatus(id, contract.id);

		const events = await watch.poll();
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ event: 'dealMoved', previousStatusId: newLead.id, record: { id, statusId: contract.id } });
		expect(await watch.poll()).toEqual([]);
	});

	it('reports nothing for a deal moved away and back', async () => {
		const id = await createDeal(newLead.id, 'Round trip');
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES });
		await watch.poll();

		await client.moveDealToStatus(id, qualified.id);
		await client.moveDealToStatus(id, newLead.id);

		expect(await watch.poll()).toEqual([]);
	});

	it('reports only moves into the chosen status', async () => {
		const toContract = await createDeal(newLead.id, 'To contract');
		const toQualified = await createDeal(newLead.id, 'To qualified');
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES, statusIds: [contract.id] });
		await watch.poll();

		await client.moveDealToStatus(toContract, contract.id);
		await client.moveDealToStatus(toQualified, qualified.id);

		expect(titles(await watch.poll())).toEqual(['To contract']);
	});

	it('does not report a deal created since the last poll as moved', async () => {
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES });
		await watch.poll();

		const id = await createDeal(newLead.id, 'Created then moved');
		await client.moveDealToStatus(id, qualified.id);

		expect(await watch.poll()).toEqual([]);
		await client.moveDealToStatus(id, contract.id);
		const events = await watch.poll();
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ previousStatusId: qualified.id, record: { statusId: contract.id } });
	});

	it('reports a deal arriving from another funnel with no previous status', async () => {
		const id = await createDeal(inbox.id, 'From partners');
		await createDeal(newLead.id, 'Already in sales');
		// Created before the last change in Sales, so it cannot pass for a new deal.
		backdateDeals();
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES });
		await watch.poll();

		await client.moveDealToFunnel(id, SALES);

		const events = await watch.poll();
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ previousStatusId: null, record: { id, funnelId: SALES } });
	});
});

describe('watch: deal won or lost', () => {
	async function closeDeals(watch: Watch): Promise<{ won: string; lost: string }> {
		const won = await createDeal(newLead.id, 'Will win');
		const lost = await createDeal(qualified.id, 'Will lose');
		await createDeal(qualified.id, 'Stays open');
		await watch.poll();

		await client.updateDeal(won, { winStatus: 'won' });
		await client.updateDeal(lost, { winStatus: 'lost' });
		return { won, lost };
	}

	it('reports won deals only when watching won', async () => {
		const watch = new Watch({ event: 'dealWonOrLost', funnelId: SALES, outcome: 'won' });
		await closeDeals(watch);

		const events = await watch.poll();
		expect(titles(events)).toEqual(['Will win']);
		expect(events[0]).toMatchObject({ event: 'dealWonOrLost', previousWinStatus: null, record: { winStatus: 'won' } });
	});

	it('reports lost deals only when watching lost', async () => {
		const watch = new Watch({ event: 'dealWonOrLost', funnelId: SALES, outcome: 'lost' });
		await closeDeals(watch);

		expect(titles(await watch.poll())).toEqual(['Will lose']);
	});

	it('reports both when watching either, and each once', async () => {
		const watch = new Watch({ event: 'dealWonOrLost', funnelId: SALES });
		await closeDeals(watch);

		expect(titles(await watch.poll())).toEqual(['Will win', 'Will lose']);
		expect(await watch.poll()).toEqual([]);
	});

	it('reports a reopened deal that is won again', async () => {
		const watch = new Watch({ event: 'dealWonOrLost', funnelId: SALES, outcome: 'won' });
		const { won } = await closeDeals(watch);
		await watch.poll();

		await client.updateDeal(won, { winStatus: null });
		await watch.poll();
		await client.updateDeal(won, { winStatus: 'won' });

		expect(titles(await watch.poll())).toEqual(['Will win']);
	});

	it('reports a deal created already won between polls', async () => {
		const watch = new Watch({ event: 'dealWonOrLost', funnelId: SALES, outcome: 'either' });
		await watch.poll();

		await createDeal(contract.id, 'Signed on arrival', { winStatus: 'won' });
		await createDeal(contract.id, 'Open on arrival');

		expect(titles(await watch.poll())).toEqual(['Signed on arrival']);
	});

	it('ignores archiving', async () => {
		const id = await createDeal(newLead.id, 'Archived');
		const watch = new Watch({ event: 'dealWonOrLost', funnelId: SALES });
		await watch.poll();

		await client.updateDeal(id, { winStatus: 'archived' });

		expect(await watch.poll()).toEqual([]);
	});
});

describe('watch: new contact', () => {
	it('reports contacts created after the baseline, not updated ones', async () => {
		const old = await client.createContact({ firstName: 'Old' });
		const watch = new Watch({ event: 'newContact' });
		expect(await watch.poll()).toEqual([]);

		await client.createContact({ firstName: 'Fresh' });
		await client.patchContact(old.id, { lastName: 'Updated' });

		const events = await watch.poll();
		expect(events.map((event) => (event.record as { firstName?: string }).firstName)).toEqual(['Fresh']);
		expect(events[0].event).toBe('newContact');
		expect(await watch.poll()).toEqual([]);
	});

	it('reports the first contacts of an empty workspace', async () => {
		const watch = new Watch({ event: 'newContact' });
		await watch.poll();

		await client.createContact({ firstName: 'First' });
		await client.createContact({ firstName: 'Second' });

		expect((await watch.poll()).map((event) => (event.record as { firstName?: string }).firstName)).toEqual(['First', 'Second']);
	});

	it('pages past 100 new contacts and stops at the cursor', async () => {
		for (let index = 0; index < 30; index++) await client.createContact({ firstName: `Old ${index}` });
		const watch = new Watch({ event: 'newContact' });
		await watch.poll();

		for (let index = 0; index < 130; index++) await client.createContact({ firstName: `New ${index}` });
		sandbox.requests.length = 0;

		const events = await watch.poll();
		expect(events).toHaveLength(130);
		expect(new Set(events.map((event) => event.record.id)).size).toBe(130);
		// Two pages cover the 130 new contacts and reach below the cursor; the old 30 need no third page.
		expect(sandbox.requests.filter((request) => request.path === '/crm/contacts')).toHaveLength(2);
		expect(await watch.poll()).toEqual([]);
	});
});

describe('watch paging and cost', () => {
	it('reads a baseline of 250 deals and then 120 new ones, each once', async () => {
		for (let index = 0; index < 250; index++) await createDeal(newLead.id, `Old ${index}`);
		const watch = new Watch({ event: 'newDeal', funnelId: SALES });
		await watch.poll();
		expect(Object.keys(watch.state?.deals?.deals ?? {})).toHaveLength(250);

		for (let index = 0; index < 120; index++) await createDeal(newLead.id, `New ${index}`);

		const events = await watch.poll();
		expect(events).toHaveLength(120);
		expect(titles(events)).toEqual(Array.from({ length: 120 }, (_, index) => `New ${index}`));
	});

	it('asks for one page per status when nothing changed', async () => {
		for (let index = 0; index < 150; index++) await createDeal(newLead.id, `Deal ${index}`);
		// Deals changed ten minutes apart, so the overlap below the cursor holds only the newest.
		backdateDeals();
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES });
		await watch.poll();
		sandbox.requests.length = 0;

		expect(await watch.poll()).toEqual([]);

		const statusCount = Object.values(SEED.statuses).filter((status) => status.funnelId === SALES).length;
		expect(sandbox.requests).toHaveLength(1 + statusCount);
		const dealLists = sandbox.requests.filter((request) => request.path.endsWith('/deals'));
		expect(dealLists.every((request) => request.query.sort === '-updatedAt' && request.query.limit === '100' && request.query.offset === '0')).toBe(true);
	});
});

describe('watch across restarts and faults', () => {
	it('emits nothing twice and misses nothing across restarts', async () => {
		const mover = await createDeal(newLead.id, 'Mover');
		const settings: WatchSettings = { event: 'dealMoved', funnelId: SALES };
		let stored = JSON.stringify((await pollWatch({ client, settings, state: undefined })).state);
		const seen: string[] = [];

		// Each round is a fresh process: only the stored JSON carries over.
		for (const target of [qualified.id, negotiation.id, contract.id]) {
			await client.moveDealToStatus(mover, target);
			const restored = readWatchState(JSON.parse(stored), () => undefined);
			const result = await pollWatch({ client: makeClient(), settings, state: restored });
			stored = JSON.stringify(result.state);
			seen.push(...result.events.map((event) => `${event.previousStatusId}→${event.record.statusId as string}`));

			const again = await pollWatch({ client: makeClient(), settings, state: readWatchState(JSON.parse(stored), () => undefined) });
			expect(again.events).toEqual([]);
		}

		expect(seen).toEqual([`${newLead.id}→${qualified.id}`, `${qualified.id}→${negotiation.id}`, `${negotiation.id}→${contract.id}`]);
	});

	it('keeps the state after a failure mid-poll and catches up without duplicates', async () => {
		const early = await createDeal(newLead.id, 'Early');
		const late = await createDeal(contract.id, 'Late');
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES }, {}, makeClient(NO_RETRY));
		await watch.poll();
		const before = watch.stored;

		await client.moveDealToStatus(early, qualified.id);
		await client.moveDealToStatus(late, negotiation.id);
		// The third status's list fails after the first two were read.
		sandbox.queueFault({ method: 'GET', pathPattern: `/crm/statuses/${negotiation.id}/deals`, fault: '503' });

		await expect(watch.poll()).rejects.toMatchObject({ code: 'server' });
		expect(watch.stored).toBe(before);

		const events = await watch.poll();
		expect(titles(events)).toEqual(['Early', 'Late']);
		expect(await watch.poll()).toEqual([]);
	});

	it('retries a transient fault inside the poll', async () => {
		const watch = new Watch({ event: 'newDeal', funnelId: SALES });
		await watch.poll();
		await createDeal(qualified.id, 'Despite 429');
		sandbox.queueFault({ method: 'GET', pathPattern: `/crm/statuses/${qualified.id}/deals`, fault: '429' });

		expect(titles(await watch.poll())).toEqual(['Despite 429']);
	});
});

describe('watch timestamps and state size', () => {
	it('uses WEEEK timestamps with an overlap, so a late-visible change is still reported', async () => {
		const id = await createDeal(newLead.id, 'Late writer');
		await createDeal(qualified.id, 'Other');
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES }, { overlapMs: 60_000 });
		await watch.poll();

		// The move becomes visible only after a newer change pushed the cursor: its timestamp is 30 s older.
		await client.moveDealToStatus(id, contract.id);
		const deal = sandbox.state.deals.find((candidate) => candidate.id === id);
		if (deal === undefined) throw new Error('the sandbox lost the deal');
		const cursor = Date.parse(watch.state?.deals?.cursor ?? '');
		deal.updatedAt = new Date(cursor - 30_000).toISOString();

		const events = await watch.poll();
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ previousStatusId: newLead.id, record: { statusId: contract.id } });
	});

	it('caps the snapshot at the most recently updated deals', async () => {
		for (let index = 0; index < 30; index++) await createDeal(newLead.id, `Deal ${index}`);
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES }, { maxTrackedDeals: 20 });
		await watch.poll();

		const state = watch.state?.deals;
		expect(Object.keys(state?.deals ?? {})).toHaveLength(20);
		expect(state?.complete).toBe(false);
		const kept = sandbox.state.deals.slice(0, 20).map((deal) => deal.id);
		expect(Object.keys(state?.deals ?? {}).sort()).toEqual([...kept].sort());

		await client.moveDealToStatus(kept[0], contract.id);
		expect(await watch.poll()).toHaveLength(1);
	});

	it('does not guess a move for a deal the cap dropped', async () => {
		for (let index = 0; index < 5; index++) await createDeal(newLead.id, `Deal ${index}`);
		const watch = new Watch({ event: 'dealMoved', funnelId: SALES }, { maxTrackedDeals: 3 });
		await watch.poll();
		const dropped = sandbox.state.deals[4].id;
		expect(watch.state?.deals?.deals[dropped]).toBeUndefined();

		await client.moveDealToStatus(dropped, contract.id);

		expect(await watch.poll()).toEqual([]);
		expect(watch.state?.deals?.deals[dropped]?.[0]).toBe(contract.id);
	});
});

describe('watch settings and stored state', () => {
	it('rejects an unknown event', async () => {
		await expect(pollWatch({ client, settings: { event: 'dealDeleted' as never, funnelId: SALES }, state: undefined })).rejects.toMatchObject({
			code: 'watchUnknownEvent',
		});
		expect(sandbox.requests).toHaveLength(0);
	});

	it('asks for a funnel for deal events', async () => {
		const failure = pollWatch({ client, settings: { event: 'newDeal', funnelId: ' ' }, state: undefined });
		await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
		await expect(failure).rejects.toThrow(/pick the funnel/);
	});

	it('names a status outside the funnel', async () => {
		await expect(pollWatch({ client, settings: { event: 'newDeal', funnelId: SALES, statusIds: [inbox.id] }, state: undefined })).rejects.toMatchObject({
			code: 'watchStatusNotInFunnel',
			params: { statusId: inbox.id },
		});
	});

	it('rejects an unknown outcome', async () => {
		await expect(pollWatch({ client, settings: { event: 'dealWonOrLost', funnelId: SALES, outcome: 'draw' as never }, state: undefined })).rejects.toMatchObject({
			code: 'watchUnknownOutcome',
		});
	});

	it('treats a damaged stored state as none', () => {
		const problems: string[] = [];
		expect(readWatchState({ version: 1, deals: { funnelId: SALES, cursor: 5 } }, (problem) => problems.push(problem))).toBeUndefined();
		expect(problems[0]).toMatch(/deals/);
		expect(readWatchState(undefined, (problem) => problems.push(problem))).toBeUndefined();
		expect(problems).toHaveLength(1);
	});
});

describe('watch sample event', () => {
	it('returns the newest matching deal without any state', async () => {
		await createDeal(newLead.id, 'Older');
		await createDeal(qualified.id, 'Newest');
		const won = await createDeal(newLead.id, 'Winner');
		await client.updateDeal(won, { winStatus: 'won' });

		expect((await sampleWatchEvent(client, { event: 'newDeal', funnelId: SALES }))?.record).toMatchObject({ title: 'Winner' });
		expect((await sampleWatchEvent(client, { event: 'newDeal', funnelId: SALES, statusIds: [qualified.id] }))?.record).toMatchObject({ title: 'Newest' });
		expect(await sampleWatchEvent(client, { event: 'dealWonOrLost', funnelId: SALES, outcome: 'lost' })).toBeUndefined();
		expect(await sampleWatchEvent(client, { event: 'dealWonOrLost', funnelId: SALES, outcome: 'won' })).toMatchObject({ record: { id: won } });
	});

	it('returns the newest contact', async () => {
		await client.createContact({ firstName: 'Anna' });
		await client.createContact({ firstName: 'Boris' });

		expect((await sampleWatchEvent(client, { event: 'newContact' }))?.record).toMatchObject({ firstName: 'Boris' });
	});
});
