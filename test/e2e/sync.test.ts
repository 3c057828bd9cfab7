// In a real VS Code: "Plan Sync…" shows the plan of a mapping against the state the CLI left (counts per class, the
// externalIds in each, the guards' verdicts) and sends nothing; "Run Sync" confirms with endpoint, sign-in host
// and counts, then sends: the stand-in disables the leaver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { skipE2E, type VSCode } from './harness';
import { E2E_WORKSPACE, ownStandIn, ownStateDir, standInProfile, useVSCode } from './fixtures';
import { runCli } from '../../src/cli/main';
import { DEFAULT_JOB_ID, type StandIn } from '../../src/targets/entra/standin';
import { planClassCounts as classCounts, quickPick, toast as shownToast } from './scimmap';

const skip = skipE2E;
const SECRET = 'E2e~Sync.Secret-Value_4410';
const PROFILE = 'E2E sync stand-in';

let standIn: StandIn | undefined;
let stateDir: string | undefined;

const { session } = useVSCode(async (t) => {
  // The extension host inherits this: its sync state goes to a temp dir, shared with the CLI run below.
  stateDir = ownStateDir(t, 'scimmap-e2e-sync-');
  standIn = await ownStandIn(t, { clients: [{ clientId: 'e2e-app', clientSecret: SECRET }], logDelayMs: 0 });
  return { name: 'sync', workspace: E2E_WORKSPACE, settings: { 'scimmap.upload.profiles': [standInProfile(PROFILE, standIn, 'e2e-app')] } };
});

const toast = (v: VSCode, text: string | RegExp): Promise<string> => shownToast(v, text, 60_000);

test('Plan Sync… shows counts, externalIds and guard verdicts; Run Sync confirms and disables the leaver', { skip, timeout: 240_000 }, async () => {
  const v = session();
  const s = standIn!;
  try {
    // The scheduled job ran before with an export that still listed 2099, not yet 2008 (a joiner since), and an
    // older name for 2002. Same size, so the min-records guard passes.
    const mapping = join(v.server.workspace, 'upload', 'staff.scimmap.yaml');
    const staff = readFileSync(join(v.server.workspace, 'upload', 'staff.csv'), 'utf8');
    const seed = join(stateDir!, 'earlier-export.csv');
    const earlier = staff.replace('Alan Turing', 'Alan M. Turing').split('\n').filter((l) => !l.startsWith('2008,') && l.trim());
    writeFileSync(seed, `${earlier.join('\n')}\n2099,Leo,Leaver,Leo Leaver,Active,2001\n`);
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => (text += c));
    const code = await runCli(['sync', mapping, '--endpoint', s.endpointUrl(DEFAULT_JOB_ID), '--input', seed], { stdout: out, stderr: out, env: { SCIMMAP_STATE_DIR: stateDir, SCIMMAP_TOKEN: s.issueToken() }, cwd: stateDir! });
    assert.equal(code, 0, text);
    const before = s.stats.requests;

    // Opening a mapping activates the extension (its commands appear in the palette once it is loaded).
    await v.openFile('upload/staff.scimmap.yaml');
    await v.page.locator('.tab.active[data-resource-name="staff.scimmap.yaml"]').waitFor();
    await v.runCommand('SCIM Mapper: Set Client Secret for Upload Profile…');
    // With a single profile the command asks for its secret straight away.
    const password = v.page.locator('.quick-input-widget input[type="password"]');
    await password.waitFor();
    await v.page.locator('.quick-input-widget .quick-input-title', { hasText: `Client secret for '${PROFILE}'` }).waitFor();
    await password.fill(SECRET);
    await v.page.keyboard.press('Enter');
    await toast(v, `Client secret for '${PROFILE}' stored`);

    await v.page.locator('.tab[data-resource-name="staff.scimmap.yaml"]').first().click();
    await v.page.locator('.tab.active[data-resource-name="staff.scimmap.yaml"]').waitFor();
    await v.runCommand('SCIM Mapper: Plan Sync…');
    await quickPick(v, PROFILE, PROFILE);
    await quickPick(v, 'sample', "The mapping's sample");

    const counts = await classCounts(v);
    assert.deepEqual(counts, { create: 1, update: 1, unchanged: 6, reactivate: 0, disable: 1, failed: 0 });
    const ids = (cls: string) => v.webview().locator(`tr.class-row[data-class="${cls}"] td.ids`).innerText();
    assert.equal(await ids('disable'), '2099');
    assert.equal(await ids('update'), '2002');
    assert.equal(await ids('create'), '2008');
    assert.match(await ids('unchanged'), /^2001, 2003, 2004, 2005, 2006, 2007$/);
    for (const g of ['min-records', 'max-disable']) assert.equal(await v.webview().locator(`tr.guard-row[data-guard="${g}"]`).getAttribute('data-verdict'), 'pass', g);
    assert.match(await v.readWebview('h2'), /Sync plan: staff\.scimmap\.yaml → 127\.0\.0\.1:\d+/);
    await v.screenshot('sync-plan');
    assert.equal(s.stats.requests, before, 'planning sent nothing');
    s.flushLogs();
    assert.equal(s.users(DEFAULT_JOB_ID).get('2099')?.accountEnabled, true);

    await v.webview().locator('#run').click();
    const dialog = v.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    const confirmation = await dialog.innerText();
    const host = new URL(s.url).host.replace(/\./g, '\\.');
    assert.match(confirmation, new RegExp(`Sync staff\\.scimmap\\.yaml to ${host} \\(local stand-in\\): 3 operations, 1 disable\\?`));
    assert.match(confirmation, new RegExp(`Sign-in host: ${new URL(s.authorityHost).host.replace(/\./g, '\\.')}`));
    assert.match(confirmation, /Create 1 · update 1 · reactivate 0 · disable 1 · unchanged \(not sent\) 6/);
    assert.match(confirmation, new RegExp(`Endpoint: ${s.endpointUrl(DEFAULT_JOB_ID).replace(/[.?]/g, '\\$&')}`));
    await v.screenshot('sync-confirm');
    await dialog.locator('.monaco-button', { hasText: /^Run Sync$/ }).click();
    await toast(v, 'Sync: 3 operation(s) accepted');
    await v.webview().locator('#sent').waitFor({ timeout: 30_000 });
    await v.screenshot('sync-result');

    s.flushLogs();
    assert.equal(s.users(DEFAULT_JOB_ID).get('2099')?.accountEnabled, false, 'the leaver is disabled');
    assert.equal(s.stats.acceptedByExternalId.get('2099'), 2);
    assert.equal(s.stats.acceptedByExternalId.get('2002'), 2);
    assert.equal(s.stats.acceptedByExternalId.get('2008'), 1);
    assert.equal(s.stats.acceptedByExternalId.get('2001'), 1, 'unchanged records are not sent');
  } catch (e) {
    await v.screenshot('sync-FAILED').catch(() => undefined);
    throw e;
  }
});
