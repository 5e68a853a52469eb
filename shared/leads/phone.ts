/**
 * Phone normalization for leads, tuned for the +7 zone (Russia and Kazakhstan), where forms collect
 * numbers in every national spelling: `8 (999) 000-12-34`, `+7 999 000 12 34`, `9990001234`.
 *
 * Output forms:
 * - a recognised number becomes E.164: `+79990001234`;
 * - an extension is appended in the RFC 3966 style: `+79990001234;ext=123`;
 * - a value with at least 5 digits that matches no rule keeps its digits as typed (`3751234567`),
 *   because a CRM contact with an unverified number is more useful than one without;
 * - a value with fewer than 5 digits (or none) is left out of `phones`.
 * Every input value, recognised or not, stays in `phonesRaw` exactly as typed.
 *
 * Limitation: only the +7 zone is recognised without a leading `+` or `00`, so numbers of other
 * countries typed in national form are kept as bare digits. A full numbering-plan library is not used because
 * the core may import nothing but zod.
 */

import { scalarText } from './common';

export interface PhoneList {
	/** Normalized numbers, deduplicated, in input order. */
	phones: string[];
	/** Input values as typed (trimmed), deduplicated. */
	phonesRaw: string[];
}

/** Minimum digits for an unrecognised value to still be kept in `phones`. */
const MIN_UNRECOGNISED_DIGITS = 5;

/** The 10-digit national numbers of the +7 zone start with these digits: 3, 4, 8 (RU landlines, 8-800), 9 (RU mobile), 6 and 7 (Kazakhstan). */
const ZONE_7_NATIONAL_FIRST_DIGITS = /^[346789]/;

const SEPARATORS = /[,;/\n\r]+/;

/** An extension marker (`доб.`, `вн.`, `ext`, `x`, `#`) followed by the extension digits at the end of a number. */
const EXTENSION = /(?:\(|\s)*(?:доб(?:авочный)?|вн(?:утр(?:енний)?)?|ext(?:ension)?|x|#)\.?\s*:?\s*(\d{1,7})\s*\)?\s*$/i;

/** Normalizes one or more phone values: strings, numbers, or arrays of them, each of which may hold several numbers. */
export function normalizePhones(values: unknown): PhoneList {
	const result: PhoneList = { phones: [], phonesRaw: [] };

	for (const raw of flattenPhoneValues(values)) {
		if (!result.phonesRaw.includes(raw)) {
			result.phonesRaw.push(raw);
		}
		for (const phone of normalizePhoneText(raw)) {
			if (!result.phones.includes(phone)) {
				result.phones.push(phone);
			}
		}
	}

	return result;
}

/** Merges a phone list into another, keeping both deduplicated and in order. */
export function mergePhoneLists(target: PhoneList, addition: PhoneList): void {
	for (const phone of addition.phones) {
		if (!target.phones.includes(phone)) {
			target.phones.push(phone);
		}
	}
	for (const raw of addition.phonesRaw) {
		if (!target.phonesRaw.includes(raw)) {
			target.phonesRaw.push(raw);
		}
	}
}

function flattenPhoneValues(values: unknown): string[] {
	if (Array.isArray(values)) {
		return values.flatMap((value) => flattenPhoneValues(value));
	}
	const text = scalarText(values);
	return text === undefined ? [] : [text];
}

/** Normalizes the text of one field, which may hold several numbers separated by `,`, `;`, `/` or line breaks. */
export function normalizePhoneText(text: string): string[] {
	const phones: string[] = [];

	for (const part of text.split(SEPARATORS)) {
		const trimmed = part.trim();
		if (trimmed === '') {
			continue;
		}

		// "+7 999 000-12-34, доб. 123": the separator split the extension off its number.
		const bareExtension = EXTENSION.exec(trimmed);
		if (bareExtension && bareExtension.index === 0 && phones.length > 0 && !phones[phones.length - 1].includes(';ext=')) {
			phones[phones.length - 1] += `;ext=${bareExtension[1]}`;
			continue;
		}

		const phone = normalizeSinglePhone(trimmed);
		if (phone !== undefined) {
			phones.push(phone);
		}
	}

	return phones;
}

/** Normalizes one number with an optional extension; returns undefined when it has too few digits to be a phone. */
export function normalizeSinglePhone(text: string): string | undefined {
	let main = text;
	let extension: string | undefined;
	const extensionMatch = EXTENSION.exec(text);
	if (extensionMatch && extensionMatch.index > 0) {
		main = text.slice(0, extensionMatch.index);
		extension = extensionMatch[1];
	}

	const number = normalizeMainNumber(main);
	if (number === undefined) {
		return undefined;
	}
	return extension === undefined ? number : `${number};ext=${extension}`;
}

function normalizeMainNumber(text: string): string | undefined {
	const hasPlus = /^\s*\+/.test(text);
	const digits = text.replace(/\D/g, '');

	if (hasPlus) {
		// "+8 9xx" is a common slip for "+7 9xx"; no country code starts with 89.
		if (digits.length === 11 && digits.startsWith('89')) {
			return `+7${digits.slice(1)}`;
		}
		if (digits.length >= 8 && digits.length <= 15) {
			return `+${digits}`;
		}
	} else {
		const zone7 = normalizeZone7(digits);
		if (zone7 !== undefined) {
			return zone7;
		}
		// "00" is the international call prefix outside the +7 zone.
		if (digits.startsWith('00') && digits.length >= 10 && digits.length <= 17) {
			return `+${digits.slice(2)}`;
		}
	}

	return digits.length >= MIN_UNRECOGNISED_DIGITS ? digits : undefined;
}

/**
 * Applies the +7 zone rules to a digit string without a leading `+`. Only the leading trunk prefix 8
 * is replaced, so an 8 after the country code (8-800, St Petersburg 812) stays.
 */
function normalizeZone7(digits: string): string | undefined {
	if (digits.length === 11 && digits.startsWith('8')) {
		return `+7${digits.slice(1)}`;
	}
	if (digits.length === 11 && digits.startsWith('7')) {
		return `+${digits}`;
	}
	if (digits.length === 10 && ZONE_7_NATIONAL_FIRST_DIGITS.test(digits)) {
		return `+7${digits}`;
	}
	return undefined;
}
