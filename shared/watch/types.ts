/**
 * Types of the WEEEK watch: the settings of one watch, the state it keeps between polls and the
 * events it returns. WEEEK has no webhooks, so both hosts poll with these.
 */
import type { WeeekContact, WeeekDeal } from '../weeek/schemas';

export type WatchEventType = 'newDeal' | 'dealMoved' | 'dealWonOrLost' | 'newContact';

export const WATCH_EVENT_TYPES: readonly WatchEventType[] = ['newDeal', 'dealMoved', 'dealWonOrLost', 'newContact'];

/** Which closed deals `dealWonOrLost` reports. */
export type DealOutcome = 'won' | 'lost' | 'either';

export const DEAL_OUTCOMES: readonly DealOutcome[] = ['won', 'lost', 'either'];

export interface WatchSettings {
	event: WatchEventType;
	/** Funnel whose deals are watched; required for the deal events, ignored for `newContact`. */
	funnelId?: string;
	/** Statuses that narrow `newDeal` and `dealMoved`; empty or absent means every status of the funnel. */
	statusIds?: string[];
	/** For `dealWonOrLost`; `either` when absent. */
	outcome?: DealOutcome;
}

/** Tuning that tests and hosts may change; the defaults suit WEEEK. */
export interface WatchOptions {
	/** How far below the cursor each poll reads again, in ms of WEEEK's own timestamps. */
	overlapMs?: number;
	/** Most deals the snapshot keeps; the least recently updated ones are dropped beyond it. */
	maxTrackedDeals?: number;
}

/**
 * Re-read window below the cursor. It covers writes that become visible in WEEEK's lists later than
 * writes with a newer timestamp, and timestamps set by WEEEK servers whose clocks differ slightly.
 * NOTE: two minutes is an estimate; WEEEK documents neither its replication lag nor its clocks.
 */
export const DEFAULT_OVERLAP_MS = 120_000;

/**
 * Snapshot cap. Each entry takes about 60 bytes of JSON, so 2,000 deals stay near 120 KB, small
 * enough for n8n's workflow static data, which n8n saves with every execution the trigger starts.
 */
export const DEFAULT_MAX_TRACKED_DEALS = 2_000;

/** Snapshot entry of one deal: status id, win status and `updatedAt` in ms since the epoch. */
export type TrackedDeal = [statusId: string, winStatus: string | null, updatedAtMs: number];

export interface DealWatchState {
	/** Funnel the snapshot belongs to; a different funnel in the settings starts a new baseline. */
	funnelId: string;
	/** Newest `updatedAt` seen in the funnel, as WEEEK sent it; null while the funnel had no deals. */
	cursor: string | null;
	/** Whether the snapshot holds every deal the funnel had, which is false once the cap dropped some. */
	complete: boolean;
	deals: Record<string, TrackedDeal>;
}

export interface ContactWatchState {
	/** Newest contact `updatedAt` seen, as WEEEK sent it; null while the workspace had no contacts. */
	cursor: string | null;
	/** Contacts created inside the overlap window and already handled: id → `createdAt` in ms. */
	recent: Record<string, number>;
}

/** Everything a watch keeps between polls; plain JSON, so n8n static data and files can hold it. */
export interface WatchState {
	version: 1;
	deals?: DealWatchState;
	contacts?: ContactWatchState;
}

export type WatchRecord = WeeekDeal | WeeekContact;

export interface WatchEvent {
	event: WatchEventType;
	record: WatchRecord;
	/** For `dealMoved`: the status the deal was in at the previous poll; null when it came from another funnel. */
	previousStatusId?: string | null;
	/** For `dealWonOrLost`: the win status at the previous poll; null for open deals and new ones. */
	previousWinStatus?: string | null;
}

export interface WatchResult {
	/** Events in the order they happened, as far as WEEEK's timestamps tell. */
	events: WatchEvent[];
	/** The state to store; the state passed in is never changed. */
	state: WatchState;
	/** Whether this poll only set the baseline, so it returned no events by design. */
	baseline: boolean;
}
