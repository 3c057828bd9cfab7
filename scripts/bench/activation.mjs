// Figure 4 (part): extension activation in a real VS Code — code-server + Chromium through the e2e harness
// (test/e2e/codeServer.ts, workbench.ts; compiled to out/test/e2e/). Full mode only: it needs code-server.
//
// Each run starts a fresh code-server (a cold extension host) on a throw-away workspace with a mapping that has one
// error and a JSON file that has one error, loads this folder like F5 with the production bundle (`npm run package`'s
// minified dist/), opens a plain-text file first (so the first editor's creation is paid by neither), then opens the
// mapping and the JSON file, in alternating order, and takes three measures:
//   - open → first diagnostic: from pressing Enter in Quick Open to the error's row in the Problems panel.
//     Baseline: the same for the JSON file, served by VS Code's built-in JSON Language Features (also activated
//     on its language, also a language server over IPC) in the same window.
//   - VS Code's own activation time, as "Developer: Show Running Extensions" shows it (code loading + the synchronous
//     part of activate()); same baseline.
//   - activate() resolved: the extension host's "_doActivateExtension scim-mapper.scim-mapper" log line (before the
//     code loads) to our output channel's "activate() done" line (after the language server answered initialize and
//     every command is registered), both timestamped by the extension host's loggers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { require, root, summary } from './util.mjs';

const OUR_ID = 'scim-mapper.scim-mapper';
const JSON_NAME = 'JSON Language Features';
const e2eSources = ['codeServer', 'workbench'];

/** Why the figure cannot be measured here, or undefined. */
function missing() {
  if (!existsSync(join(root, '.e2e/code-server/node_modules/.bin/code-server'))) return 'code-server is not installed (bash scripts/install-code-server.sh)';
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) return `no Chromium at ${chromium} (set CHROMIUM_PATH)`;
  return undefined;
}

/** The compiled e2e harness; compiles it (tsc -p tsconfig.test.json) when missing or older than its sources. */
function harness() {
  const stale = e2eSources.some((m) => {
    const js = join(root, 'out/test/e2e', `${m}.js`);
    return !existsSync(js) || statSync(js).mtimeMs < statSync(join(root, 'test/e2e', `${m}.ts`)).mtimeMs;
  });
  if (stale) {
    const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.test.json'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tsc -p tsconfig.test.json failed: ${(r.stdout + r.stderr).slice(0, 2000)}`);
  }
  return { ...require(join(root, 'out/test/e2e/codeServer.js')), ...require(join(root, 'out/test/e2e/workbench.js')) };
}

/** "2026-11-29 11:25:44.639 [info] …" → ms (both logs use the same local clock and format). */
function logTime(line) {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return m ? Date.parse(`${m[1]}T${m[2]}`) : NaN;
}

function findFiles(dir, test, out = []) {
  for (const e of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findFiles(p, test, out);
    else if (test(p)) out.push(p);
  }
  return out;
}

/** activate() resolved, from the extension host's logs under the run's user-data dir. */
function activateResolvedMs(runDir) {
  const logs = join(runDir, 'user-data/logs');
  const host = findFiles(logs, (p) => p.endsWith('remoteexthost.log')).map((p) => readFileSync(p, 'utf8')).join('\n');
  const ours = findFiles(logs, (p) => p.includes(OUR_ID) && p.endsWith('.log')).map((p) => readFileSync(p, 'utf8')).join('\n');
  const start = host.split('\n').find((l) => l.includes(`_doActivateExtension ${OUR_ID}`));
  const done = ours.split('\n').find((l) => l.includes('activate() done'));
  if (!start || !done) throw new Error(`activation log lines not found (start: ${!!start}, done: ${!!done}) under ${logs}`);
  return logTime(done) - logTime(start);
}

/** Problems-panel rows (aria-labels) right now. */
const problemRows = (page) => page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));

/** Opens `name` with Quick Open and returns ms from Enter until a Problems row passes `ok`. */
async function openUntilDiagnostic(wb, name, ok, timeoutMs = 60_000) {
  const page = wb.page;
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  const t = performance.now();
  await page.keyboard.press('Enter');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await problemRows(page);
    if (rows.some(ok)) return performance.now() - t;
    if (Date.now() > deadline) throw new Error(`no diagnostic for ${name} within ${timeoutMs} ms; rows: ${JSON.stringify(rows)}`);
    await page.waitForTimeout(10);
  }
}

/** "Developer: Show Running Extensions" → { name: ms } (code loading + activate call, as VS Code shows it). */
async function runningExtensions(wb) {
  await wb.runCommand('Developer: Show Running Extensions');
  const rows = wb.page.locator('.runtime-extensions-editor .monaco-list-row');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const texts = await rows.allInnerTexts();
    const out = {};
    for (const t of texts) {
      const m = /(?:Startup )?Activation: (\d+)ms/.exec(t);
      if (m) out[t.split('\n')[0].trim()] = Number(m[1]);
    }
    if ((out[OUR_ID] !== undefined && out[JSON_NAME] !== undefined) || Date.now() > deadline) return out;
    await wb.page.waitForTimeout(200);
  }
}

