/**
 * Helpers for the tests of the resource nodes (WEEEK Contact, Deal, Organization, Workspace):
 * records created in the sandbox through its API, and one node run from input to output or Catch.
 */
import type { Sandbox } from '../sandbox/server';
import { builtNodes, helper, type TestNode } from './support';

export interface NodeResult {
	/** The message the node sent on, or undefined after a failure. */
	msg?: Record<string, any>;
	/** The message a Catch node received, with `error`, or undefined after a success. */
	caught?: Record<string, any> & { error: { message: string; code?: string } };
}

/** Sends one request to the sandbox API as a WEEEK user would, to set up records for a test. */
export async function callApi(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
	const response = await fetch(`${sandbox.baseUrl}${path}`, {
		method,
		headers: { authorization: `Bearer ${sandbox.token}`, accept: 'application/json', 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const answer = (await response.json()) as Record<string, any>;
	if (!response.ok) throw new Error(`sandbox set-up ${method} ${path} failed with HTTP ${response.status}: ${JSON.stringify(answer)}`);
	return answer;
}

/** Creates records through the API, then clears the request log so tests see only the node's requests. */
export async function seed(sandbox: Sandbox, create: () => Promise<void>): Promise<void> {
	await create();
	sandbox.requests.length = 0;
}

/** Places nodes on a tab with the sandbox's config node and a Catch node wired to `caught`. */
export function flow(sandbox: Sandbox, nodes: object[]): object[] {
	return [
		{ id: 'tab', type: 'tab', label: 'resources' },
		{ id: 'cfg', type: 'weeek-config', name: 'sandbox', baseUrl: sandbox.baseUrl, requestsPerSecond: 100 },
		...[...nodes, { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' }, { id: 'out', type: 'helper' }].map(
			(node) => ({ z: 'tab', x: 100, y: 100, ...node }),
		),
	];
}

/** Resolves with the first message that reaches `out` or `caught`. */
export function firstResult(timeoutMs = 5_000): Promise<NodeResult> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no message reached out or caught within ${timeoutMs} ms`)), timeoutMs);
		const settle = (result: NodeResult): void => {
			clearTimeout(timer);
			resolve(result);
		};
		(helper.getNode('out') as TestNode).on('input', (msg) => settle({ msg }));
		(helper.getNode('caught') as TestNode).on('input', (msg) => settle({ caught: msg as NodeResult['caught'] }));
	});
}

/** Loads one node (id `node`, wired to `out`) and sends it `msg`. */
export async function runNode(sandbox: Sandbox, node: Record<string, unknown>, msg: Record<string, unknown>): Promise<NodeResult> {
	await helper.load(builtNodes(), flow(sandbox, [{ id: 'node', config: 'cfg', wires: [['out']], ...node }]), { cfg: { token: sandbox.token } });
	const result = firstResult();
	helper.getNode('node').receive(msg);
	return await result;
}

/** Like `runNode`, but fails the test with the caught error when the node did not send a message. */
export async function runOk(sandbox: Sandbox, node: Record<string, unknown>, msg: Record<string, unknown> = { payload: 'kept' }): Promise<Record<string, any>> {
	const result = await runNode(sandbox, node, msg);
	if (result.msg === undefined) throw new Error(`the node failed: ${result.caught?.error.message ?? 'no error'}`);
	return result.msg;
}

/** Like `runNode`, but expects a failure and returns the caught message. */
export async function runFailing(sandbox: Sandbox, node: Record<string, unknown>, msg: Record<string, unknown>): Promise<NonNullable<NodeResult['caught']>> {
	const result = await runNode(sandbox, node, msg);
	if (result.caught === undefined) throw new Error(`the node succeeded, but a failure was expected: ${JSON.stringify(result.msg?.weeek)}`);
	return result.caught;
}
