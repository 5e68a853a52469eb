// Benchmark sections 2, 3 and the n8n half of 5: Lead → Deal and the stock recipe in one real n8n,
// against the WEEEK sandbox that runs in this process.
import { startN8n } from '../test/hosts/n8n.mjs';
import { waitForQuietSandbox } from '../test/e2e/support/leads.mjs';
import { postJson } from './support/http.mjs';
import { benchLeads } from './support/leads.mjs';
import { readCpuSeconds, watchPeakMemory } from './support/memory.mjs';
import { leadToDealWorkflow, stockRecipeWorkflow } from './support/n8nWorkflows.mjs';
import { analyzeRun, leadTimes } from './support/sandboxLog.mjs';

const WARM_UP_LEADS = 20;
const CRITICAL_PATH_LEADS = 15;

/** Requests per second of the weeekApi credential where the sandbox sets no limit: high enough never to bind. */
export const UNLIMITED_CREDENTIAL_RATE = 1000;

/**
 * The flows, each one workflow with its own webhook path. Lead → Deal has one workflow per credential,
 * because the credential sets the rate limit.
 */
const FLOWS = {
  leadToDealUnlimited: { label: 'Lead → Deal', path: 'bench-lead-to-deal', callsPerNewLead: 2 },
  leadToDealLimited: { label: 'Lead → Deal', path: 'bench-lead-to-deal-10rps', callsPerNewLead: 2 },
  stock: { label: 'stock recipe, as built', path: 'bench-stock', callsPerNewLead: 3 },
  stockRetry: { label: 'stock recipe, Retry On Fail', path: 'bench-stock-retry', callsPerNewLead: 3 },
};

/**
 * Starts n8n `version` with the packed package `tarball`, creates the credentials and the four
 * workflows through n8n's REST API, activates them and returns `{ n8n, urls }`.
 */
async function setUpN8n({ version, tarball, sandbox, seed, limitedRate, onProgress }) {
  const n8n = await startN8n({ version, communityTarball: tarball, onProgress });
  try {
    const rest = n8n.rest();
    await rest.signIn();

    const weeekCredential = (name, requestsPerSecond) =>
      rest.createCredential({ name, type: 'weeekApi', data: { apiToken: sandbox.token, baseUrl: sandbox.baseUrl, requestsPerSecond } });
    const unlimited = await weeekCredential(`WEEEK sandbox, ${UNLIMITED_CREDENTIAL_RATE} requests/s`, UNLIMITED_CREDENTIAL_RATE);
    const limited = await weeekCredential(`WEEEK sandbox, ${limitedRate} requests/s`, limitedRate);
    const bearer = await rest.createCredential({ name: 'WEEEK sandbox bearer token', type: 'httpBearerAuth', data: { token: sandbox.token } });

    const place = { funnel: seed.funnels.sales, status: seed.statuses.newLead };
    const workflows = {
      leadToDealUnlimited: leadToDealWorkflow({ name: 'Bench: Lead → Deal', path: FLOWS.leadToDealUnlimited.path, credential: unlimited, ...place }),
      leadToDealLimited: leadToDealWorkflow({ name: 'Bench: Lead → Deal, limited', path: FLOWS.leadToDealLimited.path, credential: limited, ...place }),
      stock: stockRecipeWorkflow({ name: 'Bench: stock recipe', path: FLOWS.stock.path, baseUrl: sandbox.baseUrl, bearerCredential: bearer, ...place }),
      stockRetry: stockRecipeWorkflow({
        name: 'Bench: stock recipe, Retry On Fail',
        path: FLOWS.stockRetry.path,
        baseUrl: sandbox.baseUrl,
        bearerCredential: bearer,
        retryOnFail: true,
        ...place,
      }),
    };

    const urls = {};
    for (const [key, workflow] of Object.entries(workflows)) {
      const created = await rest.request('POST', '/workflows', workflow);
      await rest.activateWorkflow(created.id);
      urls[key] = await n8n.waitForWebhook(FLOWS[key].path);
    }
    return { n8n, urls };
  } catch (error) {
    await n8n.stop();
    throw error;
  }
}

/** Starts a measured batch: a clean sandbox with `faults`, the peak-memory watch, then one POST of all leads. */
async function runBatch({ n8n, sandbox, url, leads, faults }) {
  sandbox.reset();
  sandbox.setFaults(faults);

  const memory = await watchPeakMemory(n8n.pid);
  const cpuBefore = await readCpuSeconds(n8n.pid);
  const response = await postJson(url, leads.map((lead) => lead.fields));
  const cpuSeconds = (await readCpuSeconds(n8n.pid)) - cpuBefore;
  const peak = await memory.stop();
  // A failed execution may have left requests in flight; their outcome still counts.
  await waitForQuietSandbox(sandbox, { quietMs: 500, timeoutMs: 120_000 });

  const analysis = analyzeRun(sandbox, leads);
  const seconds = (response.finishedAt - response.startedAt) / 1000;
  return {
    httpStatus: response.status,
    seconds: round(seconds, 2),
    leadsPerSecond: round(analysis.done / seconds, 1),
    weeekRequestsPerLead: round(analysis.requests / leads.length, 2),
    ...leadTimes(analysis.perLead),
    peakMemoryBytes: peak.peakBytes,
    memoryMethod: peak.method,
    // CPU time of the n8n server process during the POST, per lead fed.
    cpuMsPerLead: round((cpuSeconds * 1000) / leads.length, 1),
    leads: leads.length,
    done: analysis.done,
    lost: analysis.lost,
    duplicates: analysis.duplicates,
    requests: analysis.requests,
    status429: analysis.status429,
    unattributedRequests: analysis.unattributed,
  };
}

