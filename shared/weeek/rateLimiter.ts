/**
 * A token bucket that spaces WEEEK requests out in time.
 *
 * WEEEK documents no rate limit; community clients hold themselves to about 4 requests per second
 * per token, which is the default here. One limiter is shared by every node and execution that
 * uses the same token in one process, through `sharedRateLimiter`.
 */
import type { ClockPort, SleepPort } from '../ports';

export const DEFAULT_REQUESTS_PER_SECOND = 4;

export class RateLimiter {
	private tokens: number;
	private lastRefill: number;
	/** Chain of waiting callers, so requests leave in arrival order. */
	private queue: Promise<void> = Promise.resolve();

	constructor(
		private requestsPerSecond: number,
		private readonly clock: ClockPort,
		private readonly sleep: SleepPort,
		/** How many requests may leave at once after an idle spell. */
		private readonly burst = 1,
	) {
		this.tokens = burst;
		this.lastRefill = clock();
	}

	get rate(): number {
		return this.requestsPerSecond;
	}

	setRate(requestsPerSecond: number): void {
		this.requestsPerSecond = requestsPerSecond;
	}

	/** Resolves when the caller may send one request. */
	acquire(): Promise<void> {
		const turn = this.queue.then(() => this.takeToken());
		this.queue = turn.catch(() => undefined);
		return turn;
	}

	private async takeToken(): Promise<void> {
		if (!(this.requestsPerSecond > 0)) return;

		for (;;) {
			this.refill();
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return;
			}
			const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.requestsPerSecond);
			await this.sleep(Math.max(1, waitMs));
		}
	}

	private refill(): void {
		const now = this.clock();
		const elapsed = Math.max(0, now - this.lastRefill);
		this.lastRefill = now;
		this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.requestsPerSecond) / 1000);
	}
}

const sharedLimiters = new Map<string, RateLimiter>();

/**
 * Returns the process-wide limiter for `key` (a hash of base URL and token, never the token itself),
 * creating it on first use. A later call with another rate updates the shared limiter's rate.
 */
export function sharedRateLimiter(key: string, requestsPerSecond: number, clock: ClockPort, sleep: SleepPort): RateLimiter {
	let limiter = sharedLimiters.get(key);
	if (limiter === undefined) {
		limiter = new RateLimiter(requestsPerSecond, clock, sleep);
		sharedLimiters.set(key, limiter);
	} else if (limiter.rate !== requestsPerSecond) {
		limiter.setRate(requestsPerSecond);
	}
	return limiter;
}
