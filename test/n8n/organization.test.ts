import { SEED } from '../sandbox/server';
import { callLines, calls, findDeal, findOrganization, locator, runNode, runNodeError, seedContacts, seedDeals, seedOrganizations, useSandbox } from './support';

const handle = useSandbox();

describe('Organization → Create', () => {
	it('sends the lists and the responsible member, and stores the organization', async () => {
		const { output } = await runNode(handle, {
			resource: 'organization',
			operation: 'create',
			name: ' Example LLC ',
			additionalFields: {
				addresses: 'Moscow, Tverskaya 1; Kazan, Baumana 5',
				emails: 'Office@Example.ru',
				phones: '+7 495 000-12-34',
				responsibleId: SEED.members.manager.id,
			},
		});

		expect(calls(handle)).toEqual([
			{
				method: 'POST',
				path: '/crm/organizations',
				query: {},
				body: {
					name: 'Example LLC',
					addresses: ['Moscow, Tverskaya 1', 'Kazan, Baumana 5'],
					emails: ['office@example.ru'],
					phones: ['+7 495 000-12-34'],
					responsibles: [SEED.members.manager.id],
				},
			},
		]);
		const stored = findOrganization(handle, String(output[0].json.id));
		expect(stored.name).toBe('Example LLC');
		expect(stored.responsibleId).toBe(SEED.members.manager.id);
		expect(stored.addresses.map((entry) => entry.address)).toEqual(['Moscow, Tverskaya 1', 'Kazan, Baumana 5']);
	});

	it('rejects an empty name before calling WEEEK', async () => {
		const error = await runNodeError(handle, { resource: 'organization', operation: 'create', name: ' ', additionalFields: {} });

		expect(error.message).toMatch(/The parameter 'Name' is empty/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});

describe('Organization → Get', () => {
	it('reads one organization and simplifies it', async () => {
		const [organization] = seedOrganizations(handle, 1);
		const [contact] = seedContacts(handle, 1);
		contact.organizations.push(organization.id);

		const { output } = await runNode(handle, { resource: 'organization', operation: 'get', organization: locator(organization.id, 'list') });

		expect(callLines(handle)).toEqual([`GET /crm/organizations/${organization.id}`]);
		expect(output[0].json).toMatchObject({ id: organization.id, name: 'Company 001', contacts: [contact.id], emails: [], addresses: [] });
	});

	it('names the missing organization on 404', async () => {
		const error = await runNodeError(handle, { resource: 'organization', operation: 'get', organization: locator('NoSuchOrganization') });

		expect(error.message).toMatch(/no organization 'NoSuchOrganization'/);
	});
});

describe('Organization → Get Many', () => {
	it('pages through all organizations with Return All', async () => {
		const seeded = seedOrganizations(handle, 205);

		const { output } = await runNode(handle, { resource: 'organization', operation: 'getAll', returnAll: true, filters: {}, options: {} });

		expect(calls(handle).map((call) => `${call.path} ${call.query.limit}/${call.query.offset}`)).toEqual([
			'/crm/organizations 100/0',
			'/crm/organizations 100/100',
			'/crm/organizations 100/200',
		]);
		expect(output.map((item) => item.json.id)).toEqual(seeded.map((organization) => organization.id));
	});

	it('keeps to the limit and sends the search', async () => {
		seedOrganizations(handle, 30, 'Acme');
		seedOrganizations(handle, 5, 'Other');

		const { output } = await runNode(handle, { resource: 'organization', operation: 'getAll', returnAll: false, limit: 20, filters: { search: 'acme' }, options: { sort: 'alphabet' } });

		expect(calls(handle)[0].query).toEqual({ limit: '20', offset: '0', search: 'acme', sort: 'alphabet' });
		expect(output).toHaveLength(20);
		expect(output.every((item) => String(item.json.name).startsWith('Acme'))).toBe(true);
		expect(handle.sandbox.requests).toHaveLength(1);
	});
});

describe('Organization → Update', () => {
	it('reads the organization and resends what it keeps', async () => {
		const created = await runNode(handle, {
			resource: 'organization',
			operation: 'create',
			name: 'Example LLC',
			additionalFields: { emails: 'office@example.ru', responsibleId: SEED.members.owner.id },
		});
		const id = String(created.output[0].json.id);
		handle.sandbox.requests.length = 0;

		const { output } = await runNode(handle, { resource: 'organization', operation: 'update', organization: locator(id), updateFields: { name: 'Example Group', phones: '+74950001234' } });

		expect(callLines(handle)).toEqual([`GET /crm/organizations/${id}`, `PUT /crm/organizations/${id}`]);
		expect(calls(handle, 'PUT')[0].body).toEqual({
			name: 'Example Group',
			addresses: [],
			emails: ['office@example.ru'],
			phones: ['+74950001234'],
			responsibles: [SEED.members.owner.id],
		});
		expect(findOrganization(handle, id)).toMatchObject({ name: 'Example Group', responsibleId: SEED.members.owner.id });
		expect(output[0].json.name).toBe('Example Group');
	});

	it('refuses an update with nothing to change', async () => {
		const [organization] = seedOrganizations(handle, 1);

		const error = await runNodeError(handle, { resource: 'organization', operation: 'update', organization: locator(organization.id), updateFields: {} });

		expect(error.message).toBe("Nothing to update: add at least one field under 'Update Fields'");
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('refuses to clear the name', async () => {
		const [organization] = seedOrganizations(handle, 1);

		const error = await runNodeError(handle, { resource: 'organization', operation: 'update', organization: locator(organization.id), updateFields: { name: '' } });

		expect(error.message).toMatch(/The parameter 'Name' under 'Update Fields' is empty/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});

describe('Organization → Delete', () => {
	it('deletes the organization and unlinks it everywhere', async () => {
		const [organization] = seedOrganizations(handle, 1);
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);
		deal.organizations.push(organization.id);

		const { output } = await runNode(handle, { resource: 'organization', operation: 'delete', organization: locator(organization.id) });

		expect(callLines(handle)).toEqual([`DELETE /crm/organizations/${organization.id}`]);
		expect(output[0].json).toEqual({ success: true, organizationId: organization.id });
		expect(handle.sandbox.state.organizations).toHaveLength(0);
		expect(findDeal(handle, deal.id).organizations).toEqual([]);
	});

	it('names the missing organization on 404', async () => {
		const error = await runNodeError(handle, { resource: 'organization', operation: 'delete', organization: locator('NoSuchOrganization') });

		expect(error.message).toMatch(/no organization 'NoSuchOrganization'/);
	});
});

describe('Organization → Add Contact and Remove Contact', () => {
	it('links and unlinks a contact', async () => {
		const [organization] = seedOrganizations(handle, 1);
		const [contact] = seedContacts(handle, 1);

		const added = await runNode(handle, { resource: 'organization', operation: 'addContact', organization: locator(organization.id), contact: locator(contact.id) });
		expect(handle.sandbox.state.contacts[0].organizations).toEqual([organization.id]);

		const removed = await runNode(handle, { resource: 'organization', operation: 'removeContact', organization: locator(organization.id), contact: locator(contact.id) });
		expect(handle.sandbox.state.contacts[0].organizations).toEqual([]);

		expect(calls(handle)).toEqual([
			{ method: 'POST', path: `/crm/organizations/${organization.id}/contacts`, query: {}, body: { contactId: contact.id } },
			{ method: 'DELETE', path: `/crm/organizations/${organization.id}/contacts`, query: {}, body: { contactId: contact.id } },
		]);
		expect(added.output[0].json).toEqual({ success: true, organizationId: organization.id, contactId: contact.id });
		expect(removed.output[0].json).toEqual({ success: true, organizationId: organization.id, contactId: contact.id });
	});

	it('rejects an empty contact', async () => {
		const [organization] = seedOrganizations(handle, 1);

		const error = await runNodeError(handle, { resource: 'organization', operation: 'addContact', organization: locator(organization.id), contact: locator('') });

		expect(error.message).toMatch(/The parameter 'Contact' is empty: pick a contact from the list/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('names the missing organization on 404', async () => {
		const [contact] = seedContacts(handle, 1);

		const error = await runNodeError(handle, { resource: 'organization', operation: 'addContact', organization: locator('NoSuchOrganization'), contact: locator(contact.id) });

		expect(error.message).toMatch(/no organization 'NoSuchOrganization'/);
	});
});

describe('Organization → Add to Deal and Remove From Deal', () => {
	it('links and unlinks the organization on the deal', async () => {
		const [organization] = seedOrganizations(handle, 1);
		const [deal] = seedDeals(handle, SEED.statuses.newLead.id, 1);

		const added = await runNode(handle, { resource: 'organization', operation: 'addToDeal', organization: locator(organization.id), deal: locator(deal.id) });
		expect(findDeal(handle, deal.id).organizations).toEqual([organization.id]);

		await runNode(handle, { resource: 'organization', operation: 'removeFromDeal', organization: locator(organization.id), deal: locator(deal.id) });
		expect(findDeal(handle, deal.id).organizations).toEqual([]);

		expect(calls(handle)).toEqual([
			{ method: 'POST', path: `/crm/deals/${deal.id}/organizations`, query: {}, body: { organizationId: organization.id } },
			{ method: 'DELETE', path: `/crm/deals/${deal.id}/organizations`, query: {}, body: { organizationId: organization.id } },
		]);
		expect(added.output[0].json).toEqual({ success: true, organizationId: organization.id, dealId: deal.id });
	});

	it('names the missing deal on 404', async () => {
		const [organization] = seedOrganizations(handle, 1);

		const error = await runNodeError(handle, { resource: 'organization', operation: 'removeFromDeal', organization: locator(organization.id), deal: locator('NoSuchDeal000001') });

		expect(error.message).toMatch(/no deal 'NoSuchDeal000001'/);
	});
});
