/**
 * Workspace routes: the current user, the workspace, its members and tags, and CRM currencies.
 */

import type { Route } from './router';
import { findOrFail, memberJson, tagJson, type SandboxState } from './store';
import { Validator } from './validation';

const DEFAULT_TAG_COLOR = '#667085';

function removeTagEverywhere(state: SandboxState, tagId: number): void {
	for (const owner of [...state.deals, ...state.contacts, ...state.organizations]) {
		owner.tags = owner.tags.filter((id) => id !== tagId);
	}
}

export const workspaceRoutes: Route[] = [
	{
		pattern: '/user/me',
		handlers: {
			GET: ({ state }) => ({ success: true, user: memberJson(findOrFail(state.members, state.currentUserId)) }),
		},
	},
	{
		pattern: '/ws',
		handlers: {
			GET: ({ state }) => ({ success: true, workspace: { ...state.workspace } }),
		},
	},
	{
		pattern: '/ws/members',
		handlers: {
			GET: ({ state }) => ({ success: true, members: state.members.map(memberJson) }),
		},
	},
	{
		pattern: '/ws/tags',
		handlers: {
			GET: ({ state }) => ({ success: true, tags: state.tags.map(tagJson) }),
			POST: ({ state, body }) => {
				const input = new Validator(body);
				const title = input.string('title', { required: true });
				const color = input.string('color', { nullable: true });
				input.throwIfFailed();

				const tag = { id: state.nextTagId, title: title as string, color: color ?? DEFAULT_TAG_COLOR };
				state.nextTagId += 1;
				state.tags.push(tag);
				return { success: true, tag: tagJson(tag) };
			},
		},
	},
	{
		pattern: '/ws/tags/{tagId}',
		handlers: {
			GET: ({ state, params }) => ({ success: true, tag: tagJson(findOrFail(state.tags, params.tagId)) }),
			PUT: ({ state, params, body }) => {
				const tag = findOrFail(state.tags, params.tagId);
				const input = new Validator(body);
				const title = input.string('title', { required: true });
				const color = input.string('color', { required: true });
				input.throwIfFailed();

				tag.title = title as string;
				tag.color = color as string;
				return { success: true, tag: tagJson(tag) };
			},
			DELETE: ({ state, params }) => {
				const tag = findOrFail(state.tags, params.tagId);
				state.tags = state.tags.filter((candidate) => candidate !== tag);
				removeTagEverywhere(state, tag.id);
				return { success: true };
			},
		},
	},
	{
		pattern: '/crm/currencies',
		handlers: {
			GET: ({ state }) => ({ success: true, currencies: state.currencies.map((currency) => ({ ...currency })) }),
		},
	},
];
