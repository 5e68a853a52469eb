/**
 * `weeek-lead`: turns a lead source's webhook delivery (after `http in`) into a normalized lead in
 * `msg.payload`.
 *
 * Sources give little time (Tilda waits 5 s, then sends the lead again), so by default the node
 * replies to the webhook itself before anything calls WEEEK. It then removes `msg.res`, so no other
 * node replies a second time. Tilda's `test=test` connection ping is answered and goes no further.
 */
import { LeadInputError } from '../../shared/errors';
import { normalizeLead } from '../../shared/leads';
import type { LeadDelivery } from '../../shared/leads/types';
import { failureStatusKey, translateError } from './lib/i18n';
import type { ExpressResponse, NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './lib/nodeRed';

const SOURCES = ['tilda', 'generic'] as const;
type Source = (typeof SOURCES)[number];

export default function register(RED: NodeAPI): void {
	function WeeekLead(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;

		const source: Source = SOURCES.includes(definition.source as Source) ? (definition.source as Source) : 'tilda';
		const answerWebhook = definition.answer !== false;
		const idPath = typeof definition.idPath === 'string' ? definition.idPath.trim() : '';
		const options = source === 'generic' && idPath !== '' ? { idPath } : {};
		let showsFailure = false;

		node.on('input', (msg, send, done) => {
			const response = msg.res?._res;

			let lead;
			try {
				lead = normalizeLead(source, deliveryOf(msg), options);
			} catch (error) {
				const translated = translateError(RED, error);
				if (answerWebhook && response !== undefined) {
					reply(response, httpStatusFor(error), translated.message);
					delete msg.res;
				}
				node.status({ fill: 'red', shape: 'ring', text: failureStatusKey(translated) });
				showsFailure = true;
				done(translated);
				return;
			}

			// The ping gets its reply even with answering off, because the flow never sees it.
			if (lead.isTest) {
				if (response !== undefined) reply(response, 200, 'ok');
				node.debug(`answered a ${source} connection test`);
				done();
				return;
			}

			if (answerWebhook && response !== undefined) {
				reply(response, 200, 'ok');
				delete msg.res;
			}

			if (showsFailure) {
				node.status({});
				showsFailure = false;
			}
			msg.weeekRaw = msg.payload;
			msg.payload = lead;
			send(msg);
			done();
		});

		node.on('close', (_removed, done) => {
			node.status({});
			done();
		});
	}

	RED.nodes.registerType('weeek-lead', WeeekLead);
}

/** Builds the delivery as `http in` received it. Without `msg.req` (an inject node) only the body is known. */
function deliveryOf(msg: NodeMessage): LeadDelivery {
	const request = msg.req;
	const contentType = request?.headers?.['content-type'];
	return {
		body: msg.payload,
		contentType: typeof contentType === 'string' ? contentType : undefined,
		headers: request?.headers,
		query: request?.query,
		method: request?.method,
		receivedAt: Date.now(),
	};
}

/** Returns 403 for a rejected secret or signature, as senders expect, and 400 for other bad input. */
function httpStatusFor(error: unknown): number {
	if (!(error instanceof LeadInputError)) return 500;
	return error.code === 'badSecret' || error.code === 'badSignature' ? 403 : 400;
}

function reply(response: ExpressResponse, status: number, text: string): void {
	if (response.headersSent) return;
	response.status(status).type('text/plain').send(text);
}
