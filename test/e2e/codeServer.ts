// Starts code-server (VS Code 1.100 served to a browser, real Node extension host) in a throw-away run folder.
// Recipe: docs/testing.md. scripts/start.mjs does the same for `npm start`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { basename, join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');
export const e2eDir = join(repoRoot, '.e2e');
export const resultsDir = join(repoRoot, 'test-results');
const codeServerBin = join(e2eDir, 'code-server/node_modules/.bin/code-server');

/** Installs code-server into .e2e/code-server once (idempotent and locked; ~45 s the first time). */
export function ensureCodeServer(): void {
  const r = spawnSync('bash', [join(repoRoot, 'scripts/install-code-server.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`install-code-server.sh failed (exit ${r.status})`);
}

/** Bundles the extension; serialised because parallel e2e files would otherwise write dist/ at the same time. */
export function buildExtension(required: boolean): void {
  mkdirSync(e2eDir, { recursive: true });
  const r = spawnSync('flock', [join(e2eDir, 'build.lock'), process.execPath, 'scripts/build.mjs'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status === 0) return;
  const message = `scripts/build.mjs failed (exit ${r.status}):\n${r.stdout}${r.stderr}`;
  if (required) throw new Error(message);
  // Grammars and language configuration need no bundle, so highlighting tests can go on.
  console.warn(`warning: ${message}`);
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms`);
}

export interface CodeServerOptions {
  /** Folder to open. Copied into the run folder unless copyWorkspace is false, so edits never touch fixtures. */
  workspace: string;
  /** Folder loaded like F5 (extensionDevelopmentPath); defaults to the repository. */
  extensionPath?: string;
  copyWorkspace?: boolean;
  /** Extra user settings on top of test/e2e/user-settings.json. */
  settings?: Record<string, unknown>;
  /** Used in the run folder's and the saved log's names. */
  name: string;
  /**
   * Workspace Trust on (default off, as in user-settings.json): the folder then opens in Restricted Mode, without
   * the startup prompt, and a test can grant trust through the workbench.
   */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  port: number;
  runDir: string;
  workspace: string;
  /** The workbench URL that opens the workspace with the extension loaded from its folder. */
  url: string;
  stop(): Promise<void>;
}

/** Removes run folders left by runs that were killed before their teardown (older than a day, so never a live one). */
function pruneOldRuns(): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of existsSync(e2eDir) ? readdirSync(e2eDir) : []) {
    const p = join(e2eDir, name);
    if (name.startsWith('run-') && statSync(p).mtimeMs < dayAgo) rmSync(p, { recursive: true, force: true });
  }
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  pruneOldRuns();
  const runDir = join(e2eDir, `run-${opts.name}-${Date.now()}-${process.pid}`);
  const dirs = ['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp'].map((d) => join(runDir, d));
  for (const d of dirs) mkdirSync(d, { recursive: true });
  const [userData, extensions, xdgConfig, xdgData, xdgCache, tmp] = dirs as [string, string, string, string, string, string];
  const base = JSON.parse(readFileSync(join(repoRoot, 'test/e2e/user-settings.json'), 'utf8')) as object;
  mkdirSync(join(userData, 'User'));
  const trust = opts.workspaceTrust
    ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' }
    : {};
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ ...base, ...trust, ...opts.settings }, null, 2));

  let workspace = resolve(opts.workspace);
  if (opts.copyWorkspace !== false) {
    const copy = join(runDir, 'workspace', basename(workspace));
    cpSync(workspace, copy, { recursive: true });
    workspace = copy;
  }

  const port = await freePort();
  const logFile = join(runDir, 'code-server.log');
  const log = createWriteStream(logFile);
  // detached = setsid: code-server, its extension host and the language server share one process group to kill.
  const child = spawn(
    codeServerBin,
    [
      '--user-data-dir', userData, '--extensions-dir', extensions, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
      workspace,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, XDG_CONFIG_HOME: xdgConfig, XDG_DATA_HOME: xdgData, XDG_CACHE_HOME: xdgCache, TMPDIR: tmp },
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start');
  // Last resort if the test process ends without running its teardown (crash, Ctrl+C, test-runner kill).
  const killOnExit = (): void => killGroup(pgid, 'SIGKILL');
  const killOnSignal = (signal: NodeJS.Signals): void => {
    killOnExit();
    process.kill(process.pid, signal); // our handler is gone now (once), so the default action ends the process
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', killOnSignal);
  process.once('SIGTERM', killOnSignal);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    process.removeListener('SIGINT', killOnSignal);
    process.removeListener('SIGTERM', killOnSignal);
    killGroup(pgid, 'SIGTERM');
    const exited = child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') killGroup(pgid, 'SIGKILL');
    killGroup(pgid, 'SIGKILL'); // stragglers (extension host, language server) that ignored SIGTERM
    await new Promise<void>((r) => log.end(() => r()));
    mkdirSync(join(resultsDir, 'logs'), { recursive: true });
    copyFileSync(logFile, join(resultsDir, 'logs', `${opts.name}-code-server.log`));
    if (process.env.SCIMMAP_E2E_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(port, child, 30_000);
  } catch (e) {
    await stop();
    throw e;
  }
  const ext = resolve(opts.extensionPath ?? repoRoot);
  // The authority in the payload must equal the host:port the browser uses.
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ext}`]]);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
  return { port, runDir, workspace, url, stop };
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

export const codeServerInstalled = (): boolean => existsSync(codeServerBin);
