import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { LeadInputError } from '../../../shared/errors';
import {
	answerFacebookVerification,
	FACEBOOK_LEAD_FIELDS,
	fetchFacebookLead,
	type FacebookLeadChange,
	normalizeFacebookGraphLead,
	parseFacebookDelivery,
	parseFacebookNotification,
	verifyFacebookSignature,
} from '../../../shared/leads/facebook';

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
const APP_SECRET = 'app-secret-0123';
const ACCESS_TOKEN = 'EAAG-page-token-secret';

/** A notification from before ids were strings: 17- and 18-digit ids as JSON numbers. */
const LEGACY_NUMERIC_IDS =
	'{"object":"page","entry":[{"id":104851234567890,"time":1715678498,"changes":[{"field":"leadgen","value":{"ad_id":120208765432100123,"form_id":987654321098765,"leadgen_id":12345678901234567,"created_time":1715678497,"page_id":104851234567890,"adgroup_id":120208765432100456}}]}]}';

function sign(body: string | Buffer, secret = APP_SECRET): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe('answerFacebookVerification', () => {
	it('returns the challenge for the right token', () => {
		expect(answerFacebookVerification({ 'hub.mode': 'subscribe', 'hub.verify_token': 'vt-1', 'hub.challenge': '1158201444' }, 'vt-1')).toEqual({
			statusCode: 200,
			body: '1158201444',
		});
	});

	it('accepts underscore and nested parameter names', () => {
		expect(answerFacebookVerification({ hub_mode: 'subscribe', hub_verify_token: 'vt-1', hub_challenge: 'c' }, 'vt-1')).toEqual({ statusCode: 200, body: 'c' });
		expect(answerFacebookVerification({ hub: { mode: 'subscribe', verify_token: 'vt-1', challenge: 'c' } }, 'vt-1')).toEqual({ statusCode: 200, body: 'c' });
	});

	it.each([
		['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'vt-2', 'hub.challenge': 'c' }, 'vt-1'],
		['a longer token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'vt-1x', 'hub.challenge': 'c' }, 'vt-1'],
		['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'vt-1', 'hub.challenge': 'c' }, 'vt-1'],
		['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': 'vt-1' }, 'vt-1'],
		['no configured token', { 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': 'c' }, ''],
		['no query', undefined, 'vt-1'],
	])('returns 403 for %s', (_label, query, token) => {
		expect(answerFacebookVerification(query, token)).toEqual({ statusCode: 403 });
	});
});

describe('verifyFacebookSignature', () => {
	const raw = readSample('facebook-1.json');

	it('accepts the signature of the raw text', () => {
		expect(verifyFacebookSignature(raw, sign(raw), APP_SECRET)).toBe(true);
	});

	it('accepts the signature of the raw bytes and an upper-case hex digest', () => {
		const bytes = Buffer.from(raw, 'utf8');
		expect(verifyFacebookSignature(bytes, sign(bytes).toUpperCase().replace('SHA256=', 'sha256='), APP_SECRET)).toBe(true);
	});

	it('accepts the first value of a repeated header', () => {
		expect(verifyFacebookSignature(raw, [sign(raw), 'sha256=00'], APP_SECRET)).toBe(true);
	});

	it('rejects a body re-serialized after parsing', () => {
		const escaped = '{"name":"\\u0418\\u0432\\u0430\\u043d"}';
		const reserialized = JSON.stringify(JSON.parse(escaped));
		expect(verifyFacebookSignature(escaped, sign(escaped), APP_SECRET)).toBe(true);
		expect(verifyFacebookSignature(reserialized, sign(escaped), APP_SECRET)).toBe(false);
	});

	it('rejects a tampered body', () => {
		expect(verifyFacebookSignature(raw.replace('1234567890123456', '1234567890123457'), sign(raw), APP_SECRET)).toBe(false);
	});

	it('rejects a signature made with another secret', () => {
		expect(verifyFacebookSignature(raw, sign(raw, 'other-secret'), APP_SECRET)).toBe(false);
	});

	it.each([
		['a missing header', undefined],
		['an empty header', ''],
		['a header without the sha256= prefix', sign(raw).slice('sha256='.length)],
		['a SHA-1 header', `sha1=${createHmac('sha1', APP_SECRET).update(raw).digest('hex')}`],
		['a truncated digest', sign(raw).slice(0, -2)],
	])('rejects %s', (_label, header) => {
		expect(verifyFacebookSignature(raw, header, APP_SECRET)).toBe(false);
	});

	it('rejects everything when no app secret is configured', () => {
		expect(verifyFacebookSignature(raw, sign(raw, ''), '')).toBe(false);
	});
});

describe('parseFacebookNotification', () => {
	it('reads facebook-1', () => {
		expect(parseFacebookNotification(readSample('facebook-1.json'))).toEqual([
			{
				leadgenId: '1234567890123456',
				formId: '987654321098765',
				pageId: '104851234567890',
				adId: '120208765432100123',
				adgroupId: '120208765432100456',
				createdTime: '2024-05-14T09:21:37.000Z',
			},
		]);
	});

	it('facebook-4 batch gives 3 changes with the redelivered lead twice', () => {
		const changes = parseFacebookNotification(readSample('facebook-4.json'));
		expect(changes.map((change) => change.leadgenId)).toEqual(['1234567890124001', '1234567890124002', '1234567890124001']);
		expect(changes[0]).toEqual({ leadgenId: '1234567890124001', formId: '987654321098765', pageId: '104851234567890', createdTime: '2024-05-14T09:46:40.000Z' });
		expect(changes[1].formId).toBe('555555555555555');
		expect(changes[1].adId).toBe('120208765432100123');
		expect(changes[2]).toEqual(changes[0]);
	});

	it('keeps 17-digit numeric ids exact', () => {
		const [change] = parseFacebookNotification(LEGACY_NUMERIC_IDS);
		expect(change.leadgenId).toBe('12345678901234567');
		expect(change.adId).toBe('120208765432100123');
		expect(change.adgroupId).toBe('120208765432100456');
		expect(change.pageId).toBe('104851234567890');
		expect(change.formId).toBe('987654321098765');
	});

	it('re-reads raw text for exact ids', () => {
		const [change] = parseFacebookDelivery({ body: JSON.parse(LEGACY_NUMERIC_IDS), rawBody: LEGACY_NUMERIC_IDS, contentType: 'application/json' });
		expect(change.leadgenId).toBe('12345678901234567');
	});

	it('ignores other objects and other fields', () => {
		expect(parseFacebookNotification({ object: 'user', entry: [] })).toEqual([]);
		expect(parseFacebookNotification({ object: 'page', entry: [{ id: '1', changes: [{ field: 'feed', value: { leadgen_id: '5' } }] }] })).toEqual([]);
	});

	it('rejects a body that is not an object', () => {
		expect(() => parseFacebookNotification('[]')).toThrow(expect.objectContaining({ code: 'notAnObject' }));
	});
});

describe('normalizeFacebookGraphLead', () => {
	describe('facebook-2 (Graph lead)', () => {
		const lead = normalizeFacebookGraphLead(readSample('facebook-2.json'), { receivedAt: RECEIVED_AT });

		it('maps identity fields and the +0000 time', () => {
			expect(lead.source).toBe('facebook');
			expect(lead.sourceLeadId).toBe('1234567890123456');
			expect(lead.dedupKey).toBe('fb:1234567890123456');
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
			expect(lead.city).toBe('Moscow');
		});

		it('maps campaign, ad set, ad and form', () => {
			expect(lead.campaign).toEqual({ id: '120208765432100789', name: 'Leads | Spring 2024' });
			expect(lead.adGroup).toEqual({ id: '120208765432100456', name: 'Moscow 25-45 interests' });
			expect(lead.ad).toEqual({ id: '120208765432100123', name: 'Spring promo | video 15s' });
			expect(lead.form).toEqual({ id: '987654321098765' });
			expect(lead.page).toBeUndefined();
			expect(lead.platform).toBe('fb');
			expect(lead.isOrganic).toBe(false);
		});

		it('maps consents and custom answers', () => {
			expect(lead.consents).toEqual([{ key: 'marketing_consent', checked: true }]);
			expect(lead.answers).toEqual([{ key: 'which_service_are_you_interested_in?', value: 'Kitchen renovation' }]);
			expect(lead.utm).toEqual({});
			expect(lead.raw.body).toEqual(JSON.parse(readSample('facebook-2.json')));
		});
	});

	it('keeps every value of a multiple-choice answer and every phone field', () => {
		const lead = normalizeFacebookGraphLead(
			{
				id: '1',
				created_time: 1715678497,
				field_data: [
					{ name: 'first_name', values: ['Анна'] },
					{ name: 'last_name', values: [''] },
					{ name: 'phone_number_(eg.65xxxxxxxx)', values: ['8 999 000 12 34'] },
					{ name: 'work_phone', values: ['+7 495 123-45-67'] },
					{ name: 'какие_услуги_вас_интересуют?', values: ['Дизайн', 'Ремонт'] },
				],
				custom_disclaimer_responses: [
					{ checkbox_key: 'terms', is_checked: true },
					{ checkbox_key: 'news', is_checked: '0' },
				],
			},
			{ receivedAt: RECEIVED_AT },
		);
		expect(lead.name).toBe('Анна');
		expect(lead.lastName).toBeUndefined();
		expect(lead.createdAt).toBe('2024-05-14T09:21:37.000Z');
		expect(lead.phones).toEqual(['+79990001234', '+74951234567']);
		expect(lead.answers).toEqual([{ key: 'какие_услуги_вас_интересуют?', value: ['Дизайн', 'Ремонт'] }]);
		expect(lead.consents).toEqual([
			{ key: 'terms', checked: true },
			{ key: 'news', checked: false },
		]);
	});

	it('reads an item of n8n’s own Facebook Lead Ads trigger', () => {
		const lead = normalizeFacebookGraphLead(
			{
				id: '1234567890123456',
				data: { full_name: 'Тестов Иван Петрович', email: 'Ivan@Example.ru', phone_number: '+79990001234' },
				form: { id: '987654321098765', name: 'Spring form', locale: 'ru_RU', status: 'ACTIVE' },
				ad: { id: '120208765432100123', name: 'Spring promo' },
				adset: { id: '120208765432100456', name: 'Moscow' },
				page: { id: '104851234567890', name: 'Kitchen Studio' },
				created_time: '2024-05-14T09:21:37+0000',
			},
			{ receivedAt: RECEIVED_AT },
		);
		expect(lead.lastName).toBe('Тестов');
		expect(lead.firstName).toBe('Иван');
		expect(lead.middleName).toBe('Петрович');
		expect(lead.emails).toEqual(['ivan@example.ru']);
		expect(lead.form).toEqual({ id: '987654321098765', name: 'Spring form' });
		expect(lead.ad).toEqual({ id: '120208765432100123', name: 'Spring promo' });
		expect(lead.adGroup).toEqual({ id: '120208765432100456', name: 'Moscow' });
		expect(lead.page).toEqual({ id: '104851234567890', name: 'Kitchen Studio' });
	});

	it('uses the creation time as receive time when none is given', () => {
		expect(normalizeFacebookGraphLead(readSample('facebook-2.json')).receivedAt).toBe('2024-05-14T09:21:37.000Z');
	});

	it('rejects a lead without id', () => {
		expect(() => normalizeFacebookGraphLead({ field_data: [] }, { receivedAt: RECEIVED_AT })).toThrow(expect.objectContaining({ code: 'missingField', field: 'id' }));
	});
});

describe('fetchFacebookLead', () => {
	const [change] = parseFacebookNotification(readSample('facebook-1.json'));
	const graphLead = JSON.parse(readSample('facebook-2.json'));

	function fakeGraph(responses: Record<string, unknown>): { graphGet: (path: string, query: Record<string, string>) => Promise<unknown>; calls: Array<[string, Record<string, string>]> } {
		const calls: Array<[string, Record<string, string>]> = [];
		return {
			calls,
			graphGet: async (path, query) => {
				calls.push([path, query]);
				const response = responses[path];
				if (response instanceof Error) {
					throw response;
				}
				return response;
			},
		};
	}

	it('fetches the lead, form name and page name and builds the lead', async () => {
		const graph = fakeGraph({
			'/1234567890123456': graphLead,
			'/987654321098765': { id: '987654321098765', name: 'Spring form' },
			'/104851234567890': { id: '104851234567890', name: 'Kitchen Studio' },
		});
		const notification = JSON.parse(readSample('facebook-1.json'));
		const lead = await fetchFacebookLead(change, { graphGet: graph.graphGet, accessToken: ACCESS_TOKEN, receivedAt: RECEIVED_AT, notification, contentType: 'application/json' });

		expect(graph.calls).toEqual([
			['/1234567890123456', { fields: FACEBOOK_LEAD_FIELDS, access_token: ACCESS_TOKEN }],
			['/987654321098765', { fields: 'id,name', access_token: ACCESS_TOKEN }],
			['/104851234567890', { fields: 'id,name', access_token: ACCESS_TOKEN }],
		]);
		expect(FACEBOOK_LEAD_FIELDS).toBe(
			'id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,field_data,is_organic,platform,custom_disclaimer_responses',
		);
		expect(lead.dedupKey).toBe('fb:1234567890123456');
		expect(lead.form).toEqual({ id: '987654321098765', name: 'Spring form' });
		expect(lead.page).toEqual({ id: '104851234567890', name: 'Kitchen Studio' });
		expect(lead.phones).toEqual(['+79990001234']);
		expect(lead.raw).toEqual({ contentType: 'application/json', body: notification, fetched: graphLead });
	});

	it('rejects a body that is no Graph lead', async () => {
		const graph = fakeGraph({ '/1234567890123456': { success: false, message: 'The route graph/1234567890123456 could not be found.' } });

		const fetching = fetchFacebookLead(change, { graphGet: graph.graphGet, accessToken: ACCESS_TOKEN, receivedAt: RECEIVED_AT });

		await expect(fetching).rejects.toThrow(/neither id nor field_data: check the Graph API base URL/);
	});

	it('uses cached names without Graph requests', async () => {
		const graph = fakeGraph({ '/1234567890123456': graphLead });
		const nameCache = new Map([
			['987654321098765', 'Cached form'],
			['104851234567890', 'Cached page'],
		]);
		const lead = await fetchFacebookLead(change, { graphGet: graph.graphGet, accessToken: ACCESS_TOKEN, receivedAt: RECEIVED_AT, nameCache });
		expect(graph.calls).toHaveLength(1);
		expect(lead.form?.name).toBe('Cached form');
		expect(lead.page?.name).toBe('Cached page');
	});

	it('keeps the lead when a name request fails, and logs without the token', async () => {
		const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
		const graph = fakeGraph({
			'/1234567890123456': graphLead,
			'/987654321098765': new Error(`GET /987654321098765?access_token=${ACCESS_TOKEN} failed`),
			'/104851234567890': { id: '104851234567890', name: 'Kitchen Studio' },
		});
		const lead = await fetchFacebookLead(change, {
			graphGet: graph.graphGet,
			accessToken: ACCESS_TOKEN,
			receivedAt: RECEIVED_AT,
			logger: { debug: () => undefined, info: () => undefined, warn: (message, meta) => warnings.push([message, meta]) },
		});
		expect(lead.form).toEqual({ id: '987654321098765' });
		expect(lead.page?.name).toBe('Kitchen Studio');
		expect(warnings).toHaveLength(1);
		expect(JSON.stringify(warnings)).not.toContain(ACCESS_TOKEN);
	});

	it('passes a failed lead request on to the caller', async () => {
		const failure = new Error('socket hang up');
		const graph = fakeGraph({ '/1234567890123456': failure });
		await expect(fetchFacebookLead(change, { graphGet: graph.graphGet, accessToken: ACCESS_TOKEN, receivedAt: RECEIVED_AT })).rejects.toBe(failure);
	});

	it('turns a Graph error object into an error without the token', async () => {
		const graph = fakeGraph({
			'/1234567890123456': { error: { message: `Invalid OAuth access token ${ACCESS_TOKEN}`, code: 190 } },
		});
		let caught: unknown;
		try {
			await fetchFacebookLead(change, { graphGet: graph.graphGet, accessToken: ACCESS_TOKEN, receivedAt: RECEIVED_AT });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(LeadInputError);
		expect((caught as LeadInputError).params.graphCode).toBe('190');
		expect((caught as Error).message).toContain('code 190');
		expect((caught as Error).message).not.toContain(ACCESS_TOKEN);
	});

	it('refuses a leadgen id that is not numeric', async () => {
		const graph = fakeGraph({});
		const badChange: FacebookLeadChange = { leadgenId: '../me' };
		await expect(fetchFacebookLead(badChange, { graphGet: graph.graphGet, accessToken: ACCESS_TOKEN, receivedAt: RECEIVED_AT })).rejects.toMatchObject({
			code: 'invalidField',
		});
		expect(graph.calls).toEqual([]);
	});
});
