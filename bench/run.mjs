// `npm run bench`: leads per second of WEEEK Lead → Deal against the stock n8n recipe and against the
// physical limit, on real n8n and Node-RED hosts and the WEEEK sandbox. Prints the tables and writes
// bench/results/latest.json and latest.md. See bench/README.md for what each figure means.
//
//   npm run bench
//   npm run bench -- --leads 200 --sections n8n --out /tmp/bench.json
//
// Options: --leads N (default 1000), --sections normalizers,n8n,node-red (default all three; critical
// path figures come with the n8n and node-red sections), --n8n <host> (default n8n-2), --node-red <host>
// (default node-red-4), --out <file> (default bench/results/latest.json; latest.md goes beside it).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LATENCY_MS = 20;
const RATE_LIMIT_PER_SECOND = 10;
const RTT_SAMPLES = 30;
const SECTIONS = ['normalizers', 'n8n', 'node-red'];

function readOptions() {
  const { values } = parseArgs({
    options: {
      leads: { type: 'string', default: '1000' },
      sections: { type: 'string', default: SECTIONS.join(',') },
      n8n: { type: 'string', default: 'n8n-2' },
      'node-red': { type: 'string', default: 'node-red-4' },
      out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results', 'latest.json') },
    },
  });
  const leads = Number(values.leads);
  if (!Number.isInteger(leads) || leads < 1 || leads > 10_000) throw new Error(`--leads must be a whole number from 1 to 10000, got "${values.leads}".`);
  const sections = values.sections.split(',').map((name) => name.trim());
  const unknown = sections.filter((name) => !SECTIONS.includes(name));
  if (unknown.length > 0) throw new Error(`Unknown section "${unknown.join(', ')}" in --sections: use ${SECTIONS.join(', ')}.`);
  return { leads, sections, n8nHost: values.n8n, nodeRedHost: values['node-red'], out: path.resolve(values.out) };
}

