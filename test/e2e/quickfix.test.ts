// In a real VS Code: the boolean quick fix on "True"/"False" text, applied from the Quick Fix menu (Ctrl+.), maps
// "False" to false — checked in the editor text, in Problems and in the inline value of the selected record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipE2E } from './harness';
import { E2E_WORKSPACE, useVSCode } from './fixtures';
import { openProblems, problems, waitUntil } from './scimmap';

const skip = skipE2E;
const { session } = useVSCode(() => ({ name: 'quickfix', workspace: E2E_WORKSPACE }));

const MAPPING_LINE = 15; // urn:…:IsManager: IsManager
const ACTION_ROW = '.action-widget .monaco-list-row';

test('the boolean quick fix maps the sample\'s True/False (never $boolean), and "False" becomes false', { skip }, async () => {
  const v = session();
  const page = v.page;
  await v.openFile('booleans.scimmap.yaml');
  await openProblems(page);
  await waitUntil('the sample-type error on IsManager', () => problems(page), (r) => r.some((x) => /expected a boolean but the value is the string "False"/.test(x)), 60_000);
  // Before the fix, record 1's inline value is the error.
  const line = page.locator('.editor-instance .view-lines .view-line', { hasText: 'IsManager: IsManager' }).first();
  await waitUntil('the inline error on the mapping line', () => line.innerText(), (t) => /⚠/.test(t), 30_000);

  await v.goTo(MAPPING_LINE, 72); // inside the expression "IsManager"
  const titles = await waitUntil(
    'the quick fix menu',
    async () => {
      if (!(await page.locator(ACTION_ROW).first().isVisible())) await page.keyboard.press('Control+.');
      await page.locator(ACTION_ROW).first().waitFor({ timeout: 5_000 });
      return page.$$eval(ACTION_ROW, (rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
    },
    (t) => t.some((x) => x.includes("Map the sample's values")),
    45_000,
  );
  assert.ok(!titles.some((t) => t.includes('$boolean')), titles.join(' | '));
  const title = titles.find((t) => t.includes("Map the sample's values"))!;
  assert.match(title, /"False" → false/);
  assert.match(title, /"True" → true/);
  await v.screenshot('quickfix-boolean-menu');
  // Keyboard, as a user would (the menu's pointer block swallows synthetic clicks): focus our row, then Enter.
  await waitUntil(
    'our fix focused in the menu',
    async () => {
      const focused = (await page.locator(`${ACTION_ROW}.focused`).first().getAttribute('aria-label')) ?? '';
      if (!focused.includes("Map the sample's values")) await page.keyboard.press('ArrowDown');
      return focused;
    },
    (t) => t.includes("Map the sample's values"),
    10_000,
  );
  await page.keyboard.press('Enter');

  // The expression in the editor is the mapping of the sample's words.
  const fixed = page.locator('.editor-instance .view-lines .view-line', { hasText: '$lowercase($trim($string(IsManager)))' }).first();
  await fixed.waitFor({ timeout: 20_000 });
  const text = (await fixed.innerText()).replace(/\u00a0/g, ' ');
  assert.match(text, /\$v in \["false"\] \? false/);
  assert.match(text, /\$v in \["true"\] \? true/);

  // The error clears, and record 1 ("False") now shows the value false inline.
  await waitUntil('the sample-type error to clear', () => problems(page), (r) => !r.some((x) => /expected a boolean/.test(x)), 45_000);
  const inline = await waitUntil('the inline value false', async () => (await fixed.innerText()).replace(/\u00a0/g, ' '), (t) => /→ false/.test(t), 30_000);
  assert.doesNotMatch(inline, /→ true/);
  await v.screenshot('quickfix-boolean-applied');
});
