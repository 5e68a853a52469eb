import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Meta app and Page access for receiving Facebook Lead Ads and fetching each lead from the Graph API. */
export class WeeekFacebookLeadAdsApi implements ICredentialType {
	name = 'weeekFacebookLeadAdsApi';

	displayName = 'WEEEK Facebook Lead Ads API';

	icon: Icon = { light: 'file:../icons/weeek.svg', dark: 'file:../icons/weeek.dark.svg' };

	documentationUrl = 'https://github.com/weeek-leads/n8n-nodes-weeek#facebook-lead-ads';

	properties: INodeProperties[] = [
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Meta app → App settings → Basic → App secret; verifies the X-Hub-Signature-256 of every notification',
		},
		{
			displayName: 'Verify Token',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Any string you choose; enter the same one in the Meta app under Webhooks → Page → Verify token',
		},
		{
			displayName: 'Page Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A long-lived Page or system user token with leads_retrieval, used to fetch each lead',
		},
		{
			displayName: 'Graph API Base URL',
			name: 'graphBaseUrl',
			type: 'string',
			default: 'https://graph.facebook.com/v21.0',
			description: 'Graph API address with version; change it only for tests',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { qs: { access_token: '={{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.graphBaseUrl}}', url: '/me', qs: { fields: 'id,name' } },
	};
}
