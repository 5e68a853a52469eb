import { LeadInputError } from '../../../shared/errors';
import {
	decodeBytes,
	parseJsonLossless,
	parseLeadBody,
	parseMultipart,
	parseUrlEncoded,
	readDeliveryBody,
	splitBracketKey,
} from '../../../shared/leads/body';
import { parsePath, resolvePath } from '../../../shared/leads/paths';

const cp1251 = (text: string): Buffer => {
	// Test-only encoder for Cyrillic letters and ASCII: А..я map to 0xC0..0xFF in windows-1251.
	const bytes = [...text].map((character) => {
		const code = character.charCodeAt(0);
		if (code < 0x80) {
			return code;
		}
		if (code >= 0x410 && code <= 0x44f) {
			return code - 0x410 + 0xc0;
		}
		throw new Error(`no windows-1251 byte for ${character}`);
	});
	return Buffer.from(bytes);
};

describe('parseUrlEncoded', () => {
	it('decodes plus signs and percent escapes as UTF-8', () => {
		expect(parseUrlEncoded('name=%D0%98%D0%B2%D0%B0%D0%BD+%D0%A2%D0%B5%D1%81%D1%82%D0%BE%D0%B2&a=b%2Bc')).toEqual({
			name: 'Иван Тестов',
			a: 'b+c',
		});
	});

	it('turns a[] keys into an array', () => {
		expect(parseUrlEncoded('a[]=1&a[]=2')).toEqual({ a: ['1', '2'] });
	});

	it('turns repeated keys into an array', () => {
		expect(parseUrlEncoded('a=1&a=2&a=3')).toEqual({ a: ['1', '2', '3'] });
	});

	it('nests bracket keys', () => {
		expect(parseUrlEncoded('contact[name]=x&contact[phone][]=1&contact[phone][]=2&contact[address][city]=M')).toEqual({
			contact: { name: 'x', phone: ['1', '2'], address: { city: 'M' } },
		});
	});

	it('reads explicit indexes and compacts holes', () => {
		expect(parseUrlEncoded('a[2]=c&a[0]=a')).toEqual({ a: ['a', 'c'] });
	});

	it('appends objects for a[][key]', () => {
		expect(parseUrlEncoded('items[][name]=x&items[][name]=y')).toEqual({ items: [{ name: 'x' }, { name: 'y' }] });
	});

	it('turns an array that receives a named key into an object', () => {
		expect(parseUrlEncoded('a[0]=x&a[name]=y')).toEqual({ a: { 0: 'x', name: 'y' } });
	});

	it('keeps keys that are not well-formed brackets whole', () => {
		expect(parseUrlEncoded('a[b=1&[c]=2&d]e=3')).toEqual({ 'a[b': '1', '[c]': '2', 'd]e': '3' });
	});

	it('keeps a stray percent sign as typed', () => {
		expect(parseUrlEncoded('discount=50%25&raw=100%')).toEqual({ discount: '50%', raw: '100%' });
	});

	it('decodes windows-1251 percent escapes when the charset says so', () => {
		expect(parseUrlEncoded('name=%C8%E2%E0%ED', 'windows-1251')).toEqual({ name: 'Иван' });
	});

	it('falls back to windows-1251 for percent escapes that are not UTF-8', () => {
		expect(parseUrlEncoded('name=%C8%E2%E0%ED')).toEqual({ name: 'Иван' });
	});

	it('skips __proto__, constructor and prototype keys without polluting Object.prototype', () => {
		const parsed = parseUrlEncoded(
			'__proto__[polluted]=1&constructor[prototype][polluted]=1&a[__proto__][polluted]=1&__proto__=x&ok=1',
		);
		expect(parsed).toEqual({ ok: '1' });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
	});

	it('does not resolve inherited members such as toString as existing values', () => {
		expect(parseUrlEncoded('toString=1&hasOwnProperty[x]=2')).toEqual({ toString: '1', hasOwnProperty: { x: '2' } });
	});
});

describe('splitBracketKey', () => {
	it('splits nested segments', () => {
		expect(splitBracketKey('fields[Тип объекта][]')).toEqual(['fields', 'Тип объекта', '']);
	});

	it('stops at ten levels and keeps the rest as one segment', () => {
		const key = `a${'[b]'.repeat(12)}`;
		const segments = splitBracketKey(key);
		expect(segments).toHaveLength(12);
		expect(segments[11]).toBe('[b][b]');
	});
});

