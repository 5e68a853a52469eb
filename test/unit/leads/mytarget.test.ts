import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import {
	formatMyTargetTime,
	myTargetDedupKey,
	nextMyTargetOffset,
	normalizeMyTargetLead,
	parseMyTargetPage,
	selectNewMyTargetLeads,
} from '../../../shared/leads/mytarget';

function readSample(name: string): string {
	let directory = __dirname;
	while (!existsSync(join(directory, 'test', 'fixtures', 'samples'))) {
		const parent = dirname(directory);
		if (parent === directory) {
			throw new Error(`test/fixtures/samples not found above ${__dirname}`);
		}
		directory = parent;
	}
	return readFileSync(join(directory, 'test', 'fixtures', 'samples', name), 'utf8');
}

const RECEIVED_AT = Date.UTC(2024, 4, 14, 9, 45, 0);

describe('parseMyTargetPage', () => {
	it('reads mytarget-1', () => {
		const page = parseMyTargetPage(readSample('mytarget-1.json'));
		expect(page.count).toBe(2);
		expect(page.limit).toBe(20);
		expect(page.offset).toBe(0);
		expect(page.items).toHaveLength(2);
	});

	it('reads a parsed object and bytes alike', () => {
		expect(parseMyTargetPage(JSON.parse(readSample('mytarget-3.json'))).offset).toBe(2);
		expect(parseMyTargetPage(Buffer.from(readSample('mytarget-3.json'))).count).toBe(3);
	});

	it('rejects a body without items', () => {
		expect(() => parseMyTargetPage({ error: 'x' })).toThrow(expect.objectContaining({ code: 'missingField', field: 'items' }));
	});
});

describe('normalizeMyTargetLead', () => {
	const [first, second] = parseMyTargetPage(readSample('mytarget-1.json')).items;

	describe('first lead of mytarget-1', () => {
		const lead = normalizeMyTargetLead(first, { receivedAt: RECEIVED_AT });

		it('maps identity fields and reads created_time as Moscow time', () => {
			expect(lead.source).toBe('mytarget');
			expect(lead.sourceLeadId).toBe('55012345');
			expect(lead.dedupKey).toBe('mt:7001:55012345');
			expect(lead.isTest).toBe(false);
			expect(lead.createdAt).toBe('2024-05-14T09:21:37.000Z');
			expect(lead.receivedAt).toBe('2024-05-14T09:45:00.000Z');
		});

		it('maps contact fields', () => {
			expect(lead.name).toBe('Иван Тестов');
			expect(lead.firstName).toBe('Иван');
			expect(lead.lastName).toBe('Тестов');
			expect(lead.phones).toEqual(['+79990001234']);
			expect(lead.phonesRaw).toEqual(['+79990001234']);
			expect(lead.emails).toEqual(['ivan.testov@example.ru']);
			expect(lead.city).toBe('Москва');
		});

		it('maps campaign, banner and form', () => {
			expect(lead.campaign).toEqual({ id: '41234567' });
			expect(lead.ad).toEqual({ id: '91234567' });
			expect(lead.form).toEqual({ id: '7001', name: 'Тест-драйв' });
		});

		it('keeps birthday, sex and questions as answers', () => {
			expect(lead.answers).toEqual([
				{ key: 'user_birthday', value: '1990-03-15' },
				{ key: 'user_sex', value: 'male' },
				{ key: 'Удобное время для звонка', value: 'После 18:00' },
				{ key: 'Модель', value: 'Кроссовер' },
			]);
			expect(lead.utm).toEqual({});
			expect(lead.raw.body).toEqual(first);
		});
	});

	describe('second lead of mytarget-1', () => {
		const lead = normalizeMyTargetLead(second, { receivedAt: RECEIVED_AT });

		it('handles a one-word name, an 8 (...) phone and empty fields', () => {
			expect(lead.dedupKey).toBe('mt:7001:55012346');
			expect(lead.createdAt).toBe('2024-05-14T09:40:02.000Z');
			expect(lead.name).toBe('Анна');
			expect(lead.firstName).toBe('Анна');
			expect(lead.lastName).toBeUndefined();
			expect(lead.phones).toEqual(['+79990009876']);
			expect(lead.phonesRaw).toEqual(['8 (999) 000-98-76']);
			expect(lead.emails).toEqual([]);
			expect(lead.city).toBeUndefined();
			expect(lead.ad).toEqual({ id: '91234568' });
			expect(lead.answers).toEqual([]);
		});
	});

	it('reads created_time in another zone when told', () => {
		expect(normalizeMyTargetLead(first, { receivedAt: RECEIVED_AT, timeZoneOffsetMinutes: 0 }).createdAt).toBe('2024-05-14T12:21:37.000Z');
	});

	it('splits a Surname First Patronymic name and keeps an extension', () => {
		const lead = normalizeMyTargetLead(
			{ ...first, user_fullname: 'Тестова Анна Сергеевна', user_phone: '+7 495 123-45-67 доб. 12', user_email: 'Anna@Example.RU', user_questions: [['Цвет', 'Красный; Синий']] },
			{ receivedAt: RECEIVED_AT },
		);
		expect(lead.lastName).toBe('Тестова');
		expect(lead.firstName).toBe('Анна');
		expect(lead.middleName).toBe('Сергеевна');
		expect(lead.phones).toEqual(['+74951234567;ext=12']);
		expect(lead.emails).toEqual(['anna@example.ru']);
		expect(lead.answers).toContainEqual({ key: 'Цвет', value: 'Красный; Синий' });
	});

	it('rejects an item without form_id', () => {
		expect(() => normalizeMyTargetLead({ id: 1 }, { receivedAt: RECEIVED_AT })).toThrow(expect.objectContaining({ code: 'missingField', field: 'form_id' }));
	});
});

