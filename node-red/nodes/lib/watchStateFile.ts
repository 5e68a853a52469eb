/**
 * The state of a `weeek-watch` node as a JSON file under Node-RED's user directory,
 * `<userDir>/weeek/watch-<nodeId>.json`, so it survives restarts and redeploys even when context is
 * memory-only (the Node-RED default).
 *
 * Each save writes a temporary file, flushes it and renames it over the old one, so a crash leaves
 * either the old or the new state, never half a file. Saves run one after another.
 */
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

import type { FileProblem } from './fileProblem';

let temporaryCounter = 0;

export class WatchStateFile {
	private queue: Promise<void> = Promise.resolve();

	constructor(readonly filePath: string) {}

	/** Returns the file of a node. Node ids are hex, and anything else is replaced, so the name is safe. */
	static forNode(userDir: string, nodeId: string): WatchStateFile {
		const safeId = nodeId.replace(/[^\w.-]/g, '_');
		return new WatchStateFile(path.join(userDir, 'weeek', `watch-${safeId}.json`));
	}

	/**
	 * Reads the saved state. A missing file returns undefined. An unreadable one is reported through
	 * `warn` and also returns undefined, so the watch sets a new baseline instead of stopping.
	 */
	load(warn: (problem: FileProblem) => void): unknown {
		let text: string;
		try {
			text = readFileSync(this.filePath, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn({ kind: 'unreadable', filePath: this.filePath, reason: (error as Error).message });
			return undefined;
		}

		try {
			return JSON.parse(text) as unknown;
		} catch {
			warn({ kind: 'notJson', filePath: this.filePath });
			return undefined;
		}
	}

	/** Saves `state`; resolves when it is on disk. */
	save(state: unknown): Promise<void> {
		const write = this.queue.then(() => this.write(JSON.stringify(state)));
		this.queue = write.catch(() => undefined);
		return write;
	}

	/** Deletes the file, for a node removed from the flows. */
	async remove(): Promise<void> {
		await this.queue;
		await rm(this.filePath, { force: true });
	}

	private async write(text: string): Promise<void> {
		await mkdir(path.dirname(this.filePath), { recursive: true });
		temporaryCounter += 1;
		const temporary = `${this.filePath}.${process.pid}.${temporaryCounter}.tmp`;

		try {
			const handle = await open(temporary, 'w', 0o600);
			try {
				await handle.writeFile(text, 'utf8');
				await handle.sync();
			} finally {
				await handle.close();
			}
			await rename(temporary, this.filePath);
		} catch (error) {
			await rm(temporary, { force: true });
			throw error;
		}
	}
}
