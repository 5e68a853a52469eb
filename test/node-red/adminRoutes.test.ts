/**
 * The admin routes behind the edit dialogs (`weeek/funnels`, `weeek/statuses`, `weeek/check`),
 * called through the helper's admin app like the editor calls them, against the WEEEK sandbox.
 */
import path from 'node:path';

import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { builtNodes, helper, ROOT, type AdminAnswer } from './support';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

afterEach(async () => {
	await helper.unload();
	sandbox.reset();
	delete process.env.WEEEK_NR_ROUTE_TOKEN;
});

const salesStatuses = Object.values(SEED.statuses)
	.filter((status) => status.funnelId === SEED.funnels.sales.id)
	.map((status) => ({ id: status.id, name: status.name }));
const allFunnels = Object.values(SEED.funnels).map((funnel) => ({ id: funnel.id, name: funnel.name }));

function deployedConfig(): object[] {
	return [{ id: 'cfg', type: 'weeek-config', name: 'sandbox', baseUrl: sandbox.baseUrl, requestsPerSecond: 50 }];
}

async function post(route: string, body: unknown): Promise<AdminAnswer> {
	return helper.request().post(`/weeek/${route}`).send(body);
}

describe('Node-RED admin routes with a typed token', () => {
	it('lists funnels for an undeployed config node', async () => {
		await helper.load(builtNodes(), []);

		const answer = await post('funnels', { configId: 'not-deployed', token: sandbox.token, baseUrl: sandbox.baseUrl });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual(allFunnels);
	});

	it('lists the statuses of one funnel in board order', async () => {
		await helper.load(builtNodes(), []);

		const answer = await post('statuses', { configId: 'not-deployed', token: sandbox.token, baseUrl: sandbox.baseUrl, funnelId: SEED.funnels.sales.id });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual(salesStatuses);
	});

	it('reads a typed ${NAME} token from the environment', async () => {
		process.env.WEEEK_NR_ROUTE_TOKEN = sandbox.token;
		await helper.load(builtNodes(), []);

		const answer = await post('funnels', { configId: 'not-deployed', token: '${WEEEK_NR_ROUTE_TOKEN}', baseUrl: sandbox.baseUrl });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual(allFunnels);
	});

	it('answers 401 for a token WEEEK rejects, without echoing it', async () => {
		await helper.load(builtNodes(), []);
		const badToken = 'bad-token-5d1e8a2f0c';

		const answer = await post('funnels', { configId: 'not-deployed', token: badToken, baseUrl: sandbox.baseUrl });

		expect(answer.status).toBe(401);
		expect(answer.body.error).toBe('unauthorized');
		expect(typeof answer.body.message).toBe('string');
		expect(answer.text).not.toContain(badToken);
	});

	it('answers 404 for an unknown funnel', async () => {
		await helper.load(builtNodes(), []);

		const answer = await post('statuses', { configId: 'not-deployed', token: sandbox.token, baseUrl: sandbox.baseUrl, funnelId: 'NoSuchFunnel0000' });

		expect(answer.status).toBe(404);
		expect(answer.body.error).toBe('notFound');
	});

	it('answers 400 when no funnel is given for statuses', async () => {
		await helper.load(builtNodes(), []);

		const answer = await post('statuses', { configId: 'not-deployed', token: sandbox.token, baseUrl: sandbox.baseUrl });

		expect(answer.status).toBe(400);
		expect(answer.body.error).toBe('missingFunnelId');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('tells whose token it is on check', async () => {
		await helper.load(builtNodes(), []);

		const answer = await post('check', { configId: 'not-deployed', token: sandbox.token, baseUrl: sandbox.baseUrl });

		expect(answer.status).toBe(200);
		expect(answer.body.ok).toBe(true);
		expect(answer.body.user).toEqual({ firstName: SEED.members.owner.firstName, lastName: SEED.members.owner.lastName, email: SEED.members.owner.email });
	});
});

describe('Node-RED admin route for deal custom fields', () => {
	it('lists the custom fields of a funnel by name', async () => {
		await helper.load(builtNodes(), deployedConfig(), { cfg: { token: sandbox.token } });

		const answer = await post('custom-fields', { configId: 'cfg', funnelId: SEED.funnels.sales.id });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual(
			[SEED.customFields.budget, SEED.customFields.channel, SEED.customFields.leadKey, SEED.customFields.utmSource].map((field) => ({ id: field.id, name: field.name, type: field.type })),
		);
	});

	it('lists none for a funnel without custom fields', async () => {
		await helper.load(builtNodes(), deployedConfig(), { cfg: { token: sandbox.token } });

		const answer = await post('custom-fields', { configId: 'cfg', funnelId: SEED.funnels.partners.id });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual([]);
	});

	it('answers 400 when no funnel is given', async () => {
		await helper.load(builtNodes(), deployedConfig(), { cfg: { token: sandbox.token } });

		const answer = await post('custom-fields', { configId: 'cfg' });

		expect(answer.status).toBe(400);
		expect(answer.body.error).toBe('missingFunnelId');
	});
});

describe('Node-RED admin routes with a deployed config node', () => {
	it('lists funnels with the deployed token', async () => {
		await helper.load(builtNodes(), deployedConfig(), { cfg: { token: sandbox.token } });

		const answer = await post('funnels', { configId: 'cfg' });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual(allFunnels);
	});

	it('lists statuses with the deployed token', async () => {
		await helper.load(builtNodes(), deployedConfig(), { cfg: { token: sandbox.token } });

		const answer = await post('statuses', { configId: 'cfg', funnelId: SEED.funnels.partners.id });

		expect(answer.status).toBe(200);
		expect(answer.body.items?.map((item) => item.name)).toEqual(['Inbox', 'In progress', 'Done']);
	});

	it('falls back to the stored token for the __PWRD__ placeholder', async () => {
		await helper.load(builtNodes(), deployedConfig(), { cfg: { token: sandbox.token } });

		const answer = await post('check', { configId: 'cfg', token: '__PWRD__', baseUrl: sandbox.baseUrl });

		expect(answer.status).toBe(200);
		expect(answer.body.ok).toBe(true);
	});

	it('sends the stored token to no other base URL', async () => {
		await helper.load(builtNodes(), deployedConfig(), { cfg: { token: sandbox.token } });

		const answer = await post('funnels', { configId: 'cfg', token: '__PWRD__', baseUrl: 'http://127.0.0.1:9/public/v1' });

		expect(answer.status).toBe(409);
		expect(answer.body.error).toBe('baseUrlNotDeployed');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('uses stored credentials of a config node that is not running', async () => {
		// A disabled config node keeps its flow entry and credentials but gets no running instance.
		const disabled = [{ id: 'stored', type: 'weeek-config', d: true, name: 'disabled', baseUrl: sandbox.baseUrl, requestsPerSecond: 50 }];
		await helper.load(builtNodes(), disabled, { stored: { token: sandbox.token } });

		const answer = await post('funnels', { configId: 'stored', token: '__PWRD__' });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual(allFunnels);
	});

	it('answers 409 when there is no token at all', async () => {
		await helper.load(builtNodes(), []);

		const answer = await post('funnels', { configId: 'unknown-config', token: '' });

		expect(answer.status).toBe(409);
		expect(answer.body.error).toBe('noToken');
		expect(typeof answer.body.message).toBe('string');
	});

	it('answers 409 for a deployed config node without a token', async () => {
		await helper.load(builtNodes(), deployedConfig(), {});

		const answer = await post('funnels', { configId: 'cfg' });

		expect(answer.status).toBe(409);
		expect(answer.body.error).toBe('missingToken');
	});
});

type Middleware = (request: { body: unknown }, response: FakeResponse, next: (error?: unknown) => void) => void;

interface FakeResponse {
	statusCode: number;
	body: unknown;
	status(code: number): FakeResponse;
	json(body: unknown): void;
	end(): void;
}

/**
 * Runs a route through the permission checks of a Node-RED with adminAuth, where the editor user
 * may read but not write. The helper's own `RED.auth` lets everything pass, so it cannot show this.
 */
async function postAsReadOnlyUser(route: string, body: unknown): Promise<FakeResponse> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { registerAdminRoutes } = require(path.join(ROOT, 'node-red', 'dist', 'node-red', 'nodes', 'lib', 'adminRoutes.js')) as {
		registerAdminRoutes(RED: unknown): void;
	};
	const routes = new Map<string, Middleware[]>();
	registerAdminRoutes({
		httpAdmin: { post: (url: string, ...handlers: Middleware[]) => routes.set(url, handlers) },
		auth: {
			needsPermission: (permission: string): Middleware => (_request, response, next) => {
				if (permission.endsWith('.read')) next();
				else response.status(401).end();
			},
		},
		nodes: { getNode: () => null, getCredentials: () => undefined, eachNode: () => undefined },
		util: { getSetting: (_node: unknown, name: string) => process.env[name] },
		log: { warn: () => undefined, debug: () => undefined },
		_: (key: string) => key,
	});

	return new Promise((resolve) => {
		const response: FakeResponse = {
			statusCode: 0,
			body: undefined,
			status(code) {
				this.statusCode = code;
				return this;
			},
			json(answer) {
				this.body = answer;
				resolve(this);
			},
			end() {
				resolve(this);
			},
		};
		const [readCheck, handler] = routes.get(`/weeek/${route}`) ?? [];
		readCheck({ body }, response, () => handler({ body }, response, () => resolve(response)));
	});
}

describe('Node-RED admin routes for a read-only editor user', () => {
	it('list funnels with a typed token', async () => {
		const answer = await postAsReadOnlyUser('funnels', { configId: 'not-deployed', token: sandbox.token, baseUrl: sandbox.baseUrl });

		expect(answer.statusCode).toBe(200);
		expect((answer.body as { items: unknown[] }).items).toEqual(allFunnels);
	});

	it('cannot read a ${NAME} token from the environment', async () => {
		process.env.WEEEK_NR_ROUTE_TOKEN = sandbox.token;

		const answer = await postAsReadOnlyUser('funnels', { configId: 'not-deployed', token: '${WEEEK_NR_ROUTE_TOKEN}', baseUrl: sandbox.baseUrl });

		expect(answer.statusCode).toBe(401);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('cannot read a ${NAME} base URL from the environment', async () => {
		process.env.WEEEK_NR_ROUTE_TOKEN = 'not a url';

		const answer = await postAsReadOnlyUser('funnels', { configId: 'not-deployed', token: sandbox.token, baseUrl: '${WEEEK_NR_ROUTE_TOKEN}' });

		expect(answer.statusCode).toBe(401);
		expect(JSON.stringify(answer.body ?? '')).not.toContain('not a url');
	});
});
