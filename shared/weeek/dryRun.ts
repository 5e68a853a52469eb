/**
 * An HTTP port for dry runs: it records the requests a node would send to WEEEK and answers them
 * with plausible bodies, so the node runs its whole logic, validation included, and sends nothing.
 *
 * Lists come back empty (no existing contact or deal is found), reads by id return a placeholder with
 * that id, and creates and updates echo the body back, new ids starting with `dry-run-`.
 */
import type { HttpPort, HttpRequest, HttpResponse } from '../ports';

export interface DryRunRequest {
	method: HttpRequest['method'];
	/** Path below the base URL, with the query string. */
	path: string;
	body?: unknown;
}

export function createDryRunHttpPort(baseUrl: string, recorded: DryRunRequest[]): HttpPort {
	let sequence = 0;
	const nextId = (kind: string) => `dry-run-${kind}-${++sequence}`;

	return async (request) => {
		const path = request.url.startsWith(baseUrl) ? request.url.slice(baseUrl.length) : request.url;
		recorded.push({ method: request.method, path, ...(request.body === undefined ? {} : { body: request.body }) });
		return answer(request, path.split('?')[0], nextId);
	};
}

function ok(body: Record<string, unknown>): HttpResponse {
	return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: { success: true, ...body } };
}

/** Records a dry run can read by id; each read returns a placeholder carrying the requested id. */
const PLACEHOLDERS: Array<{ pattern: RegExp; key: string; record: Record<string, unknown> }> = [
	{ pattern: /^\/crm\/funnels\/([^/]+)$/, key: 'funnel', record: { name: 'Dry run', customFields: [] } },
	{ pattern: /^\/crm\/statuses\/([^/]+)$/, key: 'status', record: { name: 'Dry run' } },
	{ pattern: /^\/crm\/contacts\/([^/]+)$/, key: 'contact', record: { firstName: 'Dry run', emails: [], phones: [], organizations: [], tags: [] } },
	{ pattern: /^\/crm\/organizations\/([^/]+)$/, key: 'organization', record: { name: 'Dry run', addresses: [], emails: [], phones: [], contacts: [], tags: [] } },
	{ pattern: /^\/crm\/deals\/([^/]+)$/, key: 'deal', record: { title: 'Dry run', contacts: [], organizations: [], assignees: [], tags: [] } },
];

/** Lists a dry run reads; each read returns an empty list. */
const EMPTY_LISTS: Array<{ pattern: RegExp; body: Record<string, unknown> }> = [
	{ pattern: /^\/crm\/contacts$/, body: { contacts: [] } },
	{ pattern: /^\/crm\/organizations$/, body: { organizations: [] } },
	{ pattern: /^\/crm\/statuses\/[^/]+\/deals$/, body: { deals: [], hasMoreDeals: false } },
	{ pattern: /^\/crm\/funnels$/, body: { funnels: [] } },
	{ pattern: /^\/crm\/funnels\/[^/]+\/statuses$/, body: { statuses: [] } },
	{ pattern: /^\/ws\/members$/, body: { members: [] } },
	{ pattern: /^\/ws\/tags$/, body: { tags: [] } },
	{ pattern: /^\/crm\/currencies$/, body: { currencies: [] } },
];

function answer(request: HttpRequest, path: string, nextId: (kind: string) => string): HttpResponse {
	const body = (request.body ?? {}) as Record<string, unknown>;
	const now = new Date().toISOString();

	if (request.method === 'GET') {
		if (path === '/user/me') return ok({ user: { id: 'dry-run-user', firstName: 'Dry', lastName: 'Run', email: null } });
		const list = EMPTY_LISTS.find((candidate) => candidate.pattern.test(path));
		if (list) return ok(list.body);
		for (const placeholder of PLACEHOLDERS) {
			const match = placeholder.pattern.exec(path);
			if (match) return ok({ [placeholder.key]: { id: decodeURIComponent(match[1]), ...placeholder.record, createdAt: now, updatedAt: now } });
		}
		return { statusCode: 404, headers: {}, body: { message: 'Record not found' } };
	}

	if (request.method === 'POST' && path === '/crm/contacts') {
		return ok({ contact: contactEcho(nextId('contact'), body, now) });
	}
	const contact = /^\/crm\/contacts\/([^/]+)$/.exec(path);
	if (request.method === 'PUT' && contact) {
		return ok({ contact: contactEcho(decodeURIComponent(contact[1]), body, now) });
	}
	if (request.method === 'POST' && path === '/crm/organizations') {
		return ok({ organization: organizationEcho(nextId('organization'), body, now) });
	}
	const organization = /^\/crm\/organizations\/([^/]+)$/.exec(path);
	if (request.method === 'PUT' && organization) {
		return ok({ organization: organizationEcho(decodeURIComponent(organization[1]), body, now) });
	}
	if (request.method === 'POST' && path === '/crm/funnels') {
		return ok({ funnel: { id: nextId('funnel'), name: body.name ?? null, currencyId: body.currencyId ?? 1, customFields: [], createdAt: now, updatedAt: now } });
	}
	const dealStatus = /^\/crm\/statuses\/([^/]+)\/deals$/.exec(path);
	if (request.method === 'POST' && dealStatus) {
		return ok({ deal: dealEcho(nextId('deal'), decodeURIComponent(dealStatus[1]), body, now) });
	}
	const deal = /^\/crm\/deals\/([^/]+)$/.exec(path);
	if (request.method === 'PUT' && deal) {
		return ok({ deal: dealEcho(decodeURIComponent(deal[1]), null, body, now) });
	}
	return ok({});
}

function dealEcho(id: string, statusId: string | null, body: Record<string, unknown>, now: string): Record<string, unknown> {
	return {
		id,
		statusId,
		title: body.title ?? null,
		description: body.description ?? null,
		amount: body.amount ?? null,
		winStatus: body.winStatus ?? null,
		contacts: Array.isArray(body.contacts) ? body.contacts : [],
		createdAt: now,
		updatedAt: now,
	};
}

function organizationEcho(id: string, body: Record<string, unknown>, now: string): Record<string, unknown> {
	const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
	return {
		id,
		name: body.name ?? null,
		responsibleId: list(body.responsibles)[0] ?? null,
		addresses: list(body.addresses).map((address, index) => ({ id: `${id}-address-${index + 1}`, address })),
		emails: list(body.emails).map((email, index) => ({ id: `${id}-email-${index + 1}`, email })),
		phones: list(body.phones).map((phone, index) => ({ id: `${id}-phone-${index + 1}`, phone })),
		contacts: [],
		tags: [],
		createdAt: now,
		updatedAt: now,
	};
}

function contactEcho(id: string, body: Record<string, unknown>, now: string): Record<string, unknown> {
	const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
	return {
		id,
		firstName: body.firstName ?? null,
		lastName: body.lastName ?? null,
		middleName: body.middleName ?? null,
		emails: list(body.emails).map((email, index) => ({ id: `${id}-email-${index + 1}`, email })),
		phones: list(body.phones).map((phone, index) => ({ id: `${id}-phone-${index + 1}`, phone })),
		createdAt: now,
		updatedAt: now,
	};
}
