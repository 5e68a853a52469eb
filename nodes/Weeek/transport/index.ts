/**
 * n8n side of the core's ports: WEEEK calls go through n8n's `httpRequestWithAuthentication`, so
 * n8n injects the token, applies its proxy settings and keeps the token out of this package.
 */
import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { HttpPort, LoggerPort } from '../../../shared/ports';
import { DEFAULT_BASE_URL, NO_RETRY, WeeekClient } from '../../../shared/weeek/client';
import { createDryRunHttpPort, type DryRunRequest } from '../../../shared/weeek/dryRun';
import { DEFAULT_REQUESTS_PER_SECOND, sharedRateLimiter } from '../../../shared/weeek/rateLimiter';

export type WeeekContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions | IWebhookFunctions;

export const CREDENTIAL_NAME = 'weeekApi';

export async function createWeeekClient(context: WeeekContext): Promise<WeeekClient> {
	const credentials = await context.getCredentials(CREDENTIAL_NAME);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
	const requestsPerSecond = Number(credentials.requestsPerSecond) || DEFAULT_REQUESTS_PER_SECOND;

	// The limiter is keyed by a hash so the token itself is never kept in module state.
	const limiterKey = createHash('sha256')
		.update(`${baseUrl}\n${String(credentials.apiToken)}`)
		.digest('hex')
		.slice(0, 24);

	return new WeeekClient({
		baseUrl,
		http: createHttpPort(context, decryptedCredential(context, credentials)),
		sleep,
		clock: Date.now,
		logger: createLoggerPort(context),
		limiter: sharedRateLimiter(limiterKey, requestsPerSecond, Date.now, sleep),
	});
}

/**
 * Wraps the credential that `createWeeekClient` read, so n8n does not read it again for every
 * request (a database query and a decryption). n8n still adds the token to each request.
 */
function decryptedCredential(context: WeeekContext, data: ICredentialDataDecryptedObject): ICredentialsDecrypted {
	const reference = context.getNode().credentials?.[CREDENTIAL_NAME];
	return { id: reference?.id ?? '', name: reference?.name ?? CREDENTIAL_NAME, type: CREDENTIAL_NAME, data };
}

function createHttpPort(context: WeeekContext, credentialsDecrypted: ICredentialsDecrypted): HttpPort {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: { Accept: 'application/json' },
			json: true,
			timeout: request.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		if (request.body !== undefined) options.body = request.body as IHttpRequestOptions['body'];

		const response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_NAME, options, { credentialsDecrypted })) as {
			statusCode: number;
			headers: Record<string, string | string[] | undefined>;
			body: unknown;
		};
		return { statusCode: response.statusCode, headers: response.headers ?? {}, body: parseBody(response.body) };
	};
}

/** n8n returns a JSON body as text when the server sent no JSON content type. */
function parseBody(body: unknown): unknown {
	if (typeof body !== 'string' || body.trim() === '') return body === '' ? undefined : body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

function createLoggerPort(context: WeeekContext): LoggerPort {
	const logger = context.logger;
	return {
		debug: (message, meta) => logger.debug(message, meta),
		info: (message, meta) => logger.info(message, meta),
		warn: (message, meta) => logger.warn(message, meta),
	};
}

/** A client that records requests into `recorded` and sends nothing, for the Dry Run option. */
export function createDryRunClient(recorded: DryRunRequest[]): WeeekClient {
	return new WeeekClient({
		baseUrl: DEFAULT_BASE_URL,
		http: createDryRunHttpPort(DEFAULT_BASE_URL, recorded),
		sleep,
		clock: Date.now,
		retry: NO_RETRY,
	});
}
