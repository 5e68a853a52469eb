/**
 * Tests of the WEEEK Lead Trigger's `webhook()`, run through the n8n harness with the real samples.
 * They cover the reply to each source, emitted leads compared field by field with hand-written
 * literals, secrets and signatures, and redeliveries. Facebook leads are fetched over HTTP from a
 * loopback fake Graph API.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseQueryString } from 'node:querystring';

import type { IDataObject, INodeCredentialDescription } from 'n8n-workflow';

import { WeeekLeadTrigger } from '../../nodes/WeeekLeadTrigger/WeeekLeadTrigger.node';
import { ACCESS_TOKEN_MARKER, startFakeGraph, type FakeGraph } from '../fakes/graph';
import {
	EXPECTED_LEADS,
	expectLead,
	FACEBOOK_FORM_NAME,
	FACEBOOK_PAGE_NAME,
	RECEIVED_AT,
	type ExpectedLeadSample,
} from '../fixtures/expectedLeads';
import { loadSample } from '../fixtures/samples';
import { createWebhookContext, type WebhookHarnessOptions, type WebhookRequest } from './harness';

const trigger = new WeeekLeadTrigger();

const VK_CREDENTIALS = { confirmationCode: 'a1b2c3d4', secret: 's3cr3t-from-community-settings' };
const URL_TOKEN = 'url-t0k3n-5ecret';
const TILDA_API_KEY = 'user-api-key-value';
const APP_SECRET = 'app-secret-0123';
const VERIFY_TOKEN = 'verify-token-42';
const ACCESS_TOKEN = 'EAAG-page-token-secret';

/**
 * Builds a POST the way n8n hands it to a trigger: JSON parsed with `JSON.parse` (so 17-digit
 * numbers are rounded), urlencoded bodies parsed with `node:querystring` (so bracket keys such as
 * `contact[name]` stay flat), and the exact bytes in `rawBody`.
 */
function postRequest(text: string, contentType: string, extra: Partial<WebhookRequest> = {}): WebhookRequest {
	const body = contentType.includes('urlencoded') ? { ...parseQueryString(text) } : JSON.parse(text);
	return {
		webhookName: 'default',
		method: 'POST',
		body,
		rawBody: Buffer.from(text, 'utf8'),
		...extra,
		headers: { 'content-type': contentType, ...extra.headers },
	};
}

function sampleRequest(fileName: string, extra: Partial<WebhookRequest> = {}): WebhookRequest {
	const sample = loadSample(fileName);
	return postRequest(sample.body, sample.contentType, extra);
}

/** Builds a GET on the trigger's `setup` webhook, which n8n passes with an empty body and the parsed query string. */
function getRequest(query: Record<string, unknown>): WebhookRequest {
	return { webhookName: 'setup', method: 'GET', body: {}, rawBody: Buffer.alloc(0), headers: {}, query };
}

/** Reads the query string of generic-5, whose sample is an HTTP request line. */
function genericGetQuery(): Record<string, unknown> {
	const requestLine = loadSample('generic-5.txt').body;
	return { ...parseQueryString(requestLine.split(' ')[1].split('?')[1]) };
}

async function receive(parameters: Record<string, unknown>, request: WebhookRequest, options: WebhookHarnessOptions = {}) {
	const harness = createWebhookContext(parameters, request, options);
	const result = await trigger.webhook.call(harness.context);
	const items = (result.workflowData?.[0] ?? []).map((item) => item.json as IDataObject);
	return { ...harness, result, items };
}

/** Resolves once `condition` holds, checking every 10 ms; rejects after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`The condition did not hold within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** Everything a user or a log reader could see after a request, as one string to search for secrets. */
function visibleText(run: Awaited<ReturnType<typeof receive>>): string {
	return JSON.stringify({ body: run.response.body, logs: run.logs, items: run.items });
}

interface SampleCase {
	label: string;
	sample: ExpectedLeadSample;
	parameters: Record<string, unknown>;
	request: () => WebhookRequest;
	options: WebhookHarnessOptions;
}

