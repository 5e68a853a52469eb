/**
 * A small stand-in for the n8n runtime, enough to run our nodes' `execute`, `webhook`, list-search
 * and load-options code in jest against the WEEEK sandbox.
 *
 * Requests really go over HTTP: `httpRequestWithAuthentication` applies the `authenticate` block
 * of our own credential class (so the credential definition is under test too) and follows the
 * semantics n8n documents for `json`, `returnFullResponse` and `ignoreHttpStatusErrors`.
 * Real n8n instances are exercised by the end-to-end suite; this harness keeps the unit loop fast.
 */
import type {
	IAdditionalCredentialOptions,
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	IPollFunctions,
	IWebhookFunctions,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { request } from 'undici';

import { WeeekApi } from '../../credentials/WeeekApi.credentials';
import { WeeekFacebookLeadAdsApi } from '../../credentials/WeeekFacebookLeadAdsApi.credentials';
import { WeeekMyTargetApi } from '../../credentials/WeeekMyTargetApi.credentials';
import { WeeekVkCallbackApi } from '../../credentials/WeeekVkCallbackApi.credentials';
import { WeeekWebhookSecretApi } from '../../credentials/WeeekWebhookSecretApi.credentials';

export interface HarnessCredentials {
	apiToken: string;
	baseUrl: string;
	requestsPerSecond?: number;
}

export interface LogLine {
	level: string;
	message: string;
	meta?: unknown;
}

export interface HarnessOptions {
	parameters: Record<string, unknown>;
	credentials: HarnessCredentials;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** The node's Settings → On Error choice; the tests of error items set it as n8n would. */
	onError?: INode['onError'];
	nodeType?: string;
	/** The node's workflow static data; pass the same object to several runs to keep what the node remembers between them. */
	staticData?: IDataObject;
}

export interface Harness {
	logs: LogLine[];
	requests: IHttpRequestOptions[];
	/** How often the node read its credential, itself or through a request that n8n authenticates. */
	credentialReads: number;
}

const credential = new WeeekApi();

/** Our credential classes by type name, so a helper call can apply the `authenticate` block of the one a node names. */
const credentialTypes: Record<string, ICredentialType> = Object.fromEntries(
	[credential, new WeeekFacebookLeadAdsApi(), new WeeekMyTargetApi(), new WeeekVkCallbackApi(), new WeeekWebhookSecretApi()].map((type) => [type.name, type]),
);

/** Replaces `{{$credentials.name}}` in an n8n expression string, which is all our credentials use. */
function resolveCredentialExpression(template: string, credentials: object): string {
	const body = template.startsWith('=') ? template.slice(1) : template;
	return body.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_match, name: string) =>
		String((credentials as unknown as Record<string, unknown>)[name] ?? ''),
	);
}

/** Performs one request the way n8n's `httpRequest` helper does for the options our nodes use. */
export async function performHttpRequest(options: IHttpRequestOptions, headers: Record<string, string>): Promise<unknown> {
	const url = new URL(options.baseURL ? options.baseURL.replace(/\/+$/, '') + '/' + options.url.replace(/^\/+/, '') : options.url);
	for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));

	const allHeaders: Record<string, string> = { ...headers };
	for (const [key, value] of Object.entries(options.headers ?? {})) allHeaders[key] = String(value);
	let body: string | undefined;
	if (options.body !== undefined) {
		body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
		allHeaders['content-type'] ??= 'application/json';
	}

	const timeout = options.timeout ?? 300_000;
	let response;
	try {
		response = await request(url, {
			method: options.method ?? 'GET',
			headers: allHeaders,
			body,
			headersTimeout: timeout,
			bodyTimeout: timeout,
		});
	} catch (error) {
		// n8n wraps transport failures; the code stays reachable through `cause`.
		throw Object.assign(new Error('Request failed'), { cause: error });
	}

	const text = await response.body.text();
	const contentType = String(response.headers['content-type'] ?? '');
	let parsed: unknown = text;
	if (options.json && contentType.includes('json') && text !== '') parsed = JSON.parse(text);

	if (response.statusCode >= 400 && !options.ignoreHttpStatusErrors) {
		throw Object.assign(new Error(`Request failed with status code ${response.statusCode}`), {
			httpCode: String(response.statusCode),
		});
	}
	if (options.returnFullResponse) {
		return { statusCode: response.statusCode, headers: response.headers, body: parsed };
	}
	return parsed;
}

/**
 * Applies the `authenticate` of a credential type to a request as n8n does: it calls a function with
 * the decrypted data, and adds the headers and query parameters of a generic block.
 */
