/** The results view's model for SCIM uploads: one row per operation with the server's answer; escaped page. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildResultsState, failedExternalIds, acceptedExternalIds, pendingExternalIds, resultRows, resultsView } from '../../../client/src/upload/resultsModel';
import { scimHeadline, scimResultsCsv, scimResultsJson, scimTotals } from '../../../client/src/upload/scimResults';
import { resultsCsv } from '../../../src/targets/entra/upload/outcomes';
import type { UploadSummary } from '../../../src/delivery/types';

const EVIL = '<img src=x onerror=alert(1)>';
const summary: UploadSummary = {
  endpoint: 'http://127.0.0.1:9/scim/v2',
  startedAt: new Date(0).toISOString(),
  finishedAt: new Date(10).toISOString(),
  durationMs: 10,
  totals: { records: 6, sent: 5, accepted: 4, failed: 1, notSent: 1, previouslyAccepted: 0, batches: 6, retried: 0, calls: 9 },
  batches: [],
  records: [
    { ordinal: 0, bulkId: 'E1', externalId: 'E1', batch: 0, status: 'accepted', action: 'created', httpStatus: 201, serverId: 'u-1' },
    { ordinal: 1, bulkId: 'E2', externalId: 'E2', batch: 1, status: 'accepted', action: 'unchanged', httpStatus: 200, serverId: 'u-2' },
    { ordinal: 2, bulkId: 'E3', externalId: 'E3', batch: 2, status: 'failed', errorCode: 'invalidValue', errorMessage: EVIL, httpStatus: 400, scimType: 'invalidValue' },
    { ordinal: 3, bulkId: 'E4', externalId: 'E4', batch: 3, status: 'not-sent' },
    { ordinal: 4, bulkId: 'E2:manager', externalId: 'E2', batch: 4, status: 'accepted', action: 'linked', httpStatus: 200, serverId: 'u-2' },
    { ordinal: 5, bulkId: 'E3:manager', externalId: 'E3', batch: 5, status: 'failed', errorCode: 'ManagerNotFound', errorMessage: 'the manager "E9" is not on the server' },
  ],
};
const meta = { runId: 'r', profile: 'Scimmy', host: '127.0.0.1:9', jobId: '', labels: { E1: 'Ada', E2: 'Grace' }, notice: '', mappingUri: 'file:///m.scimmap.yaml', target: 'scim' as const };

test('SCIM rows: action, HTTP status, server id, scimType and detail per operation; manager links marked', () => {
  const s = buildResultsState(summary, meta);
  assert.equal(s.target, 'scim');
  assert.equal(s.poll.state, 'stopped', 'no provisioning logs to poll');
  assert.deepEqual(acceptedExternalIds(s), []);
  assert.deepEqual(pendingExternalIds(s), []);
  const rows = resultRows(s);
  assert.deepEqual(rows.map((r) => [r.externalId, r.outcome, r.action, r.httpStatus, r.serverId, r.link]), [
    ['E1', 'created', 'created', 201, 'u-1', false],
    ['E2', 'other', 'unchanged', 200, 'u-2', false],
    ['E3', 'failed', 'upload', 400, undefined, false],
    ['E4', 'not-sent', undefined, undefined, undefined, false],
    ['E2', 'other', 'linked', 200, 'u-2', true],
    ['E3', 'failed', 'upload', undefined, undefined, true],
  ]);
  assert.equal(rows[2]!.code, 'invalidValue');
  assert.equal(rows[2]!.scimType, 'invalidValue');
  assert.equal(rows[2]!.reason, EVIL, 'server text is data (the page writes it as text)');
  assert.equal(rows[5]!.code, 'ManagerNotFound');
  assert.equal(rows[1]!.label, 'Grace');
  // Resend failed: each failing person once (a user and its manager link share the externalId).
  assert.deepEqual(failedExternalIds(s), ['E3']);
});

test('SCIM totals and headline count users and manager links apart; the shared summary does not count failures as accepted', () => {
  const v = resultsView(buildResultsState(summary, meta));
  assert.deepEqual(v.scimTotals, { created: 1, updated: 0, unchanged: 1, linked: 1, linksUnchanged: 0, earlier: 0, failed: 2, notSent: 1 });
  assert.equal(v.headlineText, '1 created · 1 unchanged · 1 manager link set · 2 failed · 1 not sent');
  assert.equal(v.summary.accepted, 3);
  assert.equal(v.summary.failed, 2);
  assert.deepEqual(v.summary.byCode.map((c) => [c.code, c.count]), [['invalidValue', 1], ['ManagerNotFound', 1]]);
  assert.equal(scimHeadline(scimTotals([])), '0 failed');
  assert.equal(scimHeadline({ created: 0, updated: 2, unchanged: 0, linked: 0, linksUnchanged: 3, earlier: 0, failed: 0, notSent: 0 }), '2 updated · 3 manager links already right · 0 failed');
  // A resumed run: what the interrupted run did is counted apart (the journal does not keep the server's action).
  const resumed = resultsView(buildResultsState({ ...summary, records: [{ ordinal: 0, bulkId: 'E1', externalId: 'E1', batch: 0, status: 'accepted', previouslyAccepted: true }, summary.records[1]!] }, meta));
  assert.equal(resumed.rows[0]!.action, 'done earlier');
  assert.equal(resumed.headlineText, '1 unchanged · 1 done by the interrupted run · 0 failed');
  // Export: the SCIM action is the action column.
  assert.match(resultsCsv(resultRows(buildResultsState(summary, meta))), /\r\nE2,linked,accepted,,,\r\n/);
});

test('an Entra run is unchanged by the SCIM fields', () => {
  const entra = buildResultsState({ ...summary, records: summary.records.slice(0, 2) }, { ...meta, target: undefined });
  assert.equal(entra.target, undefined);
  assert.equal(entra.records[0]!.scim, undefined);
  assert.equal(resultsView(entra).headlineText, undefined);
  assert.deepEqual(acceptedExternalIds(entra), ['E1', 'E2']);
});

test('SCIM export: operation, action, HTTP status, server id, scimType and detail; spreadsheet formulas defused', () => {
  const s = buildResultsState({ ...summary, records: [...summary.records.slice(0, 3), { ...summary.records[5]!, errorMessage: '=HYPERLINK("http://x")' }] }, meta);
  const rows = resultRows(s);
  const csv = scimResultsCsv(rows).split('\r\n');
  assert.equal(csv[0], 'externalId,operation,action,status,httpStatus,serverId,code,scimType,reason');
  assert.equal(csv[1], 'E1,user,created,accepted,201,u-1,,,');
  assert.equal(csv[3], `E3,user,,failed,400,,invalidValue,invalidValue,${EVIL}`);
  assert.equal(csv[4], `E3,manager,,failed,,,ManagerNotFound,,"'=HYPERLINK(""http://x"")"`);
  const json = JSON.parse(scimResultsJson(rows)) as { totals: { scim: { created: number; failed: number } }; records: Array<Record<string, unknown>> };
  assert.equal(json.totals.scim.created, 1);
  assert.equal(json.totals.scim.failed, 2);
  assert.deepEqual(json.records[0], { externalId: 'E1', operation: 'user', action: 'created', status: 'accepted', httpStatus: 201, serverId: 'u-1', code: null, scimType: null, reason: null });
});
