/**
 * The WEEEK client's CRM methods against the sandbox: the request WEEEK receives for each quirk
 * the client hides, and the sandbox state afterwards.
 */
import { WeeekError } from '../../shared/errors';
import { WeeekClient } from '../../shared/weeek/client';
import { createDryRunHttpPort, type DryRunRequest } from '../../shared/weeek/dryRun';
import { buildQuery } from '../../shared/weeek/transport';
import { createUndiciHttpPort } from '../../node-red/nodes/lib/http';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

function client(): WeeekClient {
	return new WeeekClient({
		baseUrl: sandbox.baseUrl,
		http: createUndiciHttpPort({ token: sandbox.token }),
		sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
		clock: Date.now,
		timeoutMs: 1_000,
		retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, budgetMs: 5_000 },
	});
}

const lastRequest = () => sandbox.requests[sandbox.requests.length - 1];
const calls = () => sandbox.requests.map((request) => `${request.method} ${request.path}`);

describe('query encoding', () => {
	it('sends arrays in bracket form', () => {
		expect(buildQuery({ tags: [1, 2], search: 'a b' })).toBe('?tags%5B%5D=1&tags%5B%5D=2&search=a%20b');
	});

	it('sends booleans as 1 and 0', () => {
		expect(buildQuery({ completed: true, all: false })).toBe('?completed=1&all=0');
	});

	it('skips undefined and empty values', () => {
		expect(buildQuery({ search: '', limit: undefined, offset: 0 })).toBe('?offset=0');
	});
});

