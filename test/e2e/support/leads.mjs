// Tilda deliveries for the end-to-end suites, direct calls to the sandbox's WEEEK API, and checks of
// what they left in the WEEEK sandbox.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { waitFor } from '../../hosts/process.mjs';
import { REPO_ROOT } from './packages.mjs';

const SAMPLES_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'samples');

/**
 * Reads a sample as `{ body, contentType }`. A `.txt` sample starts with one `#` line that names the
 * content type, which is not part of the body (the same rule as test/fixtures/samples.ts).
 */
export function loadSample(name) {
  const text = readFileSync(path.join(SAMPLES_DIR, name), 'utf8');
  if (name.endsWith('.json')) return { body: text.trim(), contentType: 'application/json' };
  const newline = text.indexOf('\n');
  const declared = /Content-Type:\s*([^\s(;]+)/i.exec(text.slice(0, newline));
  return { body: text.slice(newline + 1).trim(), contentType: declared ? declared[1] : 'text/plain' };
}

/** Tilda's connection ping, sent when the webhook URL is saved. */
export const TILDA_PING = loadSample('tilda-2.txt');
/** A standard Tilda submission. */
export const TILDA_LEAD = loadSample('tilda-1.txt');
/** Tilda's redelivery of tilda-1 (same `tranid`) after a slow response. */
export const TILDA_REDELIVERY = loadSample('tilda-6.txt');

/**
 * Second submission of the same form by another person: tilda-1 with a new `tranid`, name, phone and
 * e-mail. Posted last, its records show that the host has handled the deliveries before it.
 */
export const TILDA_SECOND_LEAD = (() => {
  const form = new URLSearchParams(TILDA_LEAD.body);
  form.set('Name', 'Мария Пробная');
  form.set('Phone', '+7 (999) 000-56-78');
  form.set('Email', 'maria.probnaya@example.ru');
  form.set('tranid', '1234567:8901239999');
  return { body: form.toString(), contentType: TILDA_LEAD.contentType };
})();

/** Expected records for the two distinct leads. */
export const LEADS = {
  first: { name: 'Иван Тестов', firstName: 'Иван', lastName: 'Тестов', phone: '+79990001234', email: 'ivan.testov@example.ru', dedupKey: 'tilda:1234567:8901234567' },
  second: { name: 'Мария Пробная', firstName: 'Мария', lastName: 'Пробная', phone: '+79990005678', email: 'maria.probnaya@example.ru', dedupKey: 'tilda:1234567:8901239999' },
};

/** Posts a sample the way Tilda does (one urlencoded POST) and returns `{ status, text, contentType }`. */
export async function postSample(url, sample) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': sample.contentType },
    body: sample.body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') ?? '' };
}

/** Returns the sandbox's contacts whose first name is `firstName`. */
export function contactsNamed(sandbox, firstName) {
  return sandbox.state.contacts.filter((contact) => contact.firstName === firstName);
}

/** Returns the sandbox's deals whose title contains `text`. */
export function dealsMentioning(sandbox, text) {
  return sandbox.state.deals.filter((deal) => (deal.title ?? '').includes(text));
}

/** Counts of contacts and deals, and the deals that are linked to at least one contact. */
export function counts(sandbox) {
  const { contacts, deals } = sandbox.state;
  return { contacts: contacts.length, deals: deals.length, linkedDeals: deals.filter((deal) => deal.contacts.length > 0).length };
}

/** Waits (bounded) until `predicate(sandbox)` holds, and returns its value. */
export function waitForSandbox(sandbox, predicate, description, timeoutMs = 60_000) {
  return waitFor(() => predicate(sandbox), {
    timeoutMs,
    intervalMs: 100,
    description: `${description} (sandbox now: ${JSON.stringify(counts(sandbox))})`,
  });
}

/**
 * Waits until the sandbox received no API request for `quietMs`, so work that a delivery started
 * has reached WEEEK or stopped. Bounded by `timeoutMs`.
 */
export async function waitForQuietSandbox(sandbox, { quietMs = 1500, timeoutMs = 60_000 } = {}) {
  const last = () => sandbox.requests.at(-1)?.at ?? 0;
  const pending = () => sandbox.requests.some((request) => request.status === 0);
  await waitFor(() => !pending() && Date.now() - last() >= quietMs, {
    timeoutMs,
    intervalMs: 100,
    description: `the WEEEK sandbox to get no request for ${quietMs} ms`,
  });
}

/** Returns the contacts a deal is linked to, as records. */
export function linkedContacts(sandbox, deal) {
  return deal.contacts.map((id) => sandbox.state.contacts.find((contact) => contact.id === id)).filter(Boolean);
}

/**
 * Tells whether a recorded sandbox request carries data of `lead` (its name, phone digits or e-mail)
 * in its query or body: a contact search, a contact or a deal made for that lead.
 */
export function mentionsLead(request, lead) {
  const text = JSON.stringify({ query: request.query, body: request.body });
  const phoneTail = lead.phone.slice(-7);
  return text.includes(lead.firstName) || text.includes(phoneTail) || text.includes(lead.email);
}

/** Returns a function that sends one request to the sandbox's WEEEK API, as another WEEEK user would. */
export function sandboxApi(sandbox) {
  return async (method, path, body) => {
    const response = await fetch(`${sandbox.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${sandbox.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = await response.json();
    assert.equal(response.status, 200, `${method} ${path}: ${JSON.stringify(parsed)}`);
    return parsed;
  };
}

/** Returns the organizations linked to a deal, as records. */
export function organizationsOfDeal(sandbox, dealId) {
  const linked = sandbox.state.deals.find((deal) => deal.id === dealId)?.organizations ?? [];
  return sandbox.state.organizations.filter((organization) => linked.includes(organization.id));
}
