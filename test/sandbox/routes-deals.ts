/**
 * Deal routes: create and list under a status, get, PUT, PATCH, delete, moves between statuses
 * and funnels, relations (contacts, organizations, assignees, tags) and deal tasks.
 */

import type { Route, RouteHandler } from './router';
import {
	WIN_STATUSES,
	createSlugId,
	dealJson,
	findOrFail,
	taskJson,
	timestamp,
	type CustomFieldRecord,
	type DealRecord,
	type SandboxState,
	type StatusRecord,
	type WinStatus,
} from './store';
import { QueryValidator, Validator, validationError, type JsonObject } from './validation';

/** Deal fields a request may change; `undefined` means "leave as it is". */
interface DealChanges {
	title?: string | null;
	amount?: number | null;
	winStatus?: WinStatus | null;
	description?: string | null;
	assignees?: string[];
	contacts?: string[];
	organizations?: string[];
	tags?: number[];
	/** Field id → new value; `null` clears the value. */
	customFields?: Record<string, unknown>;
}

/** PUT accepts only these; WEEEK ignores the other deal fields there without an error. */
const PUT_FIELDS = ['title', 'amount', 'winStatus', 'customFields'] as const;

const SORT_KEYS = ['title', 'amount', 'commented', 'createdAt', 'updatedAt'];
const SORT_VALUES = SORT_KEYS.flatMap((key) => [key, `-${key}`]);

function memberExists(state: SandboxState): (id: string) => boolean {
	return (id) => state.members.some((member) => member.id === id);
}

function contactExists(state: SandboxState): (id: string) => boolean {
	return (id) => state.contacts.some((contact) => contact.id === id);
}

function organizationExists(state: SandboxState): (id: string) => boolean {
	return (id) => state.organizations.some((organization) => organization.id === id);
}

function tagExists(state: SandboxState): (id: number) => boolean {
	return (id) => state.tags.some((tag) => tag.id === id);
}

/** Checks one custom field value against its field type; returns an error message or undefined. */
function customFieldValueError(state: SandboxState, field: CustomFieldRecord, key: string, value: unknown): string | undefined {
	const attribute = `custom fields.${field.id}`;
	const optionIds = field.options.map((option) => option.id);
	const isIdList = (ids: unknown, exists: (id: string) => boolean): boolean =>
		Array.isArray(ids) && ids.every((id) => typeof id === 'string' && exists(id));

	switch (field.type) {
		case 'text':
		case 'link':
			return typeof value === 'string' ? undefined : `The ${attribute} field must be a string.`;
		case 'number':
			return typeof value === 'number' && Number.isFinite(value) ? undefined : `The ${attribute} field must be a number.`;
		case 'boolean':
			return typeof value === 'boolean' ? undefined : `The ${attribute} field must be true or false.`;
		case 'datetime':
			return typeof value === 'string' && !Number.isNaN(Date.parse(value))
				? undefined
				: `The ${attribute} field must be a valid date.`;
		case 'select':
			return typeof value === 'string' && optionIds.includes(value) ? undefined : `The selected ${key} is invalid.`;
		case 'multiselect':
			return isIdList(value, (id) => optionIds.includes(id)) ? undefined : `The selected ${key} is invalid.`;
		case 'member':
		case 'approval':
			return isIdList(value, memberExists(state)) ? undefined : `The selected ${key} is invalid.`;
		case 'contact':
			return typeof value === 'string' && contactExists(state)(value) ? undefined : `The selected ${key} is invalid.`;
	}
}

/**
 * Reads the `customFields` map (field id → value) for a deal of `funnelId`. A field id that is
 * unknown or belongs to another funnel fails with 422.
 */
