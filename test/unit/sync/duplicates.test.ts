/** `scimmap sync` finds a repeated externalId exactly, whether the state already knows the id or not. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startStandIn, type StandIn } from '../../../src/targets/entra/standin';
import { cli, mappingText, people, tempDir, writeExport } from './helpers';

describe('scimmap sync: duplicate externalIds against a state', () => {
  let dir: string;
  let standIn: StandIn;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    dir = tempDir();
    standIn = await startStandIn({ verifiedDomains: ['contoso.com'], logDelayMs: 0 });
    env = { SCIMMAP_TOKEN: standIn.issueToken() };
    fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), mappingText());
  });
  after(async () => {
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails the later record of a known id (the state table) and of a new id (the own index)', async () => {
    const all = people(20);
    const sync = async (rows: typeof all, ...extra: string[]) => {
      writeExport(path.join(dir, 'people.csv'), rows);
      const r = await cli(['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 'hr.state', '--format', 'json', ...extra], dir, env);
      return { code: r.code, run: JSON.parse(r.out) as { plan: { counts: Record<string, number>; failures?: Array<{ record: number; externalId?: string; errors: Array<{ code: string }> }> } }, err: r.err };
    };
    const first = await sync(all);
    assert.equal(first.code, 0, first.err);
    const rows = [...all, { id: 'E0003', login: 'twin3', name: 'Twin' }, { id: 'N0001', login: 'new1', name: 'New' }, { id: 'N0001', login: 'new1b', name: 'New again' }];
    const { code, run } = await sync(rows, '--dry-run');
    assert.notEqual(code, 0);
    assert.deepEqual([run.plan.counts.failed, run.plan.counts.create, run.plan.counts.unchanged], [2, 1, 20]);
    const failed = (run.plan.failures ?? []).map((f) => `${f.record}:${f.externalId}:${f.errors.map((e) => e.code).join('+')}`);
    assert.deepEqual(failed, ['21:E0003:duplicate-external-id', '23:N0001:duplicate-external-id']);
  });
});
