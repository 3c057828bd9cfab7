// In a real VS Code: the preview shows record 1's SCIM payload, follows edits to the mapping and the chosen record,
// renders HR markup as text with no script running, and the status bar shows the mapping's health.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleMessage, Dialog } from 'playwright-core';
import { skipE2E, type VSCode } from './harness';
import { E2E_WORKSPACE, useVSCode } from './fixtures';
import { paneText, preview, replaceToLineEnd, runPaletteCommand, statusLabel, waitUntil } from './scimmap';

const skip = skipE2E;
const consoleLines: string[] = [];
const dialogs: string[] = [];

const { session } = useVSCode(() => ({ name: 'preview', workspace: E2E_WORKSPACE }), {
  afterLaunch: async (v) => {
    // Anything the hostile record could make run would show up here (console.log, alert), from any frame.
    await v.page.keyboard.press('Control+B'); // hide the side bar: more room for the preview in screenshots
    v.page.on('console', (m: ConsoleMessage) => consoleLines.push(m.text()));
    v.page.on('dialog', (d: Dialog) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
  },
});

/** Waits until the payload pane shows record `n` (1-based) and contains `text`. */
async function waitForPayload(v: VSCode, n: number, text: string, timeoutMs = 30_000): Promise<string> {
  const frame = preview(v.page);
  return waitUntil(
    `record ${n}'s payload to contain ${JSON.stringify(text)}`,
    async () => {
      const index = await frame.locator('#scim-tree').getAttribute('data-index', { timeout: 2_000 });
      return index === String(n - 1) ? paneText(frame, 'scim') : '';
    },
    (t) => t.includes(text),
    timeoutMs,
  );
}

test('the preview shows the SCIM payload of record 1 beside the mapping', { skip }, async () => {
  const v = session();
  await v.openFile('preview.scimmap.yaml');
  await runPaletteCommand(v.page, 'SCIM Mapper: Open Preview to the Side');
  await v.page.locator('.tab', { hasText: 'Preview preview.scimmap.yaml' }).waitFor();
  const scim = await waitForPayload(v, 1, '"userName": "ada.lovelace@contoso.com"');
  assert.match(scim, /"externalId": "E1001"/);
  assert.match(scim, /"displayName": "Ada Lovelace"/);
  assert.match(scim, /"urn:ietf:params:scim:schemas:extension:contoso:1.0:User": \{\s*"Grade": 7/);
  const frame = preview(v.page);
  assert.match(await paneText(frame, 'hr'), /"FirstName": "Ada"/);
  // Summary: 4 records, 3 ok, 1 failing (Grade "n/a" on record 3).
  const summary = await frame.locator('#summary').innerText();
  assert.match(summary, /4 records/);
  assert.match(summary, /3 ok/);
  assert.match(summary, /1 failing/);
  assert.equal(await frame.locator('#list [role="option"]').count(), 4);
  // The editor keeps focus: the preview opened beside it.
  await v.page.locator('.tab.active', { hasText: 'preview.scimmap.yaml' }).first().waitFor();
  await v.screenshot('preview-record-1');
});

test('an edit to the mapping shows up in the preview', { skip }, async () => {
  const v = session();
  await v.openFile('preview.scimmap.yaml');
  // Line 18: "  title: Title" → "  title: $uppercase(Title)"
  await replaceToLineEnd(v, 18, 10, '$uppercase(Title)');
  await waitForPayload(v, 1, '"title": "ENGINEER"');
  await v.screenshot('preview-after-edit');
});

test('choosing another record in the list switches the payload; errors show at their attribute', { skip }, async () => {
  const v = session();
  const frame = preview(v.page);
  await frame.locator('#record-3').click();
  const scim = await waitForPayload(v, 3, 'Grace');
  assert.match(scim, /"externalId": "E1003"/);
  // Grade failed: the payload has no Grade, and the error sits where the attribute would be.
  const error = frame.locator('#scim-tree .error-line[data-attribute="urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Grade"]');
  await error.waitFor();
  assert.match(await error.innerText(), /expression-error: Unable to cast value to a number: "n\/a"/);
  assert.match(await frame.locator('#record-3').getAttribute('class') ?? '', /is-error/);
  await v.screenshot('preview-record-3-error');

  // Keyboard: the list is a listbox; ArrowDown selects the next record.
  await frame.locator('#list').focus();
  await v.page.keyboard.press('ArrowDown');
  await waitForPayload(v, 4, '"externalId": "E1004"');
  // Search by name narrows the list.
  await frame.locator('#search').fill('lovelace');
  await waitUntil('the search to leave one record', () => frame.locator('#list [role="option"]').count(), (n) => n === 1);
  await frame.locator('#search').fill('');
});

test('Select Sample Record picks a record by key and the preview follows', { skip }, async () => {
  const v = session();
  await v.page.keyboard.press('Control+1'); // the preview had focus: open the mapping in its own group, not over it
  await v.openFile('preview.scimmap.yaml');
  await runPaletteCommand(v.page, 'SCIM Mapper: Select Sample Record');
  const input = v.page.locator('.quick-input-widget input');
  await input.waitFor();
  await waitUntil('the record items', () => v.page.locator('.quick-input-list .monaco-list-row').count(), (n) => n >= 4);
  await input.fill('E1002');
  await v.page.locator('.quick-input-list .monaco-list-row', { hasText: 'E1002' }).first().waitFor();
  await v.page.keyboard.press('Enter');
  await waitForPayload(v, 2, '"externalId": "E1002"');
});

test('HR values with markup and script are shown as text and nothing runs', { skip }, async () => {
  const v = session();
  const frame = preview(v.page);
  const scim = await waitForPayload(v, 2, 'onerror');
  assert.ok(scim.includes('"givenName": "<img src=x onerror=alert(1)>"'), scim);
  assert.ok(scim.includes(`"familyName": "<script>console.log('XSS-RAN')</script>"`), scim);
  assert.ok(scim.includes('"title": "<B>BOLD</B> & <I>ITALIC</I>"'), scim);
  const hr = await paneText(frame, 'hr');
  assert.ok(hr.includes('"FirstName": "<img src=x onerror=alert(1)>"'), hr);
  // The record list shows the label (displayName) as text too.
  assert.match(await frame.locator('#record-2').innerText(), /<img src=x onerror=alert\(1\)>/);
  // No element was created from the data, no dialog opened and no script logged.
  assert.equal(await frame.locator('body img, body b, body i, body script:not([src])').count(), 0);
  await v.screenshot('preview-hostile-record');
  assert.deepEqual(dialogs, []);
  assert.ok(!consoleLines.some((l) => l.includes('XSS-RAN')), consoleLines.join('\n'));

  // The webview document carries the strict policy: nonce scripts only, no inline or eval, nothing remote.
  const csp = (await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values] as const));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.match((directives.get('script-src') ?? []).join(' '), /^'nonce-[A-Za-z0-9]{16,}'$/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*(?!\.vscode-cdn\.net)/);
  // Styles: the nonce and webview.cspSource ('self' + the webview's own resource origin) for media/preview.css.
  const style = directives.get('style-src') ?? [];
  assert.ok(style.every((x) => x.startsWith("'nonce-") || x === "'self'" || /^https:\/\/\*\.vscode-cdn\.net$/.test(x)), csp);
  // Our two scripts, the preview and its Entra user column (VS Code adds its own webview bootstrap to <head>).
  const scripts = frame.locator('body script');
  assert.equal(await scripts.count(), 2);
  const sources = await scripts.evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('src') ?? ''));
  assert.match(sources[0]!, /media\/preview\.js/);
  assert.match(sources[1]!, /media\/preview-entra\.js/);
  for (let i = 0; i < 2; i++) {
    const script = scripts.nth(i);
    assert.ok(await script.getAttribute('nonce') !== null || (await script.evaluate((s) => (s as unknown as { nonce: string }).nonce)).length > 0);
  }
});

