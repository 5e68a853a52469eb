/**
 * `weeek-lead-in`: a webhook endpoint of its own for one lead source (Tilda, PlatformaLP, a generic
 * sender, VK lead forms or Facebook Lead Ads), emitting one message per lead with the normalized
 * lead in `msg.payload`.
 *
 * It registers GET and POST on its path under `httpNodeRoot` and reads the body bytes itself,
 * because Facebook signs the exact bytes and `http in` drops them. The node replies to every request
 * before anything slow happens, because Tilda waits only 5 s and VK and Facebook resend on slow
 * replies. Tilda gets `200 ok`, VK exactly `ok` or its confirmation string, Facebook the
 * `hub.challenge`, and a wrong secret or signature `403` without details. Facebook leads are fetched from the Graph API after the
 * answer. A lead whose key was seen in the last 48 hours is dropped, so redeliveries go no further.
 */
import { readDeliveryBody } from '../../shared/leads/body';
import { RecentKeys, type RecentKeysState } from '../../shared/leads/recentKeys';
import type { LeadDelivery, NormalizedLead } from '../../shared/leads/types';
import {
	facebookLeadStub,
	fetchFacebookLeads,
	PUSH_SOURCES,
	receiveLeadWebhook,
	type FacebookFetchResult,
	type WebhookOutcome,
	type WebhookReply,
} from '../../shared/leads/webhook';
import type { FacebookLeadChange } from '../../shared/leads/facebook';
import { persistentStoreName, readContext, writeContext } from './lib/contextStore';
import { FieldMapper } from './lib/fieldMapping';
import { applyCors, MAX_LEAD_BODY_BYTES, normalizeRoutePath, readRequestBody, registerRoute, routeExists } from './lib/httpRoute';
import { failureStatusKey, translateError } from './lib/i18n';
import { nodeLogger } from './lib/logger';
import { findLeadSourceNode, withoutSecrets, type FieldOptions, type LeadSourceNode } from './lib/leadSource';
import type { ExpressResponse, HttpNodeRequest, NodeAPI, NodeDefinition, NodeInstance, NodeStatus } from './lib/nodeRed';
import { LeadSourceError } from './lib/sourceErrors';
import { createGraphGet } from './lib/sourceHttp';

/** Context key of the recently emitted lead keys. */
const RECENT_KEY = 'recentLeads';

const STATUS = 'weeek-lead-in.status.';