async function applyAuthentication(type: ICredentialType, data: object, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const authenticate = type.authenticate;
	if (typeof authenticate === 'function') return await authenticate(data as ICredentialDataDecryptedObject, requestOptions);

	const properties = (authenticate as IAuthenticateGeneric | undefined)?.properties ?? {};
	const resolve = (entries: object | undefined): Record<string, string> =>
		Object.fromEntries(Object.entries(entries ?? {}).map(([key, value]) => [key, resolveCredentialExpression(String(value), data)]));
	return {
		...requestOptions,
		headers: { ...(requestOptions.headers ?? {}), ...resolve(properties.headers) },
		qs: { ...(requestOptions.qs ?? {}), ...resolve(properties.qs) },
	};
}

/** Returns our credential class named `name`, as n8n looks it up for a request. */
function credentialType(name: string): ICredentialType {
	const type = credentialTypes[name];
	if (type === undefined) throw new Error(`The node asked for credential type '${name}', which has no class in credentials/`);
	return type;
}

/** Sends the credential's own test request, as n8n does when the user saves the credential. */
export async function runCredentialTest(credentials: HarnessCredentials): Promise<{ statusCode: number }> {
	const testRequest = credential.test.request;
	const authenticated = await applyAuthentication(credential, credentials, {
		...testRequest,
		url: String(testRequest.url),
		baseURL: resolveCredentialExpression(String(testRequest.baseURL), credentials),
		headers: testRequest.headers as IDataObject,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: true,
	} as IHttpRequestOptions);
	return (await performHttpRequest(authenticated, {})) as { statusCode: number };
}

function createNode(type: string, parameters: Record<string, unknown>): INode {
	return {
		id: 'node-under-test',
		name: 'WEEEK',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
	};
}

/** Reads a parameter the way n8n does, including `extractValue` for resource locators. */
function readParameter(parameters: Record<string, unknown>, name: string, fallback: unknown, options?: { extractValue?: boolean }): unknown {
	const path = name.split('.');
	let value: unknown = parameters;
	for (const part of path) {
		if (value === null || typeof value !== 'object') {
			value = undefined;
			break;
		}
		value = (value as Record<string, unknown>)[part];
	}
	if (value === undefined) return fallback;
	if (options?.extractValue && value !== null && typeof value === 'object' && '__rl' in (value as object)) {
		return (value as { value: unknown }).value;
	}
	if (options?.extractValue && value !== null && typeof value === 'object' && 'mode' in (value as object)) {
		return (value as { value: unknown }).value;
	}
	return value;
}

function createLogger(logs: LogLine[]) {
	const log = (level: string) => (message: string, meta?: unknown) => logs.push({ level, message, meta });
	return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), verbose: log('verbose') };
}

function baseContext(options: HarnessOptions, harness: Harness) {
	const node = { ...createNode(options.nodeType ?? 'n8n-nodes-weeek.weeek', options.parameters), onError: options.onError };
	const staticData = options.staticData ?? {};
	const getCredentials = async (name: string) => {
		if (name !== 'weeekApi') throw new Error(`The node asked for credential type '${name}', which the test did not provide`);
		harness.credentialReads++;
		return { ...options.credentials } as unknown as IDataObject;
	};
	return {
		getNode: () => node,
		getWorkflowStaticData: () => staticData,
		logger: createLogger(harness.logs),
		getCredentials,
		helpers: {
			httpRequestWithAuthentication: async function (name: string, requestOptions: IHttpRequestOptions, additional?: IAdditionalCredentialOptions) {
				harness.requests.push(requestOptions);
				// n8n reads and decrypts the credential for every request unless the caller passes it in.
				const data = additional?.credentialsDecrypted?.data ?? (await getCredentials(name));
				return await performHttpRequest(await applyAuthentication(credentialType(name), data, requestOptions), {});
			},
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (items: INodeExecutionData[], meta: { itemData: { item: number } }) =>
				items.map((item) => ({ ...item, pairedItem: meta.itemData })),
		},
	};
}

export function createExecuteContext(options: HarnessOptions): { context: IExecuteFunctions; harness: Harness } {
	const harness: Harness = { logs: [], requests: [], credentialReads: 0 };
	const items = options.items ?? [{ json: {} }];
	const context = {
		...baseContext(options, harness),
		getInputData: () => items,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown, parameterOptions?: { extractValue?: boolean }) => {
			const value = readParameter(options.parameters, name, fallback, parameterOptions);
			if (value === undefined) throw new Error(`The test did not set parameter '${name}'`);
			return value;
		},
		continueOnFail: () => options.continueOnFail === true,
	};
	return { context: context as unknown as IExecuteFunctions, harness };
}

