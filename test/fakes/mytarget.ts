/**
 * A loopback fake of the myTarget lead-ads API (Odnoklassniki lead forms), for testing a polling
 * trigger without target.my.com.
 *
 * Usage:
 *   const mytarget = await startFakeMyTarget({ accessToken: 'mt-token' });
 *   mytarget.addLead(7001, { id: 55012345, created_time: '2024-05-14 12:21:37', user_fullname: 'Иван Тестов', … });
 *   // credential Base URL = mytarget.baseUrl (http://127.0.0.1:<port>, no trailing slash)
 *   mytarget.requests      // [{ method, path, query, authorized }] in arrival order; the token itself is never recorded
 *   mytarget.failNext(1)   // the next authorized request (any endpoint) fails with 500
 *   await mytarget.close()
 *
 * Endpoints, each requiring `Authorization: Bearer <accessToken>` (401 otherwise):
 * - `GET /api/v2/ok/lead_ads/forms.json?limit&offset`: the forms that have at least one lead, as
 *   `{ form_id, banner_ids, campaign_ids }` collected from their leads.
 * - `GET /api/v2/ok/lead_ads/{form_id}.json?limit&offset&_created_time__gte&_created_time__gt&_created_time__lte&_created_time__lt`:
 *   the form's leads. A form without leads gives an empty list.
 * Both return the envelope `{ count, items, limit, offset }`, where `count` is the number of items
 * matching the filters over all pages. `limit` defaults to 20 and must be 1 to 50; `offset` defaults
 * to 0. An invalid `limit`, `offset` or time filter gets 400.
 *
 * Time filters take `YYYY-MM-DD hh:mm:ss`, the format of `created_time`, which is compared as written:
 * both are Moscow time (UTC+3). `formatMoscowTime(epochMs)` builds such a value.
 *
 * NOTE: what the real API does is documented only by its client libraries. The error bodies, the
 * 400 for a limit above 50 (the real API may clamp it instead) and the order of leads (oldest first,
 * then in the order added) are this fake's choices.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MYTARGET_DEFAULT_LIMIT = 20;
export const MYTARGET_MAX_LIMIT = 50;

/** Moscow time is UTC+3 all year since 2014. */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

const TIME_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** One lead as the lead list returns it; see `test/fixtures/samples/mytarget-1.json`. */
export interface MyTargetLeadItem {
	id: number;
	form_id: number;
	form_name?: string;
	campaign_id?: number;
	banner_id?: number;
	/** `YYYY-MM-DD hh:mm:ss`, Moscow time. */
	created_time: string;
	user_fullname?: string;
	user_phone?: string;
	user_email?: string;
	user_birthday?: string | null;
	user_geo?: string;
	user_sex?: 'male' | 'female' | 'unknown';
	user_questions?: Array<[string, string]>;
	[field: string]: unknown;
}

export interface FakeMyTargetOptions {
	/** The only token accepted in `Authorization: Bearer`. */
	accessToken: string;
	/** Leads present from the start, by form id; the same as calling `addLead` for each. */
	leads?: Record<string, Array<Partial<MyTargetLeadItem>>>;
}

export interface MyTargetRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** Whether the request carried the right Bearer token. */
	authorized: boolean;
}

export interface FakeMyTarget {
	/** `http://127.0.0.1:<port>`, without a trailing slash. */
	baseUrl: string;
	requests: MyTargetRequest[];
	/**
	 * Stores a copy of `item` as a lead of `formId` and returns it. `form_id` is set to `formId`; a
	 * missing `id` becomes the next free id, and a missing `created_time` the current Moscow time.
	 */
	addLead(formId: number | string, item: Partial<MyTargetLeadItem>): MyTargetLeadItem;
	/** Makes the next `count` authorized requests fail with `status` (default 500). */
	failNext(count: number, status?: number): void;
	close(): Promise<void>;
}

/** Formats milliseconds since the Unix epoch as `YYYY-MM-DD hh:mm:ss` in Moscow time, the format of `created_time` and the filters. */
export function formatMoscowTime(epochMilliseconds: number): string {
	const shifted = new Date(epochMilliseconds + MOSCOW_OFFSET_MS).toISOString();
	return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}

