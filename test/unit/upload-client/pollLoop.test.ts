import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pollLoop } from '../../../client/src/upload/pollLoop';
import type { ProvisioningOutcome } from '../../../src/targets/entra/upload';

function clock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

test('polls until every record is logged, asking only for the missing ones', async () => {
  const logged = new Set<string>();
  const asked: string[][] = [];
  const c = clock();
  let round = 0;
  const end = await pollLoop({
    pending: () => ['a', 'b', 'c'].filter((x) => !logged.has(x)),
    pollOnce: async (ids) => {
      asked.push(ids);
      round++;
      // Entra logs one record per round.
      return ids.map((id, k): ProvisioningOutcome => ({ externalId: id, found: k === 0 }));
    },
    onOutcomes: (o) => o.filter((x) => x.found).forEach((x) => logged.add(x.externalId)),
    intervalMs: 30_000,
    deadlineMs: 15 * 60_000,
    ...c,
  });
  assert.equal(end, 'complete');
  assert.equal(round, 3);
  assert.deepEqual(asked, [['a', 'b', 'c'], ['b', 'c'], ['c']]);
  assert.equal(c.now(), 60_000, 'no sleep after the last round');
});

test('stops at the deadline and on abort', async () => {
  const c = clock();
  let rounds = 0;
  const base = { pending: () => ['x'], pollOnce: async () => (rounds++, [{ externalId: 'x', found: false }]), onOutcomes: () => undefined, intervalMs: 30_000 };
  assert.equal(await pollLoop({ ...base, deadlineMs: 100_000, ...c }), 'timed-out');
  assert.equal(rounds, 4);
  const ac = new AbortController();
  ac.abort();
  assert.equal(await pollLoop({ ...base, deadlineMs: 100_000, signal: ac.signal, ...clock() }), 'stopped');
  assert.equal(rounds, 4);
  assert.equal(await pollLoop({ ...base, pending: () => [], deadlineMs: 1, ...clock() }), 'complete');
});

test('a failing query surfaces to the caller', async () => {
  await assert.rejects(
    pollLoop({ pending: () => ['x'], pollOnce: async () => Promise.reject(new Error('HTTP 403')), onOutcomes: () => undefined, intervalMs: 1, deadlineMs: 10, ...clock() }),
    /HTTP 403/,
  );
});
