import { call } from './http';
import { SEED, startSandbox, type Sandbox } from './server';

let sandbox: Sandbox;

const newLead = SEED.statuses.newLead.id;
const fields = SEED.customFields;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function createContact(firstName: string): Promise<string> {
	const response = await call(sandbox, 'POST', '/crm/contacts', { firstName });
	return response.body.contact.id;
}

async function createDeal(body: Record<string, unknown>, statusId: string = newLead): Promise<any> {
	const response = await call(sandbox, 'POST', `/crm/statuses/${statusId}/deals`, body);
	expect(response.status).toBe(200);
	return response.body.deal;
}

describe('deal create', () => {
	it('returns the deal in WEEEK shape', async () => {
		const contactId = await createContact('Ivan');
		const response = await call(sandbox, 'POST', `/crm/statuses/${newLead}/deals`, {
			title: 'Website redesign',
			amount: 150000,
			description: 'From the contact form',
			assignees: [SEED.members.manager.id],
			contacts: [contactId],
			tags: [SEED.tags.hot.id],
		});

		expect(response.status).toBe(200);
		expect(response.body.success).toBe(true);
		const deal = response.body.deal;
		expect(deal.id).toMatch(/^[A-Za-z0-9]{16}$/);
		expect(deal).toMatchObject({
			creatorId: SEED.members.owner.id,
			funnelId: SEED.funnels.sales.id,
			statusId: newLead,
			title: 'Website redesign',
			amount: 150000,
			winStatus: null,
			description: 'From the contact form',
			assignees: [SEED.members.manager.id],
			contacts: [contactId],
			organizations: [],
			tags: [SEED.tags.hot.id],
			tasks: [],
			attachments: [],
		});
		expect(Date.parse(deal.createdAt)).not.toBeNaN();
		expect(deal.updatedAt).toBe(deal.createdAt);
	});

	it('links contacts given in contacts[]', async () => {
		const first = await createContact('Ivan');
		const second = await createContact('Olga');
		const deal = await createDeal({ title: 'Two people', contacts: [first, second] });

		expect(sandbox.state.deals.find((stored) => stored.id === deal.id)?.contacts).toEqual([first, second]);
		const fetched = await call(sandbox, 'GET', `/crm/deals/${deal.id}`);
		expect(fetched.body.deal.contacts).toEqual([first, second]);
	});

	it('rejects amount given as a string', async () => {
		const response = await call(sandbox, 'POST', `/crm/statuses/${newLead}/deals`, { title: 'x', amount: '1500' });
		expect(response.status).toBe(422);
		expect(response.body).toEqual({
			success: false,
			message: 'The amount field must be a number.',
			errors: { amount: ['The amount field must be a number.'] },
		});
		expect(sandbox.state.deals).toHaveLength(0);
	});

	it('accepts a null amount', async () => {
		const deal = await createDeal({ title: 'x', amount: null });
		expect(deal.amount).toBeNull();
	});

	it('rejects an invalid winStatus', async () => {
		const response = await call(sandbox, 'POST', `/crm/statuses/${newLead}/deals`, { title: 'x', winStatus: 'open' });
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ winStatus: ['The selected win status is invalid.'] });
	});

	it('rejects an unknown contact id', async () => {
		const response = await call(sandbox, 'POST', `/crm/statuses/${newLead}/deals`, {
			title: 'x',
			contacts: ['00000000-0000-4000-8000-000000000000'],
		});
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ 'contacts.0': ['The selected contacts.0 is invalid.'] });
	});

	it('counts several errors in the message', async () => {
		const response = await call(sandbox, 'POST', `/crm/statuses/${newLead}/deals`, { title: 5, amount: 'x', tags: [99] });
		expect(response.status).toBe(422);
		expect(response.body.message).toBe('The title field must be a string. (and 2 more errors)');
		expect(Object.keys(response.body.errors)).toEqual(['title', 'amount', 'tags.0']);
	});

	it('ignores unknown body fields', async () => {
		const deal = await createDeal({ title: 'x', name: 'ignored', statusId: SEED.statuses.contract.id, color: 'red' });
		expect(deal.statusId).toBe(newLead);
		expect(deal).not.toHaveProperty('name');
		expect(deal).not.toHaveProperty('color');
	});

	it('answers 404 for an unknown status', async () => {
		const response = await call(sandbox, 'POST', '/crm/statuses/NoSuchStatus0000/deals', { title: 'x' });
		expect(response.status).toBe(404);
		expect(response.body).toEqual({ message: 'Record not found' });
	});
});

