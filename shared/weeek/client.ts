/**
 * The WEEEK public API client used by both hosts: one method per CRM endpoint the nodes use.
 *
 * Sending, retries, rate limiting and validation are in `transport.ts`. The methods here encode
 * WEEEK's quirks so callers never see them: deals take `title`, tags are `tag` on deals but `tagId`
 * on contacts and organizations, detaching is a DELETE with a body, and a deal update is split
 * between PUT and PATCH.
 */
import type { ZodType, ZodTypeDef } from 'zod';

import { ConfigurationError } from '../errors';
import type { RequestSubject } from './errorMapping';
import * as schemas from './schemas';
import { WeeekTransport, compact, encodeId, type QueryValue } from './transport';

export {
	DEFAULT_BASE_URL,
	DEFAULT_RETRY_POLICY,
	DEFAULT_TIMEOUT_MS,
	NO_RETRY,
	type RetryPolicy,
	type WeeekClientOptions,
} from './transport';

export interface ContactInput {
	firstName: string;
	lastName?: string;
	middleName?: string;
	emails?: string[];
	phones?: string[];
	tags?: number[];
	organizations?: string[];
}

/** Contact fields to change; absent fields keep their value. `firstName` cannot be cleared. */
export type ContactChanges = Partial<ContactInput>;

export interface OrganizationInput {
	name: string;
	addresses?: string[];
	emails?: string[];
	phones?: string[];
	/** Member ids; WEEEK keeps only one and returns it as `responsibleId`. */
	responsibles?: string[];
}

export type OrganizationChanges = Partial<OrganizationInput>;

export type WinStatus = 'won' | 'lost' | 'archived';

export interface DealInput {
	title: string;
	amount?: number | null;
	description?: string;
	winStatus?: WinStatus | null;
	contacts?: string[];
	organizations?: string[];
	assignees?: string[];
	tags?: number[];
	/** Field id → value, the write shape WEEEK requires. */
	customFields?: Record<string, unknown>;
}

/** Deal fields to change; absent fields keep their value, `null` clears amount, description or win status. */
export interface DealChanges {
	title?: string;
	amount?: number | null;
	description?: string | null;
	winStatus?: WinStatus | null;
	contacts?: string[];
	organizations?: string[];
	assignees?: string[];
	tags?: number[];
	customFields?: Record<string, unknown>;
}

/** The only fields `PUT /crm/deals/{id}` applies; WEEEK ignores the others there without an error. */
const DEAL_PUT_FIELDS: ReadonlyArray<keyof DealChanges> = ['title', 'amount', 'winStatus', 'customFields'];

export interface ListPage {
	limit?: number;
	offset?: number;
	search?: string;
	/** Sort key such as `-createdAt` (newest first); deals and contacts accept it, organizations too. */
	sort?: string;
}

export interface DealFilter extends ListPage {
	winStatuses?: WinStatus[];
	assigneeIds?: string[];
	tags?: number[];
	contacts?: string[];
	organizations?: string[];
}

export interface FunnelInput {
	name: string;
	/** Currency id from `listCurrencies`; WEEEK uses 1 when absent. */
	currencyId?: number;
	isPrivate?: boolean;
}

/** WEEEK's maximum page size is undocumented; community code uses 100 without trouble. */
export const MAX_PAGE_SIZE = 100;

export class WeeekClient extends WeeekTransport {
	async getCurrentUser(): Promise<schemas.WeeekUser> {
		const body = await this.read('/user/me', { action: 'read the current user' }, schemas.userEnvelope);
		return body.user;
	}

	async listMembers(): Promise<schemas.WeeekMember[]> {
		const body = await this.read('/ws/members', { action: 'list workspace members' }, schemas.membersEnvelope);
		return body.members;
	}

	async listTags(): Promise<schemas.WeeekTag[]> {
		const body = await this.read('/ws/tags', { action: 'list tags' }, schemas.tagsEnvelope);
		return body.tags;
	}

	async listCurrencies(): Promise<schemas.WeeekCurrency[]> {
		const body = await this.read('/crm/currencies', { action: 'list currencies' }, schemas.currenciesEnvelope);
		return body.currencies;
	}

	// Funnels and statuses

	async listFunnels(): Promise<schemas.WeeekFunnel[]> {
		const body = await this.read('/crm/funnels', { action: 'list funnels' }, schemas.funnelsEnvelope);
		return body.funnels;
	}

	async getFunnel(funnelId: string): Promise<schemas.WeeekFunnel> {
		const body = await this.read(`/crm/funnels/${encodeId(funnelId)}`, subject('read a funnel', 'funnel', funnelId), schemas.funnelEnvelope);
		return body.funnel;
	}

