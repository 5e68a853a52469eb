// Benchmark section 4 and the Node-RED half of 5: Tilda leads posted to WEEEK Lead In, which passes
// them to WEEEK Lead → Deal, in one real Node-RED, against the WEEEK sandbox that runs in this process.
import { startNodeRed } from '../test/hosts/node-red.mjs';
import { waitFor } from '../test/hosts/process.mjs';
import { waitForQuietSandbox } from '../test/e2e/support/leads.mjs';
import { round, UNLIMITED_CREDENTIAL_RATE } from './n8n.mjs';
import { postForm } from './support/http.mjs';
import { benchLeads, tagIn, tildaFormBody } from './support/leads.mjs';
import { watchPeakMemory } from './support/memory.mjs';
import { analyzeRun, leadTimes } from './support/sandboxLog.mjs';

const ROUTE = '/bench/leads';
const WARM_UP_LEADS = 20;
const CRITICAL_PATH_LEADS = 15;
/** Deliveries in flight at once, as from many visitors submitting forms at the same moment. */
const POST_CONCURRENCY = 16;
const FLOW_LABEL = 'Lead In → Lead → Deal';

function benchFlow({ sandbox, seed }) {
  const tab = 'bench-tab';
  return [
    { id: tab, type: 'tab', label: 'WEEEK benchmark', disabled: false, info: '' },
    { id: 'bench-source', type: 'weeek-lead-source', name: 'Tilda', kind: 'tilda', secretLocation: 'none' },
    {
      id: 'bench-config',
      type: 'weeek-config',
      name: 'WEEEK sandbox',
      baseUrl: sandbox.baseUrl,
      requestsPerSecond: UNLIMITED_CREDENTIAL_RATE,
      credentials: { token: sandbox.token },
    },
    { id: 'bench-in', type: 'weeek-lead-in', z: tab, name: 'Tilda webhook', source: 'bench-source', url: ROUTE, idPath: '', x: 150, y: 100, wires: [['bench-deal']] },
    {
      id: 'bench-deal',
      type: 'weeek-lead-to-deal',
      z: tab,
      name: 'Lead → Deal',
      config: 'bench-config',
      funnelId: seed.funnels.sales.id,
      funnelName: seed.funnels.sales.name,
      statusId: seed.statuses.newLead.id,
      statusName: seed.statuses.newLead.name,
      contactMode: 'create',
      titleTemplate: '{source}: {name}',
      amount: '',
      amountType: 'num',
      descriptionNote: '',
      customFields: [],
      leadKeyFieldId: '',
      alwaysCheckWeeek: false,
      dryRun: false,
      x: 400,
      y: 100,
      wires: [[]],
    },
  ];
}

/** Posts every lead as Tilda does, POST_CONCURRENCY at a time, and returns the post start times by lead index. */
async function postLeads(url, leads) {
  const startedAt = new Array(leads.length);
  let next = 0;
  const poster = async () => {
    while (next < leads.length) {
      const index = next++;
      const response = await postForm(url, tildaFormBody(leads[index]));
      if (response.status !== 200) throw new Error(`POST ${url} returned HTTP ${response.status}: ${response.text.slice(0, 300)}`);
      startedAt[index] = response.startedAt;
    }
  };
  await Promise.all(Array.from({ length: POST_CONCURRENCY }, poster));
  return startedAt;
}

/** Waits until every lead's deal exists with a contact, or the sandbox got no request for 3 s. */
async function waitForDeals(sandbox, count, timeoutMs) {
  const linked = () => sandbox.state.deals.filter((deal) => deal.contacts.length > 0).length;
  await waitFor(() => linked() >= count, { timeoutMs, intervalMs: 200, description: `${count} linked deals in the sandbox` }).catch(() => undefined);
  await waitForQuietSandbox(sandbox, { quietMs: 1000, timeoutMs: 60_000 });
}

