/**
 * Leads from any HTTP sender: JSON (flat or nested), urlencoded with bracket keys, multipart forms and
 * GET query strings. Standard fields are found by common names or by paths and values the user
 * configures; every other field is kept as an answer.
 */

import { LeadInputError } from '../errors';
import { readDeliveryBody } from './body';
import { bearerToken, canonicalJson, FORBIDDEN_KEYS, headerValue, isRecord, ownValue, scalarText, secretsMatch, sha256Hex, toIsoTime } from './common';
import { addAnswer, addEmails, addPhones, applyFullName, finishLead, startLead } from './build';
import { type FlatEntry, flattenEntries, formatPath, parsePath, resolvePath, startsWithSegments } from './paths';
import { clickIdKeyOf, emptyTracking, mergeTracking, type Tracking, trackingFromUrl, utmFieldOf } from './tracking';
import type { LeadDelivery, LeadSource, LeadUtm, NormalizedLead } from './types';

export type StandardField =
	| 'name'
	| 'firstName'
	| 'lastName'
	| 'middleName'
	| 'phone'
	| 'email'
	| 'comment'
	| 'city'
	| 'utmSource'
	| 'utmMedium'
	| 'utmCampaign'
	| 'utmContent'
	| 'utmTerm'
	| 'formId'
	| 'formName'
	| 'pageUrl'
	| 'pageName'
	| 'createdAt'
	| 'isTest';

export const STANDARD_FIELDS: readonly StandardField[] = [
	'name',
	'firstName',
	'lastName',
	'middleName',
	'phone',
	'email',
	'comment',
	'city',
	'utmSource',
	'utmMedium',
	'utmCampaign',
	'utmContent',
	'utmTerm',
	'formId',
	'formName',
	'pageUrl',
	'pageName',
	'createdAt',
	'isTest',
];

export interface GenericSecret {
	/** Header that carries the secret, for example `x-webhook-secret`; `authorization` also accepts `Bearer <secret>`. */
	header?: string;
	/** Query parameter that carries the secret. */
	query?: string;
	/** Body field that carries the secret. */
	bodyField?: string;
	value: string;
}

export interface GenericOptions {
	/** Paths into the body (`contact.phones[0]`, `answers["Тип объекта"]`) that override the common-name detection. */
	paths?: Partial<Record<StandardField, string>>;
	/** Values the host already resolved (Node-RED JSONPath or JSONata results); they override `paths`. */
	values?: Partial<Record<StandardField, unknown>>;
	/** Path of the sender's lead id, used for the dedup key; by default `id`, `lead_id` or `leadId` at the top level. */
	idPath?: string;
	/**
	 * Shared secret the request must carry. Without `header`, `query` or `bodyField`, it is looked for
	 * in the `X-Webhook-Secret` header, an `Authorization: Bearer` header and the `token` or `secret`
	 * query parameter.
	 */
	secret?: GenericSecret;
	/** Minutes east of UTC for `createdAt` values without a zone (`2024-05-14 12:21:37`); default 0 (UTC). */
	timeZoneOffsetMinutes?: number;
}

/** Lower-cases a key and drops `_`, `-`, `.` and spaces, so `first_name`, `firstName` and `First Name` compare equal. */
function canonicalKey(key: string): string {
	return key.toLowerCase().replace(/[\s_.-]/g, '');
}

type DetectedField = Exclude<StandardField, 'utmSource' | 'utmMedium' | 'utmCampaign' | 'utmContent' | 'utmTerm' | 'isTest' | 'pageName'>;

/** Common field names per standard field, in canonical form. */
const COMMON_NAMES: ReadonlyArray<[DetectedField, readonly string[]]> = [
	['name', ['name', 'fullname', 'fio', 'фио', 'имя', 'contactname']],
	['firstName', ['firstname', 'givenname']],
	['lastName', ['lastname', 'surname', 'familyname', 'фамилия']],
	['middleName', ['middlename', 'patronymic', 'patronymicname', 'отчество']],
	['phone', ['phone', 'phones', 'phonenumber', 'tel', 'telephone', 'mobile', 'mobilephone', 'телефон']],
	['email', ['email', 'emails', 'mail', 'emailaddress', 'почта']],
	['comment', ['comment', 'comments', 'message', 'note', 'notes', 'комментарий', 'сообщение']],
	['city', ['city', 'town', 'город']],
	['formId', ['formid']],
	['formName', ['formname', 'formtitle']],
	['pageUrl', ['pageurl', 'url', 'referer', 'referrer', 'sourceurl']],
	['createdAt', ['createdat', 'createdtime', 'submittedat', 'timestamp']],
];

