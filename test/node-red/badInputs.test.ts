/**
 * The bad input corpus of `test/fixtures/badInputs.ts` over real HTTP in a real Node-RED runtime.
 * Every case goes with its exact bytes, method and content type to:
 * - `weeek-lead-in`, which must give exactly the outcome the corpus expects, as the n8n trigger does;
 * - `http in` with "Do not parse request body" → `weeek-lead`, which must do the same;
 * - a stock `http in` → `weeek-lead`, which must do the same except where `http in` itself responds
 *   or loses data before `weeek-lead` runs. Those cases are listed in `STOCK_HTTP_IN_OVERRIDES`.
 */
import { buildCorpus, type CorpusCase, type CorpusSource } from '../fixtures/badInputs';
import { delay, helper, HttpNodeServer, httpInNodes, builtNodes, statusesOf, waitFor, type TestNode } from './support';

const corpus = buildCorpus();
const SOURCES: CorpusSource[] = ['tilda', 'generic', 'platformalp', 'vk'];
const VK_CONFIRMATION = 'confirm-me';

const server = new HttpNodeServer();
let nodeUrl: string;

beforeAll(async () => {
	nodeUrl = await server.start();
});

afterAll(async () => {
	await server.stop();
});

afterEach(() => {
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	expect(Object.prototype).not.toHaveProperty('polluted');
});

/** An outcome of the corpus, or the error page stock `http in` sends for a body it cannot parse. */
type Expected = CorpusCase['expected'] | { status: 500; reply: 'Internal Server Error' };

interface Answer {
	status: number;
	text: string;
}

/** Sends a case as its sender would: a GET with the query, or a POST with the exact bytes and content type. */
async function send(path: string, testCase: CorpusCase): Promise<Answer> {
	if (testCase.method === 'GET') {
		const query = new URLSearchParams(Object.entries(testCase.query ?? {})).toString();
		const response = await fetch(`${nodeUrl}${path}${query === '' ? '' : `?${query}`}`);
		return { status: response.status, text: await response.text() };
	}

	const headers: Record<string, string> = {};
	if (testCase.contentType !== undefined) headers['content-type'] = testCase.contentType;
	const response = await fetch(`${nodeUrl}${path}`, { method: 'POST', headers, body: testCase.body });
	return { status: response.status, text: await response.text() };
}

function sourceConfigs(): object[] {
	return SOURCES.map((kind) => ({ id: `src-${kind}`, type: 'weeek-lead-source', name: `${kind} corpus`, kind, secretLocation: 'none' }));
}

const sourceCredentials = () => ({ 'src-vk': { vkConfirmation: VK_CONFIRMATION } });

function collect(node: TestNode): Array<Record<string, unknown>> {
	const messages: Array<Record<string, unknown>> = [];
	node.on('input', (msg) => messages.push(msg));
	return messages;
}

type Lead = { name?: string; phones?: string[]; emails?: string[]; dedupKey?: unknown };

/** Checks the emitted lead against the fields the case expects. */
function expectLeadFields(lead: Lead, expected: Extract<CorpusCase['expected'], { lead: unknown }>['lead']): void {
	if (expected.name !== undefined) expect(lead.name).toBe(expected.name);
	if (expected.phones !== undefined) expect(lead.phones).toEqual(expected.phones);
	if (expected.emails !== undefined) expect(lead.emails).toEqual(expected.emails);
	if (expected.dedupKey !== undefined) expect(String(lead.dedupKey)).toMatch(expected.dedupKey);
	expect(typeof lead.dedupKey).toBe('string');
}

function expectRefusal(answer: Answer, expected: Exclude<Expected, { lead: unknown }>): void {
	if ('reply' in expected && expected.reply !== undefined) expect(answer.text).toBe(expected.reply);
	if (expected.status >= 400) expect(answer.text.length).toBeGreaterThan(0);
	if ('messageContains' in expected && expected.messageContains !== undefined) expect(answer.text).toContain(expected.messageContains);
}