function readCustomFields(state: SandboxState, input: Validator, funnelId: string): Record<string, unknown> | undefined {
	const map = input.value('customFields');
	if (map === undefined || map === null) {
		return undefined;
	}
	// WEEEK accepts the array read shape sent back on write with 200 and discards it
	// (observed on task custom fields; assumed the same for deals).
	if (Array.isArray(map)) {
		return undefined;
	}
	if (typeof map !== 'object') {
		input.fail('customFields', 'The custom fields field must be an array.');
		return undefined;
	}

	const values: Record<string, unknown> = {};
	for (const [fieldId, value] of Object.entries(map as Record<string, unknown>)) {
		const key = `customFields.${fieldId}`;
		const field = state.customFields.find((candidate) => candidate.id === fieldId && candidate.funnelId === funnelId);
		if (field === undefined) {
			input.fail(key, `The selected custom fields.${fieldId} is invalid.`);
			continue;
		}
		const error = value === null ? undefined : customFieldValueError(state, field, key, value);
		if (error !== undefined) {
			input.fail(key, error);
			continue;
		}
		values[fieldId] = value;
	}
	return values;
}

/** Validates a deal body; `only` limits it to the fields a route accepts, the rest is ignored. */
function readDealChanges(
	state: SandboxState,
	body: JsonObject,
	funnelId: string,
	only?: readonly string[],
): DealChanges {
	const accepted = only === undefined ? body : Object.fromEntries(Object.entries(body).filter(([key]) => only.includes(key)));
	const input = new Validator(accepted);

	const changes: DealChanges = {
		title: input.string('title', { nullable: true }),
		amount: input.number('amount'),
		winStatus: input.oneOf('winStatus', WIN_STATUSES, true),
		description: input.string('description', { nullable: true, max: 65535 }),
		assignees: input.idArray('assignees', memberExists(state)),
		contacts: input.idArray('contacts', contactExists(state)),
		organizations: input.idArray('organizations', organizationExists(state)),
		tags: input.integerArray('tags', tagExists(state)),
		customFields: readCustomFields(state, input, funnelId),
	};
	input.throwIfFailed();

	return changes;
}

function applyDealChanges(deal: DealRecord, changes: DealChanges): void {
	const { customFields, ...plain } = changes;
	for (const [key, value] of Object.entries(plain)) {
		if (value !== undefined) {
			(deal as unknown as Record<string, unknown>)[key] = value;
		}
	}

	for (const [fieldId, value] of Object.entries(customFields ?? {})) {
		if (value === null) {
			delete deal.customFieldValues[fieldId];
		} else {
			deal.customFieldValues[fieldId] = value;
		}
	}

	deal.updatedAt = timestamp();
}

/** Moves a deal to the top of `status`; custom field values of a funnel it leaves are dropped. */
function moveDealToStatus(state: SandboxState, deal: DealRecord, status: StatusRecord): void {
	if (deal.funnelId !== status.funnelId) {
		const fieldIds = new Set(state.customFields.filter((field) => field.funnelId === status.funnelId).map((field) => field.id));
		for (const fieldId of Object.keys(deal.customFieldValues)) {
			if (!fieldIds.has(fieldId)) {
				delete deal.customFieldValues[fieldId];
			}
		}
	}

	deal.statusId = status.id;
	deal.funnelId = status.funnelId;
	deal.updatedAt = timestamp();
	state.deals = [deal, ...state.deals.filter((candidate) => candidate !== deal)];
}

function compareDeals(sort: string): (left: DealRecord, right: DealRecord) => number {
	const descending = sort.startsWith('-');
	// NOTE: the sandbox has no deal comments, so `commented` sorts by `updatedAt`.
	const key = (descending ? sort.slice(1) : sort).replace('commented', 'updatedAt');

	return (left, right) => {
		const a = left[key as keyof DealRecord];
		const b = right[key as keyof DealRecord];
		// Deals without a title or amount go last in both directions.
		if (a === null && b === null) {
			return 0;
		}
		if (a === null) {
			return 1;
		}
		if (b === null) {
			return -1;
		}
		const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
		return descending ? -order : order;
	};
}

