import { call, control } from './http';
import { SEED, isLoopbackHost, startSandbox, type Sandbox } from './server';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ token: 'test-token-1234' });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

describe('sandbox start', () => {
	it('listens on loopback with the WEEEK path prefix', () => {
		expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/public\/v1$/);
		expect(sandbox.controlUrl).toBe(sandbox.baseUrl.replace('/public/v1', '/__sandbox'));
		expect(sandbox.token).toBe('test-token-1234');
	});

	it('rejects a host that is not loopback', async () => {
		await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
		await expect(startSandbox({ host: '192.168.1.10' })).rejects.toThrow(/loopback/);
	});

	it('recognizes loopback addresses', () => {
		expect(isLoopbackHost('127.0.0.1')).toBe(true);
		expect(isLoopbackHost('127.8.0.3')).toBe(true);
		expect(isLoopbackHost('::1')).toBe(true);
		expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
		expect(isLoopbackHost('localhost')).toBe(true);
		expect(isLoopbackHost('10.0.0.1')).toBe(false);
		expect(isLoopbackHost('example.com')).toBe(false);
	});

	it('generates a random hex token by default', async () => {
		const other = await startSandbox();
		try {
			expect(other.token).toMatch(/^[0-9a-f]{32}$/);
			expect(other.token).not.toBe(sandbox.token);
		} finally {
			await other.close();
		}
	});
});

describe('seed ids', () => {
	it('uses 16-character slugs for funnels and statuses', () => {
		const slugs = [...Object.values(SEED.funnels), ...Object.values(SEED.statuses)].map((entry) => entry.id);
		for (const slug of slugs) {
			expect(slug).toMatch(/^[A-Za-z0-9]{16}$/);
		}
		expect(new Set(slugs).size).toBe(slugs.length);
	});

	it('UUIDs for members and fields', () => {
		const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
		const ids = [
			...Object.values(SEED.members).map((member) => member.id),
			...Object.values(SEED.customFields).map((field) => field.id),
			...Object.values(SEED.customFields.channel.options).map((option) => option.id),
		];
		for (const id of ids) {
			expect(id).toMatch(uuid);
		}
	});

	it('uses integers for tags and currencies', () => {
		for (const tag of Object.values(SEED.tags)) {
			expect(Number.isInteger(tag.id)).toBe(true);
		}
		for (const currency of Object.values(SEED.currencies)) {
			expect(Number.isInteger(currency.id)).toBe(true);
		}
	});
});

describe('authentication', () => {
	it('missing token gets WEEEK 401 body', async () => {
		const response = await call(sandbox, 'GET', '/user/me', undefined, { token: null });
		expect(response.status).toBe(401);
		expect(response.body).toEqual({ success: false, code: 2000000, message: 'Unauthenticated.' });
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	});

	it('answers 401 for a wrong token', async () => {
		const response = await call(sandbox, 'GET', '/crm/funnels', undefined, { token: 'wrong' });
		expect(response.status).toBe(401);
		expect(response.body.code).toBe(2000000);
	});

	it('answers 401 for a non-Bearer scheme', async () => {
		const response = await call(sandbox, 'GET', '/crm/funnels', undefined, {
			token: null,
			headers: { Authorization: `Basic ${sandbox.token}` },
		});
		expect(response.status).toBe(401);
	});

	it('does not apply a write without a token', async () => {
		const response = await call(sandbox, 'POST', '/crm/contacts', { firstName: 'Ivan' }, { token: null });
		expect(response.status).toBe(401);
		expect(sandbox.state.contacts).toHaveLength(0);
	});
});

