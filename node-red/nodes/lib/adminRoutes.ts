/**
 * Admin routes behind the edit dialogs: funnel, status, deal custom field, member and tag lists
 * for the dropdowns and the "Test token" button. They must work before the config node is deployed, so the dialog may send
 * the token it has. All routes are POST with a JSON body, so no token ends up in a URL or an access
 * log.
 *
 * Body: `{configId, token?, baseUrl?}` (+ `funnelId` for statuses and custom fields). The token is taken from, in order:
 * the typed token (not blank, not the editor's `__PWRD__` placeholder, a whole `${NAME}` read from
 * the environment), the deployed config node, the stored credentials of the config node. Without
 * any of them the response is 409, asking to deploy the config node or enter the token.
 *
 * Resolving a `${NAME}` reference (token or base URL) also needs `weeek-config.write`, see `route`.
 *
 * Errors come back as `{error: <code>, message, params}` with an HTTP status that matches
 * (401 for a token WEEEK rejects, 404 for an unknown funnel). No response contains the token.
 */
import { ConfigurationError, WeeekError } from '../../../shared/errors';
import type { RetryPolicy, WeeekClient } from '../../../shared/weeek/client';
import { DEFAULT_REQUESTS_PER_SECOND } from '../../../shared/weeek/rateLimiter';
import { checkToken, createClient, envReferenceName, normalizeBaseUrl, normalizeRate } from './client';
import { SHARED_NS, translateError, type TranslatedError } from './i18n';
import type { AdminHandler, AdminResponse, NodeAPI } from './nodeRed';
import { CONFIG_TYPE, isWeeekConfigNode } from './weeekNode';

/** Placeholder the editor puts into a password field whose stored value it does not know. */
const PASSWORD_PLACEHOLDER = '__PWRD__';

/** A dialog waits for these calls, so they give up sooner than flow messages do. */
const ROUTE_RETRY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2_000, budgetMs: 5_000 };
const ROUTE_TIMEOUT_MS = 10_000;

interface RouteBody {
	configId?: string;
	token?: string;
	baseUrl?: string;
	funnelId?: string;
}

const HTTP_STATUS_BY_CODE: Record<string, number> = {
	unauthorized: 401,
	forbidden: 403,
	notFound: 404,
	validation: 422,
	rateLimited: 429,
	timeout: 504,
	server: 502,
	network: 502,
	invalidResponse: 502,
	unexpectedStatus: 502,
	noToken: 409,
	missingToken: 409,
	tokenEnvNotSet: 409,
	baseUrlNotDeployed: 409,
	invalidBody: 400,
	invalidBaseUrl: 400,
	missingFunnelId: 400,
};

export function registerAdminRoutes(RED: NodeAPI): void {
	const permission = RED.auth.needsPermission(`${CONFIG_TYPE}.read`);

	RED.httpAdmin.post(
		'/weeek/funnels',
		permission,
		route(RED, async (_body, client) => {
			const funnels = await client.listFunnels();
			return { items: funnels.map((funnel) => ({ id: funnel.id, name: funnel.name })) };
		}),
	);

	RED.httpAdmin.post(
		'/weeek/statuses',
		permission,
		route(RED, async (body, client) => {
			// Quirk: statuses have no position field, so WEEEK's array order is the board order and is kept.
			const statuses = await client.listStatuses(body.funnelId as string);
			return { items: statuses.map((status) => ({ id: status.id, name: status.name })) };
		}, { requireFunnel: true }),
	);

	RED.httpAdmin.post(
		'/weeek/custom-fields',
		permission,
		route(RED, async (body, client) => {
			// Deal custom fields are defined per funnel and come with the funnel itself.
			const funnel = await client.getFunnel(body.funnelId as string);
			const fields = (funnel.customFields ?? []).map((field) => ({ id: field.id, name: field.name ?? field.id, type: field.type }));
			return { items: fields.sort((a, b) => a.name.localeCompare(b.name)) };
		}, { requireFunnel: true }),
	);

	RED.httpAdmin.post(
		'/weeek/members',
		permission,
		route(RED, async (_body, client) => {
			const members = await client.listMembers();
			return { items: members.map((member) => ({ id: member.id, name: memberName(member) })).sort((a, b) => a.name.localeCompare(b.name)) };
		}),
	);

	RED.httpAdmin.post(
		'/weeek/tags',
		permission,
		route(RED, async (_body, client) => {
			// Tag ids are integers in WEEEK; the dropdowns compare ids as text, as every other list does.
			const tags = await client.listTags();
			return { items: tags.map((tag) => ({ id: String(tag.id), name: tag.title ?? String(tag.id) })).sort((a, b) => a.name.localeCompare(b.name)) };
		}),
	);

	RED.httpAdmin.post(
		'/weeek/check',
		permission,
		route(RED, async (_body, client) => {
			const user = await client.getCurrentUser();
			return { ok: true, user: { firstName: user.firstName ?? null, lastName: user.lastName ?? null, email: user.email ?? null } };
		}),
	);
}