describe('deal custom fields', () => {
	it('map in, array with values out', async () => {
		const deal = await createDeal({
			title: 'x',
			customFields: {
				[fields.leadKey.id]: 'tilda:form-1:42',
				[fields.channel.id]: fields.channel.options.vk.id,
				[fields.budget.id]: 250000,
			},
		});

		expect(deal.customFields).toHaveLength(4);
		const byId = Object.fromEntries(deal.customFields.map((field: { id: string }) => [field.id, field]));
		expect(byId[fields.leadKey.id]).toEqual({
			id: fields.leadKey.id,
			name: 'Lead key',
			type: 'text',
			config: null,
			options: [],
			value: 'tilda:form-1:42',
		});
		expect(byId[fields.channel.id].value).toBe(fields.channel.options.vk.id);
		expect(byId[fields.channel.id].options).toHaveLength(4);
		expect(byId[fields.budget.id].value).toBe(250000);
		expect(byId[fields.utmSource.id].value).toBeNull();
	});

	it('rejects an unknown custom field id', async () => {
		const unknown = '11111111-2222-4333-8444-555555555555';
		const response = await call(sandbox, 'POST', `/crm/statuses/${newLead}/deals`, {
			title: 'x',
			customFields: { [unknown]: 'value' },
		});
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ [`customFields.${unknown}`]: [`The selected custom fields.${unknown} is invalid.`] });
	});

	it('rejects a field of another funnel', async () => {
		const response = await call(sandbox, 'POST', `/crm/statuses/${SEED.statuses.inbox.id}/deals`, {
			title: 'x',
			customFields: { [fields.leadKey.id]: 'k' },
		});
		expect(response.status).toBe(422);
	});

	it('rejects values of the wrong type', async () => {
		const response = await call(sandbox, 'POST', `/crm/statuses/${newLead}/deals`, {
			title: 'x',
			customFields: { [fields.budget.id]: '100', [fields.channel.id]: 'not-an-option' },
		});
		expect(response.status).toBe(422);
		expect(Object.keys(response.body.errors)).toEqual([`customFields.${fields.budget.id}`, `customFields.${fields.channel.id}`]);
	});

	it('array read shape is discarded', async () => {
		const deal = await createDeal({ title: 'x', customFields: [{ id: fields.leadKey.id, value: 'k' }] });
		expect(deal.customFields.every((field: { value: unknown }) => field.value === null)).toBe(true);
	});

	it('merges on PUT and clears with null', async () => {
		const deal = await createDeal({ title: 'x', customFields: { [fields.leadKey.id]: 'k1', [fields.utmSource.id]: 'vk' } });
		const response = await call(sandbox, 'PUT', `/crm/deals/${deal.id}`, {
			customFields: { [fields.utmSource.id]: null, [fields.budget.id]: 10 },
		});
		const values = Object.fromEntries(response.body.deal.customFields.map((field: { id: string; value: unknown }) => [field.id, field.value]));
		expect(values[fields.leadKey.id]).toBe('k1');
		expect(values[fields.utmSource.id]).toBeNull();
		expect(values[fields.budget.id]).toBe(10);
	});
});

