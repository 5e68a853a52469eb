// Real n8n for end-to-end tests: install a pinned version into the cache, install a
// community package from its tarball the way n8n's own installer does, start n8n on
// loopback and stop it.
import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureInstalled, hostDir, npmCommand, runCommand } from './cache.mjs';
import { N8nRestClient } from './n8n-rest.mjs';
import { installNode24, node24Env } from './node24.mjs';
import { freePort, httpStatus, startProcess, waitFor } from './process.mjs';
import { N8N_2_VERSION, majorOf, n8nNpmOverrides } from './versions.mjs';

/** Native addons that `npm install --ignore-scripts` leaves unbuilt and n8n needs. */
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];

/** Returns the n8n install folder inside the cache. */
export function n8nDir(version) {
  return hostDir('n8n', version);
}

/** Returns the path of n8n's CLI entry script for an installed version. */
export function n8nBin(version) {
  return path.join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

async function exists(file) {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * Installs n8n `version` into the cache once (several minutes the first time) and returns
 * `{ dir, bin, node }`. Scripts are skipped during `npm install` because prebuilt-binary
 * downloads fail here, and the native addons are then rebuilt against the Node.js 24 headers.
 */
export async function installN8n(version = N8N_2_VERSION, { onProgress } = {}) {
  const node24 = await installNode24({ onProgress });
  const env = node24Env(node24);
  const dir = await ensureInstalled({
    name: 'n8n',
    version,
    onProgress,
    install: async (installDir, logPath) => {
      const manifest = {
        name: 'weeek-host-n8n',
        private: true,
        description: `n8n ${version} for end-to-end tests`,
        dependencies: { n8n: version },
        overrides: n8nNpmOverrides(version),
      };
      await writeFile(path.join(installDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await runCommand(npmCommand(), ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: installDir, env, logPath });

      const nativeModules = [];
      for (const name of NATIVE_MODULES) {
        if (await exists(path.join(installDir, 'node_modules', name, 'package.json'))) nativeModules.push(name);
      }
      await runCommand(npmCommand(), ['rebuild', ...nativeModules], { cwd: installDir, env, logPath });

      // Fails the install (and so leaves no marker) when an addon did not build for Node.js 24.
      for (const name of nativeModules) {
        await runCommand(node24.node, ['-e', `require(${JSON.stringify(name)})`], { cwd: installDir, env, logPath });
      }
      const { output } = await runCommand(node24.node, [path.join(installDir, 'node_modules', 'n8n', 'bin', 'n8n'), '--version'], {
        cwd: installDir,
        env,
        logPath,
      });
      if (output.trim() !== version) {
        throw new Error(`The installed n8n reports version "${output.trim()}", expected ${version}.`);
      }
    },
  });
  return { dir, bin: n8nBin(version), node: node24.node };
}

/** Default `N8N_ENCRYPTION_KEY`, fixed so that imported and exported credentials stay readable across runs. */
export const DEFAULT_ENCRYPTION_KEY = 'weeek-e2e-encryption-key-0123456789';

/**
 * Installs a packed community package into `<userFolder>/.n8n/nodes` the way n8n's
 * CommunityPackagesService does for a package chosen in Settings > Community nodes
 * (checked in n8n 1.123 and 2.40): unpack the tarball into `node_modules/<name>`,
 * drop devDependencies, peerDependencies and optionalDependencies from its package.json,
 * run `npm install` there without scripts, and record the version in `nodes/package.json`.
 * Returns `{ name, version, dir }`.
 */
export async function installCommunityPackage({ userFolder, tarball, env = process.env, logPath }) {
  const nodesDir = path.join(userFolder, '.n8n', 'nodes');
  const manifestPath = path.join(nodesDir, 'package.json');
  await mkdir(nodesDir, { recursive: true });
  if (!(await exists(manifestPath))) {
    await writeFile(manifestPath, `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}`);
  }

  // Read the name from the tarball first, because it decides the target folder.
  const staging = await mkdtemp(path.join(tmpdir(), 'weeek-n8n-package-'));
  try {
    await runCommand('tar', ['-xzf', path.resolve(tarball), '-C', staging, '--strip-components=1'], { logPath });
    const packageJson = JSON.parse(await readFile(path.join(staging, 'package.json'), 'utf8'));
    const { name, version } = packageJson;
    if (!/^(@[a-z0-9][a-z0-9._-]*\/)?n8n-nodes-[a-z0-9._-]+$/.test(name ?? '')) {
      throw new Error(`Invalid community package name "${name}" in ${tarball}: n8n only loads packages named n8n-nodes-* or @scope/n8n-nodes-*.`);
    }

    const packageDir = path.join(nodesDir, 'node_modules', name);
    await rm(packageDir, { recursive: true, force: true });
    await mkdir(packageDir, { recursive: true });
    await runCommand('tar', ['-xzf', path.resolve(tarball), '-C', packageDir, '--strip-components=1'], { logPath });

    const { devDependencies, peerDependencies, optionalDependencies, ...stripped } = packageJson;
    await writeFile(path.join(packageDir, 'package.json'), JSON.stringify(stripped, null, 2), 'utf8');
    await runCommand(
      npmCommand(),
      ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
      { cwd: packageDir, env, logPath },
    );

    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.dependencies = { ...manifest.dependencies, [name]: version };
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2), 'utf8');
    return { name, version, dir: packageDir };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Returns the environment for an n8n process: user folder, fixed encryption key, loopback
 * listener, webhook base URL, and diagnostics, version notifications, templates and
 * personalization switched off.
 * Task runners run in internal mode on both lines (1.123 needs N8N_RUNNERS_ENABLED for it,
 * 2.x always runs them), so the Code node behaves the same on both.
 */
export function n8nEnv({ version, userFolder, port, brokerPort, encryptionKey = DEFAULT_ENCRYPTION_KEY, node24, extra = {} }) {
  const webhookUrl = `http://127.0.0.1:${port}/`;
  const common = {
    ...node24Env(node24),
    N8N_USER_FOLDER: userFolder,
    N8N_ENCRYPTION_KEY: encryptionKey,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    N8N_EDITOR_BASE_URL: webhookUrl,
    N8N_SECURE_COOKIE: 'false',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
    N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
    N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
    N8N_RUNNERS_MODE: 'internal',
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
    // 1.123 warns that SQLite without a read pool is deprecated; 2.x uses the pool by default.
    DB_SQLITE_POOL_SIZE: '2',
    N8N_LOG_LEVEL: 'info',
    N8N_LOG_OUTPUT: 'console',
  };
  const byVersion =
    majorOf(version) >= 2
      ? {
          // 2.40 deprecates WEBHOOK_URL in favour of N8N_WEBHOOK_URL.
          N8N_WEBHOOK_URL: webhookUrl,
          // The MCP server registry refresh calls api.n8n.io on start; the module name is unknown to 1.123.
          N8N_DISABLED_MODULES: 'mcp-registry',
          // 2.40 registers the triggers of published workflows asynchronously, through an outbox polled
          // every 15 s and a reconciler run every 10 s by default; shorter intervals make tests wait less.
          N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '500',
          N8N_WORKFLOW_PUBLICATION_RECONCILE_INTERVAL_SECONDS: '1',
        }
      : {
          WEBHOOK_URL: webhookUrl,
          N8N_RUNNERS_ENABLED: 'true',
        };
  return { ...common, ...byVersion, ...extra };
}

/**
 * Returns the CLI arguments that mark a stored workflow active: `update:workflow --active=true` on 1.x,
 * `publish:workflow` on 2.x (where `update:workflow` is deprecated). A running n8n does not notice the
 * change, so restart it afterwards, or use `N8nRestClient.activateWorkflow` instead.
 */
export function activateWorkflowArgs(version, workflowId) {
  return majorOf(version) >= 2 ? ['publish:workflow', `--id=${workflowId}`] : ['update:workflow', `--id=${workflowId}`, '--active=true'];
}

/**
 * Extracts the run object that `n8n execute --rawOutput` prints as pretty JSON, skipping the log lines
 * that n8n writes to stdout before and after it.
 */
export function parseExecuteOutput(stdout) {
  const lines = stdout.split('\n');
  const start = lines.indexOf('{');
  const end = lines.indexOf('}', start);
  if (start === -1 || end === -1) {
    throw new Error(`No JSON run data found in the output of n8n execute:\n${stdout.slice(-4000)}`);
  }
  return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/** Returns the `json` of every item that node `nodeName` output on its first main output in an execute run. */
export function nodeOutput(run, nodeName) {
  const taskData = run?.data?.resultData?.runData?.[nodeName];
  if (!taskData) throw new Error(`Node "${nodeName}" did not run. Nodes that ran: ${Object.keys(run?.data?.resultData?.runData ?? {}).join(', ')}.`);
  return (taskData.at(-1).data?.main?.[0] ?? []).map((item) => item.json);
}

/**
 * Extra environment for CLI commands. `n8n execute` ends with process.exit() without disposing the
 * default 'vm' expression engine (isolated-vm). On Node.js 24.22.3 the process then crashed with
 * SIGSEGV after printing its result: 10 of 11 runs on 1.123.81, 2 of 3 on 2.40.7. With the 'legacy'
 * engine, 0 of 8 runs on 1.123.81 crashed. The server keeps n8n's default engine.
 */
const CLI_ENV = Object.freeze({ N8N_EXPRESSION_ENGINE: 'legacy' });

/**
 * Line that `n8n start` prints after the server listens and the start-up activation ran. 1.123 has
 * registered the active workflows' webhooks by then; 2.40 has only queued them (see `waitForWebhook`).
 */
const READY_LINE = 'Editor is now accessible via';

/**
 * Runs the n8n CLI once and resolves with `{ code, stdout, stderr }`.
 * Rejects on a non-zero exit code unless `allowFailure` is set.
 */
function runN8nCli({ node, bin, args, env, cwd, timeoutMs = 300_000, allowFailure = false }) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Failed to start n8n ${args.join(' ')}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr };
      if (code === 0 || allowFailure) {
        resolve(result);
        return;
      }
      const reason = signal ? `signal ${signal}` : `exit code ${code}`;
      reject(Object.assign(new Error(`n8n ${args.join(' ')} failed with ${reason}:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`), { result }));
    });
  });
}

