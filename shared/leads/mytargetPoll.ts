/**
 * Polls the myTarget lead-ads API (Odnoklassniki lead forms) for new leads.
 *
 * No push delivery is documented for these forms, so hosts call `pollMyTargetLeads` on a timer.
 * Each poll asks for leads created since the previous poll minus an overlap (lead times have
 * one-second resolution and may be written late), and the remembered dedup keys drop the leads
 * the overlap brings back, so no lead is emitted twice and none falls between two polls.
 */
import type { LoggerPort } from '../ports';
import { formatMyTargetTime, nextMyTargetOffset, parseMyTargetPage, selectNewMyTargetLeads } from './mytarget';
import { RecentKeys, type RecentKeysState } from './recentKeys';
import type { NormalizedLead } from './types';

/** Sends a GET to the myTarget API (`path` starts with `/api/v2/`); the host adds the host name and token. */
export type MyTargetGet = (path: string, query: Record<string, string | number>) => Promise<unknown>;

/** State kept between polls by the host (n8n static data, Node-RED context). */
export interface MyTargetPollState {
	/** Milliseconds since the Unix epoch when the last successful poll started. */
	lastPolledAt?: number;
	recent?: RecentKeysState;
	/** Form id → offset to resume at, for forms whose last poll stopped at `maxPages`. */
	resumeOffsets?: Record<string, number>;
}

export interface MyTargetPollOptions {
	get: MyTargetGet;
	/** Form ids to poll; empty means every form listed by `/api/v2/ok/lead_ads/forms.json`. */
	formIds: string[];
	state: MyTargetPollState;
	now: number;
	/** How far back the first poll looks; 0 emits only leads created after it. */
	firstPollLookbackMs?: number;
	overlapMs?: number;
	/** Minutes east of UTC of `created_time`; default Moscow time. */
	timeZoneOffsetMinutes?: number;
	/** Page size; the API allows at most 50. */
	pageSize?: number;
	/** Upper bound on pages per form in one poll, so a huge backlog cannot stall the host. */
	maxPages?: number;
	logger?: LoggerPort;
}

export const MYTARGET_OVERLAP_MS = 10 * 60 * 1000;
const MYTARGET_MAX_PAGE_SIZE = 50;

/**
 * Returns the leads created since the previous poll that were not emitted before, oldest form
 * first, and updates `state` in place. A poll that fails leaves `state` untouched, so it is
 * repeated in full next time.
 */
export async function pollMyTargetLeads(options: MyTargetPollOptions): Promise<NormalizedLead[]> {
	const pageSize = Math.min(options.pageSize ?? MYTARGET_MAX_PAGE_SIZE, MYTARGET_MAX_PAGE_SIZE);
	const since =
		options.state.lastPolledAt === undefined
			? options.now - (options.firstPollLookbackMs ?? 0)
			: options.state.lastPolledAt - (options.overlapMs ?? MYTARGET_OVERLAP_MS);

	// Work on a copy of the keys so that a failed poll leaves the stored state untouched.
	const recent = new RecentKeys({ seen: { ...(options.state.recent?.seen ?? {}) } });
	const formIds = options.formIds.length > 0 ? options.formIds : await listFormIds(options.get);
	const leads: NormalizedLead[] = [];
	const resumeOffsets: Record<string, number> = {};

	for (const formId of formIds) {
		let offset: number | undefined = options.state.resumeOffsets?.[formId] ?? 0;
		for (let pageNumber = 0; offset !== undefined && pageNumber < (options.maxPages ?? 20); pageNumber++) {
			const body = await options.get(`/api/v2/ok/lead_ads/${encodeURIComponent(formId)}.json`, {
				limit: pageSize,
				offset,
				_created_time__gte: formatMyTargetTime(since, options.timeZoneOffsetMinutes),
			});
			const page = parseMyTargetPage(body);
			const selected = selectNewMyTargetLeads(page, (key) => recent.has(key, options.now), {
				receivedAt: options.now,
				timeZoneOffsetMinutes: options.timeZoneOffsetMinutes,
				contentType: 'application/json',
			});
			for (const key of selected.keys) recent.add(key, options.now);
			leads.push(...selected.leads);
			offset = nextMyTargetOffset(page);
		}
		if (offset !== undefined) {
			resumeOffsets[formId] = offset;
			options.logger?.warn(`myTarget form ${formId} has more new leads than one poll reads; the rest come with the next poll`);
		}
	}

	// After a partial read the window start stays put and the form resumes at its offset, so the
	// unread leads are read next time instead of the same first pages again.
	const complete = Object.keys(resumeOffsets).length === 0;
	if (complete || options.state.lastPolledAt === undefined) options.state.lastPolledAt = complete ? options.now : since + (options.overlapMs ?? MYTARGET_OVERLAP_MS);
	options.state.resumeOffsets = resumeOffsets;
	options.state.recent = recent.snapshot;
	return leads;
}

async function listFormIds(get: MyTargetGet): Promise<string[]> {
	const body = await get('/api/v2/ok/lead_ads/forms.json', { fields: 'form_id' });
	const items = body !== null && typeof body === 'object' ? (body as { items?: unknown }).items : undefined;
	if (!Array.isArray(items)) return [];
	return items
		.map((item) => (item !== null && typeof item === 'object' ? (item as { form_id?: unknown }).form_id : undefined))
		.filter((id): id is string | number => typeof id === 'string' || typeof id === 'number')
		.map(String);
}
