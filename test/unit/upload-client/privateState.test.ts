// Upload state kept across VS Code sessions: private files (0600 in a 0700 directory), and a one-record choice
// stored as a keyed hash that a resume turns back into the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChoice, PrivateState, sealChoice } from '../../../client/src/upload/privateState';
import { selectRequests } from '../../../client/src/upload/selection';
import { batchesOf } from '../upload/helpers';
import { tempDir } from '../../tempDirs';

test('private state files: 0600 in a 0700 directory, replaced whole, deleted with undefined', () => {
  const dir = tempDir('scimmap-state-');
  try {
    const s = new PrivateState(join(dir, 'globalStorage'));
    assert.equal(s.read('x.json'), undefined);
    s.write('x.json', { a: 1 });
    s.write('x.json', { a: 2 });
    assert.deepEqual(s.read('x.json'), { a: 2 });
    if (process.platform !== 'win32') {
      assert.equal(statSync(join(dir, 'globalStorage', 'x.json')).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'globalStorage')).mode & 0o777, 0o700);
    }
    s.write('x.json', undefined);
    assert.equal(s.read('x.json'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a one-record choice is stored as a keyed hash and resolved back to the same record', () => {
  const key = randomBytes(32);
  const requests = batchesOf(20);
  const sealed = sealChoice({ kind: 'record', externalId: 'E000007', label: 'User 7' }, key);
  assert.ok(!JSON.stringify(sealed).includes('E000007') && !JSON.stringify(sealed).includes('User 7'), JSON.stringify(sealed));
  const opened = openChoice(sealed, requests, key);
  assert.deepEqual(opened, { kind: 'record', externalId: 'E000007', label: 'User 7' });
  assert.equal(selectRequests(requests, opened)[0]!.Operations[0]!.data.externalId, 'E000007');
  // Another key (another user) or a record no longer there: nothing is sent.
  assert.throws(() => selectRequests(requests, openChoice(sealed, requests, randomBytes(32))), /not among the records/);
  assert.throws(() => selectRequests(batchesOf(5), openChoice(sealed, batchesOf(5), key)), /not among the records/);
  assert.deepEqual(sealChoice({ kind: 'first', count: 3 }, key), { kind: 'first', count: 3 });
  const dir = tempDir('scimmap-state-');
  try {
    const s = new PrivateState(dir);
    s.write('pending-run.json', { choice: sealed });
    assert.doesNotMatch(readFileSync(join(dir, 'pending-run.json'), 'utf8'), /E000007/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a chosen set of records (preview selection, Resend failed) is stored as keyed hashes and resolved back', () => {
  const key = randomBytes(32);
  const requests = batchesOf(20);
  const sealed = sealChoice({ kind: 'records', externalIds: ['E000003', 'E000011'], label: 'the 2 records that failed in the last upload' }, key);
  assert.ok(!/E0000(03|11)/.test(JSON.stringify(sealed)), JSON.stringify(sealed));
  const opened = openChoice(sealed, requests, key);
  assert.deepEqual(opened, { kind: 'records', externalIds: ['E000003', 'E000011'], label: 'the 2 records that failed in the last upload' });
  assert.deepEqual(selectRequests(requests, opened).flatMap((r) => r.Operations.map((o) => o.data.externalId)), ['E000003', 'E000011']);
  assert.throws(() => selectRequests(requests, openChoice(sealed, requests, randomBytes(32))), /none of the 2 records that failed/);
});
