// One real VS Code per test file: code-server + Debian Chromium via playwright-core, torn down even when a test fails.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildExtension, ensureCodeServer, startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { Workbench } from './workbench';

export { Workbench } from './workbench';
export { repoRoot } from './codeServer';

/** Set SCIMMAP_SKIP_E2E=1 to skip the real-VS-Code tests (quick local loop); they never skip silently otherwise. */
export const skipE2E: string | false = process.env.SCIMMAP_SKIP_E2E === '1' ? 'SCIMMAP_SKIP_E2E=1' : false;

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export interface LaunchOptions extends CodeServerOptions {
  /** Fail when scripts/build.mjs fails (default). Highlighting-only tests can go on without a bundle. */
  requireBuild?: boolean;
}

export interface VSCode extends Workbench {
  server: CodeServer;
  close(): Promise<void>;
}

export async function launchVSCode(opts: LaunchOptions): Promise<VSCode> {
  ensureCodeServer();
  buildExtension(opts.requireBuild ?? true);
  const server = await startCodeServer(opts);
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    await server.stop();
  };
  try {
    const profile = join(server.runDir, 'browser');
    mkdirSync(profile, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    await page.goto(server.url);
    const workbench = new Workbench(page);
    await workbench.waitReady();
    return Object.assign(workbench, { server, close });
  } catch (e) {
    await close();
    throw e;
  }
}
