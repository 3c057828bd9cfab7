/**
 * The delivery loop with a target that reports each operation's own outcome (SCIM /Bulk): the records, the totals
 * and the journal follow the operations, not the batch, so a resume sends exactly what was not done.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deliverBatches } from '../../../src/delivery/uploader';
import { fileIdentity, hashText, Journal } from '../../../src/delivery/journal';
import type { DeliveryTarget, RecordDetail } from '../../../src/delivery/transport';
import type { BulkRequest } from '../../../src/engine/types';
import { tempDir } from '../../tempDirs';

const KEY = randomBytes(32);
const tokens = { description: 't', getToken: async () => 'token-0123456789abcdef' };
const request = (ids: string[]): BulkRequest => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
  Operations: ids.map((id) => ({ method: 'POST', bulkId: id, path: '/Users', data: { externalId: id, userName: `${id}@example.org` } })),
});

/** Answers 200; each operation's outcome comes from `plan` (by externalId). */
function target(plan: (ext: string) => RecordDetail, seen: string[]): DeliveryTarget {
  return {
    url: 'http://127.0.0.1:9/scim',
    accepts: (r) => r.status === 200,
    async post(req) {
      const ids = req.Operations.map((o) => String(o.data.externalId));
      seen.push(...ids);
      return { status: 200, headers: new Headers(), text: '', details: ids.map(plan) };
    },
  };
}

test('per-operation outcomes: records, totals and the journal follow each operation; a resume sends only what was not done', async () => {
  const dir = tempDir('scimmap-perop-');
  writeFileSync(join(dir, 'in.csv'), 'x');
  const identity = { endpoint: 'http://127.0.0.1:9/scim', mappingHash: hashText('m'), input: await fileIdentity(join(dir, 'in.csv')) };
  const path = join(dir, 'run.jsonl');
  const seen: string[] = [];
  const first = await deliverBatches([request(['A', 'B', 'C']), request(['D'])], {
    target: target((e) => (e === 'B' ? { outcome: 'failed', httpStatus: 409, scimType: 'uniqueness', error: { code: 'uniqueness', message: 'taken' } } : e === 'C' ? { outcome: 'not-sent', error: { code: 'Throttled', message: 'resume later' } } : { outcome: 'accepted', action: 'created', serverId: `id-${e}`, httpStatus: 201 }), seen),
    tokens,
    journal: Journal.create(path, identity, KEY),
    pacing: { maxCalls: 100, windowMs: 1000 },
  });
  assert.deepEqual(first.records.map((r) => [r.externalId, r.status, r.errorCode, r.serverId]), [['A', 'accepted', undefined, 'id-A'], ['B', 'failed', 'uniqueness', undefined], ['C', 'not-sent', 'Throttled', undefined], ['D', 'accepted', undefined, 'id-D']]);
  assert.equal(first.records[1]!.scimType, 'uniqueness');
  assert.deepEqual([first.totals.accepted, first.totals.failed, first.totals.notSent], [2, 1, 1]);
  const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; ordinals?: number[] });
  assert.deepEqual(lines.filter((l) => l.type === 'batch').map((l) => [l.status, l.ordinals]), [['accepted', [0]], ['failed', [1]], ['not-sent', [2]], ['accepted', [3]]]);

  seen.length = 0;
  const events: string[] = [];
  const again = await deliverBatches([request(['A', 'B', 'C']), request(['D'])], {
    target: target(() => ({ outcome: 'accepted', action: 'updated', serverId: 'x' }), seen),
    tokens,
    journal: Journal.resume(path, identity, KEY),
    pacing: { maxCalls: 100, windowMs: 1000 },
    onProgress: (e) => {
      if (e.type === 'skipped') events.push(`skipped ${e.seq}: ${e.operations}`);
      if (e.type === 'batch-done') events.push(`done ${e.batch.seq}: ${e.batch.operations}`);
    },
  });
  assert.deepEqual(seen, ['B', 'C'], 'A and D were done; B and C are sent again');
  assert.equal(again.totals.previouslyAccepted, 2);
  // Progress that counts operations adds up to all four: the partly done batch says what it skipped.
  assert.deepEqual(events.sort(), ['done 2: 2', 'skipped 2: 1', 'skipped 3: 1']);
});

test('without per-operation outcomes the batch status applies to every record, as before', async () => {
  const seen: string[] = [];
  const s = await deliverBatches([request(['A', 'B'])], { target: target(() => ({ action: 'created' }), seen), tokens, pacing: { maxCalls: 100, windowMs: 1000 } });
  assert.deepEqual(s.records.map((r) => r.status), ['accepted', 'accepted']);
});