describe('WEEEK Lead Trigger: samples from push sources', () => {
	const vkOptions: WebhookHarnessOptions = { credentials: { weeekVkCallbackApi: VK_CREDENTIALS } };
	const cases: SampleCase[] = [
		{ label: 'Tilda urlencoded form', sample: 'tilda-1', parameters: { source: 'tilda' }, request: () => sampleRequest('tilda-1.txt'), options: {} },
		{ label: 'Tilda JSON with an API key field', sample: 'tilda-5', parameters: { source: 'tilda' }, request: () => sampleRequest('tilda-5.json'), options: {} },
		{ label: 'Tilda redelivery on its own', sample: 'tilda-6', parameters: { source: 'tilda' }, request: () => sampleRequest('tilda-6.txt'), options: {} },
		{ label: 'generic flat JSON', sample: 'generic-1', parameters: { source: 'generic' }, request: () => sampleRequest('generic-1.json'), options: {} },
		{ label: 'generic nested JSON', sample: 'generic-2', parameters: { source: 'generic' }, request: () => sampleRequest('generic-2.json'), options: {} },
		{ label: 'generic urlencoded bracket keys', sample: 'generic-3', parameters: { source: 'generic' }, request: () => sampleRequest('generic-3.txt'), options: {} },
		{ label: 'generic GET query on the setup webhook', sample: 'generic-5', parameters: { source: 'generic' }, request: () => getRequest(genericGetQuery()), options: {} },
		{ label: 'PlatformaLP urlencoded form', sample: 'platformalp-1', parameters: { source: 'platformalp' }, request: () => sampleRequest('platformalp-1.txt'), options: {} },
		{ label: 'PlatformaLP JSON with a fields list', sample: 'platformalp-2', parameters: { source: 'platformalp' }, request: () => sampleRequest('platformalp-2.json'), options: {} },
		{ label: 'VK lead_forms_new', sample: 'vk-1', parameters: { source: 'vk' }, request: () => sampleRequest('vk-1.json'), options: vkOptions },
		{
			label: 'VK redelivery on its own',
			sample: 'vk-4',
			parameters: { source: 'vk' },
			request: () => sampleRequest('vk-4.json', { headers: { 'x-retry-counter': '1' } }),
			options: vkOptions,
		},
	];

	beforeEach(() => {
		// The PlatformaLP dedup key contains the 10-minute window of the receive time.
		jest.spyOn(Date, 'now').mockReturnValue(RECEIVED_AT);
	});

	afterEach(() => {
		jest.restoreAllMocks();
	});

	it.each(cases)('emits the expected lead for $label ($sample)', async ({ sample, parameters, request, options }) => {
		const run = await receive(parameters, request(), options);

		expect(run.response.statusCode).toBe(200);
		expect(run.response.body).toBe('ok');
		expect(run.items).toHaveLength(1);
		expectLead(run.items[0], EXPECTED_LEADS[sample]);
		expect(run.items[0].receivedAt).toBe('2024-05-14T09:22:00.000Z');
	});
});

