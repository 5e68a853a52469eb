// The two n8n workflows the benchmark compares. Both start with n8n's Webhook node, which receives a JSON
// array of Tilda form submissions, and n8n's Split Out node, which makes one item per lead. Both respond to
// the POST when the last node has finished, so the POST's duration is the batch's duration.
//
// - Lead → Deal: WEEEK Lead → Normalize, then WEEEK Lead → Create Deal ("Always Create a New Contact").
// - Stock recipe, from n8n's own nodes only, as users build it today: Edit Fields builds the contact JSON,
//   HTTP Request creates the contact, Edit Fields takes its id, HTTP Request creates the deal, Edit Fields
//   takes its id, HTTP Request links the contact to the deal. That is three WEEEK calls per lead.
import { randomUUID } from 'node:crypto';

const SPLIT_OUT = 'Split Out';

function webhookNode(path) {
  return {
    parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} },
    id: randomUUID(),
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2,
    position: [0, 0],
    webhookId: randomUUID(),
  };
}

function splitOutNode() {
  return {
    parameters: { fieldToSplitOut: 'body', options: {} },
    id: randomUUID(),
    name: SPLIT_OUT,
    type: 'n8n-nodes-base.splitOut',
    typeVersion: 1,
    position: [220, 0],
  };
}

/** Connects `nodes` one after another on their first main output. */
function chain(nodes) {
  const connections = {};
  for (let index = 0; index < nodes.length - 1; index += 1) {
    connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
  }
  return connections;
}

function workflow(name, nodes) {
  return { name, nodes, connections: chain(nodes), settings: { executionOrder: 'v1' }, active: false };
}

/**
 * Returns the Lead → Deal workflow on webhook path `path`, creating deals in `status` of `funnel`
 * (sandbox seed records) with the weeekApi credential `credential` (`{ id, name }`).
 */
export function leadToDealWorkflow({ name, path, credential, funnel, status }) {
  const normalize = {
    parameters: { resource: 'lead', operation: 'normalize', source: 'tilda' },
    id: randomUUID(),
    name: 'Normalize Tilda Lead',
    type: 'n8n-nodes-weeek.weeek',
    typeVersion: 1,
    position: [440, 0],
  };
  const createDeal = {
    parameters: {
      resource: 'lead',
      operation: 'createDeal',
      funnel: { __rl: true, mode: 'list', value: funnel.id, cachedResultName: funnel.name },
      status: status.id,
      contactMode: 'create',
      titleTemplate: '{source}: {name}',
      amount: '',
      additionalFields: {},
    },
    id: randomUUID(),
    name: 'Create Deal From Lead',
    type: 'n8n-nodes-weeek.weeek',
    typeVersion: 1,
    position: [660, 0],
    credentials: { weeekApi: { id: credential.id, name: credential.name } },
  };
  return workflow(name, [webhookNode(path), splitOutNode(), normalize, createDeal]);
}

function setNode(name, parameters, x) {
  return { parameters: { ...parameters, options: {} }, id: randomUUID(), name, type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [x, 0] };
}

function assignments(values) {
  return {
    mode: 'manual',
    assignments: { assignments: Object.entries(values).map(([name, value]) => ({ id: randomUUID(), name, value, type: 'string' })) },
  };
}

function httpPostNode({ name, url, jsonBody, bearerCredential, retryOnFail, x }) {
  const node = {
    parameters: {
      method: 'POST',
      url,
      authentication: 'genericCredentialType',
      genericAuthType: 'httpBearerAuth',
      sendBody: true,
      specifyBody: 'json',
      jsonBody,
      options: {},
    },
    id: randomUUID(),
    name,
    type: 'n8n-nodes-base.httpRequest',
    typeVersion: 4.2,
    position: [x, 0],
    credentials: { httpBearerAuth: { id: bearerCredential.id, name: bearerCredential.name } },
  };
  // n8n's node setting "Retry On Fail" with its defaults, as the editor stores them once switched on.
  if (retryOnFail) Object.assign(node, { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 });
  return node;
}

/**
 * Returns the stock recipe on webhook path `path`: contact, deal and link created with HTTP Request
 * nodes against `baseUrl` (WEEEK's `/public/v1` URL), authenticated with the httpBearerAuth credential
 * `bearerCredential`. `retryOnFail` switches on n8n's Retry On Fail (3 tries, 1 s apart) on the
 * three HTTP Request nodes.
 */
export function stockRecipeWorkflow({ name, path, baseUrl, bearerCredential, status, retryOnFail = false }) {
  const http = (options) => httpPostNode({ ...options, bearerCredential, retryOnFail });
  const lead = `$('${SPLIT_OUT}').item.json`;
  const nodes = [
    webhookNode(path),
    splitOutNode(),
    setNode(
      'Build Contact JSON',
      {
        mode: 'raw',
        jsonOutput: '={\n  "firstName": "{{ $json.Name }}",\n  "phones": ["{{ $json.Phone }}"],\n  "emails": ["{{ $json.Email }}"]\n}',
      },
      440,
    ),
    http({ name: 'Create Contact', url: `${baseUrl}/crm/contacts`, jsonBody: '={{ $json }}', x: 660 }),
    setNode('Contact ID', assignments({ contactId: '={{ $json.contact.id }}' }), 880),
    http({
      name: 'Create Deal',
      url: `${baseUrl}/crm/statuses/${status.id}/deals`,
      jsonBody: `={\n  "title": "Tilda: {{ ${lead}.Name }}",\n  "description": "Form: {{ ${lead}.formname }}\\nPhone: {{ ${lead}.Phone }}\\nE-mail: {{ ${lead}.Email }}\\nTilda tranid: {{ ${lead}.tranid }}"\n}`,
      x: 1100,
    }),
    setNode('Deal ID', assignments({ dealId: '={{ $json.deal.id }}', contactId: "={{ $('Contact ID').item.json.contactId }}" }), 1320),
    http({
      name: 'Link Contact to Deal',
      url: `=${baseUrl}/crm/deals/{{ $json.dealId }}/contacts`,
      jsonBody: '={\n  "contactId": "{{ $json.contactId }}"\n}',
      x: 1540,
    }),
  ];
  return workflow(name, nodes);
}
