/**
 * In-memory records of the WEEEK sandbox and their JSON shapes on the wire.
 *
 * Records keep what the sandbox needs to respond like WEEEK. Fields that WEEEK computes or
 * reshapes on read (deal `customFields`, organization `contacts`, status totals) are built by
 * the `*Json` functions below, so the stored data has one source of truth per fact.
 */

import { randomBytes, randomUUID } from 'node:crypto';

import { recordNotFound } from './validation';

export type WinStatus = 'won' | 'lost' | 'archived';
export const WIN_STATUSES: readonly WinStatus[] = ['won', 'lost', 'archived'];

export type CustomFieldType =
	| 'text'
	| 'boolean'
	| 'datetime'
	| 'select'
	| 'multiselect'
	| 'member'
	| 'contact'
	| 'link'
	| 'approval'
	| 'number';
export const CUSTOM_FIELD_TYPES: readonly CustomFieldType[] = [
	'text',
	'boolean',
	'datetime',
	'select',
	'multiselect',
	'member',
	'contact',
	'link',
	'approval',
	'number',
];

export const OPTION_COLORS = [
	'blue',
	'light_blue',
	'dark_purple',
	'purple',
	'dark_pink',
	'pink',
	'light_pink',
	'red',
	'turquoise',
	'green',
	'light_green',
	'dark_yellow',
	'yellow',
] as const;

export interface WorkspaceRecord {
	id: number;
	title: string;
	description: string | null;
	isPersonal: boolean;
	logo: string | null;
}

export interface MemberRecord {
	id: string;
	email: string;
	firstName: string;
	lastName: string | null;
	middleName: string | null;
	position: string | null;
	timeZone: string;
	logo: string | null;
}

export interface TagRecord {
	id: number;
	title: string;
	color: string;
}

export interface CurrencyRecord {
	id: number;
	name: string;
	code: string;
	symbol: string;
}

export interface FunnelRecord {
	id: string;
	creatorId: string;
	currencyId: number;
	name: string;
	logo: string | null;
	/** Total over the funnel's deals, refreshed by `recomputeTotals` after every write. */
	dealsCount: number;
	dealsAmount: number;
	isPrivate: boolean;
	isBookmarked: boolean;
	team: string[];
	createdAt: string;
	updatedAt: string;
}

/** A funnel status. Its position in `SandboxState.statuses` is its order within the funnel. */
export interface StatusRecord {
	id: string;
	/** Kept by the sandbox only: WEEEK's status object has no funnel id. */
	funnelId: string;
	creatorId: string;
	name: string;
	dealsCount: number;
	dealsAmount: number;
	createdAt: string;
	updatedAt: string;
}

export interface CustomFieldOption {
	id: string;
	name: string;
	color: string;
}

/** A deal custom field defined on one funnel. */
export interface CustomFieldRecord {
	id: string;
	funnelId: string;
	name: string | null;
	type: CustomFieldType;
	config: Record<string, unknown> | null;
	options: CustomFieldOption[];
}

/** A deal. Its position in `SandboxState.deals` is its order on the board (top first). */
export interface DealRecord {
	id: string;
	creatorId: string;
	funnelId: string;
	statusId: string;
	assignees: string[];
	organizations: string[];
	contacts: string[];
	title: string | null;
	description: string | null;
	amount: number | null;
	winStatus: WinStatus | null;
	tags: number[];
	taskIds: number[];
	/** Custom field id → value in its write shape; read back as an array by `dealJson`. */
	customFieldValues: Record<string, unknown>;
	createdAt: string;
	updatedAt: string;
}

export interface EmailRecord {
	id: string;
	email: string;
}

export interface PhoneRecord {
	id: string;
	phone: string;
}

export interface AddressRecord {
	id: string;
	address: string;
}

export interface ContactRecord {
	id: string;
	creatorId: string;
	firstName: string;
	lastName: string | null;
	middleName: string | null;
	/** Contact ↔ organization links live here only; `organizationJson` derives `contacts` from them. */
	organizations: string[];
	emails: EmailRecord[];
	phones: PhoneRecord[];
	tags: number[];
	createdAt: string;
	updatedAt: string;
}

export interface OrganizationRecord {
	id: string;
	creatorId: string;
	name: string;
	responsibleId: string | null;
	addresses: AddressRecord[];
	emails: EmailRecord[];
	phones: PhoneRecord[];
	tags: number[];
	createdAt: string;
	updatedAt: string;
}

/** A task created from a deal. Only the fields the CRM routes touch are kept. */
export interface TaskRecord {
	id: number;
	title: string;
	description: string | null;
	type: 'action' | 'meet' | 'call';
	priority: number | null;
	isCompleted: boolean;
	authorId: string;
	userId: string | null;
	createdAt: string;
	updatedAt: string;
}

/** Everything the sandbox stores. Arrays are in WEEEK's display order. */
export interface SandboxState {
	workspace: WorkspaceRecord;
	/** The member the token belongs to; creator of everything made through the API. */
	currentUserId: string;
	members: MemberRecord[];
	tags: TagRecord[];
	currencies: CurrencyRecord[];
	funnels: FunnelRecord[];
	statuses: StatusRecord[];
	customFields: CustomFieldRecord[];
	deals: DealRecord[];
	contacts: ContactRecord[];
	organizations: OrganizationRecord[];
	tasks: TaskRecord[];
	nextTagId: number;
	nextTaskId: number;
}

const SLUG_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Creates a 16-character alphanumeric id like WEEEK's funnel, status and deal ids. */
/** Returns the record with `id`, or ends the request with WEEEK's 404 "Record not found". */
export function findOrFail<T extends { id: string | number }>(records: readonly T[], id: string | number): T {
	const record = records.find((candidate) => String(candidate.id) === String(id));
	if (record === undefined) {
		throw recordNotFound();
	}
	return record;
}

