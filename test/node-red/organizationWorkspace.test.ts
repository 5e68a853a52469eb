/**
 * The WEEEK Organization and WEEEK Workspace nodes, each operation run in a flow against the WEEEK
 * sandbox: the request WEEEK receives and the sandbox state after it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { callApi, firstResult, flow, runFailing, runOk, seed } from './resourceSupport';
import { builtNodes, helper, ROOT } from './support';

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

const requestLines = (): string[] => sandbox.requests.map((request) => `${request.method} ${request.path}`);

async function createOrganization(body: Record<string, unknown>): Promise<string> {
	return ((await callApi(sandbox, 'POST', '/crm/organizations', body)).organization as { id: string }).id;
}

describe('weeek-organization operations', () => {
	it('creates an organization from msg.payload with the member picked as responsible', async () => {
		const msg = await runOk(sandbox, { type: 'weeek-organization', memberSourceType: 'list', memberId: SEED.members.manager.id }, {
			payload: { name: 'ООО «Ромашка»', emails: ['INFO@romashka.ru'], phones: '8 (495) 123-45-67', addresses: ['Москва, Тверская 1'] },
		});

		expect(requestLines()).toEqual(['POST /crm/organizations']);
		expect(sandbox.requests[0].body).toEqual({
			name: 'ООО «Ромашка»',
			addresses: ['Москва, Тверская 1'],
			emails: ['info@romashka.ru'],
			phones: ['+74951234567'],
			responsibles: [SEED.members.manager.id],
		});
		expect(sandbox.state.organizations).toHaveLength(1);
		expect(sandbox.state.organizations[0]).toMatchObject({ name: 'ООО «Ромашка»', responsibleId: SEED.members.manager.id });
		expect(msg.weeek.organization.id).toBe(sandbox.state.organizations[0].id);
	});

	it('gets an organization by the id in msg.weeek.organization.id', async () => {
		let organizationId = '';
		await seed(sandbox, async () => {
			organizationId = await createOrganization({ name: 'Found LLC' });
		});

		const msg = await runOk(sandbox, { type: 'weeek-organization', operation: 'get' }, { weeek: { organization: { id: organizationId } } });

		expect(requestLines()).toEqual([`GET /crm/organizations/${organizationId}`]);
		expect(msg.weeek.organization.name).toBe('Found LLC');
	});

	it('gets a page of organizations by search', async () => {
		await seed(sandbox, async () => {
			for (const name of ['Alpha Build', 'Alpha Trade', 'Beta']) await createOrganization({ name });
		});

		const msg = await runOk(sandbox, { type: 'weeek-organization', operation: 'getMany', search: 'alpha', searchType: 'str', limit: '10', limitType: 'num' });

		expect(sandbox.requests[0]).toMatchObject({ method: 'GET', path: '/crm/organizations', query: { limit: '10', offset: '0', search: 'alpha' } });
		expect(msg.weeek.organizations.map((organization: { name: string }) => organization.name).sort()).toEqual(['Alpha Build', 'Alpha Trade']);
		expect(msg.weeek.page).toEqual({ limit: 10, offset: 0, count: 2, hasMore: false });
	});

	it('updates a name and keeps the other fields', async () => {
		let organizationId = '';
		await seed(sandbox, async () => {
			organizationId = await createOrganization({ name: 'Old name', emails: ['a@example.ru'] });
		});

		const msg = await runOk(sandbox, {
			type: 'weeek-organization',
			operation: 'update',
			fields: [{ field: 'name', value: 'payload.company', type: 'msg' }],
		}, { payload: { company: 'New name' }, weeek: { organization: { id: organizationId } } });

		expect(requestLines()).toEqual([`GET /crm/organizations/${organizationId}`, `PUT /crm/organizations/${organizationId}`]);
		expect(sandbox.requests[1].body).toEqual({ name: 'New name', addresses: [], emails: ['a@example.ru'], phones: [] });
		expect(sandbox.state.organizations[0].name).toBe('New name');
		expect(sandbox.state.organizations[0].emails.map((entry) => entry.email)).toEqual(['a@example.ru']);
		expect(msg.weeek.organization.name).toBe('New name');
	});

	it('deletes an organization', async () => {
		let organizationId = '';
		await seed(sandbox, async () => {
			organizationId = await createOrganization({ name: 'Gone' });
		});

		const msg = await runOk(sandbox, { type: 'weeek-organization', operation: 'delete', organizationId: '"' + organizationId + '"', organizationIdType: 'jsonata' });

		expect(requestLines()).toEqual([`DELETE /crm/organizations/${organizationId}`]);
		expect(sandbox.state.organizations).toHaveLength(0);
		expect(msg.weeek.deleted).toEqual({ kind: 'organization', id: organizationId });
	});

	it('links an organization to a deal and unlinks it', async () => {
		let organizationId = '';
		let dealId = '';
		await seed(sandbox, async () => {
			organizationId = await createOrganization({ name: 'Partner' });
			dealId = ((await callApi(sandbox, 'POST', `/crm/statuses/${SEED.statuses.newLead.id}/deals`, { title: 'Deal' })).deal as { id: string }).id;
		});
		const input = () => ({ weeek: { organization: { id: organizationId }, deal: { id: dealId } } });

		const linked = await runOk(sandbox, { type: 'weeek-organization', operation: 'addToDeal' }, input());
		expect(sandbox.requests[0]).toMatchObject({ method: 'POST', path: `/crm/deals/${dealId}/organizations`, body: { organizationId } });
		expect(sandbox.state.deals[0].organizations).toEqual([organizationId]);
		expect(linked.weeek.link).toEqual({ organizationId, dealId });
		await helper.unload();

		await runOk(sandbox, { type: 'weeek-organization', operation: 'removeFromDeal' }, input());
		expect(sandbox.requests[1]).toMatchObject({ method: 'DELETE', path: `/crm/deals/${dealId}/organizations`, body: { organizationId } });
		expect(sandbox.state.deals[0].organizations).toEqual([]);
	});

	it('links a contact to an organization and unlinks it', async () => {
		let organizationId = '';
		let contactId = '';
		await seed(sandbox, async () => {
			organizationId = await createOrganization({ name: 'Employer' });
			contactId = ((await callApi(sandbox, 'POST', '/crm/contacts', { firstName: 'Worker' })).contact as { id: string }).id;
		});
		const input = () => ({ weeek: { organization: { id: organizationId }, contact: { id: contactId } } });

		await runOk(sandbox, { type: 'weeek-organization', operation: 'addContact' }, input());
		expect(sandbox.requests[0]).toMatchObject({ method: 'POST', path: `/crm/organizations/${organizationId}/contacts`, body: { contactId } });
		expect(sandbox.state.contacts[0].organizations).toEqual([organizationId]);
		await helper.unload();

		const unlinked = await runOk(sandbox, { type: 'weeek-organization', operation: 'removeContact' }, input());
		expect(sandbox.requests[1]).toMatchObject({ method: 'DELETE', path: `/crm/organizations/${organizationId}/contacts`, body: { contactId } });
		expect(sandbox.state.contacts[0].organizations).toEqual([]);
		expect(unlinked.weeek.unlink).toEqual({ organizationId, contactId });
	});

	it('names the organization name missing from msg.payload', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-organization', operation: 'create' }, { payload: { title: 'no name here' } });

		expect(caught.error.code).toBe('missingValue');
		expect(caught.error.message).toContain('msg.payload.name');
		expect(caught.payload).toEqual({ title: 'no name here' });
		expect(sandbox.requests).toHaveLength(0);
	});

	it('dry run lists the create request and sends nothing', async () => {
		const msg = await runOk(sandbox, { type: 'weeek-organization', organizationName: 'Dry LLC', organizationNameType: 'str', memberSourceType: 'list', dryRun: true }, { payload: {} });

		expect(msg.weeek.dryRun.requests).toEqual([{ method: 'POST', path: '/crm/organizations', body: { name: 'Dry LLC' } }]);
		expect(sandbox.requests).toHaveLength(0);
		expect(sandbox.state.organizations).toHaveLength(0);
	});
});

describe('weeek-workspace operations', () => {
	it('lists funnels, members, tags and currencies', async () => {
		const funnels = await runOk(sandbox, { type: 'weeek-workspace', operation: 'listFunnels' });
		await helper.unload();
		const members = await runOk(sandbox, { type: 'weeek-workspace', operation: 'listMembers' });
		await helper.unload();
		const tags = await runOk(sandbox, { type: 'weeek-workspace', operation: 'listTags' });
		await helper.unload();
		const currencies = await runOk(sandbox, { type: 'weeek-workspace', operation: 'listCurrencies' });

		expect(requestLines()).toEqual(['GET /crm/funnels', 'GET /ws/members', 'GET /ws/tags', 'GET /crm/currencies']);
		expect(funnels.weeek.funnels.map((funnel: { id: string }) => funnel.id)).toEqual(Object.values(SEED.funnels).map((funnel) => funnel.id));
		expect(members.weeek.members.map((member: { id: string }) => member.id)).toEqual(Object.values(SEED.members).map((member) => member.id));
		expect(tags.weeek.tags.map((tag: { id: number }) => tag.id)).toEqual(Object.values(SEED.tags).map((tag) => tag.id));
		expect(currencies.weeek.currencies.map((currency: { code: string }) => currency.code)).toEqual(['RUB', 'USD', 'EUR']);
	});

	it('gets the funnel picked in the dialog and lists its statuses in board order', async () => {
		const funnel = await runOk(sandbox, { type: 'weeek-workspace', operation: 'getFunnel', funnelSourceType: 'list', funnelId: SEED.funnels.sales.id });
		await helper.unload();
		const statuses = await runOk(sandbox, { type: 'weeek-workspace', operation: 'listStatuses', funnelSource: 'payload.funnel', funnelSourceType: 'msg' }, { payload: { funnel: SEED.funnels.partners.id } });

		expect(requestLines()).toEqual([`GET /crm/funnels/${SEED.funnels.sales.id}`, `GET /crm/funnels/${SEED.funnels.partners.id}/statuses`]);
		expect(funnel.weeek.funnel.name).toBe('Sales');
		expect(funnel.weeek.funnel.customFields).toHaveLength(4);
		expect(statuses.weeek.statuses.map((status: { name: string }) => status.name)).toEqual(['Inbox', 'In progress', 'Done']);
	});

	it('gets one status', async () => {
		const msg = await runOk(sandbox, { type: 'weeek-workspace', operation: 'getStatus', statusSourceType: 'list', statusId: SEED.statuses.qualified.id });

		expect(requestLines()).toEqual([`GET /crm/statuses/${SEED.statuses.qualified.id}`]);
		expect(msg.weeek.status).toMatchObject({ id: SEED.statuses.qualified.id, name: 'Qualified' });
	});

	it('creates a funnel with a currency', async () => {
		const msg = await runOk(sandbox, {
			type: 'weeek-workspace',
			operation: 'createFunnel',
			newFunnelName: 'payload.name',
			newFunnelNameType: 'msg',
			currencyId: String(SEED.currencies.usd.id),
			currencyIdType: 'num',
			isPrivate: 'true',
			isPrivateType: 'bool',
		}, { payload: { name: 'Export' } });

		expect(requestLines()).toEqual(['POST /crm/funnels']);
		expect(sandbox.requests[0].body).toEqual({ name: 'Export', currencyId: SEED.currencies.usd.id, isPrivate: true });
		const created = sandbox.state.funnels.find((funnel) => funnel.name === 'Export');
		expect(created).toMatchObject({ currencyId: SEED.currencies.usd.id, isPrivate: true });
		expect(msg.weeek.funnel.id).toBe(created?.id);
	});

	it('names the empty funnel name', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-workspace', operation: 'createFunnel', newFunnelName: '', newFunnelNameType: 'str' }, { payload: 'kept' });

		expect(caught.error.code).toBe('emptyValue');
		expect(caught.error.message).toContain('newFunnelName');
		expect(caught.payload).toBe('kept');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('dry run lists the funnel it would create', async () => {
		const msg = await runOk(sandbox, { type: 'weeek-workspace', operation: 'createFunnel', newFunnelName: 'Dry', newFunnelNameType: 'str', dryRun: true });

		expect(msg.weeek.dryRun.requests).toEqual([{ method: 'POST', path: '/crm/funnels', body: { name: 'Dry' } }]);
		expect(sandbox.requests).toHaveLength(0);
		expect(sandbox.state.funnels).toHaveLength(Object.keys(SEED.funnels).length);
	});
});

describe('company lead example flow', () => {
	it('creates a linked organization, contact and tagged deal', async () => {
		const file = path.join(ROOT, 'node-red', 'examples', 'Company lead to organization, contact and deal.json');
		const example = JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
		const nodes = example
			.filter((node) => node.type !== 'weeek-config' && node.type !== 'comment' && node.type !== 'inject' && node.type !== 'debug')
			.map((node): Record<string, unknown> => {
				const picked = node.type === 'weeek-deal' ? { statusId: SEED.statuses.newLead.id, tagId: String(SEED.tags.hot.id) } : {};
				const wires = (node.wires as string[][]).map((targets) => targets.map((target) => (target.endsWith('09') || target.endsWith('13') ? 'out' : target)));
				return { ...node, ...picked, config: 'cfg', wires };
			});
		const organizationNode = nodes.find((node) => node.type === 'weeek-organization' && node.operation === 'create') as { id: string };
		const lead = (example.find((node) => node.name === 'company lead') as { props: Array<{ v: string }> }).props[0].v;
		await helper.load(builtNodes(), flow(sandbox, nodes), { cfg: { token: sandbox.token } });
		const result = firstResult();

		helper.getNode(organizationNode.id).receive({ payload: JSON.parse(lead) });
		const { msg, caught } = await result;

		expect(caught?.error.message).toBeUndefined();
		const [organization] = sandbox.state.organizations;
		const [contact] = sandbox.state.contacts;
		const [deal] = sandbox.state.deals;
		expect(organization.name).toBe('ООО «Ромашка»');
		expect(contact.organizations).toEqual([organization.id]);
		expect(deal).toMatchObject({ title: 'Заявка: ООО «Ромашка»', contacts: [contact.id], organizations: [organization.id], tags: [SEED.tags.hot.id] });
		expect(msg?.weeek.link).toEqual({ dealId: deal.id, tagId: SEED.tags.hot.id });
	});
});
