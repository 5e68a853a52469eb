import { isPlausibleEmail, normalizeEmailList, normalizeEmails } from '../../../shared/leads/email';

describe('normalizeEmails', () => {
	it('trims and lower-cases', () => {
		expect(normalizeEmails('  Ivan.Testov@Example.COM ')).toEqual(['ivan.testov@example.com']);
	});

	it('drops empty values and deduplicates', () => {
		expect(normalizeEmails(['', 'a@example.ru', 'A@example.ru', null])).toEqual(['a@example.ru']);
	});

	it('splits several addresses in one field', () => {
		expect(normalizeEmails('a@example.ru, b@example.ru; c@example.ru')).toEqual(['a@example.ru', 'b@example.ru', 'c@example.ru']);
	});

	it('strips a mailto prefix', () => {
		expect(normalizeEmails('mailto:a@example.ru')).toEqual(['a@example.ru']);
	});

	it('accepts internationalized addresses', () => {
		expect(normalizeEmails('Почта@Пример.РФ')).toEqual(['почта@пример.рф']);
	});
});

describe('normalizeEmailList', () => {
	it('returns invalid values as typed in rejected', () => {
		const result = normalizeEmailList(['нет почты', 'ivan@example', 'ok@example.ru']);
		expect(result.emails).toEqual(['ok@example.ru']);
		expect(result.rejected).toEqual(['нет почты', 'ivan@example']);
	});
});

describe('isPlausibleEmail', () => {
	it.each([
		['a@b.ru', true],
		['a@b', false],
		['@b.ru', false],
		['a b@c.ru', false],
		['a@b.', false],
	])('checks %s', (value, expected) => {
		expect(isPlausibleEmail(value)).toBe(expected);
	});
});
