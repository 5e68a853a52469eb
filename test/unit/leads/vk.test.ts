import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { ConfigurationError, LeadInputError } from '../../../shared/errors';
import type { NormalizedLead } from '../../../shared/leads/types';
import { handleVkCallback, normalizeVkLeadEvent, normalizeVkPolledLead, parseVkLeadsPage, vkAnswerValue } from '../../../shared/leads/vk';

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

const RECEIVED_AT = Date.UTC(2024, 4, 14, 9, 22, 0);
const SECRET = 's3cr3t-from-community-settings';

function leadOf(body: unknown): NormalizedLead {
	const result = handleVkCallback(body, { receivedAt: RECEIVED_AT, secret: SECRET });
	if (result.kind !== 'lead') {
		throw new Error(`expected a lead, got ${result.kind}`);
	}
	return result.lead;
}

describe('handleVkCallback', () => {
	describe('vk-1 (lead_forms_new)', () => {
		const result = handleVkCallback(readSample('vk-1.json'), { receivedAt: RECEIVED_AT, secret: SECRET, contentType: 'application/json' });
		const lead = leadOf(readSample('vk-1.json'));

		it('replies ok with the event id', () => {
			expect(result.kind).toBe('lead');
			expect(result.reply).toBe('ok');
			expect(result).toHaveProperty('eventId', '3f7c1e2a9b0d4c5e8f6a1b2c3d4e5f60a1b2c3d4');
		});

		it('maps identity fields with string ids', () => {
			expect(lead.source).toBe('vk');
			expect(lead.sourceLeadId).toBe('4521');
			expect(lead.dedupKey).toBe('vk:218765432:4521');
			expect(lead.isTest).toBe(false);
			expect(lead.createdAt).toBeUndefined();
			expect(lead.receivedAt).toBe('2024-05-14T09:22:00.000Z');
		});

		it('maps the standard answers', () => {
			expect(lead.name).toBe('Иван Тестов');
			expect(lead.firstName).toBe('Иван');
			expect(lead.lastName).toBe('Тестов');
			expect(lead.middleName).toBeUndefined();
			expect(lead.phones).toEqual(['+79990001234']);
			expect(lead.phonesRaw).toEqual(['+7 999 000-12-34']);
			expect(lead.emails).toEqual(['ivan.testov@example.ru']);
		});

		it('maps form, ad, community and the VK user', () => {
			expect(lead.form).toEqual({ id: '3', name: 'Запись на консультацию' });
			expect(lead.ad).toEqual({ id: '98765432' });
			expect(lead.page).toEqual({ id: '218765432', url: 'https://vk.com/club218765432' });
			expect(lead.extraContacts).toEqual({ vkUserId: '712345678', vkDialogUrl: 'https://vk.com/gim218765432?sel=712345678' });
		});

		it('keeps custom answers with the question as label', () => {
			expect(lead.answers).toEqual([{ key: 'custom_0', label: 'Какой автомобиль интересует?', value: 'Кроссовер' }]);
			expect(lead.utm).toEqual({});
		});

		it('keeps the body in raw without the secret', () => {
			expect((lead.raw.body as Record<string, unknown>).event_id).toBe('3f7c1e2a9b0d4c5e8f6a1b2c3d4e5f60a1b2c3d4');
			expect(JSON.stringify(lead.raw)).not.toContain(SECRET);
		});
	});

	it('vk-4 redelivery repeats key and event id', () => {
		const first = handleVkCallback(readSample('vk-1.json'), { receivedAt: RECEIVED_AT, secret: SECRET });
		const again = handleVkCallback(readSample('vk-4.json'), { receivedAt: RECEIVED_AT + 60_000, secret: SECRET });
		expect(again.kind).toBe('lead');
		expect(leadOf(readSample('vk-4.json')).dedupKey).toBe(leadOf(readSample('vk-1.json')).dedupKey);
		expect(again).toHaveProperty('eventId', (first as { eventId?: string }).eventId);
	});

	describe('vk-2 (confirmation)', () => {
		it('replies with the confirmation code', () => {
			expect(handleVkCallback(readSample('vk-2.json'), { receivedAt: RECEIVED_AT, confirmationCode: 'a1b2c3d4', secret: SECRET })).toEqual({
				kind: 'confirmation',
				reply: 'a1b2c3d4',
				groupId: '218765432',
			});
		});

		it('picks the code of the community', () => {
			const result = handleVkCallback(JSON.parse(readSample('vk-2.json')), {
				receivedAt: RECEIVED_AT,
				confirmationCode: 'fallback',
				confirmationCodes: { '111': 'other', '218765432': 'per-group' },
			});
			expect(result).toEqual({ kind: 'confirmation', reply: 'per-group', groupId: '218765432' });
		});

		it('throws a configuration error without a code', () => {
			let caught: unknown;
			try {
				handleVkCallback(readSample('vk-2.json'), { receivedAt: RECEIVED_AT, confirmationCodes: { '111': 'other' } });
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(ConfigurationError);
			expect((caught as ConfigurationError).code).toBe('missingConfirmationCode');
			expect((caught as Error).message).toContain('218765432');
		});

		it('checks the secret before confirming', () => {
			let caught: unknown;
			try {
				handleVkCallback(readSample('vk-2.json'), { receivedAt: RECEIVED_AT, confirmationCode: 'a1b2c3d4', secret: 'other-secret' });
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(LeadInputError);
			expect((caught as LeadInputError).code).toBe('badSecret');
		});
	});

	it('rejects a bad secret without revealing either value', () => {
		let caught: unknown;
		try {
			handleVkCallback(readSample('vk-1.json'), { receivedAt: RECEIVED_AT, secret: 'configured-secret' });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(LeadInputError);
		expect((caught as LeadInputError).code).toBe('badSecret');
		expect((caught as LeadInputError).field).toBe('secret');
		expect((caught as Error).message).not.toContain(SECRET);
		expect((caught as Error).message).not.toContain('configured-secret');
	});

	it('rejects a missing secret when one is configured', () => {
		const body = JSON.parse(readSample('vk-1.json'));
		delete body.secret;
		expect(() => handleVkCallback(body, { receivedAt: RECEIVED_AT, secret: SECRET })).toThrow(expect.objectContaining({ code: 'badSecret' }));
	});

	it('acknowledges other event types with ok', () => {
		expect(handleVkCallback({ type: 'message_new', group_id: 1, event_id: 'e1', object: {} }, { receivedAt: RECEIVED_AT })).toEqual({
			kind: 'ignored',
			reply: 'ok',
			eventType: 'message_new',
			eventId: 'e1',
		});
	});

	it('maps patronymic, location and a lead without an ad', () => {
		const lead = leadOf({
			type: 'lead_forms_new',
			group_id: 1,
			secret: SECRET,
			object: {
				lead_id: 7,
				group_id: 1,
				user_id: 2,
				form_id: 4,
				ad_id: 0,
				answers: [
					{ key: 'first_name', question: 'Имя', answer: 'Анна' },
					{ key: 'patronymic_name', question: 'Отчество', answer: 'Сергеевна' },
					{ key: 'phone_number', question: 'Телефон', answer: '8 (999) 000-12-34' },
					{ key: 'location', question: 'Город', answer: 'Казань' },
					{ key: 'birthday', question: 'Дата рождения', answer: '01.02.1990' },
				],
			},
		});
		expect(lead.name).toBe('Анна Сергеевна');
		expect(lead.firstName).toBe('Анна');
		expect(lead.middleName).toBe('Сергеевна');
		expect(lead.lastName).toBeUndefined();
		expect(lead.phones).toEqual(['+79990001234']);
		expect(lead.city).toBe('Казань');
		expect(lead.ad).toBeUndefined();
		expect(lead.answers).toEqual([{ key: 'birthday', label: 'Дата рождения', value: '01.02.1990' }]);
	});

	it('rejects a lead event without lead_id', () => {
		expect(() =>
			handleVkCallback({ type: 'lead_forms_new', group_id: 1, object: { group_id: 1, answers: [] } }, { receivedAt: RECEIVED_AT }),
		).toThrow(expect.objectContaining({ code: 'missingField', field: 'object.lead_id' }));
	});
});

describe('normalizeVkLeadEvent', () => {
	it('rejects a confirmation request', () => {
		expect(() => normalizeVkLeadEvent(readSample('vk-2.json'), { receivedAt: RECEIVED_AT })).toThrow(
			expect.objectContaining({ code: 'invalidField', field: 'type' }),
		);
	});

	it('normalizes vk-1 like handleVkCallback', () => {
		expect(normalizeVkLeadEvent(readSample('vk-1.json'), { receivedAt: RECEIVED_AT, secret: SECRET })).toEqual(leadOf(readSample('vk-1.json')));
	});
});

describe('VK polling (leadForms.getLeads)', () => {
	const page = parseVkLeadsPage(readSample('vk-5.json'));

	it('reads the page', () => {
		expect(page.items).toHaveLength(1);
		expect(page.nextPageToken).toBe('eyJvZmZzZXQiOjF9');
	});

	it('normalizes vk-5 with every answer shape', () => {
		const lead = normalizeVkPolledLead(page.items[0], { groupId: 218765432, formId: 3, formName: 'Запись на консультацию', receivedAt: RECEIVED_AT });
		expect(lead.source).toBe('vk');
		expect(lead.sourceLeadId).toBe('4521');
		expect(lead.dedupKey).toBe('vk:218765432:4521');
		expect(lead.createdAt).toBe('2024-05-14T09:21:37.000Z');
		expect(lead.name).toBe('Иван');
		expect(lead.firstName).toBe('Иван');
		expect(lead.phones).toEqual(['+79990001234']);
		expect(lead.form).toEqual({ id: '3', name: 'Запись на консультацию' });
		expect(lead.ad).toEqual({ id: '98765432' });
		expect(lead.extraContacts).toEqual({ vkUserId: '712345678', vkDialogUrl: 'https://vk.com/gim218765432?sel=712345678' });
		expect(lead.answers).toEqual([
			{ key: 'custom_0', value: 'Кроссовер' },
			{ key: 'favorite_color', value: 'Зелёный' },
			{ key: 'custom_1', value: ['Утро', 'Вечер'] },
		]);
	});

	it('gives the polled lead the same dedup key as the pushed one', () => {
		const polled = normalizeVkPolledLead(page.items[0], { groupId: '218765432', receivedAt: RECEIVED_AT });
		expect(polled.dedupKey).toBe(leadOf(readSample('vk-1.json')).dedupKey);
	});

	it('throws the VK error message of an error response', () => {
		expect(() => parseVkLeadsPage({ error: { error_code: 15, error_msg: 'Access denied' } })).toThrow(/Access denied/);
	});

	it.each([
		['a', 'a'],
		[{ value: 'b' }, 'b'],
		[{ key: 'k', value: 'c' }, 'c'],
		[[{ key: 'x', value: 'd' }, { key: 'y', value: 'e' }], ['d', 'e']],
		[null, undefined],
	])('reads answer %j', (answer, expected) => {
		expect(vkAnswerValue(answer)).toEqual(expected);
	});
});