/** Objects whose fields are searched for standard names, besides the top level. */
const CONTAINERS: ReadonlySet<string> = new Set(['contact', 'lead', 'data', 'client', 'customer', 'fields', 'answers', 'tracking']);

/** Containers of free-form answers: their name is left out of answer keys (`answers.Тип объекта` → `Тип объекта`). */
const ANSWER_CONTAINERS: ReadonlySet<string> = new Set(['fields', 'answers']);

const ID_NAMES: ReadonlySet<string> = new Set(['id', 'leadid']);

const UTM_BY_FIELD: Partial<Record<StandardField, keyof LeadUtm>> = {
	utmSource: 'source',
	utmMedium: 'medium',
	utmCampaign: 'campaign',
	utmContent: 'content',
	utmTerm: 'term',
};

/** Options of the shared field-based builder that differ between the generic source and its presets. */
export interface FieldLeadHooks {
	/** Untouched body for `raw.body`, when `data` was reshaped first (PlatformaLP `fields[]`). */
	rawBody?: unknown;
	/** Dedup key for a lead without an explicit id; by default a hash of the canonical body. */
	dedupKey?: (lead: NormalizedLead, data: unknown) => string;
}

/**
 * Normalizes a generic webhook delivery. A GET request, or any request with an empty body, is read
 * from its query string.
 */
export function normalizeGenericLead(delivery: LeadDelivery, options: GenericOptions = {}): NormalizedLead {
	const data = readFieldData(delivery, options.secret, 'generic');
	return buildFieldLead('generic', delivery, data, options);
}

/**
 * Reads the data of a field-based delivery after checking the shared secret. The data is the body, or
 * the query string for GET requests and empty bodies. The secret's query parameter and body field are
 * removed from it.
 */
export function readFieldData(delivery: LeadDelivery, secret: GenericSecret | undefined, sourceLabel: string): Record<string, unknown> {
	const body = readDeliveryBody(delivery);
	const useQuery = (delivery.method ?? '').toUpperCase() === 'GET' || body === undefined;
	const data = useQuery ? delivery.query : body;

	if (data === undefined || data === null || (isRecord(data) && Object.keys(data).length === 0 && useQuery)) {
		throw new LeadInputError(
			'emptyBody',
			`The ${sourceLabel} request has no body and no query parameters: send the lead as JSON, as form fields or in the query string.`,
			{ field: 'body' },
		);
	}
	if (!isRecord(data)) {
		throw new LeadInputError(
			'notAnObject',
			`The ${sourceLabel} request body is not a set of fields (got ${Array.isArray(data) ? 'an array' : `a ${typeof data}`}): send one lead as a JSON object or as form fields.`,
			{ field: 'body' },
		);
	}

	const secretKeys = secret === undefined ? [] : checkSharedSecret(delivery, data, secret, sourceLabel);
	if (secretKeys.length === 0) {
		return data;
	}
	const cleaned: Record<string, unknown> = {};
	for (const key of Object.keys(data)) {
		if (!secretKeys.includes(key) && !FORBIDDEN_KEYS.has(key)) {
			cleaned[key] = data[key];
		}
	}
	return cleaned;
}

/** Throws `badSecret` unless the delivery carries the secret; returns the data keys that held a secret, so callers can drop them. */
function checkSharedSecret(delivery: LeadDelivery, data: Record<string, unknown>, secret: GenericSecret, sourceLabel: string): string[] {
	const explicit = secret.header !== undefined || secret.query !== undefined || secret.bodyField !== undefined;
	let headerNames = ['x-webhook-secret', 'authorization'];
	let queryNames = ['token', 'secret'];
	if (explicit) {
		headerNames = secret.header === undefined ? [] : [secret.header];
		queryNames = secret.query === undefined ? [] : [secret.query];
	}
	const bodyNames = secret.bodyField === undefined ? [] : [secret.bodyField];

	const presented: string[] = [];
	for (const name of headerNames) {
		const value = headerValue(delivery.headers, name);
		presented.push(...(name.toLowerCase() === 'authorization' ? [bearerToken(value) ?? value] : [value]).filter(isText));
	}
	for (const name of queryNames) {
		presented.push(...[firstScalar(ownValue(delivery.query, name))].filter(isText));
	}
	for (const name of bodyNames) {
		presented.push(...[firstScalar(ownValue(data, name))].filter(isText));
	}

	if (secret.value === '' || !presented.some((value) => secretsMatch(value, secret.value))) {
		const places = [
			...headerNames.map((name) => `header ${name}`),
			...queryNames.map((name) => `query parameter ${name}`),
			...bodyNames.map((name) => `body field ${name}`),
		].join(', ');
		throw new LeadInputError(
			'badSecret',
			`The ${sourceLabel} request has no secret or a wrong one (looked in: ${places}): send the secret configured in this node.`,
			{ field: 'secret', params: { places } },
		);
	}
	return [...queryNames, ...bodyNames];
}

