/**
 * Runs `worker` over `items` with at most `limit` calls in flight, keeping results in input order.
 * A rejected call rejects the whole run only after the calls already started have settled, so no
 * work is abandoned halfway.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
	let next = 0;
	let failure: { error: unknown } | undefined;

	async function lane(): Promise<void> {
		while (failure === undefined && next < items.length) {
			const index = next++;
			try {
				results[index] = await worker(items[index], index);
			} catch (error) {
				failure ??= { error };
			}
		}
	}

	await Promise.all(Array.from({ length: width }, () => lane()));
	if (failure !== undefined) throw failure.error;
	return results;
}

/**
 * Serializes work per key: a call for a key waits until the previous call for the same key has
 * settled. Used so that two deliveries of one lead in the same batch never run side by side.
 */
export class KeyedMutex {
	private readonly tails = new Map<string, Promise<void>>();

	async run<T>(key: string, work: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		let release!: () => void;
		const current = new Promise<void>((resolve) => (release = resolve));
		const tail = previous.then(() => current);
		this.tails.set(key, tail);

		await previous;
		try {
			return await work();
		} finally {
			release();
			if (this.tails.get(key) === tail) this.tails.delete(key);
		}
	}
}