	async createFunnel(input: FunnelInput): Promise<schemas.WeeekFunnel> {
		const body = await this.call('POST', '/crm/funnels', { action: 'create a funnel' }, schemas.funnelEnvelope, {
			body: compact({ ...input }),
			idempotent: false,
		});
		return body.funnel;
	}

	async listStatuses(funnelId: string): Promise<schemas.WeeekStatus[]> {
		const body = await this.read(
			`/crm/funnels/${encodeId(funnelId)}/statuses`,
			subject('list the statuses of a funnel', 'funnel', funnelId),
			schemas.statusesEnvelope,
		);
		return body.statuses;
	}

	async getStatus(statusId: string): Promise<schemas.WeeekStatus> {
		const body = await this.read(`/crm/statuses/${encodeId(statusId)}`, subject('read a status', 'status', statusId), schemas.statusEnvelope);
		return body.status;
	}

	// Contacts

	async createContact(input: ContactInput): Promise<schemas.WeeekContact> {
		const body = await this.call('POST', '/crm/contacts', { action: 'create a contact' }, schemas.contactEnvelope, {
			body: compact({ ...input }),
			idempotent: false,
		});
		return body.contact;
	}

	async getContact(contactId: string): Promise<schemas.WeeekContact> {
		const body = await this.read(`/crm/contacts/${encodeId(contactId)}`, subject('read a contact', 'contact', contactId), schemas.contactEnvelope);
		return body.contact;
	}

	/** Replaces a contact's fields; WEEEK requires `firstName` on every update. */
	async updateContact(contactId: string, input: ContactInput): Promise<schemas.WeeekContact> {
		const body = await this.call('PUT', `/crm/contacts/${encodeId(contactId)}`, subject('update a contact', 'contact', contactId), schemas.contactEnvelope, {
			body: compact({ ...input }),
			idempotent: true,
		});
		return body.contact;
	}

	/**
	 * Changes some fields of a contact. Quirk: WEEEK has only a PUT that needs `firstName`, so the
	 * contact is read first and the fields not being changed are sent back as they are.
	 */
	async patchContact(contactId: string, changes: ContactChanges): Promise<schemas.WeeekContact> {
		if (changes.firstName !== undefined && changes.firstName.trim() === '') {
			throw new ConfigurationError('emptyFirstName', 'The first name is empty: WEEEK requires a first name on every contact');
		}
		const current = await this.getContact(contactId);
		return await this.updateContact(contactId, {
			firstName: changes.firstName ?? current.firstName ?? '',
			lastName: changes.lastName ?? current.lastName ?? undefined,
			middleName: changes.middleName ?? current.middleName ?? undefined,
			emails: changes.emails ?? current.emails?.map((entry) => entry.email),
			phones: changes.phones ?? current.phones?.map((entry) => entry.phone),
			organizations: changes.organizations ?? current.organizations ?? undefined,
			tags: changes.tags ?? current.tags ?? undefined,
		});
	}

	async deleteContact(contactId: string): Promise<void> {
		await this.remove(`/crm/contacts/${encodeId(contactId)}`, subject('delete a contact', 'contact', contactId));
	}

	/** One page of contacts. Quirk: the contact list has no "more" flag; a short page is the last. */
	async listContacts(page: ListPage = {}): Promise<schemas.WeeekContact[]> {
		const body = await this.read('/crm/contacts', { action: 'list contacts' }, schemas.contactsEnvelope, pageQuery(page));
		return body.contacts;
	}

	async addTagToContact(contactId: string, tagId: number): Promise<void> {
		await this.relate('POST', `/crm/contacts/${encodeId(contactId)}/tags`, subject('tag a contact', 'contact', contactId), { tagId });
	}

	async removeTagFromContact(contactId: string, tagId: number): Promise<void> {
		await this.relate('DELETE', `/crm/contacts/${encodeId(contactId)}/tags`, subject('untag a contact', 'contact', contactId), { tagId });
	}

	// Organizations

	async createOrganization(input: OrganizationInput): Promise<schemas.WeeekOrganization> {
		const body = await this.call('POST', '/crm/organizations', { action: 'create an organization' }, schemas.organizationEnvelope, {
			body: compact({ ...input }),
			idempotent: false,
		});
		return body.organization;
	}

	async getOrganization(organizationId: string): Promise<schemas.WeeekOrganization> {
		const body = await this.read(
			`/crm/organizations/${encodeId(organizationId)}`,
			subject('read an organization', 'organization', organizationId),
			schemas.organizationEnvelope,
		);
		return body.organization;
	}

