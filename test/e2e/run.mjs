#!/usr/bin/env node
// Entry point of `npm run test:e2e`: builds and packs both packages once, compiles the WEEEK sandbox,
// then runs the end-to-end suites one after another with node's test runner.
//
// Usage: node test/e2e/run.mjs [n8n] [node-red] [browser]   (default: all three, in that order)
// WEEEK_E2E_HOSTS=n8n-2,node-red-4 narrows the hosts; see test/e2e/README.md.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT, buildAndPack, buildSandbox } from './support/packages.mjs';

const SUITES = { n8n: 'n8n.e2e.mjs', 'node-red': 'node-red.e2e.mjs', browser: 'browser.e2e.mjs' };

const requested = process.argv.slice(2);
for (const name of requested) {
  if (!SUITES[name]) {
    console.error(`Unknown suite "${name}": use ${Object.keys(SUITES).join(', ')}.`);
    process.exit(2);
  }
}
const files = (requested.length > 0 ? requested : Object.keys(SUITES)).map((name) => path.join('test', 'e2e', SUITES[name]));

const started = Date.now();
console.log('== building and packing both packages');
const packed = buildAndPack();
console.log(`   ${path.basename(packed.n8nTarball)}, ${path.basename(packed.nodeRedTarball)} in ${packed.dir}`);
console.log('== compiling the WEEEK sandbox');
buildSandbox();

const summaryFile = path.join(packed.dir, 'summary.jsonl');
const env = {
  ...process.env,
  WEEEK_E2E_N8N_TARBALL: packed.n8nTarball,
  WEEEK_E2E_NODE_RED_TARBALL: packed.nodeRedTarball,
  WEEEK_E2E_SUMMARY_FILE: summaryFile,
};

/** Runs one suite file with node's test runner and resolves with its exit code. */
function runSuite(file) {
  const args = [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=./${path.join('test', 'e2e', 'support', 'summary-reporter.mjs')}`,
    '--test-reporter-destination=stdout',
    file,
  ];
  console.log(`== node ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit', env });
    // The suites stop their hosts themselves; a signal to this process goes to the test runner too.
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

// node --test sorts the files it is given, so each suite runs in its own process, in the order asked for.
let exitCode = 0;
for (const file of files) {
  const code = await runSuite(file);
  if (code !== 0) exitCode = 1;
}

const total = { passed: 0, failed: 0, skipped: 0 };
const lines = existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8').split('\n').filter(Boolean) : [];
for (const line of lines) {
  const counts = JSON.parse(line);
  for (const key of Object.keys(total)) total[key] += counts[key];
}
// A suite process that died before its reporter finished leaves no counts, so it counts as one failure.
if (lines.length < files.length) total.failed += files.length - lines.length;
if (total.failed > 0) exitCode = 1;

rmSync(packed.dir, { recursive: true, force: true });
console.log(`== end-to-end suites finished in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(exitCode);
