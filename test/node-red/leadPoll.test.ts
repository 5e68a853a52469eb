/**
 * `weeek-lead-poll` in a real Node-RED runtime (the test helper) against a loopback fake of the
 * myTarget lead-ads API: the first poll, leads the overlap brings back, paging, failures and
 * recovery. The first poll starts on deploy; later polls are asked for with an input message.
 */
import { formatMoscowTime, startFakeMyTarget, type FakeMyTarget, type MyTargetLeadItem } from '../fakes/mytarget';
import { loadSample } from '../fixtures/samples';
import { builtNodes, catalogueCalls, everythingReported, helper, statusesOf, waitFor, type TestNode } from './support';

const ACCESS_TOKEN = 'mt-access-token-0a9b8c';
const SHARED = '@weeek-leads/node-red-weeek/weeek-config:';
const MINUTE = 60_000;

let mytarget: FakeMyTarget;

/** The two leads of mytarget-1, as they look in the API. */
const [IVAN, ANNA] = (JSON.parse(loadSample('mytarget-1.json').body) as { items: MyTargetLeadItem[] }).items;

beforeEach(async () => {
	mytarget = await startFakeMyTarget({ accessToken: ACCESS_TOKEN });
});

afterEach(async () => {
	await helper.unload();
	await mytarget.close();
});

function minutesAgo(minutes: number): string {
	return formatMoscowTime(Date.now() - minutes * MINUTE);
}

