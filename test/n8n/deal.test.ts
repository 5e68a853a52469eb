import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { SEED } from '../sandbox/server';
import { callLines, calls, findDeal, locator, runNode, runNodeError, seedContacts, seedDeals, seedOrganizations, useSandbox } from './support';

const handle = useSandbox();

const sales = locator(SEED.funnels.sales.id, 'list');
const partners = locator(SEED.funnels.partners.id, 'list');
const { budget, channel, leadKey, utmSource } = SEED.customFields;

describe('Deal → Create with relations and custom fields', () => {
	it('sends assignees, tags, organizations, win status and typed custom fields', async () => {
		const [contact] = seedContacts(handle, 1);
		const [organization] = seedOrganizations(handle, 1);

		const { output } = await runNode(handle, {
			resource: 'deal',
			operation: 'create',
			funnel: sales,
			status: SEED.statuses.newLead.id,
			title: 'Kitchen — Ivan',
			additionalFields: {
				contactIds: contact.id,
				organizationIds: organization.id,
				assigneeIds: [SEED.members.manager.id],
				tagIds: [SEED.tags.hot.id, String(SEED.tags.website.id)],
				winStatus: 'won',
				customFields: {
					field: [
						{ fieldId: budget.id, value: '150 000,50' },
						{ fieldId: channel.id, value: 'facebook' },
						{ fieldId: utmSource.id, value: 'yandex' },
						{ fieldId: leadKey.id, value: '' },
					],
				},
			},
		});

		expect(callLines(handle)).toEqual([`GET /crm/funnels/${SEED.funnels.sales.id}`, `POST /crm/statuses/${SEED.statuses.newLead.id}/deals`]);
		expect(calls(handle, 'POST')[0].body).toEqual({
			title: 'Kitchen — Ivan',
			winStatus: 'won',
			contacts: [contact.id],
			organizations: [organization.id],
			assignees: [SEED.members.manager.id],
			tags: [SEED.tags.hot.id, SEED.tags.website.id],
			customFields: { [budget.id]: 150000.5, [channel.id]: channel.options.facebook.id, [utmSource.id]: 'yandex' },
		});

		const deal = findDeal(handle, String(output[0].json.id));
		expect(deal).toMatchObject({
			statusId: SEED.statuses.newLead.id,
			winStatus: 'won',
			contacts: [contact.id],
			organizations: [organization.id],
			assignees: [SEED.members.manager.id],
			tags: [SEED.tags.hot.id, SEED.tags.website.id],
		});
		expect(deal.customFieldValues).toEqual({ [budget.id]: 150000.5, [channel.id]: channel.options.facebook.id, [utmSource.id]: 'yandex' });
	});

	it('reads the funnel only when custom fields are set', async () => {
		await runNode(handle, { resource: 'deal', operation: 'create', funnel: sales, status: SEED.statuses.newLead.id, title: 'Plain', additionalFields: { tagIds: [] } });

		expect(callLines(handle)).toEqual([`POST /crm/statuses/${SEED.statuses.newLead.id}/deals`]);
		expect(calls(handle)[0].body).toEqual({ title: 'Plain' });
	});

	it('rejects a custom field the funnel does not have', async () => {
		const error = await runNodeError(handle, {
			resource: 'deal',
			operation: 'create',
			funnel: partners,
			status: SEED.statuses.inbox.id,
			title: 'x',
			additionalFields: { customFields: { field: [{ fieldId: budget.id, value: '1' }] } },
		});

		expect(error.message).toMatch(new RegExp(`funnel has no custom field '${budget.id}' \\(parameter 'Custom Fields'\\): pick the field again`));
		expect(callLines(handle)).toEqual([`GET /crm/funnels/${SEED.funnels.partners.id}`]);
	});

	it('rejects a custom field value of the wrong type', async () => {
		const error = await runNodeError(handle, {
			resource: 'deal',
			operation: 'create',
			funnel: sales,
			status: SEED.statuses.newLead.id,
			title: 'x',
			additionalFields: { customFields: { field: [{ fieldId: budget.id, value: 'a lot' }] } },
		});

		expect(error.message).toBe("The value of custom field 'Budget' under 'Custom Fields' must be a number such as 1500 or 1500.50, not 'a lot'");
		expect(handle.sandbox.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
	});

	it('rejects an unknown select option and lists the options', async () => {
		const error = await runNodeError(handle, {
			resource: 'deal',
			operation: 'create',
			funnel: sales,
			status: SEED.statuses.newLead.id,
			title: 'x',
			additionalFields: { customFields: { field: [{ fieldId: channel.id, value: 'Telegram' }] } },
		});

		expect(error.message).toMatch(/custom field 'Channel'.*must be one of its options \(Website, Facebook, VK, myTarget\), by name or ID, not 'Telegram'/);
	});

	it('rejects a tag that is not a number before calling WEEEK', async () => {
		const error = await runNodeError(handle, {
			resource: 'deal',
			operation: 'create',
			funnel: sales,
			status: SEED.statuses.newLead.id,
			title: 'x',
			additionalFields: { tagIds: ['1', 'vip'] },
		});

		expect(error.message).toMatch(/The parameter 'Tag Names or IDs' must be a WEEEK tag ID, a whole number such as 3, not 'vip'/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});

describe('Deal → Get', () => {
	it('simplifies custom fields to values by name', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.qualified.id, 1, {
			amount: 5000,
			customFieldValues: { [budget.id]: 5000, [channel.id]: channel.options.vk.id },
		});

		const { output } = await runNode(handle, { resource: 'deal', operation: 'get', deal: locator(deal.id, 'list') });

		expect(callLines(handle)).toEqual([`GET /crm/deals/${deal.id}`]);
		expect(output[0].json).toMatchObject({
			id: deal.id,
			title: 'Deal 001',
			amount: 5000,
			funnelId: SEED.funnels.sales.id,
			statusId: SEED.statuses.qualified.id,
			customFields: { 'Lead key': null, 'UTM source': null, Channel: channel.options.vk.id, Budget: 5000 },
		});
		expect(output[0].json).not.toHaveProperty('tasks');
	});

	it('returns the raw deal without Simplify', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.qualified.id, 1);

		const { output } = await runNode(handle, { resource: 'deal', operation: 'get', deal: locator(deal.id), simplify: false });

		expect(Array.isArray(output[0].json.customFields)).toBe(true);
		expect(output[0].json.tasks).toEqual([]);
	});

	it('names the missing deal on 404', async () => {
		const error = await runNodeError(handle, { resource: 'deal', operation: 'get', deal: locator('NoSuchDeal000001') });

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/no deal 'NoSuchDeal000001' in this workspace/);
	});

	it('rejects an empty deal before calling WEEEK', async () => {
		const error = await runNodeError(handle, { resource: 'deal', operation: 'get', deal: locator('') });

		expect(error.message).toMatch(/The parameter 'Deal' is empty: pick a deal from the list/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});

describe('Deal → Get Many', () => {
	const base = { resource: 'deal', operation: 'getAll', funnel: sales, status: SEED.statuses.newLead.id, filters: {}, options: {} };

	it('pages with Return All until WEEEK reports no more deals', async () => {
		const seeded = seedDeals(handle, SEED.statuses.newLead.id, 230);
		seedDeals(handle, SEED.statuses.qualified.id, 5, {}, 'Elsewhere');

		const { output } = await runNode(handle, { ...base, returnAll: true });

		expect(calls(handle).map((call) => `${call.method} ${call.path} ${call.query.limit}/${call.query.offset}`)).toEqual([
			`GET /crm/statuses/${SEED.statuses.newLead.id}/deals 100/0`,
			`GET /crm/statuses/${SEED.statuses.newLead.id}/deals 100/100`,
			`GET /crm/statuses/${SEED.statuses.newLead.id}/deals 100/200`,
		]);
		expect(output.map((item) => item.json.id)).toEqual(seeded.map((deal) => deal.id));
	});

	it('stops on hasMoreDeals even after a full page', async () => {
		seedDeals(handle, SEED.statuses.newLead.id, 100);

		const { output } = await runNode(handle, { ...base, returnAll: true });

		expect(output).toHaveLength(100);
		expect(handle.sandbox.requests).toHaveLength(1);
	});

	it('keeps to the limit', async () => {
		const seeded = seedDeals(handle, SEED.statuses.newLead.id, 60);

		const { output } = await runNode(handle, { ...base, returnAll: false, limit: 25 });

		expect(calls(handle).map((call) => call.query)).toEqual([{ limit: '25', offset: '0' }]);
		expect(output.map((item) => item.json.id)).toEqual(seeded.slice(0, 25).map((deal) => deal.id));
	});

	it('sends the filters and sort in bracket form and outputs the matching deals', async () => {
		const status = SEED.statuses.newLead.id;
		const [match] = seedDeals(handle, status, 1, { title: 'Kitchen big', winStatus: 'won', assignees: [SEED.members.manager.id], tags: [SEED.tags.hot.id], amount: 10 });
		const [second] = seedDeals(handle, status, 1, { title: 'Kitchen small', winStatus: 'lost', assignees: [SEED.members.manager.id], tags: [SEED.tags.hot.id], amount: 20 });
		seedDeals(handle, status, 1, { title: 'Kitchen open', assignees: [SEED.members.manager.id], tags: [SEED.tags.hot.id] });
		seedDeals(handle, status, 1, { title: 'Kitchen owner', winStatus: 'won', assignees: [SEED.members.owner.id], tags: [SEED.tags.hot.id] });
		seedDeals(handle, status, 1, { title: 'Bathroom', winStatus: 'won', assignees: [SEED.members.manager.id], tags: [SEED.tags.hot.id] });

		const { output } = await runNode(handle, {
			...base,
			returnAll: true,
			filters: { search: 'kitchen', winStatuses: ['won', 'lost'], assigneeIds: [SEED.members.manager.id], tagIds: [SEED.tags.hot.id] },
			options: { sort: '-amount' },
		});

		expect(calls(handle)[0].query).toEqual({
			limit: '100',
			offset: '0',
			search: 'kitchen',
			sort: '-amount',
			'winStatuses[]': ['won', 'lost'],
			'assigneeIds[]': [SEED.members.manager.id],
			'tags[]': [String(SEED.tags.hot.id)],
		});
		expect(output.map((item) => item.json.id)).toEqual([second.id, match.id]);
	});

	it('rejects an empty status before calling WEEEK', async () => {
		const error = await runNodeError(handle, { ...base, status: '', returnAll: true });

		expect(error.message).toMatch(/The parameter 'Status' is empty: pick a funnel, then one of its statuses/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('names the missing status on 404', async () => {
		const error = await runNodeError(handle, { ...base, status: 'NoSuchStatus0001', returnAll: true });

		expect(error.message).toMatch(/no status 'NoSuchStatus0001'/);
	});

	it('Continue On Fail keeps the failed item', async () => {
		const seeded = seedDeals(handle, SEED.statuses.qualified.id, 2);
		const statuses = ['NoSuchStatus0001', SEED.statuses.qualified.id];

		const { output } = await runNode(
			handle,
			{ ...base, returnAll: true },
			{ continueOnFail: true, items: [{ json: { lead: 'a' } }, { json: { lead: 'b' } }], perItem: { status: (itemIndex) => statuses[itemIndex] } },
		);

		expect(output).toHaveLength(3);
		expect(output[0].json).toMatchObject({ lead: 'a', error: expect.stringMatching(/no status 'NoSuchStatus0001'/) });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output.slice(1).map((item) => item.json.id)).toEqual(seeded.map((deal) => deal.id));
		expect(output.slice(1).map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 1 }]);
	});
});

describe('Deal → Update', () => {
	it('changes title and amount with one PUT', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const { output } = await runNode(handle, { resource: 'deal', operation: 'update', deal: locator(deal.id), updateFields: { title: 'Renamed', amount: '2 500' } });

		expect(calls(handle)).toEqual([{ method: 'PUT', path: `/crm/deals/${deal.id}`, query: {}, body: { title: 'Renamed', amount: 2500 } }]);
		expect(findDeal(handle, deal.id)).toMatchObject({ title: 'Renamed', amount: 2500 });
		expect(output[0].json).toMatchObject({ id: deal.id, title: 'Renamed', amount: 2500 });
	});

	it('sends description and relations by PATCH and reads the deal back', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1, { tags: [SEED.tags.hot.id], description: 'old' });
		const [contact] = seedContacts(handle, 1);

		const { output } = await runNode(handle, {
			resource: 'deal',
			operation: 'update',
			deal: locator(deal.id),
			updateFields: { description: '', tagIds: [SEED.tags.partner.id], contactIds: contact.id, assigneeIds: [SEED.members.owner.id] },
		});

		expect(callLines(handle)).toEqual([`PATCH /crm/deals/${deal.id}`, `GET /crm/deals/${deal.id}`]);
		expect(calls(handle, 'PATCH')[0].body).toEqual({ description: null, tags: [SEED.tags.partner.id], contacts: [contact.id], assignees: [SEED.members.owner.id] });
		expect(findDeal(handle, deal.id)).toMatchObject({ description: null, tags: [SEED.tags.partner.id], contacts: [contact.id], assignees: [SEED.members.owner.id] });
		expect(output[0].json.tags).toEqual([SEED.tags.partner.id]);
	});

	it('reopens a won deal', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1, { winStatus: 'won' });

		await runNode(handle, { resource: 'deal', operation: 'update', deal: locator(deal.id), updateFields: { winStatus: 'open' } });

		expect(calls(handle)[0].body).toEqual({ winStatus: null });
		expect(findDeal(handle, deal.id).winStatus).toBeNull();
	});

	it('converts custom fields by the deal funnel and clears empty ones', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1, { customFieldValues: { [utmSource.id]: 'google' } });

		await runNode(handle, {
			resource: 'deal',
			operation: 'update',
			deal: locator(deal.id),
			updateFields: { customFields: { field: [{ fieldId: budget.id, value: '7000' }, { fieldId: utmSource.id, value: '' }] } },
		});

		expect(callLines(handle)).toEqual([`GET /crm/deals/${deal.id}`, `PUT /crm/deals/${deal.id}`]);
		expect(calls(handle, 'PUT')[0].body).toEqual({ customFields: { [budget.id]: 7000, [utmSource.id]: null } });
		expect(findDeal(handle, deal.id).customFieldValues).toEqual({ [budget.id]: 7000 });
	});

	it('refuses an update with nothing to change', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const error = await runNodeError(handle, { resource: 'deal', operation: 'update', deal: locator(deal.id), updateFields: {} });

		expect(error.message).toBe("Nothing to update: add at least one field under 'Update Fields'");
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('refuses an empty title', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const error = await runNodeError(handle, { resource: 'deal', operation: 'update', deal: locator(deal.id), updateFields: { title: ' ' } });

		expect(error.message).toMatch(/The parameter 'Title' under 'Update Fields' is empty/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('rejects a win status it does not know', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const error = await runNodeError(handle, { resource: 'deal', operation: 'update', deal: locator(deal.id), updateFields: { winStatus: 'closed' } });

		expect(error.message).toBe("The parameter 'Win Status' must be open, won, lost or archived, not 'closed'");
	});

	it('names the missing deal on 404', async () => {
		const error = await runNodeError(handle, { resource: 'deal', operation: 'update', deal: locator('NoSuchDeal000001'), updateFields: { title: 'x' } });

		expect(error.message).toMatch(/no deal 'NoSuchDeal000001'.*update a deal/);
	});
});