function workspace(tmp) {
  const ws = mkdtempSync(join(tmp, 'activation-ws-'));
  const fixtures = join(root, 'test/fixtures/e2e-workspace');
  // seeded.scimmap.yaml: one unknown attribute (name.givenNam) against a 4-record CSV sample.
  writeFileSync(join(ws, 'seeded.scimmap.yaml'), readFileSync(join(fixtures, 'seeded.scimmap.yaml')));
  copyFileSync(join(fixtures, 'workers.csv'), join(ws, 'workers.csv'));
  writeFileSync(join(ws, 'broken.json'), '{\n  "a": 1\n  "b": 2\n}\n');
  writeFileSync(join(ws, 'notes.txt'), 'plain text, opened first so that neither measured file pays for the first editor\n');
  return ws;
}

export async function activation({ tmp, runs, log }) {
  const why = missing();
  if (why) throw new Error(why);
  const { startCodeServer, Workbench } = harness();
  const { chromium } = require('playwright-core');
  const build = (args) => {
    const r = spawnSync(process.execPath, ['scripts/build.mjs', ...args], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scripts/build.mjs ${args.join(' ')} failed: ${r.stderr}`);
  };
  const ws = workspace(tmp);
  const samples = { openToDiagnostic: [], jsonOpenToDiagnostic: [], vscodeActivation: [], jsonVscodeActivation: [], activateResolved: [] };
  const keep = process.env.SCIMMAP_E2E_KEEP;
  process.env.SCIMMAP_E2E_KEEP = '1'; // stop() keeps the run folder: its logs are read after the loggers flushed
  build(['--production']);
  try {
    for (let i = 0; i < runs; i++) {
      const server = await startCodeServer({ name: `bench-activation-${i}`, workspace: ws, copyWorkspace: true });
      let context;
      try {
        context = await chromium.launchPersistentContext(join(server.runDir, 'browser'), {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          headless: true,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
          viewport: { width: 1400, height: 900 },
        });
        const page = context.pages()[0] ?? (await context.newPage());
        page.setDefaultTimeout(30_000);
        await page.goto(server.url);
        const wb = new Workbench(page);
        await wb.waitReady();
        await wb.openFile('notes.txt');
        await page.keyboard.press('Control+Shift+M');
        await page.locator('.markers-panel').waitFor();
        // Let start-up activations (git, github, …) finish so they do not land inside the measured window.
        await page.waitForTimeout(2_000);
        const ours = () => openUntilDiagnostic(wb, 'seeded.scimmap.yaml', (r) => r.includes('givenNam'));
        const json = () => openUntilDiagnostic(wb, 'broken.json', (r) => r.includes('Expected comma'));
        let a, b;
        if (i % 2 === 0) {
          a = await ours();
          b = await json();
        } else {
          b = await json();
          a = await ours();
        }
        const times = await runningExtensions(wb);
        samples.openToDiagnostic.push(a);
        samples.jsonOpenToDiagnostic.push(b);
        if (times[OUR_ID] !== undefined) samples.vscodeActivation.push(times[OUR_ID]);
        if (times[JSON_NAME] !== undefined) samples.jsonVscodeActivation.push(times[JSON_NAME]);
        await context.close();
        context = undefined;
        await server.stop();
        const full = activateResolvedMs(server.runDir);
        samples.activateResolved.push(full);
        log(`  run ${i + 1}: open → diagnostic ${Math.round(a)} ms (JSON ${Math.round(b)} ms); VS Code activation ${times[OUR_ID]} ms (JSON ${times[JSON_NAME]} ms); activate() resolved ${full} ms`);
      } finally {
        await context?.close().catch(() => undefined);
        await server.stop();
        rmSync(server.runDir, { recursive: true, force: true });
      }
    }
  } finally {
    if (keep === undefined) delete process.env.SCIMMAP_E2E_KEEP;
    else process.env.SCIMMAP_E2E_KEEP = keep;
    build([]); // back to the development build that `npm run build` makes
  }
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)]));
  const ratio = (x, y) => summary(x.map((v, i) => v / y[i]));
  const codeServerVersion = (() => {
    try {
      return JSON.parse(readFileSync(join(root, '.e2e/code-server/node_modules/code-server/package.json'), 'utf8')).version;
    } catch {
      return 'unknown';
    }
  })();
  return {
    ...s,
    openVsJson: ratio(samples.openToDiagnostic, samples.jsonOpenToDiagnostic),
    activationVsJson: samples.vscodeActivation.length === samples.jsonVscodeActivation.length ? ratio(samples.vscodeActivation, samples.jsonVscodeActivation) : summary([]),
    codeServer: codeServerVersion,
    bundle: 'production (node scripts/build.mjs --production, as npm run package)',
  };
}
