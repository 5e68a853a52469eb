/**
 * "Get many" settings shared by contacts, organizations and deals: one page by limit and offset,
 * or every page when "Return all" is ticked.
 */
import { ConfigurationError } from '../../../shared/errors';
import { MAX_PAGE_SIZE } from '../../../shared/weeek/client';
import type { NodeDefinition, NodeMessage } from './nodeRed';
import type { PropertyDefault, PropertyReader } from './propertyReader';

/** Defaults of the paging properties: the first 50 records, the page size of WEEEK's API examples. */
export const PAGING_DEFAULTS: Record<string, PropertyDefault> = {
	search: { value: '', type: 'str' },
	limit: { value: '50', type: 'num' },
	offset: { value: '0', type: 'num' },
};

/**
 * Upper bound of "Return all": 100 pages of 100 records. It stops a list whose offset WEEEK
 * ignores from being read forever.
 */
export const MAX_RETURN_ALL_PAGES = 100;

const MAX_OFFSET = 10_000_000;

export interface PageRequest {
	returnAll: boolean;
	limit: number;
	offset: number;
	search?: string;
}

/** Paging report of a "get many", written to `msg.weeek.page`. */
export interface PageResult {
	limit: number;
	offset: number;
	count: number;
	/** Whether WEEEK may have more records after this page; always false after "Return all". */
	hasMore: boolean;
}

export async function readPageRequest(reader: PropertyReader, definition: NodeDefinition, msg: NodeMessage): Promise<PageRequest> {
	const returnAll = definition.returnAll === true;
	return {
		returnAll,
		limit: returnAll ? MAX_PAGE_SIZE : ((await reader.integer(msg, 'limit', { min: 1, max: MAX_PAGE_SIZE })) ?? 50),
		offset: returnAll ? 0 : ((await reader.integer(msg, 'offset', { min: 0, max: MAX_OFFSET })) ?? 0),
		search: await reader.text(msg, 'search'),
	};
}

/**
 * Reads one page, or every page from offset 0 when `returnAll` is set. `fetchPage` returns the
 * records and whether more follow; for lists without a "more" flag a full page counts as "more".
 */
export async function readPages<T>(
	request: PageRequest,
	fetchPage: (limit: number, offset: number) => Promise<{ items: T[]; hasMore: boolean }>,
): Promise<{ items: T[]; page: PageResult }> {
	if (!request.returnAll) {
		const { items, hasMore } = await fetchPage(request.limit, request.offset);
		return { items, page: { limit: request.limit, offset: request.offset, count: items.length, hasMore } };
	}

	const all: T[] = [];
	for (let index = 0; index < MAX_RETURN_ALL_PAGES; index += 1) {
		const { items, hasMore } = await fetchPage(request.limit, index * request.limit);
		all.push(...items);
		if (!hasMore) return { items: all, page: { limit: request.limit, offset: 0, count: all.length, hasMore: false } };
	}

	throw new ConfigurationError(
		'tooManyRecords',
		`Return all stopped after ${MAX_RETURN_ALL_PAGES * request.limit} records: untick it and read the list page by page with limit and offset`,
		{ count: MAX_RETURN_ALL_PAGES * request.limit },
	);
}
