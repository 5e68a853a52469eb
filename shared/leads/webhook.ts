/**
 * Webhook handling shared by n8n's WEEEK Lead Trigger and Node-RED's weeek-lead-in: one call
 * decides the HTTP reply for the source and what to emit, so both hosts answer handshakes,
 * signatures and secrets identically.
 *
 * Sources give little time (Tilda waits 5 s, VK and Facebook resend on slow answers), so hosts
 * send `reply` first and only then fetch Facebook leads or start the flow.
 */
import { ConfigurationError, LeadInputError } from '../errors';
import type { LoggerPort, SleepPort } from '../ports';
import { answerFacebookVerification, fetchFacebookLead, parseFacebookDelivery, verifyFacebookSignature } from './facebook';
import type { FacebookGraphGet, FacebookLeadChange } from './facebook';
import type { GenericOptions } from './generic';
import { readDeliveryBody } from './body';
import { normalizeLead } from './index';
import type { PlatformaLpOptions } from './platformalp';
import type { TildaOptions } from './tilda';
import type { LeadDelivery, NormalizedLead } from './types';
import { handleVkCallback } from './vk';

export type PushSource = 'tilda' | 'generic' | 'platformalp' | 'vk' | 'facebook';

export const PUSH_SOURCES: readonly PushSource[] = ['tilda', 'generic', 'platformalp', 'vk', 'facebook'];

