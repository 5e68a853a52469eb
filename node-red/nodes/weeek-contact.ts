/**
 * `weeek-contact`: WEEEK contacts, one operation per node. "Create" (the default, and the only
 * operation of flows saved before the operation select) builds the contact from the lead in
 * `msg.payload` or from fields set in the node. The other operations read the contact id from a
 * TypedInput, by default `msg.weeek.contact.id`.
 *
 * Results go to `msg.weeek`: `contact` (create, get, update), `contacts` and `page` (get many),
 * `deleted`, `link`/`unlink` (tags). `msg.payload` is never changed.
 */
import { ConfigurationError } from '../../shared/errors';
import { normalizeEmails } from '../../shared/leads/email';
import { normalizePhones } from '../../shared/leads/phone';
import type { ContactChanges, ContactInput, WeeekClient } from '../../shared/weeek/client';
import type { WeeekContact as Contact } from '../../shared/weeek/schemas';
import { evaluateFieldRows, fieldRows, noFieldsToUpdate, unknownField } from './lib/fieldRows';
import { contactFromLead, requireLead } from './lib/leadMapping';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './lib/nodeRed';
import { handleOperation, type Operation } from './lib/operations';
import { PAGING_DEFAULTS, readPageRequest, readPages } from './lib/paging';
import { evaluateProperty, optionalText, textList } from './lib/properties';
import { LIST_TYPE, PropertyReader } from './lib/propertyReader';

/** Fields of the "from the fields below" mode, each a value plus its TypedInput type. */
const FIELDS = ['firstName', 'lastName', 'middleName', 'emails', 'phones'] as const;
type Field = (typeof FIELDS)[number];

/** WEEEK tag ids are positive integers. */
const TAG_ID_RANGE = { min: 1, max: Number.MAX_SAFE_INTEGER };

const DEFAULTS = {
	contactId: { value: 'weeek.contact.id', type: 'msg' },
	tagSource: { value: '', type: LIST_TYPE },
	...PAGING_DEFAULTS,
};

export default function register(RED: NodeAPI): void {
	function WeeekContact(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;
		const fromLead = definition.mode !== 'fields';
		const normalize = definition.normalizePhones !== false;
		const reader = new PropertyReader(RED, node, definition, DEFAULTS);

		const readPhones = (value: unknown): string[] => (normalize ? normalizePhones(value).phones : textList(value));

		const readFields = async (msg: NodeMessage): Promise<ContactInput> => {
			const values = {} as Record<Field, unknown>;
			for (const field of FIELDS) {
				values[field] = await evaluateProperty(RED, node, msg, {
					label: field,
					value: definition[field] ?? '',
					type: typeof definition[`${field}Type`] === 'string' ? (definition[`${field}Type`] as string) : 'str',
				});
			}

			const firstName = optionalText(values.firstName);
			if (firstName === undefined) {
				throw new ConfigurationError(
					'missingFirstName',
					'The first name is empty: WEEEK requires a first name for every contact, so map a name field or type one in',
				);
			}

			const emails = normalizeEmails(values.emails);
			const phones = readPhones(values.phones);
			return {
				firstName,
				lastName: optionalText(values.lastName),
				middleName: optionalText(values.middleName),
				emails: emails.length > 0 ? emails : undefined,
				phones: phones.length > 0 ? phones : undefined,
			};
		};

		const readChanges = async (msg: NodeMessage): Promise<ContactChanges> => {
			const rows = fieldRows(definition);
			if (rows.length === 0) throw noFieldsToUpdate();

			const changes: ContactChanges = {};
			for (const { field, value } of await evaluateFieldRows(RED, node, msg, rows)) {
				if (field === 'firstName' || field === 'lastName' || field === 'middleName') changes[field] = optionalText(value);
				else if (field === 'emails') changes.emails = normalizeEmails(value);
				else if (field === 'phones') changes.phones = readPhones(value);
				else throw unknownField(field, FIELDS);
			}
			return changes;
		};

		const tagOperation = (action: 'add' | 'remove'): Operation => ({
			doneKey: action === 'add' ? 'status.linked' : 'status.unlinked',
			run: async (msg, client) => {
				const contactId = await reader.requireText(msg, 'contactId');
				const tagId = await reader.requireInteger(msg, 'tagSource', TAG_ID_RANGE);
				if (action === 'add') {
					await client.addTagToContact(contactId, tagId);
					msg.weeek.link = { contactId, tagId };
				} else {
					await client.removeTagFromContact(contactId, tagId);
					msg.weeek.unlink = { contactId, tagId };
				}
			},
		});

		const operations: Record<string, Operation> = {
			create: {
				doneKey: 'status.created',
				run: async (msg, client) => {
					const input = fromLead ? contactFromLead(requireLead(msg.payload, 'WEEEK Contact')) : await readFields(msg);
					const contact = await client.createContact(input);
					msg.weeek.contact = contact;
					node.debug(`created WEEEK contact ${contact.id}`);
				},
			},
			get: {
				doneKey: 'status.found',
				run: async (msg, client) => {
					msg.weeek.contact = await client.getContact(await reader.requireText(msg, 'contactId'));
				},
			},
			getMany: {
				doneKey: 'status.listed',
				run: async (msg, client) => {
					const request = await readPageRequest(reader, definition, msg);
					const { items, page } = await readPages(request, async (limit, offset) => {
						const contacts = await client.listContacts({ limit, offset, search: request.search });
						// Quirk: the contact list has no "more" flag, so only a full page may have a next one.
						return { items: contacts, hasMore: contacts.length === limit };
					});
					msg.weeek.contacts = items;
					msg.weeek.page = page;
				},
			},
			update: {
				doneKey: 'status.updated',
				run: async (msg, client) => {
					const contactId = await reader.requireText(msg, 'contactId');
					msg.weeek.contact = await updateContact(client, contactId, await readChanges(msg));
				},
			},
			delete: {
				doneKey: 'status.deleted',
				run: async (msg, client) => {
					const contactId = await reader.requireText(msg, 'contactId');
					await client.deleteContact(contactId);
					msg.weeek.deleted = { kind: 'contact', id: contactId };
				},
			},
			addTag: tagOperation('add'),
			removeTag: tagOperation('remove'),
		};

		handleOperation(RED, node, definition, operations, 'create');
	}

	RED.nodes.registerType('weeek-contact', WeeekContact);
}

/** Sends the changes, or only reads the contact when the message carried none of the fields. */
async function updateContact(client: WeeekClient, contactId: string, changes: ContactChanges): Promise<Contact> {
	const changed = Object.values(changes).some((value) => value !== undefined);
	return changed ? await client.patchContact(contactId, changes) : await client.getContact(contactId);
}
