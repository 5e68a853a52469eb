/**
 * A bounded memory of recently seen dedup keys, kept as a plain object so hosts can store it in
 * their own state (n8n workflow static data, Node-RED context) and get it back after a restart.
 *
 * Sources redeliver for hours (Facebook, VK, Tilda all retry), so entries live for `ttlMs`
 * (48 h by default). The oldest entries are dropped once `maxEntries` is reached.
 */

export interface RecentKeysState {
	/** Dedup key → milliseconds since the Unix epoch when it was recorded. */
	seen: Record<string, number>;
}

export const DEFAULT_RECENT_KEYS_TTL_MS = 48 * 60 * 60 * 1000;
export const DEFAULT_RECENT_KEYS_MAX_ENTRIES = 10_000;

export class RecentKeys {
	private readonly state: RecentKeysState;

	/** Wraps `state` in place, so changes are visible to the host that owns the object. */
	constructor(
		state: Partial<RecentKeysState> | undefined,
		private readonly ttlMs = DEFAULT_RECENT_KEYS_TTL_MS,
		private readonly maxEntries = DEFAULT_RECENT_KEYS_MAX_ENTRIES,
	) {
		const target = (state ?? {}) as RecentKeysState;
		if (target.seen === undefined || target.seen === null || typeof target.seen !== 'object') {
			target.seen = Object.create(null) as Record<string, number>;
		}
		this.state = target;
	}

	get snapshot(): RecentKeysState {
		return this.state;
	}

	has(key: string, now: number): boolean {
		const recordedAt = this.state.seen[key];
		return typeof recordedAt === 'number' && now - recordedAt < this.ttlMs;
	}

	add(key: string, now: number): void {
		this.state.seen[key] = now;
		this.prune(now);
	}

	private prune(now: number): void {
		const entries = Object.entries(this.state.seen);
		const fresh = entries.filter(([, recordedAt]) => now - recordedAt < this.ttlMs);
		if (fresh.length === entries.length && entries.length <= this.maxEntries) return;

		fresh.sort((a, b) => a[1] - b[1]);
		const kept = fresh.slice(Math.max(0, fresh.length - this.maxEntries));
		const seen = Object.create(null) as Record<string, number>;
		for (const [key, recordedAt] of kept) seen[key] = recordedAt;
		this.state.seen = seen;
	}
}
