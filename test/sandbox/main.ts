/**
 * Command line entry of the WEEEK sandbox:
 *
 *   node .build/test/sandbox/main.js [--port N] [--token T]
 *
 * Prints the base URL, the token and the seeded funnels with their statuses and custom fields,
 * then serves until SIGINT or SIGTERM.
 */

import { SEED, startSandbox, type SandboxOptions } from './server';

const USAGE = 'Usage: node .build/test/sandbox/main.js [--port N] [--token T]';

/** Reads `--port` and `--token` (also as `--port=N`); throws on anything else. */
export function parseArguments(args: readonly string[]): SandboxOptions {
	const options: SandboxOptions = {};

	for (let index = 0; index < args.length; index += 1) {
		const [flag, inlineValue] = args[index].split(/=(.*)/s, 2);
		if (flag === '--help' || flag === '-h') {
			throw new Error(USAGE);
		}
		if (flag !== '--port' && flag !== '--token') {
			throw new Error(`Unknown option '${flag}'.\n${USAGE}`);
		}

		const value = inlineValue ?? args[index + 1];
		if (inlineValue === undefined) {
			index += 1;
		}
		if (value === undefined || value === '') {
			throw new Error(`Option ${flag} needs a value.\n${USAGE}`);
		}

		if (flag === '--port') {
			const port = Number(value);
			if (!Number.isInteger(port) || port < 0 || port > 65535) {
				throw new Error(`Invalid port '${value}': use a number from 0 to 65535 (0 picks a free port).`);
			}
			options.port = port;
		} else {
			options.token = value;
		}
	}

	return options;
}

/** Lists the seeded funnels, their statuses and custom fields, one per line. */
export function describeSeed(): string[] {
	const lines: string[] = [];
	for (const funnel of Object.values(SEED.funnels)) {
		lines.push(`Funnel "${funnel.name}": ${funnel.id}`);
		for (const status of Object.values(SEED.statuses).filter((candidate) => candidate.funnelId === funnel.id)) {
			lines.push(`  status "${status.name}": ${status.id}`);
		}
		if (funnel.id === SEED.funnels.sales.id) {
			for (const field of Object.values(SEED.customFields)) {
				lines.push(`  custom field "${field.name}" (${field.type}): ${field.id}`);
			}
		}
	}
	return lines;
}

async function main(): Promise<void> {
	let options: SandboxOptions;
	try {
		options = parseArguments(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n`);
		process.exitCode = 2;
		return;
	}

	const sandbox = await startSandbox(options);
	const lines = [`WEEEK sandbox base URL: ${sandbox.baseUrl}`, `WEEEK sandbox token: ${sandbox.token}`, ...describeSeed()];
	process.stdout.write(`${lines.join('\n')}\n`);

	const stop = (): void => {
		sandbox.close().then(
			() => process.exit(0),
			(error: unknown) => {
				process.stderr.write(`WEEEK sandbox failed to stop: ${String(error)}\n`);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`WEEEK sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
