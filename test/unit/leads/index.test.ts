import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { LeadInputError } from '../../../shared/errors';
import { normalizeLead, parseMyTargetPage } from '../../../shared/leads';
import type { LeadDelivery, NormalizedLead } from '../../../shared/leads/types';

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

function delivery(body: unknown, contentType: string): LeadDelivery {
	return { body, contentType, receivedAt: RECEIVED_AT };
}

describe('normalizeLead', () => {
	const leads: Array<[string, NormalizedLead]> = [
		['tilda', normalizeLead('tilda', delivery(readSample('tilda-1.txt'), 'application/x-www-form-urlencoded'))],
		['generic', normalizeLead('generic', delivery(readSample('generic-2.json'), 'application/json'))],
		['platformalp', normalizeLead('platformalp', delivery(readSample('platformalp-2.json'), 'application/json'))],
		['vk', normalizeLead('vk', delivery(readSample('vk-1.json'), 'application/json'), { secret: 's3cr3t-from-community-settings' })],
		['mytarget', normalizeLead('mytarget', delivery(parseMyTargetPage(readSample('mytarget-1.json')).items[1], 'application/json'))],
		['facebook', normalizeLead('facebook', delivery(readSample('facebook-2.json'), 'application/json'))],
	];

	it.each(leads)('%s lead has the source, receive time, utm, answers and raw', (source, lead) => {
		expect(lead.source).toBe(source);
		expect(lead.receivedAt).toBe('2024-05-14T09:22:00.000Z');
		expect(lead.utm).toEqual(expect.any(Object));
		expect(Array.isArray(lead.answers)).toBe(true);
		expect(Array.isArray(lead.phones)).toBe(true);
		expect(Array.isArray(lead.phonesRaw)).toBe(true);
		expect(Array.isArray(lead.emails)).toBe(true);
		expect(lead.raw.contentType).toBe(source === 'tilda' ? 'application/x-www-form-urlencoded' : 'application/json');
		expect(lead.raw.body).toBeDefined();
		expect(lead.dedupKey).not.toBe('');
	});

	it('passes options to the source', () => {
		const item = JSON.stringify(parseMyTargetPage(readSample('mytarget-1.json')).items[0]);
		const lead = normalizeLead('mytarget', delivery(item, 'application/json'), { timeZoneOffsetMinutes: 0 });
		expect(lead.createdAt).toBe('2024-05-14T12:21:37.000Z');
	});

	it('checks the VK secret', () => {
		expect(() => normalizeLead('vk', delivery(readSample('vk-1.json'), 'application/json'), { secret: 'other' })).toThrow(
			expect.objectContaining({ code: 'badSecret' }),
		);
	});

	it('rejects a Facebook webhook notification, which carries ids only', () => {
		expect(() => normalizeLead('facebook', delivery(readSample('facebook-1.json'), 'application/json'))).toThrow(
			expect.objectContaining({ code: 'invalidField', field: 'object' }),
		);
	});

	it('throws unknownSource for another source', () => {
		let caught: unknown;
		try {
			normalizeLead('bitrix', delivery('{}', 'application/json'));
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(LeadInputError);
		expect((caught as LeadInputError).code).toBe('unknownSource');
		expect((caught as LeadInputError).params.source).toBe('bitrix');
	});

	it('rejects a receive time that is not a number', () => {
		expect(() => normalizeLead('generic', { body: { id: 1 }, receivedAt: Number.NaN })).toThrow(expect.objectContaining({ code: 'invalidField', field: 'receivedAt' }));
	});
});
