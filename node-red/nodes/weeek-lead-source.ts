/**
 * `weeek-lead-source`: one lead source (Tilda, PlatformaLP, a generic webhook, VK lead forms,
 * Facebook Lead Ads or myTarget lead forms) with the secrets its requests are checked with and the
 * tokens its API is read with. The secrets are Node-RED credentials, so they stay out of the flow
 * file, exported flows, messages, logs and node status.
 */
import { ConfigurationError } from '../../shared/errors';
import type { GenericOptions } from '../../shared/leads/generic';
import type { LeadWebhookSettings } from '../../shared/leads/webhook';
import {
	DEFAULT_GRAPH_BASE_URL,
	DEFAULT_MYTARGET_BASE_URL,
	LEAD_SOURCE_KINDS,
	LEAD_SOURCE_TYPE,
	normalizeServiceUrl,
	readCredential,
	requireCredential,
	SOURCE_CREDENTIALS,
	type FieldOptions,
	type SourceCredential,
	type LeadSourceKind,
	type LeadSourceNode,
	type SecretLocation,
} from './lib/leadSource';
import type { NodeAPI, NodeDefinition, NodeInstance } from './lib/nodeRed';

const SECRET_LOCATIONS: readonly SecretLocation[] = ['none', 'urlToken', 'apiKey'];

export default function register(RED: NodeAPI): void {
	function WeeekLeadSource(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this as LeadSourceNode;

		node.name = typeof definition.name === 'string' ? definition.name : '';
		node.kind = LEAD_SOURCE_KINDS.includes(definition.kind as LeadSourceKind) ? (definition.kind as LeadSourceKind) : 'tilda';
		node.secretLocation = SECRET_LOCATIONS.includes(definition.secretLocation as SecretLocation) ? (definition.secretLocation as SecretLocation) : 'none';

		node.webhookSettings = (fields: FieldOptions = {}) => webhookSettings(node, fields);
		node.facebookGraph = () => ({
			baseUrl: normalizeServiceUrl(definition.graphBaseUrl, DEFAULT_GRAPH_BASE_URL, 'Graph API base URL'),
			accessToken: requireCredential(node, 'fbAccessToken'),
		});
		node.secretValues = () => secretValues(node);
		node.myTargetApi = () => ({
			baseUrl: normalizeServiceUrl(definition.mytargetBaseUrl, DEFAULT_MYTARGET_BASE_URL, 'myTarget base URL'),
			accessToken: requireCredential(node, 'mytargetToken'),
		});
	}

	const credentials = Object.fromEntries(
		Object.keys(SOURCE_CREDENTIALS).map((name) => [name, { type: name === 'vkConfirmation' ? 'text' : 'password' }]),
	);
	RED.nodes.registerType(LEAD_SOURCE_TYPE, WeeekLeadSource, { credentials });
}

function secretValues(node: LeadSourceNode): string[] {
	const values: string[] = [];
	for (const name of Object.keys(SOURCE_CREDENTIALS) as SourceCredential[]) {
		if (name === 'vkConfirmation') continue;
		try {
			const value = readCredential(node, name);
			if (value !== undefined) values.push(value);
		} catch {
			// An unset ${NAME} has no value to hide, and its setup error is reported where the secret is used.
		}
	}
	return values;
}

function webhookSettings(node: LeadSourceNode, fields: FieldOptions): LeadWebhookSettings {
	switch (node.kind) {
		case 'tilda': {
			if (node.secretLocation === 'none') return { source: 'tilda', tilda: {} };
			const secret = requireCredential(node, 'secret');
			return { source: 'tilda', tilda: node.secretLocation === 'apiKey' ? { apiKey: secret } : { urlToken: secret } };
		}

		case 'generic':
		case 'platformalp': {
			const options: GenericOptions = { ...fields };
			if (node.secretLocation !== 'none') {
				const value = requireCredential(node, 'secret');
				// An API key is looked for in the X-Webhook-Secret and Authorization headers and the token or secret query parameter.
				options.secret = node.secretLocation === 'apiKey' ? { value } : { value, query: 'token' };
			}
			return node.kind === 'generic' ? { source: 'generic', generic: options } : { source: 'platformalp', platformalp: options };
		}

		case 'vk':
			return { source: 'vk', vk: { confirmationCode: readCredential(node, 'vkConfirmation'), secret: readCredential(node, 'vkSecret') } };

		case 'facebook':
			return { source: 'facebook', facebook: { appSecret: readCredential(node, 'fbAppSecret'), verifyToken: readCredential(node, 'fbVerifyToken') } };

		default:
			throw new ConfigurationError('notPushSource', 'myTarget lead forms are not sent to a webhook: read them with the WEEEK Lead Poll node');
	}
}
