// End-to-end test of @weeek-leads/node-red-weeek on real Node-RED 4.1 (Node.js 20) and 5.0 (Node.js 24).
// The packed package is installed with npm into the user dir, and the example Tilda flows are deployed
// through the admin API. Real Tilda deliveries go to their http in URLs, and the editor's admin routes
// are called. The WEEEK sandbox runs in this process on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startNodeRed } from '../hosts/node-red.mjs';
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
  waitForQuietSandbox,
  waitForSandbox,
} from './support/leads.mjs';
import { configNodeId, exampleFlow, hasExample, httpInPath, postAdmin } from './support/node-red-flows.mjs';
import { packages, sandboxModule } from './support/packages.mjs';

const { startSandbox, SEED } = sandboxModule();
const { nodeRedTarball } = packages();

const SUITE_TIMEOUT_MS = 10 * 60_000;
const START_TIMEOUT_MS = 5 * 60_000;
const CHAIN_EXAMPLE = 'Tilda lead to contact and deal';
const LEAD_TO_DEAL_EXAMPLE = 'Tilda to WEEEK in one node';

const FUNNELS = Object.values(SEED.funnels);
const statusesOf = (funnelId) => Object.values(SEED.statuses).filter((status) => status.funnelId === funnelId);
const byName = (a, b) => a.name.localeCompare(b.name);

