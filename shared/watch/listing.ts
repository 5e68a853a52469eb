/**
 * Reads WEEEK lists newest first and stops once the records are older than needed, so a poll
 * usually costs one request per list.
 */
import type { LoggerPort } from '../ports';
import { MAX_PAGE_SIZE } from '../weeek/client';

/**
 * Records each further page reads again from the previous one. Offset paging skips a record when
 * another one leaves the list between two page requests, so a few records of overlap absorb that.
 */
export const PAGE_OVERLAP = 5;

export interface Page<T> {
	records: T[];
	/** Whether WEEEK has records after this page. */
	hasMore: boolean;
}

export interface ListScan<T> {
	records: T[];
	/** Whether the scan ended at `maxRecords` with more records left in the list. */
	truncated: boolean;
}

export interface ScanOptions<T> {
	fetchPage(offset: number): Promise<Page<T>>;
	updatedAt(record: T): number;
	/**
	 * Returns the time below which the scan may stop: it stops after the first page whose last record
	 * was updated before it. Undefined reads the whole list. Asked after each page, so the first page can set it.
	 */
	stopBelowMs(): number | undefined;
	maxRecords?: number;
	/** Names the list in the warning about unsorted pages. */
	label: string;
	logger: LoggerPort;
}

/**
 * Pages through a list sorted by `-updatedAt`. Stopping early relies on that order, so when a page
 * is not sorted (WEEEK ignoring `sort`), the scan warns and reads the whole list instead.
 */
export async function scanNewestFirst<T>(options: ScanOptions<T>): Promise<ListScan<T>> {
	const records: T[] = [];
	let offset = 0;
	let sorted = true;
	let previous = Number.POSITIVE_INFINITY;

	for (;;) {
		const page = await options.fetchPage(offset);
		records.push(...page.records);

		for (const record of page.records.slice(offset === 0 ? 0 : Math.min(PAGE_OVERLAP, page.records.length))) {
			const time = options.updatedAt(record);
			if (time > previous && sorted) {
				sorted = false;
				options.logger.warn(`WEEEK returned ${options.label} out of updatedAt order, so the watch reads the whole list on this poll`);
			}
			previous = time;
		}

		if (!page.hasMore || page.records.length === 0) return { records, truncated: false };

		const last = page.records[page.records.length - 1];
		const stopBelowMs = options.stopBelowMs();
		if (sorted && stopBelowMs !== undefined && options.updatedAt(last) < stopBelowMs) {
			return { records, truncated: false };
		}
		if (options.maxRecords !== undefined && records.length >= options.maxRecords) return { records, truncated: true };

		offset += Math.max(1, page.records.length - PAGE_OVERLAP);
	}
}

/** Page size of every watch request: WEEEK's largest known page. */
export const WATCH_PAGE_SIZE = MAX_PAGE_SIZE;

/** Milliseconds of a WEEEK ISO timestamp; 0 for a missing or unreadable one, so such records sort last. */
export function timeOf(value: string | null | undefined): number {
	if (typeof value !== 'string') return 0;
	const time = Date.parse(value);
	return Number.isNaN(time) ? 0 : time;
}
