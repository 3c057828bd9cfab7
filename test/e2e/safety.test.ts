// In a real VS Code: the record- and dataset-level safety checks reach the Problems panel — the wrong-case
// `active` on the Workday sample (every account would be disabled) and a partly empty userName (record errors
// and the summary that counts them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, skipE2E } from './harness';
import { ownTempDir, useVSCode } from './fixtures';
import { openProblems, problems, waitUntil } from './scimmap';

const skip = skipE2E;
const workday = readFileSync(join(repoRoot, 'samples/workday/workday.scimmap.yaml'), 'utf8').replace('active: Employment.Status = "Active"', 'active: Employment.Status = "active"');
const activeLine = workday.split('\n').findIndex((l) => l.startsWith('  active:')) + 1;

const { session } = useVSCode((t) => {
  const workspace = ownTempDir(t, 'scimmap-e2e-safety-');
  copyFileSync(join(repoRoot, 'samples/workday/workers.json'), join(workspace, 'workers.json'));
  writeFileSync(join(workspace, 'workday-wrong-case.scimmap.yaml'), workday);
  writeFileSync(join(workspace, 'people.csv'), 'WorkerID,Login,Status\n1,ana@contoso.com,Active\n2,,Active\n3,cy@contoso.com,Active\n4,,Inactive\n');
  writeFileSync(join(workspace, 'partial.scimmap.yaml'), 'scimmap: 1\nsource:\n  sample: people.csv\n  key: WorkerID\ntarget: entra\nmappings:\n  externalId: WorkerID\n  userName: Login\n  active: Status = "Active"\n');
  return { name: 'safety', workspace };
});

test('the wrong-case active on the Workday sample is an error in Problems: every account would be disabled', { skip }, async () => {
  const v = session();
  await v.openFile('workday-wrong-case.scimmap.yaml');
  await openProblems(v.page);
  const rows = await waitUntil('the all-inactive diagnostic', () => problems(v.page), (r) => r.some((x) => x.includes('every account would be disabled')), 60_000);
  const row = rows.find((x) => x.includes('every account would be disabled'))!;
  assert.match(row, /^Error: active is false on every record \(\d+ of \d+\)/);
  assert.match(row, new RegExp(`at line ${activeLine} and character 11`));
  const text = await v.page.locator('.markers-panel .monaco-list-row', { hasText: 'every account would be disabled' }).first().innerText();
  assert.match(text, /all-inactive/);
  await v.screenshot('safety-all-inactive');
});

test('a partly empty userName: record errors on its line and the summary in Problems', { skip }, async () => {
  const v = session();
  await v.openFile('partial.scimmap.yaml');
  await openProblems(v.page);
  const rows = await waitUntil('the record errors', () => problems(v.page), (r) => r.some((x) => x.includes('userName is empty')) && r.some((x) => x.includes('records fail')), 60_000);
  const missing = rows.find((x) => x.includes('userName is empty'))!;
  assert.match(missing, /^Error: userName is empty.* on 2 of 4 records \(first: record 2 \(2\)\)/);
  assert.match(missing, /at line 8 and character 13/);
  const summary = rows.find((x) => x.includes('records fail'))!;
  assert.match(summary, /^Info: 2 of 4 records fail: missing-user-name 2 \(they would not be sent\)/);
  await v.screenshot('safety-partial-user-name');
});
