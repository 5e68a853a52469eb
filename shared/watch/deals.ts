/**
 * Deal events of one funnel: new deal, deal moved to a status, deal won or lost.
 *
 * WEEEK has no global deal list and no status history. So each poll lists every status of the
 * funnel newest-updated first, down to the cursor minus the overlap. It compares each deal with the
 * snapshot of the previous poll (deal id → status, win status, updatedAt).
 *
 * Event rules, one event per deal and poll at most:
 * - newDeal: a deal missing from the snapshot and created at or after the previous cursor minus the
 *   overlap. It reports the status the deal is in when the poll sees it, and the status filter
 *   applies to that status.
 * - dealMoved: a deal whose status differs from the snapshot's, reported with `previousStatusId`.
 *   Moving twice between polls (A → B → C) reports one move, A → C, and A → B → A reports none. A
 *   deal created since the previous poll has no previous status, so it is a newDeal and never a
 *   move. A deal arriving from another funnel is a move with `previousStatusId: null`, but only
 *   while the snapshot is complete; after the cap dropped deals, an unknown old deal may be a
 *   dropped one, so it is recorded without an event.
 *   Limitation: WEEEK keeps no history, so an arriving deal created after the newest change the
 *   watch saw in this funnel (minus the overlap) cannot be told from a new one and is a newDeal.
 * - dealWonOrLost: a deal whose win status became the watched one (won, lost, or either) since the
 *   snapshot, or a new deal that already has it. Reopening and closing again reports again.
 */
import type { LoggerPort } from '../ports';
import type { WeeekClient } from '../weeek/client';
import type { WeeekDeal } from '../weeek/schemas';
import { ConfigurationError } from '../errors';
import { scanNewestFirst, timeOf, WATCH_PAGE_SIZE } from './listing';
import type { CheckedWatchSettings } from './settings';
import type { DealWatchState, TrackedDeal, WatchEvent } from './types';

export interface DealPollInput {
	client: WeeekClient;
	settings: CheckedWatchSettings;
	/** State of the previous poll; undefined (or another funnel's) makes this poll the baseline. */
	previous: DealWatchState | undefined;
	overlapMs: number;
	maxTrackedDeals: number;
	logger: LoggerPort;
}

export interface DealPollResult {
	events: WatchEvent[];
	state: DealWatchState;
	baseline: boolean;
}

export async function pollDeals(input: DealPollInput): Promise<DealPollResult> {
	const { client, settings, overlapMs, maxTrackedDeals, logger } = input;
	const previous = input.previous?.funnelId === settings.funnelId ? input.previous : undefined;
	const statusIds = await funnelStatusIds(client, settings);

	// The baseline reads each status in full (up to the cap), later polls only down to the cursor.
	const stopBelowMs = previous?.cursor == null ? undefined : timeOf(previous.cursor) - overlapMs;
	const seen = new Map<string, WeeekDeal>();
	let truncated = false;
	for (const statusId of statusIds) {
		const scan = await scanNewestFirst<WeeekDeal>({
			fetchPage: async (offset) => {
				const page = await client.listDeals(statusId, { sort: '-updatedAt', limit: WATCH_PAGE_SIZE, offset });
				return { records: page.deals, hasMore: page.hasMore };
			},
			updatedAt: (deal) => timeOf(deal.updatedAt),
			stopBelowMs: () => (previous === undefined ? undefined : stopBelowMs),
			maxRecords: previous === undefined ? maxTrackedDeals : undefined,
			label: `the deals of status ${statusId}`,
			logger,
		});
		truncated ||= scan.truncated;
		for (const deal of scan.records) keepNewer(seen, deal, statusId);
	}

	const deals = [...seen.values()].sort((a, b) => timeOf(a.updatedAt) - timeOf(b.updatedAt));
	const events = previous === undefined ? [] : dealEvents(deals, previous, settings, stopBelowMs);
	const state = nextState(previous, settings.funnelId, deals, truncated, maxTrackedDeals);

	if (previous === undefined) {
		logger.debug('WEEEK watch set its deal baseline', { funnelId: settings.funnelId, deals: Object.keys(state.deals).length, complete: state.complete });
	}
	return { events, state, baseline: previous === undefined };
}

/** Status ids of the funnel in board order; a status filter outside the funnel is a setup error. */
async function funnelStatusIds(client: WeeekClient, settings: CheckedWatchSettings): Promise<string[]> {
	const statuses = await client.listStatuses(settings.funnelId);
	const ids = statuses.map((status) => status.id);

	const foreign = settings.statusIds.filter((id) => !ids.includes(id));
	if (foreign.length > 0) {
		throw new ConfigurationError(
			'watchStatusNotInFunnel',
			`The status '${foreign[0]}' is not in funnel '${settings.funnelId}': pick the statuses again from the list of this funnel`,
			{ statusId: foreign[0], funnelId: settings.funnelId },
		);
	}
	return ids;
}

/**
 * Keeps one copy of each deal, the most recently updated, because a deal moved while the poll ran
 * can show up in two statuses. A deal that lacks `statusId` takes the status its list came from.
 */