test('the Bulk tab lists the batches with their counts', { skip }, async () => {
  const v = session();
  const frame = preview(v.page);
  await frame.locator('#tab-bulk').click();
  await frame.locator('#bulk-rows tr').first().waitFor();
  const summary = await frame.locator('#bulk-summary').innerText();
  assert.match(summary, /1 BulkRequest with 3 operations \(at most 50 each\)\. 1 failing record left out\./);
  assert.deepEqual(await frame.locator('#bulk-rows tr').first().locator('td').allInnerTexts(), ['#1', '3', 'E1001', 'E1004']);
  await v.screenshot('preview-bulk');
  await frame.locator('#tab-record').click();
});

test('the status bar shows errors, warnings and failing sample records', { skip }, async () => {
  const v = session();
  await v.page.keyboard.press('Control+1'); // back to the mapping's editor group (the preview had focus)
  await v.openFile('preview.scimmap.yaml');
  const label = await waitUntil('the status item', () => statusLabel(v.page), (l) => /failing/.test(l));
  assert.equal(label, 'SCIM Mapper: 1 error, 0 warnings, 1 sample record of 4 failing');
  // Fix the failing record's expression: the counts follow.
  await replaceToLineEnd(v, 19, 66, '$number($replace(Grade, "n/a", "0"))');
  // Intermediate states while typing may pass through other counts: wait for the final one.
  await waitUntil('the status item to clear', () => statusLabel(v.page), (l) => l === 'SCIM Mapper: 0 errors, 0 warnings, 0 sample records of 4 failing');
  await v.screenshot('preview-status-bar');
});

