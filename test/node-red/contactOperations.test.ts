/**
 * The operations of the WEEEK Contact node besides "create" (covered in nodes.test.ts), each run
 * in a flow against the WEEEK sandbox: the request WEEEK receives and the sandbox state after it.
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
	delete process.env.WEEEK_NR_CONTACT_ID;
});

async function createContact(body: Record<string, unknown>): Promise<string> {
	const answer = await callApi(sandbox, 'POST', '/crm/contacts', body);
	return answer.contact.id as string;
}

describe('weeek-contact operations', () => {
	it('gets a contact by the id in msg.weeek.contact.id', async () => {
		let contactId = '';
		await seed(sandbox, async () => {
			contactId = await createContact({ firstName: 'Анна', emails: ['anna@example.ru'] });
		});

		const msg = await runOk(sandbox, { type: 'weeek-contact', operation: 'get' }, { payload: 'kept', weeek: { contact: { id: contactId } } });

		expect(sandbox.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /crm/contacts/${contactId}`]);
		expect(msg.weeek.contact.id).toBe(contactId);
		expect(msg.weeek.contact.emails).toEqual([expect.objectContaining({ email: 'anna@example.ru' })]);
		expect(msg.payload).toBe('kept');
	});

	it('reads the contact id from an environment variable', async () => {
		let contactId = '';
		await seed(sandbox, async () => {
			contactId = await createContact({ firstName: 'Env' });
		});
		process.env.WEEEK_NR_CONTACT_ID = contactId;

		const msg = await runOk(sandbox, { type: 'weeek-contact', operation: 'get', contactId: 'WEEEK_NR_CONTACT_ID', contactIdType: 'env' });

		expect(sandbox.requests[0].path).toBe(`/crm/contacts/${contactId}`);
		expect(msg.weeek.contact.firstName).toBe('Env');
	});

	it('gets one page of contacts matching a search', async () => {
		await seed(sandbox, async () => {
			for (const name of ['Ivan', 'Ivanka', 'Petr', 'Ivar']) await createContact({ firstName: name });
		});

		const msg = await runOk(sandbox, {
			type: 'weeek-contact',
			operation: 'getMany',
			search: 'query.text',
			searchType: 'msg',
			limit: '2',
			limitType: 'num',
			offset: '1',
			offsetType: 'num',
		}, { payload: 'kept', query: { text: 'iva' } });

		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0].path).toBe('/crm/contacts');
		expect(sandbox.requests[0].query).toEqual({ limit: '2', offset: '1', search: 'iva' });
		expect(msg.weeek.contacts.map((contact: { firstName: string }) => contact.firstName)).toHaveLength(2);
		expect(msg.weeek.page).toEqual({ limit: 2, offset: 1, count: 2, hasMore: true });
	});

	it('returns all contacts page by page', async () => {
		await seed(sandbox, async () => {
			for (let index = 0; index < 103; index += 1) sandbox.state.contacts.push({ ...baseContact(), id: `0000000${index}`.slice(-8).padStart(36, 'c'), firstName: `Person ${index}` });
		});

		const msg = await runOk(sandbox, { type: 'weeek-contact', operation: 'getMany', returnAll: true, limit: '5', limitType: 'num' });

		expect(sandbox.requests.map((request) => request.query)).toEqual([
			{ limit: '100', offset: '0' },
			{ limit: '100', offset: '100' },
		]);
		expect(msg.weeek.contacts).toHaveLength(103);
		expect(msg.weeek.page).toEqual({ limit: 100, offset: 0, count: 103, hasMore: false });
	});

	it('updates the fields a message carries and keeps the first name', async () => {
		let contactId = '';
		await seed(sandbox, async () => {
			contactId = await createContact({ firstName: 'Ольга', lastName: 'Old', phones: ['+79990000000'] });
		});

		const msg = await runOk(sandbox, {
			type: 'weeek-contact',
			operation: 'update',
			fields: [
				{ field: 'lastName', value: 'payload.lastName', type: 'msg' },
				{ field: 'phones', value: 'payload.phone', type: 'msg' },
				{ field: 'middleName', value: 'payload.missing', type: 'msg' },
			],
		}, { payload: { lastName: 'Новикова', phone: '8 (999) 111-22-33' }, weeek: { contact: { id: contactId } } });

		expect(sandbox.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /crm/contacts/${contactId}`, `PUT /crm/contacts/${contactId}`]);
		expect(sandbox.requests[1].body).toEqual({ firstName: 'Ольга', lastName: 'Новикова', phones: ['+79991112233'], emails: [], organizations: [], tags: [] });
		const stored = sandbox.state.contacts.find((contact) => contact.id === contactId);
		expect(stored?.lastName).toBe('Новикова');
		expect(stored?.phones.map((phone) => phone.phone)).toEqual(['+79991112233']);
		expect(msg.weeek.contact.lastName).toBe('Новикова');
	});

	it('deletes a contact', async () => {
		let contactId = '';
		await seed(sandbox, async () => {
			contactId = await createContact({ firstName: 'Gone' });
		});

		const msg = await runOk(sandbox, { type: 'weeek-contact', operation: 'delete', contactId, contactIdType: 'str' });

		expect(sandbox.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`DELETE /crm/contacts/${contactId}`]);
		expect(sandbox.state.contacts).toHaveLength(0);
		expect(msg.weeek.deleted).toEqual({ kind: 'contact', id: contactId });
	});

	it('adds and removes the tag picked in the dialog', async () => {
		let contactId = '';
		await seed(sandbox, async () => {
			contactId = await createContact({ firstName: 'Tagged' });
		});
		const tagId = String(SEED.tags.hot.id);

		const added = await runOk(sandbox, { type: 'weeek-contact', operation: 'addTag', tagSourceType: 'list', tagId }, { weeek: { contact: { id: contactId } } });
		expect(sandbox.requests[0]).toMatchObject({ method: 'POST', path: `/crm/contacts/${contactId}/tags`, body: { tagId: SEED.tags.hot.id } });
		expect(sandbox.state.contacts[0].tags).toEqual([SEED.tags.hot.id]);
		expect(added.weeek.link).toEqual({ contactId, tagId: SEED.tags.hot.id });
		await helper.unload();

		const removed = await runOk(sandbox, { type: 'weeek-contact', operation: 'removeTag', tagSource: '$number(payload.tag)', tagSourceType: 'jsonata' }, { payload: { tag: tagId }, weeek: { contact: { id: contactId } } });
		expect(sandbox.requests[1]).toMatchObject({ method: 'DELETE', path: `/crm/contacts/${contactId}/tags`, body: { tagId: SEED.tags.hot.id } });
		expect(sandbox.state.contacts[0].tags).toEqual([]);
		expect(removed.weeek.unlink).toEqual({ contactId, tagId: SEED.tags.hot.id });
	});
});

describe('weeek-contact bad input', () => {
	it('names the missing contact id and keeps the message', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-contact', operation: 'get' }, { payload: { lead: 'kept' } });

		expect(caught.error.code).toBe('missingValue');
		expect(caught.error.message).toContain('msg.weeek.contact.id');
		expect(caught.error.message).toContain('contactId');
		expect(caught.payload).toEqual({ lead: 'kept' });
		expect(sandbox.requests).toHaveLength(0);
	});

	it('rejects a limit above the page size', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-contact', operation: 'getMany', limit: 'size', limitType: 'msg' }, { size: 500 });

		expect(caught.error.code).toBe('invalidInteger');
		expect(caught.error.message).toContain("limit '500'");
		expect(caught.error.message).toContain('from 1 to 100');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('rejects an update without fields', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-contact', operation: 'update', fields: [] }, { weeek: { contact: { id: 'c-1' } } });

		expect(caught.error.code).toBe('noFieldsToUpdate');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('rejects an operation it does not know', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-contact', operation: 'merge' }, { payload: 'kept' });

		expect(caught.error.code).toBe('unknownOperation');
		expect(caught.error.message).toContain('merge');
		expect(caught.payload).toBe('kept');
	});

	it('rejects a tag id that is not a number', async () => {
		const caught = await runFailing(sandbox, { type: 'weeek-contact', operation: 'addTag', tagSource: 'hot', tagSourceType: 'str' }, { weeek: { contact: { id: 'c-1' } } });

		expect(caught.error.code).toBe('invalidId');
		expect(caught.error.message).toContain("'hot' is not a WEEEK ID, which is a whole number above 0: pick it from the list");
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('weeek-contact dry run', () => {
	it('lists the delete and tag requests without sending them', async () => {
		let contactId = '';
		await seed(sandbox, async () => {
			contactId = await createContact({ firstName: 'Stays' });
		});

		const deleted = await runOk(sandbox, { type: 'weeek-contact', operation: 'delete', dryRun: true }, { weeek: { contact: { id: contactId } } });
		await helper.unload();
		const tagged = await runOk(sandbox, { type: 'weeek-contact', operation: 'addTag', tagSourceType: 'list', tagId: '2', dryRun: true }, { weeek: { contact: { id: contactId } } });

		expect(deleted.weeek.dryRun.requests).toEqual([{ method: 'DELETE', path: `/crm/contacts/${contactId}` }]);
		expect(tagged.weeek.dryRun.requests).toEqual([{ method: 'POST', path: `/crm/contacts/${contactId}/tags`, body: { tagId: 2 } }]);
		expect(sandbox.requests).toHaveLength(0);
		expect(sandbox.state.contacts).toHaveLength(1);
	});
});

function baseContact() {
	return {
		id: '',
		creatorId: SEED.members.owner.id,
		firstName: '',
		lastName: null,
		middleName: null,
		organizations: [],
		emails: [],
		phones: [],
		tags: [],
		createdAt: '2025-01-15T09:00:00.000Z',
		updatedAt: '2025-01-15T09:00:00.000Z',
	};
}
