/**
 * The runtime side of `weeek-lead-source` config nodes as the lead nodes see them: which source a
 * config describes, and its secrets turned into the settings the core expects.
 *
 * Secrets live in Node-RED credentials only. Node-RED replaces a whole `${NAME}` credential with the
 * environment variable when the node starts, so a value still shaped like `${NAME}` means the
 * variable is not set. That is reported by the variable's name, never by a value.
 */
import { ConfigurationError } from '../../../shared/errors';
import type { GenericOptions } from '../../../shared/leads/generic';
import type { LeadWebhookSettings, PushSource } from '../../../shared/leads/webhook';
import { envReferenceName } from './client';
import type { NodeAPI, NodeInstance } from './nodeRed';

export const LEAD_SOURCE_TYPE = 'weeek-lead-source';

export type LeadSourceKind = PushSource | 'mytarget';

export const LEAD_SOURCE_KINDS: readonly LeadSourceKind[] = ['tilda', 'platformalp', 'generic', 'vk', 'facebook', 'mytarget'];

/** Location of the shared secret in Tilda, PlatformaLP and generic requests. */
export type SecretLocation = 'none' | 'urlToken' | 'apiKey';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com/v21.0';
export const DEFAULT_MYTARGET_BASE_URL = 'https://target.my.com';

/** Credential names of the config node, with the words used for them in setup errors. */
export const SOURCE_CREDENTIALS = {
	secret: 'shared secret',
	vkConfirmation: 'VK confirmation string',
	vkSecret: 'VK secret key',
	fbAppSecret: 'Facebook app secret',
	fbVerifyToken: 'Facebook verify token',
	fbAccessToken: 'Facebook page access token',
	mytargetToken: 'myTarget access token',
} as const;

export type SourceCredential = keyof typeof SOURCE_CREDENTIALS;

/** Field options the receiving node adds for generic and PlatformaLP senders. */
export type FieldOptions = Pick<GenericOptions, 'idPath' | 'values'>;

export interface LeadSourceNode extends NodeInstance {
	kind: LeadSourceKind;
	secretLocation: SecretLocation;
	/** Settings for `receiveLeadWebhook`; throws a setup error for a missing or unresolved secret. */
	webhookSettings(fields?: FieldOptions): LeadWebhookSettings;
	/** Graph API base URL and page access token; throws a setup error when either is unusable. */
	facebookGraph(): { baseUrl: string; accessToken: string };
	/** myTarget API base URL and access token; throws a setup error when either is unusable. */
	myTargetApi(): { baseUrl: string; accessToken: string };
	/** Every secret value that is set (the VK confirmation string excepted, because VK receives it), for `withoutSecrets`. */
	secretValues(): string[];
}

export function isLeadSourceNode(value: unknown): value is LeadSourceNode {
	return (
		value !== null &&
		typeof value === 'object' &&
		(value as { type?: unknown }).type === LEAD_SOURCE_TYPE &&
		typeof (value as { webhookSettings?: unknown }).webhookSettings === 'function'
	);
}

/** Returns the deployed lead source chosen in a node, or throws a setup error naming what is wrong. */
export function findLeadSourceNode(RED: NodeAPI, sourceId: unknown, allowed: readonly LeadSourceKind[]): LeadSourceNode {
	const node = typeof sourceId === 'string' && sourceId !== '' ? RED.nodes.getNode(sourceId) : null;
	if (!isLeadSourceNode(node)) {
		throw new ConfigurationError(
			'missingLeadSource',
			'The node has no lead source, or the lead source is not deployed: pick a lead source in the node and deploy',
		);
	}
	if (!allowed.includes(node.kind)) {
		throw new ConfigurationError(
			'wrongLeadSourceKind',
			`The lead source '${node.name || node.id}' is set up for ${node.kind}, but this node takes ${allowed.join(', ')}: pick a matching lead source`,
			{ name: node.name || node.id, kind: node.kind, expected: allowed.join(', ') },
		);
	}
	return node;
}

/** Reads one credential after Node-RED's environment substitution; blank means not set. */
export function readCredential(node: NodeInstance, name: SourceCredential): string | undefined {
	const value = (node.credentials?.[name] ?? '').trim();
	if (value === '') return undefined;

	const variable = envReferenceName(value);
	if (variable !== undefined) {
		throw new ConfigurationError(
			'secretEnvNotSet',
			`The ${SOURCE_CREDENTIALS[name]} refers to the environment variable ${variable}, which is not set: set it for the Node-RED process, or enter the value itself`,
			{ field: SOURCE_CREDENTIALS[name], name: variable },
		);
	}
	return value;
}

/** Like `readCredential`, but a missing value is a setup error. */
export function requireCredential(node: NodeInstance, name: SourceCredential): string {
	const value = readCredential(node, name);
	if (value === undefined) {
		throw new ConfigurationError('missingSecret', `The lead source has no ${SOURCE_CREDENTIALS[name]}: enter it in the lead source config node`, {
			field: SOURCE_CREDENTIALS[name],
		});
	}
	return value;
}

/** Trims a base URL and drops trailing slashes; blank means `fallback`. Only http and https are accepted. */
export function normalizeServiceUrl(value: unknown, fallback: string, field: string): string {
	const text = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
	if (text === '') return fallback;

	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
		throw new ConfigurationError('invalidSourceUrl', `The ${field} '${text}' is not an http or https URL: leave it empty for ${fallback}, or enter a full URL`, {
			field,
			value: text,
			fallback,
		});
	}
	return text;
}

/**
 * Returns the lead without any answer whose value is one of `secrets`, and with such fields removed
 * from `raw.body`, so a secret a sender put into the fields never leaves the node.
 *
 * NOTE: the core keeps the Tilda `?token=` of a GET delivery as an answer and in `raw.body`, because
 * a GET's query string is its body; this removes it until the core drops the token itself.
 */
export function withoutSecrets<T extends { answers?: Array<{ value: string | string[] }>; raw?: { body?: unknown } }>(lead: T, secrets: readonly string[]): T {
	if (secrets.length === 0) return lead;
	const isSecret = (value: unknown): boolean => typeof value === 'string' && secrets.includes(value.trim());
	const holdsSecret = (value: unknown): boolean => isSecret(value) || (Array.isArray(value) && value.some(isSecret));

	const copy = { ...lead };
	if (Array.isArray(lead.answers)) copy.answers = lead.answers.filter((answer) => !holdsSecret(answer.value));
	if (lead.raw !== undefined) copy.raw = { ...lead.raw, body: withoutSecretFields(lead.raw.body, holdsSecret) };
	return copy;
}

function withoutSecretFields(value: unknown, holdsSecret: (value: unknown) => boolean): unknown {
	if (Array.isArray(value)) return value.filter((item) => !holdsSecret(item)).map((item) => withoutSecretFields(item, holdsSecret));
	if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;

	const result: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) {
		if (!holdsSecret(item)) result[key] = withoutSecretFields(item, holdsSecret);
	}
	return result;
}
