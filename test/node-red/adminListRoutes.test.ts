/**
 * The member and tag admin routes behind the assignee, responsible and tag dropdowns, called
 * through the helper's admin app like the editor calls them, against the WEEEK sandbox.
 */
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { builtNodes, helper, type AdminAnswer } from './support';

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
});

async function post(route: string, body: unknown): Promise<AdminAnswer> {
	return helper.request().post(`/weeek/${route}`).send(body);
}

const membersByName = [SEED.members.owner, SEED.members.manager]
	.map((member) => ({ id: member.id, name: `${member.firstName} ${member.lastName}` }))
	.sort((a, b) => a.name.localeCompare(b.name));
const tagsByName = Object.values(SEED.tags)
	.map((tag) => ({ id: String(tag.id), name: tag.title }))
	.sort((a, b) => a.name.localeCompare(b.name));

describe('Node-RED member and tag routes', () => {
	it('list members for an undeployed config node', async () => {
		await helper.load(builtNodes(), []);

		const answer = await post('members', { configId: 'not-deployed', token: sandbox.token, baseUrl: sandbox.baseUrl });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual(membersByName);
		expect(sandbox.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /ws/members']);
	});

	it('list tags for an undeployed config node, ids as text', async () => {
		await helper.load(builtNodes(), []);

		const answer = await post('tags', { configId: 'not-deployed', token: sandbox.token, baseUrl: sandbox.baseUrl });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual(tagsByName);
	});

	it('list tags with the deployed token', async () => {
		await helper.load(builtNodes(), [{ id: 'cfg', type: 'weeek-config', name: 'sandbox', baseUrl: sandbox.baseUrl, requestsPerSecond: 50 }], { cfg: { token: sandbox.token } });

		const answer = await post('tags', { configId: 'cfg' });

		expect(answer.status).toBe(200);
		expect(answer.body.items).toEqual(tagsByName);
	});

	it('name a member without a name by e-mail', async () => {
		sandbox.state.members.push({ id: '0f0e0d0c-0b0a-4909-8807-060504030201', email: 'nameless@sandbox.example', firstName: '', lastName: null, middleName: null, position: null, timeZone: 'Europe/Moscow', logo: null });
		await helper.load(builtNodes(), []);

		const answer = await post('members', { configId: 'not-deployed', token: sandbox.token, baseUrl: sandbox.baseUrl });

		expect(answer.body.items).toContainEqual({ id: '0f0e0d0c-0b0a-4909-8807-060504030201', name: 'nameless@sandbox.example' });
	});

	it('answer 401 for a rejected token without echoing it', async () => {
		await helper.load(builtNodes(), []);
		const badToken = 'bad-token-members-77a1';

		const answer = await post('members', { configId: 'not-deployed', token: badToken, baseUrl: sandbox.baseUrl });

		expect(answer.status).toBe(401);
		expect(answer.body.error).toBe('unauthorized');
		expect(answer.text).not.toContain(badToken);
	});

	it('answer 409 when there is no token at all', async () => {
		await helper.load(builtNodes(), []);

		const answer = await post('tags', { configId: 'not-deployed' });

		expect(answer.status).toBe(409);
		expect(answer.body.error).toBe('noToken');
		expect(sandbox.requests).toHaveLength(0);
	});
});
