import { call } from './http';
import { SEED, startSandbox, type Sandbox } from './server';

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

async function createContact(body: Record<string, unknown>): Promise<any> {
	const response = await call(sandbox, 'POST', '/crm/contacts', body);
	expect(response.status).toBe(200);
	return response.body.contact;
}

function names(response: { body: { contacts: Array<{ firstName: string }> } }): string[] {
	return response.body.contacts.map((contact) => contact.firstName);
}

describe('contact create', () => {
	it('returns e-mail and phone objects', async () => {
		const response = await call(sandbox, 'POST', '/crm/contacts', {
			firstName: 'Ivan',
			lastName: 'Petrov',
			middleName: 'Sergeevich',
			emails: ['ivan.petrov@example.com'],
			phones: ['+7 900 000-00-01'],
			tags: [SEED.tags.website.id],
		});

		expect(response.status).toBe(200);
		expect(response.body.success).toBe(true);
		const contact = response.body.contact;
		expect(contact.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		expect(contact).toMatchObject({
			creatorId: SEED.members.owner.id,
			firstName: 'Ivan',
			lastName: 'Petrov',
			middleName: 'Sergeevich',
			organizations: [],
			tags: [SEED.tags.website.id],
		});
		expect(contact.emails).toEqual([{ id: expect.any(String), email: 'ivan.petrov@example.com' }]);
		expect(contact.phones).toEqual([{ id: expect.any(String), phone: '+7 900 000-00-01' }]);
		expect(contact.emails[0].id).not.toBe(contact.phones[0].id);
		expect(Date.parse(contact.createdAt)).not.toBeNaN();
	});

	it('answers the Laravel 422 body without firstName', async () => {
		const response = await call(sandbox, 'POST', '/crm/contacts', { lastName: 'Petrov' });
		expect(response.status).toBe(422);
		expect(response.body).toEqual({
			success: false,
			message: 'The first name field is required.',
			errors: { firstName: ['The first name field is required.'] },
		});
	});

	it('treats a blank firstName as missing', async () => {
		const response = await call(sandbox, 'POST', '/crm/contacts', { firstName: '   ' });
		expect(response.status).toBe(422);
		expect(response.body.errors.firstName).toEqual(['The first name field is required.']);
	});

	it('rejects an invalid e-mail', async () => {
		const response = await call(sandbox, 'POST', '/crm/contacts', { firstName: 'Ivan', emails: ['ok@example.com', 'not an email'] });
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ 'emails.1': ['The emails.1 field must be a valid email address.'] });
		expect(sandbox.state.contacts).toHaveLength(0);
	});

	it('rejects e-mails given as objects', async () => {
		const response = await call(sandbox, 'POST', '/crm/contacts', { firstName: 'Ivan', emails: [{ email: 'ivan@example.com' }] });
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ 'emails.0': ['The emails.0 field must be a string.'] });
	});

	it('rejects a phone over 255 characters', async () => {
		const response = await call(sandbox, 'POST', '/crm/contacts', { firstName: 'Ivan', phones: ['1'.repeat(256)] });
		expect(response.status).toBe(422);
		expect(Object.keys(response.body.errors)).toEqual(['phones.0']);
	});

	it('accepts free-text phones', async () => {
		const contact = await createContact({ firstName: 'Ivan', phones: ['ask the secretary, ext. 12'] });
		expect(contact.phones[0].phone).toBe('ask the secretary, ext. 12');
	});

	it('ignores unknown and singular fields', async () => {
		const contact = await createContact({
			firstName: 'Ivan',
			email: 'ivan@example.com',
			phone: '+79000000001',
			description: 'not stored',
			links: ['https://example.com'],
		});
		expect(contact.emails).toEqual([]);
		expect(contact.phones).toEqual([]);
		expect(contact).not.toHaveProperty('description');
		expect(contact).not.toHaveProperty('email');
	});
});

