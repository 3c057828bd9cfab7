/** The preview model shows the engine's record checks: failing rows, each error at its attribute, skipped duplicates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateMapping } from '../../../src/engine/validate';
import { inferFields } from '../../../src/engine/readers';
import { buildPreview, failingRecords } from '../../../src/service/preview';

const records = [
  { id: '1', upn: 'ana@contoso.com', c: 'GB' },
  { id: '1', upn: 'ana2@contoso.com', c: 'GB' },
  { id: '3', upn: 'EMP3', c: 'UK' },
  { id: '4', upn: 'bo@contoso.com', c: 'UK' },
];

async function validated(extra = '') {
  const text = `scimmap: 1\nsource:\n  sample: s.json\n  key: id\ntarget: entra\n${extra}mappings:\n  externalId: id\n  userName: upn\n  active: true\n  addresses[type eq "work"].country: c\n`;
  return validateMapping(text, {
    filePath: '/virtual/m.scimmap.yaml', host: { readText: () => undefined, exists: () => true },
    getSample: async (path) => ({ path, version: '1', records, keys: records.map((r) => r.id), truncated: false, warnings: [], fields: inferFields(records.map((value, index) => ({ index, value }))) }),
  });
}

test('failing rows, errors per attribute (also those only the whole sample shows), warnings kept apart', async () => {
  const v = await validated();
  assert.deepEqual([...failingRecords(v)].sort(), [1, 2]);
  const p = await buildPreview(v, 'file:///virtual/m.scimmap.yaml', 1);
  assert.deepEqual(p.records.map((r) => r.status), ['ok', 'error', 'error', 'ok']);
  assert.deepEqual([p.summary.ok, p.summary.failing], [2, 2]);
  assert.match(p.selected!.attributeErrors.externalId, /^duplicate-external-id: externalId "1" is also the externalId of record 1/);
  const third = await buildPreview(v, 'file:///virtual/m.scimmap.yaml', 2);
  assert.match(third.selected!.attributeErrors.userName, /^user-name-format: /);
  assert.deepEqual(third.selected!.warnings.map((w) => w.code), ['country-code']);
  assert.deepEqual(p.bulk.batches.map((b) => [b.operations, b.first, b.last]), [[2, '1', '4']]);
});

test('source.duplicates: first — the later record is skipped, not failing', async () => {
  const text = await validateMapping(`scimmap: 1\nsource:\n  sample: s.json\n  key: id\n  duplicates: first\ntarget: entra\nmappings:\n  externalId: id\n  userName: upn\n  active: true\n`, {
    filePath: '/virtual/m.scimmap.yaml', host: { readText: () => undefined, exists: () => true },
    getSample: async (path) => ({ path, version: '1', records, keys: records.map((r) => r.id), truncated: false, warnings: [], fields: inferFields(records.map((value, index) => ({ index, value }))) }),
  });
  const p = await buildPreview(text, 'file:///virtual/m.scimmap.yaml', 1);
  assert.deepEqual(p.records.map((r) => r.status), ['ok', 'skipped', 'error', 'ok']);
  assert.match(p.selected!.skipped!.message, /source\.duplicates: first this record is left out/);
  // Its own count and its reason on the row (the webview's chip, filter and label), never counted as ok or sent.
  assert.deepEqual([p.summary.ok, p.summary.failing, p.summary.skipped], [2, 1, 1]);
  assert.deepEqual(p.records[1].skipped, { code: 'duplicate-skipped', message: 'externalId "1" was already sent with record 1; with source.duplicates: first this record is left out' });
  assert.equal(p.records[1].bulkId, undefined);
  assert.equal(p.records[0].skipped, undefined);
  assert.deepEqual(p.bulk.batches.map((b) => b.operations), [2]);
  const dup = text.diagnostics.find((d) => d.code === 'sample-duplicate')!;
  assert.equal(dup.severity, 'warning');
});
