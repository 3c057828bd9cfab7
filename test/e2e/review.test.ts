// In a real VS Code: mapping tests in the Testing view (one passing case, one failing with its diff), Create Test from
// Record, and Compare Preview with HEAD (a git repository whose mapping changed since the last commit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot, skipE2E, type VSCode } from './harness';
import { ownTempDir, useVSCode } from './fixtures';
import { openProblems, problems, runPaletteCommand, waitUntil } from './scimmap';

const skip = skipE2E;
const { session } = useVSCode((t) => {
  // The Workday sample, committed; then one case's expectation is edited so it fails, and the mapping's title
  // mapping changes after the commit (what Compare Preview with HEAD shows).
  const source = ownTempDir(t, 'scimmap-e2e-review-');
  const ws = join(source, 'review');
  cpSync(join(repoRoot, 'samples/workday'), ws, { recursive: true });
  const git = (...a: string[]) => execFileSync('git', a, { cwd: ws, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: source } });
  git('init', '-q', '.');
  git('add', '-A');
  git('-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '-qm', 'base');
  const testFile = join(ws, 'workday.scimmap.test.yaml');
  writeFileSync(testFile, readFileSync(testFile, 'utf8').replace('title: HR Business Partner', 'title: HR Partner'));
  const mapping = join(ws, 'workday.scimmap.yaml');
  writeFileSync(mapping, readFileSync(mapping, 'utf8').replace(/^ {2}nickName: .*$/m, '').replace(/^( {2}title: )(.*)$/m, '$1$uppercase($2)'));
  cpSync(join(repoRoot, 'test/fixtures/csv2scim/AttributeMapping.psd1'), join(ws, 'csv2scim/AttributeMapping.psd1'), { recursive: true });
  cpSync(join(repoRoot, 'test/fixtures/csv2scim/csv-with-2-records.csv'), join(ws, 'csv2scim/hr.csv'));
  return { name: 'review', workspace: ws };
});

/** The Testing view's rows: their accessible labels carry the name and the result. */
async function testRows(v: VSCode): Promise<string[]> {
  return v.page.$$eval('.test-explorer .monaco-list-row', (rows) => rows.map((r) => `${r.getAttribute('aria-label') ?? ''} | ${(r as unknown as { innerText: string }).innerText}`));
}

test('the Testing view lists the cases of a test file, runs them, and shows a failing case with its diff', { skip }, async () => {
  const v = session();
  await runPaletteCommand(v.page, 'Testing: Focus on Test Explorer View');
  await v.page.locator('.test-explorer').waitFor();
  // Expand everything so the cases show.
  await waitUntil('the test file in the Testing view', () => testRows(v), (rows) => rows.some((r) => r.includes('workday.scimmap.test.yaml')), 60_000);
  await runPaletteCommand(v.page, 'Test: Run All Tests');
  const rows = await waitUntil('results for every case', async () => {
    await v.page.locator('.test-explorer .monaco-list-row .monaco-tl-twistie.collapsed').first().click({ timeout: 1000 }).catch(() => undefined);
    return testRows(v);
  }, (r) => r.some((x) => /record 100065/.test(x) && /Failed/i.test(x)) && r.some((x) => /Mei Horváth/.test(x) && /(Passed|Failed)/i.test(x)), 90_000, 500);
  await v.screenshot('review-testing-view');
  const mei = rows.find((x) => /Mei Horváth/.test(x))!;
  const next = rows.find((x) => /record 100065/.test(x))!;
  const inline = rows.find((x) => /a worker without an ID/.test(x))!;
  // The uppercased title fails both record cases; the inline case still passes.
  assert.match(mei, /Failed/i, mei);
  assert.match(next, /Failed/i, next);
  assert.match(inline, /Passed/i, inline);

  // The failure message says what differs, at the case's line (the peek opens in the test file).
  await v.page.locator('.test-explorer .monaco-list-row', { hasText: 'record 100065' }).first().dblclick();
  const peek = v.page.locator('.test-output-peek, .peekview-widget').first();
  await peek.waitFor({ timeout: 30_000 });
  await waitUntil('the diff message', () => peek.innerText(), (t) => /title: expected "HR Partner", got "HR BUSINESS PARTNER"/.test(t), 30_000);
  await v.screenshot('review-failure-peek');
  await v.page.keyboard.press('Escape');
});

test('Create Test from Record appends the previewed record as a case, and it passes', { skip }, async () => {
  const v = session();
  await v.openFile('workday.scimmap.yaml');
  await runPaletteCommand(v.page, 'SCIM Mapper: Create Test from Record');
  await v.page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Added the case' }).first().waitFor({ timeout: 30_000 });
  const file = join(v.server.workspace, 'workday.scimmap.test.yaml');
  const doc = await waitUntil('the new case on disk', async () => parseYaml(readFileSync(file, 'utf8')), (d) => d.cases.length === 4);
  assert.equal(doc.cases[3].record, '100048');
  assert.equal(doc.cases[3].expect.title, 'IDENTITY ENGINEER');
  await v.screenshot('review-create-test');
});

