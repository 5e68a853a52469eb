// End-to-end test of n8n-nodes-weeek on real n8n 1.123 and 2.40. The packed package is installed as a
// community package. The tests cover the credential test and the funnel and status lists through n8n's
// REST API, then activate the example Tilda workflows and post real Tilda deliveries to their
// production URLs. The WEEEK sandbox runs in this process on 127.0.0.1.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { startN8n } from '../hosts/n8n.mjs';
import { waitFor } from '../hosts/process.mjs';
import { selectedHosts } from './support/hosts.mjs';
import {
  LEADS,
  TILDA_LEAD,
  TILDA_PING,
  TILDA_REDELIVERY,
  TILDA_SECOND_LEAD,
  contactsNamed,
  counts,
  dealsMentioning,
  linkedContacts,
  mentionsLead,
  organizationsOfDeal,
  postSample,
  sandboxApi,
  waitForSandbox,
} from './support/leads.mjs';
import { exampleWorkflow, listExecutions, triggerWebhookPath } from './support/n8n-workflows.mjs';
import { packages, sandboxModule } from './support/packages.mjs';

const { startSandbox, SEED } = sandboxModule();
const { n8nTarball } = packages();

const NODE_TYPE = 'n8n-nodes-weeek.weeek';
const CREDENTIAL_NAME = 'WEEEK sandbox';
const SUITE_TIMEOUT_MS = 25 * 60_000;
const START_TIMEOUT_MS = 10 * 60_000;
const FINISHED_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

const FUNNELS = Object.values(SEED.funnels);
const statusesOf = (funnelId) => Object.values(SEED.statuses).filter((status) => status.funnelId === funnelId);
const byName = (a, b) => a.name.localeCompare(b.name);

const CHAIN = { file: 'tilda-contact-deal-link.json', id: 'weeekTildaChain1' };
const LEAD_TO_DEAL = { file: 'tilda-lead-to-deal.json', id: 'weeekTildaDeal01' };

