import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkExport, confirmationText, countOperations, describeChoice, describeProgress, labelOf, locateSource, selectionIdentity, selectRequests } from '../../../client/src/upload/selection';
import { resolveProfile } from '../../../client/src/upload/profiles';
import { batchesOf, user } from '../upload/helpers';
import { tempDir } from '../../tempDirs';

test('selectRequests: first N, all, one record; re-batched at most 50 per request', () => {
  const reqs = batchesOf(120, 50);
  const first = selectRequests(reqs, { kind: 'first', count: 5 });
  assert.equal(first.length, 1);
  assert.deepEqual(first[0]!.Operations.map((o) => o.data.externalId), ['E000000', 'E000001', 'E000002', 'E000003', 'E000004']);
  assert.deepEqual(first[0]!.schemas, reqs[0]!.schemas);
  const many = selectRequests(reqs, { kind: 'first', count: 75 });
  assert.deepEqual(many.map((r) => r.Operations.length), [50, 25]);
  const all = selectRequests(reqs, { kind: 'all' });
  assert.equal(countOperations(all), 120);
  assert.ok(all.every((r) => r.Operations.length <= 50));
  const one = selectRequests(reqs, { kind: 'record', externalId: 'E000077' });
  assert.equal(countOperations(one), 1);
  assert.equal(one[0]!.Operations[0]!.data.externalId, 'E000077');
  assert.throws(() => selectRequests(reqs, { kind: 'record', externalId: 'nope', label: 'Nobody' }), /Nobody is not among/);
  assert.equal(countOperations(selectRequests(reqs, { kind: 'first', count: 500 })), 120);
  // Chosen elsewhere (the preview's "Send these records", Resend failed): exactly those, in input order.
  const chosen = selectRequests(reqs, { kind: 'records', externalIds: ['E000077', 'E000003', 'gone'] });
  assert.deepEqual(chosen.flatMap((r) => r.Operations.map((o) => o.data.externalId)), ['E000003', 'E000077']);
  assert.throws(() => selectRequests(reqs, { kind: 'records', externalIds: ['gone'], label: 'the 1 record that failed' }), /none of the 1 record that failed maps/);
  assert.equal(describeChoice({ kind: 'records', externalIds: ['a', 'b'] }, 120), '2 chosen records');
});

test('selectRequests keeps a smaller mapping batch size, and never more than 50', () => {
  const small = selectRequests(batchesOf(30, 10), { kind: 'all' });
  assert.deepEqual(small.map((r) => r.Operations.length), [10, 10, 10]);
  const big = { ...batchesOf(1, 1)[0]!, Operations: batchesOf(80, 80)[0]!.Operations };
  assert.deepEqual(selectRequests([big], { kind: 'all' }).map((r) => r.Operations.length), [50, 30]);
});

test('checkExport accepts the server answer and refuses garbage', () => {
  assert.equal(checkExport({ requests: batchesOf(3), failed: 2 }).failed, 2);
  assert.throws(() => checkExport(null), /no records/);
  assert.throws(() => checkExport({ requests: [{}] }), /malformed/);
});

test('selectionIdentity changes when a record changes', () => {
  const a = selectionIdentity(batchesOf(5));
  const changed = batchesOf(5);
  changed[0]!.Operations[2]!.data.displayName = 'Someone else';
  assert.equal(a.sha256, selectionIdentity(batchesOf(5)).sha256);
  assert.notEqual(a.sha256, selectionIdentity(changed).sha256);
});

