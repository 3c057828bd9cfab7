import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, appendFileSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, JournalError, fileIdentity, hashText, uploadBatches, RunIdentity, journalKey, cliStateDirectory, gitWorkTreeOf } from '../../../src/targets/entra/upload';
import { asAsync, batchesOf, exactlyOnce, FAST, rig } from './helpers';
import { tempDir } from '../../tempDirs';

const KEY = randomBytes(32);

async function identityFor(dir: string, endpoint: string, content = 'records v1'): Promise<RunIdentity> {
  const input = join(dir, 'input.csv');
  writeFileSync(input, content);
  return { endpoint, mappingHash: hashText('mapping v1'), input: await fileIdentity(input) };
}

test('cancel an upload of 5,000 records, resume from the journal: every record accepted exactly once', async () => {
  const { standIn, endpoint, tokens } = await rig();
  const dir = tempDir('scimmap-journal-');
  try {
    const id = await identityFor(dir, endpoint.url);
    const path = join(dir, 'run.jsonl');
    const ac = new AbortController();
    let done = 0;
    const first = await uploadBatches(asAsync(batchesOf(5000)), {
      endpoint,
      tokens,
      ...FAST,
      journal: Journal.create(path, id, KEY),
      signal: ac.signal,
      onProgress: (e) => {
        if (e.type === 'batch-done' && ++done === 37) ac.abort();
      },
    });
    assert.equal(first.stopped?.reason, 'cancelled');
    assert.ok(first.totals.accepted >= 37 * 50 && first.totals.accepted < 5000, `accepted ${first.totals.accepted}`);
    assert.ok(!first.batches.some((b) => b.status === 'in-doubt'), 'in-flight requests finished within the grace period');

    const resumed = Journal.resume(path, id, KEY);
    assert.equal(resumed.previouslyAccepted, first.totals.accepted);
    assert.equal(resumed.inDoubt, 0);
    const second = await uploadBatches(asAsync(batchesOf(5000)), { endpoint, tokens, ...FAST, journal: resumed });
    assert.equal(second.stopped, undefined);
    assert.equal(second.totals.previouslyAccepted, first.totals.accepted);
    assert.equal(second.totals.accepted + second.totals.previouslyAccepted, 5000);
    assert.equal(second.records.length, 5000);
    assert.deepEqual(exactlyOnce(standIn, 5000), { missing: [], duplicated: [] });

    // A third run over the finished journal sends nothing.
    const before = standIn.stats.requests;
    const third = await uploadBatches(asAsync(batchesOf(5000)), { endpoint, tokens, ...FAST, journal: Journal.resume(path, id, KEY) });
    assert.equal(third.totals.sent, 0);
    assert.equal(third.totals.previouslyAccepted, 5000);
    assert.equal(standIn.stats.requests, before);
  } finally {
    await standIn.close();
  }
});

test('a process killed mid-request leaves the batch in doubt; resume re-sends it (an update), losing nothing', async () => {
  const { standIn, endpoint, tokens } = await rig();
  const dir = tempDir('scimmap-journal-');
  try {
    const id = await identityFor(dir, endpoint.url);
    const path = join(dir, 'run.jsonl');
    const j = Journal.create(path, id, KEY);
    await uploadBatches(batchesOf(100), { endpoint, tokens, ...FAST, journal: j, concurrency: 1 });
    // Simulate a crash: batch 2 was being sent (and the service accepted it) but no outcome was written.
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const kept = lines.filter((l) => !(JSON.parse(l).type === 'batch' && JSON.parse(l).seq === 1) && JSON.parse(l).type !== 'end');
    writeFileSync(path, kept.join('\n') + '\n{"type":"batch","se'); // plus a torn last line
    const resumed = Journal.resume(path, id, KEY);
    assert.equal(resumed.inDoubt, 1);
    assert.equal(resumed.previouslyAccepted, 50);
    const s = await uploadBatches(batchesOf(100), { endpoint, tokens, ...FAST, journal: resumed });
    assert.equal(s.totals.accepted, 50);
    assert.equal(s.totals.previouslyAccepted, 50);
    const { missing, duplicated } = exactlyOnce(standIn, 100);
    assert.deepEqual(missing, []);
    assert.equal(duplicated.length, 50, 'only the in-doubt batch went twice');
  } finally {
    await standIn.close();
  }
});

