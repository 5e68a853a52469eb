/**
 * Dry Run for every CRM operation: nothing reaches WEEEK, and the output lists the requests the
 * operation would send. Placeholder IDs are fine here because nothing is looked up for real.
 */
import type { IDataObject } from 'n8n-workflow';

import { SEED } from '../sandbox/server';
import { locator, runNode, useSandbox } from './support';

const handle = useSandbox();

const DEAL = 'Hk3Jd8Lq0Zp2Xv5N';
const CONTACT = '0b6f2a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
const ORGANIZATION = '7c1e4b2a-3d5f-4a6b-8c9d-0e1f2a3b4c5d';
const sales = locator(SEED.funnels.sales.id);
const partners = locator(SEED.funnels.partners.id);

interface DryRunCase {
	name: string;
	parameters: IDataObject;
	/** `METHOD path` of each request the dry run lists, query string included. */
	requests: string[];
	/** Body of the last request, when it has one. */
	lastBody?: unknown;
}

const writes: DryRunCase[] = [
	{
		name: 'contact update',
		parameters: { resource: 'contact', operation: 'update', contact: locator(CONTACT), updateFields: { lastName: 'Petrov' } },
		requests: [`GET /crm/contacts/${CONTACT}`, `PUT /crm/contacts/${CONTACT}`],
		lastBody: { firstName: 'Dry run', lastName: 'Petrov', emails: [], phones: [], organizations: [], tags: [] },
	},
	{ name: 'contact delete', parameters: { resource: 'contact', operation: 'delete', contact: locator(CONTACT) }, requests: [`DELETE /crm/contacts/${CONTACT}`] },
	{
		name: 'contact add tag',
		parameters: { resource: 'contact', operation: 'addTag', contact: locator(CONTACT), tag: 2 },
		requests: [`POST /crm/contacts/${CONTACT}/tags`],
		lastBody: { tagId: 2 },
	},
	{
		name: 'contact remove tag',
		parameters: { resource: 'contact', operation: 'removeTag', contact: locator(CONTACT), tag: 2 },
		requests: [`DELETE /crm/contacts/${CONTACT}/tags`],
		lastBody: { tagId: 2 },
	},
	{
		name: 'organization create',
		parameters: { resource: 'organization', operation: 'create', name: 'Example LLC', additionalFields: { phones: '+74950001234' } },
		requests: ['POST /crm/organizations'],
		lastBody: { name: 'Example LLC', phones: ['+74950001234'] },
	},
	{
		name: 'organization update',
		parameters: { resource: 'organization', operation: 'update', organization: locator(ORGANIZATION), updateFields: { name: 'Example Group' } },
		requests: [`GET /crm/organizations/${ORGANIZATION}`, `PUT /crm/organizations/${ORGANIZATION}`],
		lastBody: { name: 'Example Group', addresses: [], emails: [], phones: [] },
	},
	{ name: 'organization delete', parameters: { resource: 'organization', operation: 'delete', organization: locator(ORGANIZATION) }, requests: [`DELETE /crm/organizations/${ORGANIZATION}`] },
	{
		name: 'organization add contact',
		parameters: { resource: 'organization', operation: 'addContact', organization: locator(ORGANIZATION), contact: locator(CONTACT) },
		requests: [`POST /crm/organizations/${ORGANIZATION}/contacts`],
		lastBody: { contactId: CONTACT },
	},
	{
		name: 'organization remove contact',
		parameters: { resource: 'organization', operation: 'removeContact', organization: locator(ORGANIZATION), contact: locator(CONTACT) },
		requests: [`DELETE /crm/organizations/${ORGANIZATION}/contacts`],
		lastBody: { contactId: CONTACT },
	},
	{
		name: 'organization add to deal',
		parameters: { resource: 'organization', operation: 'addToDeal', organization: locator(ORGANIZATION), deal: locator(DEAL) },
		requests: [`POST /crm/deals/${DEAL}/organizations`],
		lastBody: { organizationId: ORGANIZATION },
	},
	{
		name: 'organization remove from deal',
		parameters: { resource: 'organization', operation: 'removeFromDeal', organization: locator(ORGANIZATION), deal: locator(DEAL) },
		requests: [`DELETE /crm/deals/${DEAL}/organizations`],
		lastBody: { organizationId: ORGANIZATION },
	},
	{
		name: 'deal create with custom fields',
		parameters: {
			resource: 'deal',
			operation: 'create',
			funnel: sales,
			status: SEED.statuses.newLead.id,
			title: 'Kitchen',
			additionalFields: { tagIds: [1], customFields: { field: [{ fieldId: SEED.customFields.budget.id, value: '1500' }] } },
		},
		requests: [`GET /crm/funnels/${SEED.funnels.sales.id}`, `POST /crm/statuses/${SEED.statuses.newLead.id}/deals`],
		// The placeholder funnel defines no fields, so the value stays as typed.
		lastBody: { title: 'Kitchen', tags: [1], customFields: { [SEED.customFields.budget.id]: '1500' } },
	},
	{
		name: 'deal update',
		parameters: { resource: 'deal', operation: 'update', deal: locator(DEAL), updateFields: { description: 'Called back' } },
		requests: [`PATCH /crm/deals/${DEAL}`, `GET /crm/deals/${DEAL}`],
	},
	{
		name: 'deal move',
		parameters: { resource: 'deal', operation: 'move', deal: locator(DEAL), funnel: partners, status: SEED.statuses.done.id },
		requests: [`GET /crm/deals/${DEAL}`, `PUT /crm/deals/${DEAL}/funnel`, `PUT /crm/deals/${DEAL}/status`, `GET /crm/deals/${DEAL}`],
	},
	{ name: 'deal delete', parameters: { resource: 'deal', operation: 'delete', deal: locator(DEAL) }, requests: [`DELETE /crm/deals/${DEAL}`] },
	{
		name: 'deal remove contact',
		parameters: { resource: 'deal', operation: 'removeContact', deal: locator(DEAL), contact: locator(CONTACT) },
		requests: [`DELETE /crm/deals/${DEAL}/contacts`],
		lastBody: { contactId: CONTACT },
	},
	{
		name: 'deal add organization',
		parameters: { resource: 'deal', operation: 'addOrganization', deal: locator(DEAL), organization: locator(ORGANIZATION) },
		requests: [`POST /crm/deals/${DEAL}/organizations`],
		lastBody: { organizationId: ORGANIZATION },
	},
	{
		name: 'deal remove organization',
		parameters: { resource: 'deal', operation: 'removeOrganization', deal: locator(DEAL), organization: locator(ORGANIZATION) },
		requests: [`DELETE /crm/deals/${DEAL}/organizations`],
		lastBody: { organizationId: ORGANIZATION },
	},
	{
		name: 'deal add assignee',
		parameters: { resource: 'deal', operation: 'addAssignee', deal: locator(DEAL), member: SEED.members.manager.id },
		requests: [`POST /crm/deals/${DEAL}/assignees`],
		lastBody: { assigneeId: SEED.members.manager.id },
	},
	{
		name: 'deal remove assignee',
		parameters: { resource: 'deal', operation: 'removeAssignee', deal: locator(DEAL), member: SEED.members.manager.id },
		requests: [`DELETE /crm/deals/${DEAL}/assignees`],
		lastBody: { assigneeId: SEED.members.manager.id },
	},
	{ name: 'deal add tag', parameters: { resource: 'deal', operation: 'addTag', deal: locator(DEAL), tag: 3 }, requests: [`POST /crm/deals/${DEAL}/tags`], lastBody: { tag: 3 } },
	{ name: 'deal remove tag', parameters: { resource: 'deal', operation: 'removeTag', deal: locator(DEAL), tag: 3 }, requests: [`DELETE /crm/deals/${DEAL}/tags`], lastBody: { tag: 3 } },
	{
		name: 'funnel create',
		parameters: { resource: 'funnel', operation: 'create', name: 'Website sales', currencyId: 2, additionalFields: {} },
		requests: ['POST /crm/funnels'],
		lastBody: { name: 'Website sales', currencyId: 2 },
	},
];