describe('deal list', () => {
	it('pages with limit, offset and hasMoreDeals', async () => {
		for (let index = 1; index <= 5; index += 1) {
			await createDeal({ title: `Deal ${index}` });
		}

		const first = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?limit=2&offset=0`);
		expect(first.body.success).toBe(true);
		expect(first.body.deals).toHaveLength(2);
		expect(first.body.hasMoreDeals).toBe(true);

		const last = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?limit=2&offset=4`);
		expect(last.body.deals).toHaveLength(1);
		expect(last.body.hasMoreDeals).toBe(false);

		const exact = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?limit=5`);
		expect(exact.body.deals).toHaveLength(5);
		expect(exact.body.hasMoreDeals).toBe(false);
	});

	it('puts new deals on top', async () => {
		await createDeal({ title: 'Older' });
		await createDeal({ title: 'Newer' });
		const response = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals`);
		expect(response.body.deals.map((deal: { title: string }) => deal.title)).toEqual(['Newer', 'Older']);
	});

	it('defaults to 50 deals per page', async () => {
		for (let index = 0; index < 51; index += 1) {
			await createDeal({ title: `Deal ${index}` });
		}
		const response = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals`);
		expect(response.body.deals).toHaveLength(50);
		expect(response.body.hasMoreDeals).toBe(true);
	});

	it('rejects limit above 100', async () => {
		const response = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?limit=101`);
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ limit: ['The limit field must not be greater than 100.'] });
		const allowed = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?limit=100`);
		expect(allowed.status).toBe(200);
	});

	it('searches title and description ignoring case', async () => {
		await createDeal({ title: 'Website REDESIGN' });
		await createDeal({ title: 'Logo', description: 'part of the redesign' });
		await createDeal({ title: 'Unrelated' });

		const response = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?search=redesign`);
		expect(response.body.deals.map((deal: { title: string }) => deal.title).sort()).toEqual(['Logo', 'Website REDESIGN']);
	});

	it('filters by winStatuses[] in bracket form only', async () => {
		await createDeal({ title: 'Won', winStatus: 'won' });
		await createDeal({ title: 'Lost', winStatus: 'lost' });
		await createDeal({ title: 'Open' });

		const filtered = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?winStatuses[]=won&winStatuses[]=lost`);
		expect(filtered.body.deals.map((deal: { title: string }) => deal.title).sort()).toEqual(['Lost', 'Won']);

		const plain = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?winStatuses=won`);
		expect(plain.status).toBe(422);
		expect(plain.body.errors).toEqual({ winStatuses: ['The win statuses field must be an array.'] });
	});

	it('sorts by the given key', async () => {
		await createDeal({ title: 'B', amount: 300 });
		await createDeal({ title: 'A', amount: 100 });
		await createDeal({ title: 'C', amount: null });

		const byTitle = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?sort=title`);
		expect(byTitle.body.deals.map((deal: { title: string }) => deal.title)).toEqual(['A', 'B', 'C']);

		const byAmount = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?sort=amount`);
		expect(byAmount.body.deals.map((deal: { title: string }) => deal.title)).toEqual(['A', 'B', 'C']);

		const oldestFirst = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?sort=createdAt`);
		expect(oldestFirst.body.deals.map((deal: { title: string }) => deal.title)).toEqual(['B', 'A', 'C']);

		const newestFirst = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?sort=-createdAt`);
		expect(newestFirst.body.deals.map((deal: { title: string }) => deal.title)).toEqual(['C', 'A', 'B']);

		const invalid = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals?sort=colour`);
		expect(invalid.status).toBe(422);
	});

	it('lists only the deals of the status', async () => {
		await createDeal({ title: 'Here' });
		await createDeal({ title: 'Elsewhere' }, SEED.statuses.contract.id);
		const response = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals`);
		expect(response.body.deals.map((deal: { title: string }) => deal.title)).toEqual(['Here']);
	});
});

describe('deal PUT and PATCH', () => {
	it('PUT ignores description and relations', async () => {
		const contactId = await createContact('Ivan');
		const deal = await createDeal({ title: 'Old', amount: 1, description: 'keep' });

		const response = await call(sandbox, 'PUT', `/crm/deals/${deal.id}`, {
			title: 'New',
			amount: 2,
			winStatus: 'won',
			description: 'ignored',
			contacts: [contactId],
			tags: [SEED.tags.hot.id],
		});

		expect(response.status).toBe(200);
		expect(response.body.deal).toMatchObject({ title: 'New', amount: 2, winStatus: 'won', description: 'keep', contacts: [], tags: [] });
	});

	it('PATCH changes all, returns success only', async () => {
		const first = await createContact('Ivan');
		const second = await createContact('Olga');
		const deal = await createDeal({ title: 'Old', contacts: [first], tags: [SEED.tags.hot.id] });

		const response = await call(sandbox, 'PATCH', `/crm/deals/${deal.id}`, {
			description: 'changed',
			contacts: [second],
			tags: [SEED.tags.website.id],
		});

		expect(response.body).toEqual({ success: true });
		const stored = sandbox.state.deals.find((candidate) => candidate.id === deal.id);
		expect(stored).toMatchObject({ title: 'Old', description: 'changed', contacts: [second], tags: [SEED.tags.website.id] });
	});

	it('PATCH validates like create', async () => {
		const deal = await createDeal({ title: 'x' });
		const response = await call(sandbox, 'PATCH', `/crm/deals/${deal.id}`, { amount: '5' });
		expect(response.status).toBe(422);
	});

	it('PUT reopens a deal with winStatus null', async () => {
		const deal = await createDeal({ title: 'x', winStatus: 'lost' });
		const response = await call(sandbox, 'PUT', `/crm/deals/${deal.id}`, { winStatus: null });
		expect(response.body.deal.winStatus).toBeNull();
	});

	it('deletes a deal', async () => {
		const deal = await createDeal({ title: 'x' });
		expect((await call(sandbox, 'DELETE', `/crm/deals/${deal.id}`)).body).toEqual({ success: true });
		expect((await call(sandbox, 'GET', `/crm/deals/${deal.id}`)).status).toBe(404);
	});
});

