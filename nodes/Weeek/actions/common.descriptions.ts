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

/** Deal picker shared by every operation that works on one deal. */
export const dealLocator: INodeProperties = {
	displayName: 'Deal',
	name: 'deal',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The WEEEK deal. The list searches deal titles in every funnel and status.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchDeals', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. Hk3Jd8Lq0Zp2Xv5N',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: 'A deal ID contains only letters, digits, - and _' },
				},
			],
		},
	],
};

/** Contact picker shared by every operation that works on one contact. */
export const contactLocator: INodeProperties = {
	displayName: 'Contact',
	name: 'contact',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The WEEEK contact. The list searches names, e-mails and phones.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchContacts', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 0b6f2a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: 'A contact ID contains only letters, digits, - and _' },
				},
			],
		},
	],
};

/** Organization picker shared by every operation that works on one organization. */
export const organizationLocator: INodeProperties = {
	displayName: 'Organization',
	name: 'organization',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The WEEEK organization (company). The list searches names, e-mails, phones and addresses.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchOrganizations', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 7c1e4b2a-3d5f-4a6b-8c9d-0e1f2a3b4c5d',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: 'An organization ID contains only letters, digits, - and _' },
				},
			],
		},
	],
};

/** Workspace member picker, for assignees and responsibles. */
export const memberOptions: INodeProperties = {
	displayName: 'Member Name or ID',
	name: 'member',
	type: 'options',
	default: '',
	required: true,
	typeOptions: { loadOptionsMethod: 'getMembers' },
	description:
		'A member of the WEEEK workspace. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Workspace tag picker; tag IDs are whole numbers. */
export const tagOptions: INodeProperties = {
	displayName: 'Tag Name or ID',
	name: 'tag',
	type: 'options',
	default: '',
	required: true,
	typeOptions: { loadOptionsMethod: 'getTags' },
	description:
		'A tag of the WEEEK workspace; its ID is a whole number. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Return All and Limit of a Get Many operation shown for `show`. */
export function returnAllAndLimit(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			displayOptions: { show },
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			displayOptions: { show: { ...show, returnAll: [false] } },
			description: 'Max number of results to return',
		},
	];
}

/** Builds the Simplify switch of Get and Get Many operations whose records have more than ten fields. */
export function simplifyOption(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: { show },
		description: 'Whether to return a simplified version of the response instead of the raw data',
	};
}

/**
 * Custom Fields rows of a deal. The field list comes from the funnel chosen in the node, or from
 * the funnel of the chosen deal when the operation has no funnel parameter.
 */
export function dealCustomFieldsCollection(description: string): INodeProperties {
	return {
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Custom Field',
		description,
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'fieldId',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getDealCustomFields', loadOptionsDependsOn: ['funnel.value', 'deal.value'] },
						default: '',
						description:
							'Deal custom field of the funnel. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $json.utm.source }}',
						description:
							'Converted to the field type: text, a number, true or false, a date (ISO 8601), an option name or ID for select fields, comma-separated option names or member IDs for multi-value fields',
					},
				],
			},
		],
	};
}

export function splitList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
	if (typeof value !== 'string') return [];
	return value
		.split(/[,;\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}
