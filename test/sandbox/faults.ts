/**
 * Fault injection for the sandbox's `/public/v1` routes: random faults drawn from a seeded
 * PRNG (so a run with the same seed and the same request order repeats exactly), one-shot
 * faults queued for matching requests, and a per-token rate limit.
 */

import { matchesPathPattern } from './router';

export type FaultKind = '429' | '500' | '502' | '503' | 'reset' | 'slow' | 'appliedError' | 'appliedDrop';
export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', '502', '503', 'reset', 'slow', 'appliedError', 'appliedDrop'];

export interface FaultSettings {
	/** PRNG seed; setting it restarts the random sequence. */
	seed: number;
	/** Delay in ms added to every API response, faulty or not. */
	latencyMs: number;
	/** Probability (0..1) of a 429 with `Retry-After`; the request is not applied. */
	rate429: number;
	/** Probability of a 500, 502 or 503 (picked at random); the request is not applied. */
	rate5xx: number;
	/** Probability that the request is applied and its response sent `slowMs` later. */
	rateSlow: number;
	slowMs: number;
	/** Probability that the socket is destroyed without a response; the request is not applied. */
	rateReset: number;
	/** Probability that the request is applied and then gets a 500 response. */
	rateAppliedError: number;
	/** Probability that the request is applied and then the socket is destroyed without a response. */
	rateAppliedDrop: number;
	/** Requests allowed per token in any rolling second before 429; 0 turns the limit off. */
	rateLimitPerSecond: number;
	/** `Retry-After` value in seconds on every 429. */
	retryAfterSeconds: number;
}

export interface OneShotFault {
	/** HTTP method to match, any case; absent matches every method. */
	method?: string;
	/**
	 * Path below `/public/v1`, e.g. `/crm/statuses/:id/deals`. A `:name` or `*` segment matches any
	 * one segment, and a trailing `/**` matches any rest of the path.
	 */
	pathPattern?: string;
	fault: FaultKind;
	/** Delay for a `slow` fault; the `slowMs` setting when absent. */
	slowMs?: number;
	/** How many matching requests get the fault; 1 when absent. */
	times?: number;
}

/** How the server treats one request; `rateLimit` is the 429 of `rateLimitPerSecond`. */
export interface FaultDecision {
	fault: FaultKind | 'rateLimit';
	/** Extra delay for a `slow` fault, in ms. */
	slowMs?: number;
}

export const DEFAULT_FAULT_SETTINGS: Readonly<FaultSettings> = Object.freeze({
	seed: 1,
	latencyMs: 0,
	rate429: 0,
	rate5xx: 0,
	rateSlow: 0,
	slowMs: 10_000,
	rateReset: 0,
	rateAppliedError: 0,
	rateAppliedDrop: 0,
	rateLimitPerSecond: 0,
	retryAfterSeconds: 1,
});

const RATE_KEYS = ['rate429', 'rate5xx', 'rateReset', 'rateSlow', 'rateAppliedError', 'rateAppliedDrop'] as const;
const DURATION_KEYS = ['latencyMs', 'slowMs', 'rateLimitPerSecond', 'retryAfterSeconds'] as const;

/** mulberry32: a small, fast 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Checks a partial settings object from a test or the control route; throws a readable `Error`. */
export function validateFaultSettings(input: unknown): Partial<FaultSettings> {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		throw new Error('Fault settings must be a JSON object such as {"rate429": 0.2}.');
	}

	const settings: Partial<FaultSettings> = {};
	for (const [key, value] of Object.entries(input)) {
		if (value === undefined) {
			continue;
		}
		if (!(key in DEFAULT_FAULT_SETTINGS)) {
			throw new Error(`Unknown fault setting '${key}': use one of ${Object.keys(DEFAULT_FAULT_SETTINGS).join(', ')}.`);
		}
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			throw new Error(`Fault setting '${key}' must be a number, got ${JSON.stringify(value)}.`);
		}
		if ((RATE_KEYS as readonly string[]).includes(key) && (value < 0 || value > 1)) {
			throw new Error(`Fault setting '${key}' is a probability and must be between 0 and 1, got ${value}.`);
		}
		if ((DURATION_KEYS as readonly string[]).includes(key) && value < 0) {
			throw new Error(`Fault setting '${key}' must not be negative, got ${value}.`);
		}
		if (key === 'seed' && !Number.isInteger(value)) {
			throw new Error(`Fault setting 'seed' must be an integer, got ${value}.`);
		}
		settings[key as keyof FaultSettings] = value;
	}
	return settings;
}

