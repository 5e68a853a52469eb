/**
 * `weeek-lead`: turns a lead source's webhook delivery (after `http in`) into a normalized lead in
 * `msg.payload`. Sources: Tilda, PlatformaLP, a generic sender, VK lead forms (Callback API) and
 * Facebook leads already fetched from the Graph API. Secrets come from an optional
 * `weeek-lead-source` config node.
 *
 * Sources give little time: Tilda waits 5 s, and VK resends on anything but an exact `ok`. So by
 * default the node replies to the webhook itself before anything calls WEEEK. It then removes
 * `msg.res`, so no other node replies a second time. Handshakes (Tilda's `test=test` ping, VK's
 * confirmation request with its exact confirmation string, Facebook's verification GET) are
 * answered and go no further. The lead source's secrets are masked in `msg.req`, in the original
 * body kept in `msg.weeekRaw`, and in `msg.payload` of a refused request.
 *
 * A Facebook webhook notification carries only lead ids and is signed over the exact request bytes,
 * which `http in` does not keep, so Facebook webhooks belong on `weeek-lead-in`.
 */
import { ConfigurationError, LeadInputError } from '../../shared/errors';
import { normalizeLead } from '../../shared/leads';
import { isBytes, isRecord } from '../../shared/leads/common';
import { readDeliveryBody } from '../../shared/leads/body';
import type { LeadDelivery } from '../../shared/leads/types';
import { PUSH_SOURCES, receiveLeadWebhook, type LeadWebhookSettings, type PushSource, type WebhookOutcome, type WebhookReply } from '../../shared/leads/webhook';
import { FieldMapper } from './lib/fieldMapping';
import { decodeLegacyFormText, parsedBodyTooLarge } from './lib/httpInBody';
import { failureStatusKey, translateError } from './lib/i18n';
import { findLeadSourceNode, isLeadSourceNode, withoutSecrets, type FieldOptions } from './lib/leadSource';
import { maskRequestSecrets, maskSecrets } from './lib/maskSecrets';
import type { ExpressResponse, NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './lib/nodeRed';

export default function register(RED: NodeAPI): void {
	function WeeekLead(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;

		const source: PushSource = PUSH_SOURCES.includes(definition.source as PushSource) ? (definition.source as PushSource) : 'tilda';
		const sourceConfigId = typeof definition.sourceConfig === 'string' && definition.sourceConfig !== '' ? definition.sourceConfig : undefined;
		const answerWebhook = definition.answer !== false;
		const idPath = typeof definition.idPath === 'string' ? definition.idPath.trim() : '';
		const mapper = new FieldMapper(RED, node, definition);
		let showsFailure = false;

		const readFieldOptions = async (delivery: LeadDelivery): Promise<FieldOptions> => {
			if (source !== 'generic' && source !== 'platformalp') return {};

			const options: FieldOptions = {};
			if (idPath !== '') options.idPath = idPath;
			if (!mapper.isEmpty) {
				let data: unknown;
				try {
					data = delivery.method?.toUpperCase() === 'GET' ? delivery.query : readDeliveryBody(delivery);
				} catch {
					// The core rejects an unreadable body with a proper reply, so the mapping has nothing to read.
					data = undefined;
				}
				options.values = await mapper.values(data ?? delivery.query);
			}
			return options;
		};

		const readSettings = async (delivery: LeadDelivery): Promise<LeadWebhookSettings> => {
			const fields = await readFieldOptions(delivery);
			if (sourceConfigId === undefined) {
				return source === 'generic' || source === 'platformalp' ? { source, [source]: fields } : { source };
			}

			const config = findLeadSourceNode(RED, sourceConfigId, PUSH_SOURCES);
			if (config.kind !== source) {
				throw new ConfigurationError(
					'leadSourceMismatch',
					`The node reads ${source} leads, but its lead source '${config.name || config.id}' is set up for ${config.kind}: pick a ${source} lead source or change the node's source`,
					{ source, kind: config.kind, name: config.name || config.id },
				);
			}
			return config.webhookSettings(fields);
		};

		const handle = async (msg: NodeMessage): Promise<WebhookOutcome> => {
			// http in parses bodies up to 5 MB, so the 1 MiB limit of lead bodies is checked here.
			const tooLarge = parsedBodyTooLarge(msg);
			if (tooLarge !== undefined) return { kind: 'rejected', reply: { statusCode: 413, body: tooLarge.message }, error: tooLarge };

			const delivery = deliveryOf(msg);
			let settings: LeadWebhookSettings;
			try {
				settings = await readSettings(delivery);
			} catch (error) {
				return { kind: 'rejected', reply: { statusCode: 500, body: 'The lead webhook is not set up' }, error: asInputError(error) };
			}

			const outcome = receive(settings, delivery);
			if (outcome.kind !== 'leads' || sourceConfigId === undefined) return outcome;
			const secrets = findLeadSourceNode(RED, sourceConfigId, PUSH_SOURCES).secretValues();
			return { ...outcome, leads: outcome.leads.map((lead) => withoutSecrets(lead, secrets)) };
		};

		/** Returns the secrets of the chosen lead source, or none without one or while it is not deployed. */
		const sourceSecrets = (): string[] => {
			const config = sourceConfigId === undefined ? null : RED.nodes.getNode(sourceConfigId);
			return isLeadSourceNode(config) ? config.secretValues() : [];
		};

		/** Masks the secrets in what http in put on the message, so neither the next nodes nor Catch nodes see them. */
		const maskMessage = (msg: NodeMessage): void => {
			const secrets = sourceSecrets();
			maskRequestSecrets(msg.req, secrets);
			msg.payload = maskSecrets(msg.payload, secrets);
		};

		node.on('input', (msg, send, done) => {
			const response = msg.res?._res;

			handle(msg).then(
				(outcome) => {
					maskMessage(msg);
					if (outcome.kind === 'rejected') {
						const translated = translateError(RED, outcome.error);
						if (answerWebhook && response !== undefined) {
							reply(response, outcome.reply);
							delete msg.res;
						}
						node.status({ fill: 'red', shape: 'ring', text: failureStatusKey(translated) });
						showsFailure = true;
						done(translated);
						return;
					}

					// Handshakes get their reply even when the node leaves lead replies to the flow, because the flow never sees them.
					if (outcome.kind === 'handshake') {
						if (response !== undefined) reply(response, outcome.reply);
						node.debug(`answered a ${source} handshake (${outcome.reason})`);
						done();
						return;
					}

					if (outcome.kind !== 'leads' || outcome.leads.length === 0) {
						done();
						return;
					}
					if (answerWebhook && response !== undefined) {
						reply(response, outcome.reply);
						delete msg.res;
					}
					if (showsFailure) {
						node.status({});
						showsFailure = false;
					}
					msg.weeekRaw = msg.payload;
					msg.payload = outcome.leads[0];
					send(msg);
					done();
				},
				(error: unknown) => {
					if (response !== undefined) reply(response, { statusCode: 500, body: 'Internal error' });
					maskMessage(msg);
					done(translateError(RED, error));
				},
			);
		});

		node.on('close', (_removed, done) => {
			node.status({});
			done();
		});
	}

	RED.nodes.registerType('weeek-lead', WeeekLead);
}

/**
 * Decides the reply and the lead. A Facebook POST here is a lead already fetched from the Graph
 * API, because notifications need the raw bytes for their signature. Every other case goes to the
 * core's webhook handling.
 */
function receive(settings: LeadWebhookSettings, delivery: LeadDelivery): WebhookOutcome {
	const isGet = (delivery.method ?? 'POST').toUpperCase() === 'GET';
	if (settings.source !== 'facebook' || isGet) return receiveLeadWebhook(settings, delivery);

	try {
		const body = readDeliveryBody(delivery);
		if (isRecord(body) && body.object === 'page') {
			throw new ConfigurationError(
				'facebookNotification',
				'This is a Facebook webhook notification, which carries lead ids only and is signed over the exact request bytes that http in does not keep: receive Facebook webhooks with the WEEEK Lead In node',
			);
		}
		return { kind: 'leads', reply: { statusCode: 200, body: 'ok' }, leads: [normalizeLead('facebook', delivery)] };
	} catch (error) {
		const rejected = asInputError(error);
		return { kind: 'rejected', reply: { statusCode: rejected instanceof ConfigurationError ? 500 : 400, body: rejected.message }, error: rejected };
	}
}

function asInputError(error: unknown): LeadInputError | ConfigurationError {
	if (error instanceof LeadInputError || error instanceof ConfigurationError) return error;
	throw error;
}

/** Builds the delivery as `http in` received it. Without `msg.req` (an inject node) only the body is known. */
function deliveryOf(msg: NodeMessage): LeadDelivery {
	const request = msg.req;
	const header = request?.headers?.['content-type'];
	const contentType = typeof header === 'string' ? header : undefined;
	// `http in` with "Do not parse request body" passes the bytes, which keep big ids and legacy encodings exact.
	const rawBody = isBytes(msg.payload) || typeof msg.payload === 'string' ? msg.payload : undefined;
	return {
		body: rawBody === undefined ? decodeLegacyFormText(msg.payload, contentType) : msg.payload,
		rawBody,
		contentType,
		headers: request?.headers,
		query: request?.query,
		method: request?.method,
		receivedAt: Date.now(),
	};
}

function reply(response: ExpressResponse, answer: WebhookReply): void {
	if (response.headersSent) return;
	response.status(answer.statusCode).type('text/plain').send(answer.body);
}
