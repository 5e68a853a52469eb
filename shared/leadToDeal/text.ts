/**
 * Deal title and description built from a lead. WEEEK's API has no notes, so the description
 * records where the lead came from, its answers, and the lead key used to find the deal again.
 */
import type { NormalizedLead } from '../leads/types';

export const SOURCE_LABELS: Record<NormalizedLead['source'], string> = {
	facebook: 'Facebook',
	vk: 'VK',
	mytarget: 'myTarget',
	tilda: 'Tilda',
	platformalp: 'PlatformaLP',
	generic: 'Webhook',
};

export const DEFAULT_TITLE_TEMPLATE = '{source}: {name}';

/** Prefix of the description line that stores the dedup key; searched for when reconciling. */
export const LEAD_KEY_PREFIX = 'Lead key: ';

export function leadKeyLine(lead: Pick<NormalizedLead, 'dedupKey'>): string {
	return `${LEAD_KEY_PREFIX}${lead.dedupKey}`;
}

/** The best short label for the person: name, else phone, else e-mail. */
export function leadDisplayName(lead: NormalizedLead): string {
	const joined = [lead.firstName, lead.lastName].filter((part) => part !== undefined && part !== '').join(' ');
	return lead.name || joined || lead.phones[0] || lead.emails[0] || 'no name';
}

/**
 * Fills `{source}`, `{name}`, `{phone}`, `{email}`, `{form}`, `{campaign}`, `{ad}`, `{city}` and
 * `{utm_source}`-style placeholders; unknown placeholders stay as written. WEEEK limits titles to 255 characters.
 */
export function buildDealTitle(lead: NormalizedLead, template = DEFAULT_TITLE_TEMPLATE): string {
	const values: Record<string, string | undefined> = {
		source: SOURCE_LABELS[lead.source],
		name: leadDisplayName(lead),
		phone: lead.phones[0],
		email: lead.emails[0],
		form: lead.form?.name ?? lead.form?.id,
		campaign: lead.campaign?.name ?? lead.campaign?.id ?? lead.utm.campaign,
		ad: lead.ad?.name ?? lead.ad?.id,
		city: lead.city,
		utm_source: lead.utm.source,
		utm_medium: lead.utm.medium,
		utm_campaign: lead.utm.campaign,
		utm_content: lead.utm.content,
		utm_term: lead.utm.term,
	};

	const title = (template.trim() === '' ? DEFAULT_TITLE_TEMPLATE : template)
		.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in values ? (values[name] ?? '') : placeholder))
		.replace(/\s+/g, ' ')
		.replace(/^[\s:—-]+|[\s:—-]+$/g, '')
		.trim();
	return (title || leadDisplayName(lead)).slice(0, 255);
}

function describeRef(ref: { id?: string; name?: string } | undefined): string | undefined {
	if (ref === undefined || (ref.id === undefined && ref.name === undefined)) return undefined;
	if (ref.name !== undefined && ref.id !== undefined) return `${ref.name} (${ref.id})`;
	return ref.name ?? ref.id;
}

/** Plain-text description: source, form, campaign, ad, page, UTM tags, answers, comment and the lead key. */
export function buildDealDescription(lead: NormalizedLead, extra?: string): string {
	const lines: string[] = [];
	const add = (label: string, value: string | undefined) => {
		if (value !== undefined && value !== '') lines.push(`${label}: ${value}`);
	};

	add('Source', SOURCE_LABELS[lead.source]);
	add('Form', describeRef(lead.form));
	add('Campaign', describeRef(lead.campaign));
	add('Ad set', describeRef(lead.adGroup));
	add('Ad', describeRef(lead.ad));
	add('Page', lead.page?.url ?? describeRef(lead.page));
	add('Received', lead.createdAt ?? lead.receivedAt);

	const utm = Object.entries(lead.utm)
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([name, value]) => `utm_${name}=${String(value)}`);
	if (utm.length > 0) lines.push(`UTM: ${utm.join(', ')}`);

	add('Phones', lead.phones.join(', ') || undefined);
	add('E-mails', lead.emails.join(', ') || undefined);
	add('City', lead.city);
	add('Comment', lead.comment);
	if (lead.order?.amount !== undefined) add('Order amount', String(lead.order.amount));

	if (lead.answers.length > 0) {
		lines.push('Answers:');
		for (const answer of lead.answers) {
			const value = Array.isArray(answer.value) ? answer.value.join('; ') : answer.value;
			lines.push(`- ${answer.label ?? answer.key}: ${value}`);
		}
	}

	if (extra !== undefined && extra.trim() !== '') lines.push('', extra.trim());

	// A form can carry megabytes in one answer; WEEEK refuses such bodies (413), so long values are
	// shortened and the key line, which reconciling depends on, always stays at the end.
	const body = lines.map((line) => (line.length > MAX_DESCRIPTION_LINE ? `${line.slice(0, MAX_DESCRIPTION_LINE)}…` : line)).join('\n');
	const shortened = body.length > MAX_DESCRIPTION_BODY ? `${body.slice(0, MAX_DESCRIPTION_BODY)}…` : body;
	return `${shortened}\n\n${leadKeyLine(lead)}`;
}

/** Longest description line kept in full, in characters. */
export const MAX_DESCRIPTION_LINE = 2_000;
/** Longest description kept before the lead key line, in characters. */
export const MAX_DESCRIPTION_BODY = 20_000;
