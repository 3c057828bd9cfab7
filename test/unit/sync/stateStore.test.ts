/** The sync state log: round trip, a torn tail at every byte, damage, compaction, the lock, file modes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DISABLED_HASH, SyncState } from '../../../src/sync';
import { IdTable } from '../../../src/sync/idTable';
import { hash128 } from '../../../src/sync/payloadHash';
import { tempDir } from './helpers';

function withDir(fn: (dir: string) => void): void {
  const dir = tempDir();
  try {
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('sync state store', () => {
  it('round-trips entries and metadata; the latest entry of an id wins', () =>
    withDir((dir) => {
      const file = path.join(dir, 's.state');
      const s = SyncState.open(file);
      assert.equal(s.created, true);
      const h1 = s.payloadHash({ a: 1 });
      s.apply([{ externalId: 'A', hash: h1, active: true }, { externalId: 'B', hash: h1, active: true }]);
      s.apply([{ externalId: 'B', hash: DISABLED_HASH, active: false }]);
      s.setMeta({ lastExportRecords: 7 });
      s.close();
      const r = SyncState.open(file);
      assert.equal(r.size, 2);
      assert.equal(r.active, 1);
      assert.equal(r.meta.lastExportRecords, 7);
      const a = r.table.find('A');
      assert.ok(r.table.hashEquals(a, r.payloadHash({ a: 1 })), 'the key survives a reopen');
      assert.equal(r.table.active(r.table.find('B')), false);
      assert.equal(r.table.find('C'), -1);
      r.close();
    }));

  it('a torn tail at any byte is cut off; every confirmed entry survives', () =>
    withDir((dir) => {
      const file = path.join(dir, 's.state');
      const s = SyncState.open(file);
      s.apply([{ externalId: 'E1', hash: s.payloadHash(1), active: true }]);
      s.close();
      const confirmed = fs.readFileSync(file);
      const t = SyncState.open(file);
      t.apply([{ externalId: 'E2', hash: t.payloadHash(2), active: true }, { externalId: 'E3', hash: t.payloadHash(3), active: true }]);
      t.close();
      const full = fs.readFileSync(file);
      const boundary = confirmed.length + (full.length - confirmed.length) / 2; // E2 and E3 frames are the same size
      for (let cut = confirmed.length + 1; cut < full.length; cut++) {
        fs.writeFileSync(file, full.subarray(0, cut));
        const r = SyncState.open(file);
        assert.ok(r.table.find('E1') >= 0, `cut at ${cut}`);
        assert.equal(r.tornBytes > 0, cut !== boundary, `cut at ${cut}: torn tail detected`);
        const e2 = r.table.find('E2') >= 0;
        assert.equal(e2, cut >= boundary, `cut at ${cut}: E2 is there exactly when its frame is complete`);
        assert.equal(r.table.find('E3'), -1, `cut at ${cut}: E3 cannot be complete`);
        r.close();
        assert.equal(fs.statSync(file).size, e2 ? boundary : confirmed.length, `cut at ${cut}: truncated to the last good record`);
      }
    }));

  it('a damaged record (CRC mismatch) ends the log there instead of being read', () =>
    withDir((dir) => {
      const file = path.join(dir, 's.state');
      const s = SyncState.open(file);
      s.apply([{ externalId: 'E1', hash: s.payloadHash(1), active: true }]);
      s.apply([{ externalId: 'E2', hash: s.payloadHash(2), active: true }]);
      s.close();
      const b = fs.readFileSync(file);
      b[b.length - 6] ^= 0xff; // inside E2's id
      fs.writeFileSync(file, b);
      const r = SyncState.open(file);
      assert.equal(r.size, 1);
      assert.ok(r.tornBytes > 0);
      r.close();
    }));

  it('refuses a file that is not a state', () =>
    withDir((dir) => {
      const file = path.join(dir, 'x.state');
      fs.writeFileSync(file, 'id,name\n1,Ana\n'.repeat(10));
      assert.throws(() => SyncState.open(file), /not a SCIM Mapper sync state/);
    }));

  it('compaction keeps one record per id and loses nothing; a leftover half compaction is ignored', () =>
    withDir((dir) => {
      const file = path.join(dir, 's.state');
      const s = SyncState.open(file);
      for (let round = 0; round < 5; round++) s.apply(Array.from({ length: 5000 }, (_, i) => ({ externalId: `E${i}`, hash: s.payloadHash([i, round]), active: i % 3 !== 0 })));
      s.setMeta({ lastExportRecords: 5000 });
      const before = fs.statSync(file).size;
      s.close(); // 25,000 records for 5,000 ids: compacted
      assert.ok(fs.statSync(file).size < before / 3);
      fs.writeFileSync(`${file}.compact`, 'half-written');
      const r = SyncState.open(file);
      assert.equal(fs.existsSync(`${file}.compact`), false);
      assert.equal(r.size, 5000);
      assert.equal(r.active, 5000 - Math.ceil(5000 / 3));
      assert.equal(r.meta.lastExportRecords, 5000);
      assert.ok(r.table.hashEquals(r.table.find('E4999'), r.payloadHash([4999, 4])));
      r.close();
    }));

  it('one sync at a time: a live lock refuses, a dead process\'s lock is taken over', () =>
    withDir((dir) => {
      const file = path.join(dir, 's.state');
      const s = SyncState.open(file);
      assert.throws(() => {
        fs.writeFileSync(`${file}.lock`, String(process.ppid));
        SyncState.open(file);
      }, /another sync \(process \d+\)/);
      s.close();
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
      fs.writeFileSync(`${file}.lock`, dead);
      const t = SyncState.open(file);
      t.close();
      assert.equal(fs.existsSync(`${file}.lock`), false);
    }));

  it('a read-only open creates nothing and takes no lock', () =>
    withDir((dir) => {
      const file = path.join(dir, 'sub', 's.state');
      const r = SyncState.open(file, { readOnly: true });
      assert.equal(r.size, 0);
      assert.throws(() => r.apply([{ externalId: 'A', hash: DISABLED_HASH, active: false }]), /read-only/);
      r.close();
      assert.equal(fs.existsSync(path.join(dir, 'sub')), false);
    }));

  it('a read-only open leaves a live compaction file alone; the next locked open removes a stale one', () =>
    withDir((dir) => {
      const file = path.join(dir, 's.state');
      const s = SyncState.open(file);
      s.apply([{ externalId: 'A', hash: DISABLED_HASH, active: false }]);
      s.close();
      fs.writeFileSync(`${file}.compact`, 'in progress'); // as a running sync's compaction leaves it mid-write
      const r = SyncState.open(file, { readOnly: true });
      assert.equal(r.size, 1);
      r.close();
      assert.equal(fs.existsSync(`${file}.compact`), true);
      const t = SyncState.open(file);
      t.close();
      assert.equal(fs.existsSync(`${file}.compact`), false);
    }));

  it('files are private to the user (0700 directory, 0600 files)', { skip: process.platform === 'win32' }, () =>
    withDir((dir) => {
      const file = path.join(dir, 'private', 's.state');
      const s = SyncState.open(file);
      s.apply([{ externalId: 'A', hash: DISABLED_HASH, active: false }]);
      s.compact();
      s.close();
      assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    }));
});

describe('IdTable', () => {
  it('keeps ids exact through growth and rehashing (unicode, near-duplicates)', () => {
    const t = new IdTable();
    const h = new Uint8Array(16);
    const ids = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? `E${i}` : `é-${i}-名`));
    ids.forEach((id, i) => {
      h[0] = i & 0xff;
      t.set(id, h, i % 2 === 0, i);
    });
    assert.equal(t.size, ids.length);
    ids.forEach((id, i) => {
      const e = t.find(id);
      assert.equal(t.id(e), id);
      assert.equal(t.active(e), i % 2 === 0);
      assert.equal(t.time(e), i);
    });
    assert.equal(t.find('E0'), -1);
    assert.equal(t.find('E1 '), -1);
  });
});

describe('payload hash', () => {
  it('is deterministic per seed, differs across seeds, and tells near-identical payloads apart', () => {
    const a = new Uint32Array([1, 2, 3, 4]);
    const b = new Uint32Array([1, 2, 3, 5]);
    const base = JSON.stringify({ externalId: 'E1', displayName: 'Ana Lima', title: 'Engineer' });
    assert.deepEqual(hash128(base, a), hash128(base, a));
    assert.notDeepEqual(hash128(base, a), hash128(base, b));
    // Every prefix, and every one-character change at every position: as many hashes as distinct texts.
    const texts = new Set<string>();
    for (let n = 0; n <= base.length; n++) texts.add(base.slice(0, n));
    for (let i = 0; i < base.length; i++) for (const c of ['x', 'é', '\u0000']) texts.add(base.slice(0, i) + c + base.slice(i + 1));
    texts.add(base + '\u0000');
    const hashes = new Set([...texts].map((t) => hash128(t, a).toString('hex')));
    assert.equal(hashes.size, texts.size);
  });

  it('gives the hashes states on disk already hold (known answers, incl. short tails, non-Latin-1 and lone surrogates)', () => {
    // Computed with the first implementation (charCodeAt per code unit): a faster one must not change a single
    // bit, or every record of an existing state would be planned as an update.
    const seed = new Uint32Array([0x01234567, 0x89abcdef, 0xdeadbeef, 0x00000001]);
    const known: [string, string][] = [
      ['', 'c9a80a3211677ab703f348a4bfaebfe3'],
      ['a', '95c626bc7c16de153d3cccf118c78b52'],
      ['ab', 'e8aa1ba0eb2e33c42ce2c3c2ab3767b4'],
      ['abc', '23729fbd4efa94552699ecb335467136'],
      ['abcdefg', '4440705602035cd5c5263460e4809132'],
      ['abcdefgh', '9c6d34571a44da9324ffb6cce12bcc6b'],
      ['abcdefghi', 'b93550b291947133c3dc2d726c068ba4'],
      ['abcdefghijklmnopq', 'f8106db8ed8b59290b8d30e6e7e0a7fc'],
      ['Zoë Ünïcode', '38256281a703095204a6400a6ad2ac03'],
      ['😀 x', '36deedd3078ff67521646a89780da095'],
      ['a\ud800b', '84f529b60501cacccf7b7e5c0817c833'],
      ['{"externalId":"E1","active":true}', '1e5715332a195c02ef8aa6dd08988988'],
      [`${'x'.repeat(1000)}€`, 'dd2862e51a34464e3b983ad5ee60812e'],
    ];
    for (const [text, hex] of known) assert.equal(hash128(text, seed).toString('hex'), hex, JSON.stringify(text.slice(0, 20)));
    // A long text, then a short one: nothing of the first is left in the (reused) encoding buffer.
    hash128('y'.repeat(50_000), seed);
    assert.equal(hash128('abc', seed).toString('hex'), '23729fbd4efa94552699ecb335467136');
  });
});
