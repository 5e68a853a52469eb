// Reads what one benchmark run left in the WEEEK sandbox: which requests belong to which lead, which
// leads ended with a contact linked to their deal, and how long each lead took.
import { tagIn } from './leads.mjs';

const LINK_PATH = /^\/crm\/deals\/([^/]+)\/contacts$/;

/** Returns the value at fraction `p` (0..1) of sorted numbers, by the nearest-rank method. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

/**
 * Attributes every logged request of the sandbox to a lead of `leads` (from `benchLeads`) and sums
 * up the run. A request belongs to a lead when it carries the lead's e-mail, tag or `tranid`, or
 * names a deal or contact created for it.
 *
 * Returns `{ leads, done, lost, duplicates, requests, status429, unattributed, perLead }`, where
 * `perLead[i]` is `{ done, firstAt, lastAt, requests }`: `firstAt` is when the lead's first request
 * arrived and `lastAt` when the sandbox responded to its last one (ms since the epoch).
 */
export function analyzeRun(sandbox, leads) {
  const byEmail = new Map(leads.map((lead, index) => [lead.email, index]));
  const byTag = new Map(leads.map((lead, index) => [lead.tag, index]));
  const { contacts, deals } = sandbox.state;

  const contactOwner = new Map();
  const contactsPerLead = new Map();
  for (const contact of contacts) {
    const owner = contact.emails.map((entry) => byEmail.get(entry.email.toLowerCase())).find((index) => index !== undefined);
    if (owner === undefined) continue;
    contactOwner.set(contact.id, owner);
    contactsPerLead.set(owner, [...(contactsPerLead.get(owner) ?? []), contact.id]);
  }

  const dealOwner = new Map();
  const dealsPerLead = new Map();
  for (const deal of deals) {
    const owner = byTag.get(tagIn(deal.title));
    if (owner === undefined) continue;
    dealOwner.set(deal.id, owner);
    dealsPerLead.set(owner, [...(dealsPerLead.get(owner) ?? []), deal]);
  }

  const perLead = leads.map((_lead, index) => {
    const ownContacts = new Set(contactsPerLead.get(index) ?? []);
    const done = (dealsPerLead.get(index) ?? []).some((deal) => deal.contacts.some((id) => ownContacts.has(id)));
    return { done, firstAt: Infinity, lastAt: -Infinity, requests: 0 };
  });

  let unattributed = 0;
  let status429 = 0;
  for (const request of sandbox.requests) {
    if (request.status === 429) status429 += 1;
    const owner = ownerOf(request, { byEmail, byTag, leads, contactOwner, dealOwner });
    if (owner === undefined) {
      unattributed += 1;
      continue;
    }
    const entry = perLead[owner];
    entry.requests += 1;
    entry.firstAt = Math.min(entry.firstAt, request.at);
    entry.lastAt = Math.max(entry.lastAt, request.respondedAt ?? request.at);
  }

  let duplicates = 0;
  for (const index of leads.keys()) {
    duplicates += Math.max(0, (contactsPerLead.get(index)?.length ?? 0) - 1);
    duplicates += Math.max(0, (dealsPerLead.get(index)?.length ?? 0) - 1);
  }

  const done = perLead.filter((entry) => entry.done).length;
  return {
    leads: leads.length,
    done,
    lost: leads.length - done,
    duplicates,
    requests: sandbox.requests.length,
    status429,
    unattributed,
    perLead,
  };
}

function ownerOf(request, { byEmail, byTag, leads, contactOwner, dealOwner }) {
  const body = request.body && typeof request.body === 'object' ? request.body : {};

  if (Array.isArray(body.emails)) {
    const owner = body.emails.map((email) => byEmail.get(String(email).toLowerCase())).find((index) => index !== undefined);
    if (owner !== undefined) return owner;
  }

  const titled = byTag.get(tagIn(body.title));
  if (titled !== undefined) return titled;

  const link = LINK_PATH.exec(request.path);
  if (link) return dealOwner.get(decodeURIComponent(link[1])) ?? contactOwner.get(body.contactId);

  // Lookups (a contact search, a deal search by lead key) carry the lead's data in the query.
  const search = typeof request.query?.search === 'string' ? request.query.search : '';
  if (search !== '') {
    const byQuery = byTag.get(tagIn(search)) ?? byEmail.get(search.toLowerCase());
    if (byQuery !== undefined) return byQuery;
    const tranidOwner = leads.findIndex((lead) => search.includes(lead.tranid));
    if (tranidOwner !== -1) return tranidOwner;
  }
  return undefined;
}

/**
 * Returns the median and 95th percentile of the time per lead, over the leads that were done, as
 * `{ p50Ms, p95Ms, count }`. A lead's time ends with its last response and starts with its first
 * request, or at `startOf(entry, index)` when given (such as the moment the lead was posted).
 */
export function leadTimes(perLead, startOf = (entry) => entry.firstAt) {
  const times = perLead
    .map((entry, index) => (entry.done && Number.isFinite(entry.lastAt) ? entry.lastAt - startOf(entry, index) : undefined))
    .filter((time) => time !== undefined)
    .sort((a, b) => a - b);
  return { p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95), count: times.length };
}
