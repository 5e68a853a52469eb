import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** OAuth2 access token for the myTarget lead-ads API (Odnoklassniki lead forms). */
export class WeeekMyTargetApi implements ICredentialType {
	name = 'weeekMyTargetApi';

	displayName = 'WEEEK myTarget API';

	icon: Icon = { light: 'file:../icons/weeek.svg', dark: 'file:../icons/weeek.dark.svg' };

	documentationUrl = 'https://github.com/weeek-leads/n8n-nodes-weeek#mytarget-lead-forms';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'myTarget OAuth2 access token (client credentials or agency grant)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://target.my.com',
			description: 'Use https://target-sandbox.my.com for myTarget\'s sandbox, or a local address for tests',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/api/v2/ok/lead_ads/forms.json' },
	};
}