const started = Date.now();
const progress = (line) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s] ${line}`);

/** Installs the root dev dependencies on a fresh clone, because the build below needs TypeScript. */
function ensureDependencies() {
  if (existsSync(path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'))) return;
  progress('installing the dev dependencies (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** Runs section 1 in a child process on `node`, so each runtime measures on a fresh heap. */
function runNormalizers(node) {
  const child = spawnSync(node, [path.join(REPO_ROOT, 'bench', 'normalizers.mjs'), '--json'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`bench/normalizers.mjs failed on ${node} with ${child.signal ?? `exit code ${child.status}`}:\n${child.stderr}`);
  return JSON.parse(child.stdout);
}

/**
 * Sends RTT_SAMPLES trivial authorized GETs to the sandbox and returns two medians in ms:
 * `sandboxMs` from the request's arrival to the sandbox's response, as the sandbox logs it (the same
 * clock as the time per lead), and `clientMs` for the whole round trip, timed by this process.
 */
async function measureRoundTrip(sandbox, send) {
  const client = [];
  for (let index = 0; index < RTT_SAMPLES; index += 1) {
    const response = await send(`${sandbox.baseUrl}/user/me`, { method: 'GET', headers: { Authorization: `Bearer ${sandbox.token}`, Accept: 'application/json' } });
    if (response.status !== 200) throw new Error(`GET /user/me on the sandbox returned HTTP ${response.status}.`);
    client.push(response.finishedAt - response.startedAt);
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const logged = sandbox.requests.filter((request) => request.path === '/user/me' && request.respondedAt !== undefined);
  return { sandboxMs: median(logged.map((request) => request.respondedAt - request.at)), clientMs: median(client) };
}

function machineInfo({ n8nVersion, nodeRedVersion, node24Version }) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    benchNode: process.version,
    n8n: n8nVersion ? `${n8nVersion} (Node.js ${node24Version})` : null,
    nodeRed: nodeRedVersion ? `${nodeRedVersion} (Node.js ${nodeRedVersion.startsWith('4.') ? process.version.slice(1) : node24Version})` : null,
    loadAverageAtStart: os.loadavg()[0].toFixed(2),
  };
}

async function main() {
  const options = readOptions();
  ensureDependencies();

  // Imported only now, because the sandbox build needs the dependencies installed above.
  const { buildAndPack, sandboxModule } = await import('../test/e2e/support/packages.mjs');
  const { installNode24 } = await import('../test/hosts/node24.mjs');
  const { hostByName } = await import('../test/hosts/versions.mjs');
  const { benchN8n } = await import('./n8n.mjs');
  const { benchNodeRed } = await import('./node-red.mjs');
  const { closeConnections, send } = await import('./support/http.mjs');
  const { formatReport } = await import('./report.mjs');

  const n8nHost = hostByName(options.n8nHost);
  const nodeRedHost = hostByName(options.nodeRedHost);
  if (n8nHost.kind !== 'n8n') throw new Error(`--n8n must name an n8n host, got "${options.n8nHost}".`);
  if (nodeRedHost.kind !== 'node-red') throw new Error(`--node-red must name a Node-RED host, got "${options.nodeRedHost}".`);

  const node24 = await installNode24({ onProgress: progress });
  const node24Version = execFileSync(node24.node, ['--version'], { encoding: 'utf8' }).trim().slice(1);
  const machine = machineInfo({
    n8nVersion: options.sections.includes('n8n') ? n8nHost.version : null,
    nodeRedVersion: options.sections.includes('node-red') ? nodeRedHost.version : null,
    node24Version,
  });

  progress('building and packing both packages');
  const { dir: packedDir, n8nTarball, nodeRedTarball } = buildAndPack();
  process.on('exit', () => rmSync(packedDir, { recursive: true, force: true }));
  const { startSandbox, SEED } = sandboxModule();

  const result = {
    startedAt: new Date(started).toISOString(),
    machine,
    settings: { leads: options.leads, latencyMs: LATENCY_MS, rateLimitPerSecond: RATE_LIMIT_PER_SECOND },
  };

  if (options.sections.includes('normalizers')) {
    progress(`section 1: normalizers on Node.js ${process.version} and ${node24Version}`);
    result.normalizers = { runs: [runNormalizers(process.execPath), runNormalizers(node24.node)] };
  }

  const sandbox = await startSandbox();
  try {
    sandbox.setFaults({ latencyMs: LATENCY_MS });
    const criticalFlows = [];
    const shared = { sandbox, seed: SEED, leadCount: options.leads, latencyMs: LATENCY_MS, onProgress: progress };
    if (options.sections.includes('n8n')) {
      result.n8n = await benchN8n({ ...shared, version: n8nHost.version, tarball: n8nTarball, rateLimit: RATE_LIMIT_PER_SECOND });
      criticalFlows.push(...result.n8n.criticalPath);
    }
    if (options.sections.includes('node-red')) {
      result.nodeRed = await benchNodeRed({ ...shared, version: nodeRedHost.version, tarball: nodeRedTarball });
      criticalFlows.push(result.nodeRed.criticalPath);
    }
    if (criticalFlows.length > 0) {
      sandbox.reset();
      sandbox.setFaults({ latencyMs: LATENCY_MS });
      const roundTrip = await measureRoundTrip(sandbox, send);
      result.criticalPath = { rttMs: roundTrip.sandboxMs, clientRttMs: roundTrip.clientMs, flows: criticalFlows };
    }
  } finally {
    await sandbox.close();
    closeConnections();
  }

  result.finishedAt = new Date().toISOString();
  result.durationSeconds = Math.round((Date.now() - started) / 1000);
  result.machine.loadAverageAtEnd = os.loadavg()[0].toFixed(2);

  const report = formatReport(result);
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(options.out.replace(/\.json$/, '') + '.md', report);
  console.log(`\n${report}`);
  progress(`wrote ${path.relative(REPO_ROOT, options.out)} and its .md twin`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`npm run bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
