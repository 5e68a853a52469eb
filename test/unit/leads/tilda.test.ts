import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { LeadInputError } from '../../../shared/errors';
import { parseUrlEncoded } from '../../../shared/leads/body';
import { normalizeTildaLead, type TildaOptions } from '../../../shared/leads/tilda';
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
const FORM = 'application/x-www-form-urlencoded';

function delivery(body: unknown, extra: Partial<LeadDelivery> = {}): LeadDelivery {
	return { body, contentType: FORM, receivedAt: RECEIVED_AT, ...extra };
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

describe('normalizeTildaLead', () => {
	describe('tilda-1 (urlencoded submission)', () => {
		const lead = normalizeTildaLead(delivery(readSample('tilda-1.txt')));

		it('maps identity and dedup fields', () => {
			expect(lead.source).toBe('tilda');
			expect(lead.sourceLeadId).toBe('1234567:8901234567');
			expect(lead.dedupKey).toBe('tilda:1234567:8901234567');
			expect(lead.isTest).toBe(false);
			expect(lead.createdAt).toBeUndefined();
			expect(lead.receivedAt).toBe('2024-05-14T09:22:00.000Z');
		});

		it('maps contact fields', () => {
			expect(lead.name).toBe('Иван Тестов');
			expect(lead.firstName).toBe('Иван');
			expect(lead.lastName).toBe('Тестов');
			expect(lead.middleName).toBeUndefined();
			expect(lead.phones).toEqual(['+79990001234']);
			expect(lead.phonesRaw).toEqual(['+7 (999) 000-12-34']);
			expect(lead.emails).toEqual(['ivan.testov@example.ru']);
			expect(lead.comment).toBe('Хочу консультацию по кухне');
			expect(lead.city).toBeUndefined();
		});

		it('maps form, UTM and click ids', () => {
			expect(lead.form).toEqual({ id: 'form501234567', name: 'Заявка на консультацию' });
			expect(lead.page).toBeUndefined();
			expect(lead.utm).toEqual({ source: 'yandex', medium: 'cpc', campaign: 'kitchen_spring', content: 'ad_12345', term: 'кухни на заказ' });
			expect(lead.clickIds).toEqual({ _ym_uid: '1715670000123456789', _ga: 'GA1.1.111111111.1715670000' });
		});

		it('keeps COOKIES and technical fields out of answers', () => {
			expect(lead.answers).toEqual([]);
			expect(lead.order).toBeUndefined();
		});

		it('keeps the parsed body and content type in raw', () => {
			expect(lead.raw.contentType).toBe(FORM);
			expect((lead.raw.body as Record<string, unknown>).COOKIES).toContain('TILDAUTM=');
			expect((lead.raw.body as Record<string, unknown>).tranid).toBe('1234567:8901234567');
		});
	});

	it('tilda-2 ping gives a test lead', () => {
		const lead = normalizeTildaLead(delivery(readSample('tilda-2.txt')));
		expect(lead.isTest).toBe(true);
		expect(lead.dedupKey).toBe('tilda:test');
		expect(lead.phones).toEqual([]);
		expect(lead.emails).toEqual([]);
		expect(lead.utm).toEqual({});
		expect(lead.answers).toEqual([]);
		expect(lead.raw.body).toEqual({ test: 'test' });
	});

	it('ping is checked against the URL token too', () => {
		expect(captureError(() => normalizeTildaLead(delivery('test=test', { query: {} }), { urlToken: 't0k3n' })).code).toBe('badSecret');
	});

	it('tilda-6 redelivery has the same dedup key as tilda-1', () => {
		const first = normalizeTildaLead(delivery(readSample('tilda-1.txt')));
		const again = normalizeTildaLead(delivery(readSample('tilda-6.txt')));
		expect(again.dedupKey).toBe(first.dedupKey);
	});

	describe('tilda-5 (JSON with an API key in the body)', () => {
		const json = readSample('tilda-5.json');
		const lead = normalizeTildaLead(delivery(json, { contentType: 'application/json' }), { apiKey: 'user-api-key-value' });

		it('maps the fields', () => {
			expect(lead.sourceLeadId).toBe('1234567:8901234567');
			expect(lead.dedupKey).toBe('tilda:1234567:8901234567');
			expect(lead.name).toBe('Иван Тестов');
			expect(lead.firstName).toBe('Иван');
			expect(lead.lastName).toBe('Тестов');
			expect(lead.phones).toEqual(['+79990001234']);
			expect(lead.phonesRaw).toEqual(['+7 (999) 000-12-34']);
			expect(lead.emails).toEqual(['ivan.testov@example.ru']);
			expect(lead.comment).toBe('Хочу консультацию по кухне');
			expect(lead.form).toEqual({ id: 'form501234567', name: 'Заявка на консультацию' });
			expect(lead.utm).toEqual({});
			expect(lead.answers).toEqual([]);
			expect(lead.raw.contentType).toBe('application/json');
		});

		it('keeps the API key out of raw.body', () => {
			expect(JSON.stringify(lead)).not.toContain('user-api-key-value');
			expect(Object.keys(lead.raw.body as object)).not.toContain('X-API-Key');
		});

		it('rejects a wrong API key without revealing either value', () => {
			const error = captureError(() =>
				normalizeTildaLead(delivery(json, { contentType: 'application/json' }), { apiKey: 'configured-key-1234' }),
			);
			expect(error.code).toBe('badSecret');
			expect(error.field).toBe('apiKey');
			expect(error.message).not.toContain('user-api-key-value');
			expect(error.message).not.toContain('configured-key-1234');
			expect(JSON.stringify(error.params)).not.toContain('user-api-key-value');
		});
	});

	describe('API key locations', () => {
		const body = 'Name=x&tranid=1:2';
		const options: TildaOptions = { apiKey: 'k-123' };

		it.each([
			['X-API-Key header', { 'x-api-key': 'k-123' }],
			['Api-Key header', { 'api-key': 'k-123' }],
			['Authorization Bearer header', { authorization: 'Bearer k-123' }],
			['mixed-case header name', { 'X-Api-Key': 'k-123' }],
		])('accepts the key in the %s', (_label, headers) => {
			expect(normalizeTildaLead(delivery(body, { headers }), options).sourceLeadId).toBe('1:2');
		});

		it.each([['api_key'], ['apikey'], ['X-API-Key']])('accepts the key in the %s body field', (field) => {
			const lead = normalizeTildaLead(delivery(`${body}&${field}=k-123`), options);
			expect(lead.sourceLeadId).toBe('1:2');
			expect(lead.answers).toEqual([]);
		});

		it('rejects a missing key', () => {
			expect(captureError(() => normalizeTildaLead(delivery(body), options)).code).toBe('badSecret');
		});

		it('rejects a key of a different length', () => {
			expect(captureError(() => normalizeTildaLead(delivery(body, { headers: { 'x-api-key': 'k-1234' } }), options)).code).toBe('badSecret');
		});
	});

	describe('URL token', () => {
		const body = readSample('tilda-1.txt');

		it('accepts the right token', () => {
			expect(normalizeTildaLead(delivery(body, { query: { token: 't0k3n' } }), { urlToken: 't0k3n' }).dedupKey).toBe('tilda:1234567:8901234567');
		});

		it('rejects a wrong token without revealing either value', () => {
			const error = captureError(() => normalizeTildaLead(delivery(body, { query: { token: 'guess' } }), { urlToken: 't0k3n' }));
			expect(error.code).toBe('badSecret');
			expect(error.field).toBe('token');
			expect(error.message).not.toContain('guess');
			expect(error.message).not.toContain('t0k3n');
		});

		it('rejects a missing token', () => {
			expect(captureError(() => normalizeTildaLead(delivery(body), { urlToken: 't0k3n' })).code).toBe('badSecret');
		});
	});

	it('matches standard fields case-insensitively in Russian', () => {
		const lead = normalizeTildaLead(
			delivery(
				'%D0%98%D0%BC%D1%8F=%D0%90%D0%BD%D0%BD%D0%B0&%D0%A2%D0%B5%D0%BB%D0%B5%D1%84%D0%BE%D0%BD=8+999+000+12+34&%D0%9F%D0%BE%D1%87%D1%82%D0%B0=Anna%40Example.ru&%D0%93%D0%BE%D1%80%D0%BE%D0%B4=%D0%9A%D0%B0%D0%B7%D0%B0%D0%BD%D1%8C&TRANID=9:9&FORMNAME=Main',
			),
		);
		expect(lead.name).toBe('Анна');
		expect(lead.firstName).toBe('Анна');
		expect(lead.phones).toEqual(['+79990001234']);
		expect(lead.emails).toEqual(['anna@example.ru']);
		expect(lead.city).toBe('Казань');
		expect(lead.sourceLeadId).toBe('9:9');
		expect(lead.form).toEqual({ name: 'Main' });
	});

	it('accepts e-mail and EMAIL spellings', () => {
		expect(normalizeTildaLead(delivery('e-mail=a%40b.ru&tranid=1')).emails).toEqual(['a@b.ru']);
		expect(normalizeTildaLead(delivery('EMAIL=a%40b.ru&tranid=1')).emails).toEqual(['a@b.ru']);
	});

	it('keeps multi-value answers from repeated keys, [] keys and joined strings', () => {
		const lead = normalizeTildaLead(
			delivery('tranid=1&Services=A&Services=B&Extras[]=X&Extras[]=Y&Joined=%D0%9E%D0%B4%D0%B8%D0%BD%3B+%D0%94%D0%B2%D0%B0&Checkbox=yes'),
		);
		expect(lead.answers).toEqual([
			{ key: 'Services', value: ['A', 'B'] },
			{ key: 'Extras', value: ['X', 'Y'] },
			{ key: 'Joined', value: 'Один; Два' },
			{ key: 'Checkbox', value: 'yes' },
		]);
	});

	it('reads a cart order from the payment JSON string', () => {
		const payment = JSON.stringify({
			orderid: '1234567890',
			amount: '4500',
			products: [{ name: 'Кухня', quantity: 1, amount: 4500 }],
			delivery: 'Курьер',
			delivery_address: 'Москва, ул. Тестовая, 1',
		});
		const lead = normalizeTildaLead(delivery(`tranid=1&Name=x&payment=${encodeURIComponent(payment)}`));
		expect(lead.order).toEqual({ id: '1234567890', amount: 4500, products: [{ name: 'Кухня', quantity: 1, amount: 4500 }] });
		expect(lead.answers).toEqual([
			{ key: 'payment.delivery', value: 'Курьер' },
			{ key: 'payment.delivery_address', value: 'Москва, ул. Тестовая, 1' },
		]);
	});

	it('reads a cart order from a payment object in JSON', () => {
		const lead = normalizeTildaLead(
			delivery({ tranid: '1', payment: { orderid: 77, amount: 100.5, products: ['A x 1 = 100.5'] } }, { contentType: 'application/json' }),
		);
		expect(lead.order).toEqual({ id: '77', amount: 100.5, products: ['A x 1 = 100.5'] });
	});

	it('keeps a payment that is not JSON as an answer', () => {
		const lead = normalizeTildaLead(delivery('tranid=1&payment=broken%7B'));
		expect(lead.order).toBeUndefined();
		expect(lead.answers).toEqual([{ key: 'payment', value: 'broken{' }]);
	});

	it('takes UTM from the TILDAUTM cookie when the fields have none', () => {
		const cookies = encodeURIComponent('_ym_uid=1; TILDAUTM=utm_source%3Dvk%7C%7C%7Cutm_campaign%3Dspring');
		const lead = normalizeTildaLead(delivery(`tranid=1&COOKIES=${cookies}`));
		expect(lead.utm).toEqual({ source: 'vk', campaign: 'spring' });
		expect(lead.clickIds).toEqual({ _ym_uid: '1' });
	});

	it('takes UTM from the referer field, then the Referer header', () => {
		const referer = encodeURIComponent('https://example.ru/kitchen?utm_source=google&utm_medium=cpc&gclid=abc');
		const lead = normalizeTildaLead(
			delivery(`tranid=1&referer=${referer}&utm_source=yandex`, { headers: { referer: 'https://example.ru/?utm_term=kitchen' } }),
		);
		expect(lead.utm).toEqual({ source: 'yandex', medium: 'cpc', term: 'kitchen' });
		expect(lead.clickIds).toEqual({ gclid: 'abc' });
		expect(lead.page).toEqual({ url: 'https://example.ru/kitchen?utm_source=google&utm_medium=cpc&gclid=abc' });
	});

	it('hashes the canonical body when tranid is missing', () => {
		const first = normalizeTildaLead(delivery('Name=x&Phone=89990001234'));
		const reordered = normalizeTildaLead(delivery('Phone=89990001234&Name=x'));
		const other = normalizeTildaLead(delivery('Name=y&Phone=89990001234'));
		expect(first.dedupKey).toMatch(/^tilda:[0-9a-f]{64}$/);
		expect(reordered.dedupKey).toBe(first.dedupKey);
		expect(other.dedupKey).not.toBe(first.dedupKey);
	});

	it('accepts a body the host already parsed', () => {
		const lead = normalizeTildaLead(delivery(parseUrlEncoded(readSample('tilda-1.txt'))));
		expect(lead.dedupKey).toBe('tilda:1234567:8901234567');
		expect(lead.phones).toEqual(['+79990001234']);
	});

	it('rejects an empty body', () => {
		expect(captureError(() => normalizeTildaLead(delivery(''))).code).toBe('emptyBody');
	});

	it('rejects a JSON array body', () => {
		expect(captureError(() => normalizeTildaLead(delivery('[1]', { contentType: 'application/json' }))).code).toBe('notAnObject');
	});
});