async function runLeads({ red, sandbox, url, leads, latencyMs, timeoutMs }) {
  sandbox.reset();
  sandbox.setFaults({ latencyMs });

  const memory = await watchPeakMemory(red.pid);
  const postedAt = await postLeads(url, leads);
  await waitForDeals(sandbox, leads.length, timeoutMs);
  const peak = await memory.stop();

  const analysis = analyzeRun(sandbox, leads);
  const finishedAt = Math.max(...analysis.perLead.filter((entry) => entry.done).map((entry) => entry.lastAt));
  const seconds = (finishedAt - Math.min(...postedAt)) / 1000;
  return {
    flow: FLOW_LABEL,
    credentialRequestsPerSecond: UNLIMITED_CREDENTIAL_RATE,
    postConcurrency: POST_CONCURRENCY,
    seconds: round(seconds, 2),
    leadsPerSecond: round(analysis.done / seconds, 1),
    weeekRequestsPerLead: round(analysis.requests / leads.length, 2),
    // From the start of the lead's POST to the response that created its linked deal.
    ...leadTimes(analysis.perLead, (_entry, index) => postedAt[index]),
    peakMemoryBytes: peak.peakBytes,
    memoryMethod: peak.method,
    leads: leads.length,
    done: analysis.done,
    lost: analysis.lost,
    duplicates: analysis.duplicates,
    requests: analysis.requests,
    status429: analysis.status429,
    unattributedRequests: analysis.unattributed,
  };
}

/** Posts one lead at a time and returns the medians of its WEEEK time and of the time from POST to the deal's response. */
async function criticalPath({ sandbox, url, latencyMs }) {
  sandbox.reset();
  sandbox.setFaults({ latencyMs });
  const leads = benchLeads('criticalPathNodeRed', CRITICAL_PATH_LEADS);
  const postedAt = [];
  for (const lead of leads) {
    const response = await postForm(url, tildaFormBody(lead));
    if (response.status !== 200) throw new Error(`POST ${url} returned HTTP ${response.status}: ${response.text.slice(0, 300)}`);
    postedAt.push(response.startedAt);
    // The next lead goes only after the response to this one's deal, so leads never overlap.
    await waitFor(
      () => sandbox.requests.some((request) => request.respondedAt !== undefined && tagIn(request.body?.title) === lead.tag),
      { timeoutMs: 30_000, intervalMs: 2, description: `the deal of lead ${lead.tag}` },
    );
  }
  await waitForQuietSandbox(sandbox, { quietMs: 300 });

  const analysis = analyzeRun(sandbox, leads);
  return {
    flow: FLOW_LABEL,
    host: 'Node-RED',
    leads: leads.length,
    done: analysis.done,
    weeekRequestsPerLead: round(analysis.requests / leads.length, 2),
    weeekTimeMs: leadTimes(analysis.perLead).p50Ms,
    endToEndMs: leadTimes(analysis.perLead, (_entry, index) => postedAt[index]).p50Ms,
  };
}

/** Runs section 4 and the Node-RED part of 5 on Node-RED `version`; returns `{ version, batch, criticalPath }`. */
export async function benchNodeRed({ version, tarball, sandbox, seed, leadCount, latencyMs, onProgress }) {
  onProgress(`Node-RED ${version}: starting`);
  const red = await startNodeRed({ version, tarball, flows: benchFlow({ sandbox, seed }), logLevel: 'warn', onProgress });
  try {
    const url = `${red.httpNodeUrl}${ROUTE}`;
    // A flow's routes exist a moment after the deploy returned.
    await waitFor(async () => (await postForm(url, 'test=test')).status === 200, { timeoutMs: 15_000, description: `POST ${url} to return 200` });

    onProgress(`Node-RED ${version}: warming up`);
    const warmUp = await runLeads({ red, sandbox, url, leads: benchLeads('nodeRedWarmUp', WARM_UP_LEADS), latencyMs, timeoutMs: 60_000 });
    if (warmUp.done !== WARM_UP_LEADS) throw new Error(`Node-RED warm-up: ${warmUp.done} of ${WARM_UP_LEADS} leads done.`);

    onProgress(`Node-RED ${version}: ${leadCount} posted leads`);
    const batch = await runLeads({ red, sandbox, url, leads: benchLeads('nodeRed', leadCount), latencyMs, timeoutMs: 10 * 60_000 });

    onProgress(`Node-RED ${version}: critical path, one lead at a time`);
    const critical = await criticalPath({ sandbox, url, latencyMs });
    return { version, batch, criticalPath: critical };
  } finally {
    await red.stop();
  }
}
