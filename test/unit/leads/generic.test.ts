import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { LeadInputError } from '../../../shared/errors';
import { parseUrlEncoded } from '../../../shared/leads/body';
import { normalizeGenericLead } from '../../../shared/leads/generic';
import type { LeadDelivery } from '../../../shared/leads/types';

function readSample(name: string): string {
	let directory = __dirname;
	while (!existsSync(join(directory, 'test', 'fixtures', 'samples'))) {
		const parent = dirname(directory);
		if (parent === directory) {
			throw new Error(`test/fixtures/samples not found above ${__dirname}`);
		}
		directory = parent;
	}
	const text = readFileSync(join(directory, 'test', 'fixtures', 'samples', name), 'utf8');
	return name.endsWith('.txt') ? text.replace(/^#[^\n]*\n/, '') : text;
}

const RECEIVED_AT = Date.UTC(2024, 4, 14, 9, 22, 0);

function json(body: unknown, extra: Partial<LeadDelivery> = {}): LeadDelivery {
	return { body, contentType: 'application/json', receivedAt: RECEIVED_AT, ...extra };
}

function captureError(run: () => unknown): LeadInputError {
	try {
		run();
	} catch (error) {
		if (error instanceof LeadInputError) {
			return error;
		}
		throw error;
	}
	throw new Error('expected a LeadInputError');
}

describe('normalizeGenericLead', () => {
	describe('generic-1 (flat JSON)', () => {
		const lead = normalizeGenericLead(json(readSample('generic-1.json')));

		it('maps identity fields', () => {
			expect(lead.source).toBe('generic');
			expect(lead.sourceLeadId).toBe('partner-000123');
			expect(lead.dedupKey).toBe('generic:partner-000123');
			expect(lead.isTest).toBe(false);
			expect(lead.createdAt).toBe('2024-05-14T09:21:37.000Z');
			expect(lead.receivedAt).toBe('2024-05-14T09:22:00.000Z');
		});

		it('maps contact fields', () => {
			expect(lead.name).toBe('Ivan Testov');
			expect(lead.firstName).toBe('Ivan');
			expect(lead.lastName).toBe('Testov');
			expect(lead.phones).toEqual(['+79990001234']);
			expect(lead.phonesRaw).toEqual(['+79990001234']);
			expect(lead.emails).toEqual(['ivan.testov@example.com']);
			expect(lead.comment).toBe('Call me after 6pm');
		});

		it('maps UTM and keeps unknown fields as answers', () => {
			expect(lead.utm).toEqual({ source: 'google', medium: 'cpc', campaign: 'brand' });
			expect(lead.answers).toEqual([{ key: 'source', value: 'partner-site' }]);
			expect(lead.raw.contentType).toBe('application/json');
			expect(lead.raw.body).toEqual(JSON.parse(readSample('generic-1.json')));
		});
	});

	describe('generic-2 (nested JSON)', () => {
		const lead = normalizeGenericLead(json(readSample('generic-2.json')));

		it('maps identity fields and the unix time', () => {
			expect(lead.sourceLeadId).toBe('evt_01HXYZABCDEF');
			expect(lead.dedupKey).toBe('generic:evt_01HXYZABCDEF');
			expect(lead.createdAt).toBe('2024-05-14T09:21:37.000Z');
		});

		it('reads contact.* fields and skips the null last name', () => {
			expect(lead.name).toBe('Алексей');
			expect(lead.firstName).toBe('Алексей');
			expect(lead.lastName).toBeUndefined();
			expect(lead.phones).toEqual(['+79990001122', '+79990003344']);
			expect(lead.phonesRaw).toEqual(['8 (999) 000-11-22', '+7 999 000 33 44']);
			expect(lead.emails).toEqual(['alexey@example.ru']);
		});

		it('reads nested utm.* and the referrer', () => {
			expect(lead.utm).toEqual({ source: 'telegram', campaign: 'may' });
			expect(lead.page).toEqual({ url: 'https://t.me/' });
		});

		it('keeps Cyrillic answers with every value', () => {
			expect(lead.answers).toEqual([
				{ key: 'event', value: 'form.submitted' },
				{ key: 'Площадь, м²', value: '54' },
				{ key: 'Тип объекта', value: ['Квартира', 'Новостройка'] },
			]);
		});
	});

	describe('generic-3 (urlencoded bracket keys)', () => {
		const lead = normalizeGenericLead({ body: readSample('generic-3.txt'), contentType: 'application/x-www-form-urlencoded', receivedAt: RECEIVED_AT });

		it('maps contact[...] fields', () => {
			expect(lead.name).toBe('Алексей');
			expect(lead.firstName).toBe('Алексей');
			expect(lead.phones).toEqual(['+79990001122', '+79990003344']);
			expect(lead.phonesRaw).toEqual(['8 (999) 000-11-22', '+7 999 000 33 44']);
			expect(lead.emails).toEqual([]);
		});

		it('maps UTM and answers', () => {
			expect(lead.utm).toEqual({ source: 'telegram' });
			expect(lead.answers).toEqual([{ key: 'Тип объекта', value: ['Квартира', 'Новостройка'] }]);
		});

		it('hashes the body for the dedup key', () => {
			expect(lead.sourceLeadId).toBeUndefined();
			expect(lead.dedupKey).toMatch(/^generic:[0-9a-f]{64}$/);
		});
	});

	describe('generic-5 (GET query)', () => {
		const requestLine = readSample('generic-5.txt').trim();
		const query = parseUrlEncoded(requestLine.split(' ')[1].split('?')[1]);
		const lead = normalizeGenericLead({ method: 'GET', body: undefined, query, receivedAt: RECEIVED_AT });

		it('reads the lead from the query string', () => {
			expect(lead.sourceLeadId).toBe('x-778');
			expect(lead.dedupKey).toBe('generic:x-778');
			expect(lead.name).toBe('Иван');
			expect(lead.firstName).toBe('Иван');
			expect(lead.phones).toEqual(['+79990001234']);
			expect(lead.phonesRaw).toEqual(['+7 999 000-12-34']);
			expect(lead.utm).toEqual({ source: 'yandex' });
			expect(lead.answers).toEqual([]);
			expect(lead.raw.body).toEqual(query);
		});
	});

	it('reads a multipart body', () => {
		const boundary = 'b0undary';
		const body = [
			`--${boundary}`,
			'Content-Disposition: form-data; name="name"',
			'',
			'Ольга Иванова',
			`--${boundary}`,
			'Content-Disposition: form-data; name="phone"',
			'',
			'8 912 345 67 89',
			`--${boundary}`,
			'Content-Disposition: form-data; name="file"; filename="a.txt"',
			'',
			'ignored',
			`--${boundary}--`,
		].join('\r\n');
		const lead = normalizeGenericLead({
			body: Buffer.from(body),
			contentType: `multipart/form-data; boundary=${boundary}`,
			receivedAt: RECEIVED_AT,
		});
		expect(lead.name).toBe('Ольга Иванова');
		expect(lead.phones).toEqual(['+79123456789']);
		expect(lead.answers).toEqual([]);
	});

	it('gives the same hash dedup key whatever the key order', () => {
		const first = normalizeGenericLead(json({ a: 1, b: { c: 2, d: 3 } }));
		const second = normalizeGenericLead(json({ b: { d: 3, c: 2 }, a: 1 }));
		expect(second.dedupKey).toBe(first.dedupKey);
	});

	it('flattens unknown nested objects to dotted keys', () => {
		const lead = normalizeGenericLead(json({ id: 1, meta: { device: { os: 'iOS' }, tags: ['a', 'b'] }, items: [{ sku: 'X' }] }));
		expect(lead.answers).toEqual([
			{ key: 'meta.device.os', value: 'iOS' },
			{ key: 'meta.tags', value: ['a', 'b'] },
			{ key: 'items[0].sku', value: 'X' },
		]);
	});

	it('keeps a 17-digit numeric id exact', () => {
		const lead = normalizeGenericLead(json('{"lead_id": 12345678901234567, "phone": "89990001234"}'));
		expect(lead.sourceLeadId).toBe('12345678901234567');
		expect(lead.dedupKey).toBe('generic:12345678901234567');
	});

	it('re-reads raw text for exact ids', () => {
		const rawBody = '{"id": 12345678901234567}';
		const lead = normalizeGenericLead(json(JSON.parse(rawBody), { rawBody }));
		expect(lead.sourceLeadId).toBe('12345678901234567');
	});

	describe('options', () => {
		const body = {
			contact: { mobile: ['8 (999) 000-11-22', '+7 999 000 33 44'], fio: 'Тестов Иван Петрович' },
			answers: { 'Тип объекта': 'Квартира', Бюджет: '5 млн' },
			phone: '8 800 555 35 35',
			meta: { lead: { uid: 'u-1' } },
		};

		it('resolves paths, which override common names', () => {
			const lead = normalizeGenericLead(json(body), {
				paths: { phone: 'contact.mobile[1]', name: 'contact.fio', comment: 'answers["Тип объекта"]' },
				idPath: 'meta.lead.uid',
			});
			expect(lead.phones).toEqual(['+79990003344']);
			expect(lead.name).toBe('Тестов Иван Петрович');
			expect(lead.lastName).toBe('Тестов');
			expect(lead.firstName).toBe('Иван');
			expect(lead.middleName).toBe('Петрович');
			expect(lead.comment).toBe('Квартира');
			expect(lead.sourceLeadId).toBe('u-1');
			expect(lead.dedupKey).toBe('generic:u-1');
			expect(lead.answers).toEqual([
				{ key: 'contact.mobile', value: ['8 (999) 000-11-22', '+7 999 000 33 44'] },
				{ key: 'Бюджет', value: '5 млн' },
				{ key: 'phone', value: '8 800 555 35 35' },
			]);
		});

		it('uses values the host resolved, which override paths', () => {
			const lead = normalizeGenericLead(json(body), {
				paths: { email: 'contact.email' },
				values: { email: 'Resolved@Example.ru', city: 'Казань', utmSource: 'partner', isTest: true },
			});
			expect(lead.emails).toEqual(['resolved@example.ru']);
			expect(lead.city).toBe('Казань');
			expect(lead.utm).toEqual({ source: 'partner' });
			expect(lead.isTest).toBe(true);
		});

		it('keeps an invalid e-mail as an answer', () => {
			const lead = normalizeGenericLead(json({ id: 1, email: 'нет' }));
			expect(lead.emails).toEqual([]);
			expect(lead.answers).toEqual([{ key: 'email', value: 'нет' }]);
		});

		it('reads zone-less times with the configured offset', () => {
			const lead = normalizeGenericLead(json({ id: 1, created_at: '2024-05-14 12:21:37' }), { timeZoneOffsetMinutes: 180 });
			expect(lead.createdAt).toBe('2024-05-14T09:21:37.000Z');
		});
	});

	describe('secret', () => {
		it('accepts the secret in the configured header', () => {
			const lead = normalizeGenericLead(json({ id: 1 }, { headers: { 'x-my-secret': 's' } }), { secret: { header: 'X-My-Secret', value: 's' } });
			expect(lead.dedupKey).toBe('generic:1');
		});

		it('accepts a Bearer token and the token query parameter by default', () => {
			expect(normalizeGenericLead(json({ id: 1 }, { headers: { authorization: 'Bearer s' } }), { secret: { value: 's' } }).dedupKey).toBe('generic:1');
			expect(normalizeGenericLead(json({ id: 1 }, { query: { token: 's' } }), { secret: { value: 's' } }).dedupKey).toBe('generic:1');
		});

		it('drops the secret query parameter from GET data', () => {
			const lead = normalizeGenericLead({ method: 'GET', body: undefined, query: { key: 's', name: 'Иван' }, receivedAt: RECEIVED_AT }, {
				secret: { query: 'key', value: 's' },
			});
			expect(lead.answers).toEqual([]);
			expect(lead.raw.body).toEqual({ name: 'Иван' });
		});

		it('drops the secret body field', () => {
			const lead = normalizeGenericLead(json({ id: 1, hook_secret: 's', note: 'x' }), { secret: { bodyField: 'hook_secret', value: 's' } });
			expect(JSON.stringify(lead)).not.toContain('hook_secret');
		});

		it('rejects a wrong secret without revealing either value', () => {
			const error = captureError(() =>
				normalizeGenericLead(json({ id: 1 }, { headers: { 'x-webhook-secret': 'wrong-value' } }), { secret: { value: 'right-value' } }),
			);
			expect(error.code).toBe('badSecret');
			expect(error.message).not.toContain('wrong-value');
			expect(error.message).not.toContain('right-value');
			expect(error.message).toContain('x-webhook-secret');
		});
	});

	it('rejects an empty GET request', () => {
		expect(captureError(() => normalizeGenericLead({ method: 'GET', body: undefined, query: {}, receivedAt: RECEIVED_AT })).code).toBe('emptyBody');
	});

	it('rejects a JSON array', () => {
		expect(captureError(() => normalizeGenericLead(json('[{"a":1}]'))).code).toBe('notAnObject');
	});

	it('ignores __proto__ keys of a host-parsed body without polluting Object.prototype', () => {
		const hostParsed = JSON.parse('{"id": 1, "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
		normalizeGenericLead(json(hostParsed));
		normalizeGenericLead({ body: '__proto__[polluted]=1&id=2', contentType: 'application/x-www-form-urlencoded', receivedAt: RECEIVED_AT });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
