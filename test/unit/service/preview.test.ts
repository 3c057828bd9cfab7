// The preview model: record errors come from the engine's record pipeline (so a duplicate externalId shows its
// error, not just a ✗), the search text folds case and diacritics, and record-level diagnostics offer the jump to
// the records they count.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateMapping } from '../../../src/engine/validate';
import { inferFields } from '../../../src/engine/readers';
import { positionSource, toLspDiagnostic } from '../../../src/engine/positions';
import type { FileHost } from '../../../src/engine/analysis/host';
import { buildPreview } from '../../../src/service/preview';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldText, runSample, searchText } from '../../../src/service/previewRecords';
import { recordCodeActions, SHOW_FAILING_RECORDS } from '../../../src/service/features/recordActions';
import { featureContext, FILE } from './validate';

const host: FileHost = { readText: () => undefined, exists: () => true };
const TEXT = `scimmap: 1
source:
  sample: people.json
  key: Id
target: entra
extensions:
  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:
    Grade: integer
mappings:
  externalId: Id
  userName: Mail
  active: 'true'
  displayName: Name
  title: Title
  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Grade: $number(Grade)
`;
const RECORDS = [
  { Id: 'A1', Mail: 'sean@contoso.com', Name: 'Seán Ó Briain', Title: 'Ingénieur', Grade: '3' },
  { Id: 'A1', Mail: 'bo@contoso.com', Name: 'Bo', Title: 'Clerk', Grade: '4' },
  { Id: 'A3', Mail: 'cy@contoso.com', Name: 'Cy', Title: 'Clerk', Grade: 'n/a' },
  { Id: 'A4', Mail: 'di@contoso.com', Name: 'Di', Title: 'Clerk', Grade: '6' },
];

async function validation(text = TEXT, records: Record<string, unknown>[] = RECORDS) {
  return validateMapping(text, {
    filePath: FILE, host,
    getSample: async (path) => ({
      path, version: '1', records, keys: records.map((r) => String(r.Id)), truncated: false, warnings: [],
      fields: inferFields(records.map((value, index) => ({ index, value }))),
    }),
  });
}

describe('preview model', () => {
  it('a record that fails shows each of its errors, a duplicate externalId included', async () => {
    const v = await validation();
    const p = await buildPreview(v, 'file:///m', 1, TEXT);
    assert.deepEqual(p.records.map((r) => r.status), ['ok', 'error', 'error', 'ok']);
    assert.equal(p.summary.failing, 2);
    assert.deepEqual(p.selected?.errors.map((e) => [e.attribute, e.code]), [['externalId', 'duplicate-external-id']]);
    assert.match(p.selected!.errors[0].message, /record 1/);
    const third = await buildPreview(v, 'file:///m', 2, TEXT);
    assert.deepEqual(third.selected?.errors.map((e) => e.attribute), ['urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Grade']);
    assert.deepEqual(third.records[2].errors, [{ code: third.selected!.errors[0].code, attribute: 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Grade' }]);
    assert.deepEqual(p.summary.codes, { 'duplicate-external-id': 1, [third.selected!.errors[0].code]: 1 });
  });

  it('failing records are left out of the bulk batches, and passing rows carry the bulkId an upload uses', async () => {
    const p = await buildPreview(await validation(), 'file:///m', 0, TEXT);
    assert.deepEqual(p.records.map((r) => r.bulkId), ['A1', undefined, undefined, 'A4']);
    assert.deepEqual(p.bulk.batches, [{ index: 0, operations: 2, first: 'A1', last: 'A4' }]);
  });

  it('the search text holds every HR and payload value, folded ("sean" finds "Seán")', async () => {
    const p = await buildPreview(await validation(), 'file:///m', 0, TEXT);
    const t = p.records[0].text!;
    assert.ok(t.includes('sean ó'.normalize('NFD').replace(/\p{M}/gu, '')), t);
    assert.ok(t.includes('ingenieur'));
    assert.ok(t.includes('sean@contoso.com'));
    assert.ok(!t.includes('urn:ietf:params:scim:schemas:core'), 'the schemas URNs are on every record: not searched');
    assert.equal(foldText('Seán ÓBRIAIN Zoë Ørsted'), 'sean obriain zoe ørsted');
    assert.equal(searchText({ a: { b: ['X', 1, true, null] } }, undefined), 'x\n1\ntrue');
  });

  it('a record-level diagnostic offers "Show the N failing records in the preview", filtered by its mapping line', async () => {
    const v = await validation();
    const pos = positionSource(TEXT);
    const diagnostics = v.diagnostics.map((d) => toLspDiagnostic(pos, d)).filter((d) => d.severity === 1);
    assert.ok(diagnostics.length >= 2, JSON.stringify(diagnostics));
    const actions = recordCodeActions(featureContext(TEXT, RECORDS), diagnostics);
    const byAttr = new Map(actions.map((a) => [(a.command!.arguments![0] as { attribute?: string }).attribute, a]));
    const grade = byAttr.get('urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Grade');
    assert.ok(grade, actions.map((a) => a.title).join(' | '));
    assert.equal(grade.command!.command, SHOW_FAILING_RECORDS);
    assert.equal(grade.title, 'Show the 1 failing record in the preview');
    assert.ok(byAttr.has('externalId'));
    // Warnings (no record fails on them) offer nothing.
    assert.deepEqual(recordCodeActions(featureContext(TEXT, RECORDS), diagnostics.map((d) => ({ ...d, severity: 2 as const }))), []);
  });
});

describe('preview run reusing the sample evaluation', () => {
  const strip = (r: { index: number; key?: string; resource: unknown; errors: unknown[] }) => ({ index: r.index, key: r.key, resource: r.resource, errors: r.errors });
  for (const sample of ['workday/workday', 'successfactors/successfactors', 'custom-hr/custom-hr']) {
    it(`gives exactly what the pipeline gives on its own: samples/${sample}`, async () => {
      const file = join(process.cwd(), 'samples', `${sample}.scimmap.yaml`);
      const v = await validateMapping(readFileSync(file, 'utf8'), { filePath: file });
      assert.ok(v.sample && v.sample.records.length > 50);
      const reused = await runSample(v, undefined, { reuseEvaluation: true });
      const fresh = await runSample(v, undefined, { reuseEvaluation: false });
      assert.deepEqual(reused.results.map(strip), fresh.results.map(strip));
    });
  }
  it('records with failing targets and failing let bindings get the same errors either way', async () => {
    const text = TEXT.replace('mappings:\n', "let:\n  g: $number(Grade) * 2\nmappings:\n").replace('title: Title', 'title: Title & $string($g)');
    const v = await validation(text);
    assert.ok(v.diagnostics.some((d) => d.code === 'sample-error'), JSON.stringify(v.diagnostics.map((d) => d.code)));
    const reused = await runSample(v, undefined, { reuseEvaluation: true });
    const fresh = await runSample(v, undefined, { reuseEvaluation: false });
    assert.deepEqual(reused.results.map(strip), fresh.results.map(strip));
    assert.ok(reused.results.some((r) => r.errors.length));
  });
});
