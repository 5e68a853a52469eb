/**
 * The list behaviour the WEEEK watch relies on: deals and contacts sorted by `updatedAt` both ways,
 * every kind of change moving a record's `updatedAt`, and contacts refusing sort keys WEEEK does
 * not offer for them (alphabet and updatedAt only).
 */
import { call } from './http';
import { SEED, startSandbox, type Sandbox } from './server';

let sandbox: Sandbox;

const { newLead, qualified } = SEED.statuses;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

async function createDeal(title: string): Promise<{ id: string; createdAt: string; updatedAt: string }> {
	const response = await call(sandbox, 'POST', `/crm/statuses/${newLead.id}/deals`, { title });
	return response.body.deal;
}

async function dealTitles(statusId: string, sort: string): Promise<string[]> {
	const response = await call(sandbox, 'GET', `/crm/statuses/${statusId}/deals?sort=${sort}`);
	expect(response.status).toBe(200);
	return response.body.deals.map((deal: { title: string }) => deal.title);
}

async function readDeal(id: string): Promise<{ statusId: string; createdAt: string; updatedAt: string }> {
	return (await call(sandbox, 'GET', `/crm/deals/${id}`)).body.deal;
}

describe('deal list by updatedAt', () => {
	it('puts the most recently changed deal first', async () => {
		const first = await createDeal('First');
		await createDeal('Second');
		await createDeal('Third');

		expect(await dealTitles(newLead.id, '-updatedAt')).toEqual(['Third', 'Second', 'First']);
		await call(sandbox, 'PUT', `/crm/deals/${first.id}`, { amount: 10 });
		expect(await dealTitles(newLead.id, '-updatedAt')).toEqual(['First', 'Third', 'Second']);
		expect(await dealTitles(newLead.id, 'updatedAt')).toEqual(['Second', 'Third', 'First']);
	});

	it('moves updatedAt on a status change, a win status change and a relation', async () => {
		const deal = await createDeal('Tracked');
		let last = deal.updatedAt;

		const changes: Array<[string, string, unknown]> = [
			['PUT', `/crm/deals/${deal.id}/status`, { statusId: qualified.id }],
			['PUT', `/crm/deals/${deal.id}`, { winStatus: 'won' }],
			['PATCH', `/crm/deals/${deal.id}`, { winStatus: null }],
			['POST', `/crm/deals/${deal.id}/tags`, { tag: SEED.tags.hot.id }],
		];
		for (const [method, path, body] of changes) {
			const response = await call(sandbox, method, path, body);
			expect({ path, status: response.status }).toEqual({ path, status: 200 });
			const after = await readDeal(deal.id);
			expect({ path, newer: after.updatedAt > last }).toEqual({ path, newer: true });
			last = after.updatedAt;
		}

		const final = await readDeal(deal.id);
		expect(final.statusId).toBe(qualified.id);
		expect(final.createdAt).toBe(deal.createdAt);
	});
});

describe('contact list by updatedAt', () => {
	async function createContact(firstName: string): Promise<string> {
		return (await call(sandbox, 'POST', '/crm/contacts', { firstName })).body.contact.id;
	}

	async function contactNames(sort: string): Promise<string[]> {
		const response = await call(sandbox, 'GET', `/crm/contacts?sort=${sort}`);
		expect(response.status).toBe(200);
		return response.body.contacts.map((contact: { firstName: string }) => contact.firstName);
	}

	it('puts the most recently changed contact first', async () => {
		const anna = await createContact('Anna');
		await createContact('Boris');

		expect(await contactNames('-updatedAt')).toEqual(['Boris', 'Anna']);
		await call(sandbox, 'POST', `/crm/contacts/${anna}/phones`, { phone: '+79990001234' });
		expect(await contactNames('-updatedAt')).toEqual(['Anna', 'Boris']);
		expect(await contactNames('updatedAt')).toEqual(['Boris', 'Anna']);
	});

	it('rejects sorting contacts by createdAt', async () => {
		const response = await call(sandbox, 'GET', '/crm/contacts?sort=-createdAt');

		expect(response.status).toBe(422);
	});
});
