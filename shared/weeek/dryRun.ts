/**
 * An HTTP port for dry runs: it records the requests a node would send to WEEEK and answers them
 * with plausible bodies, so the node runs its whole logic, validation included, and sends nothing.
 *
 * Reads answer empty lists (no existing contact or deal is found), creates echo the body back with
 * ids starting with `dry-run-`.
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

function answer(request: HttpRequest, path: string, nextId: (kind: string) => string): HttpResponse {
	const body = (request.body ?? {}) as Record<string, unknown>;
	const now = new Date().toISOString();

	if (request.method === 'GET') {
		if (path === '/user/me') return ok({ user: { id: 'dry-run-user', firstName: 'Dry', lastName: 'Run', email: null } });
		if (path === '/crm/contacts') return ok({ contacts: [] });
		if (/^\/crm\/statuses\/[^/]+\/deals$/.test(path)) return ok({ deals: [], hasMoreDeals: false });
		if (path === '/crm/funnels') return ok({ funnels: [] });
		if (/^\/crm\/funnels\/[^/]+\/statuses$/.test(path)) return ok({ statuses: [] });
		const funnel = /^\/crm\/funnels\/([^/]+)$/.exec(path);
		if (funnel) return ok({ funnel: { id: decodeURIComponent(funnel[1]), name: 'Dry run', customFields: [] } });
		return { statusCode: 404, headers: {}, body: { message: 'Record not found' } };
	}

	if (request.method === 'POST' && path === '/crm/contacts') {
		return ok({ contact: contactEcho(nextId('contact'), body, now) });
	}
	const contact = /^\/crm\/contacts\/([^/]+)$/.exec(path);
	if (request.method === 'PUT' && contact) {
		return ok({ contact: contactEcho(decodeURIComponent(contact[1]), body, now) });
	}
	const dealStatus = /^\/crm\/statuses\/([^/]+)\/deals$/.exec(path);
	if (request.method === 'POST' && dealStatus) {
		return ok({
			deal: {
				id: nextId('deal'),
				statusId: decodeURIComponent(dealStatus[1]),
				title: body.title ?? null,
				description: body.description ?? null,
				amount: body.amount ?? null,
				contacts: Array.isArray(body.contacts) ? body.contacts : [],
				createdAt: now,
				updatedAt: now,
			},
		});
	}
	return ok({});
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
