/**
 * Message catalogue helpers. Texts every node shares (errors, status) live in the catalogue of the
 * `weeek-config` node set and are reached through its full namespace.
 */
import { ConfigurationError, LeadInputError, WeeekError, type ErrorParams } from '../../../shared/errors';
import type { NodeAPI } from './nodeRed';
import { LeadSourceError } from './sourceErrors';

export const PACKAGE_NAME = '@weeek-leads/node-red-weeek';

/** Namespace prefix of the shared catalogue, e.g. `@weeek-leads/node-red-weeek/weeek-config:errors.timeout`. */
export const SHARED_NS = `${PACKAGE_NAME}/weeek-config:`;

/**
 * Translates `key` with `params`, or returns `fallback` when the catalogue has no such key.
 * i18next returns the key itself for a missing key, and the test helper's `RED._` always does.
 */
export function translate(RED: NodeAPI, key: string, params: Record<string, unknown>, fallback: string): string {
	const text = RED._(key, params);
	const bareKey = key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
	if (typeof text !== 'string' || text === '' || text === key || text === bareKey) return fallback;
	return text;
}

/** A core error with its message in the runtime's language; `code` and `params` stay for Catch flows. */
export class TranslatedError extends Error {
	readonly code: string;
	readonly params: ErrorParams;
	readonly httpStatus?: number;

	constructor(name: string, message: string, code: string, params: ErrorParams, httpStatus?: number) {
		super(message);
		this.name = name;
		this.code = code;
		this.params = params;
		if (httpStatus !== undefined) this.httpStatus = httpStatus;
	}

	/**
	 * Returns the message alone. Node-RED puts `toString()` into a Catch node's `msg.error.message`,
	 * where the class name ("WeeekError: …") would only be noise in the reason users read and store.
	 */
	override toString(): string {
		return this.message;
	}
}

type CoreError = WeeekError | LeadInputError | ConfigurationError | LeadSourceError;

/** Whether the error has a catalogue code: the core's typed errors and the lead sources' API errors. */
export function isCoreError(error: unknown): error is CoreError {
	return error instanceof WeeekError || error instanceof LeadInputError || error instanceof ConfigurationError || error instanceof LeadSourceError;
}

/**
 * Turns any error into one whose message comes from the catalogue key `errors.<code>`.
 * Errors without a code keep their message, which the core guarantees to be free of secrets.
 */
export function translateError(RED: NodeAPI, error: unknown): TranslatedError {
	if (error instanceof TranslatedError) return error;

	if (isCoreError(error)) {
		const params = localizedParams(RED, error.params);
		const key = catalogueKey(error);
		const message = translate(RED, `${SHARED_NS}errors.${key}`, params, error.message);
		const httpStatus = error instanceof WeeekError ? error.httpStatus : undefined;
		return new TranslatedError(error.name, message, error.code, error.params, httpStatus);
	}

	const message = error instanceof Error ? error.message : String(error);
	return new TranslatedError('Error', message, 'unexpected', {});
}

/** Picks the catalogue entry whose advice fits the failure: a read that failed wrote nothing, a refused connection reached nothing. */
function catalogueKey(error: CoreError): string {
	// Quirk: a 404 for an unknown route means a wrong base URL, which needs its own advice.
	if (error.code === 'notFound' && error.params.kind === 'route') return 'routeNotFound';
	if (!(error instanceof WeeekError)) return error.code;

	const written = error.mayHaveApplied ? '' : 'Read';
	if (error.code === 'server' || error.code === 'timeout') return `${error.code}${written}`;
	if (error.code === 'network' && error.params.connection === 'lost') return `connectionLost${written}`;
	return error.code;
}

/**
 * Record kinds ('funnel', 'status', ...) and node property names ('contactId', ...) are words in
 * the message, so they are translated too.
 */
function localizedParams(RED: NodeAPI, params: ErrorParams): Record<string, unknown> {
	const result: Record<string, unknown> = { ...params };
	if (typeof params.kind === 'string' && params.kind !== '') {
		result.kind = translate(RED, `${SHARED_NS}kinds.${params.kind}`, {}, params.kind);
	}
	if (typeof params.property === 'string' && params.property !== '') {
		result.property = translate(RED, `${SHARED_NS}properties.${params.property}`, {}, params.property);
	}
	return result;
}

/** Short status texts by error code; any other code falls back to its class's text. */
const STATUS_BY_CODE: Record<string, string> = {
	unauthorized: 'unauthorized',
	forbidden: 'forbidden',
	notFound: 'notFound',
	validation: 'validation',
	rateLimited: 'rateLimited',
	server: 'server',
	network: 'network',
	timeout: 'timeout',
	invalidResponse: 'server',
	unexpectedStatus: 'server',
};

/** Catalogue key for the red status text of a failure, translated by the editor. */
export function failureStatusKey(error: TranslatedError): string {
	const known = STATUS_BY_CODE[error.code];
	if (known !== undefined) return `${SHARED_NS}status.failed.${known}`;
	if (error.name === 'LeadInputError') return `${SHARED_NS}status.failed.lead`;
	if (error.name === 'ConfigurationError') return `${SHARED_NS}status.failed.setup`;
	if (error.name === 'LeadSourceError') return `${SHARED_NS}status.failed.source`;
	return `${SHARED_NS}status.failed.other`;
}