test('the preview follows a change of the sample on disk', { skip }, async () => {
  const v = session();
  await v.page.keyboard.press('Control+1');
  await v.openFile('preview.scimmap.yaml');
  const frame = preview(v.page);
  await frame.locator('#record-1').click();
  await waitForPayload(v, 1, '"givenName": "Ada"');
  // An HR export replaced on disk (this run's copy of people.csv): no edit in the editor, the watcher refreshes.
  const csv = join(v.server.workspace, 'people.csv');
  writeFileSync(csv, readFileSync(csv, 'utf8').replace('E1001,Ada,', 'E1001,Augusta,'));
  await waitForPayload(v, 1, '"givenName": "Augusta"');
});

test('a record left out as a duplicate is shown as skipped, with its reason, never like an ok row', { skip }, async () => {
  const v = session();
  // Written into this run's copy of the workspace: E2001 appears twice; with duplicates: first the second is left out.
  writeFileSync(join(v.server.workspace, 'dupes.csv'), 'EmployeeID,FirstName,LastName,Email,Status\nE2001,Ada,Lovelace,ada@contoso.com,Active\nE2001,Ada,<b>Again</b>,ada2@contoso.com,Active\nE2003,Grace,Hopper,grace@contoso.com,Active\n');
  writeFileSync(join(v.server.workspace, 'dupes.scimmap.yaml'), [
    'scimmap: 1', 'source:', '  sample: dupes.csv', '  key: EmployeeID', '  duplicates: first', 'target: entra', 'mappings:', '  externalId: EmployeeID',
    '  userName: Email', '  active: Status = "Active"', '  displayName: FirstName & " " & LastName', '',
  ].join('\n'));
  await v.page.keyboard.press('Control+1');
  await v.openFile(join(v.server.workspace, 'dupes.scimmap.yaml'));
  await v.page.locator('.tab', { hasText: 'Preview dupes.scimmap.yaml' }).waitFor();
  const frame = preview(v.page);
  const summary = await waitUntil('the summary of dupes.scimmap.yaml', () => frame.locator('#summary').innerText(), (t) => /3 records/.test(t) && /1 skipped/.test(t), 60_000);
  assert.match(summary, /2 ok/);
  assert.match(summary, /0 failing/);
  const row = frame.locator('#record-2');
  assert.match((await row.getAttribute('class')) ?? '', /is-skipped/);
  assert.doesNotMatch((await row.getAttribute('class')) ?? '', /is-ok/);
  // The row's own label says why; the label of the record (markup in HR data) stays text.
  assert.equal(await row.locator('.skipped-label').innerText(), 'skipped: duplicate-skipped');
  assert.match(await row.innerText(), /Ada <b>Again<\/b>/);
  assert.equal(await frame.locator('#list b').count(), 0);
  assert.match((await row.locator('.status').getAttribute('title')) ?? '', /^skipped, not sent: externalId "E2001" was already sent with record 1/);
  // The chip filters the list to the skipped records; the selected one says why it is not sent.
  await frame.locator('#skipped-chip').click();
  await waitUntil('the skipped filter', () => frame.locator('#count').innerText(), (t) => t === '1 of 3 records');
  await row.click();
  const note = await waitUntil('the skipped note', () => frame.locator('#record-skipped').innerText({ timeout: 2_000 }).catch(() => ''), (t) => t.length > 0);
  assert.match(note, /Skipped, not sent: duplicate-skipped: externalId "E2001" was already sent with record 1; with source.duplicates: first this record is left out/);
  await v.screenshot('preview-skipped-record');
  await frame.locator('#skipped-chip').click();
  await waitUntil('every record listed again', () => frame.locator('#count').innerText(), (t) => t === '3 records');
  // The Bulk tab counts it among the records left out; the status bar does not call it ok.
  await frame.locator('#tab-bulk').click();
  assert.match(await frame.locator('#bulk-summary').innerText(), /1 BulkRequest with 2 operations \(at most 50 each\)\. 1 skipped record left out\./);
  await frame.locator('#tab-record').click();
  const label = await waitUntil('the status item of dupes.scimmap.yaml', () => statusLabel(v.page), (l) => /skipped/.test(l));
  assert.equal(label, 'SCIM Mapper: 0 errors, 1 warning, 0 sample records of 3 failing, 1 skipped (not sent)');
});