/** Checks a one-shot fault rule; throws a readable `Error`. */
export function validateOneShotFault(input: unknown): OneShotFault {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		throw new Error('A one-shot fault must be a JSON object such as {"fault": "500", "pathPattern": "/crm/contacts"}.');
	}
	const rule = input as Record<string, unknown>;

	if (!FAULT_KINDS.includes(rule.fault as FaultKind)) {
		throw new Error(`Invalid one-shot fault ${JSON.stringify(rule.fault)}: use one of ${FAULT_KINDS.join(', ')}.`);
	}
	if (rule.method !== undefined && typeof rule.method !== 'string') {
		throw new Error('One-shot fault `method` must be a string such as "POST".');
	}
	if (rule.pathPattern !== undefined && (typeof rule.pathPattern !== 'string' || !rule.pathPattern.startsWith('/'))) {
		throw new Error('One-shot fault `pathPattern` must be a path starting with "/", such as "/crm/statuses/:id/deals".');
	}
	if (rule.slowMs !== undefined && (typeof rule.slowMs !== 'number' || !(rule.slowMs >= 0))) {
		throw new Error('One-shot fault `slowMs` must be a number of milliseconds, 0 or more.');
	}
	if (rule.times !== undefined && (typeof rule.times !== 'number' || !Number.isInteger(rule.times) || rule.times < 1)) {
		throw new Error('One-shot fault `times` must be a positive integer.');
	}

	return {
		fault: rule.fault as FaultKind,
		method: rule.method as string | undefined,
		pathPattern: (rule.pathPattern as string | undefined)?.replace(/^\/public\/v1(?=\/)/, ''),
		slowMs: rule.slowMs as number | undefined,
		times: rule.times as number | undefined,
	};
}

/** Decides, request by request, which fault (if any) the server injects. */
export class FaultPlanner {
	private current: FaultSettings = { ...DEFAULT_FAULT_SETTINGS };
	private random = mulberry32(DEFAULT_FAULT_SETTINGS.seed);
	private readonly queue: Array<OneShotFault & { remaining: number }> = [];
	/** Token → arrival times (ms) of the requests let through in the last second. */
	private readonly recentRequests = new Map<string, number[]>();

	get settings(): Readonly<FaultSettings> {
		return this.current;
	}

	/** Queued one-shot faults with the number of matching requests each still applies to. */
	get pending(): ReadonlyArray<OneShotFault & { remaining: number }> {
		return this.queue.map((rule) => ({ ...rule }));
	}

	/** Merges `partial` into the current settings; a `seed` in it restarts the random sequence. */
	configure(partial: Partial<FaultSettings>): void {
		const next = { ...this.current, ...validateFaultSettings(partial) };
		const total = RATE_KEYS.reduce((sum, key) => sum + next[key], 0);
		if (total > 1) {
			throw new Error(`Fault rates add up to ${total}; their sum must be at most 1.`);
		}

		this.current = next;
		if (partial.seed !== undefined) {
			this.random = mulberry32(next.seed);
		}
	}

	enqueue(rule: OneShotFault): void {
		const checked = validateOneShotFault(rule);
		this.queue.push({ ...checked, remaining: checked.times ?? 1 });
	}

	/** Restores no faults, the default seed, an empty queue and an empty rate window. */
	reset(): void {
		this.current = { ...DEFAULT_FAULT_SETTINGS };
		this.random = mulberry32(DEFAULT_FAULT_SETTINGS.seed);
		this.queue.length = 0;
		this.recentRequests.clear();
	}

	/**
	 * Picks the fault for one request: a matching one-shot rule first, then the rate limit,
	 * then the random faults. Returns undefined when the request is served normally.
	 */
	decide(method: string, path: string, token: string, now: number): FaultDecision | undefined {
		const rule = this.queue.find(
			(candidate) =>
				(candidate.method === undefined || candidate.method.toUpperCase() === method.toUpperCase()) &&
				(candidate.pathPattern === undefined || matchesPathPattern(candidate.pathPattern, path)),
		);
		if (rule !== undefined) {
			rule.remaining -= 1;
			if (rule.remaining <= 0) {
				this.queue.splice(this.queue.indexOf(rule), 1);
			}
			return { fault: rule.fault, slowMs: rule.fault === 'slow' ? (rule.slowMs ?? this.current.slowMs) : undefined };
		}

		if (this.isOverRateLimit(token, now)) {
			return { fault: 'rateLimit' };
		}

		return this.drawRandomFault();
	}

	private isOverRateLimit(token: string, now: number): boolean {
		const limit = this.current.rateLimitPerSecond;
		if (limit <= 0) {
			return false;
		}

		const recent = (this.recentRequests.get(token) ?? []).filter((at) => now - at < 1000);
		if (recent.length >= limit) {
			this.recentRequests.set(token, recent);
			return true;
		}
		recent.push(now);
		this.recentRequests.set(token, recent);
		return false;
	}

	/**
	 * Draws one number per request, plus one to pick the 5xx status, so the sequence depends only
	 * on the seed and the request order.
	 */
	private drawRandomFault(): FaultDecision | undefined {
		const draw = this.random();
		const settings = this.current;
		const outcomes: Array<[number, () => FaultDecision]> = [
			[settings.rate429, () => ({ fault: '429' })],
			[settings.rate5xx, () => ({ fault: (['500', '502', '503'] as const)[Math.floor(this.random() * 3)] })],
			[settings.rateReset, () => ({ fault: 'reset' })],
			[settings.rateSlow, () => ({ fault: 'slow', slowMs: settings.slowMs })],
			[settings.rateAppliedError, () => ({ fault: 'appliedError' })],
			[settings.rateAppliedDrop, () => ({ fault: 'appliedDrop' })],
		];

		let threshold = 0;
		for (const [rate, decision] of outcomes) {
			threshold += rate;
			if (draw < threshold) {
				return decision();
			}
		}
		return undefined;
	}
}