export function createLoadOptionsContext(options: HarnessOptions): { context: ILoadOptionsFunctions; harness: Harness } {
	const harness: Harness = { logs: [], requests: [], credentialReads: 0 };
	const context = {
		...baseContext(options, harness),
		getCurrentNodeParameter: (name: string, parameterOptions?: { extractValue?: boolean }) =>
			readParameter(options.parameters, name, undefined, parameterOptions),
		getNodeParameter: (name: string, fallback?: unknown, parameterOptions?: { extractValue?: boolean }) =>
			readParameter(options.parameters, name, fallback, parameterOptions),
	};
	return { context: context as unknown as ILoadOptionsFunctions, harness };
}

export interface PollHarnessOptions extends HarnessOptions {
	/** `manual` is the editor's "Fetch Test Event"; an active workflow polls in `trigger` mode. */
	mode?: WorkflowExecuteMode;
}

/** Builds a poll context as n8n gives a polling trigger: parameters without an item index, mode and static data. */
export function createPollContext(options: PollHarnessOptions): { context: IPollFunctions; harness: Harness } {
	const harness: Harness = { logs: [], requests: [], credentialReads: 0 };
	const context = {
		...baseContext(options, harness),
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => 'activate',
		getNodeParameter: (name: string, fallback?: unknown, parameterOptions?: { extractValue?: boolean }) => {
			const value = readParameter(options.parameters, name, fallback, parameterOptions);
			if (value === undefined) throw new Error(`The test did not set parameter '${name}'`);
			return value;
		},
	};
	return { context: context as unknown as IPollFunctions, harness };
}

export interface FakeResponse {
	statusCode?: number;
	contentType?: string;
	body?: unknown;
}

export interface WebhookRequest {
	/** `setup` is the trigger's GET webhook (Facebook verification, GET-style senders); `default` its POST one. */
	webhookName?: 'default' | 'setup';
	method?: string;
	body?: unknown;
	rawBody?: Buffer;
	headers?: Record<string, string>;
	query?: Record<string, unknown>;
}

export interface WebhookHarnessOptions {
	/** Decrypted credential data by credential type name, as `getCredentials` returns it. */
	credentials?: Record<string, Record<string, unknown>>;
	/**
	 * The node's workflow static data. Pass the same object to several calls to keep what the node
	 * remembers between deliveries, as an active workflow does. By default each context gets its own.
	 */
	staticData?: IDataObject;
}

export interface WebhookHarness {
	context: IWebhookFunctions;
	response: FakeResponse;
	logs: LogLine[];
	/** Requests the node sent through `httpRequestWithAuthentication`, as the node passed them (without the credential's additions). */
	requests: IHttpRequestOptions[];
}

export function createWebhookContext(parameters: Record<string, unknown>, requestData: WebhookRequest, options: WebhookHarnessOptions = {}): WebhookHarness {
	const logs: LogLine[] = [];
	const requests: IHttpRequestOptions[] = [];
	const response: FakeResponse = {};
	const staticData = options.staticData ?? {};
	const headers = Object.fromEntries(Object.entries(requestData.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]));

	const readCredentials = (name: string): Record<string, unknown> => {
		const data = options.credentials?.[name];
		if (data === undefined) throw new Error(`The node asked for credential type '${name}', which the test did not provide`);
		return data;
	};

	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		type(value: string) {
			response.contentType = value;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			return res;
		},
		end(body?: unknown) {
			response.body = body;
			return res;
		},
	};
	const context = {
		getNode: () => createNode('n8n-nodes-weeek.weeekLeadTrigger', parameters),
		logger: createLogger(logs),
		getWebhookName: () => requestData.webhookName ?? 'default',
		getNodeParameter: (name: string, fallback?: unknown) => readParameter(parameters, name, fallback),
		getCredentials: async (name: string) => ({ ...readCredentials(name) }) as IDataObject,
		getBodyData: () => (requestData.body ?? {}) as IDataObject,
		getQueryData: () => (requestData.query ?? {}) as IDataObject,
		getHeaderData: () => headers,
		getRequestObject: () => ({ method: requestData.method ?? 'POST', rawBody: requestData.rawBody, headers, query: requestData.query ?? {} }),
		getResponseObject: () => res,
		getWorkflowStaticData: () => staticData,
		helpers: {
			returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			httpRequestWithAuthentication: async function (name: string, requestOptions: IHttpRequestOptions, additional?: IAdditionalCredentialOptions) {
				requests.push(requestOptions);
				const data = additional?.credentialsDecrypted?.data ?? readCredentials(name);
				return await performHttpRequest(await applyAuthentication(credentialType(name), data, requestOptions), {});
			},
		},
	};
	return { context: context as unknown as IWebhookFunctions, response, logs, requests };
}
