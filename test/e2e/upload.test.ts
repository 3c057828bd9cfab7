// In a real VS Code: test uploads from the command palette to the local Entra stand-in, the confirmation, the
// progress, the results view; exactly the chosen records arrive; no secret or token lands in logs, output or journal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { skipE2E, type VSCode } from './harness';
import { E2E_WORKSPACE, ownStandIn, showTab, standInProfile, useVSCode } from './fixtures';
import { inputBox, quickPick, toast } from './scimmap';
import { DEFAULT_JOB_ID, type StandIn } from '../../src/targets/entra/standin';

const skip = skipE2E;
const SECRET = 'E2e~Known.Secret-Value_7731';
const PROFILE = 'E2E stand-in';
const FIRST_FIVE = ['2001', '2002', '2003', '2004', '2005'];
const MARKUP = `<img src=x onerror="document.title='pwned'"><b>Mallory</b>`;

let standIn: StandIn | undefined;

const { step: withFailureShot } = useVSCode(async (t) => {
  // The test's own stand-in: only this client and secret are accepted, and the first two calls are throttled
  // (Retry-After 1 s) so that the progress notification stays up long enough to be seen.
  standIn = await ownStandIn(t, { clients: [{ clientId: 'e2e-app', clientSecret: SECRET }], faults: { throttleStorm: { afterCalls: 0, count: 2 } } });
  return { name: 'upload', workspace: E2E_WORKSPACE, settings: { 'scimmap.upload.profiles': [standInProfile(PROFILE, standIn, 'e2e-app')] } };
});

/** Brings the mapping's editor to the front ("Send Test Upload" is offered in the palette for mapping editors). */
const showMapping = (v: VSCode, name = 'staff.scimmap.yaml'): Promise<void> => showTab(v, name, `upload/${name}`);

