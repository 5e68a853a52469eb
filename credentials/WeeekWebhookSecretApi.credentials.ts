import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Shared secret that Tilda, PlatformaLP or any other webhook sender must include, so strangers
 * who learn the URL cannot post leads. Checked by the WEEEK Lead Trigger; nothing remote to test.
 */
export class WeeekWebhookSecretApi implements ICredentialType {
	name = 'weeekWebhookSecretApi';

	displayName = 'WEEEK Lead Webhook Secret API';

	icon: Icon = { light: 'file:../icons/weeek.svg', dark: 'file:../icons/weeek.dark.svg' };

	documentationUrl = 'https://github.com/weeek-leads/n8n-nodes-weeek#lead-sources';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The value the sender must include with every lead',
		},
		{
			displayName: 'Where the Sender Puts It',
			name: 'location',
			type: 'options',
			options: [
				{
					name: 'Header or Body Field (API Key)',
					value: 'apiKey',
					description: 'Tilda marketplace style: X-API-Key header, Authorization: Bearer, or an X-API-Key / api_key body field; generic senders: X-Webhook-Secret header',
				},
				{
					name: 'URL Query Parameter "Token"',
					value: 'urlToken',
					description: 'Append ?token=<secret> to the webhook URL you paste into the sender',
				},
			],
			default: 'urlToken',
		},
	];
}
