// The VS Code flow's journal identity (the exact selected payload) lets a cancelled run resume exactly once per record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashText, Journal, uploadBatches } from '../../../src/targets/entra/upload';
import { selectionIdentity, selectRequests } from '../../../client/src/upload/selection';
import { batchesOf, exactlyOnce, FAST, rig } from '../upload/helpers';
import { tempDir } from '../../tempDirs';

const KEY = randomBytes(32);

test('cancel after the first requests, resume with the same selection: every record accepted exactly once', async () => {
  const { standIn, endpoint, tokens } = await rig();
  const dir = tempDir('scimmap-client-resume-');
  try {
    const selected = selectRequests(batchesOf(400), { kind: 'first', count: 300 });
    const identity = { endpoint: endpoint.url, mappingHash: hashText('mapping v1'), input: selectionIdentity(selected) };
    const path = join(dir, 'run.jsonl');
    const ac = new AbortController();
    const first = await uploadBatches(selected, {
      endpoint, tokens, journal: Journal.create(path, identity, KEY), signal: ac.signal, ...FAST, concurrency: 1,
      onProgress: (e) => { if (e.type === 'batch-done' && e.batch.seq === 1) ac.abort(); },
    });
    assert.equal(first.stopped?.reason, 'cancelled');
    assert.ok(first.totals.accepted >= 100 && first.totals.accepted < 300, `accepted ${first.totals.accepted}`);

    // A changed mapping or selection is refused rather than resumed by position.
    assert.throws(() => Journal.resume(path, { ...identity, mappingHash: hashText('mapping v2') }, KEY), /mapping changed/);
    assert.throws(() => Journal.resume(path, { ...identity, input: selectionIdentity(selectRequests(batchesOf(400), { kind: 'first', count: 299 })) }, KEY), /input file changed/);

    const again = selectRequests(batchesOf(400), { kind: 'first', count: 300 });
    const second = await uploadBatches(again, { endpoint, tokens, journal: Journal.resume(path, { ...identity, input: selectionIdentity(again) }, KEY), ...FAST });
    assert.equal(second.stopped, undefined);
    assert.equal(second.totals.accepted + second.totals.previouslyAccepted, 300);
    assert.deepEqual(exactlyOnce(standIn, 300), { missing: [], duplicated: [] });
    assert.equal(standIn.stats.acceptedOperations, 300);
  } finally {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
