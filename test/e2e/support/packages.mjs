// Builds and packs both packages the way they are published, and compiles the WEEEK sandbox
// for the test process. `run.mjs` does this once and hands the tarballs to the suites through
// WEEEK_E2E_N8N_TARBALL and WEEEK_E2E_NODE_RED_TARBALL; a suite started on its own does it itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SANDBOX_SOURCE_DIR = path.join(REPO_ROOT, 'test', 'sandbox');
const SANDBOX_BUILD_DIR = path.join(REPO_ROOT, '.build', 'e2e', 'sandbox');

/** Runs a command in the repository (or `cwd`) and returns its stdout; throws with the output on a non-zero exit. */
function run(command, args, { cwd = REPO_ROOT } = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().slice(-6000);
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed with ${result.signal ?? `exit code ${result.status}`}:\n${output}`);
  }
  return result.stdout;
}

/** Packs `packageDir` into `destination` with `npm pack` and returns the path of the tarball. */
function packInto(packageDir, destination) {
  const report = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: packageDir }));
  return path.join(destination, report[0].filename);
}

/**
 * Builds the n8n package (`npm run build`) and the Node-RED package (`node scripts/build-node-red.mjs`),
 * packs both with `npm pack` into a new temporary folder and returns `{ dir, n8nTarball, nodeRedTarball }`.
 */
export function buildAndPack() {
  const dir = mkdtempSync(path.join(tmpdir(), 'weeek-e2e-packages-'));
  run('npm', ['run', '--silent', 'build']);
  const n8nTarball = packInto(REPO_ROOT, dir);
  run(process.execPath, [path.join('scripts', 'build-node-red.mjs')]);
  const nodeRedTarball = packInto(path.join(REPO_ROOT, 'node-red'), dir);
  return { dir, n8nTarball, nodeRedTarball };
}

let packed = null;

/** Returns the tarballs from the environment, or builds and packs them once per process into a folder deleted at exit. */
export function packages() {
  const fromEnv = { n8nTarball: process.env.WEEEK_E2E_N8N_TARBALL, nodeRedTarball: process.env.WEEEK_E2E_NODE_RED_TARBALL };
  if (fromEnv.n8nTarball && fromEnv.nodeRedTarball) return fromEnv;
  if (!packed) {
    packed = buildAndPack();
    const { dir } = packed;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return packed;
}

function newestSourceTime() {
  return Math.max(...readdirSync(SANDBOX_SOURCE_DIR).filter((name) => name.endsWith('.ts')).map((name) => statSync(path.join(SANDBOX_SOURCE_DIR, name)).mtimeMs));
}

/**
 * Compiles the sandbox (test/sandbox/*.ts, not its tests) into .build/e2e/sandbox when the output is
 * missing or older than a source file. Only the sandbox is compiled, so the rest of the tree need not build.
 */
export function buildSandbox() {
  const serverJs = path.join(SANDBOX_BUILD_DIR, 'server.js');
  if (existsSync(serverJs) && statSync(serverJs).mtimeMs >= newestSourceTime()) return serverJs;
  run(process.execPath, [
    path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
    '--outDir', SANDBOX_BUILD_DIR,
    '--rootDir', SANDBOX_SOURCE_DIR,
    '--module', 'commonjs',
    '--target', 'es2022',
    '--lib', 'es2022',
    '--types', 'node',
    '--strict',
    '--skipLibCheck',
    '--esModuleInterop',
    path.join(SANDBOX_SOURCE_DIR, 'server.ts'),
  ]);
  return serverJs;
}

/** Returns the sandbox module (`startSandbox`, `SEED`), compiling it first when needed. */
export function sandboxModule() {
  return createRequire(import.meta.url)(buildSandbox());
}