export async function startFakeMyTarget(options: FakeMyTargetOptions): Promise<FakeMyTarget> {
	const requests: MyTargetRequest[] = [];
	const leadsByForm = new Map<string, MyTargetLeadItem[]>();
	let nextId = 55_000_000;
	let failuresLeft = 0;
	let failureStatus = 500;

	const addLead = (formId: number | string, item: Partial<MyTargetLeadItem>): MyTargetLeadItem => {
		const id = item.id ?? nextId;
		nextId = Math.max(nextId, id + 1);
		const stored = structuredClone({
			...item,
			id,
			form_id: Number(formId),
			created_time: item.created_time ?? formatMoscowTime(Date.now()),
		}) as MyTargetLeadItem;

		const key = String(formId);
		leadsByForm.set(key, [...(leadsByForm.get(key) ?? []), stored]);
		return structuredClone(stored);
	};

	for (const [formId, items] of Object.entries(options.leads ?? {})) {
		for (const item of items) addLead(formId, item);
	}

	const handle = (request: IncomingMessage, response: ServerResponse): void => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const query = Object.fromEntries(url.searchParams);
		const authorized = request.headers.authorization === `Bearer ${options.accessToken}`;
		requests.push({ method: request.method ?? 'GET', path: url.pathname, query, authorized });

		if (!authorized) {
			sendJson(response, 401, { error: { code: 'invalid_token', message: 'Access token is missing, invalid or expired' } });
			return;
		}
		if (failuresLeft > 0) {
			failuresLeft -= 1;
			sendJson(response, failureStatus, { error: { code: 'internal_error', message: 'Internal server error' } });
			return;
		}

		const leadList = /^\/api\/v2\/ok\/lead_ads\/(\d+)\.json$/.exec(url.pathname);
		if (request.method !== 'GET' || (url.pathname !== '/api/v2/ok/lead_ads/forms.json' && leadList === null)) {
			sendJson(response, 404, { error: { code: 'not_found', message: `No resource at ${request.method} ${url.pathname}` } });
			return;
		}

		const paging = readPaging(query);
		if ('error' in paging) {
			sendJson(response, 400, { error: { code: 'validation_error', message: paging.error } });
			return;
		}

		if (leadList === null) {
			sendPage(response, listForms(leadsByForm), paging);
			return;
		}

		const filtered = filterByTime(leadsByForm.get(leadList[1]) ?? [], query);
		if ('error' in filtered) {
			sendJson(response, 400, { error: { code: 'validation_error', message: filtered.error } });
			return;
		}
		sendPage(response, filtered.items, paging);
	};

	const server = createServer(handle);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;

	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		addLead,
		failNext(count: number, status = 500) {
			failuresLeft = count;
			failureStatus = status;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}

function readPaging(query: Record<string, string>): { limit: number; offset: number } | { error: string } {
	const limit = query.limit === undefined ? MYTARGET_DEFAULT_LIMIT : Number(query.limit);
	if (!Number.isInteger(limit) || limit < 1 || limit > MYTARGET_MAX_LIMIT) {
		return { error: `limit must be an integer from 1 to ${MYTARGET_MAX_LIMIT}, got "${query.limit}"` };
	}
	const offset = query.offset === undefined ? 0 : Number(query.offset);
	if (!Number.isInteger(offset) || offset < 0) {
		return { error: `offset must be a non-negative integer, got "${query.offset}"` };
	}
	return { limit, offset };
}

const TIME_FILTERS: ReadonlyArray<[string, (created: string, bound: string) => boolean]> = [
	['_created_time__gte', (created, bound) => created >= bound],
	['_created_time__gt', (created, bound) => created > bound],
	['_created_time__lte', (created, bound) => created <= bound],
	['_created_time__lt', (created, bound) => created < bound],
];

/** Applies the time filters and sorts oldest first; both sides are `YYYY-MM-DD hh:mm:ss`, so text order is time order. */
function filterByTime(items: MyTargetLeadItem[], query: Record<string, string>): { items: MyTargetLeadItem[] } | { error: string } {
	let selected = items;
	for (const [name, keep] of TIME_FILTERS) {
		const bound = query[name];
		if (bound === undefined) continue;
		if (!TIME_PATTERN.test(bound)) return { error: `${name} must look like YYYY-MM-DD hh:mm:ss, got "${bound}"` };
		selected = selected.filter((item) => keep(item.created_time, bound));
	}
	// Array.prototype.sort is stable, so leads with equal times keep the order they were added in.
	const sorted = [...selected].sort((a, b) => compareText(a.created_time, b.created_time));
	return { items: sorted };
}

function compareText(a: string, b: string): number {
	if (a === b) return 0;
	return a < b ? -1 : 1;
}

function listForms(leadsByForm: Map<string, MyTargetLeadItem[]>): Array<Record<string, unknown>> {
	const forms: Array<Record<string, unknown>> = [];
	for (const [formId, leads] of leadsByForm) {
		if (leads.length === 0) continue;
		const unique = (values: unknown[]): number[] => [...new Set(values.filter((value): value is number => typeof value === 'number'))];
		forms.push({
			form_id: Number(formId),
			banner_ids: unique(leads.map((lead) => lead.banner_id)),
			campaign_ids: unique(leads.map((lead) => lead.campaign_id)),
		});
	}
	return forms;
}

function sendPage(response: ServerResponse, items: unknown[], paging: { limit: number; offset: number }): void {
	sendJson(response, 200, {
		count: items.length,
		items: items.slice(paging.offset, paging.offset + paging.limit),
		limit: paging.limit,
		offset: paging.offset,
	});
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
	response.end(text);
}