describe('contact update', () => {
	it('requires firstName on PUT', async () => {
		const contact = await createContact({ firstName: 'Ivan' });
		const response = await call(sandbox, 'PUT', `/crm/contacts/${contact.id}`, { lastName: 'Petrov' });
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ firstName: ['The first name field is required.'] });
	});

	it('PUT replaces only lists sent', async () => {
		const contact = await createContact({ firstName: 'Ivan', emails: ['old@example.com'], phones: ['+7 900 000-00-01'] });
		const response = await call(sandbox, 'PUT', `/crm/contacts/${contact.id}`, { firstName: 'Ivan', emails: ['new@example.com'] });

		expect(response.status).toBe(200);
		expect(response.body.contact.emails.map((email: { email: string }) => email.email)).toEqual(['new@example.com']);
		expect(response.body.contact.phones.map((phone: { phone: string }) => phone.phone)).toEqual(['+7 900 000-00-01']);
	});

	it('e-mail sub-resource add, edit, delete', async () => {
		const contact = await createContact({ firstName: 'Ivan' });

		const added = await call(sandbox, 'POST', `/crm/contacts/${contact.id}/emails`, { email: 'ivan@example.com' });
		expect(added.body).toEqual({ success: true, email: { id: expect.any(String), email: 'ivan@example.com' } });

		const edited = await call(sandbox, 'PUT', `/crm/contacts/${contact.id}/emails/${added.body.email.id}`, { email: 'ivan@example.org' });
		expect(edited.body.email).toEqual({ id: added.body.email.id, email: 'ivan@example.org' });

		const invalid = await call(sandbox, 'POST', `/crm/contacts/${contact.id}/emails`, { email: 'nope' });
		expect(invalid.status).toBe(422);

		await call(sandbox, 'DELETE', `/crm/contacts/${contact.id}/emails/${added.body.email.id}`);
		expect(sandbox.state.contacts[0].emails).toEqual([]);
	});

	it('adds a phone through the sub-resource', async () => {
		const contact = await createContact({ firstName: 'Ivan' });
		const added = await call(sandbox, 'POST', `/crm/contacts/${contact.id}/phones`, { phone: '8 (900) 000-00-02' });
		expect(added.body.phone.phone).toBe('8 (900) 000-00-02');
		expect(sandbox.state.contacts[0].phones).toHaveLength(1);
	});

	it('adds and removes a tag with tagId', async () => {
		const contact = await createContact({ firstName: 'Ivan' });
		await call(sandbox, 'POST', `/crm/contacts/${contact.id}/tags`, { tagId: SEED.tags.hot.id });
		expect(sandbox.state.contacts[0].tags).toEqual([SEED.tags.hot.id]);

		const wrongKey = await call(sandbox, 'POST', `/crm/contacts/${contact.id}/tags`, { tag: SEED.tags.hot.id });
		expect(wrongKey.status).toBe(422);

		await call(sandbox, 'DELETE', `/crm/contacts/${contact.id}/tags`, { tagId: SEED.tags.hot.id });
		expect(sandbox.state.contacts[0].tags).toEqual([]);
	});

	it('delete unlinks contact from deals', async () => {
		const contact = await createContact({ firstName: 'Ivan' });
		await call(sandbox, 'POST', `/crm/statuses/${SEED.statuses.newLead.id}/deals`, { title: 'x', contacts: [contact.id] });

		expect((await call(sandbox, 'DELETE', `/crm/contacts/${contact.id}`)).body).toEqual({ success: true });
		expect((await call(sandbox, 'GET', `/crm/contacts/${contact.id}`)).body).toEqual({ message: 'Record not found' });
		expect(sandbox.state.deals[0].contacts).toEqual([]);
	});
});

describe('contact list', () => {
	it('pages without a more flag', async () => {
		for (const firstName of ['A', 'B', 'C', 'D', 'E']) {
			await createContact({ firstName });
		}

		const first = await call(sandbox, 'GET', '/crm/contacts?limit=2&offset=0');
		expect(Object.keys(first.body).sort()).toEqual(['contacts', 'success']);
		expect(names(first)).toEqual(['A', 'B']);

		const last = await call(sandbox, 'GET', '/crm/contacts?limit=2&offset=4');
		expect(names(last)).toEqual(['E']);

		const beyond = await call(sandbox, 'GET', '/crm/contacts?limit=2&offset=6');
		expect(beyond.body.contacts).toEqual([]);
	});

	it('rejects limit above 100', async () => {
		const response = await call(sandbox, 'GET', '/crm/contacts?limit=500');
		expect(response.status).toBe(422);
		expect(response.body.errors.limit).toEqual(['The limit field must not be greater than 100.']);
	});

	it('searches names, e-mails and phones loosely', async () => {
		await createContact({ firstName: 'Ivan', lastName: 'Petrov', emails: ['ivan@example.com'], phones: ['+7 900 000-00-01'] });
		await createContact({ firstName: 'Ivanna', emails: ['ivan@example.com.ru'] });
		await createContact({ firstName: 'Olga', phones: ['8 (900) 123-45-67'] });

		expect(names(await call(sandbox, 'GET', '/crm/contacts?search=IVAN'))).toEqual(['Ivan', 'Ivanna']);
		expect(names(await call(sandbox, 'GET', '/crm/contacts?search=petrov'))).toEqual(['Ivan']);
		expect(names(await call(sandbox, 'GET', '/crm/contacts?search=ivan%20petrov'))).toEqual(['Ivan']);
		// An e-mail search also returns longer addresses that contain it.
		expect(names(await call(sandbox, 'GET', '/crm/contacts?search=ivan%40example.com'))).toEqual(['Ivan', 'Ivanna']);
		// Phones match as stored and by digits only.
		expect(names(await call(sandbox, 'GET', '/crm/contacts?search=%2B7%20900%20000-00-01'))).toEqual(['Ivan']);
		expect(names(await call(sandbox, 'GET', '/crm/contacts?search=79000000001'))).toEqual(['Ivan']);
		expect(names(await call(sandbox, 'GET', '/crm/contacts?search=1234567'))).toEqual(['Olga']);
		expect(names(await call(sandbox, 'GET', '/crm/contacts?search=nobody'))).toEqual([]);
	});

	it('ignores an email query parameter', async () => {
		await createContact({ firstName: 'Ivan', emails: ['ivan@example.com'] });
		await createContact({ firstName: 'Olga', emails: ['olga@example.com'] });
		expect(names(await call(sandbox, 'GET', '/crm/contacts?email=olga%40example.com'))).toEqual(['Ivan', 'Olga']);
	});
});

