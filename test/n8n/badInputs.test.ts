import { parse as parseQueryString } from 'node:querystring';

import type { IDataObject } from 'n8n-workflow';

import { WeeekLeadTrigger } from '../../nodes/WeeekLeadTrigger/WeeekLeadTrigger.node';
import { buildCorpus, type CorpusCase } from '../fixtures/badInputs';
import { createWebhookContext } from './harness';

const trigger = new WeeekLeadTrigger();
const corpus = buildCorpus();

/** Parses a body the way n8n's webhook body parser hands it to a node: JSON or flat form fields, else nothing. */
function hostParse(testCase: CorpusCase): unknown {
	const text = Buffer.isBuffer(testCase.body) ? testCase.body.toString('latin1') : testCase.body;
	const type = (testCase.contentType ?? '').split(';')[0];
	try {
		if (type === 'application/json') return JSON.parse(text) as unknown;
		if (type === 'application/x-www-form-urlencoded') return { ...parseQueryString(text) };
	} catch {
		// n8n keeps the raw body and passes an empty object when the body does not parse.
	}
	return {};
}

const credentials = { weeekVkCallbackApi: { confirmationCode: 'confirm-me', secret: '' } };

describe('WEEEK Lead Trigger: bad input corpus', () => {
	it('has at least 200 cases', () => {
		expect(corpus.length).toBeGreaterThanOrEqual(200);
	});

	it.each(corpus.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
		const isGet = testCase.method === 'GET';
		const { context, response } = createWebhookContext(
			{ source: testCase.source, skipRepeated: false },
			{
				webhookName: isGet ? 'setup' : 'default',
				method: testCase.method ?? 'POST',
				body: isGet ? {} : (hostParse(testCase) as IDataObject),
				rawBody: isGet ? undefined : Buffer.isBuffer(testCase.body) ? testCase.body : Buffer.from(testCase.body),
				headers: testCase.contentType ? { 'content-type': testCase.contentType } : {},
				query: testCase.query ?? {},
			},
			{ credentials },
		);

		const result = await trigger.webhook.call(context);

		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype).not.toHaveProperty('polluted');
		expect(response.statusCode).toBe(testCase.expected.status);

		const items = result.workflowData?.[0] ?? [];
		if ('lead' in testCase.expected) {
			expect(items).toHaveLength(1);
			const lead = items[0].json;
			const expected = testCase.expected.lead;
			if (expected.name !== undefined) expect(lead.name).toBe(expected.name);
			if (expected.phones !== undefined) expect(lead.phones).toEqual(expected.phones);
			if (expected.emails !== undefined) expect(lead.emails).toEqual(expected.emails);
			if (expected.dedupKey !== undefined) expect(String(lead.dedupKey)).toMatch(expected.dedupKey);
			expect(typeof lead.dedupKey).toBe('string');
		} else {
			expect(items).toHaveLength(0);
			if ('reply' in testCase.expected && testCase.expected.reply !== undefined) expect(response.body).toBe(testCase.expected.reply);
			if (testCase.expected.status >= 400) expect(String(response.body).length).toBeGreaterThan(0);
		}
	});
});
