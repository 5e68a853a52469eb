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
    `${number(flow.lost)} of ${number(flow.leads)}`,
    number(flow.duplicates),
  ]);
  return table(['Flow', 'Credential limit', 'Leads/s', 'WEEEK calls per lead', 'p50 per lead', 'p95 per lead', 'Peak RSS of n8n', 'Leads lost', 'Duplicate records'], rows);
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
  return table(['Host', 'Flow', 'WEEEK calls', 'Time per lead, first request → last response', '÷ round trip', 'POST → last response'], rows);
}

/** Returns the whole report as Markdown: the five tables with a line of settings above each. */
export function formatReport(result) {
  const { settings, machine } = result;
  const sections = [];

  sections.push(
    `Measured ${result.finishedAt.slice(0, 10)} on ${machine.cpus}× ${machine.cpuModel}, ${number(machine.memoryGiB)} GiB, ${machine.os}; ` +
      `n8n ${machine.n8n} and Node-RED ${machine.nodeRed}; load average ${machine.loadAverageAtStart} at the start. ` +
      `Whole run: ${number(result.durationSeconds / 60, 1)} min (\`npm run bench\`).`,
  );

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
      `**5. Critical path**: one new lead at a time, unloaded; round trip of a trivial GET = ${number(result.criticalPath.rttMs, 1)} ms (sandbox latency ${settings.latencyMs} ms); the limit for two calls is 2\n\n${criticalPathTable(result.criticalPath)}`,
    );
  }
  return `${sections.join('\n\n')}\n`;
}
