import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdIndex } from '../../../src/engine/transform/idIndex';

test('IdIndex finds exactly the ids seen before, through growth and hash collisions', () => {
  const idx = new IdIndex();
  const n = 50_000;
  for (let i = 0; i < n; i++) assert.equal(idx.firstSeen(`W${i}`, i), undefined);
  assert.equal(idx.size, n);
  for (let i = 0; i < n; i += 997) assert.equal(idx.firstSeen(`W${i}`, n + i), i);
  // Unicode, empty-ish and prefix-sharing ids stay distinct.
  for (const [id, rec] of [['Zoë', 1], ['Zoe', 2], ['W1 ', 3], ['', 4], ['ß', 5], ['ss', 6]] as const) assert.equal(idx.firstSeen(id, rec), undefined, id);
  assert.equal(idx.firstSeen('Zoë', 9), 1);
  assert.equal(idx.firstSeen('ss', 9), 6);
  // FNV-1a collisions (known pair) are told apart by comparing bytes.
  const a = 'costarring';
  const b = 'liquid';
  const idx2 = new IdIndex();
  assert.equal(idx2.firstSeen(a, 0), undefined);
  assert.equal(idx2.firstSeen(b, 1), undefined);
  assert.equal(idx2.firstSeen(b, 2), 1);
});