describe('weeek-lead-in: bad input corpus', () => {
	const cases = corpus.map((testCase, index) => ({ index, testCase }));

	beforeAll(async () => {
		// One node per case, so the 48-hour memory of one case cannot drop the lead of another.
		const nodes = cases.flatMap(({ index, testCase }) => [
			{ id: `in-${index}`, type: 'weeek-lead-in', source: `src-${testCase.source}`, url: `/corpus/${index}`, wires: [[`out-${index}`]] },
			{ id: `out-${index}`, type: 'helper' },
		]);
		const flow = [{ id: 'tab', type: 'tab', label: 'corpus' }, ...sourceConfigs(), ...nodes.map((node) => ({ z: 'tab', x: 100, y: 100, ...node }))];
		await helper.load([...builtNodes(), server.capture], flow, sourceCredentials());
	});

	afterAll(async () => {
		await helper.unload();
	});

	it('runs at least 200 cases', () => {
		expect(cases.length).toBeGreaterThanOrEqual(200);
	});

	it.each(cases.map(({ index, testCase }) => [testCase.name, index, testCase] as const))('%s', async (_name, index, testCase) => {
		const inNode = helper.getNode(`in-${index}`);
		const messages = collect(helper.getNode(`out-${index}`));

		const answer = await send(`/corpus/${index}`, testCase);
		// Every outcome ends with a status: lead, repeated, handshake, rejected or too large.
		await waitFor('the node shows the outcome', () => statusesOf(inNode).length > 0);

		expect(answer.status).toBe(testCase.expected.status);
		if ('lead' in testCase.expected) {
			await waitFor('the lead is emitted', () => messages.length > 0);
			expect(messages).toHaveLength(1);
			expectLeadFields(messages[0].payload as Lead, testCase.expected.lead);
		} else {
			await delay(20);
			expect(messages).toHaveLength(0);
			expectRefusal(answer, testCase.expected);
		}
	});
});

interface Override {
	/** Case names this row covers. */
	cases: RegExp;
	/** What a stock `http in` gives for them. */
	expected: Expected;
	/** Whether `weeek-lead` receives the request at all. */
	weeekLeadRuns: boolean;
	reason: string;
}

const HTTP_IN_ERROR: Expected = { status: 500, reply: 'Internal Server Error' };

/**
 * Where Node-RED 4.1's stock `http in` (body-parser 1.20) decides before `weeek-lead` runs. Its route
 * error handler responds to every body-parser error with `500 Internal Server Error` and a warning in the
 * log, so `weeek-lead` never sees these requests. WEEEK Lead In, or "Do not parse request body" on
 * `http in`, gives these senders the corpus outcome (400 or 415 with the reason, exact ids).
 */
const STOCK_HTTP_IN_OVERRIDES: Override[] = [
	{
		cases: /^(tilda|generic|platformalp|vk): invalid JSON, /,
		expected: HTTP_IN_ERROR,
		weeekLeadRuns: false,
		reason: 'body-parser rejects invalid JSON with 400, which http in turns into 500',
	},
	{
		cases: /^(tilda|generic|platformalp): (whitespace body|JSON null|JSON string|JSON number)$/,
		expected: HTTP_IN_ERROR,
		weeekLeadRuns: false,
		reason: 'body-parser in strict mode accepts only an object or array as JSON, and http in turns its 400 into 500',
	},
	{
		cases: /^(tilda|generic|platformalp): cp1251 (form|JSON bytes) with charset$/,
		expected: HTTP_IN_ERROR,
		weeekLeadRuns: false,
		reason: 'body-parser decodes only UTF-8 bodies and rejects charset=windows-1251 with 415, which http in turns into 500',
	},
	{
		cases: /^vk: 17-digit lead id$/,
		expected: { status: 200, lead: { dedupKey: /^vk:1:12345678901234568$/ } },
		weeekLeadRuns: true,
		reason: 'body-parser reads numbers with JSON.parse, which rounds integers above 2^53 before weeek-lead sees them',
	},
];

function stockOverride(testCase: CorpusCase): Override | undefined {
	return STOCK_HTTP_IN_OVERRIDES.find((row) => row.cases.test(testCase.name));
}

