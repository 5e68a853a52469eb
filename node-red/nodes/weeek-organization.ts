/**
 * `weeek-organization`: WEEEK organizations (companies), one operation per node: create, get, get
 * many, update, delete, and link or unlink the organization to a deal or a contact. The
 * organization id defaults to `msg.weeek.organization.id`, which create and get set.
 *
 * Results go to `msg.weeek`: `organization` (create, get, update), `organizations` and `page` (get
 * many), `deleted`, `link`/`unlink`. `msg.payload` is never changed.
 */
import { normalizeEmails } from '../../shared/leads/email';
import { normalizePhones } from '../../shared/leads/phone';
import type { OrganizationChanges, OrganizationInput, WeeekClient } from '../../shared/weeek/client';
import type { WeeekOrganization } from '../../shared/weeek/schemas';
import { evaluateFieldRows, fieldRows, noFieldsToUpdate, unknownField } from './lib/fieldRows';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './lib/nodeRed';
import { handleOperation, type Operation } from './lib/operations';
import { PAGING_DEFAULTS, readPageRequest, readPages } from './lib/paging';
import { optionalText, textList } from './lib/properties';
import { LIST_TYPE, PropertyReader } from './lib/propertyReader';

const UPDATE_FIELDS = ['name', 'addresses', 'emails', 'phones', 'responsible'];

/** Create reads a record shaped like WEEEK's own from `msg.payload` unless the dialog sets other sources. */
const DEFAULTS = {
	organizationId: { value: 'weeek.organization.id', type: 'msg' },
	dealId: { value: 'weeek.deal.id', type: 'msg' },
	contactId: { value: 'weeek.contact.id', type: 'msg' },
	organizationName: { value: 'payload.name', type: 'msg' },
	addresses: { value: 'payload.addresses', type: 'msg' },
	emails: { value: 'payload.emails', type: 'msg' },
	phones: { value: 'payload.phones', type: 'msg' },
	memberSource: { value: '', type: LIST_TYPE },
	...PAGING_DEFAULTS,
};

export default function register(RED: NodeAPI): void {
	function WeeekOrganization(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;
		const reader = new PropertyReader(RED, node, definition, DEFAULTS);
		const normalize = definition.normalizePhones !== false;

		const readPhones = (value: unknown): string[] => (normalize ? normalizePhones(value).phones : textList(value));
		const nonEmpty = (values: string[]): string[] | undefined => (values.length > 0 ? values : undefined);

		const readInput = async (msg: NodeMessage): Promise<OrganizationInput> => {
			const responsible = await reader.text(msg, 'memberSource');
			return {
				name: await reader.requireText(msg, 'organizationName'),
				addresses: nonEmpty(addressList(await reader.value(msg, 'addresses'))),
				emails: nonEmpty(normalizeEmails(await reader.value(msg, 'emails'))),
				phones: nonEmpty(readPhones(await reader.value(msg, 'phones'))),
				responsibles: responsible === undefined ? undefined : [responsible],
			};
		};

		const readChanges = async (msg: NodeMessage): Promise<OrganizationChanges> => {
			const rows = fieldRows(definition);
			if (rows.length === 0) throw noFieldsToUpdate();

			const changes: OrganizationChanges = {};
			for (const { field, value } of await evaluateFieldRows(RED, node, msg, rows)) {
				if (field === 'name') changes.name = optionalText(value);
				else if (field === 'addresses') changes.addresses = addressList(value);
				else if (field === 'emails') changes.emails = normalizeEmails(value);
				else if (field === 'phones') changes.phones = readPhones(value);
				else if (field === 'responsible') changes.responsibles = textList(value).slice(0, 1);
				else throw unknownField(field, UPDATE_FIELDS);
			}
			return changes;
		};

		const linkOperation = (other: 'deal' | 'contact', action: 'add' | 'remove'): Operation => ({
			doneKey: action === 'add' ? 'status.linked' : 'status.unlinked',
			run: async (msg, client) => {
				const organizationId = await reader.requireText(msg, 'organizationId');
				let pair: Record<string, string>;
				if (other === 'deal') {
					const dealId = await reader.requireText(msg, 'dealId');
					await (action === 'add' ? client.addOrganizationToDeal(dealId, organizationId) : client.removeOrganizationFromDeal(dealId, organizationId));
					pair = { organizationId, dealId };
				} else {
					const contactId = await reader.requireText(msg, 'contactId');
					await (action === 'add'
						? client.addContactToOrganization(organizationId, contactId)
						: client.removeContactFromOrganization(organizationId, contactId));
					pair = { organizationId, contactId };
				}
				if (action === 'add') msg.weeek.link = pair;
				else msg.weeek.unlink = pair;
			},
		});

		const operations: Record<string, Operation> = {
			create: {
				doneKey: 'status.created',
				run: async (msg, client) => {
					const organization = await client.createOrganization(await readInput(msg));
					msg.weeek.organization = organization;
					node.debug(`created WEEEK organization ${organization.id}`);
				},
			},
			get: {
				doneKey: 'status.found',
				run: async (msg, client) => {
					msg.weeek.organization = await client.getOrganization(await reader.requireText(msg, 'organizationId'));
				},
			},
			getMany: {
				doneKey: 'status.listed',
				run: async (msg, client) => {
					const request = await readPageRequest(reader, definition, msg);
					const { items, page } = await readPages(request, async (limit, offset) => {
						const organizations = await client.listOrganizations({ limit, offset, search: request.search });
						// Quirk: like contacts, the organization list has no "more" flag.
						return { items: organizations, hasMore: organizations.length === limit };
					});
					msg.weeek.organizations = items;
					msg.weeek.page = page;
				},
			},
			update: {
				doneKey: 'status.updated',
				run: async (msg, client) => {
					const organizationId = await reader.requireText(msg, 'organizationId');
					msg.weeek.organization = await updateOrganization(client, organizationId, await readChanges(msg));
				},
			},
			delete: {
				doneKey: 'status.deleted',
				run: async (msg, client) => {
					const organizationId = await reader.requireText(msg, 'organizationId');
					await client.deleteOrganization(organizationId);
					msg.weeek.deleted = { kind: 'organization', id: organizationId };
				},
			},
			addToDeal: linkOperation('deal', 'add'),
			removeFromDeal: linkOperation('deal', 'remove'),
			addContact: linkOperation('contact', 'add'),
			removeContact: linkOperation('contact', 'remove'),
		};

		handleOperation(RED, node, definition, operations, 'create');
	}

	RED.nodes.registerType('weeek-organization', WeeekOrganization);
}

/** Addresses contain commas, so a text splits into addresses by lines only, and list items stay whole. */
function addressList(value: unknown): string[] {
	const values = Array.isArray(value) ? value : [value];
	return values.flatMap((item) => (optionalText(item) ?? '').split('\n')).map((line) => line.trim()).filter((line) => line !== '');
}

/** Sends the changes, or only reads the organization when the message carried none of the fields. */
async function updateOrganization(client: WeeekClient, organizationId: string, changes: OrganizationChanges): Promise<WeeekOrganization> {
	const changed = Object.values(changes).some((value) => value !== undefined);
	return changed ? await client.patchOrganization(organizationId, changes) : await client.getOrganization(organizationId);
}
