import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import type { WeeekClient } from '../../../shared/weeek/client';
import type { WeeekContact, WeeekOrganization } from '../../../shared/weeek/schemas';
import { toNodeError } from '../helpers/errors';
import { createWeeekClient } from '../transport';

/** Records per page of a searchable list. n8n requests the next page when the user scrolls. */
const SEARCH_PAGE_SIZE = 50;

export async function searchFunnels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	try {
		const client = await createWeeekClient(this);
		const funnels = await client.listFunnels();
		const needle = filter?.trim().toLowerCase() ?? '';

		const results = funnels
			.filter((funnel) => needle === '' || funnel.name.toLowerCase().includes(needle) || funnel.id === filter)
			.map((funnel) => ({ name: funnel.name, value: funnel.id }))
			.sort((a, b) => a.name.localeCompare(b.name));
		return { results };
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

export async function searchContacts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	try {
		const client = await createWeeekClient(this);
		const offset = Number(paginationToken ?? 0) || 0;
		const contacts = await client.listContacts({ search: filter?.trim() || undefined, limit: SEARCH_PAGE_SIZE, offset });

		return {
			results: contacts.map((contact) => ({ name: contactLabel(contact), value: contact.id })),
			paginationToken: nextOffset(offset, contacts.length),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

export async function searchOrganizations(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	try {
		const client = await createWeeekClient(this);
		const offset = Number(paginationToken ?? 0) || 0;
		const organizations = await client.listOrganizations({ search: filter?.trim() || undefined, limit: SEARCH_PAGE_SIZE, offset });

		return {
			results: organizations.map((organization) => ({ name: organizationLabel(organization), value: organization.id })),
			paginationToken: nextOffset(offset, organizations.length),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

/**
 * Lists deals of every funnel and status, status by status, with the search text passed to WEEEK.
 * The pagination token is `<status index>:<offset>`.
 *
 * Limitation: WEEEK has no list of all deals, so each page first reads the funnels and their
 * statuses (one request per funnel) before it reads deals. In a workspace with many funnels the
 * list opens slowly, and By ID is faster.
 */
export async function searchDeals(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	try {
		const client = await createWeeekClient(this);
		const columns = await listStatusColumns(client);
		const search = filter?.trim() || undefined;
		let [statusIndex, offset] = parseDealToken(paginationToken);

		const results: INodeListSearchItems[] = [];
		while (statusIndex < columns.length && results.length < SEARCH_PAGE_SIZE) {
			const column = columns[statusIndex];
			const page = await client.listDeals(column.statusId, { search, limit: SEARCH_PAGE_SIZE, offset });
			results.push(...page.deals.map((deal) => ({ name: `${deal.title || deal.id} (${column.label})`, value: deal.id })));

			if (page.hasMore && page.deals.length > 0) {
				offset += page.deals.length;
			} else {
				statusIndex += 1;
				offset = 0;
			}
		}

		return { results, paginationToken: statusIndex < columns.length ? `${statusIndex}:${offset}` : undefined };
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}

interface StatusColumn {
	statusId: string;
	/** "Funnel / Status", shown after each deal title. */
	label: string;
}

async function listStatusColumns(client: WeeekClient): Promise<StatusColumn[]> {
	const columns: StatusColumn[] = [];
	for (const funnel of await client.listFunnels()) {
		for (const status of await client.listStatuses(funnel.id)) {
			columns.push({ statusId: status.id, label: `${funnel.name} / ${status.name}` });
		}
	}
	return columns;
}

function parseDealToken(token: string | undefined): [number, number] {
	const match = /^(\d+):(\d+)$/.exec(token ?? '');
	return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

/** Returns the offset of the next page. Contact and organization lists have no "more" flag, so only a full page may have a successor. */
function nextOffset(offset: number, received: number): string | undefined {
	return received >= SEARCH_PAGE_SIZE ? String(offset + received) : undefined;
}

function contactLabel(contact: WeeekContact): string {
	const name = [contact.firstName, contact.middleName, contact.lastName].filter((part) => part).join(' ') || contact.id;
	const reach = contact.emails?.[0]?.email ?? contact.phones?.[0]?.phone;
	return reach ? `${name} (${reach})` : name;
}

function organizationLabel(organization: WeeekOrganization): string {
	return organization.name || organization.id;
}
