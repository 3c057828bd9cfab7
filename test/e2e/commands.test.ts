// In a real VS Code: the palette commands. Export writes BulkRequests that the engine's own checks (the Entra
// stand-in's bulkUpload validation) accept; Validate All fills the Problems panel; New Mapping from Sample drafts
// a mapping that validates; Show Output shows the channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { skipE2E } from './harness';
import { E2E_WORKSPACE, useVSCode } from './fixtures';
import { answerFileDialog, openProblems, problems, runPaletteCommand, waitUntil } from './scimmap';
import { startStandIn } from '../../src/targets/entra/standin';
import { BULK_REQUEST_URN, CORE_USER_URN } from '../../src/engine/types';

const skip = skipE2E;
const { session } = useVSCode(() => ({ name: 'commands', workspace: E2E_WORKSPACE }));

const TOAST = '.notifications-toasts .notification-list-item-message';

function findMappings(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? findMappings(p) : name.endsWith('.scimmap.yaml') ? [p] : [];
  });
}

test('Export Bulk Requests writes BulkRequests that a bulkUpload endpoint accepts', { skip }, async () => {
  const v = session();
  await v.openFile('preview.scimmap.yaml');
  await runPaletteCommand(v.page, 'SCIM Mapper: Export Bulk Requests…');
  // First the format (one array, a folder with one document per request, or NDJSON): the array is the first row.
  await v.page.locator('.quick-input-list .monaco-list-row', { hasText: 'One JSON array' }).first().waitFor();
  await v.page.keyboard.press('Enter');
  // The save dialog proposes <mapping>.bulk.json next to the mapping.
  await answerFileDialog(v, undefined, /preview\.bulk\.json$/);
  const file = join(v.server.workspace, 'preview.bulk.json');
  await waitUntil('the export file', async () => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'), (x) => x);
  await v.page.locator(TOAST, { hasText: 'Exported 1 BulkRequest (3 users) to preview.bulk.json. 1 failing record left out.' }).waitFor();
  await v.screenshot('commands-export');

  const requests = JSON.parse(readFileSync(file, 'utf8')) as Array<{ schemas: string[]; Operations: Array<{ method: string; bulkId: string; path: string; data: Record<string, unknown> }> }>;
  assert.ok(Array.isArray(requests) && requests.length === 1);
  for (const r of requests) {
    assert.deepEqual(r.schemas, [BULK_REQUEST_URN]);
    assert.ok(r.Operations.length >= 1 && r.Operations.length <= 50);
    for (const op of r.Operations) {
      assert.equal(op.method, 'POST');
      assert.equal(op.path, '/Users');
      assert.equal(op.bulkId, op.data.externalId, 'bulkId = externalId');
      assert.ok((op.data.schemas as string[]).includes(CORE_USER_URN));
    }
  }
  assert.deepEqual(requests.flatMap((r) => r.Operations.map((o) => o.bulkId)), ['E1001', 'E1002', 'E1004']);

  // The engine's own bulkUpload validation (the local Entra stand-in) accepts each request as it is.
  const standIn = await startStandIn({ verifiedDomains: ['contoso.com'] });
  try {
    const token = standIn.issueToken();
    for (const r of requests) {
      const res = await fetch(standIn.endpointUrl(), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify(r),
      });
      assert.equal(res.status, 202, await res.text());
    }
    assert.equal(standIn.stats.acceptedOperations, 3);
  } finally {
    await standIn.close();
  }
});

test('Validate All Mappings opens every mapping and reports the totals; Problems lists their diagnostics', { skip }, async () => {
  const v = session();
  const count = findMappings(v.server.workspace).length;
  await runPaletteCommand(v.page, 'SCIM Mapper: Validate All Mappings in the Workspace');
  const toast = v.page.locator(TOAST, { hasText: `Validated ${count} mappings:` }).first();
  await toast.waitFor({ timeout: 60_000 });
  assert.match(await toast.innerText(), /Validated \d+ mappings: [1-9]\d* errors?, \d+ warnings?/);
  await openProblems(v.page);
  // seeded.scimmap.yaml was never opened in an editor, yet its error is listed.
  const rows = await waitUntil('the seeded error in Problems', () => problems(v.page), (r) => r.some((x) => x.includes('givenNam')));
  assert.ok(rows.some((x) => x.startsWith('Error:') && x.includes('"name" has no sub-attribute "givenNam"')));
  await v.screenshot('commands-validate-all');
});

test('New Mapping from Sample drafts a mapping next to the sample that validates without errors', { skip }, async () => {
  const v = session();
  const sample = join(v.server.workspace, 'new-hires.csv');
  await runPaletteCommand(v.page, 'SCIM Mapper: New Mapping from Sample…');
  await answerFileDialog(v, sample, /.+/);
  await v.page.locator('.tab.active[data-resource-name="new-hires.scimmap.yaml"]').first().waitFor({ timeout: 30_000 });
  const text = readFileSync(join(v.server.workspace, 'new-hires.scimmap.yaml'), 'utf8');
  for (const line of ['  externalId: employeeId', '  userName: email', '  active: status = "Active"', '  name.givenName: givenName',
    '  name.familyName: surname', '  title: jobTitle', '  emails[type eq "work"].value: email',
    '  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department: department',
    '  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value: manager']) {
    assert.ok(text.split('\n').includes(line), `missing "${line}" in\n${text}`);
  }
  // Validated on its sample: the status bar reports no errors and 3 records.
  const label = await waitUntil('the new mapping to be validated', async () => (await v.page.locator('.statusbar-item [aria-label^="SCIM Mapper:"]').first().getAttribute('aria-label')) ?? '', (l) => /of 3 failing/.test(l));
  assert.equal(label, 'SCIM Mapper: 0 errors, 0 warnings, 0 sample records of 3 failing');
  await v.screenshot('commands-new-mapping');
});

test('Show Output shows the SCIM Mapper channel', { skip }, async () => {
  const v = session();
  await runPaletteCommand(v.page, 'SCIM Mapper: Show Output');
  await v.page.locator('.panel .output-view, .panel [id="workbench.panel.output"]').first().waitFor();
  // The log channel has the language server's start-up and our command's lines.
  await waitUntil('the channel text', () => v.page.locator('.panel .output-view .view-lines').first().innerText(), (t) => /drafted\s[\s\S]*new-hires\.scimmap\.yaml/.test(t));
  await v.screenshot('commands-show-output');
});
