// Small HTTP client for the benchmark on node:http, because a batch POST may wait minutes for its
// response and fetch (undici) gives up on response headers after 300 s.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Sends one request and resolves with `{ status, text, startedAt, finishedAt }` (ms since the epoch)
 * once the whole response is read. Rejects on a network error or after `timeoutMs`.
 */
export function send(url, { method = 'POST', headers = {}, body, timeoutMs = 15 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8'), startedAt, finishedAt: Date.now() }),
      );
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** POSTs `value` as JSON. */
export function postJson(url, value, options = {}) {
  return send(url, { ...options, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) });
}

/** POSTs an urlencoded form body. */
export function postForm(url, body, options = {}) {
  return send(url, { ...options, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
}

/** Closes the kept-alive sockets, so the process can exit. */
export function closeConnections() {
  agent.destroy();
}