describe('WEEEK Lead Trigger: Tilda', () => {
	it('answers the test=test ping with 200 ok and emits nothing', async () => {
		const run = await receive({ source: 'tilda' }, sampleRequest('tilda-2.txt'));

		expect(run.response.statusCode).toBe(200);
		expect(run.response.body).toBe('ok');
		expect(run.result.workflowData).toBeUndefined();
	});

	it('emits a redelivered lead only once', async () => {
		const staticData: IDataObject = {};
		const first = await receive({ source: 'tilda' }, sampleRequest('tilda-1.txt'), { staticData });
		const again = await receive({ source: 'tilda' }, sampleRequest('tilda-6.txt'), { staticData });

		expect(first.items).toHaveLength(1);
		expect(again.response.statusCode).toBe(200);
		expect(again.response.body).toBe('ok');
		expect(again.result.workflowData).toBeUndefined();
	});

	it('drops the API key field from the emitted lead', async () => {
		const run = await receive({ source: 'tilda' }, sampleRequest('tilda-5.json'));

		expect(JSON.stringify(run.items)).not.toContain(TILDA_API_KEY);
	});

	describe('URL token credential', () => {
		const parameters = { source: 'tilda', checkSecret: true };
		const options: WebhookHarnessOptions = { credentials: { weeekWebhookSecretApi: { secret: URL_TOKEN, location: 'urlToken' } } };

		it('accepts the right token', async () => {
			const run = await receive(parameters, sampleRequest('tilda-1.txt', { query: { token: URL_TOKEN } }), options);

			expect(run.response.statusCode).toBe(200);
			expect(run.items).toHaveLength(1);
			expect(run.items[0].dedupKey).toBe('tilda:1234567:8901234567');
			expect(visibleText(run)).not.toContain(URL_TOKEN);
		});

		it.each([
			['a wrong token', { token: 'guessed-token' }],
			['no token', {}],
		])('rejects %s with 403 and emits nothing', async (_label, query) => {
			const run = await receive(parameters, sampleRequest('tilda-1.txt', { query }), options);

			expect(run.response.statusCode).toBe(403);
			expect(run.result.workflowData).toBeUndefined();
			expect(visibleText(run)).not.toContain(URL_TOKEN);
			expect(visibleText(run)).not.toContain('guessed-token');
			expect(run.logs.some((line) => line.level === 'warn')).toBe(true);
		});
	});

	describe('API key credential', () => {
		const parameters = { source: 'tilda', checkSecret: true };
		const withKey = (secret: string): WebhookHarnessOptions => ({ credentials: { weeekWebhookSecretApi: { secret, location: 'apiKey' } } });

		it('accepts the right key in the body', async () => {
			const run = await receive(parameters, sampleRequest('tilda-5.json'), withKey(TILDA_API_KEY));

			expect(run.response.statusCode).toBe(200);
			expect(run.items).toHaveLength(1);
			expectLead(run.items[0], EXPECTED_LEADS['tilda-5']);
			expect(visibleText(run)).not.toContain(TILDA_API_KEY);
		});

		it('accepts the right key in the X-API-Key header', async () => {
			const run = await receive(parameters, sampleRequest('tilda-1.txt', { headers: { 'X-API-Key': 'header-key-77' } }), withKey('header-key-77'));

			expect(run.response.statusCode).toBe(200);
			expect(run.items).toHaveLength(1);
		});

		it('rejects a wrong key with 403 without showing either key', async () => {
			const run = await receive(parameters, sampleRequest('tilda-5.json'), withKey('configured-key-1234'));

			expect(run.response.statusCode).toBe(403);
			expect(run.result.workflowData).toBeUndefined();
			expect(visibleText(run)).not.toContain('configured-key-1234');
			expect(visibleText(run)).not.toContain(TILDA_API_KEY);
		});

		it('rejects a request without a key with 403', async () => {
			const run = await receive(parameters, sampleRequest('tilda-1.txt'), withKey('configured-key-1234'));

			expect(run.response.statusCode).toBe(403);
			expect(run.result.workflowData).toBeUndefined();
			expect(visibleText(run)).not.toContain('configured-key-1234');
		});
	});
});

