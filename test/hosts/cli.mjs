#!/usr/bin/env node
// Command line for the test hosts: install them into the cache, show what is
// installed, or start one on 127.0.0.1 for manual use.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { cacheRoot, readMarker } from './cache.mjs';
import { installN8n, startN8n } from './n8n.mjs';
import { DEFAULT_OWNER } from './n8n-rest.mjs';
import { installNodeRed, startNodeRed } from './node-red.mjs';
import { installNode24 } from './node24.mjs';
import { HOSTS, hostByName } from './versions.mjs';

const HELP = `Usage:
  node test/hosts/cli.mjs install [all|${Object.keys(HOSTS).join('|')}]...
      Install hosts into the cache (default: all). Each host installs once; a finished
      install is reused and an interrupted one is installed again.
  node test/hosts/cli.mjs status
      List the cache folders and whether each install finished.
  node test/hosts/cli.mjs start <host> [--tarball FILE] [--port N] [--dir DIR]
      Start a host on 127.0.0.1 until Ctrl-C. --tarball installs a packed package first,
      --dir keeps the n8n user folder or Node-RED user dir in DIR (default: a temp folder
      that is deleted on exit). n8n gets an owner account, printed on start.

Cache root: $WEEEK_HOSTS_CACHE, else ~/.cache/weeek-hosts (now: ${cacheRoot()}).
`;

async function installHost(name) {
  const { kind, version } = hostByName(name);
  const started = Date.now();
  const result = kind === 'n8n' ? await installN8n(version, { onProgress: console.log }) : await installNodeRed(version, { onProgress: console.log });
  console.log(`${name}: ${kind} ${version} ready in ${result.dir} (${Math.round((Date.now() - started) / 1000)} s in this run)`);
}

async function install(names) {
  const wanted = names.length === 0 || names.includes('all') ? Object.keys(HOSTS) : names;
  wanted.forEach(hostByName);
  const node24 = await installNode24({ onProgress: console.log });
  console.log(`node 24: ${node24.node}`);
  // One at a time: a parallel n8n install and native build compete for the same cores.
  for (const name of wanted) await installHost(name);
}

async function status() {
  const root = cacheRoot();
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  if (entries.length === 0) {
    console.log(`${root}: empty`);
    return;
  }
  for (const entry of entries.filter((item) => item.isDirectory())) {
    if (entry.name.endsWith('.lock')) {
      console.log(`${path.join(root, entry.name)}: install lock (an install is running, or a killed one left it)`);
      continue;
    }
    const marker = await readMarker(path.join(root, entry.name));
    const state = marker ? `installed ${marker.installedAt} in ${marker.seconds} s` : 'incomplete (reinstalled on next use)';
    console.log(`${path.join(root, entry.name)}: ${state}`);
  }
}

function waitForSignal() {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

async function start(name, values) {
  const { kind, version } = hostByName(name);
  const port = values.port ? Number.parseInt(values.port, 10) : undefined;
  if (values.port && !(port > 0 && port < 65536)) throw new Error(`Invalid --port "${values.port}": expected a TCP port number.`);

  if (kind === 'n8n') {
    const n8n = await startN8n({ version, port, userFolder: values.dir, communityTarball: values.tarball, onProgress: console.log });
    await n8n.rest().signIn();
    console.log(`n8n ${version} at ${n8n.baseUrl} (user folder ${n8n.userFolder})`);
    console.log(`log in as ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}`);
    if (n8n.communityPackage) console.log(`community package ${n8n.communityPackage.name}@${n8n.communityPackage.version} in ${n8n.communityPackage.dir}`);
    console.log('Ctrl-C stops it.');
    await waitForSignal();
    await n8n.stop();
    return;
  }

  const red = await startNodeRed({ version, port, userDir: values.dir, tarball: values.tarball, onProgress: console.log });
  console.log(`Node-RED ${version}: editor and admin API at ${red.adminUrl}, http-in routes under ${red.httpNodeUrl} (user dir ${red.userDir})`);
  if (red.packageName) console.log(`package ${red.packageName} installed into the user dir`);
  console.log('Ctrl-C stops it.');
  await waitForSignal();
  await red.stop();
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tarball: { type: 'string' },
      port: { type: 'string' },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    process.exit(values.help ? 0 : 2);
  }
  if (command === 'install') return install(rest);
  if (command === 'status') return status();
  if (command === 'start') {
    if (rest.length !== 1) throw new Error(`start needs exactly one host (${Object.keys(HOSTS).join(', ')}), got: ${rest.join(' ') || 'none'}.`);
    return start(rest[0], values);
  }
  throw new Error(`Unknown command "${command}". Run with --help for the commands.`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
