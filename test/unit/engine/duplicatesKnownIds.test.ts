import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateTracker } from '../../../src/engine/checks/duplicates';
import type { DuplicatePolicy } from '../../../src/engine/mapping/model';
import type { TransformResult } from '../../../src/engine/transform/record';
import { IdTable } from '../../../src/sync/idTable';

const result = (index: number, externalId: string, userName: string): TransformResult => ({ index, key: externalId, resource: { externalId, userName } as TransformResult['resource'], errors: [], warnings: [], values: new Map() });

/** What the tracker said about each record: error codes, skipped code, and the record it repeats. */
function run(policy: DuplicatePolicy, stream: Array<[string, string]>, table?: IdTable, addDuring?: (i: number) => void): string[] {
  const t = new DuplicateTracker(policy, undefined, table);
  return stream.map(([ext, user], i) => {
    addDuring?.(i);
    const r = result(i, ext, user);
    t.check(r);
    return `${r.errors.map((e) => e.code).join('+')}|${r.skipped?.code ?? ''}|${t.match ? `${t.match.attribute}@${t.match.other}` : ''}`;
  });
}

const HASH = new Uint8Array(16);

test('duplicate externalIds found through the state table are exactly those found without it', () => {
  const table = new IdTable();
  // Known ids: a state of 3,000 people; the export repeats some of them, brings new ones (also repeated), and
  // ids that differ only in case or by a trailing space (not duplicates: externalIds are case-sensitive).
  for (let k = 0; k < 3000; k++) table.set(`E${k}`, HASH, true, 0);
  const stream: Array<[string, string]> = [];
  for (let k = 0; k < 4000; k++) stream.push([`E${k}`, `u${k}@contoso.com`]);
  for (let k = 0; k < 4000; k += 37) stream.push([`E${k}`, `again${k}@contoso.com`]); // known (k < 3000) and new
  stream.push(['e1', 'e1@contoso.com'], ['E1 ', 'e1sp@contoso.com'], ['E3999', 'x@contoso.com'], ['E5', 'U5@CONTOSO.COM']);
  for (const policy of ['error', 'first'] as const) {
    const plain = run(policy, stream);
    const shared = run(policy, stream, table);
    assert.deepEqual(shared, plain, policy);
    assert.ok(plain.filter((s) => s.includes('externalId@')).length > 100, 'the stream has duplicates to find');
  }
  assert.equal(table.size, 3000, 'the tracker only reads the table');
});

test('an id the table gains while the stream runs (a sync applying results) is still checked exactly', () => {
  const table = new IdTable();
  for (let k = 0; k < 10; k++) table.set(`E${k}`, HASH, true, 0);
  const stream: Array<[string, string]> = [['N1', 'a'], ['E1', 'b'], ['N1', 'c'], ['E1', 'd'], ['N2', 'e'], ['N2', 'f']];
  // N1 and N2 enter the table after the tracker has seen them once: their repeats must still be found.
  const got = run('error', stream, table, (i) => {
    if (i === 1) table.set('N1', HASH, true, 0);
    if (i === 5) table.set('N2', HASH, true, 0);
  });
  assert.deepEqual(got, ['||', '||', 'duplicate-external-id||externalId@0', 'duplicate-external-id||externalId@1', '||', 'duplicate-external-id||externalId@4']);
});
