/** The Sync Plan view model and the Run Sync confirmation (pure parts of client/src/sync). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { operationRows, OPERATION_ROWS, planHtml, planViewState, syncConfirmation, IDS_PER_CLASS } from '../../../client/src/sync/planModel';
import type { RecordOutcome, UploadSummary } from '../../../src/delivery/types';
import type { SyncPlan, SyncRunResult } from '../../../src/sync';
import { parseEndpoint } from '../../../src/targets/entra/upload';

const endpoint = parseEndpoint('https://graph.microsoft.com/v1.0/servicePrincipals/11111111-2222-3333-4444-555555555555/synchronization/jobs/API2AAD.0123456789abcdef0123456789abcdef.00000000-0000-0000-0000-000000000001/bulkUpload');
const ctx = { destination: 'entra' as const, endpoint, signInHost: 'https://login.microsoftonline.com', profile: 'prod', mapping: 'hr.scimmap.yaml', input: '/data/hr.csv' };

function plan(): SyncPlan {
  const many = Array.from({ length: 250 }, (_, i) => `E${i}`);
  return {
    exportRecords: 1003, stateEntries: 1000, stateActive: 990, missing: 'disable',
    counts: { create: 3, update: 250, unchanged: 745, reactivate: 1, disable: 2, failed: 1, missingIgnored: 0, skipped: 0 },
    unidentified: 0, classes: new Uint8Array(), disables: new Uint32Array(),
    ids: { create: ['N1', 'N2', 'N3'], update: many, unchanged: [], reactivate: ['R1'], disable: ['<b>D1</b>', 'D2'], failed: ['F1'] },
    failures: [{ record: 7, externalId: 'F1', errors: [{ code: 'invalid-email', attribute: 'emails', message: 'not an e-mail address' }] }],
  };
}

describe('sync plan view model', () => {
  it('has every class with its full count and at most IDS_PER_CLASS ids', () => {
    const r: SyncRunResult = { runId: 'r', statePath: '/s', historyPath: '/h', plan: plan(), verdicts: [{ guard: 'max-disable', verdict: 'pass', message: 'ok' }], refused: false, disablesHeld: false, stateRepairedBytes: 0, exitCode: 0 };
    const s = planViewState(r, ctx, 'plan');
    assert.deepEqual(s.classes.map((c) => [c.name, c.count]), [['create', 3], ['update', 250], ['unchanged', 745], ['reactivate', 1], ['disable', 2], ['failed', 1]]);
    assert.equal(s.classes.find((c) => c.name === 'update')!.ids.length, IDS_PER_CLASS);
    assert.equal(s.signInHost, 'login.microsoftonline.com');
    assert.equal(s.host, 'graph.microsoft.com');
    assert.deepEqual(s.failures, [{ record: 7, externalId: 'F1', message: 'emails: not an e-mail address' }]);
  });

  it('the confirmation names the endpoint, the sign-in host and the counts per class', () => {
    const c = syncConfirmation(plan(), { ...ctx, signIn: 'client secret sign-in for app 1234', statePath: '/state/hr.state' });
    assert.equal(c.message, 'Sync hr.scimmap.yaml to graph.microsoft.com: 256 operations, 2 disables?');
    assert.match(c.detail, /^Endpoint: https:\/\/graph\.microsoft\.com\/v1\.0\/servicePrincipals\//m);
    assert.match(c.detail, /^Sign-in host: login\.microsoftonline\.com \(client secret sign-in for app 1234\)$/m);
    assert.match(c.detail, /^Create 3 · update 250 · reactivate 1 · disable 2 · unchanged \(not sent\) 745 · failing the mapping \(not sent\) 1$/m);
    assert.match(c.detail, /2 accounts will be disabled/);
  });

  it('a SCIM sync: the confirmation names the base URL, the sign-in, how the records go, the warnings and the deactivations', () => {
    const scim = { destination: 'scim' as const, endpoint: { url: 'http://127.0.0.1:4567/scim/v2', origin: 'http://127.0.0.1:4567', loopback: true }, signInHost: 'http://127.0.0.1:4567', profile: 'app', mapping: 'hr.scimmap.yaml', input: '/data/hr.csv' };
    const c = syncConfirmation(plan(), { ...scim, signIn: 'a bearer token from VS Code\'s secret storage', statePath: '/s', path: '/Bulk, up to 100 users per request; patch yes, etag no', warnings: ['warning: server-x: something'] });
    assert.equal(c.message, 'Sync hr.scimmap.yaml to 127.0.0.1:4567 (SCIM, on this machine): 256 operations, 2 disables?');
    assert.match(c.detail, /^SCIM base URL: http:\/\/127\.0\.0\.1:4567\/scim\/v2$/m);
    assert.match(c.detail, /^Sign-in: a bearer token from VS Code's secret storage$/m);
    assert.match(c.detail, /^Sending: \/Bulk, up to 100 users per request; patch yes, etag no$/m);
    assert.match(c.detail, /^Warning: warning: server-x: something$/m);
    assert.match(c.detail, /2 accounts will be deactivated on the server \(PATCH active: false/);
    assert.doesNotMatch(c.detail, /^Job:/m);
    const s = planViewState({ runId: 'r', statePath: '/s', historyPath: '/h', plan: plan(), verdicts: [], refused: false, disablesHeld: false, stateRepairedBytes: 0, exitCode: 0 }, scim, 'plan');
    assert.equal(s.destination, 'scim');
    assert.equal(s.jobId, '');
    assert.deepEqual(s.operations, []);
  });

  it('lists the run per operation, those not accepted first, at most OPERATION_ROWS', () => {
    const rec = (i: number, o: Partial<RecordOutcome>): RecordOutcome => ({ ordinal: i, bulkId: `record-${i + 1}`, batch: i, status: 'accepted', ...o });
    const records: RecordOutcome[] = [
      rec(0, { externalId: 'E1', action: 'created', httpStatus: 201, serverId: 'u1' }),
      rec(1, { bulkId: 'record-1:manager', externalId: 'E1', action: 'linked', httpStatus: 200 }),
      rec(2, { externalId: 'L9', status: 'failed', errorCode: 'NotFound', errorMessage: 'no such user' }),
      rec(3, { externalId: 'L1', action: 'deactivated', httpStatus: 200, serverId: 'u7' }),
    ];
    const summary = { records } as unknown as UploadSummary;
    const { operations, operationsOmitted } = operationRows({ summary });
    assert.deepEqual(operations.map((x) => [x.id, x.link, x.status, x.action ?? '']), [['L9', false, 'failed', ''], ['E1', false, 'accepted', 'created'], ['E1', true, 'accepted', 'linked'], ['L1', false, 'accepted', 'deactivated']]);
    assert.equal(operations[0]!.message, 'NotFound: no such user');
    assert.equal(operationsOmitted, 0);
    const many = { records: Array.from({ length: OPERATION_ROWS + 7 }, (_, i) => rec(i, { externalId: `E${i}` })) } as unknown as UploadSummary;
    const cut = operationRows({ summary: many });
    assert.equal(cut.operations.length, OPERATION_ROWS);
    assert.equal(cut.operationsOmitted, 7);
    assert.deepEqual(operationRows({}), { operations: [], operationsOmitted: 0 });
  });

  it('the page builds its DOM with textContent only and loads nothing', () => {
    const html = planHtml('abcdefghijklmnop1234', 'vscode-resource:');
    assert.match(html, /default-src 'none'/);
    assert.doesNotMatch(html, /innerHTML|insertAdjacentHTML|outerHTML|document\.write/);
    assert.throws(() => planHtml('short', 'x'), /nonce/);
  });
});
