// Runs the extensionTestsPath suite (test/vscode/suite, the `vscode` API inside the extension host) in code-server:
// the workbench URL carries extensionTestsPath next to extensionDevelopmentPath. code-server does not pass the
// suite's exit code on, so the suite writes its results to a file that this test waits for.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildExtension, ensureCodeServer, repoRoot, startCodeServer, type CodeServer } from './codeServer';
import { skipE2E } from './harness';
import { waitUntil } from './scimmap';

const skip = skipE2E;
let server: CodeServer | undefined;
let browser: BrowserContext | undefined;
let results: string | undefined;

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  if (results) rmSync(results, { force: true });
  delete process.env.SCIMMAP_VSCODE_TEST_RESULTS;
});

interface Outcome {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

test('the extension-host suite passes in code-server', { skip, timeout: 240_000 }, async (t) => {
  ensureCodeServer();
  buildExtension(true);
  const suite = join(repoRoot, 'out/test/vscode/suite/index.js');
  assert.ok(existsSync(suite), `${suite} is missing: compile with tsc -p tsconfig.test.json`);
  // The extension host inherits code-server's environment, and code-server inherits ours.
  const file = (results = join(repoRoot, '.e2e', `vscode-suite-${process.pid}-${Date.now()}.json`));
  process.env.SCIMMAP_VSCODE_TEST_RESULTS = file;
  server = await startCodeServer({ name: 'extension-host', workspace: join(repoRoot, 'test/fixtures/e2e-workspace') });
  const authority = `127.0.0.1:${server.port}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://${authority}${repoRoot}`],
    ['extensionTestsPath', `vscode-remote://${authority}${suite}`],
  ]);
  const profile = join(server.runDir, 'browser');
  mkdirSync(profile, { recursive: true });
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(`http://${authority}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(payload)}`);

  await waitUntil('the suite results file', async () => existsSync(file), (x) => x, 180_000, 250);
  const outcomes = JSON.parse(readFileSync(file, 'utf8')) as Outcome[];
  for (const o of outcomes) t.diagnostic(`${o.ok ? 'ok' : 'FAILED'} ${o.name} (${o.ms} ms)`);
  assert.ok(outcomes.length >= 7, `only ${outcomes.length} results`);
  assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => `${o.name}\n${o.error}`), []);
});
