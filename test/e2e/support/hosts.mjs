// Which hosts a run covers. WEEEK_E2E_HOSTS (comma-separated host names from test/hosts/versions.mjs)
// narrows a run, for example WEEEK_E2E_HOSTS=n8n-2,node-red-4.
import { HOSTS } from '../../hosts/versions.mjs';

/** Returns the host names of `kind` ('n8n' or 'node-red') selected for this run, each with its version. */
export function selectedHosts(kind) {
  const wanted = (process.env.WEEEK_E2E_HOSTS ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of wanted) {
    if (!HOSTS[name]) throw new Error(`Unknown host "${name}" in WEEEK_E2E_HOSTS: use ${Object.keys(HOSTS).join(', ')}.`);
  }
  return Object.entries(HOSTS)
    .filter(([name, host]) => host.kind === kind && (wanted.length === 0 || wanted.includes(name)))
    .map(([name, host]) => ({ name, version: host.version }));
}

/** Tells whether a host is selected; with no WEEEK_E2E_HOSTS every host is. */
export function isSelected(name) {
  const wanted = (process.env.WEEEK_E2E_HOSTS ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  return wanted.length === 0 || wanted.includes(name);
}
