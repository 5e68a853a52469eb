import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { normalizePlatformaLpLead, PLATFORMALP_DEDUP_WINDOW_MS } from '../../../shared/leads/platformalp';
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

// 09:22 UTC: the 10-minute window runs from 09:20:00 to 09:29:59.999.
const RECEIVED_AT = Date.UTC(2024, 4, 14, 9, 22, 0);

function urlencoded(body: string, receivedAt = RECEIVED_AT): LeadDelivery {
	return { body, contentType: 'application/x-www-form-urlencoded', receivedAt };
}

describe('normalizePlatformaLpLead', () => {
	describe('platformalp-1 (flat urlencoded)', () => {
		const lead = normalizePlatformaLpLead(urlencoded(readSample('platformalp-1.txt')));

		it('maps the contact fields', () => {
			expect(lead.source).toBe('platformalp');
			expect(lead.sourceLeadId).toBeUndefined();
			expect(lead.isTest).toBe(false);
			expect(lead.name).toBe('Светлана');
			expect(lead.firstName).toBe('Светлана');
			expect(lead.phones).toEqual(['+79990003344']);
			expect(lead.phonesRaw).toEqual(['+7(999)000-33-44']);
			expect(lead.emails).toEqual(['svetlana@example.ru']);
		});

		it('maps page, UTM and answers', () => {
			expect(lead.page).toEqual({ url: 'https://example-lp.ru/course' });
			expect(lead.form).toBeUndefined();
			expect(lead.utm).toEqual({ source: 'vk', medium: 'cpc', campaign: 'course_may' });
			expect(lead.answers).toEqual([{ key: 'Ваш вопрос', value: 'Есть ли рассрочка?' }]);
			expect(lead.receivedAt).toBe('2024-05-14T09:22:00.000Z');
		});

		it('builds a hashed dedup key', () => {
			expect(lead.dedupKey).toMatch(/^platformalp:[0-9a-f]{64}$/);
		});
	});

	describe('platformalp-2 (JSON with fields[])', () => {
		const lead = normalizePlatformaLpLead({ body: readSample('platformalp-2.json'), contentType: 'application/json', receivedAt: RECEIVED_AT });

		it('maps the fields list by Russian names', () => {
			expect(lead.name).toBe('Светлана');
			expect(lead.firstName).toBe('Светлана');
			expect(lead.phones).toEqual(['+79990003344']);
			expect(lead.phonesRaw).toEqual(['8 999 000 33 44']);
			expect(lead.emails).toEqual([]);
		});

		it('maps form, page, UTM and the creation time', () => {
			expect(lead.form).toEqual({ id: 'f-12', name: 'Заявка на курс' });
			expect(lead.page).toEqual({ name: 'Курс по дизайну', url: 'https://example-lp.ru/course?utm_source=vk&utm_campaign=course_may' });
			expect(lead.utm).toEqual({ source: 'vk', medium: 'cpc', campaign: 'course_may' });
			expect(lead.createdAt).toBe('2024-05-14T09:21:37.000Z');
		});

		it('keeps unknown fields with every value and the original body in raw', () => {
			expect(lead.answers).toEqual([{ key: 'Тариф', value: ['Базовый', 'С проверкой ДЗ'] }]);
			expect(lead.raw.body).toEqual(JSON.parse(readSample('platformalp-2.json')));
		});
	});

	it('gives a double submission in the same window the same dedup key', () => {
		const first = normalizePlatformaLpLead(urlencoded(readSample('platformalp-1.txt')));
		const second = normalizePlatformaLpLead(urlencoded(readSample('platformalp-1.txt').replace('email=', 'x=1&email='), RECEIVED_AT + 5 * 60_000));
		expect(second.dedupKey).toBe(first.dedupKey);
	});

	it('uses the phone, not its spelling, in the dedup key', () => {
		const first = normalizePlatformaLpLead(urlencoded('phone=8+999+000+33+44&form_id=f'));
		const second = normalizePlatformaLpLead(urlencoded('phone=%2B7+999+000-33-44&form_id=f'));
		expect(second.dedupKey).toBe(first.dedupKey);
	});

	it('gives submissions in different windows different keys', () => {
		const first = normalizePlatformaLpLead(urlencoded(readSample('platformalp-1.txt')));
		const later = normalizePlatformaLpLead(urlencoded(readSample('platformalp-1.txt'), RECEIVED_AT + PLATFORMALP_DEDUP_WINDOW_MS));
		expect(later.dedupKey).not.toBe(first.dedupKey);
	});

	it('gives different forms different keys', () => {
		const first = normalizePlatformaLpLead(urlencoded('phone=89990003344&form_id=a'));
		const second = normalizePlatformaLpLead(urlencoded('phone=89990003344&form_id=b'));
		expect(second.dedupKey).not.toBe(first.dedupKey);
	});

	it('uses an id from the body when there is one', () => {
		expect(normalizePlatformaLpLead(urlencoded('id=77&phone=89990003344')).dedupKey).toBe('platformalp:77');
	});
});
