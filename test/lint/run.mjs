#!/usr/bin/env node
// Lints the n8n package offline with the rules n8n applies to community packages:
//   1. `n8n-node lint`   - node-cli's config (eslint.source.mjs) over the shipped sources
//   2. scanner, source   - the scanner's config (eslint.tarball.mjs) over package.json and
//                          {nodes,credentials}/**, as the scanner lints the attested source checkout
//   3. scanner, tarball  - the same config over every .js file and package.json of the `npm pack`
//                          tarball, unpacked
// Prints every problem and exits 1 when any pass reports an error. Warnings are listed but do not
// fail, because neither `n8n-node lint` nor the scanner fails on them.
//
// Usage: node test/lint/run.mjs [options]
//   --package-dir DIR  package to build, lint and pack (default: the repository root)
//   --skip-build       lint the package without running `npm run build` first
//   --tarball FILE     lint this tarball with the tarball pass only (no build, no source passes)
//   --unpacked DIR     lint this unpacked tarball with the tarball pass only
//   --unpack-to DIR    unpack the packed tarball into DIR (must be empty or missing) and keep it
// Exit codes: 0 clean, 1 lint errors, 2 the check itself could not run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const toolDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(toolDir, '..', '..');
const INSTALL_HINT = 'run `npm ci --ignore-scripts --no-audit --no-fund` in test/lint';

/** Shipped sources that `n8n-node lint` (plain `eslint .`) would lint. Tests and node-red/ are not in the n8n package, so they are left out. */
const SOURCE_PATTERNS = ['package.json', 'nodes/**/*.ts', 'credentials/**/*.ts', 'shared/**/*.ts'];

/** A problem that stops the check from running (bad option, missing tools, failed build); exit code 2. */
class SetupError extends Error {}

/** Temporary folders this run created; removed when it ends. */
const temporaryDirs = [];

function makeTemporaryDir(prefix) {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	temporaryDirs.push(dir);
	return dir;
}

function parseArguments(argv) {
	const options = { packageDir: repoRoot, skipBuild: false, tarball: null, unpacked: null, unpackTo: null };
	const valueFlags = { '--package-dir': 'packageDir', '--tarball': 'tarball', '--unpacked': 'unpacked', '--unpack-to': 'unpackTo' };

	for (let index = 0; index < argv.length; index++) {
		const flag = argv[index];
		if (flag === '--skip-build') {
			options.skipBuild = true;
		} else if (flag in valueFlags) {
			const value = argv[++index];
			if (!value) throw new SetupError(`Missing value after ${flag}`);
			options[valueFlags[flag]] = resolve(value);
		} else {
			throw new SetupError(`Unknown option ${flag}`);
		}
	}

	if (options.tarball && options.unpacked) throw new SetupError('Pass either --tarball or --unpacked, not both');
	return options;
}

/** Imports the lint tools from test/lint/node_modules, or explains how to install them. */
async function loadTools() {
	for (const name of ['eslint', '@n8n/eslint-plugin-community-nodes', 'eslint-plugin-n8n-nodes-base', 'typescript-eslint']) {
		if (!existsSync(join(toolDir, 'node_modules', name, 'package.json'))) {
			throw new SetupError(`Lint tools are not installed (${name} is missing): ${INSTALL_HINT}`);
		}
	}

	// eslint-plugin-n8n-nodes-base 1.16.7 reads NODE_ENV when loaded. When it is "test", which jest
	// sets, the plugin treats every linted file as a node named Test.node.ts, so real files fail.
	if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

	const { ESLint } = await import(pathToFileURL(join(toolDir, 'node_modules/eslint/lib/api.js')).href);
	const source = await import(pathToFileURL(join(toolDir, 'eslint.source.mjs')).href);
	const scanner = await import(pathToFileURL(join(toolDir, 'eslint.tarball.mjs')).href);
	return { ESLint, source, scanner };
}