/** Runs "Send Test Upload" for the first five records with `profile`; returns the confirmation's text, then accepts it. */
async function sendFirstFive(v: VSCode, profile: string, shot: string): Promise<string> {
  await showMapping(v);
  await v.runCommand('SCIM Mapper: Send Test Upload…');
  await quickPick(v, profile, profile);
  await quickPick(v, 'First N', 'First N records');
  await inputBox(v, 'How many records', '5');
  const dialog = v.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60_000 });
  const text = await dialog.innerText();
  await v.screenshot(shot);
  await dialog.locator('.monaco-button', { hasText: /^Send$/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  return text;
}

/** The results view's record rows, once `n` of them show up accepted. */
async function acceptedRows(v: VSCode, n: number): Promise<string[]> {
  const rows = v.webview().locator('tr.record-row[data-status="accepted"]');
  await v.page.waitForFunction(() => true); // let the panel mount
  for (const deadline = Date.now() + 30_000; (await rows.count()) < n; ) {
    if (Date.now() > deadline) throw new Error(`results view shows ${await rows.count()} accepted records, expected ${n}`);
    await v.page.waitForTimeout(200);
  }
  return v.webview().locator('tr.record-row').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-external-id') ?? ''));
}

async function provisionedRows(v: VSCode, n: number): Promise<string[]> {
  const rows = v.webview().locator('tr.record-row[data-provisioning]');
  for (const deadline = Date.now() + 30_000; (await rows.count()) < n; ) {
    if (Date.now() > deadline) throw new Error(`results view shows ${await rows.count()} provisioning outcomes, expected ${n}`);
    await v.page.waitForTimeout(200);
  }
  return rows.evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-provisioning') ?? ''));
}

test('stand-in started from the palette; first 5 records sent, confirmed, shown accepted and provisioned', { skip }, () => withFailureShot('upload-local', async (v) => {
  await showMapping(v);
  await v.runCommand('SCIM Mapper: Start Local Entra Stand-in');
  const started = await toast(v, 'Local Entra stand-in running at');
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(started)?.[0];
  assert.ok(url, started);
  await v.screenshot('upload-standin-started');

  const confirmation = await sendFirstFive(v, 'Local stand-in', 'upload-confirm-local');
  assert.match(confirmation, new RegExp(`Send 5 records to ${new URL(url).host.replace(/\./g, '\\.')} \\(local stand-in\\)`));
  assert.match(confirmation, /Records: 5 — the first 5 of 8 records from staff\.scimmap\.yaml/);
  assert.match(confirmation, new RegExp(`Job: ${DEFAULT_JOB_ID.replace(/\./g, '\\.')}`));
  assert.match(confirmation, /Tenant: standin/);

  const shown = await acceptedRows(v, 5);
  assert.deepEqual(shown, FIRST_FIVE);
  const outcomes = await provisionedRows(v, 5);
  assert.equal(outcomes.length, 5);
  // HR values with markup render as text in the results view.
  const label = await v.webview().locator('tr.record-row[data-external-id="2003"] td').nth(2).innerText();
  assert.equal(label, MARKUP);
  assert.equal(await v.webview().locator('img, tr.record-row b').count(), 0, 'markup from the sample was rendered as HTML');
  await v.screenshot('upload-results-local');

  // The stand-in the extension started accepts only the client secret it generated (kept in SecretStorage): a
  // made-up client gets no token, and a foreign Host or an Origin (a web page) is refused outright.
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'standin-app', client_secret: 'anything-goes', scope: 'https://graph.microsoft.com/.default' });
  const tokenRes = await fetch(`${url}/standin/oauth2/v2.0/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
  assert.equal(tokenRes.status, 401);
  const fromPage = await fetch(`${url}/beta/auditLogs/provisioning`, { headers: { Origin: 'https://attacker.example' } });
  assert.equal(fromPage.status, 403);
}));

test('upload with a stored client secret to the test\'s stand-in: exactly 5 arrive; no secret or token in logs, output or journal', { skip }, () => withFailureShot('upload-secret', async (v) => {
  const s = standIn!;
  await v.runCommand('SCIM Mapper: Set Client Secret for Upload Profile…');
  await quickPick(v, PROFILE, PROFILE);
  await v.page.locator('.quick-input-widget input[type="password"]').waitFor();
  await inputBox(v, `Client secret for '${PROFILE}'`, SECRET);
  await toast(v, `Client secret for '${PROFILE}' stored`);

  const confirmation = await sendFirstFive(v, PROFILE, 'upload-confirm-secret');
  const host = new URL(s.url).host;
  assert.match(confirmation, new RegExp(`Send 5 records to ${host.replace(/\./g, '\\.')}`));
  assert.match(confirmation, /Tenant: e2e-tenant/);
  assert.match(confirmation, /client secret sign-in for app e2e-app/);
  assert.ok(!confirmation.includes(SECRET));

  // Two throttled calls (Retry-After 1 s) keep the progress notification up.
  const progress = await toast(v, new RegExp(`Uploading to ${host.replace(/\./g, '\\.')}.*throttled`));
  assert.match(progress, /throttled \(429, Retry-After 1 s\); retrying in 1\.0 s/);
  await v.page.waitForTimeout(300); // the toast fades in
  await v.screenshot('upload-progress');

  assert.deepEqual(await acceptedRows(v, 5), FIRST_FIVE);
  await provisionedRows(v, 5);
  await v.screenshot('upload-results-secret');

  assert.deepEqual([...s.stats.acceptedByExternalId.entries()].sort(), FIRST_FIVE.map((id) => [id, 1]));
  assert.equal(s.stats.acceptedOperations, 5);
  assert.equal(s.stats.responses['429'], 2);
  assert.equal(s.stats.responses['202'], 1);
  assert.ok(s.stats.tokensIssued >= 1);

  // Search what VS Code and the extension wrote: logs (extension host, output channels), the journal, code-server's log.
  await v.page.waitForTimeout(1500); // log files are flushed asynchronously
  const runDir = v.server.runDir;
  const files = walk(runDir).filter((f) => !f.startsWith(join(runDir, 'browser')) && !f.startsWith(join(runDir, 'workspace')));
  const journals = files.filter((f) => /globalStorage\/scim-mapper\.scim-mapper\/uploads\/.+\.jsonl$/.test(f));
  assert.ok(journals.length >= 2, `journals: ${journals.join(', ')}`);
  const outputLogs = files.filter((f) => f.endsWith('.log') && readFileSync(f, 'utf8').includes('[upload] sending'));
  assert.ok(outputLogs.length >= 1, 'the SCIM Mapper output channel log was not found');
  const needles = [SECRET, ...s.issuedTokens()];
  const hits: string[] = [];
  for (const f of files) {
    if (statSync(f).size > 50 * 1024 * 1024) continue;
    const text = readFileSync(f).toString('latin1');
    for (const n of needles) if (text.includes(n)) hits.push(`${relative(runDir, f)} contains ${n === SECRET ? 'the client secret' : 'an issued token'}`);
  }
  assert.deepEqual(hits, [], hits.join('\n'));
  for (const j of journals) {
    const text = readFileSync(j, 'utf8');
    assert.doesNotMatch(text, /Ada|Lovelace|contoso\.com/, 'the journal holds record contents');
    // bulkId = externalId: neither may be written in clear (keyed hashes only).
    for (const id of FIRST_FIVE) assert.ok(!text.includes(`"${id}"`), `the journal ${j} holds externalId ${id}`);
    assert.equal(statSync(j).mode & 0o777, 0o600, j);
  }
}));

test('a cancelled upload is offered for resume next time and completes without sending a record twice', { skip }, () => withFailureShot('upload-resume', async (v) => {
  const s = standIn!;
  // From the next call on, every call is throttled (Retry-After 1 s): with 2 records per request and 4 requests in
  // flight, the first request is accepted and the other three wait, to be cancelled.
  s.setFaults({ throttleStorm: { afterCalls: s.stats.requests + 1, count: 10_000 } });
  s.resetStats();
  await showMapping(v, 'staff-batched.scimmap.yaml');
  await v.runCommand('SCIM Mapper: Send Test Upload…');
  await quickPick(v, PROFILE, PROFILE);
  await quickPick(v, 'All 8', 'All 8 records');
  const dialog = v.page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Records: 8 — all 8 records from staff-batched\.scimmap\.yaml, in 4 requests/);
  await dialog.locator('.monaco-button', { hasText: /^Send$/ }).click();
  const progress = v.page.locator('.notifications-toasts .notification-toast', { hasText: 'Uploading to' }).first();
  await progress.waitFor();
  for (const deadline = Date.now() + 20_000; s.stats.acceptedOperations < 2 || (s.stats.responses['429'] ?? 0) < 3; ) {
    if (Date.now() > deadline) throw new Error(`stand-in: ${JSON.stringify(s.stats.responses)}`);
    await v.page.waitForTimeout(100);
  }
  await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
  await toast(v, 'Upload cancelled');
  assert.equal((await acceptedRows(v, 2)).length, 8);
  assert.equal(await v.webview().locator('tr.record-row[data-status="not-sent"]').count(), 6);
  await v.screenshot('upload-cancelled');
  assert.equal(s.stats.acceptedOperations, 2);

  s.setFaults({});
  await showMapping(v, 'staff-batched.scimmap.yaml');
  await v.runCommand('SCIM Mapper: Send Test Upload…');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /An upload of 8 record\(s\) to 127\.0\.0\.1:\d+ \(profile 'E2E stand-in'\) was interrupted/);
  await dialog.locator('.monaco-button', { hasText: /^Resume$/ }).click();
  await v.page.locator('.monaco-dialog-box', { hasText: 'Resume the upload of 8 records' }).waitFor();
  const resumeText = await dialog.innerText();
  assert.match(resumeText, /Resuming: 2 record\(s\) already accepted are not sent again/);
  await v.screenshot('upload-resume-confirm');
  await dialog.locator('.monaco-button', { hasText: /^Resume Upload$/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  await toast(v, /8 of 8 record\(s\) accepted/);
  for (const deadline = Date.now() + 20_000; (await v.webview().locator('tr.record-row[data-status="accepted"]').count()) < 8; ) {
    if (Date.now() > deadline) throw new Error('the results view does not show 8 accepted records');
    await v.page.waitForTimeout(200);
  }
  assert.equal(await v.webview().locator('tr.record-row', { hasText: '(earlier run)' }).count(), 2);
  await v.screenshot('upload-resumed');
  const ids = ['2001', '2002', '2003', '2004', '2005', '2006', '2007', '2008'];
  assert.deepEqual([...s.stats.acceptedByExternalId.entries()].sort(), ids.map((id) => [id, 1]), 'every record accepted exactly once across cancel and resume');
}));

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.isFile() ? [p] : [];
  });
}