for (const host of selectedHosts('n8n')) {
  describe(`n8n ${host.version}`, { timeout: SUITE_TIMEOUT_MS }, () => {
    let sandbox;
    let n8n;
    let rest;
    let credential;
    const webhookUrls = {};

    before(
      async () => {
        sandbox = await startSandbox();
        n8n = await startN8n({ version: host.version, communityTarball: n8nTarball, onProgress: (line) => console.log(line) });
        rest = n8n.rest();
        await rest.signIn();
        credential = await rest.createCredential({
          name: CREDENTIAL_NAME,
          type: 'weeekApi',
          data: { apiToken: sandbox.token, baseUrl: sandbox.baseUrl, requestsPerSecond: 4 },
        });
      },
      { timeout: START_TIMEOUT_MS },
    );

    after(async () => {
      await n8n?.stop();
      await sandbox?.close();
    });

    /** Waits until every execution of the workflow has finished and returns them. */
    const settledExecutions = (workflowId) =>
      waitFor(
        async () => {
          const executions = await listExecutions(rest, workflowId);
          return executions.every((execution) => FINISHED_STATUSES.has(execution.status)) ? executions : null;
        },
        { timeoutMs: 60_000, intervalMs: 250, description: `the executions of workflow ${workflowId} to finish` },
      );

    const post = async (workflow, sample) => {
      const response = await postSample(webhookUrls[workflow.id], sample);
      assert.equal(response.status, 200, `POST ${webhookUrls[workflow.id]} returned ${response.status}: ${response.text}`);
      assert.equal(response.text, 'ok', 'the trigger answers Tilda with the body "ok"');
      assert.match(response.contentType, /^text\/plain/);
    };

    it('loads the WEEEK node and credential types', async () => {
      const nodes = await (await fetch(`${n8n.baseUrl}/types/nodes.json`, { headers: { Cookie: rest.cookie } })).json();
      const names = new Set(nodes.map((type) => type.name));
      for (const name of [NODE_TYPE, 'n8n-nodes-weeek.weeekLeadTrigger', 'n8n-nodes-weeek.weeekLeadPollTrigger', 'n8n-nodes-weeek.weeekTrigger']) {
        assert.ok(names.has(name), `node type ${name} is not loaded`);
      }
      const credentials = await (await fetch(`${n8n.baseUrl}/types/credentials.json`, { headers: { Cookie: rest.cookie } })).json();
      assert.ok(credentials.some((type) => type.name === 'weeekApi'), 'credential type weeekApi is not loaded');
    });

    it('credential test accepts the sandbox token', async () => {
      const result = await rest.testCredential({ id: credential.id, type: 'weeekApi' });
      assert.deepEqual(result, { status: 'OK', message: 'Connection successful!' });
    });

    it('credential test rejects a wrong token clearly', async () => {
      const result = await rest.testCredential({
        id: credential.id,
        name: CREDENTIAL_NAME,
        type: 'weeekApi',
        data: { apiToken: 'not-the-sandbox-token', baseUrl: sandbox.baseUrl, requestsPerSecond: 4 },
      });
      assert.equal(result.status, 'Error');
      // The message has to tell the user that the token (the credential) is what WEEEK rejected.
      assert.match(result.message, /token|credential/i, `credential test message for a rejected token: "${result.message}"`);
    });

    it('searchFunnels lists the sandbox funnels', async () => {
      const page = await rest.searchResourceLocator({
        nodeType: NODE_TYPE,
        methodName: 'searchFunnels',
        path: 'parameters.funnel',
        currentNodeParameters: { resource: 'deal', operation: 'create' },
        credentials: { weeekApi: { id: credential.id, name: CREDENTIAL_NAME } },
      });
      const expected = FUNNELS.map((funnel) => ({ name: funnel.name, value: funnel.id })).sort(byName);
      assert.deepEqual(page.results, expected);

      const filtered = await rest.searchResourceLocator({
        nodeType: NODE_TYPE,
        methodName: 'searchFunnels',
        path: 'parameters.funnel',
        filter: 'part',
        currentNodeParameters: { resource: 'deal', operation: 'create' },
        credentials: { weeekApi: { id: credential.id, name: CREDENTIAL_NAME } },
      });
      assert.deepEqual(filtered.results, [{ name: SEED.funnels.partners.name, value: SEED.funnels.partners.id }]);
    });

    it("getStatuses lists each funnel's statuses", async () => {
      for (const funnel of FUNNELS) {
        const options = await rest.loadOptions({
          nodeType: NODE_TYPE,
          methodName: 'getStatuses',
          path: 'parameters.status',
          currentNodeParameters: {
            resource: 'deal',
            operation: 'create',
            funnel: { __rl: true, mode: 'list', value: funnel.id, cachedResultName: funnel.name },
          },
          credentials: { weeekApi: { id: credential.id, name: CREDENTIAL_NAME } },
        });
        const expected = statusesOf(funnel.id).map((status) => ({ name: status.name, value: status.id }));
        assert.deepEqual(options, expected, `statuses of funnel ${funnel.name}`);
      }
    });

    it('imports and activates both Tilda example workflows', async () => {
      const workflows = [CHAIN, LEAD_TO_DEAL].map(({ file, id }) => exampleWorkflow(file, { id, credential }));
      // One `n8n import:workflow` call takes both, as a file with an array.
      const file = `${n8n.userFolder}/tilda-examples.json`;
      await writeFile(file, JSON.stringify(workflows, null, 2));
      await n8n.cli(['import:workflow', `--input=${file}`]);

      for (const workflow of workflows) {
        const activated = await rest.activateWorkflow(workflow.id);
        assert.equal(activated.active, true, `workflow ${workflow.id} is active after the activate call`);
        webhookUrls[workflow.id] = await n8n.waitForWebhook(triggerWebhookPath(workflow));
      }
    });

    it('chain workflow: ping, lead, redelivery, second lead', async () => {
      assert.ok(webhookUrls[CHAIN.id], 'the chain workflow was not activated');
      sandbox.reset();

      await post(CHAIN, TILDA_PING);
      await post(CHAIN, TILDA_LEAD);
      const [firstDeal] = await waitForSandbox(
        sandbox,
        (box) => {
          const deals = dealsMentioning(box, LEADS.first.name).filter((deal) => deal.contacts.length > 0);
          return deals.length > 0 ? deals : null;
        },
        'the chain workflow to create and link the deal of tilda-1',
      );
      const afterFirst = await settledExecutions(CHAIN.id);
      assert.equal(afterFirst.length, 1, 'the ping started no execution, the lead started one');
      assert.deepEqual(counts(sandbox), { contacts: 1, deals: 1, linkedDeals: 1 }, 'the ping created nothing; tilda-1 one contact, deal and link');

      const [contact] = linkedContacts(sandbox, firstDeal);
      assert.equal(contact.firstName, LEADS.first.firstName);
      assert.equal(contact.lastName, LEADS.first.lastName);
      assert.deepEqual(contact.phones.map((phone) => phone.phone), [LEADS.first.phone]);
      assert.deepEqual(contact.emails.map((email) => email.email), [LEADS.first.email]);
      assert.equal(firstDeal.funnelId, SEED.funnels.sales.id);
      assert.equal(firstDeal.statusId, SEED.statuses.newLead.id);
      assert.match(firstDeal.description ?? '', new RegExp(LEADS.first.dedupKey));

      await post(CHAIN, TILDA_REDELIVERY);
      await post(CHAIN, TILDA_SECOND_LEAD);
      await waitForSandbox(
        sandbox,
        (box) => dealsMentioning(box, LEADS.second.name).some((deal) => deal.contacts.length > 0),
        'the chain workflow to create and link the deal of the second lead',
      );
      const executions = await settledExecutions(CHAIN.id);
      assert.deepEqual(
        executions.map((execution) => execution.status),
        ['success', 'success'],
        'the redelivered tilda-6 started no execution; tilda-1 and the second lead succeeded',
      );
      assert.deepEqual(counts(sandbox), { contacts: 2, deals: 2, linkedDeals: 2 });
      assert.equal(contactsNamed(sandbox, LEADS.first.firstName).length, 1, 'tilda-6 made no second contact');
      assert.equal(dealsMentioning(sandbox, LEADS.first.name).length, 1, 'tilda-6 made no second deal');
    });

    it('Lead → Deal workflow: ping, lead, redelivery, second lead', async () => {
      assert.ok(webhookUrls[LEAD_TO_DEAL.id], 'the Lead → Deal workflow was not activated');
      sandbox.reset();

      await post(LEAD_TO_DEAL, TILDA_PING);
      await post(LEAD_TO_DEAL, TILDA_LEAD);
      const [firstDeal] = await waitForSandbox(
        sandbox,
        (box) => {
          const deals = dealsMentioning(box, LEADS.first.name);
          return deals.length > 0 ? deals : null;
        },
        'the Lead → Deal workflow to create the deal of tilda-1',
      );
      const afterFirst = await settledExecutions(LEAD_TO_DEAL.id);
      assert.equal(afterFirst.length, 1, 'the ping started no execution, the lead started one');
      assert.equal(afterFirst[0].status, 'success');
      assert.deepEqual(counts(sandbox), { contacts: 1, deals: 1, linkedDeals: 1 }, 'the ping created nothing; tilda-1 one contact and one linked deal');

      const [contact] = linkedContacts(sandbox, firstDeal);
      assert.ok(contact, 'the deal is linked to the contact');
      assert.equal(contact.firstName, LEADS.first.firstName);
      assert.deepEqual(contact.phones.map((phone) => phone.phone), [LEADS.first.phone]);
      assert.equal(firstDeal.funnelId, SEED.funnels.sales.id);
      assert.equal(firstDeal.statusId, SEED.statuses.newLead.id);

      const beforeRedelivery = sandbox.requests.length;
      assert.ok(
        sandbox.requests.some((request) => mentionsLead(request, LEADS.first)),
        'the requests made for tilda-1 carry its data, so the check after tilda-6 can see a repeat',
      );
      await post(LEAD_TO_DEAL, TILDA_REDELIVERY);
      await post(LEAD_TO_DEAL, TILDA_SECOND_LEAD);
      await waitForSandbox(
        sandbox,
        (box) => dealsMentioning(box, LEADS.second.name).some((deal) => deal.contacts.length > 0),
        'the Lead → Deal workflow to create the deal of the second lead',
      );
      const executions = await settledExecutions(LEAD_TO_DEAL.id);
      assert.ok(executions.every((execution) => execution.status === 'success'), `executions: ${JSON.stringify(executions)}`);
      assert.deepEqual(counts(sandbox), { contacts: 2, deals: 2, linkedDeals: 2 });
      assert.equal(contactsNamed(sandbox, LEADS.first.firstName).length, 1, 'tilda-6 made no second contact');
      assert.equal(dealsMentioning(sandbox, LEADS.first.name).length, 1, 'tilda-6 made no second deal');
      const aboutFirstLead = sandbox.requests.slice(beforeRedelivery).filter((request) => mentionsLead(request, LEADS.first));
      assert.deepEqual(aboutFirstLead.map((request) => `${request.method} ${request.path}`), [], 'tilda-6 sent no request to WEEEK');
    });

    it('failed Lead → Create Deal keeps the lead on both continue outputs', async () => {
      sandbox.reset();
      const workflow = failedLeadWorkflow(credential);
      const file = `${n8n.userFolder}/failed-lead-workflow.json`;
      await writeFile(file, JSON.stringify([workflow], null, 2));
      await n8n.cli(['import:workflow', `--input=${file}`]);
      const activated = await rest.activateWorkflow(workflow.id);
      assert.equal(activated.active, true, 'the failed-lead workflow is active after the activate call');
      const url = await n8n.waitForWebhook(triggerWebhookPath(workflow));

      const response = await postSample(url, TILDA_LEAD);
      assert.equal(response.status, 200, `POST ${url} returned ${response.status}: ${response.text}`);

      // Each branch files the failed lead as a contact whose last name carries the reason.
      const kept = await waitForSandbox(
        sandbox,
        (box) => {
          const contacts = box.state.contacts.filter((contact) => /^(error output|regular output): /.test(contact.lastName ?? ''));
          return contacts.length === 2 ? contacts : null;
        },
        'both continue branches to file the failed lead',
      );
      for (const branch of ['error output', 'regular output']) {
        const contact = kept.find((candidate) => candidate.lastName.startsWith(`${branch}: `));
        assert.ok(contact, `the ${branch} branch filed the lead`);
        assert.equal(contact.firstName, LEADS.first.firstName, `the ${branch} item still has the lead's first name`);
        assert.deepEqual(contact.phones.map((phone) => phone.phone), [LEADS.first.phone], `the ${branch} item still has the lead's phone`);
        assert.match(contact.lastName, /WEEEK has no status 'NoSuchStatus00000'/, `the ${branch} item has the reason`);
      }
      await rest.deactivateWorkflow(workflow.id);
    });

    it('CRM workflow: WEEEK Trigger sees a moved deal; Organization, Deal and Contact operations act on it', async () => {
      sandbox.reset();
      const weeek = sandboxApi(sandbox);
      const contact = (await weeek('POST', '/crm/contacts', { firstName: 'Olga', lastName: 'Watch' })).contact;
      const deal = (await weeek('POST', `/crm/statuses/${SEED.statuses.newLead.id}/deals`, { title: 'Office chairs', contacts: [contact.id] })).deal;

      const workflow = crmWorkflow(credential);
      const file = `${n8n.userFolder}/crm-workflow.json`;
      await writeFile(file, JSON.stringify([workflow], null, 2));
      await n8n.cli(['import:workflow', `--input=${file}`]);
      const activated = await rest.activateWorkflow(workflow.id);
      assert.equal(activated.active, true, 'the CRM workflow is active after the activate call');

      // The first poll only records where the deals are; the move must come after it.
      const statusIds = statusesOf(SEED.funnels.sales.id).map((status) => status.id);
      await waitForSandbox(
        sandbox,
        (box) => statusIds.every((id) => box.requests.some((request) => request.method === 'GET' && request.path === `/crm/statuses/${id}/deals`)),
        'the WEEEK Trigger to take its first look at every status of the funnel',
        90_000,
      );
      await weeek('PUT', `/crm/deals/${deal.id}/status`, { statusId: SEED.statuses.qualified.id });

      // n8n polls once a minute at the shortest.
      const [organization] = await waitForSandbox(
        sandbox,
        (box) => {
          const linked = organizationsOfDeal(box, deal.id);
          return linked.length > 0 ? linked : null;
        },
        'the workflow to create an organization for the moved deal and link it',
        150_000,
      );
      assert.equal(organization.name, 'Client of Office chairs');
      await waitForSandbox(sandbox, (box) => box.state.contacts.find((candidate) => candidate.id === contact.id)?.tags.includes(SEED.tags.hot.id), 'the workflow to tag the contact');
      const executions = await settledExecutions(workflow.id);
      assert.deepEqual(executions.map((execution) => execution.status), ['success'], 'one move started one execution');
      const storedContact = sandbox.state.contacts.find((candidate) => candidate.id === contact.id);
      assert.deepEqual(storedContact.organizations, [organization.id], 'the contact belongs to the new organization');
      assert.equal(sandbox.state.organizations.length, 1, 'one move made one organization');
      await rest.deactivateWorkflow(workflow.id);
    });
  });
}


