// In a real VS Code, as a new user starts it: the Get Started walkthrough opens on the first activation, its
// preview step works on the bundled samples (no mapping open yet), and it does not open again after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, skipE2E } from './harness';
import { useVSCode } from './fixtures';
import { preview, runPaletteCommand, waitUntil } from './scimmap';

const skip = skipE2E;
const WALKTHROUGH = '.gettingStartedContainer';

// As `npm start` runs it: the samples, with the first-run walkthrough on (the other e2e tests switch it off).
const { session } = useVSCode(() => ({ name: 'walkthrough', workspace: join(repoRoot, 'samples'), settings: { 'scimmap.walkthrough.openOnFirstRun': true } }));

test('the walkthrough opens on the first start, and its preview step works on the samples', { skip }, async () => {
  const v = session();
  try {
    const page = v.page.locator(WALKTHROUGH);
    await page.locator('text=Get started with SCIM Mapper').first().waitFor({ timeout: 90_000 });
    await v.screenshot('walkthrough-first-start');
    // Step 2: "See the SCIM payload of each record" → Open Preview to the Side, with no mapping open yet.
    await page.locator('.getting-started-step', { hasText: 'See the SCIM payload of each record' }).first().click();
    const button = page.locator('.monaco-button', { hasText: 'Open Preview to the Side' }).first();
    await button.waitFor();
    await button.click();
    await v.screenshot('walkthrough-after-click');
    // Three sample mappings: the step asks which one.
    const row = v.page.locator('.quick-input-list .monaco-list-row', { hasText: 'workday/workday.scimmap.yaml' }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await v.page.locator('.tab', { hasText: 'Preview workday.scimmap.yaml' }).waitFor({ timeout: 60_000 });
    await waitUntil('the sample in the preview', () => preview(v.page).locator('#summary').innerText({ timeout: 2_000 }), (t) => /160 records/.test(t), 60_000);
    await v.screenshot('walkthrough-preview-step');
  } catch (e) {
    await v.screenshot('walkthrough-FAILED').catch(() => undefined);
    throw e;
  }
});

test('after a reload the walkthrough does not open again (once)', { skip }, async () => {
  const v = session();
  // Close the walkthrough's tab (it would be restored as an open editor); the preview stays, so the extension
  // activates again after the reload (onWebviewPanel) and would open the walkthrough if it did not remember.
  const tab = v.page.locator('.tab', { hasText: 'Walkthrough' }).first();
  await tab.click();
  await tab.locator('.tab-actions .action-label').first().click();
  await waitUntil('the walkthrough tab to close', () => v.page.locator('.tab', { hasText: 'Walkthrough' }).count(), (n) => n === 0);
  await runPaletteCommand(v.page, 'Developer: Reload Window');
  await v.page.locator('.tab', { hasText: 'workday.scimmap.yaml' }).first().waitFor({ timeout: 120_000 });
  await v.page.locator('.tab', { hasText: 'Preview workday.scimmap.yaml' }).waitFor({ timeout: 120_000 });
  // The extension is active again (its preview is back).
  await waitUntil('the preview content', () => preview(v.page).locator('#summary').innerText({ timeout: 2_000 }), (t) => /160 records/.test(t), 60_000).catch(async (e) => {
    await v.screenshot('walkthrough-reload-FAILED');
    throw e;
  });
  await v.screenshot('walkthrough-not-again');
  assert.equal(await v.page.locator('.tab', { hasText: /Walkthrough|Welcome/ }).count() + await v.page.locator(`${WALKTHROUGH}:visible`).count(), 0, 'the walkthrough opened again');
});
