import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { describeSeed, parseArguments } from './main';
import { SEED } from './server';

describe('sandbox CLI arguments', () => {
	it('reads port and token', () => {
		expect(parseArguments(['--port', '8123', '--token', 'abc'])).toEqual({ port: 8123, token: 'abc' });
		expect(parseArguments(['--port=0', '--token=a=b'])).toEqual({ port: 0, token: 'a=b' });
		expect(parseArguments([])).toEqual({});
	});

	it('rejects bad input', () => {
		expect(() => parseArguments(['--port', 'http'])).toThrow(/Invalid port 'http'/);
		expect(() => parseArguments(['--port', '70000'])).toThrow(/Invalid port/);
		expect(() => parseArguments(['--token'])).toThrow(/needs a value/);
		expect(() => parseArguments(['--host', '0.0.0.0'])).toThrow(/Unknown option '--host'/);
	});

	it('lists seeded funnels and statuses', () => {
		const text = describeSeed().join('\n');
		for (const entry of [...Object.values(SEED.funnels), ...Object.values(SEED.statuses)]) {
			expect(text).toContain(`"${entry.name}": ${entry.id}`);
		}
	});
});

describe('sandbox CLI process', () => {
	it('prints, serves, exits 0 on SIGINT', async () => {
		const child = spawn(process.execPath, [join(__dirname, 'main.js'), '--token', 'cli-token'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

		try {
			const deadline = Date.now() + 5000;
			while (!output.includes('Done')) {
				if (Date.now() > deadline || child.exitCode !== null) {
					throw new Error(`sandbox CLI printed no seed within 5 s:\n${output}`);
				}
				await new Promise((resolve) => setTimeout(resolve, 20));
			}

			const lines = output.split('\n');
			expect(lines[0]).toMatch(/^WEEEK sandbox base URL: http:\/\/127\.0\.0\.1:\d+\/public\/v1$/);
			expect(lines[1]).toBe('WEEEK sandbox token: cli-token');
			expect(output).toContain(SEED.statuses.newLead.id);

			const baseUrl = lines[0].replace('WEEEK sandbox base URL: ', '');
			const response = await fetch(`${baseUrl}/crm/funnels`, { headers: { Authorization: 'Bearer cli-token' } });
			expect(response.status).toBe(200);
		} finally {
			child.kill('SIGINT');
		}

		expect(await exited).toBe(0);
	});
});