describe('selectNewMyTargetLeads', () => {
	it('mytarget-3 repeats a lead of mytarget-1 with the same key', () => {
		const firstPage = parseMyTargetPage(readSample('mytarget-1.json'));
		const laterPage = parseMyTargetPage(readSample('mytarget-3.json'));
		expect(myTargetDedupKey(laterPage.items[0])).toBe(myTargetDedupKey(firstPage.items[1]));
	});

	it('skips leads already seen on an overlapping page', () => {
		const firstPage = parseMyTargetPage(readSample('mytarget-1.json'));
		const firstRun = selectNewMyTargetLeads(firstPage, new Set(), { receivedAt: RECEIVED_AT });
		expect(firstRun.keys).toEqual(['mt:7001:55012345', 'mt:7001:55012346']);
		expect(firstRun.leads.map((lead) => lead.dedupKey)).toEqual(firstRun.keys);

		const laterRun = selectNewMyTargetLeads(parseMyTargetPage(readSample('mytarget-3.json')), new Set(firstRun.keys), { receivedAt: RECEIVED_AT });
		expect(laterRun.leads).toEqual([]);
		expect(laterRun.keys).toEqual([]);
	});

	it('accepts a lookup function and drops repeats inside one page', () => {
		const page = parseMyTargetPage(readSample('mytarget-1.json'));
		const doubled = { ...page, items: [...page.items, page.items[0]] };
		const result = selectNewMyTargetLeads(doubled, (key) => key === 'mt:7001:55012346', { receivedAt: RECEIVED_AT });
		expect(result.keys).toEqual(['mt:7001:55012345']);
	});
});

describe('myTarget paging helpers', () => {
	it('computes the next offset until count is reached', () => {
		expect(nextMyTargetOffset({ items: [{}, {}], count: 3, limit: 2, offset: 0 })).toBe(2);
		expect(nextMyTargetOffset({ items: [{}], count: 3, limit: 2, offset: 2 })).toBeUndefined();
		expect(nextMyTargetOffset({ items: [], count: 3, limit: 2, offset: 2 })).toBeUndefined();
	});

	it('formats filter times in Moscow time', () => {
		expect(formatMyTargetTime(Date.UTC(2024, 4, 14, 9, 21, 37))).toBe('2024-05-14 12:21:37');
		expect(formatMyTargetTime(Date.UTC(2024, 4, 14, 22, 0, 0))).toBe('2024-05-15 01:00:00');
	});
});
