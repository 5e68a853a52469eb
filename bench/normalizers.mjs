// Benchmark section 1: what the lead normalizers cost per source on the sample payloads, on one core,
// next to the cost of only parsing the same body (JSON.parse, or URLSearchParams for urlencoded forms).
//
//   node bench/normalizers.mjs            prints a table
//   node bench/normalizers.mjs --json     prints the results as JSON (bench/run.mjs reads this)
//
// Needs the compiled core in dist/ (`npm run build`). Each measurement runs single-threaded in this
// process: a warm-up, then ROUNDS timed rounds of at least ROUND_MS each, and the median round counts.
// Rates are per CPU second of this process, which includes V8's garbage collection threads.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'samples');
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const WARM_UP_MS = 300;
const ROUND_MS = 250;
const ROUNDS = 5;

/** Reads a sample body. A `.txt` sample starts with one `#` line that names the content type. */
function readSample(name) {
  const text = readFileSync(path.join(SAMPLES_DIR, name), 'utf8');
  return name.endsWith('.txt') ? text.slice(text.indexOf('\n') + 1).trim() : text.trim();
}

/** Decodes an urlencoded body into an object, as a host's body parser hands it to a node. */
function decodeForm(body) {
  const fields = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = fields[key];
    if (existing === undefined) fields[key] = value;
    else fields[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
}

/**
 * Returns the measured cases: one per source and body format that the samples cover. `body` is the raw
 * request body, which the normalizer parses itself, exactly as the hosts pass it on.
 */
function benchCases(leads) {
  const myTargetPage = leads.parseMyTargetPage(readSample('mytarget-1.json'));
  return [
    { source: 'tilda', sample: 'tilda-1.txt', contentType: FORM },
    { source: 'tilda', sample: 'tilda-5.json', contentType: JSON_TYPE, options: { apiKey: 'user-api-key-value' } },
    { source: 'generic', sample: 'generic-2.json', contentType: JSON_TYPE },
    { source: 'generic', sample: 'generic-3.txt', contentType: FORM },
    { source: 'platformalp', sample: 'platformalp-1.txt', contentType: FORM },
    { source: 'platformalp', sample: 'platformalp-2.json', contentType: JSON_TYPE },
    { source: 'vk', sample: 'vk-1.json', contentType: JSON_TYPE, options: { secret: 's3cr3t-from-community-settings' } },
    { source: 'mytarget', sample: 'mytarget-1.json (one item)', contentType: JSON_TYPE, body: JSON.stringify(myTargetPage.items[1]) },
    { source: 'facebook', sample: 'facebook-2.json', contentType: JSON_TYPE },
  ].map((entry) => ({ ...entry, body: entry.body ?? readSample(entry.sample) }));
}

/**
 * Runs `operation` repeatedly and returns the median rate in operations per CPU second of this
 * process. CPU time, not wall time, because other jobs on a shared machine take turns on the same
 * cores. `operation` returns a string whose length goes into a sink, so the work cannot be optimized away.
 */
function measureRate(operation) {
  let sink = 0;
  const runFor = (milliseconds) => {
    const deadline = process.hrtime.bigint() + BigInt(milliseconds * 1e6);
    const cpuBefore = process.cpuUsage();
    let count = 0;
    while (process.hrtime.bigint() < deadline) {
      // Batches of 64 keep the clock reads out of the measured cost.
      for (let index = 0; index < 64; index += 1) sink += operation().length;
      count += 64;
    }
    const cpu = process.cpuUsage(cpuBefore);
    return count / ((cpu.user + cpu.system) / 1e6);
  };

  runFor(WARM_UP_MS);
  const rates = Array.from({ length: ROUNDS }, () => runFor(ROUND_MS)).sort((a, b) => a - b);
  if (sink < 0) throw new Error('unreachable: the sink only grows');
  return rates[Math.floor(ROUNDS / 2)];
}

/** Measures every case and returns `{ node, cases }` with leads/s and the parse-only rate per case. */
export function runNormalizerBench() {
  const leads = createRequire(import.meta.url)(path.join(REPO_ROOT, 'dist', 'shared', 'leads', 'index.js'));
  const receivedAt = Date.UTC(2024, 4, 14, 9, 22, 0);

  const cases = benchCases(leads).map((entry) => {
    const delivery = { body: entry.body, contentType: entry.contentType, receivedAt };
    // A failing sample would measure the cost of an exception, so each case must normalize once first.
    const lead = leads.normalizeLead(entry.source, delivery, entry.options);
    if (!lead.dedupKey) throw new Error(`${entry.sample} normalized to a lead without a dedupKey`);

    const isForm = entry.contentType === FORM;
    const leadsPerSecond = measureRate(() => leads.normalizeLead(entry.source, delivery, entry.options).dedupKey);
    const parsesPerSecond = isForm
      ? measureRate(() => Object.keys(decodeForm(entry.body)).join(''))
      : measureRate(() => Object.keys(JSON.parse(entry.body)).join(''));

    return {
      source: entry.source,
      sample: entry.sample,
      bodyBytes: Buffer.byteLength(entry.body),
      baseline: isForm ? 'URLSearchParams' : 'JSON.parse',
      leadsPerSecond: Math.round(leadsPerSecond),
      parsesPerSecond: Math.round(parsesPerSecond),
      // How many body parses one normalization costs.
      costInParses: Number((parsesPerSecond / leadsPerSecond).toFixed(1)),
    };
  });

  return { node: process.version, cases };
}

function printTable({ node, cases }) {
  console.log(`Lead normalizers on one core, Node.js ${node}`);
  for (const entry of cases) {
    const line = [
      entry.source.padEnd(12),
      entry.sample.padEnd(28),
      `${entry.leadsPerSecond.toLocaleString('en-US')} leads/s`.padStart(16),
      `${entry.baseline} ${entry.parsesPerSecond.toLocaleString('en-US')}/s`.padStart(30),
      `× ${entry.costInParses}`.padStart(8),
    ];
    console.log(line.join('  '));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = runNormalizerBench();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else printTable(result);
}