describe('contacts', () => {
	it('patches a contact keeping its first name', async () => {
		const weeek = client();
		const created = await weeek.createContact({ firstName: 'Ivan', lastName: 'Petrov', phones: ['+79990001234'] });

		const updated = await weeek.patchContact(created.id, { lastName: 'Sidorov' });

		expect(calls().slice(1)).toEqual([`GET /crm/contacts/${created.id}`, `PUT /crm/contacts/${created.id}`]);
		expect(lastRequest().body).toEqual({ firstName: 'Ivan', lastName: 'Sidorov', phones: ['+79990001234'], emails: [], organizations: [], tags: [] });
		expect(updated.lastName).toBe('Sidorov');
		expect(sandbox.state.contacts[0].firstName).toBe('Ivan');
	});

	it('rejects an empty first name before calling WEEEK', async () => {
		await expect(client().patchContact('any', { firstName: ' ' })).rejects.toThrow(/first name is empty/);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('tags a contact with tagId', async () => {
		const weeek = client();
		const contact = await weeek.createContact({ firstName: 'Ivan' });

		await weeek.addTagToContact(contact.id, SEED.tags.hot.id);
		expect(lastRequest().body).toEqual({ tagId: SEED.tags.hot.id });
		expect(sandbox.state.contacts[0].tags).toEqual([SEED.tags.hot.id]);

		await weeek.removeTagFromContact(contact.id, SEED.tags.hot.id);
		expect(lastRequest().method).toBe('DELETE');
		expect(lastRequest().body).toEqual({ tagId: SEED.tags.hot.id });
		expect(sandbox.state.contacts[0].tags).toEqual([]);
	});

	it('deletes a contact', async () => {
		const weeek = client();
		const contact = await weeek.createContact({ firstName: 'Ivan' });

		await weeek.deleteContact(contact.id);

		expect(sandbox.state.contacts).toHaveLength(0);
	});

	it('names the missing contact on 404', async () => {
		const error = await client()
			.getContact('00000000-0000-4000-8000-000000000000')
			.catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(WeeekError);
		expect((error as WeeekError).code).toBe('notFound');
		expect((error as WeeekError).message).toContain("contact '00000000-0000-4000-8000-000000000000'");
	});
});

describe('organizations', () => {
	it('creates, patches and links an organization', async () => {
		const weeek = client();
		const contact = await weeek.createContact({ firstName: 'Ivan' });
		const organization = await weeek.createOrganization({ name: 'Romashka LLC', phones: ['+74950000000'], responsibles: [SEED.members.manager.id] });

		const patched = await weeek.patchOrganization(organization.id, { name: 'Romashka JSC' });
		expect(lastRequest().method).toBe('PUT');
		expect(lastRequest().body).toEqual({ name: 'Romashka JSC', addresses: [], emails: [], phones: ['+74950000000'], responsibles: [SEED.members.manager.id] });
		expect(patched.name).toBe('Romashka JSC');

		await weeek.addContactToOrganization(organization.id, contact.id);
		expect((await weeek.getOrganization(organization.id)).contacts).toEqual([contact.id]);

		await weeek.removeContactFromOrganization(organization.id, contact.id);
		expect((await weeek.getOrganization(organization.id)).contacts).toEqual([]);
	});

	it('pages organizations with limit and offset', async () => {
		const weeek = client();
		for (const name of ['A', 'B', 'C']) await weeek.createOrganization({ name });

		const page = await weeek.listOrganizations({ limit: 2, offset: 2 });

		expect(lastRequest().query).toEqual({ limit: '2', offset: '2' });
		expect(page).toHaveLength(1);
	});
});

describe('deals', () => {
	async function newDeal(weeek: WeeekClient) {
		return await weeek.createDeal(SEED.statuses.newLead.id, { title: 'Kitchen', amount: 1000 });
	}

	it('updates title and amount with PUT', async () => {
		const weeek = client();
		const deal = await newDeal(weeek);

		const updated = await weeek.updateDeal(deal.id, { title: 'Kitchen and bath', amount: 2000 });

		expect(calls().slice(1)).toEqual([`PUT /crm/deals/${deal.id}`]);
		expect(updated.title).toBe('Kitchen and bath');
		expect(updated.amount).toBe(2000);
	});

	it('updates the description with PATCH and reads the deal back', async () => {
		const weeek = client();
		const deal = await newDeal(weeek);

		const updated = await weeek.updateDeal(deal.id, { title: 'Kitchen v2', description: 'Call after 18:00' });

		expect(calls().slice(1)).toEqual([`PATCH /crm/deals/${deal.id}`, `GET /crm/deals/${deal.id}`]);
		expect(sandbox.requests[1].body).toEqual({ title: 'Kitchen v2', description: 'Call after 18:00' });
		expect(updated.description).toBe('Call after 18:00');
		expect(updated.title).toBe('Kitchen v2');
	});

	it('reads the deal when nothing changes', async () => {
		const weeek = client();
		const deal = await newDeal(weeek);

		await weeek.updateDeal(deal.id, {});

		expect(calls().slice(1)).toEqual([`GET /crm/deals/${deal.id}`]);
	});

	it('moves a deal between statuses and funnels', async () => {
		const weeek = client();
		const deal = await newDeal(weeek);

		await weeek.moveDealToStatus(deal.id, SEED.statuses.qualified.id);
		expect(lastRequest().body).toEqual({ statusId: SEED.statuses.qualified.id });
		expect(sandbox.state.deals[0].statusId).toBe(SEED.statuses.qualified.id);

		await weeek.moveDealToFunnel(deal.id, SEED.funnels.partners.id);
		expect(lastRequest().body).toEqual({ funnelId: SEED.funnels.partners.id });
		expect(sandbox.state.deals[0].funnelId).toBe(SEED.funnels.partners.id);
	});

	it('tags a deal with tag, not tagId', async () => {
		const weeek = client();
		const deal = await newDeal(weeek);

		await weeek.addTagToDeal(deal.id, SEED.tags.website.id);

		expect(lastRequest().body).toEqual({ tag: SEED.tags.website.id });
		expect(sandbox.state.deals[0].tags).toEqual([SEED.tags.website.id]);
	});

	it('attaches and detaches relations', async () => {
		const weeek = client();
		const deal = await newDeal(weeek);
		const contact = await weeek.createContact({ firstName: 'Ivan' });
		const organization = await weeek.createOrganization({ name: 'Romashka LLC' });

		await weeek.addContactToDeal(deal.id, contact.id);
		await weeek.addOrganizationToDeal(deal.id, organization.id);
		await weeek.addAssigneeToDeal(deal.id, SEED.members.manager.id);
		let stored = await weeek.getDeal(deal.id);
		expect(stored.contacts).toEqual([contact.id]);
		expect(stored.organizations).toEqual([organization.id]);
		expect(stored.assignees).toEqual([SEED.members.manager.id]);

		await weeek.removeContactFromDeal(deal.id, contact.id);
		await weeek.removeOrganizationFromDeal(deal.id, organization.id);
		await weeek.removeAssigneeFromDeal(deal.id, SEED.members.manager.id);
		stored = await weeek.getDeal(deal.id);
		expect(stored.contacts).toEqual([]);
		expect(stored.organizations).toEqual([]);
		expect(stored.assignees).toEqual([]);
		const detaches = sandbox.requests.filter((request) => request.method === 'DELETE');
		expect(detaches.map((request) => request.body)).toEqual([{ contactId: contact.id }, { organizationId: organization.id }, { assigneeId: SEED.members.manager.id }]);
	});

	it('filters the deal list with bracket arrays', async () => {
		const weeek = client();
		const deal = await newDeal(weeek);
		await weeek.updateDeal(deal.id, { winStatus: 'won' });
		await weeek.createDeal(SEED.statuses.newLead.id, { title: 'Open one' });

		const { deals, hasMore } = await weeek.listDeals(SEED.statuses.newLead.id, { winStatuses: ['won'], sort: '-createdAt' });

		expect(lastRequest().query).toEqual({ limit: '50', offset: '0', sort: '-createdAt', 'winStatuses[]': ['won'] });
		expect(deals.map((item) => item.id)).toEqual([deal.id]);
		expect(hasMore).toBe(false);
	});

	it('treats a delete whose retry finds nothing as done', async () => {
		const weeek = client();
		const deal = await newDeal(weeek);
		sandbox.queueFault({ method: 'DELETE', pathPattern: '/crm/deals/:id', fault: 'appliedDrop' });

		await weeek.deleteDeal(deal.id);

		expect(calls().slice(1)).toEqual([`DELETE /crm/deals/${deal.id}`, `DELETE /crm/deals/${deal.id}`]);
		expect(sandbox.state.deals).toHaveLength(0);
	});

	it('still reports a missing deal on the first delete', async () => {
		await expect(client().deleteDeal('NoSuchDeal000000')).rejects.toMatchObject({ code: 'notFound' });
	});
});

describe('funnels, statuses and workspace', () => {
	it('creates a funnel with a currency', async () => {
		const funnel = await client().createFunnel({ name: 'Events', currencyId: SEED.currencies.usd.id });

		expect(lastRequest().body).toEqual({ name: 'Events', currencyId: SEED.currencies.usd.id });
		expect(funnel.currencyId).toBe(SEED.currencies.usd.id);
		expect(sandbox.state.funnels.some((stored) => stored.id === funnel.id)).toBe(true);
	});

	it('reads a status, members, tags and currencies', async () => {
		const weeek = client();

		expect((await weeek.getStatus(SEED.statuses.qualified.id)).name).toBe(SEED.statuses.qualified.name);
		expect((await weeek.listMembers()).map((member) => member.id)).toEqual([SEED.members.owner.id, SEED.members.manager.id]);
		expect((await weeek.listTags()).map((tag) => tag.id)).toEqual([SEED.tags.hot.id, SEED.tags.website.id, SEED.tags.partner.id]);
		expect((await weeek.listCurrencies()).map((currency) => currency.code)).toEqual(['RUB', 'USD', 'EUR']);
	});
});

describe('dry run', () => {
	function dryRunClient(recorded: DryRunRequest[]): WeeekClient {
		const baseUrl = 'http://127.0.0.1:9/public/v1';
		return new WeeekClient({ baseUrl, http: createDryRunHttpPort(baseUrl, recorded), sleep: async () => undefined, clock: Date.now });
	}

	it('patches a contact from a placeholder and sends nothing', async () => {
		const recorded: DryRunRequest[] = [];

		const contact = await dryRunClient(recorded).patchContact('c-1', { lastName: 'Sidorov' });

		expect(recorded.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /crm/contacts/c-1', 'PUT /crm/contacts/c-1']);
		expect(recorded[1].body).toMatchObject({ firstName: 'Dry run', lastName: 'Sidorov' });
		expect(contact.id).toBe('c-1');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('updates a deal by PATCH and reads the placeholder', async () => {
		const recorded: DryRunRequest[] = [];

		const deal = await dryRunClient(recorded).updateDeal('d-1', { description: 'x' });

		expect(recorded.map((request) => `${request.method} ${request.path}`)).toEqual(['PATCH /crm/deals/d-1', 'GET /crm/deals/d-1']);
		expect(deal.id).toBe('d-1');
	});
});