function route(
	RED: NodeAPI,
	action: (body: RouteBody, client: WeeekClient) => Promise<unknown>,
	options: { requireFunnel?: boolean } = {},
): AdminHandler {
	const writePermission = RED.auth.needsPermission(`${CONFIG_TYPE}.write`);

	return (request, response, next) => {
		let body: RouteBody;
		try {
			body = readBody(request.body);
		} catch (error) {
			sendError(RED, response, error);
			return;
		}

		const work = async (): Promise<unknown> => {
			if (options.requireFunnel && (body.funnelId === undefined || body.funnelId.trim() === '')) {
				throw new ConfigurationError('missingFunnelId', 'No funnel was given: pick a funnel first, then its statuses load', {});
			}
			return action(body, resolveClient(RED, body));
		};
		const run = (): void => {
			work().then(
				(result) => response.status(200).json(result),
				(error: unknown) => sendError(RED, response, error),
			);
		};

		// A `${NAME}` reference makes this process read its environment and send the value to the
		// requested base URL. Reading permission alone must not allow that, because a read-only editor
		// user could otherwise send any variable to a server of their choice. Deploying a flow could
		// read it anyway, so write permission is the bar.
		if (readsEnvironment(body)) {
			writePermission(request, response, (error?: unknown) => {
				if (error !== undefined) next(error);
				else run();
			});
		} else {
			run();
		}
	};
}

/** Returns a member's full name, or the e-mail when WEEEK has no name, so every dropdown entry reads as a person. */
function memberName(member: { id: string; firstName?: string | null; lastName?: string | null; email?: string | null }): string {
	const name = [member.firstName, member.lastName].filter((part) => typeof part === 'string' && part.trim() !== '').join(' ');
	return name !== '' ? name : (member.email ?? member.id);
}

function readsEnvironment(body: RouteBody): boolean {
	return [body.token, body.baseUrl].some((value) => value !== undefined && envReferenceName(value) !== undefined);
}

function sendError(RED: NodeAPI, response: AdminResponse, error: unknown): void {
	const translated: TranslatedError = translateError(RED, error);
	const known = error instanceof WeeekError || error instanceof ConfigurationError;
	if (!known) RED.log.warn(RED._(`${SHARED_NS}weeek-config.warn.adminRouteFailed`, { error: translated.message }));

	let status = HTTP_STATUS_BY_CODE[translated.code];
	if (status === undefined && error instanceof WeeekError) status = 502;
	if (status === undefined) status = known ? 400 : 500;
	response.status(status).json({ error: translated.code, message: translated.message, params: translated.params });
}

