import { mapWithConcurrency } from '../../shared/concurrency';
import { LeadMemory, leadKeyLine, leadToDeal, type LeadToDealResult } from '../../shared/leadToDeal';
import { normalizeLead } from '../../shared/leads';
import type { NormalizedLead } from '../../shared/leads/types';
import { WeeekClient } from '../../shared/weeek/client';
import { RateLimiter } from '../../shared/weeek/rateLimiter';
import { createUndiciHttpPort } from '../../node-red/nodes/lib/http';
import { SEED, startSandbox, type Sandbox } from '../sandbox/server';

const LEAD_COUNT = 1000;
const RATE_LIMIT = 250;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function makeLeads(): NormalizedLead[] {
	return Array.from({ length: LEAD_COUNT }, (_, index) => {
		const number = String(index).padStart(4, '0');
		return normalizeLead('generic', {
			body: { id: `load-${number}`, name: `Клиент ${number}`, phone: `+7 (900) 100-${number.slice(0, 2)}-${number.slice(2)}`, email: `client${number}@example.ru` },
			contentType: 'application/json',
			receivedAt: Date.now(),
		});
	});
}

/** Largest number of API requests the sandbox saw inside any one-second window. */
function peakRequestsPerSecond(): number {
	const times = sandbox.requests.map((request) => request.at).sort((a, b) => a - b);
	let peak = 0;
	let start = 0;
	for (let end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= 1000) start++;
		peak = Math.max(peak, end - start + 1);
	}
	return peak;
}

describe('Lead → Deal under faults', () => {
	jest.setTimeout(240_000);

	it('ends 1,000 leads as one linked deal or a reported failure, never twice', async () => {
		sandbox.reset();
		sandbox.setFaults({
			seed: 20261204,
			rate429: 0.02,
			retryAfterSeconds: 0,
			rate5xx: 0.02,
			rateSlow: 0.01,
			slowMs: 600,
			rateReset: 0.02,
			rateAppliedError: 0.015,
			rateAppliedDrop: 0.015,
		});

		const limiter = new RateLimiter(RATE_LIMIT, Date.now, sleep);
		const client = new WeeekClient({
			baseUrl: sandbox.baseUrl,
			http: createUndiciHttpPort({ token: sandbox.token }),
			sleep,
			clock: Date.now,
			timeoutMs: 300,
			limiter,
			retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40, budgetMs: 10_000 },
		});
		const memory = new LeadMemory(undefined);
		const leads = makeLeads();
		const settings = { statusId: SEED.statuses.newLead.id, contactMode: 'create' as const };

		type Outcome = { lead: NormalizedLead; result?: LeadToDealResult; error?: unknown };
		const attempt = (lead: NormalizedLead) =>
			leadToDeal(lead, settings, { client, memory, now: Date.now }).then(
				(result): Outcome => ({ lead, result }),
				(error: unknown): Outcome => ({ lead, error }),
			);

		const outcomes = await mapWithConcurrency(leads, 8, attempt);
		const failures = outcomes.filter((outcome) => outcome.error !== undefined);
		const faultsSeen = sandbox.requests.filter((request) => request.fault !== undefined).length;

		// Every lead is accounted for: a result, or a failure that still carries the whole lead.
		expect(outcomes).toHaveLength(LEAD_COUNT);
		for (const failure of failures) {
			expect(failure.lead.dedupKey).toMatch(/^generic:load-\d{4}$/);
			expect(failure.error).toBeInstanceOf(Error);
		}
		expect(faultsSeen).toBeGreaterThan(LEAD_COUNT * 0.1);

		// A failed lead whose deal WEEEK did write is marked for reconciling, so a retry finds it.
		const dealsByKey = new Map<string, number>();
		for (const deal of sandbox.state.deals) {
			const key = (deal.description ?? '').split('\n').find((line) => line.startsWith('Lead key: '));
			dealsByKey.set(String(key), (dealsByKey.get(String(key)) ?? 0) + 1);
		}
		for (const failure of failures) {
			if (dealsByKey.has(leadKeyLine(failure.lead))) {
				expect(memory.get(failure.lead.dedupKey, Date.now())?.state).toBe('uncertain');
			}
		}

		// The failures are sent again, as a source redelivers them, with WEEEK healthy.
		sandbox.setFaults({ rate429: 0, rate5xx: 0, rateSlow: 0, rateReset: 0, rateAppliedError: 0, rateAppliedDrop: 0 });
		const retried = await mapWithConcurrency(
			failures.map((failure) => failure.lead),
			8,
			attempt,
		);
		expect(retried.filter((outcome) => outcome.error !== undefined)).toEqual([]);

		// Exactly one deal per lead, each linked to a contact that exists, and no duplicate contacts.
		expect(sandbox.state.deals).toHaveLength(LEAD_COUNT);
		const keys = new Set(sandbox.state.deals.map((deal) => (deal.description ?? '').split('\n').pop()));
		expect(keys.size).toBe(LEAD_COUNT);
		const contactIds = new Set(sandbox.state.contacts.map((contact) => contact.id));
		for (const deal of sandbox.state.deals) {
			expect(deal.contacts).toHaveLength(1);
			expect(contactIds.has(deal.contacts[0])).toBe(true);
		}
		const phones = sandbox.state.contacts.map((contact) => contact.phones[0]?.phone);
		expect(new Set(phones).size).toBe(phones.length);
		expect(sandbox.state.contacts).toHaveLength(LEAD_COUNT);

		// The shared limiter kept the request rate within its setting (one token of burst allowed).
		expect(peakRequestsPerSecond()).toBeLessThanOrEqual(RATE_LIMIT + 1);
	});
});
