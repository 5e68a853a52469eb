// Browser tests of both editors against real hosts and the WEEEK sandbox, in headless Chromium:
// - Node-RED 4.1: a WEEEK Deal node dropped from the palette gets a new WEEEK account that is not
//   deployed yet. Its funnel and status lists fill from the sandbox, and the deployed flow keeps the choice.
// - n8n 2.40 (and 1.123): the WEEEK node on Deal → Create lists the funnels in its resource locator,
//   the status list follows the chosen funnel, and the saved workflow keeps the choice.
// Screenshots go to test-artifacts/; WEEEK_E2E_UPDATE_DOCS=1 also copies one per editor to docs/images/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startN8n } from '../hosts/n8n.mjs';
import { DEFAULT_OWNER } from '../hosts/n8n-rest.mjs';
import { startNodeRed } from '../hosts/node-red.mjs';
import { waitFor } from '../hosts/process.mjs';
import { HOSTS } from '../hosts/versions.mjs';
import { launchChromium, publishScreenshot, screenshot, waitForValue, withFailureScreenshot } from './support/browser.mjs';
import { isSelected } from './support/hosts.mjs';
import { postAdmin } from './support/node-red-flows.mjs';
import { packages, sandboxModule } from './support/packages.mjs';

const { startSandbox, SEED } = sandboxModule();
const { n8nTarball, nodeRedTarball } = packages();

const SUITE_TIMEOUT_MS = 15 * 60_000;
const START_TIMEOUT_MS = 10 * 60_000;
const VIEWPORT = { width: 1400, height: 900 };

const { sales, partners } = SEED.funnels;
const statusNames = (funnelId) => Object.values(SEED.statuses).filter((status) => status.funnelId === funnelId).map((status) => status.name);
const funnelNamesSorted = Object.values(SEED.funnels).map((funnel) => funnel.name).sort((a, b) => a.localeCompare(b));

/** Editor tests run on these hosts; WEEEK_E2E_HOSTS narrows them. */
const NODE_RED_HOSTS = ['node-red-4'].filter(isSelected);
const N8N_HOSTS = ['n8n-2', 'n8n-1'].filter(isSelected);