const listDeals: RouteHandler = ({ state, params, query }) => {
	const status = findOrFail(state.statuses, params.statusId);
	const input = new QueryValidator(query);
	const limit = input.boundedInteger('limit', 1, 100, 50);
	const offset = input.boundedInteger('offset', 0, undefined, 0);
	const sort = input.oneOf('sort', SORT_VALUES, false);
	const winStatuses = input.filterArray('winStatuses');
	winStatuses?.forEach((value, index) => {
		if (!WIN_STATUSES.includes(value as WinStatus)) {
			input.fail(`winStatuses.${index}`, `The selected winStatuses.${index} is invalid.`);
		}
	});
	// The newer spec renamed `executorIds` to `assigneeIds`; both are honoured here.
	const assigneeIds = [...(input.filterArray('assigneeIds') ?? []), ...(input.filterArray('executorIds') ?? [])];
	const tags = input.filterArray('tags');
	const contacts = input.filterArray('contacts');
	const organizations = input.filterArray('organizations');
	const search = typeof query.search === 'string' ? query.search.trim().toLowerCase() : '';
	input.throwIfFailed();

	let deals = state.deals.filter((deal) => deal.statusId === status.id);
	if (search !== '') {
		deals = deals.filter((deal) => `${deal.title ?? ''}\n${deal.description ?? ''}`.toLowerCase().includes(search));
	}
	if (winStatuses !== undefined) {
		deals = deals.filter((deal) => deal.winStatus !== null && winStatuses.includes(deal.winStatus));
	}
	if (assigneeIds.length > 0) {
		deals = deals.filter((deal) => deal.assignees.some((id) => assigneeIds.includes(id)));
	}
	if (tags !== undefined) {
		deals = deals.filter((deal) => deal.tags.some((id) => tags.includes(String(id))));
	}
	if (contacts !== undefined) {
		deals = deals.filter((deal) => deal.contacts.some((id) => contacts.includes(id)));
	}
	if (organizations !== undefined) {
		deals = deals.filter((deal) => deal.organizations.some((id) => organizations.includes(id)));
	}
	if (sort !== undefined && sort !== null) {
		deals = [...deals].sort(compareDeals(sort));
	}

	const page = deals.slice(offset, offset + limit);
	return {
		success: true,
		deals: page.map((deal) => dealJson(state, deal)),
		hasMoreDeals: offset + page.length < deals.length,
	};
};

const createDeal: RouteHandler = ({ state, params, body }) => {
	const status = findOrFail(state.statuses, params.statusId);
	const changes = readDealChanges(state, body, status.funnelId);

	const now = timestamp();
	const deal: DealRecord = {
		id: createSlugId(),
		creatorId: state.currentUserId,
		funnelId: status.funnelId,
		statusId: status.id,
		assignees: [],
		organizations: [],
		contacts: [],
		title: null,
		description: null,
		amount: null,
		winStatus: null,
		tags: [],
		taskIds: [],
		customFieldValues: {},
		createdAt: now,
		updatedAt: now,
	};
	applyDealChanges(deal, changes);
	deal.updatedAt = now;
	// New deals go to the top of their status column.
	state.deals.unshift(deal);

	return { success: true, deal: dealJson(state, deal) };
};

/** Builds the POST (attach) and DELETE (detach) handlers of one deal relation. */
function relationHandlers(
	bodyKey: string,
	read: (input: Validator, state: SandboxState) => string | number | undefined,
	list: (deal: DealRecord) => Array<string | number>,
	store: (deal: DealRecord, ids: Array<string | number>) => void,
): Route['handlers'] {
	const readId = (state: SandboxState, body: JsonObject): string | number => {
		const input = new Validator(body);
		const id = read(input, state);
		input.throwIfFailed();
		if (id === undefined) {
			throw validationError({ [bodyKey]: [`The ${bodyKey} field is required.`] });
		}
		return id;
	};

	return {
		POST: ({ state, params, body }) => {
			const deal = findOrFail(state.deals, params.dealId);
			const id = readId(state, body);
			if (!list(deal).includes(id)) {
				store(deal, [...list(deal), id]);
			}
			deal.updatedAt = timestamp();
			return { success: true };
		},
		DELETE: ({ state, params, body }) => {
			const deal = findOrFail(state.deals, params.dealId);
			const id = readId(state, body);
			store(
				deal,
				list(deal).filter((candidate) => candidate !== id),
			);
			deal.updatedAt = timestamp();
			return { success: true };
		},
	};
}