describe('organizations', () => {
	it('creates an organization with responsibleId from responsibles[]', async () => {
		const response = await call(sandbox, 'POST', '/crm/organizations', {
			name: 'Example LLC',
			addresses: ['Moscow, Tverskaya 1'],
			emails: ['info@example.com'],
			phones: ['+7 495 000-00-00'],
			responsibles: [SEED.members.manager.id],
		});

		expect(response.status).toBe(200);
		expect(response.body.organization).toMatchObject({
			name: 'Example LLC',
			responsibleId: SEED.members.manager.id,
			addresses: [{ id: expect.any(String), address: 'Moscow, Tverskaya 1' }],
			emails: [{ id: expect.any(String), email: 'info@example.com' }],
			phones: [{ id: expect.any(String), phone: '+7 495 000-00-00' }],
			contacts: [],
			tags: [],
		});
	});

	it('requires a name', async () => {
		const response = await call(sandbox, 'POST', '/crm/organizations', {});
		expect(response.status).toBe(422);
		expect(response.body.errors).toEqual({ name: ['The name field is required.'] });
	});

	it('links contacts both ways', async () => {
		const organization = (await call(sandbox, 'POST', '/crm/organizations', { name: 'Example LLC' })).body.organization;
		const contact = await createContact({ firstName: 'Ivan' });
		const viaContact = await createContact({ firstName: 'Olga', organizations: [organization.id] });

		await call(sandbox, 'POST', `/crm/organizations/${organization.id}/contacts`, { contactId: contact.id });
		const fetched = await call(sandbox, 'GET', `/crm/organizations/${organization.id}`);
		expect(fetched.body.organization.contacts).toEqual([contact.id, viaContact.id]);
		expect((await call(sandbox, 'GET', `/crm/contacts/${contact.id}`)).body.contact.organizations).toEqual([organization.id]);

		await call(sandbox, 'DELETE', `/crm/organizations/${organization.id}/contacts`, { contactId: contact.id });
		const after = await call(sandbox, 'GET', `/crm/organizations/${organization.id}`);
		expect(after.body.organization.contacts).toEqual([viaContact.id]);
	});

	it('lists, searches, updates and deletes organizations', async () => {
		await call(sandbox, 'POST', '/crm/organizations', { name: 'Alpha' });
		const beta = (await call(sandbox, 'POST', '/crm/organizations', { name: 'Beta Group' })).body.organization;

		const listed = await call(sandbox, 'GET', '/crm/organizations?search=beta');
		expect(listed.body.organizations.map((organization: { name: string }) => organization.name)).toEqual(['Beta Group']);

		const renamed = await call(sandbox, 'PUT', `/crm/organizations/${beta.id}`, { name: 'Beta Holding', tags: [SEED.tags.partner.id] });
		expect(renamed.body.organization).toMatchObject({ name: 'Beta Holding', tags: [SEED.tags.partner.id] });

		await call(sandbox, 'DELETE', `/crm/organizations/${beta.id}`);
		expect(sandbox.state.organizations.map((organization) => organization.name)).toEqual(['Alpha']);
	});

	it('adds an address through the sub-resource', async () => {
		const organization = (await call(sandbox, 'POST', '/crm/organizations', { name: 'Alpha' })).body.organization;
		const added = await call(sandbox, 'POST', `/crm/organizations/${organization.id}/addresses`, { address: 'Kazan' });
		expect(added.body.address).toEqual({ id: expect.any(String), address: 'Kazan' });
	});
});
