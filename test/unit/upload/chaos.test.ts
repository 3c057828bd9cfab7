import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientCredentialsProvider, parseEndpoint, uploadBatches } from '../../../src/targets/entra/upload';
import { startStandIn } from '../../../src/targets/entra/standin';
import { asAsync, batchesOf, exactlyOnce, rig } from './helpers';

test('5,000 records (100 batches) through random 5xx, dropped connections, a 429 storm and token expiry: each accepted exactly once', async () => {
  const standIn = await startStandIn({
    rateLimit: { maxCalls: 40, windowMs: 250 },
    dailyLimit: 1_000_000,
    retryAfterSec: null,
    faults: { seed: 42, serverErrorRate: 0.15, dropRate: 0.1, throttleRate: 0.05, throttleStorm: { afterCalls: 30, count: 15 }, tokenExpiryAfterCalls: 25 },
  });
  try {
    const endpoint = parseEndpoint(standIn.endpointUrl());
    const tokens = clientCredentialsProvider({ tenantId: 'chaos', clientId: 'app', clientSecret: 'chaos-secret-1', authorityHost: standIn.authorityHost });
    const s = await uploadBatches(asAsync(batchesOf(5000)), {
      endpoint,
      tokens,
      pacing: { maxCalls: 40, windowMs: 250 },
      retry: { baseDelayMs: 5, maxDelayMs: 50, maxRetries: 12, maxThrottleRetries: 40 },
      concurrency: 4,
      random: () => 0.5,
    });
    assert.equal(s.stopped, undefined);
    assert.equal(s.totals.accepted, 5000, JSON.stringify(s.batches.filter((b) => b.status !== 'accepted')));
    assert.equal(s.records.length, 5000);
    assert.deepEqual(exactlyOnce(standIn, 5000), { missing: [], duplicated: [] });
    assert.equal(standIn.stats.acceptedOperations, 5000);
    assert.equal(standIn.stats.acceptedRequests, 100);
    const r = standIn.stats.responses;
    assert.ok((r['500'] ?? 0) + (r['503'] ?? 0) > 5, `5xx ${JSON.stringify(r)}`);
    assert.ok((r.dropped ?? 0) > 5, `drops ${JSON.stringify(r)}`);
    assert.ok((r['429'] ?? 0) >= 10, `429 ${JSON.stringify(r)}`);
    assert.ok((r['401'] ?? 0) >= 1 && standIn.stats.tokensIssued >= 2, `token expiry ${JSON.stringify(r)} issued ${standIn.stats.tokensIssued}`);
    assert.equal(s.totals.calls, standIn.stats.requests);
    assert.ok(s.batches.every((b) => b.status === 'accepted'));
  } finally {
    await standIn.close();
  }
});

test('connections dropped after acceptance: the client re-sends (an update for Entra); nothing is lost', async () => {
  const { standIn, endpoint, tokens } = await rig({ faults: { seed: 7, dropAfterAcceptRate: 0.2 } });
  try {
    const s = await uploadBatches(batchesOf(1000), { endpoint, tokens, retry: { baseDelayMs: 2, maxDelayMs: 10, maxRetries: 10 }, pacing: { maxCalls: 1000, windowMs: 1000 } });
    assert.equal(s.totals.accepted, 1000);
    const { missing } = exactlyOnce(standIn, 1000);
    assert.deepEqual(missing, []);
    const drops = standIn.stats.responses['dropped-after-accept'] ?? 0;
    assert.ok(drops > 0);
    const extra = [...standIn.stats.acceptedByExternalId.values()].reduce((n, c) => n + c - 1, 0);
    assert.equal(extra, drops * 50, 'only the records of the ambiguous batches were delivered again');
  } finally {
    await standIn.close();
  }
});
