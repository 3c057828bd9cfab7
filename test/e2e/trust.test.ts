// In a real VS Code with Workspace Trust ON: a repository opened in Restricted Mode gets static checks only (no
// sample checks), the upload and stand-in commands refuse with a message saying what trust enables, and granting
// trust turns the full features on without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, skipE2E, type VSCode } from './harness';
import { useVSCode } from './fixtures';
import { openProblems, preview, problems, runPaletteCommand, waitUntil } from './scimmap';

const skip = skipE2E;

const { step: withFailureShot } = useVSCode(() => ({
  name: 'trust',
  workspace: join(repoRoot, 'test/fixtures/trust-workspace'),
  workspaceTrust: true,
  settings: {
    // A valid user profile: without Restricted Mode, "Send Test Upload" would go on to the record choice.
    'scimmap.upload.profiles': [{ name: 'Trust test', endpoint: 'http://127.0.0.1:9/beta/servicePrincipals/sp/synchronization/jobs/j/bulkUpload', tenantId: 't', clientId: 'c' }],
    'scimmap.upload.defaultProfile': 'Trust test',
  },
}));

const toast = (v: VSCode, text: string | RegExp) => v.page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();

test('Restricted Mode: static diagnostics only, uploads and the stand-in refuse; trust turns sample checks on without a reload', { skip }, () => withFailureShot('trust', async (v) => {
  await v.openFile('restricted.scimmap.yaml');
  await openProblems(v.page);
  const restricted = await waitUntil(
    'the static diagnostic and the Restricted Mode note',
    () => problems(v.page),
    (r) => r.some((x) => x.includes('givenNam')) && r.some((x) => x.includes('Restricted Mode')),
    60_000,
  );
  assert.ok(!restricted.some((x) => x.includes('frstName')), `a sample-based diagnostic in Restricted Mode: ${restricted.join('\n')}`);
  await v.screenshot('trust-restricted-problems');

  await runPaletteCommand(v.page, 'SCIM Mapper: Send Test Upload…');
  await toast(v, 'Send Test Upload is not available in Restricted Mode').waitFor({ timeout: 30_000 });
  const text = await toast(v, 'Send Test Upload is not available in Restricted Mode').innerText();
  assert.match(text, /Trusting the workspace turns on sample checks, the preview, inline values, test uploads, the local stand-in and reading samples from HR systems/);
  assert.equal(await v.page.locator('.quick-input-widget .quick-input-title', { hasText: 'which records' }).count(), 0, 'the upload went on');
  await v.screenshot('trust-upload-refused');
  await runPaletteCommand(v.page, 'SCIM Mapper: Start Local Entra Stand-in');
  await toast(v, 'The local Entra stand-in is not available in Restricted Mode').waitFor({ timeout: 30_000 });
  // The preview reads the sample: it says why it is empty.
  await v.page.locator('.tab[data-resource-name="restricted.scimmap.yaml"]').first().click();
  await runPaletteCommand(v.page, 'SCIM Mapper: Open Preview to the Side');
  const body = () => preview(v.page).locator('body').innerText({ timeout: 5_000 });
  await waitUntil('the preview to explain Restricted Mode', body, (t) => t.includes('off in Restricted Mode'), 30_000);
  await v.screenshot('trust-preview-restricted');
  // Still restricted: the sample check has not crept in meanwhile.
  assert.ok(!(await problems(v.page)).some((x) => x.includes('frstName')));

  // Grant trust through the workbench's own editor, as a user would.
  await runPaletteCommand(v.page, 'Workspaces: Manage Workspace Trust');
  const trustButton = v.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
  await trustButton.waitFor({ timeout: 30_000 });
  await v.screenshot('trust-editor');
  await trustButton.click();
  await v.page.locator('.workspace-trust-editor', { hasText: 'You trust this folder' }).waitFor({ timeout: 30_000 });
  await openProblems(v.page);
  const trusted = await waitUntil(
    'the sample-based diagnostic after trust was granted',
    () => problems(v.page),
    (r) => r.some((x) => x.includes('frstName')) && !r.some((x) => x.includes('Restricted Mode')),
    60_000,
  );
  assert.ok(trusted.some((x) => x.includes('givenNam')));
  await v.screenshot('trust-granted-problems');
  // The preview fills in without a reload.
  await v.page.locator('.tab', { hasText: 'Preview restricted.scimmap.yaml' }).first().click();
  await waitUntil('the preview to show the sample after trust', body, (t) => t.includes('T001') && !t.includes('off in Restricted Mode'), 30_000);
}));