	/**
	 * Changes some fields of an organization. Quirk: WEEEK updates organizations with a PUT of the
	 * whole record, so the organization is read first and unchanged fields are sent back.
	 */
	async patchOrganization(organizationId: string, changes: OrganizationChanges): Promise<schemas.WeeekOrganization> {
		if (changes.name !== undefined && changes.name.trim() === '') {
			throw new ConfigurationError('emptyOrganizationName', 'The organization name is empty: WEEEK requires a name on every organization');
		}
		const current = await this.getOrganization(organizationId);
		const currentResponsible = typeof current.responsibleId === 'string' ? [current.responsibleId] : undefined;
		const body = await this.call(
			'PUT',
			`/crm/organizations/${encodeId(organizationId)}`,
			subject('update an organization', 'organization', organizationId),
			schemas.organizationEnvelope,
			{
				body: compact({
					name: changes.name ?? current.name ?? '',
					addresses: changes.addresses ?? current.addresses?.map((entry) => entry.address),
					emails: changes.emails ?? current.emails?.map((entry) => entry.email),
					phones: changes.phones ?? current.phones?.map((entry) => entry.phone),
					responsibles: changes.responsibles ?? currentResponsible,
				}),
				idempotent: true,
			},
		);
		return body.organization;
	}

	async deleteOrganization(organizationId: string): Promise<void> {
		await this.remove(`/crm/organizations/${encodeId(organizationId)}`, subject('delete an organization', 'organization', organizationId));
	}

	/** Returns one page of organizations. Quirk: like contacts, the list has no "more" flag. */
	async listOrganizations(page: ListPage = {}): Promise<schemas.WeeekOrganization[]> {
		const body = await this.read('/crm/organizations', { action: 'list organizations' }, schemas.organizationsEnvelope, pageQuery(page));
		return body.organizations;
	}

	async addContactToOrganization(organizationId: string, contactId: string): Promise<void> {
		const path = `/crm/organizations/${encodeId(organizationId)}/contacts`;
		await this.relate('POST', path, subject('link a contact to an organization', 'organization', organizationId), { contactId });
	}

	async removeContactFromOrganization(organizationId: string, contactId: string): Promise<void> {
		const path = `/crm/organizations/${encodeId(organizationId)}/contacts`;
		await this.relate('DELETE', path, subject('unlink a contact from an organization', 'organization', organizationId), { contactId });
	}

	// Deals

	/** Creates a deal in a funnel status. Quirk: deals take `title`, not `name`, and the status comes from the path. */
	async createDeal(statusId: string, input: DealInput): Promise<schemas.WeeekDeal> {
		const body = await this.call('POST', `/crm/statuses/${encodeId(statusId)}/deals`, subject('create a deal', 'status', statusId), schemas.dealEnvelope, {
			body: compact({ ...input }),
			idempotent: false,
		});
		return body.deal;
	}

	async getDeal(dealId: string): Promise<schemas.WeeekDeal> {
		const body = await this.read(`/crm/deals/${encodeId(dealId)}`, subject('read a deal', 'deal', dealId), schemas.dealEnvelope);
		return body.deal;
	}

	/** One page of the deals in a status; `hasMore` mirrors WEEEK's `hasMoreDeals`. */
	async listDeals(statusId: string, filter: DealFilter = {}): Promise<{ deals: schemas.WeeekDeal[]; hasMore: boolean }> {
		const body = await this.read(`/crm/statuses/${encodeId(statusId)}/deals`, subject('list the deals of a status', 'status', statusId), schemas.dealsEnvelope, {
			...pageQuery(filter),
			winStatuses: filter.winStatuses,
			assigneeIds: filter.assigneeIds,
			tags: filter.tags,
			contacts: filter.contacts,
			organizations: filter.organizations,
		});
		return { deals: body.deals, hasMore: body.hasMoreDeals === true };
	}

	/**
	 * Changes some fields of a deal and returns the deal as WEEEK stores it afterwards.
	 * Quirk: PUT applies only title, amount, win status and custom fields but returns the deal;
	 * PATCH applies every field but returns nothing. Changes PUT can carry go by PUT; anything else
	 * goes by PATCH followed by a read.
	 */
	async updateDeal(dealId: string, changes: DealChanges): Promise<schemas.WeeekDeal> {
		const body = compact({ ...changes });
		const keys = Object.keys(body) as Array<keyof DealChanges>;
		if (keys.length === 0) return await this.getDeal(dealId);

		if (keys.every((key) => DEAL_PUT_FIELDS.includes(key))) {
			const updated = await this.call('PUT', `/crm/deals/${encodeId(dealId)}`, subject('update a deal', 'deal', dealId), schemas.dealEnvelope, {
				body,
				idempotent: true,
			});
			return updated.deal;
		}

		await this.call('PATCH', `/crm/deals/${encodeId(dealId)}`, subject('update a deal', 'deal', dealId), schemas.emptyEnvelope, {
			body,
			idempotent: true,
		});
		return await this.getDeal(dealId);
	}