describe('Deal → Move', () => {
	it('moves within the funnel by the status route', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const { output } = await runNode(handle, { resource: 'deal', operation: 'move', deal: locator(deal.id), funnel: sales, status: SEED.statuses.negotiation.id });

		expect(calls(handle)).toEqual([
			{ method: 'GET', path: `/crm/deals/${deal.id}`, query: {}, body: undefined },
			{ method: 'PUT', path: `/crm/deals/${deal.id}/status`, query: {}, body: { statusId: SEED.statuses.negotiation.id } },
			{ method: 'GET', path: `/crm/deals/${deal.id}`, query: {}, body: undefined },
		]);
		expect(findDeal(handle, deal.id).statusId).toBe(SEED.statuses.negotiation.id);
		expect(output[0].json.statusId).toBe(SEED.statuses.negotiation.id);
	});

	it('moves to another funnel first, then to the status', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const { output } = await runNode(handle, { resource: 'deal', operation: 'move', deal: locator(deal.id), funnel: partners, status: SEED.statuses.inProgress.id });

		expect(calls(handle).filter((call) => call.method === 'PUT')).toEqual([
			{ method: 'PUT', path: `/crm/deals/${deal.id}/funnel`, query: {}, body: { funnelId: SEED.funnels.partners.id } },
			{ method: 'PUT', path: `/crm/deals/${deal.id}/status`, query: {}, body: { statusId: SEED.statuses.inProgress.id } },
		]);
		expect(findDeal(handle, deal.id)).toMatchObject({ funnelId: SEED.funnels.partners.id, statusId: SEED.statuses.inProgress.id });
		expect(output[0].json).toMatchObject({ funnelId: SEED.funnels.partners.id, statusId: SEED.statuses.inProgress.id });
	});

	it('sends no move when the deal is already there', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.qualified.id, 1);

		await runNode(handle, { resource: 'deal', operation: 'move', deal: locator(deal.id), funnel: sales, status: SEED.statuses.qualified.id });

		expect(callLines(handle)).toEqual([`GET /crm/deals/${deal.id}`, `GET /crm/deals/${deal.id}`]);
	});

	it('rejects an empty status before calling WEEEK', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.qualified.id, 1);

		const error = await runNodeError(handle, { resource: 'deal', operation: 'move', deal: locator(deal.id), funnel: sales, status: '' });

		expect(error.message).toMatch(/The parameter 'Status' is empty/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('reports a status WEEEK does not know', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.qualified.id, 1);

		const error = await runNodeError(handle, { resource: 'deal', operation: 'move', deal: locator(deal.id), funnel: sales, status: 'NoSuchStatus0001' });

		expect(error.message).toMatch(/rejected the request to move a deal to another status \(422\): statusId: The selected status id is invalid/);
		expect(findDeal(handle, deal.id).statusId).toBe(SEED.statuses.qualified.id);
	});
});

