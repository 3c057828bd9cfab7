import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEndpoint, pollProvisioningResults, queryProvisioningLogs, staticTokenProvider, uploadBatches, LOG_LAG_NOTICE } from '../../../src/targets/entra/upload';
import { startStandIn } from '../../../src/targets/entra/standin';
import { ENTERPRISE_USER_URN } from '../../../src/engine/types';
import { bulk, FAST, user } from './helpers';

const mgr = (i: number, managerId: string) => user(i, { [ENTERPRISE_USER_URN]: { employeeNumber: String(i), manager: { value: managerId } } });

test('provisioning results: create, update, disable, unresolved manager, unverified domain — after the log delay', async () => {
  const standIn = await startStandIn({ logDelayMs: 300, verifiedDomains: ['contoso.com'] });
  try {
    for (const version of ['beta', 'v1.0'] as const) {
      const endpoint = parseEndpoint(standIn.endpointUrl(`API2AAD.job-${version}`, { version }));
      const tokens = staticTokenProvider(standIn.issueToken());
      // Upload 1: the manager; upload 2 references it (known to the job across uploads), plus failures.
      const before = new Date();
      await uploadBatches([bulk([user(1), user(2)])], { endpoint, tokens, ...FAST });
      // Upload 1's logs are written when it is processed (after the delay): wait for them, so that the window of
      // upload 2 cannot hold them (a loaded machine would otherwise let them land after \`since\`).
      const first = await pollProvisioningResults({ endpoint, tokens, externalIds: ['E000001', 'E000002'], since: before, deadlineMs: 10_000, intervalMs: 50 });
      assert.equal(first.complete, true);
      const since = new Date();
      const s = await uploadBatches(
        [bulk([mgr(3, 'E000001'), mgr(4, 'NOPE-999'), user(5, { userName: 'x5@fabrikam.com' }), user(2, { active: false }), user(1, { displayName: 'Renamed' })])],
        { endpoint, tokens, ...FAST },
      );
      assert.equal(s.totals.accepted, 5);
      const early = await pollProvisioningResults({ endpoint, tokens, externalIds: ['E000003'], since, deadlineMs: 1, intervalMs: 1 });
      assert.equal(early.complete, false, 'logs lag behind the upload');
      assert.equal(early.notice, '', 'the stand-in is loopback: no lag notice');
      assert.ok(LOG_LAG_NOTICE.includes('5–10 minutes'));
      const rounds: number[] = [];
      const r = await pollProvisioningResults({
        endpoint,
        tokens,
        externalIds: ['E000003', 'E000004', 'E000005', 'E000002', 'E000001'],
        since,
        deadlineMs: 10_000,
        intervalMs: 100,
        onProgress: (p) => rounds.push(p.found),
      });
      assert.equal(r.complete, true);
      assert.ok(rounds.length >= 2, 'polled more than once');
      const by = new Map(r.outcomes.map((o) => [o.externalId, o]));
      assert.deepEqual([by.get('E000003')!.action, by.get('E000003')!.status], ['create', 'success']);
      const m = by.get('E000004')!;
      assert.equal(m.status, 'failure');
      assert.equal(m.errorCode, 'UnableToResolveReferenceAttributeValue');
      assert.match(m.reason!, /NOPE-999/);
      assert.ok(m.recommendedAction);
      assert.equal(m.steps!.find((x) => x.provisioningStepType === 'referenceResolution')!.status, 'failure');
      const d = by.get('E000005')!;
      assert.equal(d.status, 'failure');
      assert.equal(d.errorCode, 'InvalidDomainName');
      assert.match(d.reason!, /fabrikam\.com/);
      assert.equal(by.get('E000002')!.action, 'disable');
      assert.equal(by.get('E000001')!.action, 'update', 'second upload of the same externalId updates');
      assert.equal(standIn.users(endpoint.jobId).get('E000002')!.accountEnabled, false);
    }
  } finally {
    await standIn.close();
  }
});

test('log queries: $filter with and, status filter, $top paging through @odata.nextLink; or refused when disabled', async () => {
  const standIn = await startStandIn({ allowOrInFilter: false });
  try {
    const endpoint = parseEndpoint(standIn.endpointUrl());
    const tokens = staticTokenProvider(standIn.issueToken());
    await uploadBatches([bulk(Array.from({ length: 23 }, (_, i) => user(i, i % 5 === 0 ? { userName: `u${i}@unverified.example` } : {})))], { endpoint, tokens, ...FAST });
    const opts = { endpoint, tokens, externalIds: [], pageSize: 7 };
    const all = await queryProvisioningLogs(opts, `jobId eq '${endpoint.jobId}'`);
    assert.equal(all.length, 23);
    const failures = await queryProvisioningLogs(opts, `jobId eq '${endpoint.jobId}' and provisioningStatusInfo/status eq 'failure'`);
    assert.equal(failures.length, 5);
    const one = await queryProvisioningLogs(opts, `jobId eq '${endpoint.jobId}' and sourceIdentity/id eq 'E000007'`);
    assert.equal(one.length, 1);
    assert.equal((await queryProvisioningLogs(opts, `jobId eq 'other'`)).length, 0);
    // Polling needs no undocumented `or`: one window query per round, paged with $top and @odata.nextLink.
    const queries: string[] = [];
    const recording: typeof fetch = (input, init) => {
      queries.push(decodeURIComponent(String(input instanceof Request ? input.url : input)));
      return fetch(input, init);
    };
    const ids = Array.from({ length: 23 }, (_, i) => `E${String(i).padStart(6, '0')}`);
    const polled = await pollProvisioningResults({ ...opts, externalIds: ids, since: new Date(Date.now() - 60_000), deadlineMs: 1, fetch: recording });
    assert.equal(polled.complete, true);
    assert.equal(polled.outcomes.filter((o) => o.status === 'failure').length, 5);
    assert.equal(queries.length, 4, `23 entries in pages of 7: ${queries.join(' | ')}`);
    assert.match(queries[0]!, /\$filter=jobId eq '[^']+' and activityDateTime gt \d{4}-\d{2}-\d{2}T[\d:.]+Z&\$top=7$/);
    assert.ok(queries.slice(1).every((q) => q.includes('$skiptoken=')), 'later pages follow @odata.nextLink');
    // Waiting for fewer records stops paging once they are all found (newest first).
    queries.length = 0;
    await pollProvisioningResults({ ...opts, externalIds: ['E000022'], since: new Date(Date.now() - 60_000), deadlineMs: 1, fetch: recording });
    assert.equal(queries.length, 1);
    assert.equal(polled.notice, '', 'no 5–10 minute notice for the loopback stand-in');
    // Reading logs needs a log permission.
    const uploadOnly = staticTokenProvider(standIn.issueToken({ roles: ['SynchronizationData-User.Upload'] }));
    await assert.rejects(queryProvisioningLogs({ ...opts, tokens: uploadOnly }, `jobId eq 'x'`), /403.*ProvisioningLog\.Read\.All/);
  } finally {
    await standIn.close();
  }
});
