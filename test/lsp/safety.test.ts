/** The record- and dataset-level safety checks over LSP (the real server over stdio): diagnostics and the preview model. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';
import type { PreviewData } from '../../src/service/protocol';
import { tempDir } from '../tempDirs';

const dir = tempDir('scimmap-lsp-safety-');
fs.writeFileSync(path.join(dir, 'people.csv'), 'id,upn,status\n1,ana@contoso.com,Active\n2,,Active\n3,cy@contoso.com,Inactive\n');
const mappingPath = path.join(dir, 'people.scimmap.yaml');
const uri = pathToFileURL(mappingPath).toString();
const text = (active: string, userName = 'upn') => `scimmap: 1\nsource:\n  sample: people.csv\n  key: id\ntarget: entra\nmappings:\n  externalId: id\n  userName: ${userName}\n  active: ${active}\n`;
fs.writeFileSync(mappingPath, text('status = "Active"'));

const client = new LspClient();
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a partly empty userName: record errors on its line, a summary, and the failing record in the preview', async () => {
  await client.initialize();
  await client.open(uri, text('status = "Active"'));
  const d = await client.waitFor(uri, (_, p) => p.version === 1);
  const lines = text('status = "Active"').split('\n');
  const missing = d.find((x) => x.code === 'missing-user-name')!;
  assert.ok(missing, JSON.stringify(d));
  assert.equal(missing.severity, 1);
  assert.equal(missing.range.start.line, lines.findIndex((l) => l.startsWith('  userName:')));
  assert.match(String(missing.message), /on 1 of 3 records \(first: record 2 \(2\)\)/);
  const summary = d.find((x) => x.code === 'records-fail')!;
  assert.equal(summary.message, '1 of 3 records fails: missing-user-name 1 (they would not be sent)');
  const preview = (await client.connection.sendRequest('scimmap/preview', { uri, recordIndex: 1 })) as PreviewData;
  assert.deepEqual(preview.records.map((r) => r.status), ['ok', 'error', 'ok']);
  assert.equal(preview.summary.failing, 1);
  assert.match(preview.selected!.attributeErrors.userName, /^missing-user-name: userName is empty/);
  // Batches hold only what would be sent.
  assert.deepEqual(preview.bulk.batches.map((b) => b.operations), [2]);
});

test('active in the wrong case: an error on the active line that says every account would be disabled', async () => {
  await client.change(uri, 2, text('status = "active"', '$string(id) & "@contoso.com"'));
  const d = await client.waitFor(uri, (_, p) => p.version === 2);
  const all = d.find((x) => x.code === 'all-inactive')!;
  assert.ok(all, JSON.stringify(d.map((x) => x.code)));
  assert.equal(all.severity, 1);
  assert.equal(all.range.start.line, 8);
  assert.match(String(all.message), /every account would be disabled/);
  assert.equal(d.some((x) => x.code === 'records-fail'), false);
});
