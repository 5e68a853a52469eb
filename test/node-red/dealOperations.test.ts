/**
 * The operations of the WEEEK Deal node, run in flows against the WEEEK sandbox: the request WEEEK
 * receives and the sandbox state after it. Creating from a lead is covered in nodes.test.ts and
 * chain.test.ts; here creation carries custom fields and a win status.
 */
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';
import { callApi, runFailing, runOk, seed } from './resourceSupport';
import { helper } from './support';

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
	delete process.env.WEEEK_NR_STATUS_ID;
});

async function createDeal(statusId: string, body: Record<string, unknown>): Promise<string> {
	const answer = await callApi(sandbox, 'POST', `/crm/statuses/${statusId}/deals`, body);
	return answer.deal.id as string;
}

async function oneDeal(body: Record<string, unknown> = { title: 'Seeded deal' }): Promise<string> {
	let dealId = '';
	await seed(sandbox, async () => {
		dealId = await createDeal(SEED.statuses.newLead.id, body);
	});
	return dealId;
}

const requestLine = (index: number): string => `${sandbox.requests[index].method} ${sandbox.requests[index].path}`;

describe('weeek-deal create', () => {
	it('sends custom fields and a win status from the Fields rows', async () => {
		const msg = await runOk(sandbox, {
			type: 'weeek-deal',
			operation: 'create',
			statusSourceType: 'list',
			statusId: SEED.statuses.newLead.id,
			title: 'Website order',
			titleType: 'str',
			amount: '',
			amountType: 'num',
			description: '',
			descriptionType: 'str',
			fields: [
				{ field: `customField:${SEED.customFields.leadKey.id}`, name: 'Lead key', value: 'payload.key', type: 'msg' },
				{ field: `customField:${SEED.customFields.budget.id}`, name: 'Budget', value: '1500', type: 'num' },
				{ field: 'winStatus', value: 'won', type: 'winStatus' },
			],
		}, { payload: { key: 'tilda:42' } });

		expect(requestLine(0)).toBe(`POST /crm/statuses/${SEED.statuses.newLead.id}/deals`);
		expect(sandbox.requests[0].body).toEqual({
			title: 'Website order',
			winStatus: 'won',
			customFields: { [SEED.customFields.leadKey.id]: 'tilda:42', [SEED.customFields.budget.id]: 1500 },
		});
		const stored = sandbox.state.deals[0];
		expect(stored.customFieldValues).toEqual({ [SEED.customFields.leadKey.id]: 'tilda:42', [SEED.customFields.budget.id]: 1500 });
		expect(stored.winStatus).toBe('won');
		expect(msg.weeek.deal.id).toBe(stored.id);
	});

	it('reads the status from an environment variable', async () => {
		process.env.WEEEK_NR_STATUS_ID = SEED.statuses.inbox.id;

		await runOk(sandbox, {
			type: 'weeek-deal',
			statusSource: 'WEEEK_NR_STATUS_ID',
			statusSourceType: 'env',
			title: 'From env',
			titleType: 'str',
			amountType: 'num',
			amount: '',
			descriptionType: 'str',
			description: '',
		});

		expect(requestLine(0)).toBe(`POST /crm/statuses/${SEED.statuses.inbox.id}/deals`);
		expect(sandbox.state.deals[0].statusId).toBe(SEED.statuses.inbox.id);
	});
});