/** Loads `http in` (POST and GET per source) → `weeek-lead` → helper, with a Catch and a Complete node. */
async function loadHttpIn(skipBodyParsing: boolean): Promise<void> {
	const nodes = SOURCES.flatMap((kind) => [
		{ id: `post-${kind}`, type: 'http in', url: `/hook/${kind}`, method: 'post', upload: false, skipBodyParsing, wires: [[`lead-${kind}`]] },
		{ id: `get-${kind}`, type: 'http in', url: `/hook/${kind}`, method: 'get', upload: false, skipBodyParsing, wires: [[`lead-${kind}`]] },
		{ id: `lead-${kind}`, type: 'weeek-lead', source: kind, sourceConfig: `src-${kind}`, answer: true, wires: [[`out-${kind}`]] },
		{ id: `out-${kind}`, type: 'helper' },
	]);
	// The helper loads the core module once per catch or complete node, so a flow may hold only one
	// of each. Cases run one at a time, so one of each for the whole tab is enough.
	const signals = [
		{ id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
		{ id: 'caught', type: 'helper' },
		{ id: 'complete', type: 'complete', scope: SOURCES.map((kind) => `lead-${kind}`), uncaught: false, wires: [['completed']] },
		{ id: 'completed', type: 'helper' },
	];
	const flow = [{ id: 'tab', type: 'tab', label: 'corpus' }, ...sourceConfigs(), ...[...nodes, ...signals].map((node) => ({ z: 'tab', x: 100, y: 100, ...node }))];
	await helper.load([...builtNodes(), httpInNodes(), server.capture], flow, sourceCredentials());
}

/** Sends one case to `http in` and checks the response and what `weeek-lead` emitted. */
async function runThroughHttpIn(testCase: CorpusCase, expected: Expected, weeekLeadRuns: boolean): Promise<void> {
	const kind = testCase.source;
	const emitted = collect(helper.getNode(`out-${kind}`));
	const caught = collect(helper.getNode('caught'));
	const completed = collect(helper.getNode('completed'));

	const answer = await send(`/hook/${kind}`, testCase);
	if (weeekLeadRuns) {
		// weeek-lead ends every message with send, done(error) or done(); the Catch and Complete nodes see the last two.
		await waitFor('weeek-lead finishes the message', () => emitted.length + caught.length + completed.length > 0);
	} else {
		await delay(50);
		expect(caught).toHaveLength(0);
		expect(completed).toHaveLength(0);
	}

	expect(answer.status).toBe(expected.status);
	if ('lead' in expected) {
		expect(emitted).toHaveLength(1);
		expectLeadFields(emitted[0].payload as Lead, expected.lead);
	} else {
		await delay(20);
		expect(emitted).toHaveLength(0);
		expectRefusal(answer, expected);
	}
}

const namedCases = corpus.map((testCase) => [testCase.name, testCase] as const);

describe('http in, body not parsed → weeek-lead: bad input corpus', () => {
	beforeAll(async () => {
		await loadHttpIn(true);
	});

	afterAll(async () => {
		await helper.unload();
	});

	it.each(namedCases)('%s', async (_name, testCase) => {
		await runThroughHttpIn(testCase, testCase.expected, true);
	});
});

describe('stock http in → weeek-lead: bad input corpus', () => {
	beforeAll(async () => {
		await loadHttpIn(false);
	});

	afterAll(async () => {
		await helper.unload();
	});

	it('overrides only the cases stock http in decides', () => {
		const overridden = corpus.filter((testCase) => stockOverride(testCase) !== undefined).map((testCase) => testCase.name);

		for (const row of STOCK_HTTP_IN_OVERRIDES) expect(overridden.some((name) => row.cases.test(name))).toBe(true);
		expect(overridden).toHaveLength(40 + 12 + 6 + 1);
	});

	it.each(namedCases)('%s', async (_name, testCase) => {
		const override = stockOverride(testCase);
		await runThroughHttpIn(testCase, override?.expected ?? testCase.expected, override?.weeekLeadRuns ?? true);
	});
});

/** Query keys that would reach `Object.prototype` through a naive bracket parser, sent for real. */
const PROTO_QUERY = '__proto__=x&__proto__[polluted]=yes&constructor[prototype][polluted]=yes&name=Ivan&phone=%2B79990001234';

describe('GET with __proto__ query keys', () => {
	afterEach(async () => {
		await helper.unload();
	});

	it('corpus case carries the key', () => {
		const corpusCase = corpus.find((testCase) => testCase.name === 'generic: GET __proto__ query');

		expect(Object.keys(corpusCase?.query ?? {})).toContain('__proto__');
	});

	it('gives a lead through weeek-lead-in and pollutes nothing', async () => {
		const flow = [
			{ id: 'tab', type: 'tab', label: 'proto' },
			...sourceConfigs(),
			...[
				{ id: 'in', type: 'weeek-lead-in', source: 'src-generic', url: '/proto', wires: [['out']] },
				{ id: 'out', type: 'helper' },
			].map((node) => ({ z: 'tab', x: 100, y: 100, ...node })),
		];
		await helper.load([...builtNodes(), server.capture], flow, sourceCredentials());
		const messages = collect(helper.getNode('out'));

		const response = await fetch(`${nodeUrl}/proto?${PROTO_QUERY}`);
		await waitFor('the lead is emitted', () => messages.length > 0);

		expect(response.status).toBe(200);
		expect((messages[0].payload as Lead).phones).toEqual(['+79990001234']);
	});

	it('gives a lead through stock http in and pollutes nothing', async () => {
		await loadHttpIn(false);
		const emitted = collect(helper.getNode('out-generic'));

		const response = await fetch(`${nodeUrl}/hook/generic?${PROTO_QUERY}`);
		await waitFor('the lead is emitted', () => emitted.length > 0);

		expect(response.status).toBe(200);
		expect((emitted[0].payload as Lead).phones).toEqual(['+79990001234']);
	});
});
