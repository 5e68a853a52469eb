import { NodeApiError } from 'n8n-workflow';

import { SEED } from '../sandbox/server';
import { callLines, calls, findContact, locator, runNode, runNodeError, seedContacts, useSandbox } from './support';

const handle = useSandbox();

describe('Contact → Get', () => {
	it('reads one contact and simplifies it by default', async () => {
		const [contact] = seedContacts(handle, 1);

		const { output } = await runNode(handle, { resource: 'contact', operation: 'get', contact: locator(contact.id, 'list') });

		expect(calls(handle)).toEqual([{ method: 'GET', path: `/crm/contacts/${contact.id}`, query: {}, body: undefined }]);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toEqual({
			id: contact.id,
			firstName: 'Contact 001',
			lastName: null,
			middleName: null,
			emails: ['contact1@example.ru'],
			phones: [],
			organizations: [],
			tags: [],
			createdAt: contact.createdAt,
			updatedAt: contact.updatedAt,
		});
	});

	it('returns the raw WEEEK contact without Simplify', async () => {
		const [contact] = seedContacts(handle, 1);

		const { output } = await runNode(handle, { resource: 'contact', operation: 'get', contact: locator(contact.id), simplify: false });

		expect(output[0].json.emails).toEqual([{ id: contact.emails[0].id, email: 'contact1@example.ru' }]);
		expect(output[0].json.creatorId).toBe(SEED.members.owner.id);
	});

	it('names the missing contact on 404', async () => {
		const error = await runNodeError(handle, { resource: 'contact', operation: 'get', contact: locator('0b6f2a4e-0000-4000-8000-000000000000') });

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/no contact '0b6f2a4e-0000-4000-8000-000000000000'.*check the ID/);
	});

	it('rejects an empty contact before calling WEEEK', async () => {
		const error = await runNodeError(handle, { resource: 'contact', operation: 'get', contact: locator('  ') });

		expect(error.message).toMatch(/The parameter 'Contact' is empty: pick a contact from the list/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});

describe('Contact → Get Many', () => {
	it('pages through all contacts with Return All and stops on the short page', async () => {
		const seeded = seedContacts(handle, 230);

		const { output } = await runNode(handle, { resource: 'contact', operation: 'getAll', returnAll: true, filters: {}, options: {} });

		expect(calls(handle).map((call) => call.query)).toEqual([
			{ limit: '100', offset: '0' },
			{ limit: '100', offset: '100' },
			{ limit: '100', offset: '200' },
		]);
		expect(calls(handle).every((call) => call.method === 'GET' && call.path === '/crm/contacts')).toBe(true);
		expect(output.map((item) => item.json.id)).toEqual(seeded.map((contact) => contact.id));
		expect(output.every((item) => item.pairedItem !== undefined && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('asks for a full last page when the limit spans pages', async () => {
		const seeded = seedContacts(handle, 180);

		const { output } = await runNode(handle, { resource: 'contact', operation: 'getAll', returnAll: false, limit: 150, filters: {}, options: {} });

		expect(calls(handle).map((call) => call.query)).toEqual([
			{ limit: '100', offset: '0' },
			{ limit: '50', offset: '100' },
		]);
		expect(output.map((item) => item.json.id)).toEqual(seeded.slice(0, 150).map((contact) => contact.id));
	});

	it('stops after one request when the first page is short', async () => {
		seedContacts(handle, 7);

		const { output } = await runNode(handle, { resource: 'contact', operation: 'getAll', returnAll: true, filters: {}, options: {} });

		expect(output).toHaveLength(7);
		expect(handle.sandbox.requests).toHaveLength(1);
	});

	it('sends search and sort to WEEEK', async () => {
		seedContacts(handle, 3, 'Alpha');
		seedContacts(handle, 2, 'Beta');

		const { output } = await runNode(handle, {
			resource: 'contact',
			operation: 'getAll',
			returnAll: false,
			limit: 50,
			filters: { search: 'beta' },
			options: { sort: '-alphabet' },
		});

		expect(calls(handle)).toEqual([{ method: 'GET', path: '/crm/contacts', query: { limit: '50', offset: '0', search: 'beta', sort: '-alphabet' }, body: undefined }]);
		expect(output.map((item) => item.json.firstName)).toEqual(['Beta 002', 'Beta 001']);
	});

	it('outputs no items when nothing matches', async () => {
		const { output } = await runNode(handle, { resource: 'contact', operation: 'getAll', returnAll: true, filters: { search: 'nobody' }, options: {} });

		expect(output).toEqual([]);
	});

	it('rejects a limit below 1', async () => {
		const error = await runNodeError(handle, { resource: 'contact', operation: 'getAll', returnAll: false, limit: 0, filters: {}, options: {} });

		expect(error.message).toMatch(/The parameter 'Limit' must be a whole number of at least 1/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});
});

describe('Contact → Update', () => {
	it('resends the first name it keeps and replaces only the given fields', async () => {
		const created = await runNode(handle, {
			resource: 'contact',
			operation: 'create',
			firstName: 'Ivan',
			additionalFields: { lastName: 'Petrov', emails: 'ivan@example.ru', phones: '+79990001234' },
		});
		const id = String(created.output[0].json.id);
		handle.sandbox.requests.length = 0;

		const { output } = await runNode(handle, {
			resource: 'contact',
			operation: 'update',
			contact: locator(id),
			updateFields: { phones: '8 (999) 000-55-66', lastName: '' },
		});

		expect(callLines(handle)).toEqual([`GET /crm/contacts/${id}`, `PUT /crm/contacts/${id}`]);
		expect(calls(handle, 'PUT')[0].body).toEqual({
			firstName: 'Ivan',
			lastName: '',
			emails: ['ivan@example.ru'],
			phones: ['+79990005566'],
			organizations: [],
			tags: [],
		});
		const stored = findContact(handle, id);
		expect(stored.firstName).toBe('Ivan');
		expect(stored.emails.map((entry) => entry.email)).toEqual(['ivan@example.ru']);
		expect(stored.phones.map((entry) => entry.phone)).toEqual(['+79990005566']);
		expect(output[0].json.id).toBe(id);
	});

	it('changes the first name', async () => {
		const [contact] = seedContacts(handle, 1);

		await runNode(handle, { resource: 'contact', operation: 'update', contact: locator(contact.id), updateFields: { firstName: ' Anna ' } });

		expect(calls(handle, 'PUT')[0].body).toMatchObject({ firstName: 'Anna' });
		expect(findContact(handle, contact.id).firstName).toBe('Anna');
	});

	it('refuses an update with nothing to change', async () => {
		const [contact] = seedContacts(handle, 1);

		const error = await runNodeError(handle, { resource: 'contact', operation: 'update', contact: locator(contact.id), updateFields: {} });

		expect(error.message).toBe("Nothing to update: add at least one field under 'Update Fields'");
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('refuses to clear the first name', async () => {
		const [contact] = seedContacts(handle, 1);

		const error = await runNodeError(handle, { resource: 'contact', operation: 'update', contact: locator(contact.id), updateFields: { firstName: '  ' } });

		expect(error.message).toMatch(/The parameter 'First Name' under 'Update Fields' is empty/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('refuses an e-mail that is not an address', async () => {
		const [contact] = seedContacts(handle, 1);

		const error = await runNodeError(handle, { resource: 'contact', operation: 'update', contact: locator(contact.id), updateFields: { emails: 'ok@example.ru, not-an-email' } });

		expect(error.message).toMatch(/The parameter 'Emails' contains 'not-an-email', which is not an e-mail address/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('names the missing contact on 404', async () => {
		const error = await runNodeError(handle, { resource: 'contact', operation: 'update', contact: locator('NoSuchContact'), updateFields: { lastName: 'X' } });

		expect(error.message).toMatch(/no contact 'NoSuchContact'/);
		expect(callLines(handle)).toEqual(['GET /crm/contacts/NoSuchContact']);
	});
});

describe('Contact → Delete', () => {
	it('deletes the contact and outputs its ID', async () => {
		const [kept, deleted] = seedContacts(handle, 2);

		const { output } = await runNode(handle, { resource: 'contact', operation: 'delete', contact: locator(deleted.id) });

		expect(calls(handle)).toEqual([{ method: 'DELETE', path: `/crm/contacts/${deleted.id}`, query: {}, body: undefined }]);
		expect(output).toEqual([{ json: { success: true, contactId: deleted.id }, pairedItem: { item: 0 } }]);
		expect(handle.sandbox.state.contacts.map((contact) => contact.id)).toEqual([kept.id]);
	});

	it('names the missing contact on 404', async () => {
		const error = await runNodeError(handle, { resource: 'contact', operation: 'delete', contact: locator('NoSuchContact') });

		expect(error.message).toMatch(/no contact 'NoSuchContact'.*delete a contact/);
	});
});

describe('Contact → Add Tag and Remove Tag', () => {
	it('tags and untags the contact with tagId', async () => {
		const [contact] = seedContacts(handle, 1);

		const added = await runNode(handle, { resource: 'contact', operation: 'addTag', contact: locator(contact.id), tag: SEED.tags.hot.id });
		expect(findContact(handle, contact.id).tags).toEqual([SEED.tags.hot.id]);

		const removed = await runNode(handle, { resource: 'contact', operation: 'removeTag', contact: locator(contact.id), tag: String(SEED.tags.hot.id) });
		expect(findContact(handle, contact.id).tags).toEqual([]);

		expect(calls(handle)).toEqual([
			{ method: 'POST', path: `/crm/contacts/${contact.id}/tags`, query: {}, body: { tagId: SEED.tags.hot.id } },
			{ method: 'DELETE', path: `/crm/contacts/${contact.id}/tags`, query: {}, body: { tagId: SEED.tags.hot.id } },
		]);
		expect(added.output[0].json).toEqual({ success: true, contactId: contact.id, tagId: SEED.tags.hot.id });
		expect(removed.output[0].json).toEqual({ success: true, contactId: contact.id, tagId: SEED.tags.hot.id });
	});

	it('rejects a tag that is not a number', async () => {
		const [contact] = seedContacts(handle, 1);

		const error = await runNodeError(handle, { resource: 'contact', operation: 'addTag', contact: locator(contact.id), tag: 'hot' });

		expect(error.message).toMatch(/The parameter 'Tag Name or ID' must be a WEEEK tag ID, a whole number such as 3, not 'hot'/);
		expect(handle.sandbox.requests).toHaveLength(0);
	});

	it('rejects an empty contact', async () => {
		const error = await runNodeError(handle, { resource: 'contact', operation: 'removeTag', contact: locator(''), tag: 1 });

		expect(error.message).toMatch(/The parameter 'Contact' is empty/);
	});

	it('names the missing contact on 404', async () => {
		const error = await runNodeError(handle, { resource: 'contact', operation: 'addTag', contact: locator('NoSuchContact'), tag: 1 });

		expect(error.message).toMatch(/no contact 'NoSuchContact'.*tag a contact/);
	});
});
