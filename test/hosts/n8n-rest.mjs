// Client for n8n's internal REST API (`/rest/...`), the API that the editor uses.
// Tests use it for what the CLI cannot do: credential tests, load-options and
// resource-locator searches, and activating a workflow in a running instance.
import { randomUUID } from 'node:crypto';

/** Owner account created on a fresh instance. The password meets n8n's rule (8+ chars, a digit, an uppercase letter). */
export const DEFAULT_OWNER = Object.freeze({
  email: 'owner@example.com',
  firstName: 'Test',
  lastName: 'Owner',
  password: 'Weeek-e2e-Passw0rd',
});

/** Error for a REST call that returned a non-2xx status. `status` and `body` contain the response. */
export class N8nRestError extends Error {
  constructor(method, urlPath, status, body) {
    super(`n8n ${method} ${urlPath} returned ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

export class N8nRestClient {
  constructor(baseUrl, version) {
    this.baseUrl = baseUrl;
    this.version = version;
    this.cookie = null;
    // The editor sends a browser-id header; n8n ties the auth cookie to it when present at login.
    this.browserId = randomUUID();
  }

  /**
   * Sends a request to `/rest<urlPath>` with the session cookie and returns the response's
   * `data` member (n8n wraps most responses as `{ data }`), or the whole body when it has none.
   */
  async request(method, urlPath, body) {
    const headers = { Accept: 'application/json', 'browser-id': this.browserId };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    const response = await fetch(`${this.baseUrl}/rest${urlPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const authCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
    if (authCookie) this.cookie = authCookie.split(';')[0];
    const text = await response.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text for the error message.
    }
    if (!response.ok) throw new N8nRestError(method, urlPath, response.status, parsed);
    return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
  }

  /** Creates the instance owner with `POST /rest/owner/setup`; the response sets the session cookie. */
  async setupOwner(owner = DEFAULT_OWNER) {
    return this.request('POST', '/owner/setup', {
      email: owner.email,
      firstName: owner.firstName,
      lastName: owner.lastName,
      password: owner.password,
    });
  }

  /** Logs in with `POST /rest/login` (field `emailOrLdapLoginId` in 1.123 and 2.40). */
  async login(owner = DEFAULT_OWNER) {
    return this.request('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
  }

  /**
   * Creates the owner on a fresh instance, or logs in when an owner exists.
   * `GET /rest/settings` returns `userManagement.showSetupOnFirstLoad: true` until the owner is set up.
   */
  async signIn(owner = DEFAULT_OWNER) {
    const settings = await this.request('GET', '/settings');
    if (settings?.userManagement?.showSetupOnFirstLoad) return this.setupOwner(owner);
    return this.login(owner);
  }

  /** Stores a credential with `POST /rest/credentials` and returns it (with `id`). */
  async createCredential({ name, type, data }) {
    return this.request('POST', '/credentials', { name, type, data });
  }

  /**
   * Runs a stored credential's test with `POST /rest/credentials/test` and returns
   * `{ status: 'OK' | 'Error', message }`.
   * n8n tests only the `data` sent in the request (without it the test fails with "Node "Temp-Node" does not
   * have any credentials of type ... set"), so when `data` is omitted this sends what the editor sends: the
   * stored data from `GET /rest/credentials/:id?includeData=true`, whose redacted secrets n8n restores.
   * Pass `data` to test unsaved values, as the editor's Retry button does after an edit.
   */
  async testCredential({ id, name, type, data }) {
    let testData = data;
    let testName = name;
    if (testData === undefined || testName === undefined) {
      const stored = await this.request('GET', `/credentials/${encodeURIComponent(id)}?includeData=true`);
      testData ??= stored.data;
      testName ??= stored.name;
    }
    return this.request('POST', '/credentials/test', { credentials: { id, name: testName, type, data: testData } });
  }

  /**
   * Calls a node's `methods.loadOptions[methodName]` with `POST /rest/dynamic-node-parameters/options`
   * and returns the `{ name, value }` options. `credentials` maps a credential type to `{ id, name }`.
   */
  async loadOptions({ nodeType, nodeVersion = 1, methodName, path = 'parameters', currentNodeParameters = {}, credentials }) {
    return this.request('POST', '/dynamic-node-parameters/options', {
      nodeTypeAndVersion: { name: nodeType, version: nodeVersion },
      methodName,
      path,
      currentNodeParameters,
      ...(credentials ? { credentials } : {}),
    });
  }

  /**
   * Calls a node's `methods.listSearch[methodName]` with
   * `POST /rest/dynamic-node-parameters/resource-locator-results` and returns `{ results, paginationToken }`.
   */
  async searchResourceLocator({ nodeType, nodeVersion = 1, methodName, path, filter, paginationToken, currentNodeParameters = {}, credentials }) {
    return this.request('POST', '/dynamic-node-parameters/resource-locator-results', {
      nodeTypeAndVersion: { name: nodeType, version: nodeVersion },
      methodName,
      path,
      currentNodeParameters,
      ...(filter !== undefined ? { filter } : {}),
      ...(paginationToken !== undefined ? { paginationToken } : {}),
      ...(credentials ? { credentials } : {}),
    });
  }

  /** Returns a stored workflow with `GET /rest/workflows/:id`. */
  async getWorkflow(id) {
    return this.request('GET', `/workflows/${encodeURIComponent(id)}`);
  }

  /**
   * Activates (2.x: publishes) a workflow in the running instance with
   * `POST /rest/workflows/:id/activate` and body `{ versionId }`. 1.123 registers the production webhooks
   * before it returns. 2.40 registers them afterwards, so call `waitForWebhook()` of the n8n instance next.
   */
  async activateWorkflow(id) {
    const workflow = await this.getWorkflow(id);
    return this.request('POST', `/workflows/${encodeURIComponent(id)}/activate`, { versionId: workflow.versionId });
  }

  /** Deactivates (2.x: unpublishes) a workflow with `POST /rest/workflows/:id/deactivate`. */
  async deactivateWorkflow(id) {
    return this.request('POST', `/workflows/${encodeURIComponent(id)}/deactivate`, {});
  }
}
