import { createLoadOptionsContext } from './harness';
import { callLines, calls, loadOptionsContext, locator, node, seedContacts, seedDeals, seedOrganizations, useSandbox } from './support';
import { SEED } from '../sandbox/server';

const handle = useSandbox();
const { listSearch, loadOptions } = node.methods;

describe('contact and organization lists', () => {
	it('pages contacts by offset while pages are full', async () => {
		const seeded = seedContacts(handle, 60);
		seeded[0].lastName = 'Petrov';

		const first = await listSearch.searchContacts.call(loadOptionsContext(handle));
		const second = await listSearch.searchContacts.call(loadOptionsContext(handle), undefined, first.paginationToken as string);

		expect(calls(handle).map((call) => call.query)).toEqual([
			{ limit: '50', offset: '0' },
			{ limit: '50', offset: '50' },
		]);
		expect(first.results[0]).toEqual({ name: 'Contact 001 Petrov (contact1@example.ru)', value: seeded[0].id });
		expect(first.paginationToken).toBe('50');
		expect(second.results.map((result) => result.value)).toEqual(seeded.slice(50).map((contact) => contact.id));
		expect(second.paginationToken).toBeUndefined();
	});

	it('passes the search text to WEEEK', async () => {
		seedContacts(handle, 3, 'Ivan');
		seedContacts(handle, 3, 'Olga');

		const result = await listSearch.searchContacts.call(loadOptionsContext(handle), ' olga ');

		expect(calls(handle)[0].query).toEqual({ limit: '50', offset: '0', search: 'olga' });
		expect(result.results.map((entry) => entry.name)).toEqual(['Olga 001 (olga1@example.ru)', 'Olga 002 (olga2@example.ru)', 'Olga 003 (olga3@example.ru)']);
	});

	it('lists organizations by name', async () => {
		const seeded = seedOrganizations(handle, 2);

		const result = await listSearch.searchOrganizations.call(loadOptionsContext(handle), 'company');

		expect(calls(handle)).toEqual([{ method: 'GET', path: '/crm/organizations', query: { limit: '50', offset: '0', search: 'company' }, body: undefined }]);
		expect(result).toEqual({ results: seeded.map((organization) => ({ name: organization.name, value: organization.id })), paginationToken: undefined });
	});
});

describe('deal list across funnels', () => {
	it('walks the statuses of every funnel and continues where the last page stopped', async () => {
		const newLead = seedDeals(handle, SEED.statuses.newLead.id, 30, {}, 'Lead');
		const qualified = seedDeals(handle, SEED.statuses.qualified.id, 40, {}, 'Qualified');
		const inbox = seedDeals(handle, SEED.statuses.inbox.id, 3, {}, 'Partner');

		const first = await listSearch.searchDeals.call(loadOptionsContext(handle));
		expect(callLines(handle)).toEqual([
			'GET /crm/funnels',
			`GET /crm/funnels/${SEED.funnels.sales.id}/statuses`,
			`GET /crm/funnels/${SEED.funnels.partners.id}/statuses`,
			`GET /crm/statuses/${SEED.statuses.newLead.id}/deals`,
			`GET /crm/statuses/${SEED.statuses.qualified.id}/deals`,
		]);
		expect(first.results.map((result) => result.value)).toEqual([...newLead, ...qualified].map((deal) => deal.id));
		expect(first.results[0].name).toBe('Lead 001 (Sales / New lead)');
		expect(first.paginationToken).toBe('2:0');

		handle.sandbox.requests.length = 0;
		const second = await listSearch.searchDeals.call(loadOptionsContext(handle), undefined, first.paginationToken as string);
		expect(second.results.map((result) => result.name)).toEqual(inbox.map((deal) => `${deal.title} (Partners / Inbox)`));
		expect(second.paginationToken).toBeUndefined();
		expect(callLines(handle).filter((line) => line.endsWith('/deals'))).toHaveLength(5);
	});

	it('pages inside a status that has more deals', async () => {
		const seeded = seedDeals(handle, SEED.statuses.newLead.id, 120);

		const first = await listSearch.searchDeals.call(loadOptionsContext(handle), 'deal');
		const second = await listSearch.searchDeals.call(loadOptionsContext(handle), 'deal', first.paginationToken as string);

		const dealCalls = calls(handle).filter((call) => call.path.endsWith('/deals'));
		expect(dealCalls[0].query).toEqual({ limit: '50', offset: '0', search: 'deal' });
		expect(first.paginationToken).toBe('0:50');
		expect(dealCalls[1].query).toEqual({ limit: '50', offset: '50', search: 'deal' });
		expect(second.results.map((result) => result.value)).toEqual(seeded.slice(50, 100).map((deal) => deal.id));
	});
});

describe('dropdown options', () => {
	it('lists members with their e-mail, sorted by name', async () => {
		const options = await loadOptions.getMembers.call(loadOptionsContext(handle));

		expect(options).toEqual([
			{ name: `Anna Sokolova (${SEED.members.owner.email})`, value: SEED.members.owner.id },
			{ name: `Pavel Orlov (${SEED.members.manager.email})`, value: SEED.members.manager.id },
		]);
	});

	it('lists tags with their numeric IDs', async () => {
		const options = await loadOptions.getTags.call(loadOptionsContext(handle));

		expect(options).toEqual([
			{ name: 'hot', value: SEED.tags.hot.id },
			{ name: 'partner', value: SEED.tags.partner.id },
			{ name: 'website', value: SEED.tags.website.id },
		]);
	});

	it('lists currencies by code', async () => {
		const options = await loadOptions.getCurrencies.call(loadOptionsContext(handle));

		expect(options).toEqual([
			{ name: 'EUR — Euro', value: SEED.currencies.eur.id },
			{ name: 'RUB — Russian ruble', value: SEED.currencies.rub.id },
			{ name: 'USD — US dollar', value: SEED.currencies.usd.id },
		]);
	});

	it('reads custom fields through the deal', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.negotiation.id, 1);

		const options = await loadOptions.getDealCustomFields.call(loadOptionsContext(handle, { deal: locator(deal.id, 'list') }));

		expect(callLines(handle)).toEqual([`GET /crm/deals/${deal.id}`]);
		expect(options.map((option) => option.name)).toEqual(['Budget (number)', 'Channel (select)', 'Lead key (text)', 'UTM source (text)']);
	});

	it('prefers the funnel parameter and asks nothing without funnel or deal', async () => {
		const none = await loadOptions.getDealCustomFields.call(loadOptionsContext(handle, { deal: locator('') }));
		expect(none).toEqual([]);
		expect(handle.sandbox.requests).toHaveLength(0);

		const options = await loadOptions.getDealCustomFields.call(loadOptionsContext(handle, { funnel: locator(SEED.funnels.partners.id), deal: locator('ignored') }));
		expect(options).toEqual([]);
		expect(callLines(handle)).toEqual([`GET /crm/funnels/${SEED.funnels.partners.id}`]);
	});

	it('explains a rejected token in a dropdown', async () => {
		const { context } = createLoadOptionsContext({ parameters: {}, credentials: { apiToken: 'wrong', baseUrl: handle.sandbox.baseUrl, requestsPerSecond: 1000 } });

		await expect(loadOptions.getTags.call(context)).rejects.toThrow(/rejected the API token/);
	});
});