/**
 * Starts n8n on 127.0.0.1 and resolves once `GET /healthz` returns 200 and n8n printed the line that
 * ends its start-up. On 2.x, webhooks of active workflows may register a moment later: use `waitForWebhook`.
 *
 * Options: `version` (default 2.x), `port` (default: a free port), `userFolder` (default: a new
 * temp folder; n8n keeps its data in `<userFolder>/.n8n`), `communityTarball` (a packed community
 * package installed before the start), `env` (extra or overriding variables), `encryptionKey`,
 * `keepUserFolder` (by default `stop()` deletes a user folder that startN8n created), `startTimeoutMs`, `onProgress`.
 *
 * Returns `{ baseUrl, port, userFolder, version, communityPackage, pid, stop(), restart(), cli(args, options),
 * importWorkflow(workflow), executeWorkflow(id), activateWorkflowCli(id), rest(), logs() }`.
 * `cli` runs the n8n CLI against the same user folder and environment, which works while the server runs;
 * `rest()` returns an `N8nRestClient` for the instance.
 */
export async function startN8n({
  version = N8N_2_VERSION,
  port,
  userFolder,
  communityTarball,
  env = {},
  encryptionKey = DEFAULT_ENCRYPTION_KEY,
  keepUserFolder = false,
  startTimeoutMs = 180_000,
  onProgress,
} = {}) {
  const install = await installN8n(version, { onProgress });
  const node24 = await installNode24({ onProgress });
  const listenPort = port ?? (await freePort());
  const folder = userFolder ?? (await mkdtemp(path.join(tmpdir(), `weeek-n8n-${version}-`)));
  const removeFolderOnStop = !userFolder && !keepUserFolder;
  await mkdir(folder, { recursive: true });
  const baseUrl = `http://127.0.0.1:${listenPort}`;

  const envFor = (brokerPort) =>
    n8nEnv({ version, userFolder: folder, port: listenPort, brokerPort, encryptionKey, node24, extra: env });

  let communityPackage = null;
  if (communityTarball) {
    communityPackage = await installCommunityPackage({
      userFolder: folder,
      tarball: communityTarball,
      env: node24Env(node24),
      logPath: path.join(folder, 'community-package-install.log'),
    });
  }

  let previousLogs = '';
  let host = null;
  const launch = async () => {
    const server = startProcess({
      command: install.node,
      args: [install.bin, 'start'],
      cwd: folder,
      env: envFor(await freePort()),
      name: `n8n ${version}`,
    });
    try {
      await waitFor(async () => (await httpStatus(`${baseUrl}/healthz`)) === 200, {
        timeoutMs: startTimeoutMs,
        description: `n8n ${version} GET ${baseUrl}/healthz`,
        abort: server.exitReason,
      });
      await waitFor(() => server.logs().includes(READY_LINE), {
        timeoutMs: startTimeoutMs,
        description: `n8n ${version} to print "${READY_LINE}"`,
        abort: server.exitReason,
      });
    } catch (error) {
      await server.stop();
      error.message += `\n--- n8n output ---\n${server.logs().slice(-8000)}`;
      throw error;
    }
    return server;
  };

  try {
    host = await launch();
  } catch (error) {
    if (removeFolderOnStop) await rm(folder, { recursive: true, force: true });
    throw error;
  }

  const instance = {
    baseUrl,
    port: listenPort,
    userFolder: folder,
    version,
    communityPackage,
    /** Process id of the running n8n server (the Node.js process itself, not a shell). It changes on `restart()`. */
    get pid() {
      return host.pid;
    },
    async stop() {
      const exit = await host.stop();
      if (removeFolderOnStop) await rm(folder, { recursive: true, force: true });
      return exit;
    },
    /** Stops and starts n8n again, for changes that a running n8n does not pick up (CLI activation). */
    async restart() {
      await host.stop();
      previousLogs += host.logs();
      host = await launch();
    },
    /**
     * Runs `n8n <args>` with this instance's environment plus `options.env`; `options.timeoutMs` and
     * `options.allowFailure` are passed on. Each call gets its own task-runner broker port, because
     * 2.x starts a broker inside `execute` and the server's broker already holds its port.
     */
    async cli(args, { env: extraEnv = {}, timeoutMs, allowFailure } = {}) {
      const cliEnv = { ...envFor(await freePort()), ...CLI_ENV, ...extraEnv };
      return runN8nCli({ node: install.node, bin: install.bin, args, env: cliEnv, cwd: folder, timeoutMs, allowFailure });
    },
    /** Imports one workflow object with `n8n import:workflow` and returns its id. */
    async importWorkflow(workflow) {
      if (!workflow.id) throw new Error('importWorkflow needs a workflow with an "id", because `n8n execute` and activation select by id.');
      const file = path.join(folder, `import-${workflow.id}.json`);
      await writeFile(file, JSON.stringify(workflow, null, 2));
      await instance.cli(['import:workflow', `--input=${file}`]);
      return workflow.id;
    },
    /** Imports credential objects (an array) with `n8n import:credentials`; `data` may be plain, n8n encrypts it. */
    async importCredentials(credentials) {
      const file = path.join(folder, `import-credentials-${Date.now()}.json`);
      await writeFile(file, JSON.stringify(credentials, null, 2));
      await instance.cli(['import:credentials', `--input=${file}`]);
    },
    /** Runs a stored workflow with `n8n execute --id --rawOutput` and returns the parsed run (`data.resultData.runData`). */
    async executeWorkflow(workflowId) {
      const { stdout } = await instance.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
      return parseExecuteOutput(stdout);
    },
    /** Marks a workflow active with the CLI and restarts n8n so that it registers the workflow's webhooks. */
    async activateWorkflowCli(workflowId) {
      await instance.cli(activateWorkflowArgs(version, workflowId));
      await instance.restart();
    },
    /**
     * Waits until n8n has registered the production webhook `<baseUrl>/webhook/<webhookPath>`.
     * It sends CORS preflight requests (OPTIONS), which do not run the workflow: n8n returns 204 once
     * the path is registered, and 500 ("... is not registered") before, on both 1.123 and 2.40.
     * Needed on 2.x, where activation finishes after the REST call or the start-up returns.
     */
    async waitForWebhook(webhookPath, { method = 'POST', timeoutMs = 30_000 } = {}) {
      const url = `${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`;
      await waitFor(
        async () => {
          const response = await fetch(url, {
            method: 'OPTIONS',
            headers: { Origin: baseUrl, 'Access-Control-Request-Method': method },
            signal: AbortSignal.timeout(5000),
          });
          await response.arrayBuffer();
          return response.status === 204;
        },
        { timeoutMs, intervalMs: 250, description: `n8n ${version} to register the production webhook ${method} ${url}` },
      );
      return url;
    },
    rest: () => new N8nRestClient(baseUrl, version),
    logs: () => previousLogs + host.logs(),
  };
  return instance;
}