describe('deal moves', () => {
	it('changes status with PUT /status', async () => {
		const deal = await createDeal({ title: 'x' });
		const response = await call(sandbox, 'PUT', `/crm/deals/${deal.id}/status`, { statusId: SEED.statuses.qualified.id });
		expect(response.body).toEqual({ success: true });
		expect(sandbox.state.deals[0].statusId).toBe(SEED.statuses.qualified.id);
	});

	it('rejects an unknown status id', async () => {
		const deal = await createDeal({ title: 'x' });
		const response = await call(sandbox, 'PUT', `/crm/deals/${deal.id}/status`, { statusId: 'Unknown000000000' });
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ statusId: ['The selected status id is invalid.'] });
	});

	it('funnel change lands in first status', async () => {
		const deal = await createDeal({ title: 'x', customFields: { [fields.leadKey.id]: 'k' } });
		const response = await call(sandbox, 'PUT', `/crm/deals/${deal.id}/funnel`, { funnelId: SEED.funnels.partners.id });
		expect(response.body).toEqual({ success: true });

		const fetched = await call(sandbox, 'GET', `/crm/deals/${deal.id}`);
		expect(fetched.body.deal.funnelId).toBe(SEED.funnels.partners.id);
		expect(fetched.body.deal.statusId).toBe(SEED.statuses.inbox.id);
		expect(fetched.body.deal.customFields).toEqual([]);
	});

	it('POST /move reorders the board', async () => {
		const a = await createDeal({ title: 'A' });
		const b = await createDeal({ title: 'B' });
		const c = await createDeal({ title: 'C' });
		// Board order is now C, B, A.
		await call(sandbox, 'POST', `/crm/deals/${c.id}/move`, { previousDealId: a.id });
		const moved = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals`);
		expect(moved.body.deals.map((deal: { title: string }) => deal.title)).toEqual(['B', 'A', 'C']);

		await call(sandbox, 'POST', `/crm/deals/${a.id}/move`, { previousDealId: null });
		const top = await call(sandbox, 'GET', `/crm/statuses/${newLead}/deals`);
		expect(top.body.deals.map((deal: { title: string }) => deal.title)).toEqual(['A', 'B', 'C']);

		await call(sandbox, 'POST', `/crm/deals/${b.id}/move`, { statusId: SEED.statuses.contract.id });
		expect(sandbox.state.deals.find((deal) => deal.id === b.id)?.statusId).toBe(SEED.statuses.contract.id);
	});

	it('keeps dealsCount and dealsAmount up to date', async () => {
		const deal = await createDeal({ title: 'x', amount: 100 });
		await createDeal({ title: 'y', amount: 50 });

		const status = await call(sandbox, 'GET', `/crm/statuses/${newLead}`);
		expect(status.body.status).toMatchObject({ dealsCount: 2, dealsAmount: 150 });

		await call(sandbox, 'PUT', `/crm/deals/${deal.id}/status`, { statusId: SEED.statuses.contract.id });
		const after = await call(sandbox, 'GET', `/crm/funnels/${SEED.funnels.sales.id}/statuses`);
		const counts = Object.fromEntries(after.body.statuses.map((entry: { id: string; dealsCount: number }) => [entry.id, entry.dealsCount]));
		expect(counts[newLead]).toBe(1);
		expect(counts[SEED.statuses.contract.id]).toBe(1);

		const funnel = await call(sandbox, 'GET', `/crm/funnels/${SEED.funnels.sales.id}`);
		expect(funnel.body.funnel).toMatchObject({ dealsCount: 2, dealsAmount: 150 });
		expect(sandbox.state.statuses.find((entry) => entry.id === newLead)?.dealsAmount).toBe(50);
	});
});

describe('deal relations', () => {
	it('contact attach and DELETE-body detach', async () => {
		const contactId = await createContact('Ivan');
		const deal = await createDeal({ title: 'x' });

		const attached = await call(sandbox, 'POST', `/crm/deals/${deal.id}/contacts`, { contactId });
		expect(attached.body).toEqual({ success: true });
		expect(sandbox.state.deals[0].contacts).toEqual([contactId]);

		await call(sandbox, 'POST', `/crm/deals/${deal.id}/contacts`, { contactId });
		expect(sandbox.state.deals[0].contacts).toEqual([contactId]);

		const detached = await call(sandbox, 'DELETE', `/crm/deals/${deal.id}/contacts`, { contactId });
		expect(detached.body).toEqual({ success: true });
		expect(sandbox.state.deals[0].contacts).toEqual([]);
	});

	it('requires the id in a DELETE body', async () => {
		const deal = await createDeal({ title: 'x' });
		const response = await call(sandbox, 'DELETE', `/crm/deals/${deal.id}/contacts`);
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ contactId: ['The contact id field is required.'] });
	});

	it('attaches organizations and assignees', async () => {
		const organization = await call(sandbox, 'POST', '/crm/organizations', { name: 'Example LLC' });
		const deal = await createDeal({ title: 'x' });

		await call(sandbox, 'POST', `/crm/deals/${deal.id}/organizations`, { organizationId: organization.body.organization.id });
		await call(sandbox, 'POST', `/crm/deals/${deal.id}/assignees`, { assigneeId: SEED.members.manager.id });

		expect(sandbox.state.deals[0].organizations).toEqual([organization.body.organization.id]);
		expect(sandbox.state.deals[0].assignees).toEqual([SEED.members.manager.id]);

		await call(sandbox, 'DELETE', `/crm/deals/${deal.id}/assignees`, { assigneeId: SEED.members.manager.id });
		expect(sandbox.state.deals[0].assignees).toEqual([]);
	});

	it('takes tag, not tagId, for deal tags', async () => {
		const deal = await createDeal({ title: 'x' });

		const wrongKey = await call(sandbox, 'POST', `/crm/deals/${deal.id}/tags`, { tagId: SEED.tags.hot.id });
		expect(wrongKey.status).toBe(422);
		expect(wrongKey.body.errors).toEqual({ tag: ['The tag field is required.'] });

		await call(sandbox, 'POST', `/crm/deals/${deal.id}/tags`, { tag: SEED.tags.hot.id });
		expect(sandbox.state.deals[0].tags).toEqual([SEED.tags.hot.id]);

		await call(sandbox, 'DELETE', `/crm/deals/${deal.id}/tags`, { tag: SEED.tags.hot.id });
		expect(sandbox.state.deals[0].tags).toEqual([]);
	});

	it('rejects an unknown assignee', async () => {
		const deal = await createDeal({ title: 'x' });
		const response = await call(sandbox, 'POST', `/crm/deals/${deal.id}/assignees`, { assigneeId: 'nobody' });
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ assigneeId: ['The selected assignee id is invalid.'] });
	});

	it('creates a task on a deal', async () => {
		const deal = await createDeal({ title: 'x' });
		const response = await call(sandbox, 'POST', `/crm/deals/${deal.id}/tasks`, { title: 'Call back', type: 'call' });
		expect(response.body.task).toMatchObject({ title: 'Call back', type: 'call', isCompleted: false });
		const fetched = await call(sandbox, 'GET', `/crm/deals/${deal.id}`);
		expect(fetched.body.deal.tasks.map((task: { title: string }) => task.title)).toEqual(['Call back']);
	});
});
