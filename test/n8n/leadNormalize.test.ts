import type { IDataObject } from 'n8n-workflow';
import { Weeek } from '../../nodes/Weeek/Weeek.node';
import { loadSample, parseFormBody } from '../fixtures/samples';
import { createExecuteContext } from './harness';

const node = new Weeek();
const noCredentials = { apiToken: '', baseUrl: 'http://127.0.0.1:9/public/v1' };

async function normalize(parameters: Record<string, unknown>, json: Record<string, unknown>) {
	const { context, harness } = createExecuteContext({
		parameters: { resource: 'lead', operation: 'normalize', ...parameters },
		items: [{ json: json as IDataObject }],
		credentials: noCredentials,
	});
	const [output] = await node.execute.call(context);
	return { output, harness };
}

describe('WEEEK node: Lead → Normalize', () => {
	it('reads a Tilda form from n8n Webhook output', async () => {
		const sample = loadSample('tilda-1.txt');
		const { output, harness } = await normalize(
			{ source: 'tilda' },
			{ headers: { 'content-type': sample.contentType }, params: {}, query: {}, body: parseFormBody(sample.body) },
		);

		const lead = output[0].json;
		expect(lead.source).toBe('tilda');
		expect(lead.dedupKey).toBe('tilda:1234567:8901234567');
		expect(lead.phones).toEqual(['+79990001234']);
		expect(lead.emails).toEqual(['ivan.testov@example.ru']);
		expect(lead.utm).toMatchObject({ source: 'yandex', campaign: 'kitchen_spring' });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(harness.requests).toHaveLength(0);
	});

	it('reads a Facebook Graph lead item', async () => {
		const { output } = await normalize({ source: 'facebook' }, JSON.parse(loadSample('facebook-2.json').body));

		const lead = output[0].json;
		expect(lead.dedupKey).toBe('fb:1234567890123456');
		expect(lead.name).toBe('Ivan Testov');
		expect(lead.phones).toEqual(['+79990001234']);
		expect(lead.campaign).toEqual({ id: '120208765432100789', name: 'Leads | Spring 2024' });
		expect(lead.adGroup).toEqual({ id: '120208765432100456', name: 'Moscow 25-45 interests' });
		expect(lead.ad).toEqual({ id: '120208765432100123', name: 'Spring promo | video 15s' });
	});

	it('takes field values from expressions for generic leads', async () => {
		const { output } = await normalize(
			{ source: 'generic', idPath: 'ref', fieldValues: { phone: '8 (999) 111-22-33', name: 'Пётр Иванов' } },
			{ ref: 'crm-77', tel: 'ignored', note: 'Позвонить утром' },
		);

		const lead = output[0].json;
		expect(lead.dedupKey).toBe('generic:crm-77');
		expect(lead.phones).toEqual(['+79991112233']);
		expect(lead.firstName).toBe('Пётр');
		expect(lead.lastName).toBe('Иванов');
	});

	it('reports an empty input item', async () => {
		await expect(normalize({ source: 'generic' }, {})).rejects.toThrow(/Item 0 is empty/);
	});
});
