// In a real VS Code: the provisioning app's saved schema at work — the preview's "Entra user" column, the
// "Entra ignores it" warning and its quick fix pushing the attribute to the test's stand-in, and the warning
// before an upload to a paused job (records would be staged, not processed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dialog } from 'playwright-core';
import { skipE2E, type VSCode } from './harness';
import { E2E_WORKSPACE, ownStandIn, showTab, standInProfile, useVSCode } from './fixtures';
import { inputBox, openProblems, preview, problems, quickPick, runPaletteCommand, toast, waitUntil } from './scimmap';
import type { StandIn } from '../../src/targets/entra/standin';
import { appModel } from '../../src/targets/entra/app/schema';

const skip = skipE2E;
const SECRET = 'E2e~App.Secret-Value_4410';
const PROFILE = 'E2E app stand-in';
const BADGE = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Badge';
const QUICK_ROW = '.quick-input-list .monaco-list-row';

let standIn: StandIn | undefined;
const dialogs: string[] = [];

const { step } = useVSCode(async (t) => {
  // The stand-in's app starts as the saved schema of the fixture (which the quick fix then extends).
  const appSchema = JSON.parse(readFileSync(join(E2E_WORKSPACE, 'app/app-schema.json'), 'utf8'));
  standIn = await ownStandIn(t, { clients: [{ clientId: 'e2e-app', clientSecret: SECRET }], verifiedDomains: ['contoso.com'], appSchema });
  return { name: 'app', workspace: E2E_WORKSPACE, settings: { 'scimmap.upload.profiles': [standInProfile(PROFILE, standIn, 'e2e-app')] } };
}, {
  afterLaunch: async (v) => {
    v.page.on('dialog', (d: Dialog) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
  },
});

const showMapping = (v: VSCode): Promise<void> => showTab(v, 'app.scimmap.yaml', 'app/app.scimmap.yaml');

test('the preview shows the Entra user the app\'s mappings compute, markup as text, "computed by Entra" where only Entra can', { skip }, () => step('app-entra-column', async (v) => {
  await showMapping(v);
  await runPaletteCommand(v.page, 'SCIM Mapper: Open Preview to the Side');
  const frame = preview(v.page);
  const pane = frame.locator('#entra-pane');
  await pane.waitFor({ state: 'visible', timeout: 60_000 });
  const row = (p: string) => frame.locator(`#entra-tree .entra-row[data-property="${p}"] .entra-value`);
  await waitUntil('the Entra user of record 1', () => row('displayName').innerText(), (t) => t === 'Ada Lovelace', 60_000);
  assert.equal(await row('employeeId').innerText(), '3001');
  assert.equal(await row('accountEnabled').innerText(), 'true');
  assert.equal(await row('employeeHireDate').innerText(), '2021-05-01T00:00:00Z');
  assert.equal(await row('usageLocation').innerText(), 'US');
  assert.equal(await row('officeLocation').innerText(), 'computed by Entra');
  assert.match(await frame.locator('#entra-tree .entra-row[data-property="officeLocation"] .entra-how').innerText(), /Now\(\) · on creation only — Now: the time when Entra processes the record/);
  assert.match(await frame.locator('#entra-tree .entra-row[data-property="displayName"] .entra-how').innerText(), /Join\(" ", \[name\.givenName\], \[name\.familyName\]\) · always/);
  assert.match(await frame.locator('#entra-tree .entra-dropped').innerText(), new RegExp(`Dropped by Entra .*${BADGE.replace(/[.:]/g, '\\$&')}`));
  assert.match(await frame.locator('#entra-heading').innerText(), /Entra user/i);
  await v.screenshot('app-entra-column');

  // Record 2 holds markup: the column shows it as text.
  await frame.locator('#list [role="option"]').nth(1).click();
  await waitUntil('record 2 in the Entra column', () => row('surname').innerText(), (t) => t.includes('<img'), 30_000);
  assert.equal(await row('givenName').innerText(), '<b>Mal</b>');
  assert.equal(await frame.locator('#entra-tree img, #entra-tree b').count(), 0, 'markup rendered as HTML');
  assert.deepEqual(dialogs, []);
}));

test('"Entra ignores it" in Problems; the quick fix pushes the attribute to the app and the warning goes away', { skip }, () => step('app-quick-fix', async (v) => {
  const s = standIn!;
  await v.runCommand('SCIM Mapper: Set Client Secret for Upload Profile…');
  // With a single profile the command asks for the secret at once; otherwise it asks which profile first.
  const password = v.page.locator('.quick-input-widget input[type="password"]');
  const profileRow = v.page.locator(QUICK_ROW, { hasText: PROFILE }).first();
  await password.or(profileRow).first().waitFor();
  if (!(await password.isVisible())) await quickPick(v, PROFILE, PROFILE);
  await password.waitFor();
  await inputBox(v, `Client secret for '${PROFILE}'`, SECRET);
  await toast(v, `Client secret for '${PROFILE}' stored`);

  await showMapping(v);
  await openProblems(v.page);
  const flagged = await waitUntil('the Entra-ignores-it warning', () => problems(v.page), (rows) => rows.some((r) => r.includes('Entra ignores it') && r.includes(BADGE)), 60_000);
  assert.ok(flagged.some((r) => /^Warning: Entra ignores it/.test(r)), flagged.join('\n'));

  await v.goTo(19, 5);
  await v.page.keyboard.press('Control+.');
  const action = v.page.locator('.action-widget .monaco-list-row', { hasText: 'Add to the provisioning app…' }).first();
  await action.waitFor({ timeout: 20_000 });
  await v.screenshot('app-quick-fix-menu');
  // The menu takes the keyboard (a pointer block covers it): move to our action and accept it.
  await waitUntil('the quick fix focused', async () => {
    const t = await v.page.locator('.action-widget .monaco-list-row.focused').first().innerText().catch(() => '');
    if (!t.includes('Add to the provisioning app')) await v.page.keyboard.press('ArrowDown');
    return t;
  }, (t) => t.includes('Add to the provisioning app'), 10_000, 300);
  await v.page.keyboard.press('Enter');
  await quickPick(v, PROFILE, PROFILE);
  await inputBox(v, `Add ${BADGE} to the provisioning app`, 'employeeType');
  const dialog = v.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 30_000 });
  const text = await dialog.innerText();
  assert.match(text, new RegExp(`\\+ attribute ${BADGE.replace(/[.:]/g, '\\$&')} \\(String\\)`));
  assert.match(text, /\+ mapping \[.*Badge\] → employeeType/);
  await v.screenshot('app-quick-fix-confirm');
  await dialog.locator('.monaco-button', { hasText: /^Add to the App$/ }).click();
  await toast(v, /Added .*Badge to the provisioning app/);
  assert.ok(appModel(s.appSchema()).attributes.has(BADGE.toLowerCase()), 'the stand-in has the attribute');
  await waitUntil('the warning to go away', () => problems(v.page), (rows) => !rows.some((r) => r.includes('Entra ignores it')), 60_000);
  await v.screenshot('app-quick-fix-done');
}));

test('an upload to a paused job warns that the records would be staged, not processed; cancelling sends nothing', { skip }, () => step('app-paused', async (v) => {
  const s = standIn!;
  s.setJobStatus('Paused');
  s.resetStats();
  await showMapping(v);
  await v.runCommand('SCIM Mapper: Send Test Upload…');
  await quickPick(v, PROFILE, PROFILE);
  await quickPick(v, 'All 2', 'All 2 records');
  const dialog = v.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60_000 });
  await dialog.locator('.monaco-button', { hasText: /^Send$/ }).click();
  const warning = v.page.locator('.monaco-dialog-box', { hasText: 'paused' });
  await warning.waitFor({ timeout: 30_000 });
  assert.match(await warning.innerText(), /The provisioning job is paused: records will be staged but not processed until it is started/);
  await v.screenshot('app-paused-warning');
  await warning.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
  await warning.waitFor({ state: 'hidden' });
  assert.equal(s.stats.acceptedOperations, 0, 'nothing was sent');
}));
