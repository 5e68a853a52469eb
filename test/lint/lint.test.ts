/**
 * Runs test/lint/run.mjs, the offline emulation of `n8n-node lint` and n8n's community package
 * scanner, on the real package and on mutated copies that must fail. The lint tools live in
 * test/lint/node_modules, installed apart from the root packages.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Compiled to .build/test/lint/lint.test.js, three folders below the repository root.
const repoRoot = resolve(__dirname, '..', '..', '..');
const lintDir = join(repoRoot, 'test', 'lint');
const runScript = join(lintDir, 'run.mjs');
const RUN_TIMEOUT_MS = 150_000;

interface LintRun {
	status: number | null;
	output: string;
}

function runLint(args: string[]): Promise<LintRun> {
	return new Promise((resolveRun, rejectRun) => {
		const child = spawn(process.execPath, [runScript, ...args], { cwd: repoRoot, timeout: RUN_TIMEOUT_MS });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('error', rejectRun);
		child.on('close', (status) => resolveRun({ status, output }));
	});
}

/** Copies the unpacked real package and applies `mutate` to the copy. */
function mutatedUnpackedCopy(name: string, mutate: (packageDir: string) => void): string {
	const target = join(workDir, name);
	cpSync(unpackedDir, target, { recursive: true });
	mutate(target);
	return target;
}

/** Copies the package sources without dist/ and applies `mutate`. node_modules is linked so the import resolver finds n8n-workflow. */
function mutatedSourceCopy(name: string, mutate: (packageDir: string) => void): string {
	const target = join(workDir, name);
	mkdirSync(target);
	for (const entry of ['package.json', 'tsconfig.json', 'nodes', 'credentials', 'shared', 'icons']) {
		cpSync(join(repoRoot, entry), join(target, entry), { recursive: true });
	}
	symlinkSync(join(repoRoot, 'node_modules'), join(target, 'node_modules'), 'dir');
	mutate(target);
	return target;
}

function addRuntimeDependency(packageDir: string): void {
	const manifestPath = join(packageDir, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	manifest.dependencies = { axios: '1.13.2' };
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
}

function addTimer(packageDir: string): void {
	appendFileSync(join(packageDir, 'dist/nodes/Weeek/Weeek.node.js'), '\nsetTimeout(() => {}, 1);\n');
}

const GENERIC_OPTION = "{ name: 'Generic', value: 'generic' },";

/** Renames one of the six Lead > Normalize sources so the list is no longer alphabetical. */
function unsortSourceOptions(packageDir: string): void {
	const path = join(packageDir, 'nodes/Weeek/actions/lead/normalize.operation.ts');
	const source = readFileSync(path, 'utf8');
	if (!source.includes(GENERIC_OPTION)) throw new Error(`${path} no longer contains ${GENERIC_OPTION}: update this test`);
	writeFileSync(path, source.replace(GENERIC_OPTION, "{ name: 'Zz Generic', value: 'generic' },"));
}

let workDir: string;
let unpackedDir: string;
let realPackage: LintRun;
let withDependency: LintRun;
let withTimer: LintRun;
let unsortedSource: LintRun;

beforeAll(async () => {
	if (!existsSync(join(lintDir, 'node_modules', 'eslint', 'package.json'))) {
		throw new Error('The lint tools are not installed in test/lint/node_modules: run npm ci --ignore-scripts --no-audit --no-fund in test/lint');
	}

	workDir = mkdtempSync(join(tmpdir(), 'weeek-lint-test-'));
	unpackedDir = join(workDir, 'unpacked');
	realPackage = await runLint(['--unpack-to', unpackedDir]);
	if (!existsSync(join(unpackedDir, 'package.json'))) throw new Error(`run.mjs did not unpack the package:\n${realPackage.output}`);

	// The mutated copies are independent, so they are linted in parallel to keep the suite short.
	[withDependency, withTimer, unsortedSource] = await Promise.all([
		runLint(['--unpacked', mutatedUnpackedCopy('with-dependency', addRuntimeDependency)]),
		runLint(['--unpacked', mutatedUnpackedCopy('with-timer', addTimer)]),
		runLint(['--package-dir', mutatedSourceCopy('unsorted-source', unsortSourceOptions), '--skip-build']),
	]);
}, 2 * RUN_TIMEOUT_MS);

afterAll(() => {
	if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('n8n community lint', () => {
	test('real package passes every pass', () => {
		expect(realPackage).toEqual({ status: 0, output: expect.stringContaining('OK: no lint errors') });
		expect(realPackage.output).toMatch(/== n8n-node lint \(sources\): [1-9]\d* files, 0 errors/);
		expect(realPackage.output).toMatch(/== scanner \(sources\): [1-9]\d* files, 0 errors/);
		expect(realPackage.output).toMatch(/== scanner \(tarball\): [1-9]\d* files, 0 errors/);
	});

	test('runtime dependency fails tarball pass', () => {
		expect(withDependency.status).toBe(1);
		expect(withDependency.output).toMatch(/package\.json:\d+:\d+ {2}error .*\(@n8n\/community-nodes\/no-runtime-dependencies\)/);
	});

	test('setTimeout in shipped JS fails tarball pass', () => {
		expect(withTimer.status).toBe(1);
		expect(withTimer.output).toMatch(/dist\/nodes\/Weeek\/Weeek\.node\.js:\d+:1 {2}error .*\(@n8n\/community-nodes\/no-restricted-globals\)/);
	});

	test('unsorted options fail source passes', () => {
		expect(unsortedSource.status).toBe(1);
		expect(unsortedSource.output).toMatch(/== n8n-node lint \(sources\): \d+ files, 1 errors/);
		expect(unsortedSource.output).toMatch(/== scanner \(sources\): \d+ files, 1 errors/);
		expect(unsortedSource.output).toMatch(
			/nodes\/Weeek\/actions\/lead\/normalize\.operation\.ts:\d+:\d+ {2}error .*\(n8n-nodes-base\/node-param-options-type-unsorted-items\)/,
		);
	});
});