function isText(value: string | undefined): value is string {
	return value !== undefined && value !== '';
}

function firstScalar(value: unknown): string | undefined {
	return scalarText(Array.isArray(value) ? value[0] : value);
}

interface CollectedValue {
	key: string;
	value: unknown;
}

/**
 * Builds a lead from a field-based body, for the generic source and the PlatformaLP preset. Explicit
 * `values` and `paths` win over detection by common names. A standard field they set is not detected
 * again, so a body field with its common name stays an answer.
 */
export function buildFieldLead(
	source: LeadSource,
	delivery: LeadDelivery,
	data: Record<string, unknown>,
	options: GenericOptions,
	hooks: FieldLeadHooks = {},
): NormalizedLead {
	const lead = startLead(source, delivery.receivedAt, {
		contentType: delivery.contentType,
		body: hooks.rawBody === undefined ? data : hooks.rawBody,
	});
	const entries = flattenEntries(data);
	const consumed = new Set<FlatEntry>();
	const collected = new Map<StandardField, CollectedValue[]>();
	const consume = (prefix: readonly string[]): void => {
		for (const entry of entries) {
			if (startsWithSegments(entry.segments, prefix)) {
				consumed.add(entry);
			}
		}
	};

	const explicit = collectExplicitFields(data, options, collected, consume);

	const id = readLeadId(data, entries, options.idPath, consume);
	lead.sourceLeadId = id;

	for (const entry of entries) {
		if (consumed.has(entry)) {
			continue;
		}
		const field = detectField(entry.segments);
		if (field === undefined || explicit.has(field) || (!isMultiValued(field) && collected.has(field))) {
			continue;
		}
		collected.set(field, [...(collected.get(field) ?? []), { key: formatPath(entry.segments), value: entry.value }]);
		consumed.add(entry);
	}

	const tracking = emptyTracking();
	for (const entry of entries) {
		if (!consumed.has(entry) && readTrackingEntry(entry, tracking)) {
			consumed.add(entry);
		}
	}

	applyCollectedFields(lead, collected, tracking, options.timeZoneOffsetMinutes ?? 0);
	mergeTracking(tracking, trackingFromUrl(lead.page?.url));
	lead.utm = tracking.utm;
	lead.clickIds = tracking.clickIds;

	for (const entry of entries) {
		if (!consumed.has(entry)) {
			addAnswer(lead, { key: answerKey(entry.segments), value: entry.value });
		}
	}

	lead.dedupKey = id !== undefined ? `${source}:${id}` : (hooks.dedupKey ?? defaultDedupKey)(lead, data);
	return finishLead(lead);
}

function defaultDedupKey(lead: NormalizedLead, data: unknown): string {
	return `${lead.source}:${sha256Hex(canonicalJson(data))}`;
}

function collectExplicitFields(
	data: Record<string, unknown>,
	options: GenericOptions,
	collected: Map<StandardField, CollectedValue[]>,
	consume: (prefix: readonly string[]) => void,
): Set<StandardField> {
	const explicit = new Set<StandardField>();

	for (const field of STANDARD_FIELDS) {
		const resolvedValue = options.values?.[field];
		const path = options.paths?.[field];
		if (resolvedValue !== undefined) {
			explicit.add(field);
			collected.set(field, [{ key: field, value: resolvedValue }]);
		} else if (path !== undefined && path.trim() !== '') {
			explicit.add(field);
			const segments = parsePath(path);
			consume(segments);
			const value = resolvePath(data, segments);
			if (value !== undefined && value !== null) {
				collected.set(field, [{ key: formatPath(segments), value }]);
			}
		}
	}

	return explicit;
}

