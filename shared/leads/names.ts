/**
 * Splitting of full names typed into a single field (Facebook `full_name`, myTarget `user_fullname`,
 * Tilda `Name`). Word order in such fields varies, so parts are filled only when the split is
 * unambiguous; the full name is always kept as given.
 */

export interface NameParts {
	/** The full name as given, with runs of whitespace collapsed. */
	name?: string;
	firstName?: string;
	lastName?: string;
	middleName?: string;
}

/** Russian patronymic endings (-вич, -вна, -ична, -ич) and their usual Latin transliterations. */
const PATRONYMIC = /(?:вич|вна|ична|ич|vich|vna|ichna)$/i;

/** Female patronymic endings; unlike -вич and -ич (Абрамович, Бабич), no common surname ends this way. */
const FEMALE_PATRONYMIC = /(?:вна|ична|vna|ichna)$/i;

export function looksLikePatronymic(word: string): boolean {
	return word.length > 4 && PATRONYMIC.test(word);
}

function looksLikeFemalePatronymic(word: string): boolean {
	return word.length > 4 && FEMALE_PATRONYMIC.test(word);
}

/**
 * Splits a full name:
 * - one word: first name;
 * - two words: first name and last name. "Анна Петровна" (second word a female patronymic) gives
 *   first and middle name instead. "Роман Абрамович" stays first and last, because many surnames
 *   end like male patronymics;
 * - three words ending in a patronymic ("Тестов Иван Петрович"): last, first, middle;
 * - three words with a patronymic in the middle ("Иван Петрович Тестов"): first, middle, last;
 * - anything else (three Latin words, four or more words): only `name`, because the order cannot be
 *   told apart ("Anna Maria Schmidt" vs "Schmidt Anna Maria").
 */
export function splitFullName(fullName: string | undefined): NameParts {
	const name = (fullName ?? '').replace(/\s+/g, ' ').trim();
	if (name === '') {
		return {};
	}

	const words = name.split(' ');
	if (words.length === 1) {
		return { name, firstName: words[0] };
	}
	if (words.length === 2) {
		return looksLikeFemalePatronymic(words[1])
			? { name, firstName: words[0], middleName: words[1] }
			: { name, firstName: words[0], lastName: words[1] };
	}
	if (words.length === 3 && looksLikePatronymic(words[2]) && !looksLikePatronymic(words[1])) {
		return { name, lastName: words[0], firstName: words[1], middleName: words[2] };
	}
	if (words.length === 3 && looksLikePatronymic(words[1]) && !looksLikePatronymic(words[2])) {
		return { name, firstName: words[0], middleName: words[1], lastName: words[2] };
	}
	return { name };
}

/** Joins explicit name parts in the order first, middle, last; returns undefined when all are empty. */
export function joinNameParts(parts: { firstName?: string; middleName?: string; lastName?: string }): string | undefined {
	const joined = [parts.firstName, parts.middleName, parts.lastName]
		.map((part) => (part ?? '').trim())
		.filter((part) => part !== '')
		.join(' ');
	return joined === '' ? undefined : joined;
}
