// Per-file setup shared by the e2e tests: one VS Code per file started in `before` and closed in `after` together with
// what the file started for it (stand-ins, SCIM servers, a sync state dir), a step wrapper that keeps a screenshot of
// a failure, and the user-settings profile pointing at the test's own Entra stand-in.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchVSCode, repoRoot, skipE2E, type LaunchOptions, type VSCode } from './harness';
import { DEFAULT_JOB_ID, startStandIn, type StandIn, type StandInOptions } from '../../src/targets/entra/standin';

/** The workspace most e2e files open (the harness works on a copy). */
export const E2E_WORKSPACE = join(repoRoot, 'test/fixtures/e2e-workspace');

/** Lets a file's setup register what `after` must stop once VS Code is closed (run in registration order). */
export interface Teardown {
  onClose(fn: () => unknown): void;
}

export interface SessionOptions {
  /** Runs once VS Code is up, before the first test (e.g. hiding the side bar). */
  afterLaunch?: (v: VSCode) => Promise<void>;
  /** Press Escape after a failed step: a prompt left open would take the next test's keys. */
  escapeOnFailure?: boolean;
}

export interface Session {
  /** The running VS Code; throws when it did not start. */
  session(): VSCode;
  /** Runs a test body; on failure keeps a `<name>-FAILED` screenshot, then rethrows. */
  step(name: string, body: (v: VSCode) => Promise<void>): Promise<void>;
}

/**
 * Registers the `before`/`after` hooks of a test file: `setup` starts what the file needs and returns the launch
 * options. Nothing starts when the e2e tests are skipped.
 */
export function useVSCode(setup: (t: Teardown) => Promise<LaunchOptions> | LaunchOptions, opts: SessionOptions = {}): Session {
  let vscode: VSCode | undefined;
  const closers: Array<() => unknown> = [];
  before(async () => {
    if (skipE2E) return;
    const launch = await setup({ onClose: (fn) => closers.push(fn) });
    vscode = await launchVSCode(launch);
    await opts.afterLaunch?.(vscode);
  });
  after(async () => {
    await vscode?.close();
    for (const close of closers) await close();
  });
  const session = (): VSCode => {
    if (!vscode) throw new Error('VS Code did not start');
    return vscode;
  };
  const step = async (name: string, body: (v: VSCode) => Promise<void>): Promise<void> => {
    const v = session();
    try {
      await body(v);
    } catch (e) {
      await v.screenshot(`${name}-FAILED`).catch(() => undefined);
      if (opts.escapeOnFailure) for (let i = 0; i < 3; i++) await v.page.keyboard.press('Escape').catch(() => undefined);
      throw e;
    }
  };
  return { session, step };
}

/** Starts a stand-in for this file only; closed after VS Code. */
export async function ownStandIn(t: Teardown, opts: StandInOptions): Promise<StandIn> {
  const standIn = await startStandIn(opts);
  t.onClose(() => standIn.close());
  return standIn;
}

/** A user-settings upload profile that signs in to `standIn` with a client secret. */
export function standInProfile(name: string, standIn: StandIn, clientId: string): Record<string, unknown> {
  return { name, endpoint: standIn.endpointUrl(DEFAULT_JOB_ID), tenantId: 'e2e-tenant', clientId, auth: 'clientSecret', authorityHost: standIn.authorityHost };
}

/**
 * Points SCIMMAP_STATE_DIR at a fresh temp dir (the extension host inherits it, so its sync state is shared with CLI
 * runs in the test); removed and restored after the file.
 */
export function ownStateDir(t: Teardown, prefix: string): string {
  const saved = process.env.SCIMMAP_STATE_DIR;
  const dir = ownTempDir(t, prefix);
  process.env.SCIMMAP_STATE_DIR = dir;
  t.onClose(() => {
    if (saved === undefined) delete process.env.SCIMMAP_STATE_DIR;
    else process.env.SCIMMAP_STATE_DIR = saved;
  });
  return dir;
}

/** A fresh temp dir, removed after the file. */
export function ownTempDir(t: Teardown, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.onClose(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Brings the editor of `name` to the front, opening `path` when no tab shows it (clicking also takes the focus back from a webview). */
export async function showTab(v: VSCode, name: string, path = name): Promise<void> {
  const tab = v.page.locator(`.tab[data-resource-name="${name}"]`);
  if (await tab.count()) await tab.first().click();
  else await v.openFile(path);
  await v.page.locator(`.tab.active[data-resource-name="${name}"]`).waitFor();
}