function readLeadId(
	data: Record<string, unknown>,
	entries: FlatEntry[],
	idPath: string | undefined,
	consume: (prefix: readonly string[]) => void,
): string | undefined {
	if (idPath !== undefined && idPath.trim() !== '') {
		const segments = parsePath(idPath);
		consume(segments);
		return scalarText(resolvePath(data, segments));
	}

	const idEntry = entries.find((entry) => entry.segments.length === 1 && ID_NAMES.has(canonicalKey(entry.segments[0])));
	if (idEntry === undefined) {
		return undefined;
	}
	consume(idEntry.segments);
	return scalarText(idEntry.value);
}

function isMultiValued(field: StandardField): boolean {
	return field === 'phone' || field === 'email';
}

/** Finds the standard field a flattened entry holds, from its name and the object it sits in. */
function detectField(segments: readonly string[]): DetectedField | 'pageName' | undefined {
	const leaf = canonicalKey(segments[segments.length - 1]);
	const parents = segments.slice(0, -1).map(canonicalKey);

	const isTitle = leaf === 'name' || leaf === 'title';
	if (parents.length === 1 && parents[0] === 'form') {
		if (leaf === 'id') {
			return 'formId';
		}
		return isTitle ? 'formName' : undefined;
	}
	if (parents.length === 1 && parents[0] === 'page') {
		if (leaf === 'url') {
			return 'pageUrl';
		}
		return isTitle ? 'pageName' : undefined;
	}
	if (parents.length > 1 || (parents.length === 1 && !CONTAINERS.has(parents[0]))) {
		return undefined;
	}
	return COMMON_NAMES.find(([, names]) => names.includes(leaf))?.[0];
}

/** Reads UTM tags (`utm_source` anywhere, `source` inside an object named `utm`) and click ids; returns whether the entry was used. */
function readTrackingEntry(entry: FlatEntry, tracking: Tracking): boolean {
	const leafKey = entry.segments[entry.segments.length - 1];
	const parent = entry.segments.length > 1 ? canonicalKey(entry.segments[entry.segments.length - 2]) : '';
	const value = firstScalar(entry.value);
	if (value === undefined) {
		return false;
	}

	const utmField = utmFieldOf(leafKey) ?? (parent === 'utm' ? utmFieldOf(`utm_${leafKey}`) : undefined);
	if (utmField !== undefined) {
		tracking.utm[utmField] ??= value;
		return true;
	}
	const clickId = clickIdKeyOf(leafKey);
	if (clickId !== undefined) {
		tracking.clickIds[clickId] ??= value;
		return true;
	}
	return false;
}

function answerKey(segments: readonly string[]): string {
	const unwrapped = segments.length > 1 && ANSWER_CONTAINERS.has(canonicalKey(segments[0])) ? segments.slice(1) : segments;
	return formatPath(unwrapped);
}

function texts(values: CollectedValue[]): string[] {
	return values.flatMap(({ value }) => (Array.isArray(value) ? value : [value])).map((item) => scalarText(item)).filter(isText);
}

function applyCollectedFields(
	lead: NormalizedLead,
	collected: Map<StandardField, CollectedValue[]>,
	tracking: Tracking,
	timeZoneOffsetMinutes: number,
): void {
	const first = (field: StandardField): string | undefined => texts(collected.get(field) ?? [])[0];

	// Explicit parts go first, so that splitting the full name never overrides them.
	lead.firstName = first('firstName');
	lead.middleName = first('middleName');
	lead.lastName = first('lastName');
	applyFullName(lead, first('name'));

	for (const { value } of collected.get('phone') ?? []) {
		addPhones(lead, value);
	}
	for (const { key, value } of collected.get('email') ?? []) {
		addEmails(lead, value, key);
	}

	const comments = texts(collected.get('comment') ?? []);
	lead.comment = comments.length === 0 ? undefined : comments.join('\n');
	lead.city = first('city');
	lead.form = { id: first('formId'), name: first('formName') };
	lead.page = { name: first('pageName'), url: first('pageUrl') };

	for (const { key, value } of collected.get('createdAt') ?? []) {
		const createdAt = toIsoTime(Array.isArray(value) ? value[0] : value, timeZoneOffsetMinutes);
		if (createdAt === undefined) {
			addAnswer(lead, { key, value });
		} else {
			lead.createdAt ??= createdAt;
		}
	}

	for (const [field, utmField] of Object.entries(UTM_BY_FIELD) as Array<[StandardField, keyof LeadUtm]>) {
		const value = first(field);
		if (value !== undefined) {
			tracking.utm[utmField] = value;
		}
	}

	const isTest = first('isTest')?.toLowerCase();
	lead.isTest = isTest !== undefined && ['true', '1', 'yes', 'да', 'test'].includes(isTest);
}