describe('Deal → Delete', () => {
	it('deletes the deal and outputs its ID', async () => {
		const [deleted, kept] = seedDeals(handle, SEED.statuses.newLead.id, 2);

		const { output } = await runNode(handle, { resource: 'deal', operation: 'delete', deal: locator(deleted.id) });

		expect(calls(handle)).toEqual([{ method: 'DELETE', path: `/crm/deals/${deleted.id}`, query: {}, body: undefined }]);
		expect(output[0].json).toEqual({ success: true, dealId: deleted.id });
		expect(handle.sandbox.state.deals.map((deal) => deal.id)).toEqual([kept.id]);
	});

	it('names the missing deal on 404', async () => {
		const error = await runNodeError(handle, { resource: 'deal', operation: 'delete', deal: locator('NoSuchDeal000001') });

		expect(error.message).toMatch(/no deal 'NoSuchDeal000001'.*delete a deal/);
	});
});

describe('Deal relations', () => {
	interface RelationCase {
		operation: string;
		parameters: (ids: { contact: string; organization: string }) => IDataObject;
		method: 'POST' | 'DELETE';
		path: string;
		body: (ids: { contact: string; organization: string }) => IDataObject;
		output: (ids: { contact: string; organization: string }) => IDataObject;
		stored: (ids: { contact: string; organization: string }) => IDataObject;
	}

	// Deals in the "before" state of each case: removals start with the relation in place.
	const cases: RelationCase[] = [
		{
			operation: 'removeContact',
			parameters: (ids) => ({ contact: locator(ids.contact) }),
			method: 'DELETE',
			path: 'contacts',
			body: (ids) => ({ contactId: ids.contact }),
			output: (ids) => ({ contactId: ids.contact }),
			stored: () => ({ contacts: [] }),
		},
		{
			operation: 'addOrganization',
			parameters: (ids) => ({ organization: locator(ids.organization) }),
			method: 'POST',
			path: 'organizations',
			body: (ids) => ({ organizationId: ids.organization }),
			output: (ids) => ({ organizationId: ids.organization }),
			stored: (ids) => ({ organizations: [ids.organization] }),
		},
		{
			operation: 'removeOrganization',
			parameters: (ids) => ({ organization: locator(ids.organization) }),
			method: 'DELETE',
			path: 'organizations',
			body: (ids) => ({ organizationId: ids.organization }),
			output: (ids) => ({ organizationId: ids.organization }),
			stored: () => ({ organizations: [] }),
		},
		{
			operation: 'addAssignee',
			parameters: () => ({ member: SEED.members.manager.id }),
			method: 'POST',
			path: 'assignees',
			body: () => ({ assigneeId: SEED.members.manager.id }),
			output: () => ({ assigneeId: SEED.members.manager.id }),
			stored: () => ({ assignees: [SEED.members.owner.id, SEED.members.manager.id] }),
		},
		{
			operation: 'removeAssignee',
			parameters: () => ({ member: SEED.members.owner.id }),
			method: 'DELETE',
			path: 'assignees',
			body: () => ({ assigneeId: SEED.members.owner.id }),
			output: () => ({ assigneeId: SEED.members.owner.id }),
			stored: () => ({ assignees: [] }),
		},
		{
			operation: 'addTag',
			parameters: () => ({ tag: SEED.tags.partner.id }),
			method: 'POST',
			path: 'tags',
			body: () => ({ tag: SEED.tags.partner.id }),
			output: () => ({ tagId: SEED.tags.partner.id }),
			stored: () => ({ tags: [SEED.tags.hot.id, SEED.tags.partner.id] }),
		},
		{
			operation: 'removeTag',
			parameters: () => ({ tag: String(SEED.tags.hot.id) }),
			method: 'DELETE',
			path: 'tags',
			body: () => ({ tag: SEED.tags.hot.id }),
			output: () => ({ tagId: SEED.tags.hot.id }),
			stored: () => ({ tags: [] }),
		},
	];

	it.each(cases.map((testCase) => [testCase.operation, testCase] as const))('%s changes the relation in WEEEK', async (_name, testCase) => {
		const [contact] = seedContacts(handle, 1);
		const [organization] = seedOrganizations(handle, 1);
		const ids = { contact: contact.id, organization: organization.id };
		const before = testCase.method === 'DELETE' ? { contacts: [contact.id], organizations: [organization.id] } : {};
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1, { assignees: [SEED.members.owner.id], tags: [SEED.tags.hot.id], ...before });

		const { output } = await runNode(handle, { resource: 'deal', operation: testCase.operation, deal: locator(deal.id), ...testCase.parameters(ids) });

		expect(calls(handle)).toEqual([{ method: testCase.method, path: `/crm/deals/${deal.id}/${testCase.path}`, query: {}, body: testCase.body(ids) }]);
		expect(output).toEqual([{ json: { success: true, dealId: deal.id, ...testCase.output(ids) }, pairedItem: { item: 0 } }]);
		expect(findDeal(handle, deal.id)).toMatchObject(testCase.stored(ids));
	});

	it('rejects an empty member', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const error = await runNodeError(handle, { resource: 'deal', operation: 'addAssignee', deal: locator(deal.id), member: '' });

		expect(error.message).toMatch(/The parameter 'Member Name or ID' is empty: pick a member from the list/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('rejects a tag that is not a number', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const error = await runNodeError(handle, { resource: 'deal', operation: 'removeTag', deal: locator(deal.id), tag: '1.5' });

		expect(error.message).toMatch(/'Tag Name or ID' must be a WEEEK tag ID, a whole number such as 3, not '1.5'/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('names the missing deal on 404', async () => {
		const error = await runNodeError(handle, { resource: 'deal', operation: 'addTag', deal: locator('NoSuchDeal000001'), tag: 1 });

		expect(error.message).toMatch(/no deal 'NoSuchDeal000001'.*tag a deal/);
	});

	it('reports a contact WEEEK does not know by its field', async () => {
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const error = await runNodeError(handle, { resource: 'deal', operation: 'removeContact', deal: locator(deal.id), contact: locator('NoSuchContact') });

		expect(error.message).toMatch(/rejected the request to unlink a contact from a deal \(422\): contactId/);
	});
});