const reads: DryRunCase[] = [
	{ name: 'contact get', parameters: { resource: 'contact', operation: 'get', contact: locator(CONTACT) }, requests: [`GET /crm/contacts/${CONTACT}`] },
	{
		name: 'contact get many',
		parameters: { resource: 'contact', operation: 'getAll', returnAll: false, limit: 10, filters: { search: 'ivan' }, options: {} },
		requests: ['GET /crm/contacts?limit=10&offset=0&search=ivan'],
	},
	{
		name: 'deal get many',
		parameters: { resource: 'deal', operation: 'getAll', funnel: sales, status: SEED.statuses.newLead.id, returnAll: true, filters: { winStatuses: ['won'] }, options: {} },
		requests: [`GET /crm/statuses/${SEED.statuses.newLead.id}/deals?limit=100&offset=0&winStatuses%5B%5D=won`],
	},
	{ name: 'member get many', parameters: { resource: 'member', operation: 'getAll', returnAll: true }, requests: ['GET /ws/members'] },
];

describe('Dry Run of the CRM operations', () => {
	it.each([...writes, ...reads].map((testCase) => [testCase.name, testCase] as const))('%s sends nothing and lists its requests', async (_name, testCase) => {
		const { output } = await runNode(handle, { ...testCase.parameters, dryRun: true });

		expect(handle.sandbox.requests).toHaveLength(0);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });

		const requests = (output[0].json.dryRun as { requests: Array<{ method: string; path: string; body?: unknown }> }).requests;
		expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual(testCase.requests);
		if (testCase.lastBody !== undefined) expect(requests[requests.length - 1].body).toEqual(testCase.lastBody);
	});

	it('still checks the input before listing anything', async () => {
		const error = await runNode(handle, { resource: 'deal', operation: 'update', deal: locator(DEAL), updateFields: {}, dryRun: true }).catch((caught: Error) => caught);

		expect((error as Error).message).toBe("Nothing to update: add at least one field under 'Update Fields'");
	});
});