for (const hostName of NODE_RED_HOSTS) {
  const { version } = HOSTS[hostName];

  describe(`Node-RED ${version} editor`, { timeout: SUITE_TIMEOUT_MS }, () => {
    let sandbox;
    let red;
    let browser;
    let page;

    before(
      async () => {
        sandbox = await startSandbox();
        red = await startNodeRed({ version, tarball: nodeRedTarball, flows: [{ id: 'e2e-tab', type: 'tab', label: 'Flow 1' }] });
        browser = await launchChromium();
        page = await browser.newPage({ viewport: VIEWPORT });
      },
      { timeout: START_TIMEOUT_MS },
    );

    after(async () => {
      await browser?.close();
      await red?.stop();
      await sandbox?.close();
    });

    /** Returns the option texts of a select in the open dialog, without the "choose" placeholder (value ''). */
    const optionTexts = (selector) => page.$$eval(`${selector} option`, (options) => options.filter((option) => option.value !== '').map((option) => option.textContent));
    /** Waits until a list select is ready and shows exactly `expected`. */
    const waitForList = (selector, expected, description) =>
      waitForValue(
        async () => ((await page.getAttribute(selector, 'data-state')) === 'ready' ? optionTexts(selector) : null),
        expected,
        description,
      );

    it('WEEEK Deal: new account, funnel and status lists, deploy', async () => {
      await withFailureScreenshot(page, `node-red-${version}-deal-dialog`, async () => {
        await page.goto(`${red.baseUrl}/`);
        const paletteEntry = page.locator('.red-ui-palette-node[data-palette-type="weeek-deal"]');
        await paletteEntry.waitFor({ state: 'visible', timeout: 60_000 });
        await page.locator('#red-ui-loading-progress').waitFor({ state: 'hidden', timeout: 60_000 });

        // Drag WEEEK Deal from the palette onto the workspace and open its dialog.
        await paletteEntry.dragTo(page.locator('#red-ui-workspace-chart'), { targetPosition: { x: 300, y: 200 } });
        const dealId = await waitFor(() => page.evaluate(() => window.RED.nodes.filterNodes({ type: 'weeek-deal' })[0]?.id), {
          timeoutMs: 10_000,
          description: 'the dropped WEEEK Deal node to appear in the editor',
        });
        await page.locator(`g.red-ui-flow-node-group[id="${dealId}"]`).dblclick();
        await page.locator('#node-input-config').waitFor({ state: 'visible' });

        // Add a new WEEEK account from the dialog: token and base URL typed in, checked, not deployed.
        await page.click('#node-input-btn-config-add');
        await page.locator('#node-config-input-token').waitFor({ state: 'visible' });
        await page.fill('#node-config-input-name', 'WEEEK sandbox');
        await page.fill('#node-config-input-token', sandbox.token);
        await page.click('#node-config-weeek-advanced-toggle');
        await page.fill('#node-config-input-baseUrl', sandbox.baseUrl);
        await page.click('#node-config-weeek-check');
        await page.locator('#node-config-weeek-check-result[data-state="ready"], #node-config-weeek-check-result[data-state="error"]').waitFor();
        assert.equal(await page.getAttribute('#node-config-weeek-check-result', 'data-state'), 'ready', await page.textContent('#node-config-weeek-check-result'));
        await page.click('#node-config-dialog-ok');

        const beforeDeploy = await red.getFlows();
        assert.ok(!beforeDeploy.flows.some((node) => node.type === 'weeek-config'), 'the new account is not deployed yet');

        // The lists fill from the sandbox through the typed token.
        // The funnel route keeps WEEEK's order, so the names are compared sorted.
        await waitForValue(
          async () => ((await page.getAttribute('#node-input-funnelId', 'data-state')) === 'ready' ? (await optionTexts('#node-input-funnelId')).sort() : null),
          funnelNamesSorted,
          'the funnel list',
        );
        await page.selectOption('#node-input-funnelId', partners.id);
        await waitForList('#node-input-statusId', statusNames(partners.id), 'the status list of Partners');
        await page.selectOption('#node-input-funnelId', sales.id);
        await waitForList('#node-input-statusId', statusNames(sales.id), 'the status list of Sales after changing the funnel');
        await page.selectOption('#node-input-statusId', SEED.statuses.qualified.id);
        const dialogShot = await screenshot(page, `node-red-${version}-deal-dialog`);
        await publishScreenshot(dialogShot, 'node-red-deal-dialog.png');

        await page.click('#node-dialog-ok');
        await page.click('#red-ui-header-button-deploy');

        // GET /flows returns the deployed flow once the deploy finished.
        const deployed = await waitFor(
          async () => {
            const { flows } = await red.getFlows();
            return flows.some((node) => node.type === 'weeek-deal') ? flows : null;
          },
          { timeoutMs: 30_000, description: 'the deploy to reach GET /flows' },
        );
        const deal = deployed.find((node) => node.type === 'weeek-deal');
        const config = deployed.find((node) => node.type === 'weeek-config');
        assert.ok(config, 'the new account was deployed with the flow');
        assert.equal(deal.config, config.id);
        assert.equal(deal.funnelId, sales.id);
        assert.equal(deal.funnelName, sales.name);
        assert.equal(deal.statusId, SEED.statuses.qualified.id);
        assert.equal(deal.statusName, SEED.statuses.qualified.name);
        assert.equal(config.baseUrl, sandbox.baseUrl);
        assert.ok(!JSON.stringify(deployed).includes(sandbox.token), 'GET /flows must not contain the API token');

        // The deployed account works on its own, without the token from the dialog.
        const funnels = await postAdmin(red.adminUrl, 'weeek/funnels', { configId: config.id });
        assert.equal(funnels.status, 200, JSON.stringify(funnels.body));
        await screenshot(page, `node-red-${version}-deployed`);
      });
    });
  });
}