for (const host of selectedHosts('node-red')) {
  describe(`Node-RED ${host.version}`, { timeout: SUITE_TIMEOUT_MS }, () => {
    let sandbox;
    let red;
    let chain;
    let leadToDeal;

    before(
      async () => {
        sandbox = await startSandbox();
        red = await startNodeRed({ version: host.version, tarball: nodeRedTarball, onProgress: (line) => console.log(line) });
      },
      { timeout: START_TIMEOUT_MS },
    );

    after(async () => {
      await red?.stop();
      await sandbox?.close();
    });

    const example = (name, tabId) =>
      exampleFlow(name, { tabId, baseUrl: sandbox.baseUrl, token: sandbox.token, funnel: SEED.funnels.sales, status: SEED.statuses.newLead });

    /** Posts a sample to the flow's http in URL; retries a 404 for a few seconds after a deploy. */
    const post = async (flow, sample) => {
      const url = `${red.httpNodeUrl}${httpInPath(flow)}`;
      const response = await waitFor(
        async () => {
          const result = await postSample(url, sample);
          return result.status === 404 ? null : result;
        },
        { timeoutMs: 15_000, description: `POST ${url} to stop returning 404 after the deploy` },
      );
      assert.equal(response.status, 200, `POST ${url} returned ${response.status}: ${response.text}`);
      assert.equal(response.text, 'ok', 'WEEEK Lead answers Tilda with the body "ok"');
      assert.match(response.contentType, /^text\/plain/);
    };

    it('runs on the expected Node.js', () => {
      const nodeVersion = red.logs().match(/Node\.js {2}version: (v\S+)/)?.[1];
      const expectedMajor = host.version.startsWith('4.') ? 20 : 24;
      assert.ok(nodeVersion?.startsWith(`v${expectedMajor}.`), `Node-RED ${host.version} runs on Node.js ${nodeVersion}, expected ${expectedMajor}.x`);
    });

    it('deploys the Tilda example flows', async () => {
      chain = example(CHAIN_EXAMPLE, 'e2e-tab-chain');
      const flows = [...chain];
      if (hasExample(LEAD_TO_DEAL_EXAMPLE)) {
        leadToDeal = example(LEAD_TO_DEAL_EXAMPLE, 'e2e-tab-lead-to-deal');
        flows.push(...leadToDeal);
      }
      await red.deployFlows(flows);

      const deployed = await red.getFlows();
      const ids = new Set(deployed.flows.map((node) => node.id));
      for (const node of flows) assert.ok(ids.has(node.id), `deployed flows lack ${node.type} ${node.id}`);
      assert.ok(!JSON.stringify(deployed).includes(sandbox.token), 'GET /flows must not contain the API token');
    });

    it('admin route /weeek/funnels lists the sandbox funnels', async () => {
      const response = await postAdmin(red.adminUrl, 'weeek/funnels', { configId: configNodeId(chain) });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const expected = FUNNELS.map((funnel) => ({ id: funnel.id, name: funnel.name })).sort(byName);
      assert.deepEqual([...response.body.items].sort(byName), expected);
    });

    it("admin route /weeek/statuses lists each funnel's statuses", async () => {
      for (const funnel of FUNNELS) {
        const response = await postAdmin(red.adminUrl, 'weeek/statuses', { configId: configNodeId(chain), funnelId: funnel.id });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        const expected = statusesOf(funnel.id).map((status) => ({ id: status.id, name: status.name }));
        assert.deepEqual(response.body.items, expected, `statuses of funnel ${funnel.name}`);
      }
    });

    it('chain flow: ping, lead, redelivery, second lead', async () => {
      assert.ok(chain, 'the chain flow was not deployed');
      sandbox.reset();

      await post(chain, TILDA_PING);
      // WEEEK Lead replies to the ping only after it has classified it as a ping, so no WEEEK call can follow.
      assert.equal(sandbox.requests.length, 0, 'the ping sent no request to WEEEK');

      await post(chain, TILDA_LEAD);
      const [firstDeal] = await waitForSandbox(
        sandbox,
        (box) => {
          const deals = dealsMentioning(box, LEADS.first.name).filter((deal) => deal.contacts.length > 0);
          return deals.length > 0 ? deals : null;
        },
        'the chain flow to create and link the deal of tilda-1',
      );
      await waitForQuietSandbox(sandbox);
      assert.deepEqual(counts(sandbox), { contacts: 1, deals: 1, linkedDeals: 1 }, 'tilda-1 made one contact, one deal and one link');

      const [contact] = linkedContacts(sandbox, firstDeal);
      assert.equal(contact.firstName, LEADS.first.firstName);
      assert.equal(contact.lastName, LEADS.first.lastName);
      assert.deepEqual(contact.phones.map((phone) => phone.phone), [LEADS.first.phone]);
      assert.deepEqual(contact.emails.map((email) => email.email), [LEADS.first.email]);
      assert.equal(firstDeal.funnelId, SEED.funnels.sales.id);
      assert.equal(firstDeal.statusId, SEED.statuses.newLead.id);

      // The chain keeps no memory of leads (node-red/README.md, Limitations), so a redelivery is a new
      // contact, deal and link; WEEEK Lead In or WEEEK Lead → Deal in front of WEEEK prevent that.
      await post(chain, TILDA_REDELIVERY);
      await post(chain, TILDA_SECOND_LEAD);
      await waitForSandbox(
        sandbox,
        (box) => dealsMentioning(box, LEADS.second.name).some((deal) => deal.contacts.length > 0) && box.state.deals.every((deal) => deal.contacts.length > 0) && box.state.deals.length === 3,
        'the chain flow to create and link the deals of tilda-6 and the second lead',
      );
      await waitForQuietSandbox(sandbox);
      assert.deepEqual(counts(sandbox), { contacts: 3, deals: 3, linkedDeals: 3 }, 'one contact, deal and link per posted lead');
      for (const deal of sandbox.state.deals) {
        assert.equal(deal.contacts.length, 1, `deal "${deal.title}" is linked to exactly one contact`);
      }
      assert.equal(contactsNamed(sandbox, LEADS.second.firstName).length, 1);
    });

    it('Lead → Deal flow: ping, lead, redelivery, second lead', async (t) => {
      if (!leadToDeal) {
        t.skip(`node-red/examples/${LEAD_TO_DEAL_EXAMPLE}.json does not exist`);
        return;
      }
      sandbox.reset();

      await post(leadToDeal, TILDA_PING);
      assert.equal(sandbox.requests.length, 0, 'the ping sent no request to WEEEK');

      await post(leadToDeal, TILDA_LEAD);
      const [firstDeal] = await waitForSandbox(
        sandbox,
        (box) => {
          const deals = dealsMentioning(box, LEADS.first.name);
          return deals.length > 0 ? deals : null;
        },
        'the Lead → Deal flow to create the deal of tilda-1',
      );
      await waitForQuietSandbox(sandbox);
      assert.deepEqual(counts(sandbox), { contacts: 1, deals: 1, linkedDeals: 1 }, 'tilda-1 made one contact and one linked deal');
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
      await post(leadToDeal, TILDA_REDELIVERY);
      await post(leadToDeal, TILDA_SECOND_LEAD);
      // The node handles leads one at a time in arrival order, so the second lead's deal comes after tilda-6 was handled.
      await waitForSandbox(
        sandbox,
        (box) => dealsMentioning(box, LEADS.second.name).some((deal) => deal.contacts.length > 0),
        'the Lead → Deal flow to create the deal of the second lead',
      );
      await waitForQuietSandbox(sandbox);
      assert.deepEqual(counts(sandbox), { contacts: 2, deals: 2, linkedDeals: 2 });
      assert.equal(contactsNamed(sandbox, LEADS.first.firstName).length, 1, 'tilda-6 made no second contact');
      assert.equal(dealsMentioning(sandbox, LEADS.first.name).length, 1, 'tilda-6 made no second deal');
      const aboutFirstLead = sandbox.requests.slice(beforeRedelivery).filter((request) => mentionsLead(request, LEADS.first));
      assert.deepEqual(aboutFirstLead.map((request) => `${request.method} ${request.path}`), [], 'tilda-6 sent no request to WEEEK');
    });

    it('CRM flow: WEEEK Watch sees a moved deal; Organization, Contact and Deal nodes act on it', async () => {
      sandbox.reset();
      const weeek = sandboxApi(sandbox);
      const contact = (await weeek('POST', '/crm/contacts', { firstName: 'Olga', lastName: 'Watch' })).contact;
      const deal = (await weeek('POST', `/crm/statuses/${SEED.statuses.newLead.id}/deals`, { title: 'Office chairs', contacts: [contact.id] })).deal;

      const tab = 'e2ecrm0000000001';
      const config = 'e2ecrm00000000cf';
      const node = (id, type, properties, wires = []) => ({ id, type, z: tab, x: 100, y: 100, name: '', config, dryRun: false, wires: [wires], ...properties });
      await red.deployFlows([
        { id: tab, type: 'tab', label: 'CRM', disabled: false, info: '' },
        { id: config, type: 'weeek-config', name: 'sandbox', baseUrl: sandbox.baseUrl, requestsPerSecond: 20, credentials: { token: sandbox.token } },
        node('e2ecrm0000000010', 'weeek-watch', { event: 'dealMoved', funnelId: SEED.funnels.sales.id, statusId: SEED.statuses.qualified.id, outcome: 'won', interval: 10 }, ['e2ecrm0000000011']),
        node('e2ecrm0000000011', 'weeek-organization', { operation: 'create', organizationName: '"Client of " & payload.title', organizationNameType: 'jsonata', fields: [] }, ['e2ecrm0000000012']),
        node('e2ecrm0000000012', 'weeek-organization', { operation: 'addContact', organizationId: 'weeek.organization.id', organizationIdType: 'msg', contactId: 'payload.contacts[0]', contactIdType: 'jsonata', fields: [] }, ['e2ecrm0000000013']),
        node('e2ecrm0000000013', 'weeek-deal', { operation: 'addOrganization', dealId: 'payload.id', dealIdType: 'msg', organizationId: 'weeek.organization.id', organizationIdType: 'msg', fields: [] }, ['e2ecrm0000000014']),
        node('e2ecrm0000000014', 'weeek-contact', { operation: 'addTag', contactId: 'payload.contacts[0]', contactIdType: 'jsonata', tagSource: '', tagSourceType: 'list', tagId: String(SEED.tags.hot.id), tagName: SEED.tags.hot.title, fields: [] }),
      ]);

      // The first poll only records where the deals are; the move must come after it.
      const statusIds = statusesOf(SEED.funnels.sales.id).map((status) => status.id);
      await waitForSandbox(
        sandbox,
        (box) => statusIds.every((id) => box.requests.some((request) => request.method === 'GET' && request.path === `/crm/statuses/${id}/deals`)),
        'WEEEK Watch to take its first look at every status of the funnel',
      );
      await weeek('PUT', `/crm/deals/${deal.id}/status`, { statusId: SEED.statuses.qualified.id });

      const [organization] = await waitForSandbox(
        sandbox,
        (box) => {
          const linked = organizationsOfDeal(box, deal.id);
          return linked.length > 0 ? linked : null;
        },
        'the flow to create an organization for the moved deal and link it',
        30_000,
      );
      assert.equal(organization.name, 'Client of Office chairs');
      await waitForSandbox(sandbox, (box) => box.state.contacts.find((candidate) => candidate.id === contact.id)?.tags.includes(SEED.tags.hot.id), 'the flow to tag the contact');
      const storedContact = sandbox.state.contacts.find((candidate) => candidate.id === contact.id);
      assert.deepEqual(storedContact.organizations, [organization.id], 'the contact belongs to the new organization');
      assert.deepEqual(storedContact.tags, [SEED.tags.hot.id]);
      assert.equal(sandbox.state.organizations.length, 1, 'one move made one organization');
    });
  });
}
