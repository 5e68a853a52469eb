/**
 * E-mail normalization: trim, lower-case, drop empty values, check the shape loosely, deduplicate.
 */

import { scalarText } from './common';

export interface EmailList {
	/** Plausible addresses, lower-cased and deduplicated, in input order. */
	emails: string[];
	/** Non-empty values that do not look like an address, as typed; callers keep them as answers. */
	rejected: string[];
}

/**
 * One `@` with text on both sides and a dot inside the domain, no whitespace. Deliberately loose:
 * internationalized addresses (`почта@пример.рф`) pass, and delivery is the only real test.
 */
const PLAUSIBLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

export function isPlausibleEmail(value: string): boolean {
	return PLAUSIBLE_EMAIL.test(value);
}

/** Normalizes e-mail values (strings or arrays of strings, a field may hold several separated by `,` or `;`). */
export function normalizeEmailList(values: unknown): EmailList {
	const result: EmailList = { emails: [], rejected: [] };

	for (const text of flattenEmailValues(values)) {
		for (const part of text.split(/[,;\s]+/)) {
			const email = part.trim().replace(/^mailto:/i, '').toLowerCase();
			if (email === '') {
				continue;
			}
			if (!isPlausibleEmail(email)) {
				if (!result.rejected.includes(text)) {
					result.rejected.push(text);
				}
				continue;
			}
			if (!result.emails.includes(email)) {
				result.emails.push(email);
			}
		}
	}

	return result;
}

/** Returns only the plausible addresses of `normalizeEmailList`. */
export function normalizeEmails(values: unknown): string[] {
	return normalizeEmailList(values).emails;
}

function flattenEmailValues(values: unknown): string[] {
	if (Array.isArray(values)) {
		return values.flatMap((value) => flattenEmailValues(value));
	}
	const text = scalarText(values);
	return text === undefined ? [] : [text];
}