describe('workspace envelopes', () => {
	it('returns the current user', async () => {
		const response = await call(sandbox, 'GET', '/user/me');
		expect(response.status).toBe(200);
		expect(response.body.success).toBe(true);
		expect(response.body.user.id).toBe(SEED.members.owner.id);
		expect(response.body.user.email).toBe(SEED.members.owner.email);
	});

	it('returns the workspace with an integer id', async () => {
		const response = await call(sandbox, 'GET', '/ws');
		expect(response.body).toMatchObject({ success: true, workspace: { id: SEED.workspace.id, title: SEED.workspace.title } });
	});

	it('returns members', async () => {
		const response = await call(sandbox, 'GET', '/ws/members');
		expect(response.body.success).toBe(true);
		expect(response.body.members.map((member: { id: string }) => member.id)).toEqual([
			SEED.members.owner.id,
			SEED.members.manager.id,
		]);
	});

	it('lists and creates workspace tags', async () => {
		const listed = await call(sandbox, 'GET', '/ws/tags');
		expect(listed.body.tags).toEqual(Object.values(SEED.tags));

		const created = await call(sandbox, 'POST', '/ws/tags', { title: 'tilda' });
		expect(created.status).toBe(200);
		expect(created.body.tag).toMatchObject({ id: 4, title: 'tilda' });
		expect(sandbox.state.tags.map((tag) => tag.title)).toContain('tilda');
	});

	it('requires a tag title', async () => {
		const response = await call(sandbox, 'POST', '/ws/tags', {});
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ title: ['The title field is required.'] });
	});

	it('returns currencies', async () => {
		const response = await call(sandbox, 'GET', '/crm/currencies');
		expect(response.body).toEqual({ success: true, currencies: Object.values(SEED.currencies) });
	});
});

describe('funnels and statuses', () => {
	it('lists funnels with custom field definitions', async () => {
		const response = await call(sandbox, 'GET', '/crm/funnels');
		expect(response.body.success).toBe(true);
		const [sales, partners] = response.body.funnels;
		expect(sales).toMatchObject({ id: SEED.funnels.sales.id, name: 'Sales', currencyId: 1, dealsCount: 0, dealsAmount: 0 });
		expect(sales.customFields.map((field: { name: string }) => field.name)).toEqual(['Lead key', 'UTM source', 'Channel', 'Budget']);
		const channel = sales.customFields.find((field: { id: string }) => field.id === SEED.customFields.channel.id);
		expect(channel.type).toBe('select');
		expect(channel.options).toHaveLength(4);
		expect(partners.customFields).toEqual([]);
	});

	it('lists statuses of a funnel in order', async () => {
		const response = await call(sandbox, 'GET', `/crm/funnels/${SEED.funnels.sales.id}/statuses`);
		expect(response.body.statuses.map((status: { name: string }) => status.name)).toEqual([
			'New lead',
			'Qualified',
			'Negotiation',
			'Contract',
		]);
		expect(Object.keys(response.body.statuses[0]).sort()).toEqual(
			['createdAt', 'creatorId', 'dealsAmount', 'dealsCount', 'id', 'name', 'updatedAt'].sort(),
		);
	});

	it('gets a status by id', async () => {
		const response = await call(sandbox, 'GET', `/crm/statuses/${SEED.statuses.qualified.id}`);
		expect(response.body).toMatchObject({ success: true, status: { id: SEED.statuses.qualified.id, name: 'Qualified' } });
	});

	it('funnel and status lifecycle', async () => {
		const created = await call(sandbox, 'POST', '/crm/funnels', { name: 'Events', currencyId: 2, isPrivate: true });
		expect(created.body.funnel).toMatchObject({ name: 'Events', currencyId: 2, isPrivate: true });
		expect(created.body.funnel.id).toMatch(/^[A-Za-z0-9]{16}$/);
		const funnelId = created.body.funnel.id;

		const status = await call(sandbox, 'POST', `/crm/funnels/${funnelId}/statuses`, { name: 'Booked' });
		expect(status.body.status.name).toBe('Booked');

		const renamed = await call(sandbox, 'PUT', `/crm/funnels/${funnelId}`, { name: 'Conferences' });
		expect(renamed.body.funnel.name).toBe('Conferences');
		expect(renamed.body.funnel.currencyId).toBe(2);

		const renamedStatus = await call(sandbox, 'PUT', `/crm/statuses/${status.body.status.id}`, { name: 'Paid' });
		expect(renamedStatus.body.status.name).toBe('Paid');

		expect((await call(sandbox, 'DELETE', `/crm/funnels/${funnelId}`)).body).toEqual({ success: true });
		expect(sandbox.state.funnels.map((funnel) => funnel.id)).not.toContain(funnelId);
		expect(sandbox.state.statuses.map((candidate) => candidate.id)).not.toContain(status.body.status.id);
	});

	it('rejects an unknown currency on funnel create', async () => {
		const response = await call(sandbox, 'POST', '/crm/funnels', { name: 'X', currencyId: 99 });
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ currencyId: ['The selected currency id is invalid.'] });
	});

	it('custom field with options', async () => {
		const field = await call(sandbox, 'POST', `/crm/funnels/${SEED.funnels.partners.id}/custom-fields`, {
			name: 'Region',
			type: 'select',
		});
		expect(field.status).toBe(200);
		const fieldId = field.body.customField.id;
		const option = await call(sandbox, 'POST', `/crm/funnels/${SEED.funnels.partners.id}/custom-fields/${fieldId}/options`, {
			name: 'North',
			color: 'green',
		});
		expect(option.body.option).toMatchObject({ name: 'North', color: 'green' });

		const funnel = await call(sandbox, 'GET', `/crm/funnels/${SEED.funnels.partners.id}`);
		expect(funnel.body.funnel.customFields).toEqual([
			{ id: fieldId, name: 'Region', type: 'select', config: null, options: [option.body.option] },
		]);
	});

	it('rejects a custom field of an unknown type', async () => {
		const response = await call(sandbox, 'POST', `/crm/funnels/${SEED.funnels.sales.id}/custom-fields`, { type: 'rainbow' });
		expect(response.status).toBe(422);
		expect(response.body.errors.type).toEqual(['The selected type is invalid.']);
	});
});

