// The example flows from node-red/examples, prepared for a test instance as a user prepares them in
// the editor. The nodes go onto a tab, and the WEEEK config node gets a token and base URL. The WEEEK
// nodes that create deals get a funnel and a status.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './packages.mjs';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'node-red', 'examples');

/** Tells whether `node-red/examples/<name>.json` exists. */
export function hasExample(name) {
  return existsSync(path.join(EXAMPLES_DIR, `${name}.json`));
}

/**
 * Returns the nodes of `node-red/examples/<name>.json` on a new tab `tabId`, with every weeek-config
 * node pointing at `baseUrl` with `token` as its credential, and `funnel` and `status` chosen in
 * every node that has the funnelId/statusId fields.
 */
export function exampleFlow(name, { tabId, baseUrl, token, funnel, status }) {
  const nodes = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8'));
  const flow = [{ id: tabId, type: 'tab', label: name, disabled: false, info: '' }];
  for (const node of nodes) {
    const copy = { ...node };
    if (copy.type === 'weeek-config') {
      copy.baseUrl = baseUrl;
      copy.credentials = { token };
    } else {
      copy.z = tabId;
    }
    if ('funnelId' in copy) Object.assign(copy, { funnelId: funnel.id, funnelName: funnel.name });
    if ('statusId' in copy) Object.assign(copy, { statusId: status.id, statusName: status.name });
    flow.push(copy);
  }
  return flow;
}

/** Returns the `url` of the flow's `http in` node. */
export function httpInPath(flow) {
  const httpIn = flow.find((node) => node.type === 'http in');
  if (!httpIn) throw new Error('The flow has no http in node.');
  return httpIn.url;
}

/** Returns the id of the flow's weeek-config node. */
export function configNodeId(flow) {
  const config = flow.find((node) => node.type === 'weeek-config');
  if (!config) throw new Error('The flow has no weeek-config node.');
  return config.id;
}

/** Posts JSON to a Node-RED admin route and returns `{ status, body }`. */
export async function postAdmin(adminUrl, route, body) {
  const response = await fetch(`${adminUrl}/${route.replace(/^\//, '')}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Keep the text for the assertion message.
  }
  return { status: response.status, body: parsed };
}
