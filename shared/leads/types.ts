/**
 * The normalized lead: one shape for every source, so the WEEEK side never branches on where a
 * lead came from. Everything except `raw` is derived from the source payload.
 */

export type LeadSource = 'facebook' | 'vk' | 'mytarget' | 'tilda' | 'platformalp' | 'generic';

export const LEAD_SOURCES: readonly LeadSource[] = ['facebook', 'vk', 'mytarget', 'tilda', 'platformalp', 'generic'];

export interface NamedRef {
	id?: string;
	name?: string;
}

export interface LeadAnswer {
	/** Field name as the source sent it (Cyrillic keys are kept as they are). */
	key: string;
	/** Human question text when the source sends one apart from the key (VK, myTarget). */
	label?: string;
	value: string | string[];
}

export interface LeadUtm {
	source?: string;
	medium?: string;
	campaign?: string;
	content?: string;
	term?: string;
}

export interface LeadOrder {
	id?: string;
	amount?: number;
	products?: unknown[];
}

export interface NormalizedLead {
	source: LeadSource;
	/** The platform's own lead id, always a string (17-digit ids do not fit a JS number). */
	sourceLeadId?: string;
	/** Stable key for duplicate detection: the same lead delivered twice has the same key. */
	dedupKey: string;
	/** True for connection pings and test submissions, which must not reach WEEEK. */
	isTest: boolean;
	/** ISO 8601 UTC time the platform gives for the lead, when it gives one. */
	createdAt?: string;
	/** ISO 8601 UTC time the node received the lead. */
	receivedAt: string;

	/** Best display name: the full name as sent, or the parts joined. */
	name?: string;
	firstName?: string;
	lastName?: string;
	middleName?: string;
	/** E.164 where recognisable, else the digits as typed; deduplicated, first is primary. */
	phones: string[];
	/** Phone values exactly as typed. */
	phonesRaw: string[];
	/** Trimmed and lower-cased; deduplicated. */
	emails: string[];
	city?: string;
	comment?: string;
	extraContacts?: { vkUserId?: string; vkDialogUrl?: string };

	campaign?: NamedRef;
	/** Facebook ad set. */
	adGroup?: NamedRef;
	ad?: NamedRef;
	form?: NamedRef;
	page?: NamedRef & { url?: string };
	platform?: string;
	isOrganic?: boolean;

	utm: LeadUtm;
	/** Click and analytics ids found in the payload (yclid, gclid, fbclid, _ym_uid). */
	clickIds?: Record<string, string>;
	consents?: Array<{ key: string; checked: boolean }>;
	/** Every answer that is not one of the standard fields above. */
	answers: LeadAnswer[];
	order?: LeadOrder;

	raw: {
		contentType?: string;
		body: unknown;
		/** Data fetched after the notification (the Facebook Graph lead). */
		fetched?: unknown;
	};
}

/** One HTTP delivery as a host received it, before any source-specific parsing. */
export interface LeadDelivery {
	/** Parsed body (object) as the host parsed it, or the body text when the host left it unparsed. */
	body: unknown;
	/** Exact request bytes, when the host kept them (needed for signatures and for exact big ids). */
	rawBody?: string | Uint8Array;
	contentType?: string;
	/** Header names lower-cased. */
	headers?: Record<string, string | string[] | undefined>;
	query?: Record<string, unknown>;
	method?: string;
	/** Milliseconds since the Unix epoch; the receive time of the lead. */
	receivedAt: number;
}
