/**
 * Funnel, funnel status and deal custom field routes.
 */

import type { Route } from './router';
import {
	CUSTOM_FIELD_TYPES,
	OPTION_COLORS,
	createSlugId,
	createUuid,
	customFieldJson,
	findOrFail,
	funnelJson,
	statusJson,
	timestamp,
	type CustomFieldRecord,
	type FunnelRecord,
	type SandboxState,
} from './store';
import { Validator, type JsonObject } from './validation';

/** Removes a custom field's stored values from every deal. */
function forgetCustomFieldValues(state: SandboxState, fieldId: string): void {
	for (const deal of state.deals) {
		delete deal.customFieldValues[fieldId];
	}
}

/** Removes a deleted select option from the deal values that refer to it. */
function forgetOptionValues(state: SandboxState, field: CustomFieldRecord, optionId: string): void {
	for (const deal of state.deals) {
		const value = deal.customFieldValues[field.id];
		if (value === optionId) {
			delete deal.customFieldValues[field.id];
		} else if (Array.isArray(value)) {
			deal.customFieldValues[field.id] = value.filter((id) => id !== optionId);
		}
	}
}

function readFunnelBody(state: SandboxState, body: JsonObject): { name: string; currencyId?: number; isPrivate?: boolean } {
	const input = new Validator(body);
	const name = input.string('name', { required: true });
	const currencyId = input.integer('currencyId', (id) => state.currencies.some((currency) => currency.id === id));
	const isPrivate = input.boolean('isPrivate');
	input.throwIfFailed();

	return { name: name as string, currencyId, isPrivate };
}

function findFunnelField(state: SandboxState, funnel: FunnelRecord, fieldId: string): CustomFieldRecord {
	return findOrFail(
		state.customFields.filter((field) => field.funnelId === funnel.id),
		fieldId,
	);
}

/** Reads `config`: an object or null, and for boolean fields `{type: 'switch' | 'checkbox'}`. */
function readFieldConfig(input: Validator, type: string | undefined): Record<string, unknown> | null | undefined {
	const config = input.value('config');
	if (config === undefined || config === null) {
		return config === null ? null : undefined;
	}
	if (typeof config !== 'object' || Array.isArray(config)) {
		input.fail('config', 'The config field must be an array.');
		return undefined;
	}
	const configType = (config as Record<string, unknown>).type;
	if (type === 'boolean' && configType !== 'switch' && configType !== 'checkbox') {
		input.fail('config.type', 'The selected config.type is invalid.');
		return undefined;
	}
	return { ...(config as Record<string, unknown>) };
}

function readOptionBody(body: JsonObject, nameRequired: boolean): { name?: string; color?: string } {
	const input = new Validator(body);
	const name = input.string('name', { required: nameRequired });
	const color = input.oneOf('color', OPTION_COLORS, false);
	input.throwIfFailed();

	return { name: name ?? undefined, color: color ?? undefined };
}

