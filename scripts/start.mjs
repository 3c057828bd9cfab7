// `npm start`: build, install code-server once, and serve VS Code in the browser with this extension loaded (like F5)
// on the samples/ workspace. PORT (default 8080) and HOST (default 127.0.0.1) are honoured; Ctrl+C stops everything.
// The terminal shows only what a user needs (the URL, how to stop); the build, the install and code-server's own
// harmless noise (vsda, Open VSX lookups, npm allow-scripts warnings, SIGPIPE on stop) go to .e2e/start.log.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const workspace = resolve(process.env.SCIMMAP_WORKSPACE ?? join(root, 'samples'));
const verbose = process.env.SCIMMAP_VERBOSE === '1';
mkdirSync(join(root, '.e2e'), { recursive: true });
const logPath = join(root, '.e2e', 'start.log');
const logName = '.e2e/start.log';
const log = openSync(logPath, 'w');
const out = verbose ? 'inherit' : log;

/** On a failure: the last lines of the log, and where the rest is. */
function failWithLog(message) {
  console.error(`npm start: ${message}`);
  try {
    const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
    if (tail) console.error(`\n${tail}\n`);
  } catch {
    // no log yet
  }
  console.error(`The full log is in ${logName}.`);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', out, out] });
  if (r.status !== 0) {
    failWithLog(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

console.log(`Starting SCIM Mapper in VS Code (code-server)… (details in ${logName})`);

async function assertPortFree() {
  await new Promise((ok) => {
    const srv = createServer();
    srv.once('error', () => {
      console.error(`npm start: ${host}:${port} is in use; choose another with PORT=8081 npm start`);
      process.exit(1);
    });
    srv.listen(port, host, () => srv.close(ok));
  });
}

// `npm start -- --no-build` serves the current dist/ (e.g. while `node scripts/build.mjs --watch` runs elsewhere).
if (!process.argv.includes('--no-build')) run(process.execPath, ['scripts/build.mjs']);
run('bash', ['scripts/install-code-server.sh']);
await assertPortFree();

// A fresh profile per run (a reused one collides on a lock file); XDG dirs and TMPDIR kept out of ~ and /tmp.
const runDir = join(root, '.e2e', `run-start-${Date.now()}`);
const d = (name) => {
  const p = join(runDir, name);
  mkdirSync(p, { recursive: true });
  return p;
};
const userData = d('user-data');
mkdirSync(join(userData, 'User'));
// The test settings, minus what tests switch off that a new user should see (the walkthrough on the first start).
const settings = JSON.parse(readFileSync(join(root, 'test/e2e/user-settings.json'), 'utf8'));
delete settings['scimmap.walkthrough.openOnFirstRun'];
writeFileSync(join(userData, 'User/settings.json'), JSON.stringify(settings, null, 2));

const child = spawn(
  join(root, '.e2e/code-server/node_modules/.bin/code-server'),
  [
    '--user-data-dir', userData, '--extensions-dir', d('extensions'), '--bind-addr', `${host}:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    workspace,
  ],
  {
    // Own process group, so stopping kills the extension host and the language server with it.
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, XDG_CONFIG_HOME: d('xdg-config'), XDG_DATA_HOME: d('xdg-data'), XDG_CACHE_HOME: d('xdg-cache'), TMPDIR: d('tmp') },
  },
);
if (!verbose) closeSync(log); // the children hold their own copies of the descriptor

let stopping = false;
let exitCode = 0;
function killGroup(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
function cleanUp() {
  killGroup('SIGKILL'); // stragglers that ignored SIGTERM
  rmSync(runDir, { recursive: true, force: true });
  process.exit(exitCode);
}
function stop(code) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  killGroup('SIGTERM');
  setTimeout(cleanUp, 5000); // code-server normally exits well before this
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
child.on('exit', (code) => {
  if (!stopping) {
    failWithLog(`code-server exited (${code})`);
    exitCode = 1;
  }
  cleanUp();
});

const deadline = Date.now() + 30_000;
for (;;) {
  try {
    if ((await fetch(`http://${host}:${port}/healthz`)).ok) break;
  } catch {
    // not listening yet
  }
  if (Date.now() > deadline) {
    failWithLog('code-server did not become ready in 30 s');
    stop(1);
  }
  await new Promise((r) => setTimeout(r, 100));
}

// The payload's authority must equal the host:port in the browser's address bar (adjust both when forwarding a port).
const authority = `${host}:${port}`;
const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${authority}${root}`]]);
const url = `http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
console.log(`\nSCIM Mapper is running in VS Code (code-server) on ${workspace}\n\n  Open: ${url}\n\nPress Ctrl+C to stop. code-server's own messages are in ${logName}.`);
