// In a real VS Code: "Refresh Sample from Source" with the REST connector on a local server — the host confirmed
// once (before any secret is asked for), the token asked for once (SecretStorage), the snapshot written 0600, .gitignore offered, the status bar age,
// and a second refresh that asks nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipE2E, type VSCode } from './harness';
import { ownTempDir, useVSCode } from './fixtures';
import { hrApi, people, serve, type Hr } from '../unit/sources/servers';

const skip = skipE2E;
const TOKEN = 'E2e-Source-Token_4411';
let hr: Hr | undefined;
let ws: string;

const { session } = useVSCode(async (t) => {
  const api = await serve(hrApi(people(7)));
  hr = api;
  t.onClose(() => api.close());
  ws = ownTempDir(t, 'scimmap-e2e-sources-');
  mkdirSync(join(ws, '.git'));
  writeFileSync(
    join(ws, 'hr.scimmap.yaml'),
    `scimmap: 1\ntarget: entra\nsource:\n  sample: hr-snapshot.json\n  from:\n    type: rest\n    url: ${api.url}/v4/People\n    paging:\n      type: nextLink\n    auth:\n      type: bearer\n      tokenEnv: HR_TOKEN\nmappings:\n  externalId: id\n  userName: email\n  name.givenName: first\n  active: true\n`,
  );
  return { name: 'sources', workspace: ws, copyWorkspace: false };
});

async function toast(v: VSCode, text: string | RegExp) {
  const t = v.page.locator('.notifications-toasts .notification-list-item', { hasText: text }).first();
  await t.waitFor({ timeout: 60_000 });
  return t;
}

test('Refresh Sample from Source: token prompt, host confirmation, 0600 snapshot, .gitignore, status bar age', { skip }, async () => {
  const v = session();
  try {
    await v.openFile('hr.scimmap.yaml');
    await v.page.locator('.statusbar-item', { hasText: 'No snapshot' }).first().waitFor({ timeout: 30_000 });
    await v.runCommand('SCIM Mapper: Refresh Sample from Source');
    // The host is confirmed before any secret is asked for.
    const dialog = v.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`asks to read HR records from ${hr!.url.replace(/[.]/g, '\\.')}`));
    await v.screenshot('sources-confirm');
    await dialog.locator('.monaco-button', { hasText: /^Connect$/ }).click();
    await v.page.locator('.quick-input-widget .quick-input-title', { hasText: 'HR_TOKEN' }).waitFor({ timeout: 30_000 });
    await v.page.locator('.quick-input-widget input').fill(TOKEN);
    await v.page.keyboard.press('Enter');
    await toast(v, 'Wrote 7 record(s) to hr-snapshot.json');
    const snap = join(ws, 'hr-snapshot.json');
    assert.equal(statSync(snap).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(snap, 'utf8')).length, 7);
    assert.ok(hr!.log.every((l) => l.authorization === `Bearer ${TOKEN}`));
    const offer = await toast(v, 'Add it to .gitignore?');
    await offer.locator('.monaco-button', { hasText: 'Add to .gitignore' }).click();
    for (const deadline = Date.now() + 20_000; !/hr-snapshot\.json/.test(safeRead(join(ws, '.gitignore'))); ) {
      if (Date.now() > deadline) throw new Error('.gitignore was not updated');
      await v.page.waitForTimeout(200);
    }
    await v.page.locator('.statusbar-item', { hasText: /Snapshot just now/ }).first().waitFor({ timeout: 30_000 });
    await v.screenshot('sources-refreshed');

    // Second refresh: neither the token nor the host is asked for again.
    const before = hr!.log.length;
    await v.runCommand('SCIM Mapper: Refresh Sample from Source');
    for (const deadline = Date.now() + 30_000; hr!.log.length < before + 3; ) {
      if (Date.now() > deadline) throw new Error('the second refresh did not reach the server');
      await v.page.waitForTimeout(200);
    }
    assert.equal(await v.page.locator('.monaco-dialog-box').count(), 0, 'no second confirmation');
    const log = readFileSync(join(ws, '.gitignore'), 'utf8');
    assert.equal(log.match(/hr-snapshot/g)?.length, 1, '.gitignore not offered twice');
  } catch (e) {
    await v.screenshot('sources-FAILED').catch(() => undefined);
    throw e;
  }
});

function safeRead(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
