/** Guard thresholds and verdicts (pure), the mapping's sync section, and state changes only on 202. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { DEFAULT_MAX_DISABLE, DEFAULT_MIN_RECORDS, evaluateGuards, parseThreshold, type SyncPlan } from '../../../src/sync';
import { DEFAULT_JOB_ID, startStandIn } from '../../../src/targets/entra/standin';
import { cli, mappingText, people, tempDir, writeExport } from './helpers';

function plan(p: Partial<SyncPlan> & { disable?: number }): SyncPlan {
  const counts = { create: 0, update: 0, unchanged: 0, reactivate: 0, disable: p.disable ?? 0, failed: 0, missingIgnored: 0, skipped: 0 };
  return { exportRecords: 1000, stateEntries: 1000, stateActive: 1000, missing: 'disable', counts, unidentified: 0, classes: new Uint8Array(), disables: new Uint32Array(), ids: { create: [], update: [], unchanged: [], reactivate: [], disable: [], failed: [] }, failures: [], ...p };
}
const verdict = (v: ReturnType<typeof evaluateGuards>, guard: string) => v.find((x) => x.guard === guard)?.verdict;

describe('sync guards', () => {
  it('parses counts and shares, and refuses anything else', () => {
    assert.deepEqual(parseThreshold('500', 'x'), { count: 500 });
    assert.deepEqual(parseThreshold('12.5%', 'x'), { percent: 12.5 });
    for (const bad of ['', '-1', '1.5', '150%', 'ten', '5 %%', '1e3']) assert.throws(() => parseThreshold(bad, '--max-disable'), /--max-disable/, bad);
  });

  it('max-disable: 500 by default (as Entra), or a share of the active accounts', () => {
    const base = { minRecords: DEFAULT_MIN_RECORDS, lastExportRecords: 1000 };
    assert.equal(verdict(evaluateGuards({ ...base, plan: plan({ disable: 500, stateActive: 100_000 }), maxDisable: DEFAULT_MAX_DISABLE }), 'max-disable'), 'pass');
    assert.equal(verdict(evaluateGuards({ ...base, plan: plan({ disable: 501, stateActive: 100_000 }), maxDisable: DEFAULT_MAX_DISABLE }), 'max-disable'), 'refuse');
    assert.equal(verdict(evaluateGuards({ ...base, plan: plan({ disable: 50 }), maxDisable: { percent: 5 } }), 'max-disable'), 'pass');
    assert.equal(verdict(evaluateGuards({ ...base, plan: plan({ disable: 51 }), maxDisable: { percent: 5 } }), 'max-disable'), 'refuse');
  });

  it('min-records: 90% of the last run by default; no baseline on the first run; empty is always refused', () => {
    const g = (exportRecords: number, last?: number, minRecords = DEFAULT_MIN_RECORDS) => evaluateGuards({ plan: plan({ exportRecords }), lastExportRecords: last, maxDisable: DEFAULT_MAX_DISABLE, minRecords });
    assert.equal(verdict(g(900, 1000), 'min-records'), 'pass');
    assert.equal(verdict(g(899, 1000), 'min-records'), 'refuse');
    assert.match(g(899, 1000).find((v) => v.guard === 'min-records')!.override!, /--min-records 899/);
    assert.equal(verdict(g(899, 1000, { count: 899 }), 'min-records'), 'pass');
    assert.equal(verdict(g(5), 'min-records'), 'pass');
    assert.equal(verdict(g(0, undefined, { count: 0 }), 'export-empty'), 'refuse');
  });

  it('holds the disables back when a failing record has no externalId (it could be one of the "leavers")', () => {
    const v = evaluateGuards({ plan: plan({ disable: 3, unidentified: 1 }), lastExportRecords: 1000, maxDisable: DEFAULT_MAX_DISABLE, minRecords: DEFAULT_MIN_RECORDS });
    assert.equal(verdict(v, 'hold-disables'), 'hold');
    assert.ok(!v.some((x) => x.verdict === 'refuse'));
  });
});

describe('the mapping\'s sync section', () => {
  const text = (v: string) => `scimmap: 1\ntarget: entra\nmappings:\n  externalId: id\n  userName: upn\n  active: true\nsync:\n  missing: ${v}\n`;
  it('accepts disable and ignore, and reports anything else at the value', () => {
    for (const ok of ['disable', 'ignore']) assert.deepEqual(analyzeMappingText(text(ok)).diagnostics.filter((d) => d.severity === 'error'), [], ok);
    const bad = analyzeMappingText(text('ignroe')).diagnostics.find((d) => d.severity === 'error');
    assert.equal(bad?.code, 'mapping-structure');
    assert.match(bad!.message, /sync.missing must be disable .* or ignore, not 'ignroe'/);
    assert.equal(text('ignroe').slice(bad!.start, bad!.end), 'ignroe');
  });
});

describe('the state changes only for operations the target accepted', () => {
  it('a run stopped by a 403 records nothing; the next run plans the same operations again', async () => {
    const dir = tempDir();
    const standIn = await startStandIn({ verifiedDomains: ['contoso.com'], logDelayMs: 0 });
    try {
      fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), mappingText());
      writeExport(path.join(dir, 'people.csv'), people(60));
      const args = ['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 's.state', '--format', 'json'];
      const denied = await cli(args, dir, { SCIMMAP_TOKEN: standIn.issueToken({ roles: ['AuditLog.Read.All'] }) });
      assert.equal(denied.code, 1, denied.err);
      assert.match(denied.err, /access denied/);
      const again = await cli(args, dir, { SCIMMAP_TOKEN: standIn.issueToken() });
      assert.equal(again.code, 0, again.err);
      assert.equal((JSON.parse(again.out) as { plan: { counts: { create: number } } }).plan.counts.create, 60);
      standIn.flushLogs();
      assert.equal(standIn.users(DEFAULT_JOB_ID).size, 60);
    } finally {
      await standIn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing record without an externalId holds the disables back; creates still go (exit 1)', async () => {
    const dir = tempDir();
    const standIn = await startStandIn({ verifiedDomains: ['contoso.com'], logDelayMs: 0 });
    try {
      fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), mappingText());
      const args = ['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 's.state', '--format', 'json'];
      const env = { SCIMMAP_TOKEN: standIn.issueToken() };
      writeExport(path.join(dir, 'people.csv'), people(20));
      assert.equal((await cli(args, dir, env)).code, 0);
      // E0020 is gone, E0021 joins, and one row has no id: it could be E0020 with a broken id.
      writeExport(path.join(dir, 'people.csv'), [...people(19), ...people(1, 21), { id: '', login: 'nobody', name: 'No Id' }]);
      const r = await cli(args, dir, env);
      assert.equal(r.code, 1, r.err);
      const run = JSON.parse(r.out) as { disablesHeld: boolean; plan: { counts: { disable: number; create: number; failed: number } } };
      assert.equal(run.disablesHeld, true);
      assert.deepEqual([run.plan.counts.disable, run.plan.counts.create, run.plan.counts.failed], [1, 1, 1]);
      standIn.flushLogs();
      assert.equal(standIn.users(DEFAULT_JOB_ID).get('E0020')?.accountEnabled, true, 'not disabled while a record is unidentified');
      assert.ok(standIn.users(DEFAULT_JOB_ID).get('E0021'), 'the joiner was created');
    } finally {
      await standIn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a dataset error (active false on every record) refuses the run (exit 3); --force sends', async () => {
    const dir = tempDir();
    const standIn = await startStandIn({ verifiedDomains: ['contoso.com'], logDelayMs: 0 });
    try {
      fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), mappingText().replace('  active: true', '  active: \'name = "nobody"\''));
      writeExport(path.join(dir, 'people.csv'), people(5));
      const args = ['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 's.state', '--format', 'json'];
      const env = { SCIMMAP_TOKEN: standIn.issueToken() };
      const refused = await cli(args, dir, env);
      assert.equal(refused.code, 3, refused.err);
      const run = JSON.parse(refused.out) as { guards: Array<{ guard: string; verdict: string; message: string }> };
      assert.ok(run.guards.some((g) => g.guard === 'dataset' && g.verdict === 'refuse' && /active is false on every record/.test(g.message)), JSON.stringify(run.guards));
      assert.equal(standIn.stats.requests, 0);
      const forced = await cli([...args, '--force'], dir, env);
      assert.equal(forced.code, 0, forced.err);
      assert.equal(standIn.stats.acceptedOperations, 5);
    } finally {
      await standIn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2: bad thresholds, no endpoint, a state that is not one', async () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), mappingText());
      writeExport(path.join(dir, 'people.csv'), people(3));
      const ep = 'http://127.0.0.1:9/v1.0/servicePrincipals/00000000-0000-0000-0000-0000000000aa/synchronization/jobs/API2AAD.0123456789abcdef0123456789abcdef.00000000-0000-0000-0000-000000000001/bulkUpload';
      assert.equal((await cli(['sync', 'm.scimmap.yaml', '--endpoint', ep, '--max-disable', 'lots', '--dry-run'], dir)).code, 2);
      assert.equal((await cli(['sync', 'm.scimmap.yaml', '--dry-run'], dir)).code, 2);
      fs.writeFileSync(path.join(dir, 'bad.state'), 'not a state, just text'.repeat(4));
      const r = await cli(['sync', 'm.scimmap.yaml', '--endpoint', ep, '--state', 'bad.state', '--dry-run'], dir);
      assert.equal(r.code, 2);
      assert.match(r.err, /not a SCIM Mapper sync state/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