describe('weeek-deal operations', () => {
	it('gets a deal by the id in msg.weeek.deal.id', async () => {
		const dealId = await oneDeal();

		const msg = await runOk(sandbox, { type: 'weeek-deal', operation: 'get' }, { payload: 'kept', weeek: { deal: { id: dealId } } });

		expect(sandbox.requests.map((_request, index) => requestLine(index))).toEqual([`GET /crm/deals/${dealId}`]);
		expect(msg.weeek.deal.title).toBe('Seeded deal');
		expect(msg.payload).toBe('kept');
	});

	it('lists the won deals of a status matching a search', async () => {
		await seed(sandbox, async () => {
			await createDeal(SEED.statuses.qualified.id, { title: 'Kitchen A', winStatus: 'won' });
			await createDeal(SEED.statuses.qualified.id, { title: 'Kitchen B', winStatus: 'won' });
			await createDeal(SEED.statuses.qualified.id, { title: 'Kitchen C' });
			await createDeal(SEED.statuses.qualified.id, { title: 'Bathroom', winStatus: 'won' });
		});

		const msg = await runOk(sandbox, {
			type: 'weeek-deal',
			operation: 'getMany',
			statusSourceType: 'list',
			statusId: SEED.statuses.qualified.id,
			search: 'kitchen',
			searchType: 'str',
			winStatuses: 'won',
			winStatusesType: 'winStatus',
			limit: '1',
			limitType: 'num',
			offset: '0',
			offsetType: 'num',
		});

		expect(requestLine(0)).toBe(`GET /crm/statuses/${SEED.statuses.qualified.id}/deals`);
		expect(sandbox.requests[0].query).toEqual({ limit: '1', offset: '0', search: 'kitchen', 'winStatuses[]': ['won'] });
		expect(msg.weeek.deals).toHaveLength(1);
		expect(msg.weeek.deals[0].title).toMatch(/^Kitchen [AB]$/);
		expect(msg.weeek.page).toEqual({ limit: 1, offset: 0, count: 1, hasMore: true });
	});

	it('returns all deals of a status until WEEEK says there are no more', async () => {
		await seed(sandbox, async () => {
			for (let index = 0; index < 101; index += 1) await createDeal(SEED.statuses.done.id, { title: `Deal ${index}` });
		});

		const msg = await runOk(sandbox, { type: 'weeek-deal', operation: 'getMany', statusSourceType: 'list', statusId: SEED.statuses.done.id, returnAll: true });

		expect(sandbox.requests.map((request) => request.query)).toEqual([
			{ limit: '100', offset: '0' },
			{ limit: '100', offset: '100' },
		]);
		expect(msg.weeek.deals).toHaveLength(101);
		expect(msg.weeek.page.hasMore).toBe(false);
	});

	it('updates title and amount with one PUT', async () => {
		const dealId = await oneDeal({ title: 'Old title', amount: 10 });

		const msg = await runOk(sandbox, {
			type: 'weeek-deal',
			operation: 'update',
			fields: [
				{ field: 'title', value: 'payload.title', type: 'msg' },
				{ field: 'amount', value: '2500.5', type: 'num' },
			],
		}, { payload: { title: 'New title' }, weeek: { deal: { id: dealId } } });

		expect(sandbox.requests.map((_request, index) => requestLine(index))).toEqual([`PUT /crm/deals/${dealId}`]);
		expect(sandbox.requests[0].body).toEqual({ title: 'New title', amount: 2500.5 });
		expect(sandbox.state.deals[0]).toMatchObject({ title: 'New title', amount: 2500.5 });
		expect(msg.weeek.deal).toMatchObject({ id: dealId, title: 'New title', amount: 2500.5 });
	});

	it('updates the description by PATCH and reads the deal back', async () => {
		const dealId = await oneDeal({ title: 'Described', description: 'old' });

		const msg = await runOk(sandbox, {
			type: 'weeek-deal',
			operation: 'update',
			fields: [
				{ field: 'description', value: '"Called on " & payload.day', type: 'jsonata' },
				{ field: 'winStatus', value: 'open', type: 'winStatus' },
			],
		}, { payload: { day: 'Monday' }, weeek: { deal: { id: dealId } } });

		expect(sandbox.requests.map((_request, index) => requestLine(index))).toEqual([`PATCH /crm/deals/${dealId}`, `GET /crm/deals/${dealId}`]);
		expect(sandbox.requests[0].body).toEqual({ description: 'Called on Monday', winStatus: null });
		expect(sandbox.state.deals[0].description).toBe('Called on Monday');
		expect(msg.weeek.deal.description).toBe('Called on Monday');
	});

	it('moves a deal to the status picked in the dialog', async () => {
		const dealId = await oneDeal();

		const msg = await runOk(sandbox, { type: 'weeek-deal', operation: 'move', moveTo: 'status', statusSourceType: 'list', statusId: SEED.statuses.contract.id }, { weeek: { deal: { id: dealId } } });

		expect(sandbox.requests[0]).toMatchObject({ method: 'PUT', path: `/crm/deals/${dealId}/status`, body: { statusId: SEED.statuses.contract.id } });
		expect(requestLine(1)).toBe(`GET /crm/deals/${dealId}`);
		expect(sandbox.state.deals[0].statusId).toBe(SEED.statuses.contract.id);
		expect(msg.weeek.deal.statusId).toBe(SEED.statuses.contract.id);
	});

	it('moves a deal to another funnel', async () => {
		const dealId = await oneDeal();

		const msg = await runOk(sandbox, { type: 'weeek-deal', operation: 'move', moveTo: 'funnel', funnelSource: 'target', funnelSourceType: 'msg' }, { target: SEED.funnels.partners.id, weeek: { deal: { id: dealId } } });

		expect(sandbox.requests[0]).toMatchObject({ method: 'PUT', path: `/crm/deals/${dealId}/funnel`, body: { funnelId: SEED.funnels.partners.id } });
		expect(sandbox.state.deals[0].funnelId).toBe(SEED.funnels.partners.id);
		expect(msg.weeek.deal.funnelId).toBe(SEED.funnels.partners.id);
	});

	it('deletes a deal', async () => {
		const dealId = await oneDeal();

		const msg = await runOk(sandbox, { type: 'weeek-deal', operation: 'delete' }, { weeek: { deal: { id: dealId } } });

		expect(sandbox.requests.map((_request, index) => requestLine(index))).toEqual([`DELETE /crm/deals/${dealId}`]);
		expect(sandbox.state.deals).toHaveLength(0);
		expect(msg.weeek.deleted).toEqual({ kind: 'deal', id: dealId });
	});

	it('links and unlinks a contact', async () => {
		let contactId = '';
		const dealId = await oneDeal();
		await seed(sandbox, async () => {
			contactId = ((await callApi(sandbox, 'POST', '/crm/contacts', { firstName: 'Linked' })).contact as { id: string }).id;
		});
		const input = { weeek: { deal: { id: dealId }, contact: { id: contactId } } };

		const linked = await runOk(sandbox, { type: 'weeek-deal', operation: 'addContact' }, input);
		expect(sandbox.requests[0]).toMatchObject({ method: 'POST', path: `/crm/deals/${dealId}/contacts`, body: { contactId } });
		expect(sandbox.state.deals[0].contacts).toEqual([contactId]);
		expect(linked.weeek.link).toEqual({ dealId, contactId });
		await helper.unload();

		const unlinked = await runOk(sandbox, { type: 'weeek-deal', operation: 'removeContact' }, input);
		expect(sandbox.requests[1]).toMatchObject({ method: 'DELETE', path: `/crm/deals/${dealId}/contacts`, body: { contactId } });
		expect(sandbox.state.deals[0].contacts).toEqual([]);
		expect(unlinked.weeek.unlink).toEqual({ dealId, contactId });
	});

	it('links and unlinks an organization', async () => {
		let organizationId = '';
		const dealId = await oneDeal();
		await seed(sandbox, async () => {
			organizationId = ((await callApi(sandbox, 'POST', '/crm/organizations', { name: 'ООО Ромашка' })).organization as { id: string }).id;
		});
		const input = { weeek: { deal: { id: dealId }, organization: { id: organizationId } } };

		await runOk(sandbox, { type: 'weeek-deal', operation: 'addOrganization' }, input);
		expect(sandbox.requests[0]).toMatchObject({ method: 'POST', path: `/crm/deals/${dealId}/organizations`, body: { organizationId } });
		expect(sandbox.state.deals[0].organizations).toEqual([organizationId]);
		await helper.unload();

		await runOk(sandbox, { type: 'weeek-deal', operation: 'removeOrganization' }, input);
		expect(sandbox.requests[1]).toMatchObject({ method: 'DELETE', path: `/crm/deals/${dealId}/organizations`, body: { organizationId } });
		expect(sandbox.state.deals[0].organizations).toEqual([]);
	});

	it('adds and removes the assignee picked in the dialog', async () => {
		const dealId = await oneDeal();
		const memberId = SEED.members.manager.id;

		const added = await runOk(sandbox, { type: 'weeek-deal', operation: 'addAssignee', memberSourceType: 'list', memberId }, { weeek: { deal: { id: dealId } } });
		expect(sandbox.requests[0]).toMatchObject({ method: 'POST', path: `/crm/deals/${dealId}/assignees`, body: { assigneeId: memberId } });
		expect(sandbox.state.deals[0].assignees).toContain(memberId);
		expect(added.weeek.link).toEqual({ dealId, assigneeId: memberId });
		await helper.unload();

		await runOk(sandbox, { type: 'weeek-deal', operation: 'removeAssignee', memberSource: 'member', memberSourceType: 'msg' }, { member: memberId, weeek: { deal: { id: dealId } } });
		expect(sandbox.requests[1]).toMatchObject({ method: 'DELETE', path: `/crm/deals/${dealId}/assignees`, body: { assigneeId: memberId } });
		expect(sandbox.state.deals[0].assignees).not.toContain(memberId);
	});

	it('adds and removes a tag with the tag key deals use', async () => {
		const dealId = await oneDeal();

		await runOk(sandbox, { type: 'weeek-deal', operation: 'addTag', tagSourceType: 'list', tagId: String(SEED.tags.website.id) }, { weeek: { deal: { id: dealId } } });
		expect(sandbox.requests[0]).toMatchObject({ method: 'POST', path: `/crm/deals/${dealId}/tags`, body: { tag: SEED.tags.website.id } });
		expect(sandbox.state.deals[0].tags).toEqual([SEED.tags.website.id]);
		await helper.unload();

		const removed = await runOk(sandbox, { type: 'weeek-deal', operation: 'removeTag', tagSource: String(SEED.tags.website.id), tagSourceType: 'num' }, { weeek: { deal: { id: dealId } } });
		expect(sandbox.requests[1]).toMatchObject({ method: 'DELETE', path: `/crm/deals/${dealId}/tags`, body: { tag: SEED.tags.website.id } });
		expect(sandbox.state.deals[0].tags).toEqual([]);
		expect(removed.weeek.unlink).toEqual({ dealId, tagId: SEED.tags.website.id });
	});
});