export const funnelRoutes: Route[] = [
	{
		pattern: '/crm/funnels',
		handlers: {
			GET: ({ state }) => ({ success: true, funnels: state.funnels.map((funnel) => funnelJson(state, funnel)) }),
			POST: ({ state, body }) => {
				const fields = readFunnelBody(state, body);
				const now = timestamp();
				// NOTE: WEEEK may add default statuses to a new funnel; the sandbox creates none,
				// so clients must not rely on them.
				const funnel: FunnelRecord = {
					id: createSlugId(),
					creatorId: state.currentUserId,
					currencyId: fields.currencyId ?? 1,
					name: fields.name,
					logo: null,
					dealsCount: 0,
					dealsAmount: 0,
					isPrivate: fields.isPrivate ?? false,
					isBookmarked: false,
					team: [state.currentUserId],
					createdAt: now,
					updatedAt: now,
				};
				state.funnels.push(funnel);
				return { success: true, funnel: funnelJson(state, funnel) };
			},
		},
	},
	{
		pattern: '/crm/funnels/{funnelId}',
		handlers: {
			GET: ({ state, params }) => ({ success: true, funnel: funnelJson(state, findOrFail(state.funnels, params.funnelId)) }),
			PUT: ({ state, params, body }) => {
				const funnel = findOrFail(state.funnels, params.funnelId);
				const fields = readFunnelBody(state, body);

				funnel.name = fields.name;
				funnel.currencyId = fields.currencyId ?? funnel.currencyId;
				funnel.isPrivate = fields.isPrivate ?? funnel.isPrivate;
				funnel.updatedAt = timestamp();
				return { success: true, funnel: funnelJson(state, funnel) };
			},
			DELETE: ({ state, params }) => {
				const funnel = findOrFail(state.funnels, params.funnelId);
				state.funnels = state.funnels.filter((candidate) => candidate !== funnel);
				state.statuses = state.statuses.filter((status) => status.funnelId !== funnel.id);
				state.deals = state.deals.filter((deal) => deal.funnelId !== funnel.id);
				state.customFields = state.customFields.filter((field) => field.funnelId !== funnel.id);
				return { success: true };
			},
		},
	},
	{
		pattern: '/crm/funnels/{funnelId}/statuses',
		handlers: {
			GET: ({ state, params }) => {
				const funnel = findOrFail(state.funnels, params.funnelId);
				const statuses = state.statuses.filter((status) => status.funnelId === funnel.id);
				return { success: true, statuses: statuses.map(statusJson) };
			},
			POST: ({ state, params, body }) => {
				const funnel = findOrFail(state.funnels, params.funnelId);
				const input = new Validator(body);
				const name = input.string('name', { required: true });
				input.throwIfFailed();

				const now = timestamp();
				const status = {
					id: createSlugId(),
					funnelId: funnel.id,
					creatorId: state.currentUserId,
					name: name as string,
					dealsCount: 0,
					dealsAmount: 0,
					createdAt: now,
					updatedAt: now,
				};
				state.statuses.push(status);
				return { success: true, status: statusJson(status) };
			},
		},
	},
	{
		pattern: '/crm/statuses/{statusId}',
		handlers: {
			GET: ({ state, params }) => ({ success: true, status: statusJson(findOrFail(state.statuses, params.statusId)) }),
			PUT: ({ state, params, body }) => {
				const status = findOrFail(state.statuses, params.statusId);
				const input = new Validator(body);
				const name = input.string('name', { required: true });
				input.throwIfFailed();

				status.name = name as string;
				status.updatedAt = timestamp();
				return { success: true, status: statusJson(status) };
			},
			DELETE: ({ state, params }) => {
				const status = findOrFail(state.statuses, params.statusId);
				// NOTE: what WEEEK does with the deals of a deleted status is not documented;
				// the sandbox deletes them with it.
				state.statuses = state.statuses.filter((candidate) => candidate !== status);
				state.deals = state.deals.filter((deal) => deal.statusId !== status.id);
				return { success: true };
			},
		},
	},
	{
		pattern: '/crm/funnels/{funnelId}/custom-fields',
		handlers: {
			POST: ({ state, params, body }) => {
				const funnel = findOrFail(state.funnels, params.funnelId);
				const input = new Validator(body);
				const name = input.string('name', { nullable: true });
				const type = input.oneOf('type', CUSTOM_FIELD_TYPES, false);
				if (!input.has('type')) {
					input.fail('type', 'The type field is required.');
				}
				const config = readFieldConfig(input, type ?? undefined);
				input.throwIfFailed();

				const field: CustomFieldRecord = {
					id: createUuid(),
					funnelId: funnel.id,
					name: name ?? null,
					type: type as CustomFieldRecord['type'],
					config: config ?? (type === 'boolean' ? { type: 'switch' } : null),
					options: [],
				};
				state.customFields.push(field);
				// NOTE: the response key `customField` is a guess; the published spec gives no response body.
				return { success: true, customField: customFieldJson(field) };
			},
		},
	},
	{
		pattern: '/crm/funnels/{funnelId}/custom-fields/{fieldId}',
		handlers: {
			PUT: ({ state, params, body }) => {
				const field = findFunnelField(state, findOrFail(state.funnels, params.funnelId), params.fieldId);
				const input = new Validator(body);
				const name = input.string('name', { nullable: true });
				const config = readFieldConfig(input, field.type);
				input.throwIfFailed();

				if (name !== undefined) {
					field.name = name;
				}
				if (config !== undefined) {
					field.config = config;
				}
				return { success: true, customField: customFieldJson(field) };
			},
			DELETE: ({ state, params }) => {
				const field = findFunnelField(state, findOrFail(state.funnels, params.funnelId), params.fieldId);
				state.customFields = state.customFields.filter((candidate) => candidate !== field);
				forgetCustomFieldValues(state, field.id);
				return { success: true };
			},
		},
	},
	{
		pattern: '/crm/funnels/{funnelId}/custom-fields/{fieldId}/options',
		handlers: {
			POST: ({ state, params, body }) => {
				const field = findFunnelField(state, findOrFail(state.funnels, params.funnelId), params.fieldId);
				const option = readOptionBody(body, true);
				if (field.type !== 'select' && field.type !== 'multiselect') {
					const input = new Validator(body);
					input.fail('name', `A ${field.type} custom field has no options: only select and multiselect fields do.`);
					input.throwIfFailed();
				}

				const created = { id: createUuid(), name: option.name as string, color: option.color ?? 'blue' };
				field.options.push(created);
				return { success: true, option: { ...created } };
			},
		},
	},
	{
		pattern: '/crm/funnels/{funnelId}/custom-fields/{fieldId}/options/{optionId}',
		handlers: {
			PUT: ({ state, params, body }) => {
				const field = findFunnelField(state, findOrFail(state.funnels, params.funnelId), params.fieldId);
				const option = findOrFail(field.options, params.optionId);
				const changes = readOptionBody(body, false);

				option.name = changes.name ?? option.name;
				option.color = changes.color ?? option.color;
				return { success: true, option: { ...option } };
			},
			DELETE: ({ state, params }) => {
				const field = findFunnelField(state, findOrFail(state.funnels, params.funnelId), params.fieldId);
				const option = findOrFail(field.options, params.optionId);
				field.options = field.options.filter((candidate) => candidate !== option);
				forgetOptionValues(state, field, option.id);
				return { success: true };
			},
		},
	},
];
