/**
 * What Lead → Deal remembers about the leads it handled, kept as a plain object in host state
 * (n8n workflow static data, a Node-RED file in the user directory) so it survives restarts.
 *
 * A key is `done` once its deal exists, with the deal and contact ids, and `uncertain` while an
 * attempt failed in a way that may have written to WEEEK (a timeout, a lost response, a 5xx).
 * An uncertain key is reconciled against WEEEK before anything is created again.
 */

export type LeadOutcomeState = 'done' | 'uncertain';

export interface LeadMemoryEntry {
	state: LeadOutcomeState;
	/** Milliseconds since the Unix epoch of the last change. */
	at: number;
	dealId?: string;
	contactId?: string;
}

export interface LeadMemoryState {
	entries: Record<string, LeadMemoryEntry>;
}

/** Sources stop redelivering within hours; 48 h leaves a wide margin (Facebook's schedule is not published). */
export const LEAD_MEMORY_TTL_MS = 48 * 60 * 60 * 1000;
export const LEAD_MEMORY_MAX_ENTRIES = 20_000;

export class LeadMemory {
	private readonly state: LeadMemoryState;
	private writesSincePrune = 0;

	/** Uses `state` in place, so the host persists whatever this class changes. */
	constructor(state: Partial<LeadMemoryState> | undefined, private readonly ttlMs = LEAD_MEMORY_TTL_MS, private readonly maxEntries = LEAD_MEMORY_MAX_ENTRIES) {
		const target = (state ?? {}) as LeadMemoryState;
		if (target.entries === null || typeof target.entries !== 'object') target.entries = Object.create(null) as Record<string, LeadMemoryEntry>;
		this.state = target;
	}

	get snapshot(): LeadMemoryState {
		return this.state;
	}

	/** Returns an independent memory with the same entries, for dry runs that must not change the real one. */
	copy(): LeadMemory {
		const entries = Object.create(null) as Record<string, LeadMemoryEntry>;
		for (const [key, entry] of Object.entries(this.state.entries)) entries[key] = { ...entry };
		return new LeadMemory({ entries }, this.ttlMs, this.maxEntries);
	}

	get(key: string, now: number): LeadMemoryEntry | undefined {
		const entry = this.state.entries[key];
		if (entry === undefined || now - entry.at >= this.ttlMs) return undefined;
		return entry;
	}

	set(key: string, entry: LeadMemoryEntry): void {
		this.state.entries[key] = entry;
		this.writesSincePrune++;
		if (this.writesSincePrune >= 100 || Object.keys(this.state.entries).length > this.maxEntries) this.prune(entry.at);
	}

	delete(key: string): void {
		delete this.state.entries[key];
	}

	private prune(now: number): void {
		this.writesSincePrune = 0;
		const fresh = Object.entries(this.state.entries)
			.filter(([, entry]) => now - entry.at < this.ttlMs)
			.sort((a, b) => a[1].at - b[1].at);
		const kept = fresh.slice(Math.max(0, fresh.length - this.maxEntries));

		const entries = Object.create(null) as Record<string, LeadMemoryEntry>;
		for (const [key, entry] of kept) entries[key] = entry;
		this.state.entries = entries;
	}
}
