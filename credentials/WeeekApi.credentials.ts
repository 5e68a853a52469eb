import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class WeeekApi implements ICredentialType {
	name = 'weeekApi';

	displayName = 'WEEEK API';

	icon: Icon = { light: 'file:../icons/weeek.svg', dark: 'file:../icons/weeek.dark.svg' };

	documentationUrl = 'https://github.com/weeek-leads/n8n-nodes-weeek#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Token created in WEEEK under Workspace settings → API. It acts as the user who created it.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.weeek.net/public/v1',
			description: 'Change only to use a WEEEK sandbox or a proxy; it must end with /public/v1',
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 4,
			description: 'Upper limit of requests per second sent to WEEEK with this token, shared by all workflows in one n8n process (in queue mode, each worker has its own). WEEEK documents no limit; community WEEEK clients hold themselves to 4 per second.',
		},
	];

	/**
	 * Adds `Authorization: Bearer <token>` to every request n8n sends with this credential. A generic
	 * block with `=Bearer {{$credentials.apiToken}}` would make n8n evaluate that expression for every
	 * request. In n8n 2.40.7, whose expressions run in isolated-vm, that cost about 2.8 ms of CPU per
	 * WEEEK call (CPU profile of a 300-lead batch on 2 cores).
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiToken)}` } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/user/me',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'WEEEK rejected the API token: copy it again from WEEEK (Workspace settings → API) and check the Base URL',
				},
			},
		],
	};
}
