#!/usr/bin/env node
// Smoke test of the host harness with packed packages: install each tarball into the
// real hosts it targets, start them on 127.0.0.1, and run a node of the package
// through each host's ordinary paths (n8n: `execute --id` and production webhooks
// activated by CLI and by REST; Node-RED: http in -> node -> http response).
//
// Usage: node test/hosts/smoke.mjs [options] TARBALL...
// Run with --help for the options.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { nodeOutput, startN8n } from './n8n.mjs';
import { startNodeRed } from './node-red.mjs';
import { waitFor } from './process.mjs';
import { HOSTS } from './versions.mjs';

const HELP = `Usage: node test/hosts/smoke.mjs [options] TARBALL...

Each TARBALL is an \`npm pack\` output. A package.json with an "n8n" section is tested on the
n8n hosts, one with a "node-red" section on the Node-RED hosts.

Options:
  --hosts LIST             Comma-separated hosts to test (default: all that fit the tarballs):
                           ${Object.keys(HOSTS).join(', ')}
  --n8n-node TYPE          n8n node type to run (default: the package's first non-trigger node)
  --n8n-parameters JSON    Parameters of that node in the test workflows (default: {})
  --node-red-node TYPE     Node-RED node type to put between http in and http response
                           (default: the package's first node type)
  --node-red-config JSON   Extra properties of that node in the flow, e.g. {"credentials":{...}}
  --scenario FILE          ES module exporting async n8n(context) and/or nodeRed(context)
                           for package-specific checks after the generic ones
  --keep                   Keep the temporary user folders for inspection
  -h, --help               Show this help
`;

const results = [];