export default function register(RED: NodeAPI): void {
	function WeeekLeadIn(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;

		const path = normalizeRoutePath(definition.url);
		const idPath = typeof definition.idPath === 'string' ? definition.idPath.trim() : '';
		const mapper = new FieldMapper(RED, node, definition);
		const store = persistentStoreName(RED);
		const logger = nodeLogger(node);
		const nameCache = new Map<string, string>();
		const aborter = new AbortController();
		/** Lead keys being fetched right now, so a redelivery arriving meanwhile is not fetched twice. */
		const inFlight = new Set<string>();
		let closed = false;

		const recentReady: Promise<RecentKeys> = readContext<RecentKeysState>(node, RECENT_KEY, store).then(
			(state) => new RecentKeys(state),
			(error: unknown) => {
				node.warn(RED._('weeek-lead-in.warn.recentKeysUnreadable', { error: (error as Error).message }));
				return new RecentKeys(undefined);
			},
		);

		const saveRecent = async (recent: RecentKeys): Promise<void> => {
			try {
				await writeContext(node, RECENT_KEY, recent.snapshot, store);
			} catch (error) {
				node.warn(RED._('weeek-lead-in.warn.recentKeysNotSaved', { error: (error as Error).message }));
			}
		};

		const setStatus = (status: NodeStatus): void => {
			if (!closed) node.status(status);
		};

		const readFieldOptions = async (source: LeadSourceNode, delivery: LeadDelivery): Promise<FieldOptions> => {
			if (source.kind !== 'generic' && source.kind !== 'platformalp') return {};

			const options: FieldOptions = {};
			if (idPath !== '') options.idPath = idPath;
			if (!mapper.isEmpty) {
				let data: unknown;
				try {
					data = delivery.method === 'GET' ? delivery.query : readDeliveryBody(delivery);
				} catch {
					// The core rejects an unreadable body with a proper reply, so the mapping has nothing to read.
					data = undefined;
				}
				options.values = await mapper.values(data ?? delivery.query);
			}
			return options;
		};

		const emitLeads = async (leads: NormalizedLead[]): Promise<void> => {
			const recent = await recentReady;
			const now = Date.now();
			const fresh = leads.filter((lead) => {
				if (recent.has(lead.dedupKey, now) || inFlight.has(lead.dedupKey)) {
					node.debug(`dropped a repeated lead (${lead.dedupKey})`);
					return false;
				}
				recent.add(lead.dedupKey, now);
				return true;
			});

			if (fresh.length === 0) {
				setStatus({ fill: 'grey', shape: 'ring', text: `${STATUS}repeated` });
				return;
			}
			await saveRecent(recent);
			if (closed) return;
			for (const lead of fresh) node.send({ _msgid: RED.util.generateId(), topic: lead.source, payload: lead });
			setStatus({ fill: 'green', shape: 'dot', text: `${STATUS}lead` });
		};

		const fetchAndEmitFacebook = async (source: LeadSourceNode, changes: FacebookLeadChange[], delivery: LeadDelivery): Promise<void> => {
			const recent = await recentReady;
			const now = Date.now();
			const pending = changes.filter((change) => {
				const key = `fb:${change.leadgenId}`;
				if (recent.has(key, now) || inFlight.has(key)) {
					node.debug(`dropped a repeated Facebook lead (${key})`);
					return false;
				}
				inFlight.add(key);
				return true;
			});
			if (pending.length === 0) {
				setStatus({ fill: 'grey', shape: 'ring', text: `${STATUS}repeated` });
				return;
			}

			let results: FacebookFetchResult[];
			try {
				const graph = source.facebookGraph();
				results = await fetchFacebookLeads(pending, delivery, {
					graphGet: createGraphGet(graph.baseUrl, { signal: aborter.signal }),
					accessToken: graph.accessToken,
					sleep: (milliseconds) => abortableSleep(milliseconds, aborter.signal),
					logger,
					nameCache,
				});
			} catch (error) {
				// A setup problem (no access token) fails every lead of the delivery the same way.
				results = pending.map((change) => ({ change, error: error as Error }));
			} finally {
				for (const change of pending) inFlight.delete(`fb:${change.leadgenId}`);
			}
			if (closed) return;

			const fetched = results.flatMap((result) => ('lead' in result ? [result.lead] : []));
			for (const lead of fetched) recent.add(lead.dedupKey, Date.now());
			if (fetched.length > 0) await saveRecent(recent);

			let failed = false;
			for (const result of results) {
				if ('lead' in result) {
					node.send({ _msgid: RED.util.generateId(), topic: 'facebook', payload: result.lead });
					continue;
				}

				// The lead keeps its ids on the message, so a Catch flow can fetch it again later.
				failed = true;
				const stub = facebookLeadStub(result.change, delivery.receivedAt);
				node.error(facebookFetchError(RED, result.change, result.error), { _msgid: RED.util.generateId(), topic: 'facebook', payload: stub });
			}
			setStatus(failed ? { fill: 'red', shape: 'ring', text: `${STATUS}fetchFailed` } : { fill: 'green', shape: 'dot', text: `${STATUS}lead` });
		};

		const handle = async (request: HttpNodeRequest, response: ExpressResponse): Promise<void> => {
			const receivedAt = Date.now();
			applyCors(RED, request, response);

			// Express routes HEAD to GET handlers; a monitor checking the URL must not become a lead.
			if (request.method === 'HEAD') {
				response.status(200).end();
				return;
			}
			const delivery = await readDelivery(request, receivedAt);
			if (delivery === undefined) {
				response.setHeader('Connection', 'close');
				send(response, { statusCode: 413, body: `The request body is larger than ${MAX_LEAD_BODY_BYTES} bytes, which no lead needs` });
				node.warn(RED._('weeek-lead-in.warn.bodyTooLarge', { path, limit: MAX_LEAD_BODY_BYTES }));
				setStatus({ fill: 'red', shape: 'ring', text: `${STATUS}tooLarge` });
				return;
			}

			let source: LeadSourceNode;
			let outcome: WebhookOutcome;
			try {
				source = findLeadSourceNode(RED, definition.source, PUSH_SOURCES);
				outcome = receiveLeadWebhook(source.webhookSettings(await readFieldOptions(source, delivery)), delivery);
			} catch (error) {
				// A setup problem is for the flow's owner, not the sender, so the sender gets no details.
				send(response, { statusCode: 500, body: 'The lead webhook is not set up' });
				const translated = translateError(RED, error);
				node.error(translated, { _msgid: RED.util.generateId(), topic: path });
				setStatus({ fill: 'red', shape: 'ring', text: failureStatusKey(translated) });
				return;
			}

			send(response, outcome.reply);

			switch (outcome.kind) {
				case 'rejected': {
					const translated = translateError(RED, outcome.error);
					if (translated.name === 'ConfigurationError') {
						node.error(translated, { _msgid: RED.util.generateId(), topic: path });
					} else {
						node.warn(RED._('weeek-lead-in.warn.requestRejected', { source: source.kind, status: outcome.reply.statusCode, reason: translated.message }));
					}
					setStatus({ fill: 'red', shape: 'ring', text: translated.name === 'ConfigurationError' ? failureStatusKey(translated) : `${STATUS}rejected` });
					return;
				}
				case 'handshake':
					node.debug(`answered a ${source.kind} handshake (${outcome.reason})`);
					setStatus({ fill: 'green', shape: 'ring', text: `${STATUS}handshake` });
					return;
				case 'leads':
					await emitLeads(outcome.leads.map((lead) => withoutSecrets(lead, source.secretValues())));
					return;
				case 'facebook':
					await fetchAndEmitFacebook(source, outcome.changes, delivery);
					return;
			}
		};

		if (path === undefined) {
			node.error(RED._('weeek-lead-in.errors.invalidPath', { path: String(definition.url ?? '') }));
			node.status({ fill: 'red', shape: 'ring', text: `${STATUS}noPath` });
			return;
		}
		if (RED.settings.httpNodeRoot === false) {
			node.warn(RED._('weeek-lead-in.warn.httpNodeRootDisabled', { path }));
		}
		if (routeExists(RED.httpNode, 'post', path)) {
			node.warn(RED._('weeek-lead-in.warn.routeTaken', { path }));
		}

		const onRequest = (request: HttpNodeRequest, response: ExpressResponse): void => {
			handle(request, response).catch((error: unknown) => {
				node.error(RED._('weeek-lead-in.errors.requestFailed', { path, error: (error as Error).message }));
				send(response, { statusCode: 500, body: 'Internal error' });
			});
		};
		// Express treats a handler with four parameters as the error handler of the route.
		const onError = (error: unknown, _request: HttpNodeRequest, response: ExpressResponse, _next: (error?: unknown) => void): void => {
			node.warn(RED._('weeek-lead-in.warn.requestBroken', { path, error: (error as Error)?.message ?? String(error) }));
			send(response, { statusCode: 500, body: 'Internal error' });
		};
		const removeRoute = registerRoute(RED, path, onRequest, onError);

		node.on('close', (_removed, done) => {
			closed = true;
			aborter.abort();
			removeRoute();
			node.status({});
			done();
		});
	}

	RED.nodes.registerType('weeek-lead-in', WeeekLeadIn);
}

