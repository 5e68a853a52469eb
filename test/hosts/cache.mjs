// Install cache for the test hosts, kept outside the repository so that every
// working tree and test run reuses the same multi-minute installs.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Name of the file written into a host folder only after its install finished. */
export const MARKER_FILE = '.weeek-host-installed.json';

const LOCK_POLL_MS = 1000;
const LOCK_TIMEOUT_MS = 60 * 60 * 1000;

/** Returns the cache root: `$WEEEK_HOSTS_CACHE`, else `~/.cache/weeek-hosts`. */
export function cacheRoot() {
  return path.resolve(process.env.WEEEK_HOSTS_CACHE || path.join(homedir(), '.cache', 'weeek-hosts'));
}

/** Returns the folder that contains one installed host, e.g. `<cache>/n8n-2.40.7`. */
export function hostDir(name, version) {
  return path.join(cacheRoot(), `${name}-${version}`);
}

/** Reads the completion marker of a host folder, or returns null when the install is missing or incomplete. */
export async function readMarker(dir) {
  try {
    return JSON.parse(await readFile(path.join(dir, MARKER_FILE), 'utf8'));
  } catch {
    return null;
  }
}

function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes an exclusive lock on `<dir>.lock` so that two test processes never install into one folder.
 * A lock left by a process that no longer runs is removed. Returns a function that releases the lock.
 */
async function acquireLock(dir) {
  const lockDir = `${dir}.lock`;
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  await mkdir(path.dirname(dir), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, 'pid'), String(process.pid));
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && !isProcessAlive(owner)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${LOCK_TIMEOUT_MS / 60000} min waiting for the install lock ${lockDir} (held by pid ${owner}).`);
    }
    await sleep(LOCK_POLL_MS);
  }
}

/**
 * Installs a host once into `<cache>/<name>-<version>/` and returns that folder.
 *
 * `install(dir, logPath)` fills the empty folder and may append command output to `logPath`
 * (`<dir>/install.log`).
 * The marker file is written only after `install` resolves, so a folder without it
 * (an interrupted or failed install) is deleted and installed again on the next call.
 */
export async function ensureInstalled({ name, version, install, onProgress = () => {} }) {
  const dir = hostDir(name, version);
  if (await readMarker(dir)) return dir;

  const release = await acquireLock(dir);
  try {
    // Another process may have finished the install while this one waited for the lock.
    if (await readMarker(dir)) return dir;

    onProgress(`installing ${name} ${version} into ${dir}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const logPath = path.join(dir, 'install.log');
    const started = Date.now();
    await install(dir, logPath);
    const seconds = Math.round((Date.now() - started) / 1000);
    await writeFile(
      path.join(dir, MARKER_FILE),
      `${JSON.stringify({ name, version, seconds, installedAt: new Date().toISOString() }, null, 2)}\n`,
    );
    onProgress(`installed ${name} ${version} in ${seconds} s`);
    return dir;
  } finally {
    await release();
  }
}

/**
 * Runs a command to completion, appending its output to `logPath` when given.
 * Resolves with `{ code, output }` and rejects when the exit code is not 0,
 * with the last lines of the output in the error message.
 */
export function runCommand(command, args, { cwd, env = process.env, logPath, timeoutMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const log = logPath ? createWriteStream(logPath, { flags: 'a' }) : null;
    log?.write(`\n$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => {
      output += chunk;
      if (output.length > 1_000_000) output = output.slice(-500_000);
      log?.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = timeoutMs > 0 ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      log?.end();
      reject(new Error(`Failed to start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      log?.end();
      if (code === 0) {
        resolve({ code, output });
        return;
      }
      const tail = output.split('\n').slice(-40).join('\n');
      const where = logPath ? ` (full output in ${logPath})` : '';
      reject(new Error(`${command} ${args.join(' ')} failed with ${signal ?? `exit code ${code}`}${where}:\n${tail}`));
    });
  });
}

/** Returns the npm executable that belongs to the system Node.js. */
export function npmCommand() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}
