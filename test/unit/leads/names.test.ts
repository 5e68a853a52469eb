import { joinNameParts, splitFullName } from '../../../shared/leads/names';

describe('splitFullName', () => {
	const cases: Array<[string, object]> = [
		['Иван', { name: 'Иван', firstName: 'Иван' }],
		['Иван Тестов', { name: 'Иван Тестов', firstName: 'Иван', lastName: 'Тестов' }],
		['Ivan Testov', { name: 'Ivan Testov', firstName: 'Ivan', lastName: 'Testov' }],
		['Тестов Иван Петрович', { name: 'Тестов Иван Петрович', lastName: 'Тестов', firstName: 'Иван', middleName: 'Петрович' }],
		['Тестова Анна Сергеевна', { name: 'Тестова Анна Сергеевна', lastName: 'Тестова', firstName: 'Анна', middleName: 'Сергеевна' }],
		['Кузьмина Ольга Ильинична', { name: 'Кузьмина Ольга Ильинична', lastName: 'Кузьмина', firstName: 'Ольга', middleName: 'Ильинична' }],
		['Ульянов Владимир Ильич', { name: 'Ульянов Владимир Ильич', lastName: 'Ульянов', firstName: 'Владимир', middleName: 'Ильич' }],
		['Иван Петрович Тестов', { name: 'Иван Петрович Тестов', firstName: 'Иван', middleName: 'Петрович', lastName: 'Тестов' }],
		['Анна Петровна', { name: 'Анна Петровна', firstName: 'Анна', middleName: 'Петровна' }],
		['Роман Абрамович', { name: 'Роман Абрамович', firstName: 'Роман', lastName: 'Абрамович' }],
		['Anna Maria Schmidt', { name: 'Anna Maria Schmidt' }],
		['Мамедов Рашид Гусейн оглы', { name: 'Мамедов Рашид Гусейн оглы' }],
		['  Иван   Тестов ', { name: 'Иван Тестов', firstName: 'Иван', lastName: 'Тестов' }],
		['', {}],
	];

	it.each(cases)('splits "%s"', (fullName, expected) => {
		expect(splitFullName(fullName)).toEqual(expected);
	});

	it('returns nothing for undefined', () => {
		expect(splitFullName(undefined)).toEqual({});
	});
});

describe('joinNameParts', () => {
	it('joins first, middle and last name', () => {
		expect(joinNameParts({ firstName: 'Иван', middleName: 'Петрович', lastName: 'Тестов' })).toBe('Иван Петрович Тестов');
	});

	it('skips empty parts', () => {
		expect(joinNameParts({ firstName: 'Алексей', lastName: ' ' })).toBe('Алексей');
		expect(joinNameParts({})).toBeUndefined();
	});
});
