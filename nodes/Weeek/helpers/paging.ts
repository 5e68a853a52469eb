/**
 * Paging through WEEEK's `limit`/`offset` lists for the Get Many operations.
 */
import { MAX_PAGE_SIZE } from '../../../shared/weeek/client';

export interface PageRequest {
	limit: number;
	offset: number;
}

export interface Page<T> {
	records: T[];
	/** Whether WEEEK has records after this page. */
	hasMore: boolean;
}

/**
 * Reads pages of at most 100 records until `max` records are collected or the last page arrives,
 * or all pages when `max` is undefined. Stops as well when a page brings only records already
 * seen, so a server that ignored `offset` could not keep the loop going forever.
 */
export async function collectPages<T extends { id: string }>(fetchPage: (page: PageRequest) => Promise<Page<T>>, max: number | undefined): Promise<T[]> {
	const records: T[] = [];
	const seen = new Set<string>();
	let offset = 0;

	while (max === undefined || records.length < max) {
		const limit = max === undefined ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, max - records.length);
		const page = await fetchPage({ limit, offset });

		const fresh = page.records.filter((record) => !seen.has(record.id));
		for (const record of fresh) {
			seen.add(record.id);
			records.push(record);
		}

		if (!page.hasMore || fresh.length === 0) break;
		offset += page.records.length;
	}

	return max === undefined ? records : records.slice(0, max);
}

/** Wraps a page of a list without a "more" flag (contacts, organizations). Only a full page may have a successor. */
export function shortPageEnds<T>(records: T[], request: PageRequest): Page<T> {
	return { records, hasMore: records.length >= request.limit };
}

/** Applies Return All / Limit to a list WEEEK returns in one response (funnels, statuses, members). */
export function takeUpTo<T>(records: T[], max: number | undefined): T[] {
	return max === undefined ? records : records.slice(0, max);
}