/**
 * A Tilda lead goes to two Lead → Create Deal nodes whose status does not exist: one set to
 * "Continue (using error output)", one to "Continue". Each branch then files the failed item as a
 * contact, so the sandbox shows which lead fields reached it.
 */
function failedLeadWorkflow(credential) {
  const weeekApi = { id: credential.id, name: CREDENTIAL_NAME };
  const createDeal = (name, y, onError) => ({
    id: `failed-${y}`,
    name,
    type: NODE_TYPE,
    typeVersion: 1,
    position: [260, y],
    onError,
    parameters: {
      resource: 'lead',
      operation: 'createDeal',
      funnel: { __rl: true, mode: 'list', value: SEED.funnels.sales.id, cachedResultName: SEED.funnels.sales.name },
      status: 'NoSuchStatus00000',
      contactMode: 'reuse',
      titleTemplate: '{source}: {name}',
      amount: '',
      additionalFields: {},
    },
    credentials: { weeekApi },
  });
  const fileLead = (name, y, branch) => ({
    id: `file-${y}`,
    name,
    type: NODE_TYPE,
    typeVersion: 1,
    position: [520, y],
    parameters: {
      resource: 'contact',
      operation: 'create',
      firstName: '={{ $json.firstName }}',
      additionalFields: { lastName: `={{ '${branch}: ' + $json.error }}`, phones: "={{ $json.phones.join(',') }}" },
    },
    credentials: { weeekApi },
  });
  return {
    id: 'weeekFailedLead01',
    name: 'WEEEK failed lead',
    active: false,
    nodes: [
      { id: 'failed-trigger', name: 'WEEEK Lead Trigger', type: 'n8n-nodes-weeek.weeekLeadTrigger', typeVersion: 1, position: [0, 0], parameters: { source: 'tilda' }, webhookId: 'weeek-failed-lead' },
      createDeal('Deal With Error Output', 0, 'continueErrorOutput'),
      createDeal('Deal Continuing', 200, 'continueRegularOutput'),
      fileLead('File From Error Output', 0, 'error output'),
      fileLead('File From Regular Output', 200, 'regular output'),
    ],
    connections: {
      'WEEEK Lead Trigger': { main: [[{ node: 'Deal With Error Output', type: 'main', index: 0 }, { node: 'Deal Continuing', type: 'main', index: 0 }]] },
      'Deal With Error Output': { main: [[], [{ node: 'File From Error Output', type: 'main', index: 0 }]] },
      'Deal Continuing': { main: [[{ node: 'File From Regular Output', type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1' },
  };
}

/** A workflow as a user builds it: WEEEK Trigger on deals moved to Qualified, then four WEEEK operations. */
function crmWorkflow(credential) {
  const weeekApi = { id: credential.id, name: CREDENTIAL_NAME };
  const byId = (value) => ({ __rl: true, mode: 'id', value });
  const step = (name, x, parameters) => ({ id: `crm-${x}`, name, type: NODE_TYPE, typeVersion: 1, position: [x, 0], parameters, credentials: { weeekApi } });
  const trigger = "$('WEEEK Trigger').item.json";
  const nodes = [
    {
      id: 'crm-0',
      name: 'WEEEK Trigger',
      type: 'n8n-nodes-weeek.weeekTrigger',
      typeVersion: 1,
      position: [0, 0],
      parameters: {
        pollTimes: { item: [{ mode: 'everyMinute' }] },
        event: 'dealMoved',
        funnel: { __rl: true, mode: 'list', value: SEED.funnels.sales.id, cachedResultName: SEED.funnels.sales.name },
        statuses: [SEED.statuses.qualified.id],
      },
      credentials: { weeekApi },
    },
    step('Create Organization', 200, { resource: 'organization', operation: 'create', name: "={{ 'Client of ' + $json.title }}" }),
    step('Link Contact', 400, { resource: 'organization', operation: 'addContact', organization: byId("={{ $('Create Organization').item.json.id }}"), contact: byId(`={{ ${trigger}.contacts[0] }}`) }),
    step('Link Organization', 600, { resource: 'deal', operation: 'addOrganization', deal: byId(`={{ ${trigger}.id }}`), organization: byId("={{ $('Create Organization').item.json.id }}") }),
    step('Tag Contact', 800, { resource: 'contact', operation: 'addTag', contact: byId(`={{ ${trigger}.contacts[0] }}`), tag: SEED.tags.hot.id }),
  ];
  const names = nodes.map((node) => node.name);
  const connections = Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));
  return { id: 'weeekCrmWatch001', name: 'WEEEK CRM watch', active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}
