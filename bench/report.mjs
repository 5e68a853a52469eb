// Turns a benchmark result (bench/results/latest.json) into Markdown tables, for the terminal and the README.

const number = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? '—' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value) => (value === null || value === undefined ? '—' : `${number(value)} ms`);
const mib = (bytes) => (bytes ? `${number(bytes / 2 ** 20)} MiB` : '—');
const rate = (value) => (value === null || value === undefined ? 'none (HTTP Request has no limit)' : `${number(value)}/s`);

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function normalizerTable(normalizers) {
  const [first, second] = normalizers.runs;
  const header = ['Source', 'Sample', 'Body', `Leads/s, Node.js ${first.node}`, 'Cost in parses'];
  if (second) header.push(`Leads/s, Node.js ${second.node}`, 'Cost in parses');
  header.push('Parse baseline');

  const rows = first.cases.map((entry, index) => {
    const row = [entry.source, entry.sample, `${number(entry.bodyBytes)} B`, number(entry.leadsPerSecond), `× ${number(entry.costInParses, 1)}`];
    if (second) row.push(number(second.cases[index].leadsPerSecond), `× ${number(second.cases[index].costInParses, 1)}`);
    row.push(entry.baseline);
    return row;
  });
  return table(header, rows);
}

function batchTable(flows) {
  const rows = flows.map((flow) => [
    flow.flow,
    rate(flow.credentialRequestsPerSecond),
    number(flow.leadsPerSecond, 1),
    number(flow.weeekRequestsPerLead, 2),
    ms(flow.p50Ms),
    ms(flow.p95Ms),
    mib(flow.peakMemoryBytes),
    `${number(flow.cpuMsPerLead, 1)} ms`,
    `${number(flow.lost)} of ${number(flow.leads)}`,
    number(flow.duplicates),
  ]);
  return table(
    ['Flow', 'Credential limit', 'Leads/s', 'WEEEK calls per lead', 'p50 per lead', 'p95 per lead', 'Peak RSS of n8n', 'n8n CPU per lead', 'Leads lost', 'Duplicate records'],
    rows,
  );
}

function rateLimitedTable(flows) {
  const rows = flows.map((flow) => [
    flow.flow,
    rate(flow.credentialRequestsPerSecond),
    number(flow.leadsPerSecond, 2),
    number(flow.ceilingLeadsPerSecond, 2),
    `${number(flow.fractionOfCeiling * 100, 1)} %`,
    number(flow.status429),
    number(flow.weeekRequestsPerLead, 2),
    `${number(flow.lost)} of ${number(flow.leads)}`,
    number(flow.duplicates),
    `${number(flow.seconds, 1)} s (HTTP ${flow.httpStatus})`,
  ]);
  return table(
    ['Flow', 'Credential limit', 'Leads/s', 'Ceiling, leads/s', 'Share of ceiling', '429s received', 'WEEEK requests per lead', 'Leads lost', 'Duplicate records', 'Run time'],
    rows,
  );
}

function nodeRedTable(batch) {
  return table(
    ['Flow', 'Credential limit', 'Leads/s', 'WEEEK calls per lead', 'p50 post → linked deal', 'p95 post → linked deal', 'Peak RSS of Node-RED', 'Leads lost'],
    [
      [
        batch.flow,
        rate(batch.credentialRequestsPerSecond),
        number(batch.leadsPerSecond, 1),
        number(batch.weeekRequestsPerLead, 2),
        ms(batch.p50Ms),
        ms(batch.p95Ms),
        mib(batch.peakMemoryBytes),
        `${number(batch.lost)} of ${number(batch.leads)}`,
      ],
    ],
  );
}

function criticalPathTable({ rttMs, flows }) {
  const rows = flows.map((flow) => [
    flow.host,
    flow.flow,
    number(flow.weeekRequestsPerLead, 0),
    ms(flow.weeekTimeMs),
    `**${number(flow.weeekTimeMs / rttMs, 2)}**`,
    ms(flow.endToEndMs),
  ]);
  return table(['Host', 'Flow', 'WEEEK calls', 'Time per lead, first request → last response', '÷ one request', 'POST → last response'], rows);
}

const seconds = (value) => (value === null || value === undefined ? '—' : `${number(value / 1000, 1)} s`);
const range = (values, digits = 0) => `${number(Math.min(...values), digits)}–${number(Math.max(...values), digits)}`;

/**
 * Returns one table with the headline figure of each section, Lead → Deal next to the stock recipe,
 * for the README. The stock column shows "as built / with Retry On Fail" where both ran.
 */