/** Runs one named check, prints and records whether it passed, and never throws. */
async function check(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} (${Date.now() - started} ms): ${error.stack ?? error}`);
    return false;
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Reads package.json out of an `npm pack` tarball without unpacking it. */
function readTarballManifest(tarball) {
  const result = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Cannot read package/package.json from ${tarball}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout);
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Keep the text for the message.
  }
  return { status: response.status, text, json };
}

/** Returns a workflow: `trigger` node connected to one node of type `nodeType`. */
function workflowWith({ id, name, trigger, nodeType, parameters }) {
  return {
    id,
    name,
    active: false,
    nodes: [
      { id: randomUUID(), position: [0, 0], ...trigger },
      { id: randomUUID(), name: 'Node under test', type: nodeType, typeVersion: 1, position: [240, 0], parameters },
    ],
    connections: { [trigger.name]: { main: [[{ node: 'Node under test', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
    pinData: {},
  };
}

/** Returns a built-in Webhook trigger whose response is the last node's first item. */
function webhookTrigger(webhookPath) {
  return {
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    webhookId: randomUUID(),
    parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
  };
}

async function smokeN8n(hostName, pkg, options, scenario) {
  const { version } = HOSTS[hostName];
  const label = `${hostName} (n8n ${version})`;
  let n8n;
  const started = await check(`${label}: install ${path.basename(pkg.tarball)} and start`, async () => {
    n8n = await startN8n({ version, communityTarball: pkg.tarball, keepUserFolder: options.keep, onProgress: console.log });
    return `${n8n.baseUrl}, user folder ${n8n.userFolder}`;
  });
  if (!started) return;

  try {
    await check(`${label}: listens on 127.0.0.1`, async () => {
      assert(new URL(n8n.baseUrl).hostname === '127.0.0.1', `baseUrl ${n8n.baseUrl} is not on 127.0.0.1`);
      const line = `n8n ready on 127.0.0.1, port ${n8n.port}`;
      assert(n8n.logs().includes(line), `log line "${line}" missing`);
    });

    const rest = n8n.rest();
    await check(`${label}: owner setup and login`, async () => {
      await rest.signIn();
      const fresh = n8n.rest();
      await fresh.login();
      assert(fresh.cookie, 'login set no n8n-auth cookie');
    });

    let packageTypes = [];
    await check(`${label}: community node types registered`, async () => {
      const response = await fetch(`${n8n.baseUrl}/types/nodes.json`, { headers: { Cookie: rest.cookie } });
      assert(response.ok, `GET /types/nodes.json returned ${response.status}`);
      const types = await response.json();
      packageTypes = types.filter((type) => type.name.startsWith(`${pkg.manifest.name}.`));
      const declared = pkg.manifest.n8n.nodes?.length ?? 0;
      const names = [...new Set(packageTypes.map((type) => type.name))];
      assert(names.length >= declared, `expected at least ${declared} node types named ${pkg.manifest.name}.*, found: ${names.join(', ') || 'none'}`);
      return names.join(', ');
    });

    await check(`${label}: community credential types registered`, async () => {
      const response = await fetch(`${n8n.baseUrl}/types/credentials.json`, { headers: { Cookie: rest.cookie } });
      assert(response.ok, `GET /types/credentials.json returned ${response.status}`);
      const all = await response.json();
      const declared = (pkg.manifest.n8n.credentials ?? []).map((file) => path.basename(file, '.credentials.js'));
      // Credential type names are the class's `name`, conventionally the file stem with a lower-case first letter.
      const expected = declared.map((stem) => stem[0].toLowerCase() + stem.slice(1));
      const missing = expected.filter((name) => !all.some((type) => type.name === name));
      assert(missing.length === 0, `credential types missing: ${missing.join(', ')}`);
      return expected.join(', ') || 'package declares none';
    });

    const nodeType =
      options.n8nNode ?? packageTypes.find((type) => !(type.group ?? []).includes('trigger') && !type.name.endsWith('Tool'))?.name;
    if (!nodeType) {
      await check(`${label}: pick a node to run`, () => {
        throw new Error('the package has no non-trigger node; pass --n8n-node');
      });
      return;
    }
    const parameters = options.n8nParameters;

    await check(`${label}: import:workflow and execute --id with ${nodeType}`, async () => {
      const id = await n8n.importWorkflow(
        workflowWith({
          id: 'smokeExecute0001',
          name: 'smoke: execute',
          trigger: { name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
          nodeType,
          parameters,
        }),
      );
      const run = await n8n.executeWorkflow(id);
      assert(!run.data.resultData.error, `execution error: ${JSON.stringify(run.data.resultData.error)}`);
      const items = nodeOutput(run, 'Node under test');
      assert(items.length > 0, 'the node returned no items');
      return JSON.stringify(items[0]).slice(0, 200);
    });

    const preflightStatus = async (webhookPath) => {
      const response = await fetch(`${n8n.baseUrl}/webhook/${webhookPath}`, {
        method: 'OPTIONS',
        headers: { Origin: n8n.baseUrl, 'Access-Control-Request-Method': 'POST' },
      });
      return response.status;
    };

    await check(`${label}: webhook workflow activated by CLI answers on its production URL`, async () => {
      const webhookPath = `smoke-cli-${hostName}`;
      const id = await n8n.importWorkflow(
        workflowWith({ id: 'smokeWebhookCli1', name: 'smoke: webhook (CLI)', trigger: webhookTrigger(webhookPath), nodeType, parameters }),
      );
      const before = await preflightStatus(webhookPath);
      assert(before !== 204, `OPTIONS /webhook/${webhookPath} returned 204 before activation, so it cannot tell when the webhook is registered`);
      await n8n.activateWorkflowCli(id);
      await n8n.waitForWebhook(webhookPath);
      const response = await postJson(`${n8n.baseUrl}/webhook/${webhookPath}`, { lead: 'cli' });
      assert(
        response.status === 200,
        `POST /webhook/${webhookPath} returned ${response.status}: ${response.text}\n--- n8n output ---\n${n8n.logs().slice(-6000)}`,
      );
      assert(response.json?.input?.body?.lead === 'cli', `the webhook response does not carry the posted body: ${response.text}`);
      return `OPTIONS before activation: ${before}; ${response.text.slice(0, 120)}`;
    });

    await check(`${label}: webhook workflow activated by REST answers on its production URL`, async () => {
      await rest.login();
      const webhookPath = `smoke-rest-${hostName}`;
      const id = await n8n.importWorkflow(
        workflowWith({ id: 'smokeWebhookRest', name: 'smoke: webhook (REST)', trigger: webhookTrigger(webhookPath), nodeType, parameters }),
      );
      const activated = await rest.activateWorkflow(id);
      assert(activated.active === true, `activate returned active=${activated.active}`);
      const started = Date.now();
      await n8n.waitForWebhook(webhookPath);
      const waitedMs = Date.now() - started;
      const response = await postJson(`${n8n.baseUrl}/webhook/${webhookPath}`, { lead: 'rest' });
      assert(response.status === 200, `POST /webhook/${webhookPath} returned ${response.status}: ${response.text}`);
      assert(response.json?.input?.body?.lead === 'rest', `the webhook response does not carry the posted body: ${response.text}`);
      return `registered ${waitedMs} ms after the activate call; ${response.text.slice(0, 120)}`;
    });

    if (scenario?.n8n) {
      await scenario.n8n({ host: hostName, version, n8n, rest, pkg, check: (name, fn) => check(`${label}: ${name}`, fn), assert, postJson });
    }
  } finally {
    await n8n.stop();
  }
}

async function smokeNodeRed(hostName, pkg, options, scenario) {
  const { version } = HOSTS[hostName];
  const label = `${hostName} (Node-RED ${version})`;
  let red;
  const started = await check(`${label}: install ${path.basename(pkg.tarball)} and start`, async () => {
    red = await startNodeRed({ version, tarball: pkg.tarball, keepUserDir: options.keep, onProgress: console.log });
    return `${red.baseUrl}, user dir ${red.userDir}`;
  });
  if (!started) return;

  try {
    await check(`${label}: listens on 127.0.0.1`, async () => {
      assert(new URL(red.baseUrl).hostname === '127.0.0.1', `baseUrl ${red.baseUrl} is not on 127.0.0.1`);
      const line = `Server now running at http://127.0.0.1:${red.port}/`;
      assert(red.logs().includes(line), `log line "${line}" missing`);
      const nodeVersion = red.logs().match(/Node\.js {2}version: (v\S+)/)?.[1];
      const expectedMajor = HOSTS[hostName].node;
      assert(nodeVersion?.startsWith(`v${expectedMajor}.`), `Node-RED runs on Node.js ${nodeVersion}, expected ${expectedMajor}.x`);
      return `Node.js ${nodeVersion}`;
    });

    let types = [];
    await check(`${label}: module ${pkg.manifest.name} loaded`, async () => {
      const response = await fetch(`${red.adminUrl}/nodes/${pkg.manifest.name}`, { headers: { Accept: 'application/json' } });
      const info = await response.json();
      types = info.nodes.flatMap((set) => set.types);
      return `types ${types.join(', ')}`;
    });

    const nodeType = options.nodeRedNode ?? types[0];
    await check(`${label}: http in -> ${nodeType} -> http response`, async () => {
      const flows = [
        { id: 'smoke-tab', type: 'tab', label: 'smoke' },
        { id: 'smoke-in', type: 'http in', z: 'smoke-tab', url: '/smoke', method: 'post', wires: [['smoke-node']] },
        { id: 'smoke-node', type: nodeType, z: 'smoke-tab', wires: [['smoke-out']], ...options.nodeRedConfig },
        { id: 'smoke-out', type: 'http response', z: 'smoke-tab', statusCode: '', headers: {}, wires: [] },
      ];
      await red.deployFlows(flows);
      const response = await waitFor(
        async () => {
          const result = await postJson(`${red.httpNodeUrl}/smoke`, { lead: 'node-red' });
          return result.status === 404 ? null : result;
        },
        { timeoutMs: 15_000, description: `POST ${red.httpNodeUrl}/smoke to stop returning 404` },
      );
      assert(response.status === 200, `POST /smoke returned ${response.status}: ${response.text}`);
      return response.text.slice(0, 200);
    });

    if (scenario?.nodeRed) {
      await scenario.nodeRed({ host: hostName, version, red, pkg, check: (name, fn) => check(`${label}: ${name}`, fn), assert, postJson });
    }
  } finally {
    await red.stop();
  }
}

