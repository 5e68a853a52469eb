import type { INodeProperties } from 'n8n-workflow';

const fieldSources = ['generic', 'platformalp'];

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Facebook Lead Ads', value: 'facebook', description: 'Meta app webhook for the Page leadgen field; each lead is fetched from the Graph API' },
			{ name: 'Generic Webhook', value: 'generic', description: 'Any service that posts JSON, a form, multipart text fields or a query string' },
			{ name: 'PlatformaLP', value: 'platformalp', description: 'PlatformaLP form webhook; unknown fields are kept as answers' },
			{ name: 'Tilda', value: 'tilda', description: 'Tilda form webhook (Site Settings → Forms → Webhook)' },
			{ name: 'VK Lead Forms', value: 'vk', description: 'VK community Callback API with the lead_forms_new event' },
		],
		default: 'tilda',
	},
	{
		displayName:
			'Activate the workflow, then paste the Production URL above into Tilda (Site Settings → Forms → Webhook): Tilda checks the URL at once with test=test, which is answered and starts nothing.',
		name: 'tildaNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['tilda'] } },
	},
	{
		displayName:
			'In the VK community: Management → Settings → Working with API → Callback API. Paste the Production URL, enter the confirmation string and secret key in the credential, activate the workflow, then press Confirm in VK and enable the "Lead forms → New lead" event.',
		name: 'vkNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['vk'] } },
	},
	{
		displayName:
			'In the Meta app: Webhooks → Page → Subscribe with the Production URL as callback URL and the verify token from the credential, then subscribe to the leadgen field. Activate the workflow before Meta checks the URL.',
		name: 'facebookNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['facebook'] } },
	},
	{
		displayName: 'Check a Shared Secret',
		name: 'checkSecret',
		type: 'boolean',
		default: false,
		displayOptions: { show: { source: ['generic', 'platformalp', 'tilda'] } },
		description: 'Whether every request must carry the secret from the chosen credential, so strangers who learn the URL cannot post leads',
	},
	{
		displayName: 'Lead ID Field',
		name: 'idPath',
		type: 'string',
		default: '',
		placeholder: 'e.g. lead_id or data.lead_id',
		displayOptions: { show: { source: fieldSources } },
		description:
			'Path of the field that identifies a lead, used to recognise the same lead sent twice. When empty, the ID and lead_id fields are tried, then a hash of the whole body.',
	},
	{
		displayName: 'Field Paths',
		name: 'fieldPaths',
		type: 'collection',
		placeholder: 'Add Field Path',
		default: {},
		displayOptions: { show: { source: fieldSources } },
		description: 'Where the standard fields are in the body when common names (name, phone, email, contact.phone, …) do not find them. Paths use dots and brackets, e.g. contact.phones[0] or answers["Телефон"].',
		options: [
			{ displayName: 'City', name: 'city', type: 'string', default: '' },
			{ displayName: 'Comment', name: 'comment', type: 'string', default: '' },
			{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'e.g. contact.email' },
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
			{ displayName: 'Full Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Skip Repeated Leads',
		name: 'skipRepeated',
		type: 'boolean',
		default: true,
		description:
			'Whether to drop a lead whose dedup key was already emitted in the last 48 hours (sources resend leads after timeouts). Remembered only for active workflows.',
	},
];
