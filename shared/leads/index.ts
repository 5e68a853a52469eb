/**
 * Lead normalizers: every source's payload becomes one `NormalizedLead`.
 */

import { LeadInputError } from '../errors';
import { readDeliveryBody } from './body';
import { isRecord } from './common';
import { normalizeFacebookGraphLead } from './facebook';
import { type GenericOptions, normalizeGenericLead } from './generic';
import { type MyTargetLeadOptions, normalizeMyTargetLead } from './mytarget';
import { normalizePlatformaLpLead, type PlatformaLpOptions } from './platformalp';
import { normalizeTildaLead, type TildaOptions } from './tilda';
import type { LeadDelivery, NormalizedLead } from './types';
import { normalizeVkLeadEvent } from './vk';

export * from './types';
export * from './body';
export * from './email';
export * from './facebook';
export * from './generic';
export * from './mytarget';
export * from './names';
export * from './paths';
export * from './phone';
export * from './platformalp';
export * from './tilda';
export * from './tracking';
export * from './vk';
export { canonicalJson, secretsMatch, sha256Hex, toIsoTime } from './common';

/** Options of `normalizeLead` per source; `receivedAt` and the content type always come from the delivery. */
export interface LeadOptionsBySource {
	tilda: TildaOptions;
	generic: GenericOptions;
	platformalp: PlatformaLpOptions;
	vk: { secret?: string };
	mytarget: Omit<MyTargetLeadOptions, 'receivedAt' | 'contentType'>;
	facebook: Record<string, never>;
}

export type SyncLeadSource = keyof LeadOptionsBySource;

/**
 * Normalizes one delivery of a source that needs no further requests:
 * - `tilda`, `generic`, `platformalp`: the webhook delivery;
 * - `vk`: a `lead_forms_new` Callback API body (confirmation requests go through `handleVkCallback`);
 * - `mytarget`: one item of a lead list page;
 * - `facebook`: a Graph API lead that was already fetched (a webhook notification carries ids only,
 *   so it is rejected; use `parseFacebookNotification` and `fetchFacebookLead`).
 * Throws `LeadInputError` with code `unknownSource` for any other source name.
 */
export function normalizeLead<S extends SyncLeadSource>(source: S, delivery: LeadDelivery, options?: LeadOptionsBySource[S]): NormalizedLead;
export function normalizeLead(source: string, delivery: LeadDelivery, options?: object): NormalizedLead;
export function normalizeLead(source: string, delivery: LeadDelivery, options: object = {}): NormalizedLead {
	switch (source) {
		case 'tilda':
			return normalizeTildaLead(delivery, options as TildaOptions);
		case 'generic':
			return normalizeGenericLead(delivery, options as GenericOptions);
		case 'platformalp':
			return normalizePlatformaLpLead(delivery, options as PlatformaLpOptions);
		case 'vk':
			return normalizeVkLeadEvent(readDeliveryBody(delivery), {
				...(options as LeadOptionsBySource['vk']),
				receivedAt: delivery.receivedAt,
				contentType: delivery.contentType,
			});
		case 'mytarget':
			return normalizeMyTargetLead(readDeliveryBody(delivery), {
				...(options as LeadOptionsBySource['mytarget']),
				receivedAt: delivery.receivedAt,
				contentType: delivery.contentType,
			});
		case 'facebook':
			return normalizeFetchedFacebookLead(delivery);
		default:
			throw new LeadInputError(
				'unknownSource',
				`The lead source "${source}" is not known: use one of tilda, generic, platformalp, vk, mytarget or facebook.`,
				{ field: 'source', params: { source } },
			);
	}
}

function normalizeFetchedFacebookLead(delivery: LeadDelivery): NormalizedLead {
	const body = readDeliveryBody(delivery);
	if (isRecord(body) && body.object === 'page') {
		throw new LeadInputError(
			'invalidField',
			'This Facebook body is a webhook notification, which carries lead ids only: read it with parseFacebookNotification and fetch each lead with fetchFacebookLead.',
			{ field: 'object' },
		);
	}
	return normalizeFacebookGraphLead(body, { receivedAt: delivery.receivedAt, contentType: delivery.contentType });
}
