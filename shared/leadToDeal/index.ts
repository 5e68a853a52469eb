/**
 * Lead → Deal: one lead in, a WEEEK contact (found or created) and a deal in the chosen status out,
 * linked, without duplicates when the source sends the same lead again.
 *
 * Calls for a new lead in "create" contact mode: create contact, create deal with `contacts[]`
 * (two, not three: no separate link call). Duplicate protection:
 * - the lead key (source dedup key) is written into the deal description (and an optional custom field);
 * - `LeadMemory` in host state remembers handled keys, so a redelivery costs no WEEEK call;
 * - an attempt that failed after WEEEK may have applied it leaves the key `uncertain`; the next
 *   attempt, or the retry right away, first looks for the deal by its key in the target status.
 */
import { KeyedMutex } from '../concurrency';
import { ConfigurationError, LeadInputError, WeeekError } from '../errors';
import type { NormalizedLead } from '../leads/types';
import type { WeeekClient } from '../weeek/client';
import type { WeeekDeal } from '../weeek/schemas';
import { findContactForLead, mergeContactDetails } from './contacts';
import { LeadMemory } from './memory';
import { buildDealDescription, buildDealTitle, leadKeyLine } from './text';

export { LeadMemory } from './memory';
export type { LeadMemoryState } from './memory';
export * from './text';
export { findContactForLead } from './contacts';

export type ContactMode = 'create' | 'reuse' | 'update';

export interface LeadToDealSettings {
	statusId: string;
	contactMode: ContactMode;
	/** Title with placeholders such as `{source}: {name}`. */
	titleTemplate?: string;
	amount?: number;
	/** Text added to the generated description. */
	descriptionNote?: string;
	/** Deal custom field id → value (already resolved from the lead by the host). */
	customFields?: Record<string, unknown>;
	/** Custom field (text) that receives the lead key as well, for users who filter by it in WEEEK. */
	leadKeyFieldId?: string;
	/** Look the key up in WEEEK before every create, not only after an uncertain failure. */
	alwaysCheckWeeek?: boolean;
}

export type ContactOutcome = 'created' | 'reused' | 'updated';
export type DealOutcome = 'created' | 'existing';

export interface LeadToDealResult {
	lead: NormalizedLead;
	contact?: { id: string; outcome: ContactOutcome };
	deal: { id: string; outcome: DealOutcome; statusId: string };
	/** WEEEK API calls this lead needed (retries inside one call not counted). */
	weeekCalls: number;
	/** Whether the result came from memory without asking WEEEK. */
	fromMemory: boolean;
}

export interface LeadToDealContext {
	client: WeeekClient;
	memory: LeadMemory;
	now: () => number;
}

/** How many recent deals of the status are read when WEEEK's search does not find the key. */
const RECONCILE_SCAN_LIMIT = 200;

/** One lock per lead key and status in this process, so parallel deliveries of a lead run one after another. */
const leadLocks = new KeyedMutex();

export async function leadToDeal(lead: NormalizedLead, settings: LeadToDealSettings, context: LeadToDealContext): Promise<LeadToDealResult> {
	return await leadLocks.run(`${settings.statusId}\n${lead.dedupKey}`, () => handleLead(lead, settings, context));
}

async function handleLead(lead: NormalizedLead, settings: LeadToDealSettings, context: LeadToDealContext): Promise<LeadToDealResult> {
	validateSettings(settings);
	if (lead.isTest) {
		throw new ConfigurationError('testLead', 'This lead is a test ping (for example Tilda\'s test=test): it is not sent to WEEEK', { key: lead.dedupKey });
	}

	const calls = { count: 0 };
	const client = countingClient(context.client, calls);
	const remembered = context.memory.get(lead.dedupKey, context.now());

	if (remembered?.state === 'done' && remembered.dealId !== undefined) {
		return {
			lead,
			contact: remembered.contactId === undefined ? undefined : { id: remembered.contactId, outcome: 'reused' },
			deal: { id: remembered.dealId, outcome: 'existing', statusId: settings.statusId },
			weeekCalls: 0,
			fromMemory: true,
		};
	}

	if (remembered?.state === 'uncertain' || settings.alwaysCheckWeeek) {
		const existing = await findDealByLeadKey(client, settings.statusId, lead);
		if (existing !== undefined) {
			const contactId = existing.contacts?.[0] ?? undefined;
			context.memory.set(lead.dedupKey, { state: 'done', at: context.now(), dealId: existing.id, contactId });
			return {
				lead,
				contact: contactId === undefined ? undefined : { id: contactId, outcome: 'reused' },
				deal: { id: existing.id, outcome: 'existing', statusId: settings.statusId },
				weeekCalls: calls.count,
				fromMemory: false,
			};
		}
	}

	// After an uncertain attempt the contact may already exist: reuse the one recorded, or look for
	// it even in "create" mode, so a retry never leaves a second contact behind.
	const contact =
		remembered?.state === 'uncertain' && remembered.contactId !== undefined
			? { id: remembered.contactId, outcome: 'created' as const }
			: await resolveContact(client, lead, remembered?.state === 'uncertain' && settings.contactMode === 'create' ? 'reuse' : settings.contactMode, context);
	const deal = await createDealOnce(client, lead, settings, contact.id, context);

	context.memory.set(lead.dedupKey, { state: 'done', at: context.now(), dealId: deal.deal.id, contactId: contact.id });
	return {
		lead,
		contact: { id: contact.id, outcome: contact.outcome },
		deal: { id: deal.deal.id, outcome: deal.outcome, statusId: settings.statusId },
		weeekCalls: calls.count,
		fromMemory: false,
	};
}

