/**
 * The runtime texts of the nodes in the server's language. The test helper's `RED._` returns the
 * key, so only a real Node-RED shows that the catalogues fill in every value: this one runs with
 * `lang: 'ru'` and its warnings and errors must read in Russian.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startEmbeddedNodeRed, type EmbeddedNodeRed } from './embedded';
import { waitFor } from './support';

let userDir: string;
let nodeRed: EmbeddedNodeRed;

beforeAll(async () => {
	userDir = await mkdtemp(path.join(tmpdir(), 'weeek-runtime-language-'));
	nodeRed = await startEmbeddedNodeRed(userDir, { lang: 'ru' });
	await nodeRed.deploy([
		{ id: 'tab', type: 'tab', label: 'runtime language' },
		{ id: 'src', type: 'weeek-lead-source', name: 'generic', kind: 'generic', secretLocation: 'none' },
		{ id: 'in-bad', type: 'weeek-lead-in', z: 'tab', x: 100, y: 100, source: 'src', url: '/bad path?', wires: [[]] },
		{ id: 'in-first', type: 'weeek-lead-in', z: 'tab', x: 100, y: 200, source: 'src', url: '/same-leads', wires: [[]] },
		{ id: 'in-second', type: 'weeek-lead-in', z: 'tab', x: 100, y: 300, source: 'src', url: '/same-leads', wires: [[]] },
		{ id: 'poll', type: 'weeek-lead-poll', z: 'tab', x: 300, y: 100, source: '', formIds: '7001', interval: 0.1, lookbackHours: 0, wires: [[]] },
		{ id: 'watch', type: 'weeek-watch', z: 'tab', x: 300, y: 200, config: '', event: 'newContact', interval: 'often', wires: [[]] },
	]);
});

afterAll(async () => {
	await nodeRed.stop();
	await rm(userDir, { recursive: true, force: true });
});

/** Returns the log lines of one node as `{level, msg}`. Node-RED logs warn as level 30 and error as 20. */
function linesOf(nodeId: string): Array<{ level: number; msg: string }> {
	return nodeRed.logs.map((line) => JSON.parse(line) as { id?: string; level: number; msg: unknown }).filter((line) => line.id === nodeId).map((line) => ({ level: line.level, msg: String(line.msg) }));
}

describe('runtime texts with lang ru', () => {
	it('report an invalid webhook path in Russian', () => {
		expect(linesOf('in-bad')).toContainEqual({ level: 20, msg: 'Путь вебхука «/bad path?» недопустим: укажите путь вида /weeek/leads без пробелов и символов ? и #' });
	});

	it('warn about a webhook path used twice in Russian', () => {
		expect(linesOf('in-second')).toContainEqual({
			level: 30,
			msg: 'На POST /same-leads уже отвечает другой узел, поэтому запросы могут попадать к нему, а не к этому узлу: задайте каждому вебхуку свой путь',
		});
	});

	it('warn about a too short myTarget interval in Russian', () => {
		expect(linesOf('poll')).toContainEqual({ level: 30, msg: 'Интервал опроса 0.1 мин меньше минимального (1 мин), поэтому опрос идёт раз в 1 мин' });
	});

	it('warn about an interval that is not a number in Russian', () => {
		expect(linesOf('watch')).toContainEqual({ level: 30, msg: 'Интервал опроса «often» не является числом секунд, поэтому опрос идёт раз в 60 с: укажите в узле число секунд' });
	});

	it('show the warnings in the debug sidebar', async () => {
		await waitFor('the interval warning reaches the sidebar', () =>
			nodeRed.comms.some((message) => message.topic === 'debug' && String((message.data as { msg?: unknown }).msg).startsWith('Интервал опроса 0.1 мин')),
		);
	});

	it('leave no placeholder unfilled', () => {
		const nodeLines = ['in-bad', 'in-first', 'in-second', 'poll', 'watch'].flatMap((id) => linesOf(id)).map((line) => line.msg);

		expect(nodeLines.length).toBeGreaterThanOrEqual(4);
		expect(nodeLines.filter((text) => /__\w+__|weeek-[\w-]+\.(?:warn|errors)\./.test(text))).toEqual([]);
	});
});
