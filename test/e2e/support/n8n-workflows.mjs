// The example workflows from examples/n8n, prepared for a test instance. Only the credential id and the
// workflow id (which `n8n import:workflow` needs) are set, so nodes, parameters and webhook ids stay as shipped.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './packages.mjs';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples', 'n8n');

/** Reads `examples/n8n/<file>` and returns it with `id` set and every weeekApi credential pointing at `credential`. */
export function exampleWorkflow(file, { id, credential }) {
  const workflow = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
  for (const node of workflow.nodes) {
    if (node.credentials?.weeekApi) node.credentials.weeekApi = { ...node.credentials.weeekApi, id: credential.id };
  }
  return { ...workflow, id, active: false };
}

/** Returns the production URL path (below /webhook/) of the workflow's WEEEK Lead Trigger: `<webhookId>/lead`. */
export function triggerWebhookPath(workflow) {
  const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-weeek.weeekLeadTrigger');
  if (!trigger?.webhookId) throw new Error(`Workflow "${workflow.name}" has no WEEEK Lead Trigger with a webhookId.`);
  return `${trigger.webhookId}/lead`;
}

/**
 * Returns the executions of a workflow from `GET /rest/executions` (the editor's list), newest first,
 * as `{ id, status, finished }` rows.
 */
export async function listExecutions(rest, workflowId) {
  const filter = encodeURIComponent(JSON.stringify({ workflowId }));
  const page = await rest.request('GET', `/executions?filter=${filter}&limit=100`);
  return page.results.map(({ id, status, finished }) => ({ id, status, finished }));
}
