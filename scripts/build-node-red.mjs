// Builds the Node-RED package in node-red/: compiles the TypeScript runtime (and the shared core it
// imports) to node-red/dist, then copies the editor files (.html, locales/, icons/) next to the
// compiled node files, where Node-RED looks for them.
import { spawnSync } from 'node:child_process';
import { cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = path.join(root, 'node-red');
const sourceDir = path.join(packageDir, 'nodes');
const distDir = path.join(packageDir, 'dist');
const nodesOutDir = path.join(distDir, 'node-red', 'nodes');

await rm(distDir, { recursive: true, force: true });

const tsc = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
const compiled = spawnSync(tsc, ['-p', path.join(packageDir, 'tsconfig.json')], { stdio: 'inherit' });
if (compiled.error) throw compiled.error;
if (compiled.status !== 0) {
	console.error(`build-node-red: tsc failed with exit code ${compiled.status}`);
	process.exit(compiled.status ?? 1);
}

for (const entry of await readdir(sourceDir, { withFileTypes: true })) {
	if (entry.isFile() && entry.name.endsWith('.html')) {
		await cp(path.join(sourceDir, entry.name), path.join(nodesOutDir, entry.name));
	}
}
for (const folder of ['locales', 'icons']) {
	await cp(path.join(sourceDir, folder), path.join(nodesOutDir, folder), { recursive: true });
}

console.log(`build-node-red: built ${path.relative(root, nodesOutDir)}`);