function run(command, args, cwd) {
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function buildPackage(packageDir) {
	console.log(`== npm run build (${packageDir})`);
	try {
		run('npm', ['run', '--silent', 'build'], packageDir);
	} catch (error) {
		throw new SetupError(`npm run build failed in ${packageDir}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
	}
}

/** Packs the package into a new temporary folder and returns the tarball path. */
function packPackage(packageDir) {
	const destination = makeTemporaryDir('weeek-lint-pack-');
	console.log(`== npm pack (${packageDir})`);
	const output = run('npm', ['pack', '--json', '--pack-destination', destination], packageDir);
	const [{ filename }] = JSON.parse(output);
	return join(destination, filename);
}

/** Unpacks a tarball the way the scanner does (`tar -xzf --strip-components=1`). */
function unpackTarball(tarball, target) {
	mkdirSync(target, { recursive: true });
	if (readdirSync(target).length > 0) throw new SetupError(`Unpack folder is not empty: ${target}`);
	run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], target);
	return target;
}

async function lintPass({ ESLint, name, cwd, config, patterns, ignorePatterns = [], allowInlineConfig = true }) {
	const eslint = new ESLint({
		cwd,
		overrideConfigFile: true,
		overrideConfig: config,
		ignorePatterns,
		allowInlineConfig,
		errorOnUnmatchedPattern: false,
	});
	const results = await eslint.lintFiles(patterns);
	const problems = [];

	for (const result of results) {
		for (const message of result.messages) {
			problems.push({
				pass: name,
				file: relative(cwd, result.filePath),
				line: message.line ?? 0,
				column: message.column ?? 0,
				severity: message.severity === 2 ? 'error' : 'warning',
				rule: message.ruleId ?? (message.fatal ? 'parse-error' : 'eslint'),
				message: message.message,
			});
		}
	}

	return { name, fileCount: results.length, problems };
}

function report(pass) {
	const errors = pass.problems.filter((problem) => problem.severity === 'error').length;
	const warnings = pass.problems.length - errors;
	console.log(`== ${pass.name}: ${pass.fileCount} files, ${errors} errors, ${warnings} warnings`);

	for (const problem of pass.problems) {
		console.log(`  ${problem.file}:${problem.line}:${problem.column}  ${problem.severity}  ${problem.message}  (${problem.rule})`);
	}

	if (pass.fileCount === 0) console.log('  no files matched: check the package folder');
	return errors;
}

async function main() {
	const options = parseArguments(process.argv.slice(2));
	const { ESLint, source, scanner } = await loadTools();
	const scannerConfig = scanner.createScannerConfig();
	const passes = [];
	let unpackedDir = options.unpacked;

	if (!options.unpacked && !options.tarball) {
		const packageDir = options.packageDir;
		if (!existsSync(join(packageDir, 'package.json'))) throw new SetupError(`No package.json in ${packageDir}`);
		if (!options.skipBuild) buildPackage(packageDir);

		const tsconfigPath = join(packageDir, 'tsconfig.json');
		passes.push(
			await lintPass({
				ESLint,
				name: 'n8n-node lint (sources)',
				cwd: packageDir,
				config: source.createSourceConfig({ tsconfigPath: existsSync(tsconfigPath) ? tsconfigPath : undefined }),
				patterns: SOURCE_PATTERNS,
			}),
		);
		passes.push(
			await lintPass({
				ESLint,
				name: 'scanner (sources)',
				cwd: packageDir,
				config: scannerConfig,
				patterns: scanner.SCANNER_SOURCE_PATTERNS,
				ignorePatterns: scanner.SCANNER_IGNORES,
				allowInlineConfig: false,
			}),
		);
		options.tarball = packPackage(packageDir);
	}

	if (!unpackedDir) {
		unpackedDir = unpackTarball(options.tarball, options.unpackTo ?? makeTemporaryDir('weeek-lint-unpacked-'));
		console.log(`== unpacked ${options.tarball} into ${unpackedDir}`);
	}

	passes.push(
		await lintPass({
			ESLint,
			name: 'scanner (tarball)',
			cwd: unpackedDir,
			config: scannerConfig,
			patterns: scanner.SCANNER_TARBALL_PATTERNS,
			ignorePatterns: scanner.SCANNER_IGNORES,
			allowInlineConfig: false,
		}),
	);

	let errorCount = 0;
	for (const pass of passes) errorCount += report(pass);

	if (errorCount > 0) {
		console.log(`FAILED: ${errorCount} lint errors`);
		return 1;
	}

	console.log('OK: no lint errors');
	return 0;
}

let exitCode;
try {
	exitCode = await main();
} catch (error) {
	console.error(error instanceof SetupError ? error.message : error);
	exitCode = 2;
} finally {
	for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