export function createSlugId(): string {
	const bytes = randomBytes(16);
	let slug = '';
	for (const byte of bytes) {
		slug += SLUG_ALPHABET[byte % SLUG_ALPHABET.length];
	}
	return slug;
}

export function createUuid(): string {
	return randomUUID();
}

let lastTimestampMs = 0;

/**
 * Returns the current time as an ISO string, at least 1 ms after the previous call, so sorting
 * by `createdAt` or `updatedAt` never ties. It runs ahead of the clock only for bursts above
 * 1000 calls per second.
 */
export function timestamp(): string {
	lastTimestampMs = Math.max(Date.now(), lastTimestampMs + 1);
	return new Date(lastTimestampMs).toISOString();
}

/** Recomputes `dealsCount` and `dealsAmount` of every status and funnel from the deals. */
export function recomputeTotals(state: SandboxState): void {
	const totals = new Map<string, { count: number; amount: number }>();
	const add = (key: string, amount: number | null): void => {
		const total = totals.get(key) ?? { count: 0, amount: 0 };
		total.count += 1;
		total.amount += amount ?? 0;
		totals.set(key, total);
	};

	for (const deal of state.deals) {
		add(`status:${deal.statusId}`, deal.amount);
		add(`funnel:${deal.funnelId}`, deal.amount);
	}

	for (const status of state.statuses) {
		const total = totals.get(`status:${status.id}`);
		status.dealsCount = total?.count ?? 0;
		status.dealsAmount = total?.amount ?? 0;
	}
	for (const funnel of state.funnels) {
		const total = totals.get(`funnel:${funnel.id}`);
		funnel.dealsCount = total?.count ?? 0;
		funnel.dealsAmount = total?.amount ?? 0;
	}
}

export function memberJson(member: MemberRecord): Record<string, unknown> {
	return { ...member };
}

export function tagJson(tag: TagRecord): Record<string, unknown> {
	return { ...tag };
}

export function customFieldJson(field: CustomFieldRecord): Record<string, unknown> {
	return {
		id: field.id,
		name: field.name,
		type: field.type,
		config: field.config,
		options: field.options.map((option) => ({ ...option })),
	};
}

export function funnelJson(state: SandboxState, funnel: FunnelRecord): Record<string, unknown> {
	return {
		id: funnel.id,
		creatorId: funnel.creatorId,
		currencyId: funnel.currencyId,
		name: funnel.name,
		logo: funnel.logo,
		dealsCount: funnel.dealsCount,
		dealsAmount: funnel.dealsAmount,
		isPrivate: funnel.isPrivate,
		isBookmarked: funnel.isBookmarked,
		team: [...funnel.team],
		customFields: state.customFields.filter((field) => field.funnelId === funnel.id).map(customFieldJson),
		createdAt: funnel.createdAt,
		updatedAt: funnel.updatedAt,
	};
}

export function statusJson(status: StatusRecord): Record<string, unknown> {
	return {
		id: status.id,
		creatorId: status.creatorId,
		name: status.name,
		dealsCount: status.dealsCount,
		dealsAmount: status.dealsAmount,
		createdAt: status.createdAt,
		updatedAt: status.updatedAt,
	};
}

export function taskJson(task: TaskRecord): Record<string, unknown> {
	return { ...task };
}

/** Builds WEEEK's deal object: every custom field of the deal's funnel, with `value: null` when unset. */
export function dealJson(state: SandboxState, deal: DealRecord): Record<string, unknown> {
	const customFields = state.customFields
		.filter((field) => field.funnelId === deal.funnelId)
		.map((field) => ({ ...customFieldJson(field), value: deal.customFieldValues[field.id] ?? null }));
	const tasks = deal.taskIds
		.map((taskId) => state.tasks.find((task) => task.id === taskId))
		.filter((task): task is TaskRecord => task !== undefined)
		.map(taskJson);

	return {
		id: deal.id,
		creatorId: deal.creatorId,
		funnelId: deal.funnelId,
		statusId: deal.statusId,
		assignees: [...deal.assignees],
		organizations: [...deal.organizations],
		contacts: [...deal.contacts],
		title: deal.title,
		description: deal.description,
		amount: deal.amount,
		winStatus: deal.winStatus,
		tags: [...deal.tags],
		tasks,
		customFields,
		attachments: [],
		createdAt: deal.createdAt,
		updatedAt: deal.updatedAt,
	};
}

export function contactJson(contact: ContactRecord): Record<string, unknown> {
	return {
		id: contact.id,
		creatorId: contact.creatorId,
		firstName: contact.firstName,
		lastName: contact.lastName,
		middleName: contact.middleName,
		organizations: [...contact.organizations],
		emails: contact.emails.map((email) => ({ ...email })),
		phones: contact.phones.map((phone) => ({ ...phone })),
		tags: [...contact.tags],
		createdAt: contact.createdAt,
		updatedAt: contact.updatedAt,
	};
}

export function organizationJson(state: SandboxState, organization: OrganizationRecord): Record<string, unknown> {
	return {
		id: organization.id,
		creatorId: organization.creatorId,
		name: organization.name,
		responsibleId: organization.responsibleId,
		addresses: organization.addresses.map((address) => ({ ...address })),
		emails: organization.emails.map((email) => ({ ...email })),
		phones: organization.phones.map((phone) => ({ ...phone })),
		contacts: state.contacts
			.filter((contact) => contact.organizations.includes(organization.id))
			.map((contact) => contact.id),
		tags: [...organization.tags],
		createdAt: organization.createdAt,
		updatedAt: organization.updatedAt,
	};
}
