// Process helpers shared by the host launchers: free loopback ports, polling
// until a server responds, and child processes that are stopped with their children.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const LOG_LIMIT_CHARS = 2_000_000;
const running = new Set();

// Kills hosts still running when the test process exits, so a failed test leaves no server behind.
// Hosts run in their own process group, so a signal to the test process alone would not reach them.
// NOTE: a test process killed with SIGKILL cannot do this; its hosts keep running.
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // Another listener (such as `cli.mjs start`) stops the hosts itself.
    if (process.listenerCount(signal) > 1) return;
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The process group is already gone.
  }
}

/** Returns a TCP port that is free on 127.0.0.1 at the time of the call. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Calls `check()` every `intervalMs` until it returns a truthy value, and returns that value.
 * Throws after `timeoutMs`, with `description` and the last error thrown by `check`.
 * `abort()` may return an error message that ends the wait at once (for example, the process exited).
 */
export async function waitFor(check, { timeoutMs = 120_000, intervalMs = 250, description = 'condition', abort } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    const reason = abort?.();
    if (reason) throw new Error(`Stopped waiting for ${description}: ${reason}`);
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError ? ` Last error: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Sends a GET and returns the status code, or 0 when the request fails or times out. */
export async function httpStatus(url, timeoutMs = 2000) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * Starts a long-running server process in its own process group and collects its output.
 * Returns `{ child, pid, logs(), exitReason(), stop() }`. `stop()` sends SIGTERM (or `stopSignal`)
 * to the whole group, waits up to `stopTimeoutMs`, then sends SIGKILL; it resolves once the process exited.
 */
export function startProcess({ command, args, cwd, env, name, stopSignal = 'SIGTERM', stopTimeoutMs = 20_000 }) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  let exit = null;
  const append = (chunk) => {
    output += chunk;
    if (output.length > LOG_LIMIT_CHARS) output = output.slice(-LOG_LIMIT_CHARS / 2);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      resolve(exit);
    });
    child.on('error', (error) => {
      exit = { code: null, signal: null, error };
      running.delete(child);
      resolve(exit);
    });
  });

  return {
    child,
    pid: child.pid,
    logs: () => output,
    exitReason: () => {
      if (!exit) return null;
      if (exit.error) return `${name} failed to start: ${exit.error.message}`;
      return `${name} exited with ${exit.signal ?? `code ${exit.code}`}`;
    },
    async stop() {
      if (exit) return exit;
      killGroup(child, stopSignal);
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), stopTimeoutMs);
      const result = await exited;
      clearTimeout(timer);
      // Children that ignored the signal (for example a task runner) go with the group.
      killGroup(child, 'SIGKILL');
      return result;
    },
  };
}
