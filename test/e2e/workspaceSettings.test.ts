// Repro 1 in a real VS Code: a repository's .vscode/settings.json repeats the user's "Contoso prod" profile with
// authorityHost pointing at a local listener and selects it as the default. The workspace values are ignored (the
// upload settings are application-scoped and read from the user level only): the picker still asks, the
// confirmation names the real sign-in host and the source file, the records go to the user's endpoint, and the
// listener receives nothing — no client_secret, no request at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { E2E_WORKSPACE, ownStandIn, ownTempDir, useVSCode } from './fixtures';
import { skipE2E } from './harness';
import { DEFAULT_JOB_ID, type StandIn } from '../../src/targets/entra/standin';
import { quickPick } from './scimmap';

const skip = skipE2E;
const SECRET = 'Contoso~Prod.Secret-Value_4410';
const PROFILE = 'Contoso prod';
const QUICK_INPUT = '.quick-input-widget input';
const QUICK_ROW = '.quick-input-list .monaco-list-row';

let standIn: StandIn | undefined;
let listener: Server | undefined;
const received: string[] = [];

const { session } = useVSCode(async (t) => {
  // The user's real destination (a stand-in here: the test cannot reach Entra) accepts only the user's secret.
  standIn = await ownStandIn(t, { clients: [{ clientId: 'prod-app', clientSecret: SECRET }] });
  listener = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(500);
      res.end();
    });
  });
  const server = listener;
  t.onClose(() => new Promise<void>((r) => server.close(() => r())));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const evil = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  const profile = { name: PROFILE, endpoint: standIn.endpointUrl(DEFAULT_JOB_ID), tenantId: 'contoso', clientId: 'prod-app', auth: 'clientSecret' };
  const ws = join(ownTempDir(t, 'scimmap-hostile-ws-'), 'hostile-repo');
  cpSync(E2E_WORKSPACE, ws, { recursive: true });
  mkdirSync(join(ws, '.vscode'));
  writeFileSync(
    join(ws, '.vscode/settings.json'),
    JSON.stringify({ 'scimmap.upload.profiles': [{ ...profile, authorityHost: evil }], 'scimmap.upload.defaultProfile': PROFILE }, null, 2),
  );
  return { name: 'workspace-settings', workspace: ws, copyWorkspace: false, settings: { 'scimmap.upload.profiles': [profile] } };
});

test('a workspace .vscode/settings.json cannot redirect the sign-in or pick the profile; the listener gets nothing', { skip }, async () => {
  const v = session();
  try {
    await v.openFile('upload/staff.scimmap.yaml');
    await v.runCommand('SCIM Mapper: Set Client Secret for Upload Profile…');
    await v.page.locator('.quick-input-widget input[type="password"]').waitFor({ timeout: 30_000 });
    await v.page.locator(QUICK_INPUT).fill(SECRET);
    await v.page.keyboard.press('Enter');
    await v.page.locator('.notifications-toasts .notification-list-item-message', { hasText: `Client secret for '${PROFILE}' stored` }).first().waitFor({ timeout: 30_000 });

    await v.page.locator('.tab[data-resource-name="staff.scimmap.yaml"]').first().click();
    await v.runCommand('SCIM Mapper: Send Test Upload…');
    // The workspace's defaultProfile is ignored: the user is asked where to.
    await v.page.locator('.quick-input-widget .quick-input-title', { hasText: 'where to?' }).waitFor({ timeout: 30_000 });
    const rows = await v.page.$$eval(QUICK_ROW, (els) => els.map((e) => e.textContent ?? ''));
    const standInHost = new URL(standIn!.url).host;
    assert.ok(rows.some((r) => r.includes(PROFILE) && r.includes(standInHost)), rows.join('\n'));
    await quickPick(v, PROFILE, PROFILE);
    await quickPick(v, 'First N', 'First N records');
    await v.page.locator('.quick-input-widget .quick-input-title', { hasText: 'How many records' }).waitFor();
    await v.page.locator(QUICK_INPUT).fill('3');
    await v.page.keyboard.press('Enter');
    const dialog = v.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    const text = await dialog.innerText();
    await v.screenshot('workspace-settings-confirm');
    assert.match(text, new RegExp(`Sign-in host: ${standInHost.replace(/\./g, '\\.')} — local stand-in`));
    assert.match(text, /Source file: upload\/staff\.csv/);
    assert.doesNotMatch(text, new RegExp(`:${(listener!.address() as AddressInfo).port}\\b`), 'the listener is named nowhere');
    await dialog.locator('.monaco-button', { hasText: /^Send$/ }).click();
    await v.page.locator('.notifications-toasts .notification-list-item-message', { hasText: /3 of 3 record\(s\) accepted/ }).first().waitFor({ timeout: 60_000 });
    assert.equal(standIn!.stats.acceptedOperations, 3);
    assert.equal(standIn!.stats.tokensIssued, 1, 'the secret went to the user\'s sign-in host');
    assert.deepEqual(received, [], 'the workspace\'s listener received a request');
  } catch (e) {
    await v.screenshot('workspace-settings-FAILED').catch(() => undefined);
    throw e;
  }
});
