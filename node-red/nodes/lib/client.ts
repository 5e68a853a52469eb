/**
 * Builds `WeeekClient`s for the Node-RED host: undici for HTTP, `setTimeout` for sleeping, one
 * rate limiter per base URL and token shared by every client in the process. Dry runs get a client
 * that records its requests and sends nothing.
 */
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';

import { ConfigurationError } from '../../../shared/errors';
import type { LoggerPort } from '../../../shared/ports';
import { DEFAULT_BASE_URL, NO_RETRY, WeeekClient, type RetryPolicy } from '../../../shared/weeek/client';
import { createDryRunHttpPort, type DryRunRequest } from '../../../shared/weeek/dryRun';
import { DEFAULT_REQUESTS_PER_SECOND, sharedRateLimiter } from '../../../shared/weeek/rateLimiter';
import { createUndiciHttpPort } from './http';

export interface ClientOptions {
	baseUrl: string;
	token: string;
	requestsPerSecond: number;
	logger?: LoggerPort;
	retry?: RetryPolicy;
	timeoutMs?: number;
	dispatcher?: Dispatcher;
}

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

export function createClient(options: ClientOptions): WeeekClient {
	return new WeeekClient({
		baseUrl: options.baseUrl,
		http: createUndiciHttpPort({ token: options.token, dispatcher: options.dispatcher }),
		sleep,
		clock: Date.now,
		logger: options.logger,
		retry: options.retry,
		timeoutMs: options.timeoutMs,
		limiter: sharedRateLimiter(limiterKey(options.baseUrl, options.token), options.requestsPerSecond, Date.now, sleep),
	});
}

/** Returns a client that appends each request to `recorded` instead of sending it, and needs no token. */
export function createDryRunClient(recorded: DryRunRequest[]): WeeekClient {
	return new WeeekClient({
		baseUrl: DEFAULT_BASE_URL,
		http: createDryRunHttpPort(DEFAULT_BASE_URL, recorded),
		sleep,
		clock: Date.now,
		retry: NO_RETRY,
	});
}

/** Key of the shared rate limiter: a hash, so the token itself is never kept in module state. */
export function limiterKey(baseUrl: string, token: string): string {
	return createHash('sha256').update(`${baseUrl}\n${token}`).digest('hex').slice(0, 24);
}

/** Trims the base URL and drops trailing slashes; blank means WEEEK's public API. */
export function normalizeBaseUrl(value: unknown): string {
	const text = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
	if (text === '') return DEFAULT_BASE_URL;

	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw invalidBaseUrl(text);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidBaseUrl(text);
	return text;
}

function invalidBaseUrl(value: string): ConfigurationError {
	return new ConfigurationError(
		'invalidBaseUrl',
		`The base URL '${value}' is not an http or https URL: leave it empty for WEEEK (${DEFAULT_BASE_URL}) or enter a full URL ending in /public/v1`,
		{ value },
	);
}

/** Requests per second from the config dialog; anything that is not a positive number means the default. */
export function normalizeRate(value: unknown): number {
	const rate = Number(value);
	return Number.isFinite(rate) && rate > 0 ? rate : DEFAULT_REQUESTS_PER_SECOND;
}

const WHOLE_ENV_REFERENCE = /^\$\{(\S+)\}$|^\$\((\S+)\)$/;

/** Name of the environment variable when `value` is a whole `${NAME}` (or legacy `$(NAME)`) reference. */
export function envReferenceName(value: string): string | undefined {
	const match = WHOLE_ENV_REFERENCE.exec(value.trim());
	return match === null ? undefined : (match[1] ?? match[2]);
}

/**
 * Checks a token after Node-RED's environment substitution: a whole `${NAME}` left unchanged means
 * the variable is not set. Returns the trimmed token.
 */
export function checkToken(value: string | undefined): string {
	const token = (value ?? '').trim();
	if (token === '') {
		throw new ConfigurationError(
			'missingToken',
			'The WEEEK config node has no API token: create one in WEEEK under Workspace settings → API and enter it in the config node',
		);
	}

	const name = envReferenceName(token);
	if (name !== undefined) {
		throw new ConfigurationError(
			'tokenEnvNotSet',
			`The API token refers to the environment variable ${name}, which is not set: set it for the Node-RED process or enter the token itself`,
			{ name },
		);
	}
	return token;
}