test('a 10,000-record sample stays fast: the list is virtualised and searchable', { skip }, async () => {
  const v = session();
  // Written into this run's copy of the workspace (never into the fixtures).
  const rows = ['EmployeeID,FirstName,LastName,Email,Status'];
  for (let i = 1; i <= 10_000; i++) rows.push(`B${String(i).padStart(5, '0')},First${i},Last${i},first${i}.last${i}@contoso.com,${i % 10 ? 'Active' : 'Left'}`);
  writeFileSync(join(v.server.workspace, 'big.csv'), `${rows.join('\n')}\n`);
  writeFileSync(join(v.server.workspace, 'big.scimmap.yaml'), [
    'scimmap: 1', 'source:', '  sample: big.csv', '  key: EmployeeID', 'target: entra', 'mappings:', '  externalId: EmployeeID',
    '  userName: Email', '  active: Status = "Active"', '  displayName: FirstName & " " & LastName', '',
  ].join('\n'));
  await v.page.keyboard.press('Control+1');
  const started = Date.now();
  await v.openFile(join(v.server.workspace, 'big.scimmap.yaml')); // absolute: Quick Open's file index has not seen it yet
  // The open preview follows the active mapping editor.
  await v.page.locator('.tab', { hasText: 'Preview big.scimmap.yaml' }).waitFor();
  const frame = preview(v.page);
  await waitUntil('10,000 records in the list', () => frame.locator('#count').innerText(), (t) => t === '10000 records', 60_000);
  const ms = Date.now() - started;
  // Only the rows in view exist in the DOM.
  const rendered = await frame.locator('#list [role="option"]').count();
  assert.ok(rendered > 5 && rendered < 100, `${rendered} rows rendered`);
  // Jumping to the end with the keyboard selects record 10,000.
  await frame.locator('#list').focus();
  await v.page.keyboard.press('End');
  await waitUntil('record 10,000 to be selected in the list', () => frame.locator('#record-10000').getAttribute('aria-selected', { timeout: 2_000 }), (x) => x === 'true');
  await waitForPayload(v, 10_000, '"externalId": "B10000"').catch(async (e) => {
    await v.screenshot('preview-10000-records-failure');
    throw e;
  });
  await frame.locator('#search').fill('last9999');
  await waitUntil('the search result', () => frame.locator('#count').innerText(), (t) => t === '1 of 10000 records');
  await v.screenshot('preview-10000-records');
  assert.ok(ms < 30_000, `first preview of 10,000 records took ${ms} ms`);
  console.log(`10,000-record preview shown in ${ms} ms`);
});
