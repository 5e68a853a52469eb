/**
 * The sandbox's starting data. Ids are fixed so tests and the demo can refer to them, and they
 * have WEEEK's id types: 16-character slugs for funnels and statuses, UUIDs for members and
 * custom fields, integers for tags, currencies and the workspace.
 */

import type { SandboxState } from './store';

const SEEDED_AT = '2025-01-15T09:00:00.000Z';

export const SEED = {
	workspace: { id: 201344, title: 'Sandbox workspace' },
	members: {
		owner: {
			id: '3f6c2a1e-8b4d-4e7a-9c5f-1d2e3a4b5c6d',
			email: 'anna.sokolova@sandbox.example',
			firstName: 'Anna',
			lastName: 'Sokolova',
		},
		manager: {
			id: '8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d',
			email: 'pavel.orlov@sandbox.example',
			firstName: 'Pavel',
			lastName: 'Orlov',
		},
	},
	tags: {
		hot: { id: 1, title: 'hot', color: '#f04438' },
		website: { id: 2, title: 'website', color: '#2e90fa' },
		partner: { id: 3, title: 'partner', color: '#12b76a' },
	},
	currencies: {
		rub: { id: 1, name: 'Russian ruble', code: 'RUB', symbol: '₽' },
		usd: { id: 2, name: 'US dollar', code: 'USD', symbol: '$' },
		eur: { id: 3, name: 'Euro', code: 'EUR', symbol: '€' },
	},
	funnels: {
		sales: { id: 'Fq3kW8mZp2Lx7NcA', name: 'Sales' },
		partners: { id: 'Pt6hR1vY9sDb4GeJ', name: 'Partners' },
	},
	statuses: {
		newLead: { id: 'Nl2aB4cD6eF8gH0j', name: 'New lead', funnelId: 'Fq3kW8mZp2Lx7NcA' },
		qualified: { id: 'Qf3bC5dE7fG9hJ1k', name: 'Qualified', funnelId: 'Fq3kW8mZp2Lx7NcA' },
		negotiation: { id: 'Ng4cD6eF8gH0jK2m', name: 'Negotiation', funnelId: 'Fq3kW8mZp2Lx7NcA' },
		contract: { id: 'Ct5dE7fG9hJ1kL3n', name: 'Contract', funnelId: 'Fq3kW8mZp2Lx7NcA' },
		inbox: { id: 'Ib6eF8gH0jK2mN4p', name: 'Inbox', funnelId: 'Pt6hR1vY9sDb4GeJ' },
		inProgress: { id: 'Ip7fG9hJ1kL3nP5q', name: 'In progress', funnelId: 'Pt6hR1vY9sDb4GeJ' },
		done: { id: 'Dn8gH0jK2mN4pQ6r', name: 'Done', funnelId: 'Pt6hR1vY9sDb4GeJ' },
	},
	/** Deal custom fields, all defined on the Sales funnel. */
	customFields: {
		leadKey: { id: 'c1f0a3b2-6d4e-4f5a-8b7c-9d0e1f2a3b4c', name: 'Lead key', type: 'text' },
		utmSource: { id: 'c2e1b4c3-7e5f-4a6b-9c8d-0e1f2a3b4c5d', name: 'UTM source', type: 'text' },
		channel: {
			id: 'c3d2c5d4-8f6a-4b7c-8d9e-1f2a3b4c5d6e',
			name: 'Channel',
			type: 'select',
			options: {
				website: { id: 'a1b2c3d4-1e2f-4a3b-8c4d-5e6f7a8b9c01', name: 'Website', color: 'blue' },
				facebook: { id: 'a1b2c3d4-1e2f-4a3b-8c4d-5e6f7a8b9c02', name: 'Facebook', color: 'dark_purple' },
				vk: { id: 'a1b2c3d4-1e2f-4a3b-8c4d-5e6f7a8b9c03', name: 'VK', color: 'light_blue' },
				myTarget: { id: 'a1b2c3d4-1e2f-4a3b-8c4d-5e6f7a8b9c04', name: 'myTarget', color: 'red' },
			},
		},
		budget: { id: 'c4c3d6e5-9a7b-4c8d-9e0f-2a3b4c5d6e7f', name: 'Budget', type: 'number' },
	},
} as const;

/** Builds a fresh copy of the seed state; nothing in it is shared with earlier copies. */
export function createSeedState(): SandboxState {
	const owner = SEED.members.owner;
	const channel = SEED.customFields.channel;

	const state: SandboxState = {
		workspace: {
			id: SEED.workspace.id,
			title: SEED.workspace.title,
			description: null,
			isPersonal: false,
			logo: null,
		},
		currentUserId: owner.id,
		members: Object.values(SEED.members).map((member) => ({
			...member,
			middleName: null,
			position: member.id === owner.id ? 'Head of sales' : 'Sales manager',
			timeZone: 'Europe/Moscow',
			logo: null,
		})),
		tags: Object.values(SEED.tags).map((tag) => ({ ...tag })),
		currencies: Object.values(SEED.currencies).map((currency) => ({ ...currency })),
		funnels: Object.values(SEED.funnels).map((funnel) => ({
			id: funnel.id,
			creatorId: owner.id,
			currencyId: SEED.currencies.rub.id,
			name: funnel.name,
			logo: null,
			dealsCount: 0,
			dealsAmount: 0,
			isPrivate: false,
			isBookmarked: funnel.id === SEED.funnels.sales.id,
			team: Object.values(SEED.members).map((member) => member.id),
			createdAt: SEEDED_AT,
			updatedAt: SEEDED_AT,
		})),
		statuses: Object.values(SEED.statuses).map((status) => ({
			...status,
			creatorId: owner.id,
			dealsCount: 0,
			dealsAmount: 0,
			createdAt: SEEDED_AT,
			updatedAt: SEEDED_AT,
		})),
		customFields: [
			{ ...SEED.customFields.leadKey, funnelId: SEED.funnels.sales.id, config: null, options: [] },
			{ ...SEED.customFields.utmSource, funnelId: SEED.funnels.sales.id, config: null, options: [] },
			{
				id: channel.id,
				name: channel.name,
				type: channel.type,
				funnelId: SEED.funnels.sales.id,
				config: null,
				options: Object.values(channel.options).map((option) => ({ ...option })),
			},
			{ ...SEED.customFields.budget, funnelId: SEED.funnels.sales.id, config: null, options: [] },
		],
		deals: [],
		contacts: [],
		organizations: [],
		tasks: [],
		nextTagId: Math.max(...Object.values(SEED.tags).map((tag) => tag.id)) + 1,
		nextTaskId: 1001,
	};

	return state;
}