/** Builds the delivery of a request, or returns undefined when the body is over the size limit. */
async function readDelivery(request: HttpNodeRequest, receivedAt: number): Promise<LeadDelivery | undefined> {
	const contentType = typeof request.headers['content-type'] === 'string' ? request.headers['content-type'] : undefined;
	const base = { headers: request.headers, query: request.query ?? {}, receivedAt };
	if (request.method === 'GET') return { ...base, body: undefined, method: 'GET' };

	const read = await readRequestBody(request);
	if (read.kind === 'tooLarge') return undefined;
	// The core decodes the bytes by the charset of the content type and keeps them for signatures.
	if (read.kind === 'bytes') return { ...base, body: read.bytes, rawBody: read.bytes, contentType, method: 'POST' };
	return { ...base, body: read.body, contentType, method: 'POST' };
}

function send(response: ExpressResponse, reply: WebhookReply): void {
	if (response.headersSent) return;
	response.status(reply.statusCode).type('text/plain').send(reply.body);
}

function facebookFetchError(RED: NodeAPI, change: FacebookLeadChange, error: Error) {
	const translated = translateError(RED, error);
	const reason = translated.message;
	return translateError(
		RED,
		new LeadSourceError(
			'facebookFetchFailed',
			`Fetching Facebook lead ${change.leadgenId} from the Graph API failed (${reason}). msg.payload holds its ids, so it can be fetched again`,
			{ leadgenId: change.leadgenId, reason },
		),
	);
}

function abortableSleep(milliseconds: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) {
			resolve();
			return;
		}
		const timer = setTimeout(done, milliseconds);
		function done(): void {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done, { once: true });
	});
}