test('resume refuses a changed endpoint, input or mapping, and a stream whose records moved', async () => {
  const dir = tempDir('scimmap-journal-');
  const { standIn, endpoint, tokens } = await rig();
  try {
    const id = await identityFor(dir, endpoint.url);
    const path = join(dir, 'run.jsonl');
    await uploadBatches(batchesOf(60), { endpoint, tokens, ...FAST, journal: Journal.create(path, id, KEY) });
    assert.throws(() => Journal.create(path, id, KEY), /already exists/);
    assert.throws(() => Journal.resume(path, { ...id, endpoint: endpoint.url.replace('/beta/', '/v1.0/') }, KEY), /endpoint/);
    assert.throws(() => Journal.resume(path, { ...id, mappingHash: hashText('mapping v2') }, KEY), /mapping changed/);
    assert.throws(() => Journal.resume(path, id, randomBytes(32)), /another journal key/);
    const changed = await identityFor(dir, endpoint.url, 'records v2');
    assert.throws(() => Journal.resume(path, changed, KEY), (e: Error) => e instanceof JournalError && /input file changed/.test(e.message));
    assert.throws(() => Journal.resume(join(dir, 'nope.jsonl'), id, KEY), /does not exist/);
    // Same file identity but different records at the same positions (e.g. another mapping key): refused.
    await assert.rejects(uploadBatches(batchesOf(60, 50, 1000), { endpoint, tokens, ...FAST, journal: Journal.resume(path, id, KEY) }), /not the one the journal recorded/);
    appendFileSync(path, 'garbage\n{"type":"end"}\n');
    assert.throws(() => Journal.resume(path, id, KEY), /corrupt/);
  } finally {
    await standIn.close();
  }
});

test('the journal holds ordinals, keyed hashes and statuses only: no externalId, bulkId or record content; 0600', async () => {
  const dir = tempDir('scimmap-journal-');
  const { standIn, endpoint, tokens } = await rig();
  try {
    const id = await identityFor(dir, endpoint.url);
    const path = join(dir, 'new', 'run.jsonl');
    await uploadBatches(batchesOf(75), { endpoint, tokens, ...FAST, journal: Journal.create(path, id, KEY) });
    const text = readFileSync(path, 'utf8');
    assert.ok(!/contoso\.com|User 1|displayName|userName/.test(text));
    // batchesOf() ids are E000000…; bulkIds are "b" + externalId: neither may appear, not even as a substring.
    assert.doesNotMatch(text, /E0000\d\d|bE0/);
    const types = text.trim().split('\n').map((l) => JSON.parse(l).type as string);
    assert.equal(types[0], 'run');
    assert.equal(types.at(-1), 'end');
    assert.equal(types.filter((t) => t === 'sending').length, 2);
    assert.equal(types.filter((t) => t === 'batch').length, 2);
    for (const l of text.trim().split('\n')) {
      const e = JSON.parse(l) as Record<string, unknown>;
      if (e.type === 'batch') {
        assert.deepEqual(Object.keys(e).filter((k) => e[k] !== undefined).sort(), ['attempts', 'httpStatus', 'idHashes', 'ordinals', 'requestId', 'seq', 'status', 'type']);
        for (const h of e.idHashes as string[]) assert.match(h, /^[0-9a-f]{32}$/);
      }
    }
    if (process.platform !== 'win32') {
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'new')).mode & 0o777, 0o700);
    }
    // The hash is keyed: the same id under another key (or run) hashes differently, so a dictionary of ids is no help.
    const other = Journal.create(join(dir, 'other.jsonl'), id, randomBytes(32));
    const again = Journal.resume(path, id, KEY);
    assert.notEqual(other.idHash('E000001'), again.idHash('E000001'));
    assert.equal(again.wasAccepted(1, 'E000001'), true);
    other.close('test');
    again.close('test');
  } finally {
    await standIn.close();
  }
});

test('a version 1 journal (ids in clear text) is not resumed', () => {
  const dir = tempDir('scimmap-journal-');
  const path = join(dir, 'old.jsonl');
  writeFileSync(path, JSON.stringify({ type: 'run', version: 1, runId: 'r', endpoint: 'e', mappingHash: 'm', input: { size: 0, sha256: 'x' } }) + '\n');
  assert.throws(() => Journal.resume(path, { endpoint: 'e', mappingHash: 'm', input: { size: 0, sha256: 'x' } }, KEY), /older SCIM Mapper .* clear text/);
});

test('state directory: XDG_STATE_HOME or ~/.local/state; the journal key is created once, 0600 in a 0700 directory', () => {
  const dir = tempDir('scimmap-state-');
  assert.equal(cliStateDirectory({ XDG_STATE_HOME: '/x/state' }), join('/x/state', 'scimmap'));
  assert.equal(cliStateDirectory({ XDG_STATE_HOME: 'relative', HOME: '/home/u' }), join('/home/u', '.local', 'state', 'scimmap'), 'relative XDG values are ignored (spec)');
  const state = join(dir, 'state', 'scimmap');
  const k1 = journalKey(state);
  const k2 = journalKey(state);
  assert.equal(k1.length, 32);
  assert.deepEqual(k1, k2);
  if (process.platform !== 'win32') {
    assert.equal(statSync(join(state, 'journal.key')).mode & 0o777, 0o600);
    assert.equal(statSync(state).mode & 0o777, 0o700);
  }
  mkdirSync(join(dir, 'repo', '.git'), { recursive: true });
  mkdirSync(join(dir, 'repo', 'sub'), { recursive: true });
  assert.equal(gitWorkTreeOf(join(dir, 'repo', 'sub', 'run.jsonl')), join(dir, 'repo'));
  assert.equal(gitWorkTreeOf(join(state, 'uploads', 'run.jsonl')), gitWorkTreeOf(join(tmpdir(), 'x')), 'no work tree of its own');
});
