/**
 * `scimmap sync --wait` against the stand-in: the provisioning outcomes of what the sync sent (creates, an
 * update, a disable), reported like `scimmap upload --wait` (the same code, src/cli/provisioningWait.ts), and the
 * same exit codes: 1 when a record failed provisioning or has no log entry by the deadline.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startStandIn, type StandIn } from '../../../src/targets/entra/standin';
import { cli, tempDir } from './helpers';

const MAPPING = ['scimmap: 1', 'source:', '  sample: people.csv', '  key: id', 'target: entra', 'mappings:', '  externalId: id', '  userName: upn', '  displayName: name', '  active: true', ''].join('\n');

interface JsonRun {
  exitCode: number;
  provisioning?: { complete: boolean; outcomes: { externalId: string; status: string }[] };
  results?: { totals: { records: number; created: number; updated: number; disabled: number; failed: number; pending: number }; records: { externalId: string; outcome: string; code?: string }[] };
}

describe('scimmap sync --wait', () => {
  let dir: string;
  let standIn: StandIn;
  let env: NodeJS.ProcessEnv;
  const write = (rows: string[]) => fs.writeFileSync(path.join(dir, 'people.csv'), `id,upn,name\n${rows.join('\n')}\n`);
  const sync = (...extra: string[]) => cli(['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 'hr.state', ...extra], dir, env);

  before(async () => {
    dir = tempDir();
    standIn = await startStandIn({ verifiedDomains: ['contoso.com'], logDelayMs: 0 });
    env = { SCIMMAP_TOKEN: standIn.issueToken() };
    fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), MAPPING);
  });
  after(async () => {
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints what Entra did and exits 1 when a record failed provisioning, though every record was accepted', async () => {
    // fabrikam.com is not a verified domain of the stand-in's tenant: accepted by the API, failed by provisioning.
    write(['E1,ana@contoso.com,Ana', 'E2,bo@contoso.com,Bo', 'E3,cy@fabrikam.com,Cy']);
    const r = await sync('--wait', '--poll-interval', '1');
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^Sent 3 operation\(s\) in 1 call\(s\): 3 accepted, 0 failed, 0 not sent/m);
    assert.match(r.out, /^Provisioning: 2 created · 1 failed — 3 of 3 accepted by the API$/m);
    assert.match(r.out, /^    create\/success: 2$/m);
    assert.match(r.out, /^    InvalidDomainName ×1$/m);
    assert.match(r.out, /^Records that failed provisioning:\n {2}E3 {2}create {2}InvalidDomainName$/m);
    assert.match(r.err, /provisioning logs: 3\/3 record\(s\) logged/);
  });

  it('an update and a disable, as JSON: the outcomes per record, exit 0 when all were provisioned', async () => {
    write(['E1,ana@contoso.com,Ana Silva', 'E3,cy@contoso.com,Cy']); // E1 changed, E2 left, E3 fixed
    const r = await sync('--wait', '--poll-interval', '1', '--format', 'json', '--min-records', '1');
    const run = JSON.parse(r.out) as JsonRun;
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(run.exitCode, 0);
    assert.equal(run.provisioning?.complete, true);
    const by = new Map(run.results!.records.map((x) => [x.externalId, x.outcome]));
    assert.equal(by.get('E1'), 'updated');
    assert.equal(by.get('E2'), 'disabled');
    assert.equal(run.results!.totals.failed, 0);
    assert.equal(run.results!.totals.records, 3);
  });

  it('without --wait nothing changes: no log polling, no provisioning lines', async () => {
    write(['E1,ana@contoso.com,Ana Silva', 'E3,cy@contoso.com,Cy Ng']);
    const r = await sync('--min-records', '1');
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /Provisioning:/);
    assert.doesNotMatch(r.err, /provisioning logs/);
    const quiet = await sync('--wait', '--poll-interval', '1', '--min-records', '1');
    assert.equal(quiet.code, 0, quiet.err);
    assert.match(quiet.out, /^Provisioning: nothing was sent, nothing to wait for\.$/m, 'an unchanged rerun sends nothing');
  });

  it('--wait is for Entra: a target: scim sync refuses it before anything is sent', async () => {
    const scimDir = tempDir();
    try {
      fs.writeFileSync(path.join(scimDir, 'people.csv'), 'id,upn,name\nE1,ana@contoso.com,Ana\n');
      fs.writeFileSync(path.join(scimDir, 'm.scimmap.yaml'), MAPPING.replace('target: entra', 'target: scim'));
      const r = await cli(['sync', 'm.scimmap.yaml', '--endpoint', 'http://127.0.0.1:9/scim/v2', '--state', 's.state', '--wait'], scimDir, { SCIMMAP_TOKEN: 'not-used' });
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.err, /--wait reads Entra provisioning logs; a SCIM service provider answers each operation directly/);
    } finally {
      fs.rmSync(scimDir, { recursive: true, force: true });
    }
  });

  it('usage errors: --wait with --dry-run or --history, a bad --wait-timeout', async () => {
    for (const args of [['--wait', '--dry-run'], ['--wait', '--history'], ['--wait', '--wait-timeout', '0'], ['--wait', '--poll-interval', 'x']]) {
      const r = await sync(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
  });
});

describe('scimmap sync --wait on a paused job', () => {
  it('records with no log entry by the deadline are pending, and the run exits 1', async () => {
    const dir = tempDir();
    const standIn = await startStandIn({ verifiedDomains: ['contoso.com'], logDelayMs: 0, jobStatus: 'Paused' });
    try {
      fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), MAPPING);
      fs.writeFileSync(path.join(dir, 'people.csv'), 'id,upn,name\nE1,ana@contoso.com,Ana\n');
      const r = await cli(['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 'hr.state', '--wait', '--wait-timeout', '1', '--poll-interval', '1'], dir, { SCIMMAP_TOKEN: standIn.issueToken() });
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.out, /^Provisioning: 0 failed · 1 pending — 1 of 1 accepted by the API$/m);
      assert.match(r.out, /Not every record has a log entry yet/);
    } finally {
      await standIn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
