import { SEED } from '../sandbox/server';
import { callLines, calls, locator, runNode, runNodeError, useSandbox } from './support';

const handle = useSandbox();

describe('Funnel → Create', () => {
	it('creates a funnel with the chosen currency', async () => {
		const { output } = await runNode(handle, {
			resource: 'funnel',
			operation: 'create',
			name: ' Website sales ',
			currencyId: String(SEED.currencies.usd.id),
			additionalFields: { isPrivate: true },
		});

		expect(calls(handle)).toEqual([
			{ method: 'POST', path: '/crm/funnels', query: {}, body: { name: 'Website sales', currencyId: SEED.currencies.usd.id, isPrivate: true } },
		]);
		const stored = handle.sandbox.state.funnels.find((funnel) => funnel.id === output[0].json.id);
		expect(stored).toMatchObject({ name: 'Website sales', currencyId: SEED.currencies.usd.id, isPrivate: true });
	});

	it('rejects a currency that is not an ID', async () => {
		const error = await runNodeError(handle, { resource: 'funnel', operation: 'create', name: 'Sales 2', currencyId: 'RUB', additionalFields: {} });

		expect(error.message).toBe("The parameter 'Currency Name or ID' must be a WEEEK currency ID, a whole number such as 1, not 'RUB': pick the currency from the list");
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('rejects an empty name', async () => {
		const error = await runNodeError(handle, { resource: 'funnel', operation: 'create', name: '', currencyId: 1, additionalFields: {} });

		expect(error.message).toMatch(/The parameter 'Name' is empty/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});

describe('Funnel → Get and Get Many', () => {
	it('reads one funnel with its custom fields', async () => {
		const { output } = await runNode(handle, { resource: 'funnel', operation: 'get', funnel: locator(SEED.funnels.sales.id, 'list') });

		expect(callLines(handle)).toEqual([`GET /crm/funnels/${SEED.funnels.sales.id}`]);
		expect(output[0].json.name).toBe('Sales');
		expect((output[0].json.customFields as Array<{ id: string }>).map((field) => field.id)).toEqual(Object.values(SEED.customFields).map((field) => field.id));
	});

	it('names the missing funnel on 404', async () => {
		const error = await runNodeError(handle, { resource: 'funnel', operation: 'get', funnel: locator('NoSuchFunnel0001') });

		expect(error.message).toMatch(/no funnel 'NoSuchFunnel0001'/);
	});

	it('outputs one item per funnel and keeps to the limit', async () => {
		const all = await runNode(handle, { resource: 'funnel', operation: 'getAll', returnAll: true });
		const limited = await runNode(handle, { resource: 'funnel', operation: 'getAll', returnAll: false, limit: 1 });

		expect(callLines(handle)).toEqual(['GET /crm/funnels', 'GET /crm/funnels']);
		expect(all.output.map((item) => item.json.id)).toEqual([SEED.funnels.sales.id, SEED.funnels.partners.id]);
		expect(limited.output.map((item) => item.json.id)).toEqual([SEED.funnels.sales.id]);
	});
});

describe('Status → Get and Get Many', () => {
	it('lists the statuses of a funnel in board order', async () => {
		const { output } = await runNode(handle, { resource: 'status', operation: 'getAll', funnel: locator(SEED.funnels.partners.id), returnAll: true });

		expect(callLines(handle)).toEqual([`GET /crm/funnels/${SEED.funnels.partners.id}/statuses`]);
		expect(output.map((item) => item.json.name)).toEqual(['Inbox', 'In progress', 'Done']);
	});

	it('keeps the first statuses up to the limit', async () => {
		const { output } = await runNode(handle, { resource: 'status', operation: 'getAll', funnel: locator(SEED.funnels.sales.id), returnAll: false, limit: 2 });

		expect(output.map((item) => item.json.id)).toEqual([SEED.statuses.newLead.id, SEED.statuses.qualified.id]);
	});

	it('reads one status', async () => {
		const { output } = await runNode(handle, { resource: 'status', operation: 'get', funnel: locator(SEED.funnels.sales.id), status: SEED.statuses.contract.id });

		expect(callLines(handle)).toEqual([`GET /crm/statuses/${SEED.statuses.contract.id}`]);
		expect(output[0].json).toMatchObject({ id: SEED.statuses.contract.id, name: 'Contract' });
	});

	it('names the missing status on 404', async () => {
		const error = await runNodeError(handle, { resource: 'status', operation: 'get', funnel: locator(SEED.funnels.sales.id), status: 'NoSuchStatus0001' });

		expect(error.message).toMatch(/no status 'NoSuchStatus0001'/);
	});

	it('rejects an empty funnel for Get Many', async () => {
		const error = await runNodeError(handle, { resource: 'status', operation: 'getAll', funnel: locator(''), returnAll: true });

		expect(error.message).toMatch(/The parameter 'Funnel' is empty: pick a funnel from the list/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});

describe('Member → Get Many', () => {
	it('outputs one item per workspace member', async () => {
		const { output } = await runNode(handle, { resource: 'member', operation: 'getAll', returnAll: true });

		expect(callLines(handle)).toEqual(['GET /ws/members']);
		expect(output.map((item) => item.json.id)).toEqual([SEED.members.owner.id, SEED.members.manager.id]);
		expect(output[0].json).toMatchObject({ email: SEED.members.owner.email, firstName: 'Anna' });
	});

	it('keeps to the limit', async () => {
		const { output } = await runNode(handle, { resource: 'member', operation: 'getAll', returnAll: false, limit: 1 });

		expect(output).toHaveLength(1);
	});
});
