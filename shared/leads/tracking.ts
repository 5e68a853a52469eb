/**
 * UTM tags and click ids, read from form fields, cookie strings and page URLs.
 */

import { parseUrlEncoded } from './body';
import { FORBIDDEN_KEYS, scalarText } from './common';
import type { LeadUtm } from './types';

export const UTM_FIELDS: ReadonlyArray<keyof LeadUtm> = ['source', 'medium', 'campaign', 'content', 'term'];

/** Click and analytics ids copied to `clickIds`: ad click ids (Yandex, Google, Facebook, Microsoft, TikTok) and analytics visitor ids. */
export const CLICK_ID_KEYS: ReadonlySet<string> = new Set([
	'yclid',
	'gclid',
	'fbclid',
	'msclkid',
	'ttclid',
	'_ym_uid',
	'_ga',
	'_fbp',
	'_fbc',
	'roistat_visit',
]);

/** Returns the UTM field a key such as `utm_source` or `UTM_Source` stands for. */
export function utmFieldOf(key: string): keyof LeadUtm | undefined {
	const match = /^utm_(source|medium|campaign|content|term)$/i.exec(key.trim());
	return match ? (match[1].toLowerCase() as keyof LeadUtm) : undefined;
}

export function clickIdKeyOf(key: string): string | undefined {
	const lower = key.trim().toLowerCase();
	return CLICK_ID_KEYS.has(lower) ? lower : undefined;
}

export interface Tracking {
	utm: LeadUtm;
	clickIds: Record<string, string>;
}

export function emptyTracking(): Tracking {
	return { utm: {}, clickIds: {} };
}

/** Copies the values of `addition` into `target` where `target` has none yet, so earlier sources win. */
export function mergeTracking(target: Tracking, addition: Tracking): void {
	for (const field of UTM_FIELDS) {
		target.utm[field] ??= addition.utm[field];
	}
	for (const [key, value] of Object.entries(addition.clickIds)) {
		target.clickIds[key] ??= value;
	}
}

/** Reads UTM tags and click ids from flat key/value pairs. */
export function trackingFromPairs(pairs: Iterable<[string, unknown]>): Tracking {
	const tracking = emptyTracking();
	for (const [key, rawValue] of pairs) {
		const value = scalarText(Array.isArray(rawValue) ? rawValue[0] : rawValue);
		if (value === undefined) {
			continue;
		}
		const utmField = utmFieldOf(key);
		const clickId = clickIdKeyOf(key);
		if (utmField !== undefined) {
			tracking.utm[utmField] ??= value;
		} else if (clickId !== undefined) {
			tracking.clickIds[clickId] ??= value;
		}
	}
	return tracking;
}

/** Reads UTM tags and click ids from the query string of a URL; returns empty tracking for text that is not a URL with a query. */
export function trackingFromUrl(url: string | undefined): Tracking {
	const queryStart = (url ?? '').indexOf('?');
	if (url === undefined || queryStart === -1) {
		return emptyTracking();
	}
	const query = url.slice(queryStart + 1).split('#')[0];
	return trackingFromPairs(Object.entries(parseUrlEncoded(query)));
}

/** Splits a `Cookie`-style string (`a=1; b=2`) into name/value pairs, percent-decoding the values. */
export function parseCookieString(cookies: string): Map<string, string> {
	const result = new Map<string, string>();
	for (const part of cookies.split(';')) {
		const separator = part.indexOf('=');
		if (separator <= 0) {
			continue;
		}
		const name = part.slice(0, separator).trim();
		if (FORBIDDEN_KEYS.has(name) || result.has(name)) {
			continue;
		}
		result.set(name, safeDecode(part.slice(separator + 1).trim()));
	}
	return result;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/**
 * Reads tracking from a cookie string. Tilda keeps the landing UTM tags in the `TILDAUTM` cookie as
 * `utm_source=yandex|||utm_medium=cpc` (percent-encoded); other cookies named like click ids
 * (`_ym_uid`, `_ga`) become click ids.
 */
export function trackingFromCookies(cookies: string | undefined): Tracking {
	const tracking = emptyTracking();
	if (cookies === undefined) {
		return tracking;
	}

	const parsed = parseCookieString(cookies);
	mergeTracking(tracking, trackingFromPairs(parsed.entries()));

	const tildaUtm = parsed.get('TILDAUTM');
	if (tildaUtm !== undefined) {
		const pairs: Array<[string, string]> = tildaUtm.split('|||').map((pair) => {
			const separator = pair.indexOf('=');
			return separator === -1 ? [pair, ''] : [pair.slice(0, separator), safeDecode(pair.slice(separator + 1))];
		});
		mergeTracking(tracking, trackingFromPairs(pairs));
	}

	return tracking;
}