function parseJsonOption(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new Error(`Invalid JSON in ${name}: ${error.message}`);
  }
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      hosts: { type: 'string' },
      'n8n-node': { type: 'string' },
      'n8n-parameters': { type: 'string' },
      'node-red-node': { type: 'string' },
      'node-red-config': { type: 'string' },
      scenario: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(HELP);
    process.exit(values.help ? 0 : 2);
  }

  const options = {
    keep: values.keep,
    n8nNode: values['n8n-node'],
    n8nParameters: parseJsonOption(values['n8n-parameters'], '--n8n-parameters') ?? {},
    nodeRedNode: values['node-red-node'],
    nodeRedConfig: parseJsonOption(values['node-red-config'], '--node-red-config') ?? {},
  };
  const scenario = values.scenario ? await import(pathToFileURL(path.resolve(values.scenario)).href) : null;
  const packages = positionals.map((file) => ({ tarball: path.resolve(file), manifest: readTarballManifest(file) }));
  const n8nPackage = packages.find((pkg) => pkg.manifest.n8n);
  const nodeRedPackage = packages.find((pkg) => pkg.manifest['node-red']);
  const unknown = packages.filter((pkg) => !pkg.manifest.n8n && !pkg.manifest['node-red']);
  if (unknown.length > 0) {
    throw new Error(`No "n8n" or "node-red" section in package.json of: ${unknown.map((pkg) => pkg.tarball).join(', ')}`);
  }

  const wanted = values.hosts ? values.hosts.split(',').map((name) => name.trim()) : Object.keys(HOSTS);
  for (const name of wanted) {
    if (!HOSTS[name]) throw new Error(`Unknown host "${name}" in --hosts. Valid hosts: ${Object.keys(HOSTS).join(', ')}.`);
  }
  for (const hostName of wanted) {
    const { kind } = HOSTS[hostName];
    if (kind === 'n8n' && n8nPackage) await smokeN8n(hostName, n8nPackage, options, scenario);
    if (kind === 'node-red' && nodeRedPackage) await smokeNodeRed(hostName, nodeRedPackage, options, scenario);
  }

  const passed = results.filter((result) => result.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error.stack ?? error);
  process.exit(1);
});