export const dealRoutes: Route[] = [
	{
		pattern: '/crm/statuses/{statusId}/deals',
		handlers: { GET: listDeals, POST: createDeal },
	},
	{
		pattern: '/crm/deals/{dealId}',
		handlers: {
			GET: ({ state, params }) => ({ success: true, deal: dealJson(state, findOrFail(state.deals, params.dealId)) }),
			PUT: ({ state, params, body }) => {
				const deal = findOrFail(state.deals, params.dealId);
				applyDealChanges(deal, readDealChanges(state, body, deal.funnelId, PUT_FIELDS));
				return { success: true, deal: dealJson(state, deal) };
			},
			PATCH: ({ state, params, body }) => {
				const deal = findOrFail(state.deals, params.dealId);
				// Array fields replace the whole relation set (WEEEK's behaviour is inferred, not documented).
				applyDealChanges(deal, readDealChanges(state, body, deal.funnelId));
				return { success: true };
			},
			DELETE: ({ state, params }) => {
				const deal = findOrFail(state.deals, params.dealId);
				state.deals = state.deals.filter((candidate) => candidate !== deal);
				return { success: true };
			},
		},
	},
	{
		pattern: '/crm/deals/{dealId}/status',
		handlers: {
			PUT: ({ state, params, body }) => {
				const deal = findOrFail(state.deals, params.dealId);
				const input = new Validator(body);
				const statusId = input.existingId('statusId', (id) => state.statuses.some((status) => status.id === id));
				input.throwIfFailed();

				moveDealToStatus(state, deal, findOrFail(state.statuses, statusId as string));
				return { success: true };
			},
		},
	},
	{
		pattern: '/crm/deals/{dealId}/funnel',
		handlers: {
			PUT: ({ state, params, body }) => {
				const deal = findOrFail(state.deals, params.dealId);
				const input = new Validator(body);
				const funnelId = input.existingId('funnelId', (id) => state.funnels.some((funnel) => funnel.id === id));
				input.throwIfFailed();

				if (deal.funnelId === funnelId) {
					return { success: true };
				}
				// NOTE: WEEEK does not document the status a moved deal lands in; the sandbox uses the first one.
				const firstStatus = state.statuses.find((status) => status.funnelId === funnelId);
				if (firstStatus === undefined) {
					throw validationError({ funnelId: ['The selected funnel has no statuses to put the deal in.'] });
				}
				moveDealToStatus(state, deal, firstStatus);
				return { success: true };
			},
		},
	},
	{
		pattern: '/crm/deals/{dealId}/move',
		handlers: {
			POST: ({ state, params, body }) => {
				const deal = findOrFail(state.deals, params.dealId);
				const input = new Validator(body);
				const statusId = input.has('statusId')
					? input.existingId('statusId', (id) => state.statuses.some((status) => status.id === id))
					: deal.statusId;
				const targetStatusId = statusId ?? deal.statusId;
				const previousDealId = input.value('previousDealId');
				const previous =
					typeof previousDealId === 'string'
						? state.deals.find(
								(candidate) => candidate.id === previousDealId && candidate.statusId === targetStatusId && candidate !== deal,
							)
						: undefined;
				if (previousDealId !== undefined && previousDealId !== null && previous === undefined) {
					input.fail('previousDealId', 'The selected previous deal id is invalid.');
				}
				input.throwIfFailed();

				moveDealToStatus(state, deal, findOrFail(state.statuses, targetStatusId));
				if (previous !== undefined) {
					const others = state.deals.filter((candidate) => candidate !== deal);
					others.splice(others.indexOf(previous) + 1, 0, deal);
					state.deals = others;
				}
				return { success: true };
			},
		},
	},
	{
		pattern: '/crm/deals/{dealId}/contacts',
		handlers: relationHandlers(
			'contactId',
			(input, state) => input.existingId('contactId', contactExists(state)),
			(deal) => deal.contacts,
			(deal, ids) => {
				deal.contacts = ids.map(String);
			},
		),
	},
	{
		pattern: '/crm/deals/{dealId}/organizations',
		handlers: relationHandlers(
			'organizationId',
			(input, state) => input.existingId('organizationId', organizationExists(state)),
			(deal) => deal.organizations,
			(deal, ids) => {
				deal.organizations = ids.map(String);
			},
		),
	},
	{
		pattern: '/crm/deals/{dealId}/assignees',
		handlers: relationHandlers(
			'assigneeId',
			(input, state) => input.existingId('assigneeId', memberExists(state)),
			(deal) => deal.assignees,
			(deal, ids) => {
				deal.assignees = ids.map(String);
			},
		),
	},
	{
		// The deal tag body key is `tag`; contacts and organizations use `tagId`.
		pattern: '/crm/deals/{dealId}/tags',
		handlers: relationHandlers(
			'tag',
			(input, state) => input.existingInteger('tag', tagExists(state)),
			(deal) => deal.tags,
			(deal, ids) => {
				deal.tags = ids.map(Number);
			},
		),
	},
	{
		pattern: '/crm/deals/{dealId}/tasks',
		handlers: {
			// NOTE: WEEEK documents no body for this route; the fields below follow community clients.
			POST: ({ state, params, body }) => {
				const deal = findOrFail(state.deals, params.dealId);
				const input = new Validator(body);
				const title = input.string('title', { required: true });
				const description = input.string('description', { nullable: true, max: 65535 });
				const type = input.oneOf('type', ['action', 'meet', 'call'] as const, false);
				const priority = input.integer('priority', (value) => value >= 0 && value <= 3);
				const userId = input.has('userId') && input.value('userId') !== null ? input.existingId('userId', memberExists(state)) : undefined;
				input.throwIfFailed();

				const now = timestamp();
				const task = {
					id: state.nextTaskId,
					title: title as string,
					description: description ?? null,
					type: type ?? 'action',
					priority: priority ?? null,
					isCompleted: false,
					authorId: state.currentUserId,
					userId: userId ?? null,
					createdAt: now,
					updatedAt: now,
				};
				state.nextTaskId += 1;
				state.tasks.push(task);
				deal.taskIds.push(task.id);
				deal.updatedAt = now;
				return { success: true, task: taskJson(task) };
			},
		},
	},
	{
		pattern: '/crm/deals/{dealId}/tasks/{taskId}',
		handlers: {
			DELETE: ({ state, params }) => {
				const deal = findOrFail(state.deals, params.dealId);
				const taskId = findOrFail(state.tasks.filter((task) => deal.taskIds.includes(task.id)), params.taskId).id;
				deal.taskIds = deal.taskIds.filter((id) => id !== taskId);
				deal.updatedAt = timestamp();
				return { success: true };
			},
		},
	},
	{
		pattern: '/crm/deals/{dealId}/tasks/{taskId}/move',
		handlers: {
			POST: ({ state, params, body }) => {
				const deal = findOrFail(state.deals, params.dealId);
				const taskId = findOrFail(state.tasks.filter((task) => deal.taskIds.includes(task.id)), params.taskId).id;
				const input = new Validator(body);
				const previousTaskId = input.integer('previousTaskId', (id) => id !== taskId && deal.taskIds.includes(id));
				input.throwIfFailed();

				const others = deal.taskIds.filter((id) => id !== taskId);
				const position = previousTaskId === undefined ? 0 : others.indexOf(previousTaskId) + 1;
				others.splice(position, 0, taskId);
				deal.taskIds = others;
				return { success: true };
			},
		},
	},
];
