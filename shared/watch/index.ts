/**
 * The WEEEK watch: polls WEEEK for new deals, deals moved to a status, deals won or lost, and new
 * contacts, for the n8n trigger and the Node-RED node alike.
 *
 * `pollWatch` is pure apart from its WEEEK reads: it takes the stored state and returns the events
 * and the next state, and it never changes the state passed in. A poll that fails throws and
 * returns nothing, so the host keeps the old state and the next poll reads the same window again.
 * The first poll (no state) sets the baseline and returns no events.
 *
 * Delivery: the events of a poll follow from the stored state alone, so storing the returned state
 * before or together with handing the events on gives each event once. A host that dies after
 * storing but before delivering loses that poll's events, and one that delivers before storing
 * repeats them after a crash. Each host says which order it uses.
 *
 * The rules per event are in `deals.ts` and `contacts.ts`.
 */
import { silentLogger, type LoggerPort } from '../ports';
import type { WeeekClient } from '../weeek/client';
import { pollContacts, sampleContact } from './contacts';
import { pollDeals, sampleDeal } from './deals';
import { checkWatchSettings } from './settings';
import { DEFAULT_MAX_TRACKED_DEALS, DEFAULT_OVERLAP_MS, type WatchEvent, type WatchOptions, type WatchResult, type WatchSettings, type WatchState } from './types';

export * from './types';
export { checkWatchSettings, readWatchState, type CheckedWatchSettings } from './settings';

export interface PollWatchInput {
	client: WeeekClient;
	settings: WatchSettings;
	/** What the previous poll returned as `state`; undefined for the first poll. */
	state: WatchState | undefined;
	options?: WatchOptions;
	logger?: LoggerPort;
}

export async function pollWatch(input: PollWatchInput): Promise<WatchResult> {
	const settings = checkWatchSettings(input.settings);
	const logger = input.logger ?? silentLogger;
	const overlapMs = input.options?.overlapMs ?? DEFAULT_OVERLAP_MS;

	if (settings.event === 'newContact') {
		const result = await pollContacts({ client: input.client, previous: input.state?.contacts, overlapMs, logger });
		return { events: result.events, state: { ...input.state, version: 1, contacts: result.state }, baseline: result.baseline };
	}

	const result = await pollDeals({
		client: input.client,
		settings,
		previous: input.state?.deals,
		overlapMs,
		maxTrackedDeals: input.options?.maxTrackedDeals ?? DEFAULT_MAX_TRACKED_DEALS,
		logger,
	});
	return { events: result.events, state: { ...input.state, version: 1, deals: result.state }, baseline: result.baseline };
}

/**
 * Returns the newest record that fits the settings as an event, or undefined when there is none,
 * so a user can map fields before any real event happens. No state is read or changed.
 */
export async function sampleWatchEvent(client: WeeekClient, watchSettings: WatchSettings): Promise<WatchEvent | undefined> {
	const settings = checkWatchSettings(watchSettings);
	return settings.event === 'newContact' ? await sampleContact(client) : await sampleDeal(client, settings);
}