describe('weeek-deal bad input', () => {
	it('names the missing deal id and keeps the message', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-deal', operation: 'delete' }, { payload: { lead: 'kept' } });

		expect(caught.error.code).toBe('missingValue');
		expect(caught.error.message).toContain('dealId');
		expect(caught.error.message).toContain('msg.weeek.deal.id');
		expect(caught.payload).toEqual({ lead: 'kept' });
		expect(sandbox.requests).toHaveLength(0);
	});

	it('rejects a win status filter WEEEK does not know', async () => {
		const caught = await runFailing(sandbox, {
			type: 'weeek-deal',
			operation: 'getMany',
			statusSourceType: 'list',
			statusId: SEED.statuses.newLead.id,
			winStatuses: 'payload.state',
			winStatusesType: 'msg',
		}, { payload: { state: 'closed' } });

		expect(caught.error.code).toBe('invalidWinStatus');
		expect(caught.error.message).toContain("'closed'");
		expect(sandbox.requests).toHaveLength(0);
	});

	it('asks for a status when none was picked', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-deal', operation: 'getMany', statusSourceType: 'list', statusId: '' }, { payload: 'kept' });

		expect(caught.error.code).toBe('missingStatus');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('passes on what WEEEK says about an unknown deal', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-deal', operation: 'get', dealId: 'NoSuchDeal000001', dealIdType: 'str' }, { payload: 'kept' });

		expect(caught.error.code).toBe('notFound');
		expect(caught.error.message).toContain('NoSuchDeal000001');
		expect(caught.payload).toBe('kept');
	});
});

