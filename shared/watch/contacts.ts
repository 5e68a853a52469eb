/**
 * The new-contact event. Contacts can be sorted by `updatedAt` but not by `createdAt`, so each poll
 * lists contacts newest-updated first down to the cursor minus the overlap and reports those
 * created in that window that it has not reported yet.
 *
 * A contact created since the previous poll always has `updatedAt >= createdAt`, so it is inside
 * the window the poll reads. Contacts created inside the overlap are remembered by id until the
 * window moves past them, which keeps that memory as small as the number of contacts created
 * within one overlap.
 */
import type { LoggerPort } from '../ports';
import type { WeeekClient } from '../weeek/client';
import type { WeeekContact } from '../weeek/schemas';
import { scanNewestFirst, timeOf, WATCH_PAGE_SIZE } from './listing';
import type { ContactWatchState, WatchEvent } from './types';

/**
 * Safety bound on remembered contact ids, for imports that create thousands of contacts at once.
 * Beyond it the oldest ids are dropped, which can repeat a contact only if the window still covers it.
 */
const MAX_RECENT_CONTACTS = 5_000;

export interface ContactPollInput {
	client: WeeekClient;
	previous: ContactWatchState | undefined;
	overlapMs: number;
	logger: LoggerPort;
}

export interface ContactPollResult {
	events: WatchEvent[];
	state: ContactWatchState;
	baseline: boolean;
}

export async function pollContacts(input: ContactPollInput): Promise<ContactPollResult> {
	const { client, previous, overlapMs, logger } = input;
	const baseline = previous === undefined;

	// The baseline reads down to its own newest contact minus the overlap, to fill `recent`.
	let stopBelowMs = previous?.cursor == null ? undefined : timeOf(previous.cursor) - overlapMs;
	const scan = await scanNewestFirst<WeeekContact>({
		fetchPage: async (offset) => {
			// Quirk: the contact list has no "more" flag; a page shorter than the limit is the last.
			const records = await client.listContacts({ sort: '-updatedAt', limit: WATCH_PAGE_SIZE, offset });
			if (baseline && offset === 0 && records.length > 0) stopBelowMs = timeOf(records[0].updatedAt) - overlapMs;
			return { records, hasMore: records.length >= WATCH_PAGE_SIZE };
		},
		updatedAt: (contact) => timeOf(contact.updatedAt),
		stopBelowMs: () => stopBelowMs,
		label: 'contacts',
		logger,
	});

	const contacts = dedupe(scan.records).sort((a, b) => timeOf(a.createdAt) - timeOf(b.createdAt));
	const recent: Record<string, number> = { ...(previous?.recent ?? {}) };
	const events: WatchEvent[] = [];
	for (const contact of contacts) {
		const createdAtMs = timeOf(contact.createdAt);
		const inWindow = stopBelowMs === undefined || createdAtMs >= stopBelowMs;
		if (!inWindow || recent[contact.id] !== undefined) continue;

		recent[contact.id] = createdAtMs;
		if (!baseline) events.push({ event: 'newContact', record: contact });
	}

	const cursor = newestUpdatedAt(previous?.cursor ?? null, contacts);
	return { events, state: { cursor, recent: prune(recent, cursor, overlapMs) }, baseline };
}

function dedupe(contacts: WeeekContact[]): WeeekContact[] {
	const byId = new Map<string, WeeekContact>();
	for (const contact of contacts) {
		const known = byId.get(contact.id);
		if (known === undefined || timeOf(contact.updatedAt) > timeOf(known.updatedAt)) byId.set(contact.id, contact);
	}
	return [...byId.values()];
}

function newestUpdatedAt(cursor: string | null, contacts: WeeekContact[]): string | null {
	let newest = cursor;
	for (const contact of contacts) {
		if (typeof contact.updatedAt === 'string' && (newest === null || timeOf(contact.updatedAt) > timeOf(newest))) newest = contact.updatedAt;
	}
	return newest;
}

/** Drops ids the next poll's window no longer reaches, then enforces the safety bound. */
function prune(recent: Record<string, number>, cursor: string | null, overlapMs: number): Record<string, number> {
	const floor = cursor === null ? Number.NEGATIVE_INFINITY : timeOf(cursor) - overlapMs;
	const kept = Object.entries(recent)
		.filter(([, createdAtMs]) => createdAtMs >= floor)
		.sort((a, b) => b[1] - a[1])
		.slice(0, MAX_RECENT_CONTACTS);
	return Object.fromEntries(kept);
}

/** Finds the contact created most recently among the newest-updated page, for a host's test run. */
export async function sampleContact(client: WeeekClient): Promise<WatchEvent | undefined> {
	const contacts = await client.listContacts({ sort: '-updatedAt', limit: WATCH_PAGE_SIZE, offset: 0 });
	let newest: WeeekContact | undefined;
	for (const contact of contacts) {
		if (newest === undefined || timeOf(contact.createdAt) > timeOf(newest.createdAt)) newest = contact;
	}
	return newest === undefined ? undefined : { event: 'newContact', record: newest };
}
