// Installs the n8n lint tools in test/lint before `npm test` when they are missing or outdated.
// They live apart from the root packages because eslint-plugin-n8n-nodes-base has a pnpm-only
// preinstall script, so they are installed with --ignore-scripts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lintDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'lint');
const lockHash = createHash('sha256').update(readFileSync(join(lintDir, 'package-lock.json'))).digest('hex');
const marker = join(lintDir, 'node_modules', '.installed-lock-hash');

if (existsSync(marker) && readFileSync(marker, 'utf8') === lockHash) process.exit(0);

console.log('Installing the n8n lint tools in test/lint (first run only)…');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
execFileSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: lintDir, stdio: 'inherit' });
writeFileSync(marker, lockHash);