export interface LeadWebhookSettings {
	source: PushSource;
	tilda?: TildaOptions;
	generic?: GenericOptions;
	platformalp?: PlatformaLpOptions;
	vk?: { confirmationCode?: string; secret?: string };
	facebook?: { verifyToken?: string; appSecret?: string };
	/** Largest accepted body in bytes; larger requests get 413. Lead forms are a few kilobytes. */
	maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface WebhookReply {
	statusCode: number;
	/** Plain text; VK requires exactly `ok` or the confirmation string, with nothing around it. */
	body: string;
}

export type WebhookOutcome =
	/** Leads ready to emit. */
	| { kind: 'leads'; reply: WebhookReply; leads: NormalizedLead[] }
	/** Facebook notification: reply first, then fetch each change with `fetchFacebookLeads`. */
	| { kind: 'facebook'; reply: WebhookReply; changes: FacebookLeadChange[] }
	/** Handshake or test ping answered; nothing to emit. */
	| { kind: 'handshake'; reply: WebhookReply; reason: 'tildaPing' | 'vkConfirmation' | 'facebookVerification' | 'vkOtherEvent' }
	/** Delivery refused (bad secret, bad signature, unreadable body); `error.message` is safe to show and log. */
	| { kind: 'rejected'; reply: WebhookReply; error: LeadInputError | ConfigurationError };

const OK: WebhookReply = { statusCode: 200, body: 'ok' };

/** Decides the reply and the output of one webhook request. Never throws for bad input. */
export function receiveLeadWebhook(settings: LeadWebhookSettings, delivery: LeadDelivery): WebhookOutcome {
	try {
		return receive(settings, delivery);
	} catch (error) {
		if (error instanceof LeadInputError || error instanceof ConfigurationError) {
			return { kind: 'rejected', reply: rejectionReply(error), error };
		}
		throw error;
	}
}

function receive(settings: LeadWebhookSettings, delivery: LeadDelivery): WebhookOutcome {
	const isGet = (delivery.method ?? 'POST').toUpperCase() === 'GET';

	const limit = settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
	const size = typeof delivery.rawBody === 'string' ? Buffer.byteLength(delivery.rawBody) : (delivery.rawBody?.byteLength ?? 0);
	if (size > limit) {
		throw new LeadInputError('tooLarge', `The request body has ${size} bytes, more than the ${limit} accepted: lead forms are far smaller, so this is not a lead`, {
			params: { size, limit },
		});
	}

	switch (settings.source) {
		case 'facebook':
			return isGet ? verifyFacebook(settings, delivery) : receiveFacebook(settings, delivery);

		case 'vk': {
			const vk = settings.vk ?? {};
			const result = handleVkCallback(isGet ? delivery.query : readDeliveryBody(delivery), {
				confirmationCode: vk.confirmationCode,
				secret: vk.secret,
				receivedAt: delivery.receivedAt,
				contentType: delivery.contentType,
			});
			if (result.kind === 'confirmation') return { kind: 'handshake', reply: { statusCode: 200, body: result.reply }, reason: 'vkConfirmation' };
			if (result.kind === 'ignored') return { kind: 'handshake', reply: OK, reason: 'vkOtherEvent' };
			return { kind: 'leads', reply: OK, leads: [result.lead] };
		}

		case 'tilda':
		case 'generic':
		case 'platformalp': {
			// A GET carries the lead in its query string (pixel and redirect style senders).
			const source = settings.source;
			const input = isGet ? { ...delivery, body: delivery.query ?? {}, rawBody: undefined, contentType: undefined } : delivery;
			const lead = normalizeLead(source, input, settings[source] ?? {});
			if (lead.isTest) return { kind: 'handshake', reply: OK, reason: 'tildaPing' };
			checkNotEmpty(lead);
			return { kind: 'leads', reply: OK, leads: [lead] };
		}

		default:
			throw new ConfigurationError('unknownSource', `The lead source "${String(settings.source)}" cannot receive webhooks: use one of ${PUSH_SOURCES.join(', ')}`, {
				source: String(settings.source),
			});
	}
}

/** Rejects a delivery that carried nothing of a lead: no name, phone, e-mail or answer. */
function checkNotEmpty(lead: NormalizedLead): void {
	const hasContent = Boolean(lead.name || lead.firstName || lead.lastName) || lead.phones.length > 0 || lead.phonesRaw.length > 0 || lead.emails.length > 0 || lead.answers.length > 0 || lead.comment !== undefined;
	if (!hasContent) {
		throw new LeadInputError('emptyBody', 'The request carries no lead fields (no name, phone, e-mail or answers): check what the sender posts and its content type', {
			field: 'body',
		});
	}
}

function verifyFacebook(settings: LeadWebhookSettings, delivery: LeadDelivery): WebhookOutcome {
	const verifyToken = settings.facebook?.verifyToken ?? '';
	if (verifyToken === '') {
		throw new ConfigurationError('missingVerifyToken', 'The Facebook verify token is not set: enter the same token here and in the Meta app webhook settings');
	}

	const result = answerFacebookVerification(delivery.query, verifyToken);
	if (result.statusCode === 403) {
		throw new LeadInputError('badSecret', 'The Facebook verification request carries a wrong hub.verify_token: enter the same verify token here and in the Meta app', {
			field: 'hub.verify_token',
		});
	}
	return { kind: 'handshake', reply: { statusCode: 200, body: result.body }, reason: 'facebookVerification' };
}

function receiveFacebook(settings: LeadWebhookSettings, delivery: LeadDelivery): WebhookOutcome {
	const appSecret = settings.facebook?.appSecret ?? '';
	if (appSecret === '') {
		throw new ConfigurationError('missingAppSecret', 'The Facebook app secret is not set: without it lead notifications cannot be verified');
	}
	if (delivery.rawBody === undefined) {
		throw new LeadInputError('badSignature', 'The request body bytes were not kept, so the X-Hub-Signature-256 signature cannot be checked', {
			field: 'x-hub-signature-256',
		});
	}

	const signature = delivery.headers?.['x-hub-signature-256'];
	if (!verifyFacebookSignature(delivery.rawBody, signature, appSecret)) {
		throw new LeadInputError(
			'badSignature',
			signature === undefined
				? 'The Facebook notification has no X-Hub-Signature-256 header: only Meta may post to this URL'
				: 'The X-Hub-Signature-256 signature does not match the body: check that the app secret belongs to the Meta app that sends the leads',
			{ field: 'x-hub-signature-256' },
		);
	}

	// Meta repeats a lead inside one batch when it redelivers; fetch each lead once.
	const seen = new Set<string>();
	const changes = parseFacebookDelivery(delivery).filter((change) => !seen.has(change.leadgenId) && seen.add(change.leadgenId) !== undefined);
	return { kind: 'facebook', reply: OK, changes };
}

function rejectionReply(error: LeadInputError | ConfigurationError): WebhookReply {
	if (error instanceof ConfigurationError) return { statusCode: 500, body: error.message };

	switch (error.code) {
		case 'badSecret':
		case 'badSignature':
			return { statusCode: 403, body: 'Forbidden' };
		case 'tooLarge':
			return { statusCode: 413, body: error.message };
		case 'unsupportedContentType':
			return { statusCode: 415, body: error.message };
		default:
			return { statusCode: 400, body: error.message };
	}
}

export interface FacebookFetchSettings {
	graphGet: FacebookGraphGet;
	accessToken: string;
	sleep: SleepPort;
	logger?: LoggerPort;
	/** Attempts per lead, the first included. */
	maxAttempts?: number;
	/** Wait before the second attempt; doubles after each failure. */
	firstDelayMs?: number;
	nameCache?: Map<string, string>;
}

export type FacebookFetchResult = { change: FacebookLeadChange; lead: NormalizedLead } | { change: FacebookLeadChange; error: Error };

/**
 * Fetches the lead behind every change, retrying each one, because the Graph API often fails for
 * a moment right after the notification. A lead that still fails comes back with its error, so
 * the host can report it instead of dropping it.
 */
export async function fetchFacebookLeads(
	changes: FacebookLeadChange[],
	delivery: LeadDelivery,
	settings: FacebookFetchSettings,
): Promise<FacebookFetchResult[]> {
	const results: FacebookFetchResult[] = [];
	const maxAttempts = settings.maxAttempts ?? 3;

	for (const change of changes) {
		let delay = settings.firstDelayMs ?? 1000;
		for (let attempt = 1; ; attempt++) {
			try {
				const lead = await fetchFacebookLead(change, {
					graphGet: settings.graphGet,
					accessToken: settings.accessToken,
					receivedAt: delivery.receivedAt,
					nameCache: settings.nameCache,
					logger: settings.logger,
					notification: readDeliveryBody(delivery),
					contentType: delivery.contentType,
				});
				results.push({ change, lead });
				break;
			} catch (error) {
				const failure = withoutSecret(error, settings.accessToken);
				if (attempt >= maxAttempts || error instanceof LeadInputError) {
					results.push({ change, error: failure });
					break;
				}
				settings.logger?.warn(`Fetching Facebook lead ${change.leadgenId} failed, retrying in ${delay} ms`, { attempt });
				await settings.sleep(delay);
				delay *= 2;
			}
		}
	}

	return results;
}

/** Copies an error with every occurrence of `secret` masked, so a token in a failed URL never reaches a log. */
function withoutSecret(error: unknown, secret: string): Error {
	const message = error instanceof Error ? error.message : String(error);
	const masked = secret === '' ? message : message.split(secret).join('***');
	const copy = new Error(masked);
	copy.name = error instanceof Error ? error.name : 'Error';
	return copy;
}

/**
 * Builds a lead from a notification's ids alone, for a Facebook lead whose details could not be
 * fetched: hosts emit it with the error so the lead can be fetched again later instead of vanishing.
 */
export function facebookLeadStub(change: FacebookLeadChange, receivedAt: number): NormalizedLead {
	return {
		source: 'facebook',
		sourceLeadId: change.leadgenId,
		dedupKey: `fb:${change.leadgenId}`,
		isTest: false,
		createdAt: change.createdTime,
		receivedAt: new Date(receivedAt).toISOString(),
		phones: [],
		phonesRaw: [],
		emails: [],
		ad: change.adId === undefined ? undefined : { id: change.adId },
		adGroup: change.adgroupId === undefined ? undefined : { id: change.adgroupId },
		form: change.formId === undefined ? undefined : { id: change.formId },
		page: change.pageId === undefined ? undefined : { id: change.pageId },
		utm: {},
		answers: [],
		raw: { body: change },
	};
}