describe('WEEEK Lead Trigger: generic webhook', () => {
	it('reads a GET query string on the setup webhook', async () => {
		const run = await receive({ source: 'generic' }, getRequest(genericGetQuery()));

		expect(run.response.statusCode).toBe(200);
		expect(run.items).toHaveLength(1);
		expect(run.items[0].sourceLeadId).toBe('x-778');
		expect(run.items[0].phones).toEqual(['+79990001234']);
	});

	it('reads urlencoded bracket keys as nested fields', async () => {
		const run = await receive({ source: 'generic' }, sampleRequest('generic-3.txt'));

		expect(run.items).toHaveLength(1);
		expect(run.items[0].name).toBe('Алексей');
		expect(run.items[0].phones).toEqual(['+79990001122', '+79990003344']);
		expect(run.items[0].answers).toEqual([{ key: 'Тип объекта', value: ['Квартира', 'Новостройка'] }]);
	});

	it('uses the Field Paths and Lead ID Field options', async () => {
		const parameters = {
			source: 'generic',
			idPath: 'tracking.referrer',
			fieldPaths: { phone: 'contact.phones[1]', comment: 'answers["Площадь, м²"]' },
		};
		const run = await receive(parameters, sampleRequest('generic-2.json'));

		expect(run.items).toHaveLength(1);
		const lead = run.items[0];
		expect(lead.phones).toEqual(['+79990003344']);
		expect(lead.comment).toBe('54');
		expect(lead.sourceLeadId).toBe('https://t.me/');
		expect(lead.dedupKey).toBe('generic:https://t.me/');
		expect(lead.answers).toEqual(
			expect.arrayContaining([{ key: 'contact.phones', value: ['8 (999) 000-11-22', '+7 999 000 33 44'] }]),
		);
		expect(lead.answers).not.toEqual(expect.arrayContaining([expect.objectContaining({ key: 'Площадь, м²' })]));
	});

	it('rejects a request without the shared secret with 403', async () => {
		const run = await receive({ source: 'generic', checkSecret: true }, sampleRequest('generic-1.json'), {
			credentials: { weeekWebhookSecretApi: { secret: 'generic-secret-9', location: 'apiKey' } },
		});

		expect(run.response.statusCode).toBe(403);
		expect(run.result.workflowData).toBeUndefined();
		expect(visibleText(run)).not.toContain('generic-secret-9');
	});

	it('accepts the shared secret in the X-Webhook-Secret header', async () => {
		const run = await receive(
			{ source: 'generic', checkSecret: true },
			sampleRequest('generic-1.json', { headers: { 'X-Webhook-Secret': 'generic-secret-9' } }),
			{ credentials: { weeekWebhookSecretApi: { secret: 'generic-secret-9', location: 'apiKey' } } },
		);

		expect(run.response.statusCode).toBe(200);
		expect(run.items).toHaveLength(1);
		expect(visibleText(run)).not.toContain('generic-secret-9');
	});
});

describe('WEEEK Lead Trigger: PlatformaLP', () => {
	it.each([
		['platformalp-1.txt', [{ key: 'Ваш вопрос', value: 'Есть ли рассрочка?' }]],
		['platformalp-2.json', [{ key: 'Тариф', value: ['Базовый', 'С проверкой ДЗ'] }]],
	])('keeps unknown fields of %s as answers', async (fileName, answers) => {
		const run = await receive({ source: 'platformalp' }, sampleRequest(fileName));

		expect(run.items).toHaveLength(1);
		expect(run.items[0].answers).toEqual(answers);
	});
});

describe('WEEEK Lead Trigger: VK', () => {
	const options: WebhookHarnessOptions = { credentials: { weeekVkCallbackApi: VK_CREDENTIALS } };

	it('answers the confirmation request with exactly the confirmation string', async () => {
		const run = await receive({ source: 'vk' }, sampleRequest('vk-2.json'), options);

		expect(run.response.statusCode).toBe(200);
		expect(run.response.body).toBe('a1b2c3d4');
		expect(run.result.workflowData).toBeUndefined();
	});

	it('rejects a wrong secret with 403 and emits nothing', async () => {
		const run = await receive({ source: 'vk' }, sampleRequest('vk-1.json'), {
			credentials: { weeekVkCallbackApi: { confirmationCode: 'a1b2c3d4', secret: 'configured-vk-secret' } },
		});

		expect(run.response.statusCode).toBe(403);
		expect(run.response.body).not.toBe('ok');
		expect(run.result.workflowData).toBeUndefined();
		expect(visibleText(run)).not.toContain('configured-vk-secret');
		expect(visibleText(run)).not.toContain(VK_CREDENTIALS.secret);
	});

	it('answers another event type with exactly ok and emits nothing', async () => {
		const body = JSON.stringify({ type: 'message_new', group_id: 218765432, event_id: 'e-1', v: '5.199', object: {}, secret: VK_CREDENTIALS.secret });
		const run = await receive({ source: 'vk' }, postRequest(body, 'application/json'), options);

		expect(run.response.statusCode).toBe(200);
		expect(run.response.body).toBe('ok');
		expect(run.result.workflowData).toBeUndefined();
	});

	it('emits a redelivered lead only once', async () => {
		const staticData: IDataObject = {};
		const first = await receive({ source: 'vk' }, sampleRequest('vk-1.json'), { ...options, staticData });
		const again = await receive({ source: 'vk' }, sampleRequest('vk-4.json', { headers: { 'x-retry-counter': '1' } }), { ...options, staticData });

		expect(first.items).toHaveLength(1);
		expect(again.response.statusCode).toBe(200);
		expect(again.response.body).toBe('ok');
		expect(again.result.workflowData).toBeUndefined();
	});

	it('keeps the VK secret out of the emitted lead', async () => {
		const run = await receive({ source: 'vk' }, sampleRequest('vk-1.json'), options);

		expect(JSON.stringify(run.items)).not.toContain(VK_CREDENTIALS.secret);
	});
});

