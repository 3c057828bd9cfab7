/**
 * `scimmap sync` against the stand-in through a sequence of HR exports: first run, unchanged rerun, changes,
 * a removal (disable), a reactivation, a truncated file (refused), an over-threshold removal (refused, then
 * allowed with --max-disable). Each step checks the exit code, the plan and what the stand-in received.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_JOB_ID, startStandIn, type StandIn } from '../../../src/targets/entra/standin';
import { acceptedOps, cli, mappingText, people, provisioningLogs, tempDir, writeExport, type Person } from './helpers';

interface JsonRun {
  plan: { counts: Record<string, number>; ids: Record<string, string[]>; exportRecords: number };
  guards: Array<{ guard: string; verdict: string }>;
  refused: boolean;
  sent?: { totals: { accepted: number; sent: number } };
  exitCode: number;
}

describe('scimmap sync: a sequence of exports against the stand-in', () => {
  let dir: string;
  let standIn: StandIn;
  let env: NodeJS.ProcessEnv;
  let all: Person[];
  const sync = async (rows: Person[], ...extra: string[]): Promise<{ code: number; run: JsonRun; err: string; out: string }> => {
    writeExport(path.join(dir, 'people.csv'), rows);
    const r = await cli(['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 'hr.state', '--format', 'json', ...extra], dir, env);
    let run: JsonRun;
    try {
      run = JSON.parse(r.out) as JsonRun;
    } catch {
      throw new Error(`not JSON (exit ${r.code}): ${r.out}\n${r.err}`);
    }
    return { code: r.code, run, err: r.err, out: r.out };
  };
  const users = () => {
    standIn.flushLogs(); // the stand-in processes accepted operations when their logs become visible
    return standIn.users(DEFAULT_JOB_ID);
  };
  const user = (id: string) => users().get(id);

  before(async () => {
    dir = tempDir();
    standIn = await startStandIn({ verifiedDomains: ['contoso.com'], logDelayMs: 0 });
    env = { SCIMMAP_TOKEN: standIn.issueToken() };
    fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), mappingText());
    all = people(40);
  });
  after(async () => {
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('first run creates everyone', async () => {
    const { code, run, err } = await sync(all);
    assert.equal(code, 0, err);
    assert.equal(run.plan.counts.create, 40);
    assert.equal(run.sent?.totals.accepted, 40);
    assert.equal(users().size, 40);
    assert.equal(acceptedOps(standIn), 40);
  });

  it('an unchanged rerun sends nothing', async () => {
    const before = standIn.stats.requests;
    const { code, run } = await sync(all);
    assert.equal(code, 0);
    assert.equal(run.plan.counts.unchanged, 40);
    assert.equal(run.sent?.totals.sent, 0);
    assert.equal(standIn.stats.requests, before, 'no bulkUpload call');
  });

  it('a change is an update of the complete record, a new person a create', async () => {
    all[1] = { ...all[1]!, name: 'Renamed Person' };
    all.push(...people(1, 41));
    const { code, run } = await sync(all);
    assert.equal(code, 0);
    assert.deepEqual([run.plan.counts.update, run.plan.counts.create, run.plan.counts.unchanged], [1, 1, 39]);
    assert.deepEqual(run.plan.ids.update, ['E0002']);
    assert.equal(user('E0002')?.displayName, 'Renamed Person');
    assert.equal(standIn.stats.acceptedByExternalId.get('E0002'), 2);
    assert.equal(standIn.stats.acceptedByExternalId.get('E0041'), 1);
  });

  it('a removal disables the leaver with a minimal update (provisioning log: disable)', async () => {
    const leaver = all.splice(2, 1)[0]!;
    const { code, run } = await sync(all);
    assert.equal(code, 0);
    assert.deepEqual(run.plan.ids.disable, [leaver.id]);
    assert.equal(run.plan.counts.unchanged, 40);
    const u = user(leaver.id);
    assert.equal(u?.accountEnabled, false);
    assert.equal(u?.displayName, leaver.name, 'the minimal update leaves the other attributes alone');
    const last = (await provisioningLogs(standIn)).filter((e) => e.sourceIdentity.id === leaver.id).pop();
    assert.equal(last?.provisioningAction, 'disable');
    // Already disabled: the next run does not disable again.
    const again = await sync(all);
    assert.equal(again.run.plan.counts.disable, 0);
    all.splice(2, 0, leaver);
  });

  it('the leaver coming back is reactivated (provisioning log: update, accountEnabled true)', async () => {
    const { code, run } = await sync(all);
    assert.equal(code, 0);
    assert.deepEqual(run.plan.ids.reactivate, ['E0003']);
    assert.equal(user('E0003')?.accountEnabled, true);
    const last = (await provisioningLogs(standIn)).filter((e) => e.sourceIdentity.id === 'E0003').pop();
    assert.equal(last?.provisioningAction, 'update');
    assert.equal(last?.modifiedProperties.find((p) => p.displayName === 'accountEnabled')?.newValue, 'true');
  });

  it('a truncated export is refused (exit 3): nothing sent, nobody disabled', async () => {
    const before = standIn.stats.requests;
    const { code, run } = await sync(all.slice(0, 10));
    assert.equal(code, 3);
    assert.equal(run.refused, true);
    assert.ok(run.guards.some((g) => g.guard === 'min-records' && g.verdict === 'refuse'));
    assert.equal(run.plan.counts.disable, 31);
    assert.equal(standIn.stats.requests, before);
    assert.ok([...users().values()].every((u) => u.accountEnabled));
  });

  it('an empty export is refused (exit 3)', async () => {
    const { code, run } = await sync([]);
    assert.equal(code, 3);
    assert.ok(run.guards.some((g) => g.guard === 'export-empty' && g.verdict === 'refuse'));
  });

  it('an unreadable export is refused (exit 3), in text too', async () => {
    const r = await cli(['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 'hr.state', '--input', 'missing.csv'], dir, env);
    assert.equal(r.code, 3, r.err);
    assert.match(r.out, /refuse +export-readable: the export cannot be read: (.*missing\.csv: )?no such file/);
  });

  it('an over-threshold removal is refused, then allowed with --max-disable', async () => {
    const kept = all.filter((p) => !['E0010', 'E0011', 'E0012'].includes(p.id));
    const before = standIn.stats.requests;
    const refusedRun = await sync(kept, '--max-disable', '2');
    assert.equal(refusedRun.code, 3);
    assert.ok(refusedRun.run.guards.some((g) => g.guard === 'max-disable' && g.verdict === 'refuse'));
    assert.equal(standIn.stats.requests, before);
    assert.equal(user('E0010')?.accountEnabled, true);

    const dry = await sync(kept, '--max-disable', '3', '--dry-run');
    assert.equal(dry.code, 0);
    assert.deepEqual(dry.run.plan.ids.disable, ['E0010', 'E0011', 'E0012']);
    assert.equal(standIn.stats.requests, before, 'a dry run sends nothing');

    const allowed = await sync(kept, '--max-disable', '3');
    assert.equal(allowed.code, 0, allowed.err);
    for (const id of ['E0010', 'E0011', 'E0012']) assert.equal(user(id)?.accountEnabled, false, id);
    all = kept;
  });

  it('--full re-sends unchanged records', async () => {
    const before = acceptedOps(standIn);
    const { code, run } = await sync(all, '--full');
    assert.equal(code, 0);
    assert.equal(run.sent?.totals.accepted, all.length);
    assert.equal(acceptedOps(standIn) - before, all.length);
  });

  it('a record failing the mapping is never sent and never disabled (exit 1)', async () => {
    const broken = all.map((p) => (p.id === 'E0005' ? { ...p, login: '' } : p));
    const before = standIn.stats.acceptedByExternalId.get('E0005');
    const { code, run } = await sync(broken);
    assert.equal(code, 1);
    assert.equal(run.plan.counts.failed, 1);
    assert.equal(run.plan.counts.disable, 0);
    assert.equal(standIn.stats.acceptedByExternalId.get('E0005'), before);
    assert.equal(user('E0005')?.accountEnabled, true);
  });

  it('text output: one line of counts, the first entries per class, the guards', async () => {
    writeExport(path.join(dir, 'people.csv'), all.slice(1));
    const r = await cli(['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 'hr.state', '--dry-run'], dir, env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /create 0 · update 0 · unchanged 37 · reactivate 0 · disable 1 · failed 0/);
    assert.match(r.out, /disable +E0001\n/);
    assert.match(r.out, /pass +max-disable/);
  });

  it('--history lists every run with its counts and guard decisions', async () => {
    const r = await cli(['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 'hr.state', '--history', '--format', 'json'], dir, env);
    assert.equal(r.code, 0, r.err);
    const h = JSON.parse(r.out) as { runs: Array<{ start: { refused: boolean; dryRun: boolean; counts: Record<string, number>; journal?: string }; end?: { exitCode: number } }> };
    assert.equal(h.runs.length, 15);
    assert.equal(h.runs.filter((x) => x.start.refused).length, 4);
    assert.equal(h.runs.filter((x) => x.start.dryRun).length, 2);
    assert.ok(h.runs.every((x) => x.end !== undefined));
    assert.ok(h.runs.filter((x) => !x.start.dryRun && !x.start.refused).every((x) => x.start.journal && fs.existsSync(x.start.journal)));
    const text = await cli(['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 'hr.state', '--history'], dir, env);
    assert.match(text.out, /refused +10 record\(s\)/);
    assert.match(text.out, /refuse min-records/);
  });

  it('the state holds identifiers and hashes, no record contents, and is private to the user', () => {
    const bytes = fs.readFileSync(path.join(dir, 'hr.state'));
    assert.ok(bytes.includes('E0001'));
    for (const word of ['Person', 'contoso', 'user1']) assert.ok(!bytes.includes(word), `state contains ${word}`);
    if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(dir, 'hr.state')).mode & 0o777, 0o600);
  });
});

describe('sync.missing: ignore', () => {
  it('leaves people absent from the export alone', async () => {
    const dir = tempDir();
    const standIn = await startStandIn({ verifiedDomains: ['contoso.com'], logDelayMs: 0 });
    try {
      const env = { SCIMMAP_TOKEN: standIn.issueToken() };
      fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), mappingText('sync:\n  missing: ignore'));
      const args = ['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 's.state', '--format', 'json'];
      writeExport(path.join(dir, 'people.csv'), people(20));
      assert.equal((await cli(args, dir, env)).code, 0);
      writeExport(path.join(dir, 'people.csv'), people(19));
      const r = await cli(args, dir, env);
      assert.equal(r.code, 0, r.err);
      const run = JSON.parse(r.out) as { plan: { counts: { disable: number; missingIgnored: number }; missing: string } };
      assert.equal(run.plan.missing, 'ignore');
      assert.equal(run.plan.counts.disable, 0);
      assert.equal(run.plan.counts.missingIgnored, 1);
      standIn.flushLogs();
      assert.equal(standIn.users(DEFAULT_JOB_ID).get('E0020')?.accountEnabled, true);
    } finally {
      await standIn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