	/** Moves a deal to another status. Quirk: `statusId` in a deal PUT is ignored; only this route moves it. */
	async moveDealToStatus(dealId: string, statusId: string): Promise<void> {
		await this.relate('PUT', `/crm/deals/${encodeId(dealId)}/status`, subject('move a deal to another status', 'deal', dealId), { statusId });
	}

	/** Moves a deal to another funnel; WEEEK chooses the status it lands in. */
	async moveDealToFunnel(dealId: string, funnelId: string): Promise<void> {
		await this.relate('PUT', `/crm/deals/${encodeId(dealId)}/funnel`, subject('move a deal to another funnel', 'deal', dealId), { funnelId });
	}

	async deleteDeal(dealId: string): Promise<void> {
		await this.remove(`/crm/deals/${encodeId(dealId)}`, subject('delete a deal', 'deal', dealId));
	}

	/** Links a contact to a deal. Linking twice leaves one link, so the call is retried like a read. */
	async addContactToDeal(dealId: string, contactId: string): Promise<void> {
		await this.relate('POST', `/crm/deals/${encodeId(dealId)}/contacts`, subject('link a contact to a deal', 'deal', dealId), { contactId });
	}

	async removeContactFromDeal(dealId: string, contactId: string): Promise<void> {
		await this.relate('DELETE', `/crm/deals/${encodeId(dealId)}/contacts`, subject('unlink a contact from a deal', 'deal', dealId), { contactId });
	}

	async addOrganizationToDeal(dealId: string, organizationId: string): Promise<void> {
		const path = `/crm/deals/${encodeId(dealId)}/organizations`;
		await this.relate('POST', path, subject('link an organization to a deal', 'deal', dealId), { organizationId });
	}

	async removeOrganizationFromDeal(dealId: string, organizationId: string): Promise<void> {
		const path = `/crm/deals/${encodeId(dealId)}/organizations`;
		await this.relate('DELETE', path, subject('unlink an organization from a deal', 'deal', dealId), { organizationId });
	}

	async addAssigneeToDeal(dealId: string, assigneeId: string): Promise<void> {
		await this.relate('POST', `/crm/deals/${encodeId(dealId)}/assignees`, subject('assign a member to a deal', 'deal', dealId), { assigneeId });
	}

	async removeAssigneeFromDeal(dealId: string, assigneeId: string): Promise<void> {
		await this.relate('DELETE', `/crm/deals/${encodeId(dealId)}/assignees`, subject('unassign a member from a deal', 'deal', dealId), { assigneeId });
	}

	/** Quirk: the deal tag routes take `tag`, while contacts and organizations take `tagId`. */
	async addTagToDeal(dealId: string, tagId: number): Promise<void> {
		await this.relate('POST', `/crm/deals/${encodeId(dealId)}/tags`, subject('tag a deal', 'deal', dealId), { tag: tagId });
	}

	async removeTagFromDeal(dealId: string, tagId: number): Promise<void> {
		await this.relate('DELETE', `/crm/deals/${encodeId(dealId)}/tags`, subject('untag a deal', 'deal', dealId), { tag: tagId });
	}

	// Shapes of calls shared by many endpoints

	private async read<T>(path: string, about: RequestSubject, schema: ZodType<T, ZodTypeDef, unknown>, query?: Record<string, QueryValue>): Promise<T> {
		return await this.call('GET', path, about, schema, { query, idempotent: true });
	}

	/** Sends an attach, detach or move: WEEEK returns only `{success: true}` for these, and they are safe to repeat. */
	private async relate(method: 'POST' | 'PUT' | 'DELETE', path: string, about: RequestSubject, body: Record<string, unknown>): Promise<void> {
		await this.call(method, path, about, schemas.emptyEnvelope, { body, idempotent: true });
	}

	private async remove(path: string, about: RequestSubject): Promise<void> {
		await this.call('DELETE', path, about, schemas.emptyEnvelope, { idempotent: true, notFoundOnRetryIsSuccess: true });
	}
}

function subject(action: string, kind: string, id: string): RequestSubject {
	return { action, kind, id };
}

function pageQuery(page: ListPage): Record<string, QueryValue> {
	return { limit: page.limit ?? 50, offset: page.offset ?? 0, search: page.search, sort: page.sort };
}