describe('WEEEK Lead Trigger: Facebook Lead Ads', () => {
	const graphLead = JSON.parse(loadSample('facebook-2.json').body) as Record<string, unknown>;
	const { ad_id: _adId, ad_name: _adName, adset_id: _adsetId, adset_name: _adsetName, campaign_id: _campaignId, campaign_name: _campaignName, ...organicLead } = graphLead;

	/** A notification from before Meta sent ids as strings: the 17-digit leadgen_id is a JSON number. */
	const LEGACY_NUMERIC_IDS =
		'{"object":"page","entry":[{"id":104851234567890,"time":1715678498,"changes":[{"field":"leadgen","value":{"ad_id":120208765432100123,"form_id":987654321098765,"leadgen_id":12345678901234567,"created_time":1715678497,"page_id":104851234567890,"adgroup_id":120208765432100456}}]}]}';

	let graph: FakeGraph;

	beforeAll(async () => {
		graph = await startFakeGraph({
			leads: {
				'1234567890123456': graphLead,
				'1234567890124001': { ...organicLead, id: '1234567890124001', is_organic: true },
				'1234567890124002': { ...graphLead, id: '1234567890124002', form_id: '555555555555555' },
				'12345678901234567': { ...graphLead, id: '12345678901234567' },
			},
			forms: { '987654321098765': FACEBOOK_FORM_NAME, '555555555555555': 'Autumn form' },
			pages: { '104851234567890': FACEBOOK_PAGE_NAME },
			accessToken: ACCESS_TOKEN,
		});
	});

	afterAll(async () => {
		await graph.close();
	});

	beforeEach(() => {
		graph.requests.length = 0;
		graph.failNext(0);
	});

	function facebookOptions(extra: { accessToken?: string; staticData?: IDataObject } = {}): WebhookHarnessOptions {
		return {
			credentials: {
				weeekFacebookLeadAdsApi: {
					appSecret: APP_SECRET,
					verifyToken: VERIFY_TOKEN,
					accessToken: extra.accessToken ?? ACCESS_TOKEN,
					graphBaseUrl: graph.baseUrl,
				},
			},
			staticData: extra.staticData,
		};
	}

	function signedRequest(text: string, secret = APP_SECRET): WebhookRequest {
		const signature = `sha256=${createHmac('sha256', secret).update(Buffer.from(text, 'utf8')).digest('hex')}`;
		return postRequest(text, 'application/json', { headers: { 'x-hub-signature-256': signature } });
	}

	const leadRequests = (leadgenId: string) => graph.requests.filter((request) => request.path === `/v21.0/${leadgenId}`);

	it('answers the verification GET with the challenge', async () => {
		const query = { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' };
		const run = await receive({ source: 'facebook' }, getRequest(query), facebookOptions());

		expect(run.response.statusCode).toBe(200);
		expect(run.response.body).toBe('1158201444');
		expect(run.result.workflowData).toBeUndefined();
		expect(graph.requests).toHaveLength(0);
	});

	it('rejects a verification GET with a wrong token with 403', async () => {
		const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'not-the-token', 'hub.challenge': '1158201444' };
		const run = await receive({ source: 'facebook' }, getRequest(query), facebookOptions());

		expect(run.response.statusCode).toBe(403);
		expect(run.response.body).not.toContain('1158201444');
		expect(visibleText(run)).not.toContain(VERIFY_TOKEN);
		expect(run.result.workflowData).toBeUndefined();
	});

	it('fetches a signed notification’s lead from the Graph API', async () => {
		const run = await receive({ source: 'facebook' }, signedRequest(loadSample('facebook-1.json').body), facebookOptions());

		expect(run.response.statusCode).toBe(200);
		expect(run.response.body).toBe('ok');
		expect(run.items).toHaveLength(1);
		const lead = run.items[0];
		expectLead(lead, EXPECTED_LEADS['facebook-1+2']);
		expect(lead.error).toBeUndefined();
		expect(lead.ad).toEqual({ id: '120208765432100123', name: 'Spring promo | video 15s' });
		expect(lead.adGroup).toEqual({ id: '120208765432100456', name: 'Moscow 25-45 interests' });
		expect(lead.campaign).toEqual({ id: '120208765432100789', name: 'Leads | Spring 2024' });
		expect(lead.form).toEqual({ id: '987654321098765', name: 'Spring form' });
		expect(lead.page).toEqual({ id: '104851234567890', name: 'Kitchen Studio' });
		expect(lead.name).toBe('Ivan Testov');
		expect(lead.phones).toEqual(['+79990001234']);
		expect(lead.createdAt).toBe('2024-05-14T09:21:37.000Z');

		const [leadRequest] = leadRequests('1234567890123456');
		expect(leadRequest.query.access_token).toBe(ACCESS_TOKEN_MARKER);
		expect(leadRequest.query.fields.split(',')).toEqual(expect.arrayContaining(['field_data', 'campaign_id', 'campaign_name', 'adset_name']));
		expect(graph.requests.map((request) => request.path).sort()).toEqual(['/v21.0/104851234567890', '/v21.0/1234567890123456', '/v21.0/987654321098765']);
	});

	it.each([
		['a signature made with another secret', (text: string) => signedRequest(text, 'other-app-secret')],
		['no signature header', (text: string) => postRequest(text, 'application/json')],
		['a signature of re-serialized JSON', (text: string) => ({ ...signedRequest(JSON.stringify(JSON.parse(text))), rawBody: Buffer.from(text, 'utf8') })],
	])('rejects a notification with %s with 403 and calls no Graph API', async (_label, build) => {
		const run = await receive({ source: 'facebook' }, build(loadSample('facebook-1.json').body), facebookOptions());

		expect(run.response.statusCode).toBe(403);
		expect(run.result.workflowData).toBeUndefined();
		expect(graph.requests).toHaveLength(0);
		expect(visibleText(run)).not.toContain(APP_SECRET);
	});

	it('replies ok before fetching the lead', async () => {
		// One failure keeps the fetch pending for the 1 s retry delay, long enough to look at the reply.
		graph.failNext(1, 500);
		const harness = createWebhookContext({ source: 'facebook' }, signedRequest(loadSample('facebook-1.json').body), facebookOptions());
		const pending = trigger.webhook.call(harness.context);

		await waitFor(() => graph.requests.length > 0);
		expect(harness.response.statusCode).toBe(200);
		expect(harness.response.body).toBe('ok');

		const result = await pending;
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	it('emits a leadgen id redelivered inside one batch once', async () => {
		const run = await receive({ source: 'facebook' }, signedRequest(loadSample('facebook-4.json').body), facebookOptions());

		expect(run.response.body).toBe('ok');
		expect(run.items.map((item) => item.sourceLeadId)).toEqual(['1234567890124001', '1234567890124002']);
		expect(run.items.map((item) => (item.form as IDataObject).name)).toEqual(['Spring form', 'Autumn form']);
		expect(run.items[0].ad).toBeUndefined();
		expect(run.items[0].isOrganic).toBe(true);
		expect(run.items.every((item) => item.error === undefined)).toBe(true);
	});

	it('retries a failing Graph API and emits the lead', async () => {
		graph.failNext(2, 500);
		const run = await receive({ source: 'facebook' }, signedRequest(loadSample('facebook-1.json').body), facebookOptions());

		expect(leadRequests('1234567890123456')).toHaveLength(3);
		expect(run.items).toHaveLength(1);
		expect(run.items[0].error).toBeUndefined();
		expectLead(run.items[0], EXPECTED_LEADS['facebook-1+2']);
		expect(run.logs.filter((line) => line.level === 'warn' && line.message.includes('retrying'))).toHaveLength(2);
	});

	it('emits the ids and the error when the Graph API keeps failing', async () => {
		graph.failNext(Infinity, 500);
		const run = await receive({ source: 'facebook' }, signedRequest(loadSample('facebook-1.json').body), facebookOptions());

		expect(run.response.body).toBe('ok');
		expect(leadRequests('1234567890123456')).toHaveLength(3);
		expect(run.items).toHaveLength(1);
		const stub = run.items[0];
		expect(typeof stub.error).toBe('string');
		expect(stub.source).toBe('facebook');
		expect(stub.sourceLeadId).toBe('1234567890123456');
		expect(stub.dedupKey).toBe('fb:1234567890123456');
		expect(stub.createdAt).toBe('2024-05-14T09:21:37.000Z');
		expect(stub.ad).toEqual({ id: '120208765432100123' });
		expect(stub.adGroup).toEqual({ id: '120208765432100456' });
		expect(stub.form).toEqual({ id: '987654321098765' });
		expect(stub.page).toEqual({ id: '104851234567890' });
		expect(visibleText(run)).not.toContain(ACCESS_TOKEN);
	});

	it('fetches a lead again after a failed fetch is redelivered', async () => {
		const staticData: IDataObject = {};
		graph.failNext(Infinity, 500);
		const failed = await receive({ source: 'facebook' }, signedRequest(loadSample('facebook-1.json').body), facebookOptions({ staticData }));
		graph.failNext(0);
		const again = await receive({ source: 'facebook' }, signedRequest(loadSample('facebook-1.json').body), facebookOptions({ staticData }));

		expect(failed.items[0].error).toBeDefined();
		expect(again.items).toHaveLength(1);
		expect(again.items[0].error).toBeUndefined();
		expect(again.items[0].name).toBe('Ivan Testov');
	});

	it('emits the error without the token when the token is wrong', async () => {
		const wrongToken = 'EAAG-expired-token-value';
		const run = await receive({ source: 'facebook' }, signedRequest(loadSample('facebook-1.json').body), facebookOptions({ accessToken: wrongToken }));

		expect(run.items).toHaveLength(1);
		expect(typeof run.items[0].error).toBe('string');
		expect(run.items[0].sourceLeadId).toBe('1234567890123456');
		expect(visibleText(run)).not.toContain(wrongToken);
		expect(visibleText(run)).not.toContain(ACCESS_TOKEN);
	});

	it('keeps a 17-digit numeric leadgen_id exact', async () => {
		const run = await receive({ source: 'facebook' }, signedRequest(LEGACY_NUMERIC_IDS), facebookOptions());

		expect(run.response.statusCode).toBe(200);
		expect(leadRequests('12345678901234567')).toHaveLength(1);
		expect(run.items).toHaveLength(1);
		expect(run.items[0].error).toBeUndefined();
		expect(run.items[0].sourceLeadId).toBe('12345678901234567');
		expect(run.items[0].dedupKey).toBe('fb:12345678901234567');
	});

	it('keeps a 17-digit numeric leadgen_id exact in raw.body', async () => {
		const run = await receive({ source: 'facebook' }, signedRequest(LEGACY_NUMERIC_IDS), facebookOptions());

		// JSON.parse rounds 12345678901234567 to 12345678901234568; the item must not carry the rounded id.
		expect(JSON.stringify(run.items[0].raw)).not.toContain('12345678901234568');
	});
});

describe('WEEEK Lead Trigger: package registration', () => {
	it('lists every trigger credential in package.json', () => {
		const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { n8n: { credentials: string[] } };
		const registered = packageJson.n8n.credentials.map((path) => /([^/]+)\.credentials\.js$/.exec(path)?.[1]);
		const needed = (trigger.description.credentials ?? []).map((credential: INodeCredentialDescription) => credential.name);

		for (const name of needed) {
			expect(registered).toContain(name.charAt(0).toUpperCase() + name.slice(1));
		}
	});
});

describe('WEEEK Lead Trigger: body size', () => {
	it('answers 413 to a body over 1 MiB and starts nothing', async () => {
		const body = { name: 'x'.repeat(1024 * 1024 + 10) };
		const raw = Buffer.from(JSON.stringify(body));
		const { context, response } = createWebhookContext({ source: 'generic' }, { body, rawBody: raw, headers: { 'content-type': 'application/json' } });

		const result = await new WeeekLeadTrigger().webhook.call(context);

		expect(response.statusCode).toBe(413);
		expect(result.workflowData).toBeUndefined();
	});
});