describe('error responses', () => {
	it('unknown record is Record not found', async () => {
		const response = await call(sandbox, 'GET', '/crm/deals/NoSuchDeal000000');
		expect(response.status).toBe(404);
		expect(response.body).toEqual({ message: 'Record not found' });
	});

	it('unknown route is route 404', async () => {
		const response = await call(sandbox, 'GET', '/crm/deals');
		expect(response.status).toBe(404);
		expect(response.body).toEqual({ success: false, message: 'The route public/v1/crm/deals could not be found.' });
	});

	it('status path typo is route 404', async () => {
		const response = await call(sandbox, 'GET', `/crm/statuses${SEED.statuses.newLead.id}`);
		expect(response.status).toBe(404);
		expect(response.body.message).toMatch(/^The route public\/v1\/crm\/statuses\w+ could not be found\.$/);
	});

	it('answers route 404 before authentication', async () => {
		const response = await call(sandbox, 'GET', '/crm/nothing', undefined, { token: null });
		expect(response.status).toBe(404);
		expect(response.body.success).toBe(false);
	});

	it('answers 405 with Allow for a wrong verb', async () => {
		const response = await call(sandbox, 'PATCH', `/crm/contacts/${SEED.members.owner.id}`, { firstName: 'x' });
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('GET, PUT, DELETE');
		expect(response.body.success).toBe(false);
		expect(response.body.message).toMatch(/PATCH method is not supported/);
	});

	it('405 on a GET-only route', async () => {
		const response = await call(sandbox, 'POST', '/crm/currencies', {});
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('GET');
	});

	it('invalid JSON body gets 400', async () => {
		const response = await call(sandbox, 'POST', '/crm/contacts', undefined, { rawBody: '{"firstName": ' });
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(response.body.success).toBe(false);
		expect(response.body.message).toMatch(/not valid JSON/);
		expect(sandbox.state.contacts).toHaveLength(0);
	});

	it('non-JSON content type reads no fields', async () => {
		const response = await call(sandbox, 'POST', '/crm/contacts', undefined, {
			rawBody: JSON.stringify({ firstName: 'Ivan' }),
			headers: { 'Content-Type': 'text/plain' },
		});
		expect(response.status).toBe(422);
		expect(response.body.errors.firstName).toEqual(['The first name field is required.']);
	});

	it('404 outside API and control prefixes', async () => {
		const response = await fetch(sandbox.baseUrl.replace('/public/v1', '/api/v2/funnels'));
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({ success: false, message: 'The route api/v2/funnels could not be found.' });
	});
});