function readBody(value: unknown): RouteBody {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new ConfigurationError('invalidBody', 'The request body must be a JSON object such as {"configId": "..."}', {});
	}

	const record = value as Record<string, unknown>;
	const body: RouteBody = {};
	for (const key of ['configId', 'token', 'baseUrl', 'funnelId'] as const) {
		const field = record[key];
		if (field === undefined || field === null) continue;
		if (typeof field !== 'string') {
			throw new ConfigurationError('invalidBody', `The field '${key}' of the request body must be a string`, { field: key });
		}
		body[key] = field;
	}
	return body;
}

function resolveClient(RED: NodeAPI, body: RouteBody): WeeekClient {
	// The dialog sends the raw field, so a whole `${NAME}` base URL is resolved here as Node-RED does on deploy.
	const requestedBaseUrl = body.baseUrl === undefined ? undefined : substituteEnv(RED, body.baseUrl);

	const typed = typedToken(RED, body.token);
	if (typed !== undefined) {
		return routeClient(normalizeBaseUrl(requestedBaseUrl), typed, DEFAULT_REQUESTS_PER_SECOND);
	}

	const configId = body.configId ?? '';
	const deployed = configId === '' ? null : RED.nodes.getNode(configId);
	if (isWeeekConfigNode(deployed)) {
		requireSameBaseUrl(requestedBaseUrl, deployed.baseUrl);
		return routeClient(deployed.baseUrl, deployed.getToken(), deployed.requestsPerSecond);
	}

	const stored = configId === '' ? undefined : RED.nodes.getCredentials(configId)?.token;
	if (stored !== undefined && stored.trim() !== '') {
		const saved = savedConfig(RED, configId);
		requireSameBaseUrl(requestedBaseUrl, saved.baseUrl);
		return routeClient(saved.baseUrl, checkToken(substituteEnv(RED, stored)), saved.requestsPerSecond);
	}

	throw new ConfigurationError(
		'noToken',
		'No API token to ask WEEEK with: deploy the WEEEK config node, or enter the token in it',
		{},
	);
}

function routeClient(baseUrl: string, token: string, requestsPerSecond: number): WeeekClient {
	return createClient({ baseUrl, token, requestsPerSecond, retry: ROUTE_RETRY, timeoutMs: ROUTE_TIMEOUT_MS });
}

/** Returns the token typed in the dialog, or undefined when the field is blank or shows the placeholder. */
function typedToken(RED: NodeAPI, value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	const token = value.trim();
	if (token === '' || token === PASSWORD_PLACEHOLDER) return undefined;
	return checkToken(substituteEnv(RED, token));
}

/** Resolves a whole `${NAME}` the way Node-RED does for deployed nodes; other text is kept. */
function substituteEnv(RED: NodeAPI, value: string): string {
	const name = envReferenceName(value);
	if (name === undefined) return value;
	return RED.util.getSetting(null, name) ?? value;
}

/**
 * Rejects a base URL other than the saved one when the token comes from storage. A stored token is
 * only sent to the base URL saved with it, so a dialog cannot redirect it to another server.
 */
function requireSameBaseUrl(requested: string | undefined, saved: string): void {
	if (requested === undefined || requested.trim() === '') return;
	if (normalizeBaseUrl(requested) === saved) return;
	throw new ConfigurationError(
		'baseUrlNotDeployed',
		'The base URL differs from the deployed one, and the saved token is only sent to the saved base URL: deploy the config node first, or enter the token again',
		{},
	);
}

/** Base URL and rate of a config node that has stored credentials but no running instance. */
function savedConfig(RED: NodeAPI, configId: string): { baseUrl: string; requestsPerSecond: number } {
	let baseUrl: unknown;
	let rate: unknown;
	RED.nodes.eachNode((definition) => {
		if (definition.id === configId && definition.type === CONFIG_TYPE) {
			baseUrl = definition.baseUrl;
			rate = definition.requestsPerSecond;
		}
	});
	const resolved = typeof baseUrl === 'string' ? substituteEnv(RED, baseUrl) : baseUrl;
	return { baseUrl: normalizeBaseUrl(resolved), requestsPerSecond: normalizeRate(rate) };
}