describe('weeek-deal dry run', () => {
	it('lists move, update and delete requests without sending them', async () => {
		const dealId = await oneDeal();
		// Each run gets its own message, because the helper hands the node the object itself.
		const input = () => ({ weeek: { deal: { id: dealId } } });

		const moved = await runOk(sandbox, { type: 'weeek-deal', operation: 'move', statusSourceType: 'list', statusId: SEED.statuses.contract.id, dryRun: true }, input());
		await helper.unload();
		const updated = await runOk(sandbox, { type: 'weeek-deal', operation: 'update', fields: [{ field: 'description', value: 'x', type: 'str' }], dryRun: true }, input());
		await helper.unload();
		const deleted = await runOk(sandbox, { type: 'weeek-deal', operation: 'delete', dryRun: true }, input());

		expect(moved.weeek.dryRun.requests).toEqual([
			{ method: 'PUT', path: `/crm/deals/${dealId}/status`, body: { statusId: SEED.statuses.contract.id } },
			{ method: 'GET', path: `/crm/deals/${dealId}` },
		]);
		expect(updated.weeek.dryRun.requests[0]).toEqual({ method: 'PATCH', path: `/crm/deals/${dealId}`, body: { description: 'x' } });
		expect(deleted.weeek.dryRun.requests).toEqual([{ method: 'DELETE', path: `/crm/deals/${dealId}` }]);
		expect(sandbox.requests).toHaveLength(0);
		expect(sandbox.state.deals[0]).toMatchObject({ statusId: SEED.statuses.newLead.id, description: null });
	});
});