function validateSettings(settings: LeadToDealSettings): void {
	if (settings.statusId.trim() === '') {
		throw new ConfigurationError('missingStatus', 'No funnel status is chosen for the deal: pick a funnel, then one of its statuses');
	}
	if (settings.amount !== undefined && !Number.isFinite(settings.amount)) {
		throw new ConfigurationError('invalidAmount', `The deal amount '${String(settings.amount)}' is not a number: enter digits such as 150000`, {
			value: String(settings.amount),
		});
	}
}

async function resolveContact(
	client: WeeekClient,
	lead: NormalizedLead,
	mode: ContactMode,
	context: LeadToDealContext,
): Promise<{ id: string; outcome: ContactOutcome }> {
	if (mode !== 'create') {
		const match = await findContactForLead(client, lead);
		if (match !== undefined) {
			if (mode === 'reuse') return { id: match.id, outcome: 'reused' };

			const merged = mergeContactDetails(match, lead);
			if (merged === undefined) return { id: match.id, outcome: 'reused' };
			return { id: (await client.updateContact(match.id, merged)).id, outcome: 'updated' };
		}
	}

	try {
		return { id: (await client.createContact(contactInput(lead))).id, outcome: 'created' };
	} catch (error) {
		if (!(error instanceof WeeekError) || !error.mayHaveApplied) throw error;

		// The response was lost: find the contact WEEEK may have created before creating another.
		context.memory.set(lead.dedupKey, { state: 'uncertain', at: context.now() });
		const created = await findContactForLead(client, lead);
		if (created !== undefined) return { id: created.id, outcome: 'created' };
		return { id: (await client.createContact(contactInput(lead))).id, outcome: 'created' };
	}
}

async function createDealOnce(
	client: WeeekClient,
	lead: NormalizedLead,
	settings: LeadToDealSettings,
	contactId: string,
	context: LeadToDealContext,
): Promise<{ deal: WeeekDeal; outcome: DealOutcome }> {
	const input = {
		title: buildDealTitle(lead, settings.titleTemplate),
		amount: settings.amount,
		description: buildDealDescription(lead, settings.descriptionNote),
		contacts: [contactId],
		customFields: dealCustomFields(lead, settings),
	};

	try {
		return { deal: await client.createDeal(settings.statusId, input), outcome: 'created' };
	} catch (error) {
		if (!(error instanceof WeeekError) || !error.mayHaveApplied) throw error;

		// Remember the doubt first, so a crash or a second failure still reconciles next time.
		context.memory.set(lead.dedupKey, { state: 'uncertain', at: context.now(), contactId });
		const existing = await findDealByLeadKey(client, settings.statusId, lead);
		if (existing !== undefined) return { deal: existing, outcome: 'created' };
		return { deal: await client.createDeal(settings.statusId, input), outcome: 'created' };
	}
}

function contactInput(lead: NormalizedLead) {
	const firstName = lead.firstName || lead.name || lead.phones[0] || lead.emails[0];
	if (firstName === undefined || firstName.trim() === '') {
		const rejected = [...lead.phonesRaw, ...lead.answers.filter((answer) => /mail/i.test(answer.key)).map((answer) => String(answer.value))];
		const detail = rejected.length > 0 ? ` (the values sent, ${rejected.slice(0, 3).join(', ')}, are not a valid phone or e-mail)` : '';
		throw new LeadInputError(
			'noContactData',
			`The lead ${lead.dedupKey} has no name, phone or e-mail${detail}, so WEEEK cannot create a contact (it requires a first name): check what the source sends and the field mapping`,
			{ field: 'name', params: { key: lead.dedupKey, values: rejected.slice(0, 3).join(', ') } },
		);
	}
	return {
		firstName: firstName.slice(0, 255),
		lastName: lead.firstName ? lead.lastName : undefined,
		middleName: lead.middleName,
		phones: lead.phones,
		emails: lead.emails,
	};
}

function dealCustomFields(lead: NormalizedLead, settings: LeadToDealSettings): Record<string, unknown> | undefined {
	const fields: Record<string, unknown> = { ...(settings.customFields ?? {}) };
	if (settings.leadKeyFieldId) fields[settings.leadKeyFieldId] = lead.dedupKey;
	return Object.keys(fields).length > 0 ? fields : undefined;
}

/**
 * Finds the deal of this lead in the status by the key line in its description. WEEEK's search is
 * tried first; because what it matches is undocumented, the newest deals are also read and every
 * candidate is checked here, never trusted from the search alone.
 */
export async function findDealByLeadKey(client: WeeekClient, statusId: string, lead: Pick<NormalizedLead, 'dedupKey'>): Promise<WeeekDeal | undefined> {
	const marker = leadKeyLine(lead);
	const matches = (deal: WeeekDeal) => (deal.description ?? '').split('\n').some((line) => line.trim() === marker);

	const searched = await client.listDeals(statusId, { search: lead.dedupKey, limit: 50 });
	const found = searched.deals.find(matches);
	if (found !== undefined) return found;

	for (let offset = 0; offset < RECONCILE_SCAN_LIMIT; offset += 100) {
		const page = await client.listDeals(statusId, { sort: '-createdAt', limit: 100, offset });
		const hit = page.deals.find(matches);
		if (hit !== undefined) return hit;
		if (!page.hasMore) break;
	}
	return undefined;
}

/** Wraps the client so every API method call is counted once. */
function countingClient(client: WeeekClient, calls: { count: number }): WeeekClient {
	return new Proxy(client, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver) as unknown;
			if (typeof value !== 'function') return value;
			return (...args: unknown[]) => {
				calls.count++;
				return (value as (...input: unknown[]) => unknown).apply(target, args);
			};
		},
	});
}
