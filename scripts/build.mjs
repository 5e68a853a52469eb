// Builds the n8n package into dist/: compiles TypeScript, then copies the icons and codex files
// n8n reads from beside the compiled nodes.
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

function copyAssets(folder) {
	for (const name of readdirSync(folder)) {
		const path = join(folder, name);
		if (statSync(path).isDirectory()) {
			copyAssets(path);
		} else if (name.endsWith('.svg') || name.endsWith('.png') || name.endsWith('.node.json')) {
			cpSync(path, join(dist, relative(root, path)));
		}
	}
}

for (const folder of ['icons', 'nodes', 'credentials']) copyAssets(join(root, folder));