for (const hostName of N8N_HOSTS) {
  const { version } = HOSTS[hostName];

  describe(`n8n ${version} editor`, { timeout: SUITE_TIMEOUT_MS }, () => {
    let sandbox;
    let n8n;
    let rest;
    let workflow;
    let browser;
    let page;

    before(
      async () => {
        sandbox = await startSandbox();
        n8n = await startN8n({ version, communityTarball: n8nTarball, onProgress: (line) => console.log(line) });
        rest = n8n.rest();
        await rest.signIn();
        const credential = await rest.createCredential({
          name: 'WEEEK sandbox',
          type: 'weeekApi',
          data: { apiToken: sandbox.token, baseUrl: sandbox.baseUrl, requestsPerSecond: 4 },
        });
        // A workflow with the WEEEK node on Deal → Create and no funnel yet, saved as the editor saves an import.
        workflow = await rest.request('POST', '/workflows', {
          name: 'WEEEK deal from the editor test',
          active: false,
          settings: { executionOrder: 'v1' },
          connections: { 'When clicking': { main: [[{ node: 'Create Deal', type: 'main', index: 0 }]] } },
          nodes: [
            { id: 'b7e0c1d2-0000-4000-8000-000000000001', name: 'When clicking', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
            {
              id: 'b7e0c1d2-0000-4000-8000-000000000002',
              name: 'Create Deal',
              type: 'n8n-nodes-weeek.weeek',
              typeVersion: 1,
              position: [260, 0],
              parameters: { resource: 'deal', operation: 'create' },
              credentials: { weeekApi: { id: credential.id, name: credential.name } },
            },
          ],
        });
        browser = await launchChromium();
        page = await browser.newPage({ viewport: VIEWPORT });
      },
      { timeout: START_TIMEOUT_MS },
    );

    after(async () => {
      await browser?.close();
      await n8n?.stop();
      await sandbox?.close();
    });

    /** Texts of the options in the open dropdown (n8n keeps closed dropdowns in the page, hidden). */
    const openDropdownTexts = () => page.locator('.el-select-dropdown__item:visible').allTextContents().then((texts) => texts.map((text) => text.trim()));
    const funnelItems = () => page.locator('[data-test-id="rlc-item"]:visible');
    const statusCombobox = () => page.locator('[data-test-id="parameter-input-status"] input[role="combobox"]');

    /** Opens the status dropdown (again while it is closed, as the list reloads) until it shows `expected`. */
    const waitForStatusList = (expected, description) =>
      waitForValue(
        async () => {
          if ((await statusCombobox().getAttribute('aria-expanded')) !== 'true') await statusCombobox().click();
          return openDropdownTexts();
        },
        expected,
        description,
      );

    it('WEEEK node: funnel list, status list follows the funnel', async () => {
      await withFailureScreenshot(page, `n8n-${version}-deal-create`, async () => {
        await page.goto(`${n8n.baseUrl}/signin`);
        await page.fill('[data-test-id="emailOrLdapLoginId"] input', DEFAULT_OWNER.email);
        await page.fill('[data-test-id="password"] input', DEFAULT_OWNER.password);
        await page.click('[data-test-id="form-submit-button"]');
        await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60_000 });

        await page.goto(`${n8n.baseUrl}/workflow/${workflow.id}`);
        const node = page.locator('[data-test-id="canvas-node"][data-node-name="Create Deal"]');
        await node.waitFor({ state: 'visible', timeout: 120_000 });
        await node.dblclick();
        const funnelInput = page.locator('[data-test-id="resource-locator-funnel"] [data-test-id="rlc-input"]');
        await funnelInput.waitFor({ state: 'visible', timeout: 30_000 });

        // The resource locator lists the sandbox funnels (sorted by name by searchFunnels).
        await funnelInput.click();
        await waitForValue(() => funnelItems().allTextContents().then((texts) => texts.map((text) => text.trim())), funnelNamesSorted, 'the funnel list');
        await funnelItems().filter({ hasText: sales.name }).click();

        await funnelItems().first().waitFor({ state: 'hidden' });
        await waitForStatusList(statusNames(sales.id), 'the status list of Sales');
        const listShot = await screenshot(page, `n8n-${version}-deal-create`);
        await publishScreenshot(listShot, 'n8n-deal-create.png');
        await page.locator('.el-select-dropdown__item:visible', { hasText: SEED.statuses.qualified.name }).click();

        // Another funnel: the status list follows it.
        await funnelInput.click();
        await funnelItems().first().waitFor({ state: 'visible' });
        await funnelItems().filter({ hasText: partners.name }).click();
        await funnelItems().first().waitFor({ state: 'hidden' });
        await waitForStatusList(statusNames(partners.id), 'the status list of Partners after changing the funnel');
        await screenshot(page, `n8n-${version}-deal-create-funnel-changed`);
        await page.locator('.el-select-dropdown__item:visible', { hasText: SEED.statuses.inbox.name }).click();

        // Close the node, save the workflow and read back what n8n stored.
        // 2.40 closes the node with an X button, 1.123 with "Back to canvas".
        await page.locator('[data-test-id="ndv-close-button"]:visible, [data-test-id="back-to-canvas"]:visible').first().click();
        await page.keyboard.press('Control+s');
        // 2.x also saves on its own while the node is edited, so wait for the final choice to arrive.
        await waitForValue(
          async () => {
            const stored = await rest.getWorkflow(workflow.id);
            const { funnel, status } = stored.nodes.find((candidate) => candidate.name === 'Create Deal').parameters;
            return { funnel: funnel?.value, mode: funnel?.mode, status };
          },
          { funnel: partners.id, mode: 'list', status: SEED.statuses.inbox.id },
          'the saved workflow to contain the chosen funnel and status',
        );
      });
    });
  });
}