describe('parseJsonLossless', () => {
	it('keeps integers of 16 or more digits as exact strings', () => {
		const parsed = parseJsonLossless('{"id": 12345678901234567, "neg": -12345678901234567, "small": 55012345}') as Record<string, unknown>;
		expect(parsed.id).toBe('12345678901234567');
		expect(parsed.neg).toBe('-12345678901234567');
		expect(parsed.small).toBe(55012345);
	});

	it('does not touch digits inside strings, including escaped quotes', () => {
		const parsed = parseJsonLossless('{"a": "x\\" 12345678901234567 \\"", "b": "12345678901234567890"}') as Record<string, unknown>;
		expect(parsed.a).toBe('x" 12345678901234567 "');
		expect(parsed.b).toBe('12345678901234567890');
	});

	it('leaves fractions and exponents as numbers', () => {
		expect(parseJsonLossless('[1234567890123456.5, 1e25, 12345678901234567e2]')).toEqual([1234567890123456.5, 1e25, 12345678901234567e2]);
	});

	it('handles ids inside arrays and nested objects', () => {
		expect(parseJsonLossless('{"entry":[{"changes":[{"value":{"leadgen_id":12345678901234567}}]}]}')).toEqual({
			entry: [{ changes: [{ value: { leadgen_id: '12345678901234567' } }] }],
		});
	});

	it('strips a byte order mark', () => {
		expect(parseJsonLossless('\uFEFF{"a":1}')).toEqual({ a: 1 });
	});

	it('drops __proto__ keys', () => {
		const parsed = parseJsonLossless('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "a": 1}');
		expect(Object.keys(parsed as object)).toEqual(['constructor', 'a']);
		expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('rejects invalid JSON with invalidJson and without quoting the body', () => {
		let caught: unknown;
		try {
			parseJsonLossless('{"email": "secret@example.ru",}');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(LeadInputError);
		expect((caught as LeadInputError).code).toBe('invalidJson');
		expect((caught as LeadInputError).field).toBe('body');
		expect((caught as Error).message).not.toContain('secret@example.ru');
	});

	it('leaves leading-zero numbers invalid', () => {
		expect(() => parseJsonLossless('{"a": 0123456789012345678}')).toThrow(LeadInputError);
	});
});

describe('decodeBytes', () => {
	it('honours charset=windows-1251', () => {
		expect(decodeBytes(cp1251('Иван'), 'windows-1251')).toBe('Иван');
	});

	it('reads bytes that are not valid UTF-8 as windows-1251', () => {
		expect(decodeBytes(cp1251('Привет'))).toBe('Привет');
	});

	it('reads valid UTF-8 as UTF-8', () => {
		expect(decodeBytes(Buffer.from('Привет', 'utf8'))).toBe('Привет');
	});

	it('treats an unknown charset label as absent', () => {
		expect(decodeBytes(Buffer.from('Привет', 'utf8'), 'x-unknown')).toBe('Привет');
	});
});

describe('parseLeadBody', () => {
	it('returns objects the host already parsed unchanged', () => {
		const body = { a: 1 };
		expect(parseLeadBody(body, 'application/json')).toBe(body);
	});

	it('parses a windows-1251 urlencoded buffer', () => {
		const bytes = Buffer.concat([Buffer.from('Name='), cp1251('Иван'), Buffer.from('&Phone=89990001234')]);
		expect(parseLeadBody(bytes, 'application/x-www-form-urlencoded; charset=windows-1251')).toEqual({ Name: 'Иван', Phone: '89990001234' });
	});

	it('parses a windows-1251 JSON buffer without a charset', () => {
		const bytes = Buffer.concat([Buffer.from('{"name":"'), cp1251('Анна'), Buffer.from('"}')]);
		expect(parseLeadBody(bytes, 'application/json')).toEqual({ name: 'Анна' });
	});

	it('parses text/plain that is JSON', () => {
		expect(parseLeadBody('{"id": 12345678901234567}', 'text/plain; charset=utf-8')).toEqual({ id: '12345678901234567' });
	});

	it('sniffs urlencoded text without a content type', () => {
		expect(parseLeadBody('a=1&b=2', undefined)).toEqual({ a: '1', b: '2' });
	});

	it('returns other text as it is', () => {
		expect(parseLeadBody('hello world', 'text/plain')).toBe('hello world');
	});

	it('returns undefined for an empty body', () => {
		expect(parseLeadBody('  ', 'application/json')).toBeUndefined();
		expect(parseLeadBody(undefined, 'application/json')).toBeUndefined();
	});

	it('rejects non-JSON under a JSON type', () => {
		expect(() => parseLeadBody('name=x', 'application/json')).toThrow(expect.objectContaining({ code: 'invalidJson' }));
	});
});

describe('parseMultipart', () => {
	const boundary = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
	const multipartBody = [
		`--${boundary}`,
		'Content-Disposition: form-data; name="name"',
		'',
		'Алексей',
		`--${boundary}`,
		'Content-Disposition: form-data; name="phones[]"',
		'',
		'8 (999) 000-11-22',
		`--${boundary}`,
		'Content-Disposition: form-data; name="phones[]"',
		'',
		'+7 999 000 33 44',
		`--${boundary}`,
		'Content-Disposition: form-data; name="comment"',
		'',
		'line one\r\nline two',
		`--${boundary}`,
		'Content-Disposition: form-data; name="attachment"; filename="plan.pdf"',
		'Content-Type: application/pdf',
		'',
		'%PDF-1.4 binary',
		`--${boundary}--`,
		'',
	].join('\r\n');

	it('reads text parts as fields and skips file parts', () => {
		expect(parseMultipart(Buffer.from(multipartBody, 'utf8'), `multipart/form-data; boundary=${boundary}`)).toEqual({
			name: 'Алексей',
			phones: ['8 (999) 000-11-22', '+7 999 000 33 44'],
			comment: 'line one\r\nline two',
		});
	});

	it('is used by parseLeadBody for multipart strings', () => {
		expect(parseLeadBody(multipartBody, `multipart/form-data; boundary="${boundary}"`)).toEqual({
			name: 'Алексей',
			phones: ['8 (999) 000-11-22', '+7 999 000 33 44'],
			comment: 'line one\r\nline two',
		});
	});

	it('decodes a part declared as windows-1251', () => {
		const bytes = Buffer.concat([
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="city"\r\nContent-Type: text/plain; charset=windows-1251\r\n\r\n`),
			cp1251('Москва'),
			Buffer.from(`\r\n--${boundary}--\r\n`),
		]);
		expect(parseMultipart(bytes, `multipart/form-data; boundary=${boundary}`)).toEqual({ city: 'Москва' });
	});

	it('rejects a content type without a boundary', () => {
		expect(() => parseMultipart('x', 'multipart/form-data')).toThrow(expect.objectContaining({ code: 'unsupportedContentType' }));
	});
});

describe('readDeliveryBody', () => {
	it('re-parses raw JSON for exact ids', () => {
		const rawBody = '{"leadgen_id": 12345678901234567}';
		expect(readDeliveryBody({ body: JSON.parse(rawBody), rawBody, contentType: 'application/json' })).toEqual({
			leadgen_id: '12345678901234567',
		});
	});

	it('parses the raw text when the host left the body empty', () => {
		expect(readDeliveryBody({ body: undefined, rawBody: 'a=1', contentType: 'application/x-www-form-urlencoded' })).toEqual({ a: '1' });
	});

	it('re-reads a flat host-parsed form from its raw text', () => {
		const body = { 'contact[name]': 'Ivan', a: '1' };
		expect(readDeliveryBody({ body, rawBody: 'contact%5Bname%5D=Ivan&a=1', contentType: 'application/x-www-form-urlencoded' })).toEqual({
			contact: { name: 'Ivan' },
			a: '1',
		});
	});

	it('nests flat bracket keys when no raw text was kept', () => {
		const body = { 'contact[phone][]': ['1', '2'], a: '1' };
		expect(readDeliveryBody({ body, contentType: 'application/x-www-form-urlencoded' })).toEqual({ contact: { phone: ['1', '2'] }, a: '1' });
	});

	it('keeps the host-parsed body when the raw text is not JSON', () => {
		const body = { a: '1' };
		expect(readDeliveryBody({ body, rawBody: 'plain words', contentType: 'text/plain' })).toEqual(body);
	});
});

describe('resolvePath', () => {
	const data = {
		contact: { phones: ['8 (999) 000-11-22', '+7 999 000 33 44'] },
		answers: { 'Тип объекта': ['Квартира'], 'a.b': 'dotted' },
	};

	it.each([
		['contact.phones[0]', '8 (999) 000-11-22'],
		['$.contact.phones[1]', '+7 999 000 33 44'],
		['answers["Тип объекта"]', ['Квартира']],
		["answers['a.b']", 'dotted'],
		['contact.missing', undefined],
		['contact.phones[5]', undefined],
		['contact.constructor', undefined],
	])('resolves %s', (path, expected) => {
		expect(resolvePath(data, path)).toEqual(expected);
	});

	it('rejects a malformed path with a configuration error', () => {
		expect(() => parsePath('contact..phones')).toThrow(expect.objectContaining({ code: 'invalidPath' }));
	});
});
