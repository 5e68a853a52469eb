import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Settings of a VK community's Callback API server, checked by the WEEEK Lead Trigger. */
export class WeeekVkCallbackApi implements ICredentialType {
	name = 'weeekVkCallbackApi';

	displayName = 'WEEEK VK Callback API';

	icon: Icon = { light: 'file:../icons/weeek.svg', dark: 'file:../icons/weeek.dark.svg' };

	documentationUrl = 'https://github.com/weeek-leads/n8n-nodes-weeek#vk-lead-forms';

	properties: INodeProperties[] = [
		{
			displayName: 'Confirmation String',
			name: 'confirmationCode',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 1a2b3c4d',
			description: 'The string VK shows under Community management → Settings → Working with API → Callback API ("String to be returned"). It changes when the server is edited.',
		},
		{
			displayName: 'Secret Key',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The secret key set for the Callback API server; leave empty if none is set',
		},
	];
}
