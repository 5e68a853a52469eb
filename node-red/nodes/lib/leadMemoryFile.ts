/**
 * Lead → Deal memory kept as a JSON file under Node-RED's user directory, so it survives restarts
 * even when context is memory-only: `<userDir>/weeek/lead-memory-<nodeId>.json`.
 *
 * Each save writes a temporary file, flushes it and renames it over the old one, so a crash leaves
 * either the old or the new memory, never half a file. Saves run one after another.
 */
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

import type { LeadMemoryState } from '../../../shared/leadToDeal/memory';
import type { FileProblem } from './fileProblem';

let temporaryCounter = 0;

export class LeadMemoryFile {
	private queue: Promise<void> = Promise.resolve();

	constructor(readonly filePath: string) {}

	/** The file of a node: `<userDir>/weeek/lead-memory-<nodeId>.json`. Node ids are hex, so they are safe in a file name. */
	static forNode(userDir: string, nodeId: string): LeadMemoryFile {
		const safeId = nodeId.replace(/[^\w.-]/g, '_');
		return new LeadMemoryFile(path.join(userDir, 'weeek', `lead-memory-${safeId}.json`));
	}

	/**
	 * Reads the saved memory. A missing file is an empty memory. An unreadable one is reported
	 * through `warn` and also starts empty, because refusing to start would stop every lead.
	 */
	load(warn: (problem: FileProblem) => void): LeadMemoryState {
		let text: string;
		try {
			text = readFileSync(this.filePath, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn({ kind: 'unreadable', filePath: this.filePath, reason: (error as Error).message });
			return { entries: {} };
		}

		try {
			const parsed = JSON.parse(text) as Partial<LeadMemoryState>;
			if (parsed !== null && typeof parsed === 'object' && parsed.entries !== null && typeof parsed.entries === 'object') return { entries: parsed.entries };
		} catch {
			// Reported below like any other unusable content.
		}
		warn({ kind: 'notJson', filePath: this.filePath });
		return { entries: {} };
	}

	/** Saves `state` as it is when the write starts; resolves when it is on disk. */
	save(state: LeadMemoryState): Promise<void> {
		const write = this.queue.then(() => this.write(state));
		this.queue = write.catch(() => undefined);
		return write;
	}

	private async write(state: LeadMemoryState): Promise<void> {
		await mkdir(path.dirname(this.filePath), { recursive: true });
		temporaryCounter += 1;
		const temporary = `${this.filePath}.${process.pid}.${temporaryCounter}.tmp`;

		try {
			const handle = await open(temporary, 'w', 0o600);
			try {
				await handle.writeFile(JSON.stringify(state), 'utf8');
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
