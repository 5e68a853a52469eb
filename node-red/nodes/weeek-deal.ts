/**
 * `weeek-deal`: WEEEK deals, one operation per node. "Create" (the default, and the only operation
 * of flows saved before the operation select) creates a deal in the funnel status picked in the
 * dialog. Title, amount and description default to values built from the lead in `msg.payload`,
 * and the contact in `msg.weeek.contact` is linked at creation time. The other operations read the deal
 * id from a TypedInput, by default `msg.weeek.deal.id`.
 *
 * Results go to `msg.weeek`: `deal` (create, get, update, move), `deals` and `page` (get many),
 * `deleted`, `link`/`unlink` (contacts, organizations, assignees, tags). `msg.payload` is never changed.
 */
import { ConfigurationError } from '../../shared/errors';
import type { DealChanges, WeeekClient, WinStatus } from '../../shared/weeek/client';
import { CUSTOM_FIELD_PREFIX, evaluateFieldRows, fieldRows, noFieldsToUpdate, unknownField } from './lib/fieldRows';
import { amountFromLead, dealDescriptionFromLead, dealTitleFromLead, parseAmount, requireLead } from './lib/leadMapping';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './lib/nodeRed';
import { handleOperation, type Operation } from './lib/operations';
import { PAGING_DEFAULTS, readPageRequest, readPages } from './lib/paging';
import { evaluateProperty, optionalText, textList } from './lib/properties';
import { LIST_TYPE, PropertyReader } from './lib/propertyReader';

/** TypedInput types of this node that take their value from the lead instead of from a field. */
const LEAD_TITLE = 'leadTitle';
const LEAD_AMOUNT = 'leadAmount';
const LEAD_SUMMARY = 'leadSummary';

/** TypedInput type of the win status select; its values are `WIN_STATUSES` plus `open` and `any`. */
const WIN_STATUS_TYPE = 'winStatus';
const WIN_STATUSES: readonly WinStatus[] = ['won', 'lost', 'archived'];

/** WEEEK limits deal titles to 255 characters. */
const MAX_TITLE_LENGTH = 255;

const TAG_ID_RANGE = { min: 1, max: Number.MAX_SAFE_INTEGER };

/** Fields of the "Fields" rows: all of them for an update, the last two for a create. */
const UPDATE_FIELDS = ['title', 'amount', 'description', 'winStatus', `${CUSTOM_FIELD_PREFIX}<id>`];
const CREATE_FIELDS = ['winStatus', `${CUSTOM_FIELD_PREFIX}<id>`];

const DEFAULTS = {
	dealId: { value: 'weeek.deal.id', type: 'msg' },
	contactId: { value: 'weeek.contact.id', type: 'msg' },
	organizationId: { value: 'weeek.organization.id', type: 'msg' },
	statusSource: { value: '', type: LIST_TYPE },
	funnelSource: { value: '', type: LIST_TYPE },
	memberSource: { value: '', type: LIST_TYPE },
	tagSource: { value: '', type: LIST_TYPE },
	winStatuses: { value: 'any', type: WIN_STATUS_TYPE },
	...PAGING_DEFAULTS,
};

type Relation = 'contact' | 'organization' | 'assignee' | 'tag';