export function formatSummary(result) {
  const rows = [];
  const find = (flows, label) => flows.find((flow) => flow.flow === label);

  if (result.normalizers) {
    const run = result.normalizers.runs.at(-1);
    rows.push([
      `1. Normalizing a lead, leads/s per core (Node.js ${run.node.replace(/^v/, '')}, ${run.cases.length} samples)`,
      `${range(run.cases.map((entry) => entry.leadsPerSecond))}, costing ${range(run.cases.map((entry) => entry.costInParses), 1)} body parses`,
      '—',
    ]);
  }
  if (result.n8n) {
    const ours = find(result.n8n.batch, 'Lead → Deal');
    const stock = find(result.n8n.batch, 'stock recipe, as built');
    rows.push(
      [`2. n8n ${result.n8n.version}, ${number(ours.leads)} leads in one batch: leads/s`, `**${number(ours.leadsPerSecond, 1)}**`, number(stock.leadsPerSecond, 1)],
      ['WEEEK calls per lead', number(ours.weeekRequestsPerLead, 2), number(stock.weeekRequestsPerLead, 2)],
      ['p50 / p95 per lead', `${ms(ours.p50Ms)} / ${ms(ours.p95Ms)}`, `${seconds(stock.p50Ms)} / ${seconds(stock.p95Ms)}`],
      ['peak RSS of the n8n process', mib(ours.peakMemoryBytes), mib(stock.peakMemoryBytes)],
      ["CPU time of the n8n process per lead", `${number(ours.cpuMsPerLead, 1)} ms`, `${number(stock.cpuMsPerLead, 1)} ms`],
      ['leads lost', number(ours.lost), number(stock.lost)],
    );

    const limited = find(result.n8n.rateLimited, 'Lead → Deal');
    const built = find(result.n8n.rateLimited, 'stock recipe, as built');
    const retry = find(result.n8n.rateLimited, 'stock recipe, Retry On Fail');
    const share = (flow) => `${number(flow.leadsPerSecond, 2)} (${number(flow.fractionOfCeiling * 100, 1)} % of ${number(flow.ceilingLeadsPerSecond, 2)})`;
    rows.push(
      [`3. n8n, 429 above ${result.settings.rateLimitPerSecond} requests/s: leads/s (share of the ceiling)`, `**${share(limited)}**`, `${share(built)} / ${share(retry)}`],
      ['429s received', number(limited.status429), `${number(built.status429)} / ${number(retry.status429)}`],
      ['leads lost (duplicate records)', `**${number(limited.lost)}** (${number(limited.duplicates)})`, `${number(built.lost)} (${number(built.duplicates)}) / ${number(retry.lost)} (${number(retry.duplicates)})`],
    );
  }
  if (result.nodeRed) {
    const batch = result.nodeRed.batch;
    rows.push(
      [`4. Node-RED ${result.nodeRed.version}, ${number(batch.leads)} posted leads: leads/s`, number(batch.leadsPerSecond, 1), '—'],
      ['p50 / p95 from POST to linked deal', `${seconds(batch.p50Ms)} / ${seconds(batch.p95Ms)}`, '—'],
      ['peak RSS of the Node-RED process; leads lost', `${mib(batch.peakMemoryBytes)}; ${number(batch.lost)}`, '—'],
    );
  }
  if (result.criticalPath) {
    const { rttMs, flows } = result.criticalPath;
    const ratio = (flow) => `${number(flow.weeekTimeMs / rttMs, 2)} (${ms(flow.weeekTimeMs)})`;
    const ours = flows.filter((flow) => flow.flow !== 'stock recipe, as built').map((flow) => `${flow.host} **${ratio(flow)}**`);
    const stock = flows.find((flow) => flow.flow === 'stock recipe, as built');
    rows.push([
      `5. Time per new lead ÷ time of one request (${number(rttMs, 1)} ms in the sandbox; limit: 2)`,
      ours.join(', '),
      stock ? `n8n ${ratio(stock)}` : '—',
    ]);
  }
  return table(['Measurement', 'Lead → Deal', 'Stock recipe (as built / Retry On Fail)'], rows);
}

/** Returns the whole report as Markdown: the machine, the summary, then the five tables with a line of settings above each. */
export function formatReport(result) {
  const { settings, machine } = result;
  const sections = [];

  sections.push(
    `Measured ${result.finishedAt.slice(0, 10)} on ${machine.cpus}× ${machine.cpuModel}, ${number(machine.memoryGiB)} GiB, ${machine.os}; ` +
      `n8n ${machine.n8n} and Node-RED ${machine.nodeRed}; load average ${machine.loadAverageAtStart} at the start. ` +
      `Whole run: ${number(result.durationSeconds / 60, 1)} min (\`npm run bench\`).`,
  );

  sections.push(`**Summary**\n\n${formatSummary(result)}`);

  if (result.normalizers) {
    sections.push(`**1. Normalizer cost per source** (one core; cost in parses = how many JSON.parse or URLSearchParams decodings of the same body one normalization costs)\n\n${normalizerTable(result.normalizers)}`);
  }
  if (result.n8n) {
    sections.push(
      `**2. n8n ${result.n8n.version}, batch**: ${number(settings.leads)} Tilda leads in one webhook call, sandbox latency ${settings.latencyMs} ms, no rate limit\n\n${batchTable(result.n8n.batch)}`,
    );
    sections.push(
      `**3. n8n ${result.n8n.version}, rate-limited**: the same with the sandbox returning 429 above ${settings.rateLimitPerSecond} requests/s (Retry-After: 1); ceiling = limit ÷ WEEEK calls per new lead\n\n${rateLimitedTable(result.n8n.rateLimited)}`,
    );
  }
  if (result.nodeRed) {
    sections.push(
      `**4. Node-RED ${result.nodeRed.version}**: ${number(settings.leads)} Tilda leads posted to WEEEK Lead In (${result.nodeRed.batch.postConcurrency} at a time), sandbox latency ${settings.latencyMs} ms\n\n${nodeRedTable(result.nodeRed.batch)}`,
    );
  }
  if (result.criticalPath) {
    sections.push(
      `**5. Critical path**: one new lead at a time, unloaded; a trivial GET takes ${number(result.criticalPath.rttMs, 1)} ms in the sandbox from arrival to response ` +
        `(${number(result.criticalPath.clientRttMs, 1)} ms round trip from the benchmark process; sandbox latency ${settings.latencyMs} ms); the limit for two calls is 2\n\n${criticalPathTable(result.criticalPath)}`,
    );
  }
  return `${sections.join('\n\n')}\n`;
}