describe('request log', () => {
	it('records requests without the token', async () => {
		await call(sandbox, 'POST', '/crm/contacts', { firstName: 'Ivan' });
		await call(sandbox, 'GET', `/crm/statuses/${SEED.statuses.newLead.id}/deals?limit=5&winStatuses[]=won&winStatuses[]=lost`);
		await call(sandbox, 'GET', '/ws', undefined, { token: 'wrong' });

		expect(sandbox.requests).toHaveLength(3);
		const [create, list, denied] = sandbox.requests;
		expect(create).toMatchObject({
			method: 'POST',
			path: '/crm/contacts',
			body: { firstName: 'Ivan' },
			authorized: true,
			status: 200,
			applied: true,
			accept: 'application/json',
			contentType: 'application/json',
		});
		expect(list.query).toEqual({ limit: '5', 'winStatuses[]': ['won', 'lost'] });
		expect(list.body).toBeUndefined();
		expect(denied).toMatchObject({ authorized: false, status: 401, applied: false });
		expect(typeof create.at).toBe('number');
		expect(JSON.stringify(sandbox.requests)).not.toContain(sandbox.token);
		expect(JSON.stringify(sandbox.requests)).not.toMatch(/bearer/i);
	});

	it('records route 404 and 405 too', async () => {
		await call(sandbox, 'GET', '/crm/nothing?x=1');
		await call(sandbox, 'DELETE', '/ws');
		expect(sandbox.requests.map((request) => [request.path, request.status, request.applied])).toEqual([
			['/crm/nothing', 404, false],
			['/ws', 405, false],
		]);
	});

	it('does not log control requests', async () => {
		await control(sandbox, 'GET', '/state');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('control routes', () => {
	it('serves a state snapshot with the request log', async () => {
		await call(sandbox, 'POST', '/crm/contacts', { firstName: 'Olga', emails: ['olga@example.com'] });
		const response = await control(sandbox, 'GET', '/state');
		expect(response.status).toBe(200);
		expect(response.body.state.funnels).toHaveLength(2);
		expect(response.body.state.contacts[0].firstName).toBe('Olga');
		expect(response.body.requests).toHaveLength(1);
		expect(response.body.requests[0].path).toBe('/crm/contacts');
		expect(response.body.faults.settings.rate429).toBe(0);
		expect(response.text).not.toContain(sandbox.token);
	});

	it('resets state and log through POST /__sandbox/reset', async () => {
		await call(sandbox, 'POST', '/crm/contacts', { firstName: 'Olga' });
		const response = await control(sandbox, 'POST', '/reset');
		expect(response.body).toEqual({ success: true });
		expect(sandbox.state.contacts).toHaveLength(0);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('control route wrong verb is 405', async () => {
		const response = await control(sandbox, 'GET', '/reset');
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('POST');
	});

	it('answers 404 for an unknown control route', async () => {
		const response = await control(sandbox, 'GET', '/nothing');
		expect(response.status).toBe(404);
	});

	it('rejects invalid fault settings with 400', async () => {
		const unknown = await control(sandbox, 'POST', '/faults', { rate999: 1 });
		expect(unknown.status).toBe(400);
		expect(unknown.body.message).toMatch(/Unknown fault setting 'rate999'/);

		const outOfRange = await control(sandbox, 'POST', '/faults', { rate429: 2 });
		expect(outOfRange.status).toBe(400);

		const tooMuch = await control(sandbox, 'POST', '/faults', { rate429: 0.6, rate5xx: 0.6 });
		expect(tooMuch.status).toBe(400);
		expect(tooMuch.body.message).toMatch(/at most 1/);
	});

	it('rejects an invalid one-shot fault with 400', async () => {
		const response = await control(sandbox, 'POST', '/faults/next', { fault: 'explode' });
		expect(response.status).toBe(400);
		expect(response.body.message).toMatch(/Invalid one-shot fault/);
	});
});

describe('reset', () => {
	it('restores seed, log and faults', async () => {
		await call(sandbox, 'POST', '/crm/funnels', { name: 'Temp' });
		await call(sandbox, 'DELETE', `/crm/statuses/${SEED.statuses.done.id}`);
		sandbox.setFaults({ rate5xx: 1 });
		sandbox.queueFault({ fault: '429' });
		const state = sandbox.state;

		sandbox.reset();

		expect(sandbox.state).toBe(state);
		expect(sandbox.state.funnels.map((funnel) => funnel.name)).toEqual(['Sales', 'Partners']);
		expect(sandbox.state.statuses).toHaveLength(7);
		expect(sandbox.requests).toHaveLength(0);
		const response = await call(sandbox, 'GET', '/ws');
		expect(response.status).toBe(200);
	});

	it('gives a fresh seed copy each time', async () => {
		sandbox.state.funnels[0].name = 'Changed';
		sandbox.reset();
		expect(sandbox.state.funnels[0].name).toBe('Sales');
	});
});
