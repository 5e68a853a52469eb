import { normalizePhones, normalizeSinglePhone } from '../../../shared/leads/phone';

describe('normalizePhones', () => {
	const spellings: Array<[string, string]> = [
		['8 (999) 000-12-34', '+79990001234'],
		['+7 999 000 12 34', '+79990001234'],
		['7 999 000-12-34', '+79990001234'],
		['9990001234', '+79990001234'],
		['+7(999)000-12-34', '+79990001234'],
		['8.999.000.12.34', '+79990001234'],
		['8-800-555-35-35', '+78005553535'],
		['+7 (812) 123-45-67', '+78121234567'],
		['8 (812) 123-45-67', '+78121234567'],
		['812 123 45 67', '+78121234567'],
		['8 701 123 45 67', '+77011234567'],
		['+8 999 000 12 34', '+79990001234'],
		['+375 29 123-45-67', '+375291234567'],
		['+1 (415) 555-0100', '+14155550100'],
		['00 49 30 1234567', '+49301234567'],
	];

	it.each(spellings)('normalizes %s to %s', (typed, expected) => {
		const result = normalizePhones(typed);
		expect(result.phones).toEqual([expected]);
		expect(result.phonesRaw).toEqual([typed]);
	});

	it('never strips the 8 of an 8-800 number after the country code', () => {
		expect(normalizePhones('+7 800 555-35-35').phones).toEqual(['+78005553535']);
		expect(normalizePhones('7 800 555 35 35').phones).toEqual(['+78005553535']);
	});

	it('splits several numbers in one field on comma, semicolon and slash', () => {
		const result = normalizePhones('8 (999) 000-12-34, +7 999 000 56 78; 8-800-555-35-35 / 9990009999');
		expect(result.phones).toEqual(['+79990001234', '+79990005678', '+78005553535', '+79990009999']);
		expect(result.phonesRaw).toEqual(['8 (999) 000-12-34, +7 999 000 56 78; 8-800-555-35-35 / 9990009999']);
	});

	const extensions: Array<[string, string]> = [
		['+7 (495) 123-45-67 доб. 123', '+74951234567;ext=123'],
		['8 495 123 45 67 вн. 45', '+74951234567;ext=45'],
		['+7 495 123-45-67 ext 9', '+74951234567;ext=9'],
		['+7 495 123-45-67 x123', '+74951234567;ext=123'],
		['+7 495 123-45-67 (доб. 12)', '+74951234567;ext=12'],
		['+7 495 123-45-67, доб. 321', '+74951234567;ext=321'],
	];

	it.each(extensions)('keeps the extension of %s as %s', (typed, expected) => {
		expect(normalizePhones(typed).phones).toEqual([expected]);
	});

	it('keeps digits of an unrecognised number and drops values with too few digits', () => {
		expect(normalizePhones('375291234567').phones).toEqual(['375291234567']);
		expect(normalizePhones('123-45-67').phones).toEqual(['1234567']);
		expect(normalizePhones('12').phones).toEqual([]);
	});

	it('keeps garbage in phonesRaw only', () => {
		const result = normalizePhones(['не звонить', '   ', 'n/a']);
		expect(result.phones).toEqual([]);
		expect(result.phonesRaw).toEqual(['не звонить', 'n/a']);
	});

	it('deduplicates numbers written differently', () => {
		const result = normalizePhones(['8 (999) 000-12-34', '+7 999 000 12 34', '8 (999) 000-12-34']);
		expect(result.phones).toEqual(['+79990001234']);
		expect(result.phonesRaw).toEqual(['8 (999) 000-12-34', '+7 999 000 12 34']);
	});

	it('accepts numbers, nested arrays and empty values', () => {
		const result = normalizePhones([89990001234, [null, '9990005678'], undefined]);
		expect(result.phones).toEqual(['+79990001234', '+79990005678']);
		expect(result.phonesRaw).toEqual(['89990001234', '9990005678']);
	});

	it('keeps a leading plus only', () => {
		expect(normalizeSinglePhone('7+999+000+12+34')).toBe('+79990001234');
		expect(normalizeSinglePhone('++7 999 000 12 34')).toBe('+79990001234');
	});
});