async function loadPoll(properties: Record<string, unknown> = {}, token = ACCESS_TOKEN): Promise<void> {
	const flow = [
		{ id: 'tab', type: 'tab', label: 'poll' },
		{ id: 'src', type: 'weeek-lead-source', name: 'myTarget', kind: 'mytarget', secretLocation: 'none', mytargetBaseUrl: mytarget.baseUrl },
		...[
			{ id: 'poll', type: 'weeek-lead-poll', source: 'src', formIds: '', interval: 5, lookbackHours: 1, ...properties, wires: [['out']] },
			{ id: 'out', type: 'helper' },
			{ id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', type: 'helper' },
		].map((node) => ({ z: 'tab', x: 100, y: 100, ...node })),
	];
	await helper.load(builtNodes(), flow, { src: { mytargetToken: token } });
}

function collect(node: TestNode): Array<Record<string, unknown>> {
	const messages: Array<Record<string, unknown>> = [];
	node.on('input', (msg) => messages.push(msg));
	return messages;
}

type LeadPayload = { source: string; sourceLeadId: string; dedupKey: string; name?: string; phones: string[]; emails: string[]; form?: { id?: string; name?: string } };

const payloads = (messages: Array<Record<string, unknown>>) => messages.map((msg) => msg.payload as LeadPayload);

/** Resolves when the poll node has shown a final status (green or red) `count` times. */
async function pollsFinished(count: number): Promise<void> {
	await waitFor(`${count} poll(s) finish`, () => statusesOf(helper.getNode('poll')).filter((status) => status.fill !== 'blue').length >= count, 8_000);
}

describe('weeek-lead-poll', () => {
	it('emits the leads of the first poll, oldest first', async () => {
		mytarget.addLead(7001, { ...IVAN, created_time: minutesAgo(30) });
		mytarget.addLead(7001, { ...ANNA, created_time: minutesAgo(10) });
		mytarget.addLead(7001, { ...IVAN, id: 55000001, created_time: minutesAgo(180) });
		await loadPoll();
		const messages = collect(helper.getNode('out'));

		await pollsFinished(1);

		const leads = payloads(messages);
		expect(leads.map((lead) => lead.dedupKey)).toEqual(['mt:7001:55012345', 'mt:7001:55012346']);
		expect(leads[0]).toMatchObject({ source: 'mytarget', sourceLeadId: '55012345', name: 'Иван Тестов', phones: ['+79990001234'], emails: ['ivan.testov@example.ru'] });
		expect(leads[0].form).toEqual({ id: '7001', name: 'Тест-драйв' });
		expect(leads[1].phones).toEqual(['+79990009876']);
		expect(messages.every((msg) => msg.topic === 'mytarget')).toBe(true);
		expect(statusesOf(helper.getNode('poll')).pop()).toEqual({ fill: 'green', shape: 'dot', text: 'weeek-lead-poll.status.newLeads' });
	});

	it('polls only the listed forms', async () => {
		mytarget.addLead(7001, { ...IVAN, created_time: minutesAgo(5) });
		mytarget.addLead(7002, { ...ANNA, form_id: 7002, created_time: minutesAgo(5) });
		await loadPoll({ formIds: '7002' });
		const messages = collect(helper.getNode('out'));

		await pollsFinished(1);

		expect(payloads(messages).map((lead) => lead.dedupKey)).toEqual(['mt:7002:55012346']);
		expect(mytarget.requests.map((entry) => entry.path)).toEqual(['/api/v2/ok/lead_ads/7002.json']);
	});

	it('drops the leads that the overlap of the next poll brings back', async () => {
		mytarget.addLead(7001, { ...IVAN, created_time: minutesAgo(2) });
		await loadPoll({ formIds: '' });
		const messages = collect(helper.getNode('out'));
		await pollsFinished(1);

		mytarget.addLead(7001, { ...ANNA, created_time: minutesAgo(0) });
		helper.getNode('poll').receive({ payload: 'poll now' });
		await pollsFinished(2);

		expect(payloads(messages).map((lead) => lead.sourceLeadId)).toEqual(['55012345', '55012346']);
		// The second poll asked for a window reaching back before the first lead, so the API returned it again.
		const leadLists = mytarget.requests.filter((entry) => entry.path === '/api/v2/ok/lead_ads/7001.json');
		expect(leadLists).toHaveLength(2);
		expect(leadLists[1].query._created_time__gte <= minutesAgo(2)).toBe(true);
		expect(mytarget.requests.some((entry) => entry.path === '/api/v2/ok/lead_ads/forms.json')).toBe(true);
	});

	it('sends nothing and says so when a poll finds no new leads', async () => {
		mytarget.addLead(7001, { ...IVAN, created_time: minutesAgo(2) });
		await loadPoll({ formIds: '7001' });
		const messages = collect(helper.getNode('out'));
		await pollsFinished(1);

		helper.getNode('poll').receive({});
		await pollsFinished(2);

		expect(messages).toHaveLength(1);
		expect(statusesOf(helper.getNode('poll')).pop()).toEqual({ fill: 'green', shape: 'ring', text: 'weeek-lead-poll.status.noNewLeads' });
	});

	it('reads every page of a long list once', async () => {
		for (let index = 0; index < 60; index++) {
			mytarget.addLead(7001, { ...IVAN, id: 56000000 + index, user_phone: `+7999100${String(index).padStart(4, '0')}`, created_time: minutesAgo(30) });
		}
		await loadPoll({ formIds: '7001' });
		const messages = collect(helper.getNode('out'));

		await pollsFinished(1);

		const ids = payloads(messages).map((lead) => lead.sourceLeadId);
		expect(ids).toHaveLength(60);
		expect(new Set(ids).size).toBe(60);
		const offsets = mytarget.requests.filter((entry) => entry.path === '/api/v2/ok/lead_ads/7001.json').map((entry) => entry.query.offset);
		expect(offsets).toEqual(['0', '50']);
	});

	it('retries a failed poll next time', async () => {
		mytarget.addLead(7001, { ...IVAN, created_time: minutesAgo(20) });
		mytarget.failNext(1, 503);
		await loadPoll({ formIds: '7001' });
		const messages = collect(helper.getNode('out'));
		const caught = collect(helper.getNode('caught'));
		await pollsFinished(1);

		expect(messages).toHaveLength(0);
		expect(caught).toHaveLength(1);
		const failure = caught[0] as { error: { code?: string; message: string; source: { id: string } }; payload: { formIds: string[] } };
		expect(failure.error.source.id).toBe('poll');
		expect(failure.error.code).toBe('myTargetRequestFailed');
		expect(failure.error.message).toContain('503');
		expect(failure.payload.formIds).toEqual(['7001']);
		expect(statusesOf(helper.getNode('poll')).pop()).toEqual({ fill: 'red', shape: 'ring', text: `${SHARED}status.failed.source` });

		helper.getNode('poll').receive({});
		await pollsFinished(2);

		expect(payloads(messages).map((lead) => lead.sourceLeadId)).toEqual(['55012345']);
		expect(statusesOf(helper.getNode('poll')).pop()).toMatchObject({ fill: 'green' });
	});

	it('names a rejected token without showing it', async () => {
		const wrongToken = 'mt-wrong-token-55aa';
		await loadPoll({ formIds: '7001' }, wrongToken);
		const caught = collect(helper.getNode('caught'));
		await pollsFinished(1);

		const failure = caught[0] as { error: { code?: string } };
		expect(failure.error.code).toBe('myTargetUnauthorized');
		expect(JSON.stringify(caught)).not.toContain(wrongToken);
		expect(everythingReported(helper.getNode('poll'))).not.toContain(wrongToken);
	});

	it('rejects a lead source of another kind', async () => {
		const flow = [
			{ id: 'tab', type: 'tab', label: 'poll' },
			{ id: 'src', type: 'weeek-lead-source', name: 'VK forms', kind: 'vk', secretLocation: 'none' },
			...[
				{ id: 'poll', type: 'weeek-lead-poll', source: 'src', formIds: '', interval: 5, lookbackHours: 0, wires: [[]] },
				{ id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
				{ id: 'caught', type: 'helper' },
			].map((node) => ({ z: 'tab', x: 100, y: 100, ...node })),
		];
		await helper.load(builtNodes(), flow, {});
		const caught = collect(helper.getNode('caught'));
		await pollsFinished(1);

		expect((caught[0] as { error: { code?: string } }).error.code).toBe('wrongLeadSourceKind');
		expect(mytarget.requests).toHaveLength(0);
	});

	it('polls at most once a minute', async () => {
		await loadPoll({ formIds: '7001', interval: 0.1 });
		await pollsFinished(1);

		expect(catalogueCalls('weeek-lead-poll.warn.intervalBelowMinimum').map((call) => call.params)).toEqual([{ value: 0.1, minimum: 1 }]);
		expect(helper.getNode('poll').warn.getCalls().map((call) => call.args[0])).toContain('weeek-lead-poll.warn.intervalBelowMinimum');
	});
});