function keepNewer(seen: Map<string, WeeekDeal>, deal: WeeekDeal, listedStatusId: string): void {
	const withStatus = typeof deal.statusId === 'string' && deal.statusId !== '' ? deal : { ...deal, statusId: listedStatusId };
	const known = seen.get(deal.id);
	if (known === undefined || timeOf(withStatus.updatedAt) > timeOf(known.updatedAt)) seen.set(deal.id, withStatus);
}

function dealEvents(deals: WeeekDeal[], previous: DealWatchState, settings: CheckedWatchSettings, sinceMs: number | undefined): WatchEvent[] {
	const events: WatchEvent[] = [];
	const inFilter = (statusId: string): boolean => settings.statusIds.length === 0 || settings.statusIds.includes(statusId);
	const matchesOutcome = (winStatus: string | null): boolean =>
		settings.outcome === 'either' ? winStatus === 'won' || winStatus === 'lost' : winStatus === settings.outcome;

	for (const deal of deals) {
		const statusId = deal.statusId as string;
		const winStatus = deal.winStatus ?? null;
		const tracked = previous.deals[deal.id];
		// With no cursor the funnel had no deals at the baseline, so every deal seen since is new.
		const isNew = tracked === undefined && (sinceMs === undefined || timeOf(deal.createdAt) >= sinceMs);

		switch (settings.event) {
			case 'newDeal':
				if (isNew && inFilter(statusId)) events.push({ event: 'newDeal', record: deal });
				break;
			case 'dealMoved':
				if (tracked !== undefined && tracked[0] !== statusId && inFilter(statusId)) {
					events.push({ event: 'dealMoved', record: deal, previousStatusId: tracked[0] });
				} else if (tracked === undefined && !isNew && previous.complete && inFilter(statusId)) {
					events.push({ event: 'dealMoved', record: deal, previousStatusId: null });
				}
				break;
			case 'dealWonOrLost':
				if (!matchesOutcome(winStatus)) break;
				if (tracked !== undefined && tracked[1] !== winStatus) {
					events.push({ event: 'dealWonOrLost', record: deal, previousWinStatus: tracked[1] });
				} else if (isNew) {
					events.push({ event: 'dealWonOrLost', record: deal, previousWinStatus: null });
				}
				break;
			case 'newContact':
				break;
		}
	}
	return events;
}

/** Builds the snapshot after this poll, capped by dropping the least recently updated deals. */
function nextState(
	previous: DealWatchState | undefined,
	funnelId: string,
	deals: WeeekDeal[],
	truncated: boolean,
	maxTrackedDeals: number,
): DealWatchState {
	const tracked: Record<string, TrackedDeal> = { ...(previous?.deals ?? {}) };
	let cursorMs = previous?.cursor == null ? undefined : timeOf(previous.cursor);
	let cursor = previous?.cursor ?? null;

	for (const deal of deals) {
		const updatedAtMs = timeOf(deal.updatedAt);
		tracked[deal.id] = [deal.statusId as string, deal.winStatus ?? null, updatedAtMs];
		if (typeof deal.updatedAt === 'string' && (cursorMs === undefined || updatedAtMs > cursorMs)) {
			cursorMs = updatedAtMs;
			cursor = deal.updatedAt;
		}
	}

	let complete = previous === undefined ? !truncated : previous.complete;
	const ids = Object.keys(tracked);
	if (ids.length > maxTrackedDeals) {
		ids.sort((a, b) => tracked[b][2] - tracked[a][2]);
		for (const id of ids.slice(maxTrackedDeals)) delete tracked[id];
		complete = false;
	}
	return { funnelId, cursor, complete, deals: tracked };
}

/** Finds the newest deal that fits the settings, for a host's test run. No state is read or written. */
export async function sampleDeal(client: WeeekClient, settings: CheckedWatchSettings): Promise<WatchEvent | undefined> {
	const allIds = await funnelStatusIds(client, settings);
	const statusIds = settings.event === 'dealWonOrLost' || settings.statusIds.length === 0 ? allIds : settings.statusIds;
	const sort = settings.event === 'newDeal' ? '-createdAt' : '-updatedAt';
	let winStatuses: Array<'won' | 'lost'> | undefined;
	if (settings.event === 'dealWonOrLost') winStatuses = settings.outcome === 'either' ? ['won', 'lost'] : [settings.outcome];

	let newest: WeeekDeal | undefined;
	const key = (deal: WeeekDeal): number => timeOf(settings.event === 'newDeal' ? deal.createdAt : deal.updatedAt);
	for (const statusId of statusIds) {
		const page = await client.listDeals(statusId, { sort, limit: 1, winStatuses });
		const deal = page.deals[0];
		if (deal !== undefined && (newest === undefined || key(deal) > key(newest))) newest = deal;
	}
	if (newest === undefined) return undefined;

	if (settings.event === 'dealMoved') return { event: 'dealMoved', record: newest, previousStatusId: null };
	if (settings.event === 'dealWonOrLost') return { event: 'dealWonOrLost', record: newest, previousWinStatus: null };
	return { event: 'newDeal', record: newest };
}