test('Compare Preview with HEAD shows how many records each changed attribute affects', { skip }, async () => {
  const v = session();
  // The mapping's tab is open from the test before (Quick Open would rank the just-edited test file first).
  await v.page.locator('.tab[data-resource-name="workday.scimmap.yaml"]').first().click();
  await v.page.locator('.tab.active[data-resource-name="workday.scimmap.yaml"]').waitFor();
  await runPaletteCommand(v.page, 'SCIM Mapper: Compare Preview with…');
  const row = v.page.locator('.quick-input-list .monaco-list-row', { hasText: 'HEAD' }).first();
  await row.waitFor();
  await v.page.keyboard.press('Enter');
  const frame = v.webview();
  const title = frame.locator('#attributes tr[data-path="title"]');
  await title.waitFor({ timeout: 60_000 });
  const cells = await title.locator('td').allInnerTexts();
  assert.equal(cells[0], 'title');
  const count = Number(cells[1]);
  assert.ok(count > 100 && count <= 160, `title changes on ${count} records`);
  assert.match(cells[2], /record 1 \(100048\): "Identity Engineer" → "IDENTITY ENGINEER"/);
  const nick = frame.locator('#attributes tr[data-path="nickName"]');
  assert.equal(await nick.count(), (await frame.locator('#attributes tbody').innerText()).includes('nickName') ? 1 : 0);
  assert.match(await frame.locator('#summary').innerText(), /160 records/);
  assert.match(await frame.locator('#after').innerText(), /IDENTITY ENGINEER/);
  await v.screenshot('review-compare-head');
});

test('Import CSV2SCIM Mapping turns Microsoft\'s AttributeMapping.psd1 into a mapping that opens and validates', { skip }, async () => {
  const v = session();
  await runPaletteCommand(v.page, 'SCIM Mapper: Import CSV2SCIM Mapping…');
  // Each dialog starts in its own folder: the workspace, then the .psd1's folder.
  // Two file dialogs in a row (the same quick input widget): the .psd1, then the CSV, each picked from its list.
  const first = v.page.locator('.quick-input-widget', { hasText: 'choose an AttributeMapping.psd1' });
  await first.waitFor({ timeout: 45_000 });
  const folder = join(v.server.workspace, 'csv2scim') + '/';
  await waitUntil('the csv2scim folder in the first dialog', async () => {
    const input = first.locator('input');
    if ((await input.inputValue()) !== folder) await input.fill(folder);
    return first.locator('.quick-input-list .monaco-list-row', { hasText: 'AttributeMapping.psd1' }).count();
  }, (n) => n > 0, 45_000, 300);
  await first.locator('.quick-input-list .monaco-list-row', { hasText: 'AttributeMapping.psd1' }).first().click();
  await waitUntil('the .psd1 chosen', () => first.locator('input').inputValue(), (x) => x.endsWith('/AttributeMapping.psd1'), 45_000);
  // Clicking a file may accept the dialog at once; otherwise its button does.
  await first.locator('.monaco-button', { hasText: 'Import' }).click({ timeout: 2_000 }).catch(() => undefined);
  const dialog = v.page.locator('.quick-input-widget', { hasText: 'The CSV it is used with' });
  await dialog.waitFor({ timeout: 45_000 });
  await waitUntil('hr.csv chosen', async () => {
    await dialog.locator('.quick-input-list .monaco-list-row', { hasText: 'hr.csv' }).first().click({ timeout: 2_000 });
    return dialog.locator('input').inputValue();
  }, (x) => x.endsWith('/hr.csv'), 45_000, 300);
  await dialog.locator('.monaco-button', { hasText: 'Use this CSV' }).click({ timeout: 2_000 }).catch(() => undefined);
  await v.page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Imported AttributeMapping.psd1 as AttributeMapping.scimmap.yaml: 20 mappings.' }).first().waitFor({ timeout: 30_000 });
  await v.page.locator('.tab.active[data-resource-name="AttributeMapping.scimmap.yaml"]').waitFor();
  const written = parseYaml(readFileSync(join(v.server.workspace, 'csv2scim/AttributeMapping.scimmap.yaml'), 'utf8'));
  assert.equal(written.source.sample, 'hr.csv');
  assert.equal(written.mappings.active, '$lowercase(WorkerStatus) = "active"');
  // The language server checks it against the CSV: no unknown field, no syntax error.
  await openProblems(v.page);
  // The sample's 2 records repeat no ID: the diagnostics that come are about values, never about fields or syntax.
  const rows = await waitUntil('the status bar to count the imported mapping\'s records', () => v.page.locator('.statusbar-item', { hasText: 'SCIM' }).first().innerText(), (t) => /2 ok|failing|2 records/.test(t), 30_000).then(() => problems(v.page));
  assert.ok(!rows.some((x) => /unknown field|unknown-field|expression-syntax|is not a field/i.test(x)), rows.join('\n'));
  await v.screenshot('review-import-csv2scim');
});
