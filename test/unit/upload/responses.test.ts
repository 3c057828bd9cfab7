import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientCredentialsProvider, staticTokenProvider, uploadBatches, parseEndpoint } from '../../../src/targets/entra/upload';
import { startStandIn, UPLOAD_ROLES } from '../../../src/targets/entra/standin';
import { BULK_REQUEST_URN, CORE_USER_URN } from '../../../src/engine/types';
import { batchesOf, bulk, FAST, rig, user } from './helpers';

test('202: empty body, Location to the job logs, request-id and client-request-id headers', async () => {
  const { standIn, endpoint } = await rig();
  try {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${standIn.issueToken()}`, 'Content-Type': 'application/scim+json', 'client-request-id': 'my-id' },
      body: JSON.stringify(bulk([user(1)])),
    });
    assert.equal(res.status, 202);
    assert.equal(await res.text(), '');
    assert.equal(res.headers.get('location'), `${standIn.url}/beta/auditLogs/provisioning/?$filter=jobid%20eq%20'${encodeURIComponent(endpoint.jobId)}'`);
    assert.ok(res.headers.get('request-id'));
    assert.equal(res.headers.get('client-request-id'), 'my-id');
    const s = await uploadBatches(batchesOf(120), { endpoint, tokens: staticTokenProvider(standIn.issueToken()), ...FAST });
    assert.equal(s.totals.accepted, 120);
    assert.equal(s.batches.length, 3);
    assert.ok(s.batches.every((b) => b.status === 'accepted' && b.httpStatus === 202 && b.requestId && b.attempts === 1));
    assert.ok(s.records.every((r) => r.status === 'accepted'));
  } finally {
    await standIn.close();
  }
});

test('400 for each documented validation, with the Graph error shape', async () => {
  const { standIn, endpoint } = await rig();
  const token = standIn.issueToken();
  const post = (body: unknown, contentType = 'application/scim+json'): Promise<Response> =>
    fetch(endpoint.url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, ...(contentType ? { 'Content-Type': contentType } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  try {
    const good = bulk([user(1)]);
    const noCt = await post(good, '');
    assert.equal(noCt.status, 400);
    const err = (await noCt.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
    assert.match(err.error.message, /Invalid Data Format.*Content-Type/);
    assert.ok(err.error.innerError['request-id'] && err.error.innerError.date);
    assert.equal((await post(good, 'application/json')).status, 400);
    const cases: Array<[string, unknown, RegExp]> = [
      ['not JSON', '{', /not valid JSON/],
      ['root schemas', { ...good, schemas: ['urn:x'] }, /BulkRequest/],
      ['no operations', { ...good, Operations: [] }, /non-empty/],
      ['51 operations', bulk(Array.from({ length: 51 }, (_, i) => user(i))), /maximum is 50/],
      ['method', bulk([user(1)]).Operations.map((o) => ({ ...o, method: 'PATCH' })), /method must be POST/],
      ['path', bulk([user(1)]).Operations.map((o) => ({ ...o, path: '/Groups' })), /path must be \/Users/],
      ['bulkId', bulk([user(1)]).Operations.map((o) => ({ ...o, bulkId: '' })), /bulkId is required/],
      ['enterprise schema', [{ method: 'POST', bulkId: 'x', path: '/Users', data: { ...user(1), schemas: [CORE_USER_URN] } }], /enterprise/],
      ['extension not listed', [{ method: 'POST', bulkId: 'x', path: '/Users', data: { ...user(1), 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User': { HireDate: 'x' } } }], /not listed in data.schemas/],
      ['externalId', [{ method: 'POST', bulkId: 'x', path: '/Users', data: { ...user(1), externalId: undefined } }], /externalId is required/],
    ];
    for (const [name, body, re] of cases) {
      const payload = Array.isArray(body) ? { schemas: [BULK_REQUEST_URN], Operations: body, failOnErrors: null } : body;
      const r = await post(payload);
      assert.equal(r.status, 400, name);
      const j = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(j.error.code, 'BadRequest', name);
      assert.match(j.error.message, re, name);
    }
    // Through the uploader: a 400 fails that batch only; the run goes on.
    const bad = bulk([{ ...user(9), externalId: '' }]);
    const s = await uploadBatches([bulk([user(1)]), bad, bulk([user(2)])], { endpoint, tokens: staticTokenProvider(token), ...FAST, concurrency: 1 });
    assert.deepEqual(s.batches.map((b) => b.status), ['accepted', 'failed', 'accepted']);
    assert.equal(s.batches[1]!.httpStatus, 400);
    assert.equal(s.batches[1]!.errorCode, 'BadRequest');
    assert.equal(s.batches[1]!.attempts, 1, '400 is not retried');
    assert.equal(s.records.find((r) => r.batch === 1)!.status, 'failed');
    assert.equal(standIn.stats.acceptedByExternalId.get('E000009'), undefined);
  } finally {
    await standIn.close();
  }
});

test('a batch over 50 operations is refused locally and never sent', async () => {
  const { standIn, endpoint, tokens } = await rig();
  try {
    const s = await uploadBatches([bulk(Array.from({ length: 60 }, (_, i) => user(i)))], { endpoint, tokens, ...FAST });
    assert.equal(s.batches[0]!.errorCode, 'TooManyOperations');
    assert.equal(s.totals.failed, 60);
    assert.equal(s.totals.calls, 0);
    assert.equal(standIn.stats.requests, 0);
  } finally {
    await standIn.close();
  }
});

test('401 expired token → one refresh through msal-node → retried and accepted', async () => {
  const standIn = await startStandIn({ faults: { tokenExpiryAfterSec: 1 }, rateLimit: { maxCalls: 1000, windowMs: 1000 } });
  try {
    const endpoint = parseEndpoint(standIn.endpointUrl());
    const tokens = clientCredentialsProvider({ tenantId: 't', clientId: 'c', clientSecret: 'expiry-secret-1', authorityHost: standIn.authorityHost });
    const first = await uploadBatches(batchesOf(50), { endpoint, tokens, ...FAST });
    assert.equal(first.totals.accepted, 50);
    await new Promise((r) => setTimeout(r, 1100)); // msal still caches the token; the stand-in no longer accepts it
    const events: string[] = [];
    const s = await uploadBatches(batchesOf(100, 50, 50), { endpoint, tokens, ...FAST, concurrency: 1, onProgress: (e) => events.push(e.type) });
    assert.equal(s.totals.accepted, 100);
    assert.equal(s.batches[0]!.attempts, 2);
    assert.ok(events.includes('token-refresh'));
    assert.equal(standIn.stats.responses['401'], 1);
    assert.equal(standIn.stats.tokensIssued, 2);
  } finally {
    await standIn.close();
  }
});

test('401 with a static token that cannot be refreshed stops the run; 403 stops the run', async () => {
  const { standIn, endpoint } = await rig();
  try {
    const expired = standIn.issueToken({ lifetimeSec: 0 });
    const s = await uploadBatches(batchesOf(150), { endpoint, tokens: staticTokenProvider(expired), ...FAST, concurrency: 1 });
    assert.equal(s.stopped?.reason, 'unauthorized');
    assert.match(s.stopped!.message, /InvalidAuthenticationToken.*expired/);
    assert.equal(s.totals.accepted, 0);
    assert.equal(s.records.length, 150);
    assert.equal(s.totals.notSent, 100);
    const logsOnly = standIn.issueToken({ roles: ['AuditLog.Read.All'] });
    const f = await uploadBatches(batchesOf(100), { endpoint, tokens: staticTokenProvider(logsOnly), ...FAST, concurrency: 1 });
    assert.equal(f.stopped?.reason, 'forbidden');
    assert.equal(f.batches[0]!.httpStatus, 403);
    assert.equal(f.batches[0]!.errorCode, 'Authorization_RequestDenied');
    assert.ok(UPLOAD_ROLES.some((r) => f.stopped!.message.includes(r)));
    assert.equal(standIn.stats.acceptedOperations, 0);
  } finally {
    await standIn.close();
  }
});

test('429 with Retry-After is honoured; without it the client backs off exponentially', async () => {
  for (const retryAfterSec of [1, null] as const) {
    const { standIn, endpoint, tokens } = await rig({ retryAfterSec, faults: { throttleStorm: { afterCalls: 1, count: 3 } } });
    try {
      const delays: number[] = [];
      const s = await uploadBatches(batchesOf(150), {
        endpoint,
        tokens,
        ...FAST,
        retry: { baseDelayMs: 20, maxDelayMs: 200 },
        concurrency: 1,
        onProgress: (e) => e.type === 'retry' && delays.push(e.delayMs),
      });
      assert.equal(s.totals.accepted, 150);
      assert.equal(standIn.stats.responses['429'], 3);
      assert.equal(s.totals.retried, 3);
      if (retryAfterSec === 1) assert.deepEqual(delays, [1000, 1000, 1000]);
      else {
        assert.equal(delays.length, 3);
        assert.ok(delays[0]! >= 10 && delays[0]! <= 20 && delays[2]! >= 40 && delays[2]! <= 80, `backoff ${delays}`);
      }
    } finally {
      await standIn.close();
    }
  }
});

test('a Retry-After beyond the limit (daily quota) stops the run with records not sent, resumable', async () => {
  const { standIn, endpoint, tokens } = await rig({ dailyLimit: 2 });
  try {
    const s = await uploadBatches(batchesOf(200), { endpoint, tokens, ...FAST, concurrency: 1 });
    assert.equal(s.stopped?.reason, 'throttled');
    assert.equal(s.totals.accepted, 100);
    assert.equal(s.totals.notSent, 100);
    assert.equal(standIn.stats.responses['429'], 1);
  } finally {
    await standIn.close();
  }
});

test('5xx is retried a bounded number of times, then the batch fails', async () => {
  const { standIn, endpoint, tokens } = await rig({ faults: { serverErrorRate: 1 } });
  try {
    const s = await uploadBatches(batchesOf(50), { endpoint, tokens, ...FAST, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    assert.equal(s.batches[0]!.status, 'failed');
    assert.equal(s.batches[0]!.attempts, 4);
    assert.ok([500, 503].includes(s.batches[0]!.httpStatus!));
    assert.equal(s.totals.failed, 50);
  } finally {
    await standIn.close();
  }
});