/** Runs a few leads through every flow so that n8n has compiled and cached the code paths before measuring. */
async function warmUp({ sandbox, urls, latencyMs }) {
  for (const key of ['leadToDealUnlimited', 'stock', 'stockRetry']) {
    sandbox.reset();
    sandbox.setFaults({ latencyMs });
    const leads = benchLeads('warmUp', WARM_UP_LEADS);
    const response = await postJson(urls[key], leads.map((lead) => lead.fields));
    await waitForQuietSandbox(sandbox, { quietMs: 300 });
    const { done } = analyzeRun(sandbox, leads);
    if (response.status !== 200 || done !== leads.length) {
      throw new Error(`Warm-up of ${FLOWS[key].label} failed: HTTP ${response.status} ${response.text.slice(0, 500)}, ${done} of ${leads.length} leads done.`);
    }
  }
}

/**
 * One new lead at a time, unloaded: per flow, the median time from the lead's first WEEEK request to
 * the response to its last (WEEEK's share of the critical path), and from the POST to its response.
 */
async function criticalPath({ sandbox, urls, latencyMs }) {
  const flows = [];
  for (const key of ['leadToDealUnlimited', 'stock']) {
    sandbox.reset();
    sandbox.setFaults({ latencyMs });
    const leads = benchLeads('criticalPath', CRITICAL_PATH_LEADS);
    const postTimes = [];
    for (const lead of leads) {
      const response = await postJson(urls[key], [lead.fields]);
      if (response.status !== 200) throw new Error(`${FLOWS[key].label}: one-lead POST returned HTTP ${response.status}: ${response.text.slice(0, 500)}`);
      postTimes.push(response.finishedAt - response.startedAt);
    }
    await waitForQuietSandbox(sandbox, { quietMs: 300 });

    const analysis = analyzeRun(sandbox, leads);
    postTimes.sort((a, b) => a - b);
    flows.push({
      flow: FLOWS[key].label,
      host: 'n8n',
      leads: leads.length,
      done: analysis.done,
      weeekRequestsPerLead: round(analysis.requests / leads.length, 2),
      weeekTimeMs: leadTimes(analysis.perLead).p50Ms,
      endToEndMs: postTimes[Math.floor(postTimes.length / 2)],
    });
  }
  return flows;
}

/**
 * Runs sections 2, 3 and the n8n part of 5 on n8n `version` and returns
 * `{ version, batch, rateLimited, criticalPath }`. `onProgress` receives one line per step.
 */
export async function benchN8n({ version, tarball, sandbox, seed, leadCount, latencyMs, rateLimit, onProgress }) {
  onProgress(`n8n ${version}: starting`);
  const { n8n, urls } = await setUpN8n({ version, tarball, sandbox, seed, limitedRate: rateLimit, onProgress });
  try {
    onProgress(`n8n ${version}: warming up`);
    await warmUp({ sandbox, urls, latencyMs });

    const batchLeads = benchLeads('batch', leadCount);
    const batch = [];
    for (const key of ['leadToDealUnlimited', 'stock']) {
      onProgress(`n8n ${version}: batch of ${leadCount} leads, ${FLOWS[key].label}`);
      const result = await runBatch({ n8n, sandbox, url: urls[key], leads: batchLeads, faults: { latencyMs } });
      const credentialRate = key === 'stock' ? null : UNLIMITED_CREDENTIAL_RATE;
      batch.push({ flow: FLOWS[key].label, credentialRequestsPerSecond: credentialRate, ...result });
    }

    const limitedLeads = benchLeads('rateLimited', leadCount);
    const rateLimited = [];
    for (const key of ['leadToDealLimited', 'stock', 'stockRetry']) {
      onProgress(`n8n ${version}: ${leadCount} leads under a limit of ${rateLimit} requests/s, ${FLOWS[key].label}`);
      const result = await runBatch({
        n8n,
        sandbox,
        url: urls[key],
        leads: limitedLeads,
        faults: { latencyMs, rateLimitPerSecond: rateLimit, retryAfterSeconds: 1 },
      });
      const ceiling = rateLimit / FLOWS[key].callsPerNewLead;
      rateLimited.push({
        flow: FLOWS[key].label,
        credentialRequestsPerSecond: key === 'leadToDealLimited' ? rateLimit : null,
        ceilingLeadsPerSecond: round(ceiling, 2),
        fractionOfCeiling: round(result.leadsPerSecond / ceiling, 3),
        ...result,
      });
    }

    onProgress(`n8n ${version}: critical path, one lead at a time`);
    const critical = await criticalPath({ sandbox, urls, latencyMs });
    return { version, batch, rateLimited, criticalPath: critical };
  } finally {
    await n8n.stop();
  }
}

export function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
