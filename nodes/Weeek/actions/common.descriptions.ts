import type { INodeProperties } from 'n8n-workflow';

/** Funnel picker shared by every operation that works inside a funnel. */
export const funnelLocator: INodeProperties = {
	displayName: 'Funnel',
	name: 'funnel',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The WEEEK sales funnel (pipeline)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchFunnels', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. Fn1Aa2Bb3Cc4Dd5E',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: 'A funnel ID contains only letters, digits, - and _' },
				},
			],
		},
	],
};

/** Status picker that lists the statuses of the funnel chosen above it. */
export const statusOptions: INodeProperties = {
	displayName: 'Status Name or ID',
	name: 'status',
	type: 'options',
	default: '',
	required: true,
	typeOptions: { loadOptionsMethod: 'getStatuses', loadOptionsDependsOn: ['funnel.value'] },
	description:
		'The funnel status (stage) the deal starts in. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export function splitList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
	if (typeof value !== 'string') return [];
	return value
		.split(/[,;\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}