export default function register(RED: NodeAPI): void {
	function WeeekDeal(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;
		const reader = new PropertyReader(RED, node, definition, DEFAULTS);

		const linkContact = definition.linkContact !== false;
		const property = (name: 'title' | 'amount' | 'description', fallbackType: string) => ({
			label: name,
			value: definition[name] ?? '',
			type: typeof definition[`${name}Type`] === 'string' && definition[`${name}Type`] !== '' ? (definition[`${name}Type`] as string) : fallbackType,
		});
		const title = property('title', LEAD_TITLE);
		const amount = property('amount', LEAD_AMOUNT);
		const description = property('description', LEAD_SUMMARY);

		const readTitle = async (msg: NodeMessage): Promise<string> => {
			const value =
				title.type === LEAD_TITLE ? dealTitleFromLead(requireLead(msg.payload, 'WEEEK Deal')) : optionalText(await evaluateProperty(RED, node, msg, title));
			if (value === undefined) {
				throw new ConfigurationError('missingTitle', 'The deal title is empty: WEEEK needs a title, so map a field or leave the title built from the lead');
			}
			return truncateTitle(value);
		};

		const readAmount = async (msg: NodeMessage): Promise<number | undefined> => {
			if (amount.type === LEAD_AMOUNT) return amountFromLead(requireLead(msg.payload, 'WEEEK Deal'));
			if (amount.type === 'num' && optionalText(amount.value) === undefined) return undefined;
			return parseAmount(await evaluateProperty(RED, node, msg, amount));
		};

		const readDescription = async (msg: NodeMessage): Promise<string | undefined> => {
			if (description.type === LEAD_SUMMARY) return dealDescriptionFromLead(RED, requireLead(msg.payload, 'WEEEK Deal'));
			const value = await evaluateProperty(RED, node, msg, description);
			if (value === undefined || value === null) return undefined;
			const text = typeof value === 'string' ? value : JSON.stringify(value);
			return text.trim() === '' ? undefined : text;
		};

		/** Reads the status to create in, list or move to; an empty picked status keeps its own error. */
		const readStatusId = async (msg: NodeMessage): Promise<string> => {
			if (reader.property('statusSource').type === LIST_TYPE && optionalText(definition.statusId) === undefined) {
				throw new ConfigurationError('missingStatus', 'The node has no funnel status: open it, pick a funnel and one of its statuses, and deploy');
			}
			return await reader.requireText(msg, 'statusSource');
		};

		const readChanges = async (msg: NodeMessage, allowed: readonly string[]): Promise<DealChanges> => {
			const changes: DealChanges = {};
			for (const { field, value } of await evaluateFieldRows(RED, node, msg, fieldRows(definition))) {
				if (field.startsWith(CUSTOM_FIELD_PREFIX)) {
					changes.customFields = { ...changes.customFields, [field.slice(CUSTOM_FIELD_PREFIX.length)]: value };
					continue;
				}
				if (!allowed.includes(field)) throw unknownField(field, allowed);

				if (field === 'title') changes.title = truncateTitle(optionalText(value) ?? '');
				else if (field === 'amount') changes.amount = value === null ? null : parseAmount(value);
				else if (field === 'description') changes.description = value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
				else if (field === 'winStatus') changes.winStatus = parseWinStatus(value);
			}
			return changes;
		};

		const relationOperation = (relation: Relation, action: 'add' | 'remove'): Operation => ({
			doneKey: action === 'add' ? 'status.linked' : 'status.unlinked',
			run: async (msg, client) => {
				const dealId = await reader.requireText(msg, 'dealId');
				const pair = await changeRelation(client, reader, msg, dealId, relation, action);
				if (action === 'add') msg.weeek.link = pair;
				else msg.weeek.unlink = pair;
			},
		});

		const operations: Record<string, Operation> = {
			create: {
				doneKey: 'status.created',
				run: async (msg, client) => {
					const statusId = await readStatusId(msg);
					const extra = await readChanges(msg, CREATE_FIELDS);
					const contactId = msg.weeek.contact?.id;
					const deal = await client.createDeal(statusId, {
						title: await readTitle(msg),
						amount: await readAmount(msg),
						description: await readDescription(msg),
						winStatus: extra.winStatus,
						contacts: linkContact && typeof contactId === 'string' && contactId !== '' ? [contactId] : undefined,
						customFields: extra.customFields,
					});
					msg.weeek.deal = deal;
					node.debug(`created WEEEK deal ${deal.id} in status ${statusId}`);
				},
			},
			get: {
				doneKey: 'status.found',
				run: async (msg, client) => {
					msg.weeek.deal = await client.getDeal(await reader.requireText(msg, 'dealId'));
				},
			},
			getMany: {
				doneKey: 'status.listed',
				run: async (msg, client) => {
					const statusId = await readStatusId(msg);
					const winStatuses = parseWinStatusFilter(await reader.value(msg, 'winStatuses'));
					const request = await readPageRequest(reader, definition, msg);
					const { items, page } = await readPages(request, async (limit, offset) => {
						const { deals, hasMore } = await client.listDeals(statusId, { limit, offset, search: request.search, winStatuses });
						return { items: deals, hasMore };
					});
					msg.weeek.deals = items;
					msg.weeek.page = page;
				},
			},
			update: {
				doneKey: 'status.updated',
				run: async (msg, client) => {
					const dealId = await reader.requireText(msg, 'dealId');
					if (fieldRows(definition).length === 0) throw noFieldsToUpdate();
					msg.weeek.deal = await client.updateDeal(dealId, await readChanges(msg, UPDATE_FIELDS));
				},
			},
			move: {
				doneKey: 'status.moved',
				run: async (msg, client) => {
					const dealId = await reader.requireText(msg, 'dealId');
					if (definition.moveTo === 'funnel') await client.moveDealToFunnel(dealId, await reader.requireText(msg, 'funnelSource'));
					else await client.moveDealToStatus(dealId, await readStatusId(msg));
					// The move routes return no deal, and WEEEK picks the status of a funnel move.
					msg.weeek.deal = await client.getDeal(dealId);
				},
			},
			delete: {
				doneKey: 'status.deleted',
				run: async (msg, client) => {
					const dealId = await reader.requireText(msg, 'dealId');
					await client.deleteDeal(dealId);
					msg.weeek.deleted = { kind: 'deal', id: dealId };
				},
			},
			addContact: relationOperation('contact', 'add'),
			removeContact: relationOperation('contact', 'remove'),
			addOrganization: relationOperation('organization', 'add'),
			removeOrganization: relationOperation('organization', 'remove'),
			addAssignee: relationOperation('assignee', 'add'),
			removeAssignee: relationOperation('assignee', 'remove'),
			addTag: relationOperation('tag', 'add'),
			removeTag: relationOperation('tag', 'remove'),
		};

		handleOperation(RED, node, definition, operations, 'create');
	}

	RED.nodes.registerType('weeek-deal', WeeekDeal);
}

