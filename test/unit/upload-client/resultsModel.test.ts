import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptedExternalIds, applyOutcomes, buildResultsState, failedExternalIds, pendingExternalIds, resultsHtml, resultsView } from '../../../client/src/upload/resultsModel';
import type { UploadSummary } from '../../../src/targets/entra/upload';

const summary: UploadSummary = {
  endpoint: 'http://127.0.0.1:1/beta/servicePrincipals/s/synchronization/jobs/j/bulkUpload',
  startedAt: new Date(0).toISOString(),
  finishedAt: new Date(10).toISOString(),
  durationMs: 10,
  totals: { records: 3, sent: 3, accepted: 2, failed: 1, notSent: 0, previouslyAccepted: 0, batches: 2, retried: 0, calls: 2 },
  batches: [
    { seq: 0, first: 0, operations: 2, status: 'accepted', attempts: 1, httpStatus: 202 },
    { seq: 1, first: 2, operations: 1, status: 'failed', attempts: 1, httpStatus: 400, errorCode: 'BadRequest', errorMessage: 'Invalid Data Format' },
  ],
  records: [
    { ordinal: 0, bulkId: '1', externalId: '1', batch: 0, status: 'accepted' },
    { ordinal: 1, bulkId: '2', externalId: '2', batch: 0, status: 'accepted' },
    { ordinal: 2, bulkId: '3', externalId: '3', batch: 1, status: 'failed', errorCode: 'BadRequest', errorMessage: 'Invalid Data Format' },
  ],
};

test('results state: per batch and per record, then provisioning outcomes merged by externalId', () => {
  let s = buildResultsState(summary, { runId: 'r', profile: 'P', host: '127.0.0.1:1', jobId: 'j', labels: { '1': '<b>Ada</b>' }, notice: 'late' });
  assert.equal(s.records[0]!.label, '<b>Ada</b>', 'labels are data, escaped by the page');
  assert.equal(s.records[1]!.label, '2');
  assert.equal(s.records[2]!.error, 'BadRequest: Invalid Data Format');
  assert.equal(s.batches[1]!.error, 'BadRequest: Invalid Data Format');
  assert.deepEqual(acceptedExternalIds(s), ['1', '2']);
  assert.deepEqual(pendingExternalIds(s), ['1', '2']);
  s = applyOutcomes(s, [
    { externalId: '1', found: true, action: 'create', status: 'success' },
    { externalId: '2', found: false },
  ]);
  assert.deepEqual(pendingExternalIds(s), ['2']);
  assert.deepEqual([s.poll.found, s.poll.total], [1, 2]);
  s = applyOutcomes(s, [{ externalId: '2', found: true, action: 'create', status: 'failure', errorCode: 'UnableToResolveReferenceAttributeValue', reason: 'manager', recommendedAction: 'fix' }]);
  // A later "not found" does not erase an outcome already shown.
  s = applyOutcomes(s, [{ externalId: '1', found: false }]);
  assert.equal(s.records[0]!.provisioning?.status, 'success');
  assert.equal(s.records[1]!.provisioning?.errorCode, 'UnableToResolveReferenceAttributeValue');
  assert.deepEqual(pendingExternalIds(s), []);
});

test('the page: strict CSP with a nonce, no inline handlers, no HTML sinks', () => {
  const nonce = 'abcdefghijklmnopqrstuv';
  const html = resultsHtml(nonce, 'https://webview.example');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:\/\/(?!webview)/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, new RegExp(`<script nonce="${nonce}">`));
  assert.doesNotMatch(html, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\son\w+=/);
  assert.throws(() => resultsHtml('short', 'x'));
});

test('results view: the shared totals, rows with their outcome, and the records Resend failed sends', () => {
  let s = buildResultsState(summary, { runId: 'r', profile: 'P', host: 'h', jobId: 'j', labels: {}, notice: '', mappingUri: 'file:///m.scimmap.yaml' });
  s = applyOutcomes(s, [
    { externalId: '1', found: true, action: 'create', status: 'success', activityDateTime: '2026-01-01T00:00:00Z' },
    { externalId: '2', found: true, action: 'create', status: 'failure', errorCode: 'UnableToResolveReferenceAttributeValue', reason: 'manager', recommendedAction: 'fix' },
  ]);
  const v = resultsView(s);
  assert.equal(v.mappingUri, 'file:///m.scimmap.yaml');
  assert.deepEqual(v.rows.map((r) => [r.externalId, r.outcome, r.code ?? null]), [['1', 'created', null], ['2', 'failed', 'UnableToResolveReferenceAttributeValue'], ['3', 'failed', 'BadRequest']]);
  assert.equal(v.rows[0]!.time, '2026-01-01T00:00:00Z');
  assert.deepEqual([v.summary.created, v.summary.failed, v.summary.accepted, v.summary.ok], [1, 2, 2, false]);
  assert.deepEqual(failedExternalIds(s), ['2', '3']);
});
