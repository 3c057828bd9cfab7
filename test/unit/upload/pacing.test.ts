import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, parseRetryAfter, SlidingWindowPacer, uploadBatches } from '../../../src/targets/entra/upload';
import { batchesOf, rig } from './helpers';

test('paces to at most N calls in any sliding window (scaled: 4 per 500 ms), no 429 from a strict server', async () => {
  const { standIn, endpoint, tokens } = await rig({ rateLimit: { maxCalls: 4, windowMs: 500 } });
  try {
    const sent: number[] = [];
    const t0 = Date.now();
    const s = await uploadBatches(batchesOf(16 * 50), {
      endpoint,
      tokens,
      pacing: { maxCalls: 4, windowMs: 500 },
      concurrency: 4,
      onProgress: (e) => e.type === 'batch-sent' && sent.push(Date.now()),
    });
    const elapsed = Date.now() - t0;
    assert.equal(s.totals.accepted, 800);
    assert.equal(standIn.stats.responses['429'] ?? 0, 0, 'the server never had to throttle');
    assert.equal(sent.length, 16);
    for (let i = 4; i < sent.length; i++) assert.ok(sent[i]! - sent[i - 4]! >= 495, `calls ${i - 4}..${i} within ${sent[i]! - sent[i - 4]!} ms`);
    assert.ok(elapsed >= 1450 && elapsed < 10_000, `elapsed ${elapsed}`);
  } finally {
    await standIn.close();
  }
});

test('pacer with a fake clock, and pauseUntil holds every caller', async () => {
  let now = 0;
  const p = new SlidingWindowPacer(2, 100, 0, () => now);
  const r1 = await p.acquire();
  const r2 = await p.acquire();
  let third = false;
  const t = p.acquire().then(() => (third = true));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(third, false, 'both calls still in flight');
  now = 50;
  r1(); // the first response arrives at t=50: its slot frees at t=150
  r2();
  now = 120;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(third, false, 'a slot stays taken for a window after its response');
  now = 150;
  await t;
  assert.equal(third, true);
  const q = new SlidingWindowPacer(100, 1000);
  q.pauseUntil(Date.now() + 80);
  const t0 = Date.now();
  await q.acquire();
  assert.ok(Date.now() - t0 >= 70);
  const ac = new AbortController();
  q.pauseUntil(Date.now() + 10_000);
  const pending = q.acquire(ac.signal);
  ac.abort();
  await assert.rejects(pending, /cancelled/);
});

test('Retry-After as seconds or HTTP date; backoff grows and stays jittered within bounds', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(parseRetryAfter(new Date(1_000).toUTCString(), 4_000), 0);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(backoffDelay(1, 1000, 60_000, () => 0), 500);
  assert.equal(backoffDelay(3, 1000, 60_000, () => 1), 4000);
  assert.equal(backoffDelay(20, 1000, 60_000, () => 1), 60_000);
});