function truncateTitle(value: string): string {
	if (value.trim() === '') {
		throw new ConfigurationError('missingTitle', 'The deal title is empty: WEEEK needs a title, so map a field or leave the title built from the lead');
	}
	return value.length > MAX_TITLE_LENGTH ? value.slice(0, MAX_TITLE_LENGTH) : value;
}

/** Reads the other record of a deal relation and calls the matching attach or detach route. */
async function changeRelation(
	client: WeeekClient,
	reader: PropertyReader,
	msg: NodeMessage,
	dealId: string,
	relation: Relation,
	action: 'add' | 'remove',
): Promise<Record<string, string | number>> {
	const add = action === 'add';
	switch (relation) {
		case 'contact': {
			const contactId = await reader.requireText(msg, 'contactId');
			await (add ? client.addContactToDeal(dealId, contactId) : client.removeContactFromDeal(dealId, contactId));
			return { dealId, contactId };
		}
		case 'organization': {
			const organizationId = await reader.requireText(msg, 'organizationId');
			await (add ? client.addOrganizationToDeal(dealId, organizationId) : client.removeOrganizationFromDeal(dealId, organizationId));
			return { dealId, organizationId };
		}
		case 'assignee': {
			const assigneeId = await reader.requireText(msg, 'memberSource');
			await (add ? client.addAssigneeToDeal(dealId, assigneeId) : client.removeAssigneeFromDeal(dealId, assigneeId));
			return { dealId, assigneeId };
		}
		case 'tag': {
			const tagId = await reader.requireInteger(msg, 'tagSource', TAG_ID_RANGE);
			await (add ? client.addTagToDeal(dealId, tagId) : client.removeTagFromDeal(dealId, tagId));
			return { dealId, tagId };
		}
	}
}

/** Parses a win status to set: won, lost, archived, or `open` / null to clear it. */
function parseWinStatus(value: unknown): WinStatus | null {
	if (value === null) return null;
	const text = String(value).trim().toLowerCase();
	if (text === 'open') return null;
	if ((WIN_STATUSES as readonly string[]).includes(text)) return text as WinStatus;
	throw invalidWinStatus(value, 'won, lost, archived, open');
}

/** Parses the win statuses to list deals by; `any` or nothing means no filter. A list or "won, lost" picks several. */
function parseWinStatusFilter(value: unknown): WinStatus[] | undefined {
	const values = textList(value).map((text) => text.toLowerCase());
	if (values.length === 0 || values.includes('any')) return undefined;
	for (const text of values) {
		if (!(WIN_STATUSES as readonly string[]).includes(text)) throw invalidWinStatus(value, 'won, lost, archived, any');
	}
	return values as WinStatus[];
}

function invalidWinStatus(value: unknown, allowed: string): ConfigurationError {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return new ConfigurationError('invalidWinStatus', `The win status '${text}' is not one of ${allowed}: correct it in the node or in the message`, {
		value: text,
		allowed,
	});
}