test('the confirmation names host, service principal, job, tenant and count', () => {
  const ep = 'https://graph.microsoft.com/v1.0/servicePrincipals/8a1c0f6e-1111-2222-3333-444455556666/synchronization/jobs/API2AAD.0123456789abcdef0123456789abcdef.11111111-2222-3333-4444-555555555555/bulkUpload';
  const r = resolveProfile({ name: 'Prod', endpoint: ep, tenantId: 'contoso.onmicrosoft.com', clientId: 'app' });
  const c = confirmationText(r, { records: 5, requests: 1, choice: { kind: 'first', count: 5 }, total: 8, signIn: 'client secret sign-in for app app', mappingName: 'staff.scimmap.yaml' });
  assert.equal(c.message, 'Send 5 records to graph.microsoft.com?');
  for (const s of ['8a1c0f6e-1111-2222-3333-444455556666', 'API2AAD.0123456789abcdef0123456789abcdef.11111111-2222-3333-4444-555555555555', 'contoso.onmicrosoft.com', 'the first 5 of 8 records', 'staff.scimmap.yaml', 'personal data']) {
    assert.ok(c.detail.includes(s), `${s} missing in:\n${c.detail}`);
  }
  const local = resolveProfile({ name: 'L', endpoint: 'http://127.0.0.1:8400/beta/servicePrincipals/sp/synchronization/jobs/job/bulkUpload', tenantId: 't', clientId: 'c' });
  const lc = confirmationText(local, { records: 1, requests: 1, choice: { kind: 'record', externalId: '7', label: 'Ada' }, total: 8, signIn: 's', mappingName: 'm', resume: { previouslyAccepted: 3 } });
  assert.equal(lc.message, 'Resume the upload of 1 record to 127.0.0.1:8400 (local stand-in)?');
  assert.match(lc.detail, /3 record\(s\) already accepted/);
  assert.match(lc.detail, /Warning: job id 'job'/);
  assert.doesNotMatch(lc.detail, /personal data/);
});

test('the confirmation names the sign-in host and the source file, and says when the file lies outside the workspace', () => {
  const dir = tempDir('scimmap-confirm-');
  try {
    const ws = join(dir, 'repo');
    mkdirSync(join(ws, 'data'), { recursive: true });
    writeFileSync(join(ws, 'data', 'staff.csv'), 'x');
    writeFileSync(join(dir, 'hr-export.csv'), 'x');
    symlinkSync(join(dir, 'hr-export.csv'), join(ws, 'data', 'link.csv'));
    const r = resolveProfile({ name: 'P', endpoint: 'https://graph.microsoft.us/v1.0/servicePrincipals/8a1c0f6e-1111-2222-3333-444455556666/synchronization/jobs/j/bulkUpload', tenantId: 't', clientId: 'c' });
    const base = { records: 1, requests: 1, choice: { kind: 'all' } as const, total: 1, signIn: 's', mappingName: 'm.scimmap.yaml' };
    const inside = confirmationText(r, { ...base, source: locateSource(join(ws, 'data', 'staff.csv'), [ws]) });
    assert.match(inside.detail, /^Sign-in host: login\.microsoftonline\.us$/m);
    assert.match(inside.detail, /^Source file: data\/staff\.csv$/m);
    assert.doesNotMatch(inside.detail, /OUTSIDE/);
    const outside = confirmationText(r, { ...base, source: locateSource(join(dir, 'hr-export.csv'), [ws]) });
    assert.match(outside.detail, /Source file: .*hr-export\.csv — OUTSIDE the workspace/);
    assert.match(outside.detail, /Warning: the records are read from .*hr-export\.csv, which is not in this workspace/);
    assert.equal(locateSource(join(ws, 'data', 'link.csv'), [ws]).relative, undefined, 'a symlink out of the workspace is outside');
    assert.equal(locateSource(join(ws, 'data', 'staff.csv'), []).relative, undefined);
    const local = resolveProfile({ name: 'L', endpoint: 'http://127.0.0.1:8400/beta/servicePrincipals/sp/synchronization/jobs/job/bulkUpload', tenantId: 't', clientId: 'c' });
    assert.match(confirmationText(local, base).detail, /^Sign-in host: 127\.0\.0\.1:8400 — local stand-in on this machine$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('labels and progress lines', () => {
  assert.equal(labelOf({ method: 'POST', bulkId: 'b', path: '/Users', data: user(3) }), 'User 3');
  assert.equal(labelOf({ method: 'POST', bulkId: 'b', path: '/Users', data: { ...user(3), displayName: undefined } }), 'e000003@contoso.com');
  assert.equal(describeChoice({ kind: 'all' }, 1), 'all 1 record');
  const totals = { records: 5, sent: 5, accepted: 5, failed: 0, notSent: 0, previouslyAccepted: 0, batches: 1, retried: 1, calls: 2 };
  assert.match(describeProgress({ type: 'batch-done', batch: { seq: 0, first: 0, operations: 5, status: 'accepted', attempts: 2 }, totals }) ?? '', /request 1 \(5 records\) accepted \(HTTP 202, 2 attempts\)/);
  assert.match(describeProgress({ type: 'retry', seq: 0, attempt: 1, delayMs: 1000, reason: 'throttled (429)' }) ?? '', /retrying in 1\.0 s/);
  assert.equal(describeProgress({ type: 'batch-sent', seq: 0, attempt: 1, operations: 5 }), undefined);
});
