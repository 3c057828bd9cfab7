/**
 * `scimmap sync` for a target: scim mapping against a real SCIM server from npm (scimmy + scimmy-routers), through
 * the CLI entry: first run creates, a change sends only that change, a leaver ends up active:false on the server
 * (read back over SCIM), the guards stop a run before anything is sent, an interrupted run is completed by the
 * next, the token is nowhere on disk or in the output, and a state never serves two kinds of destination.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { defaultStatePath, SyncState } from '../../../src/sync';
import { scimError, startScimmy, TOKEN, type ScimmyServer } from './scimmyServer';
import { tempDir } from '../../tempDirs';

const FIXTURES = join(process.cwd(), 'test/fixtures/scim-target');
let server: ScimmyServer;

interface Person {
  id: string;
  name: string;
  manager?: string;
  status?: string;
}

const MAPPING = [
  'scimmap: 1',
  'source:',
  '  sample: people.csv',
  '  key: id',
  'target: scim',
  'mappings:',
  '  externalId: id',
  '  userName: id & "@example.org"',
  '  displayName: name',
  '  active: status != "Leaver"',
  '  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value: manager',
  '',
].join('\n');

function people(n: number, start = 1): Person[] {
  return Array.from({ length: n }, (_, k) => ({ id: `E${String(start + k).padStart(3, '0')}`, name: `Person ${start + k}` }));
}

interface Workspace {
  dir: string;
  env: NodeJS.ProcessEnv;
  write(rows: Person[]): void;
}

function workspace(): Workspace {
  const dir = tempDir('scimmap-scim-sync-');
  writeFileSync(join(dir, 'm.scimmap.yaml'), MAPPING);
  return {
    dir,
    env: { SCIMMAP_TOKEN: TOKEN, XDG_STATE_HOME: join(dir, 'state-home'), XDG_CONFIG_HOME: join(dir, 'config-home'), SCIMMAP_SCIM_HOSTS: '' },
    write: (rows) => writeFileSync(join(dir, 'people.csv'), `id,name,manager,status\n${rows.map((p) => `${p.id},${p.name},${p.manager ?? ''},${p.status ?? 'Active'}`).join('\n')}\n`),
  };
}

interface JsonRun {
  destination: string;
  plan: { counts: Record<string, number>; ids: Record<string, string[]> };
  guards: Array<{ guard: string; verdict: string; message: string }>;
  refused: boolean;
  sent?: { totals: { accepted: number; failed: number; sent: number }; notAccepted: Array<{ externalId?: string; bulkId: string; errorCode?: string }> };
  journal?: string;
  exitCode: number;
}

async function cli(w: Workspace, args: string[], opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; onErr?: (chunk: string) => void } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdout: new PassThrough().on('data', (d) => (out += d)),
    stderr: new PassThrough().on('data', (d) => {
      err += d;
      opts.onErr?.(String(d));
    }),
    env: { ...w.env, ...opts.env },
    cwd: w.dir,
    signal: opts.signal,
  });
  return { code, out, err };
}

async function sync(w: Workspace, extra: string[] = [], opts: Parameters<typeof cli>[2] = {}): Promise<{ code: number; run: JsonRun; err: string; out: string }> {
  const r = await cli(w, ['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--state', 'hr.state', '--format', 'json', ...extra], opts);
  let run: JsonRun;
  try {
    run = JSON.parse(r.out) as JsonRun;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.out}\n${r.err}`);
  }
  return { ...r, run };
}

/** The user with this externalId as the server answers a SCIM filter query (not its in-memory store). */
async function readBack(externalId: string): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(`${server.base}/Users?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { Resources?: Array<Record<string, unknown>> };
  assert.ok((body.Resources ?? []).length <= 1);
  return body.Resources?.[0];
}

const writes = (): Array<{ method: string; path: string }> => server.requests.filter((q) => q.method !== 'GET');
/** Users written, one per operation: inside /Bulk requests and outside them. */
const userWrites = (method: string): number =>
  server.bulkRequests.reduce((n, b) => n + b.operations.filter((o) => o.method === method).length, 0) + writes().filter((q) => q.method === method && q.path.includes('/Users')).length;

before(async () => {
  server = await startScimmy();
});
beforeEach(() => {
  server.users.clear();
  server.requests.length = 0;
  server.bulkRequests.length = 0;
  server.throttle.remaining = 0;
  server.configure('patch', true);
  server.configure('etag', false);
  server.configureBulk({ supported: true });
  server.ingressCheck = undefined;
});
after(async () => {
  await server.close();
});

for (const bulk of [true, false]) {
  test(`first sync creates everyone; a rerun sends nothing; one HR change sends only that change (${bulk ? 'over /Bulk' : '--no-bulk: one user per request'})`, async () => {
    const w = workspace();
    const all = people(12);
    w.write(all);
    const extra = bulk ? [] : ['--no-bulk'];
    const first = await sync(w, extra);
    assert.equal(first.code, 0, first.err);
    assert.equal(first.run.destination, 'scim');
    assert.equal(first.run.plan.counts.create, 12);
    assert.equal(first.run.sent?.totals.accepted, 12);
    assert.equal(server.users.size, 12);
    assert.equal(userWrites('POST'), 12, 'one create per person');
    if (bulk) {
      assert.deepEqual(writes().map((q) => `${q.method} ${q.path}`), ['POST /scim/v2/Bulk'], 'the 12 creates in one Bulk request');
      assert.equal(server.bulkRequests[0]!.operations.length, 12);
      assert.match(first.err, /\/Bulk, up to 100 users per request/);
      assert.match(first.err, /batch 1: 12 operation\(s\) answered \(HTTP 2xx\) \[12 accepted, 0 failed so far\]/);
    } else {
      assert.equal(server.bulkRequests.length, 0, '--no-bulk sends no Bulk request');
      assert.equal(writes().length, 12);
      assert.match(first.err, /one user per request: --no-bulk/);
    }

    server.requests.length = 0;
    server.bulkRequests.length = 0;
    const again = await sync(w, extra);
    assert.equal(again.code, 0, again.err);
    assert.equal(again.run.plan.counts.unchanged, 12);
    assert.equal(again.run.sent?.totals.sent, 0);
    assert.deepEqual(writes(), [], 'an unchanged rerun writes nothing');

    all[4] = { ...all[4]!, name: 'Renamed Person' };
    w.write(all);
    server.requests.length = 0;
    server.bulkRequests.length = 0;
    const changed = await sync(w, extra);
    assert.equal(changed.code, 0, changed.err);
    assert.deepEqual([changed.run.plan.counts.update, changed.run.plan.counts.unchanged, changed.run.plan.counts.create], [1, 11, 0]);
    assert.deepEqual(changed.run.plan.ids.update, ['E005']);
    assert.equal(changed.run.sent?.totals.sent, 1);
    if (bulk) {
      assert.deepEqual(writes().map((q) => q.method), ['POST'], 'one Bulk request');
      assert.deepEqual(server.bulkRequests.map((b) => b.operations), [[{ method: 'PATCH', path: `/Users/${(await readBack('E005'))?.id}` }]], 'exactly one operation: the changed person');
    } else assert.deepEqual(writes().map((q) => q.method), ['PATCH'], 'exactly one write: the changed person');
    assert.equal((await readBack('E005'))?.displayName, 'Renamed Person');
    assert.equal(server.users.size, 12, 'no duplicate');
  });
}

test('over /Bulk, an operation the server refuses inside an answered Bulk request: only that record is planned again', async () => {
  const w = workspace();
  w.write(people(6));
  server.ingressCheck = (data) => {
    if (data.externalId === 'E004') throw scimError(400, 'invalidValue', 'the app refuses this title');
  };
  const first = await sync(w);
  assert.equal(first.code, 1, first.err);
  assert.equal(server.bulkRequests.length, 1, 'one Bulk request');
  assert.deepEqual(first.run.sent?.notAccepted.map((x) => [x.externalId, x.errorCode]), [['E004', 'invalidValue']]);
  assert.equal(first.run.sent?.totals.accepted, 5);
  server.ingressCheck = undefined;
  server.bulkRequests.length = 0;
  const second = await sync(w);
  assert.equal(second.code, 0, second.err);
  assert.deepEqual([second.run.plan.ids.create, second.run.plan.counts.unchanged], [['E004'], 5], 'the state holds exactly the five the server confirmed');
  assert.deepEqual(server.bulkRequests.map((b) => b.operations.map((o) => o.method)), [['POST']]);
  assert.equal(server.users.size, 6);
});

test('a leaver (removed from the HR file) is PATCHed to active:false on the server; the next run has nothing to do', async () => {
  const w = workspace();
  const all = people(20);
  w.write(all);
  assert.equal((await sync(w)).code, 0);
  const idBefore = (await readBack('E003'))?.id;

  w.write(all.filter((p) => p.id !== 'E003'));
  server.requests.length = 0;
  const r = await sync(w);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.run.plan.ids.disable, ['E003']);
  const leaver = await readBack('E003');
  assert.equal(leaver?.active, false, 'read back from the server: deactivated');
  assert.equal(leaver?.id, idBefore, 'the matched server user, not a new one');
  assert.equal(leaver?.displayName, 'Person 3', 'the account keeps its attributes');
  assert.deepEqual(writes().map((q) => q.method), ['PATCH']);
  for (const p of all.filter((x) => x.id !== 'E003')) assert.equal((await readBack(p.id))?.active, true);

  server.requests.length = 0;
  const third = await sync(w);
  assert.equal(third.code, 0, third.err);
  assert.deepEqual([third.run.plan.counts.disable, third.run.plan.counts.unchanged], [0, 19], 'the state knows E003 as deactivated');
  assert.deepEqual(writes(), []);

  // Back in the export: reactivated with the complete record.
  w.write(all);
  const back = await sync(w);
  assert.equal(back.code, 0, back.err);
  assert.deepEqual(back.run.plan.ids.reactivate, ['E003']);
  assert.equal((await readBack('E003'))?.active, true);
});

test('a PUT-only server: the leaver is deactivated with PUT of the matched user', async () => {
  server.configure('patch', false);
  const w = workspace();
  w.write(people(3));
  assert.equal((await sync(w)).code, 0);
  w.write(people(2));
  server.requests.length = 0;
  const r = await sync(w, ['--min-records', '1']);
  assert.equal(r.code, 0, r.err);
  assert.equal((await readBack('E003'))?.active, false);
  assert.equal((await readBack('E003'))?.userName, 'E003@example.org', 'PUT carried the rest of the user');
  assert.deepEqual(writes().map((q) => q.method), ['PUT']);
});

test('a leaver the server does not know is reported per record, and the state does not claim it was deactivated', async () => {
  const w = workspace();
  w.write(people(20));
  assert.equal((await sync(w)).code, 0);
  // Someone deleted E002 on the server behind our back.
  for (const [id, u] of server.users) if (u.externalId === 'E002') server.users.delete(id);
  w.write(people(20).filter((p) => p.id !== 'E002'));
  const r = await sync(w);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual(r.run.sent?.notAccepted.map((x) => [x.externalId, x.errorCode]), [['E002', 'NotFound']]);
  const text = await cli(w, ['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--state', 'hr.state']);
  assert.match(text.out, /E002 {2}failed {2}NotFound no user with externalId "E002"/);
  const dry = await sync(w, ['--dry-run']);
  assert.deepEqual(dry.run.plan.ids.disable, ['E002'], 'still active in the state: planned again');
});

test('a run the server stops (throttled for an hour) deactivates no one and lists the leavers as not sent', async () => {
  const w = workspace();
  w.write(people(20));
  assert.equal((await sync(w)).code, 0);
  w.write([...people(19), ...people(1, 90)]);
  server.throttle.remaining = 100;
  server.throttle.retryAfter = '3600';
  const r = await sync(w);
  server.throttle.remaining = 0;
  assert.equal(r.code, 1, r.err);
  assert.deepEqual(r.run.sent?.notAccepted.map((x) => [x.externalId, x.errorCode]), [['E090', 'HTTP429'], ['E020', 'NotSent']]);
  assert.equal((await readBack('E020'))?.active, true, 'the leaver was not touched');
  const dry = await sync(w, ['--dry-run']);
  assert.deepEqual([dry.run.plan.ids.create, dry.run.plan.ids.disable], [['E090'], ['E020']], 'both planned again');
});

test('--concurrency, --rate and --no-bulk: checked, and only for target: scim', async () => {
  const w = workspace();
  w.write(people(2));
  assert.equal((await cli(w, ['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--rate', '0'])).code, 2);
  writeFileSync(join(w.dir, 'e.scimmap.yaml'), MAPPING.replace('target: scim', 'target: entra').replace(/^ {2}urn:.*$/m, ''));
  const e = await cli(w, ['sync', 'e.scimmap.yaml', '--endpoint', 'https://graph.microsoft.com/v1.0/servicePrincipals/1/synchronization/jobs/2/bulkUpload', '--dry-run', '--concurrency', '2']);
  assert.equal(e.code, 2);
  assert.match(e.err, /--concurrency and --rate are for target: scim/);
  const nb = await cli(w, ['sync', 'e.scimmap.yaml', '--endpoint', 'https://graph.microsoft.com/v1.0/servicePrincipals/1/synchronization/jobs/2/bulkUpload', '--dry-run', '--no-bulk']);
  assert.equal(nb.code, 2);
  assert.match(nb.err, /--no-bulk is for target: scim/);
  const ok = await sync(w, ['--concurrency', '1', '--rate', '50']);
  assert.equal(ok.code, 0, ok.err);
});

test('the max-disable guard stops a run that would deactivate too many: nothing is sent, the state is unchanged', async () => {
  const w = workspace();
  const all = people(10);
  w.write(all);
  assert.equal((await sync(w)).code, 0);
  w.write([...all.slice(0, 6), ...people(1, 50)]);
  server.requests.length = 0;
  const r = await sync(w, ['--max-disable', '3', '--min-records', '50%']);
  assert.equal(r.code, 3, r.err);
  assert.equal(r.run.refused, true);
  assert.deepEqual(r.run.guards.filter((g) => g.verdict === 'refuse').map((g) => g.guard), ['max-disable']);
  assert.deepEqual(writes(), [], 'not even the create was sent');
  assert.equal(server.users.size, 10);
  for (const p of all) assert.equal((await readBack(p.id))?.active, true);
  const dry = await sync(w, ['--dry-run']);
  assert.deepEqual([dry.run.plan.counts.create, dry.run.plan.counts.disable], [1, 4], 'the state is unchanged');

  // The override for one run lets it through.
  const ok = await sync(w, ['--max-disable', '4', '--min-records', '50%']);
  assert.equal(ok.code, 0, ok.err);
  for (const p of all.slice(6)) assert.equal((await readBack(p.id))?.active, false);
  assert.equal((await readBack('E050'))?.active, true);
});

test('the min-records and dataset guards apply as for Entra', async () => {
  const w = workspace();
  w.write(people(20));
  assert.equal((await sync(w)).code, 0);
  server.requests.length = 0;
  w.write(people(5));
  const truncated = await sync(w, ['--max-disable', '100']);
  assert.equal(truncated.code, 3);
  assert.ok(truncated.run.guards.some((g) => g.guard === 'min-records' && g.verdict === 'refuse'));
  w.write(people(20).map((p) => ({ ...p, status: 'Leaver' })));
  const allInactive = await sync(w);
  assert.equal(allInactive.code, 3, allInactive.err);
  assert.ok(allInactive.run.guards.some((g) => g.guard === 'dataset' && g.verdict === 'refuse'));
  assert.deepEqual(writes(), []);
});

test('a run interrupted mid-send is completed by the next: nothing accepted is sent again, no leaver lost', async () => {
  const w = workspace();
  const base = people(6);
  w.write(base);
  assert.equal((await sync(w)).code, 0);
  // 20 joiners and 3 leavers, over /Bulk requests of at most 4 users sent one at a time; cancelled after the 2nd
  // answered request (8 operations).
  server.configureBulk({ supported: true, maxOperations: 4 });
  const next = [...base.slice(0, 3), ...people(20, 100)];
  w.write(next);
  server.requests.length = 0;
  server.bulkRequests.length = 0;
  const abort = new AbortController();
  let done = 0;
  const args = ['--max-disable', '3', '--concurrency', '1'];
  const first = await sync(w, args, { signal: abort.signal, onErr: (c) => (done += (c.match(/^batch \d+: \d+ operation\(s\) answered/gm) ?? []).length) >= 2 && abort.abort() });
  assert.equal(first.code, 1, first.err);
  const postsFirst = userWrites('POST');
  assert.ok(postsFirst >= 8 && postsFirst < 20, `interrupted mid-send (${postsFirst} creates)`);
  assert.ok(server.bulkRequests.length >= 2 && server.bulkRequests.every((b) => b.operations.length <= 4), 'the creates went over /Bulk');

  server.requests.length = 0;
  server.bulkRequests.length = 0;
  const second = await sync(w, args);
  assert.equal(second.code, 0, second.err);
  // Every create of the first run was either confirmed (now unchanged) or in flight at the cancel (an update now).
  const postsSecond = userWrites('POST');
  assert.equal(postsFirst + postsSecond, 20, 'each joiner created exactly once');
  assert.equal(second.run.plan.counts.create + second.run.plan.counts.update, 20 - first.run.sent!.totals.accepted, 'planned again: exactly what the first run did not confirm');
  assert.equal(second.run.plan.counts.disable, 3, 'the leavers were not reached by the first run: planned again');
  assert.equal(server.users.size, 26);
  for (const p of next) assert.equal((await readBack(p.id))?.active, true);
  for (const p of base.slice(3)) assert.equal((await readBack(p.id))?.active, false, `leaver ${p.id}`);
  const third = await sync(w);
  assert.deepEqual([third.run.plan.counts.create, third.run.plan.counts.update, third.run.plan.counts.disable, third.run.plan.counts.unchanged], [0, 0, 0, 23]);
});

test('manager links: resolved to server ids; a link that failed is planned again by the next run', async () => {
  const w = workspace();
  copyFileSync(join(FIXTURES, 'hr.scimmap.yaml'), join(w.dir, 'm.scimmap.yaml'));
  copyFileSync(join(FIXTURES, 'people.csv'), join(w.dir, 'people.csv'));
  const first = await sync(w);
  assert.equal(first.code, 1, 'E140\'s manager E999 is nobody');
  assert.deepEqual(first.run.sent?.notAccepted.map((x) => [x.externalId, x.errorCode]), [['E140', 'ManagerNotFound']]);
  const e110 = await readBack('E110');
  assert.equal((e110?.['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] as { manager?: { value?: string } }).manager?.value, (await readBack('E100'))?.id);
  const second = await sync(w);
  assert.deepEqual(second.run.plan.ids.update, ['E140'], 'only the record whose link failed');
  assert.equal(second.run.plan.counts.unchanged, 9);
});

test('server: a stale saved discovery does not block a sync: the live server decides, with a warning', async () => {
  const w = workspace();
  writeFileSync(join(w.dir, 'm.scimmap.yaml'), readFileSync(join(FIXTURES, 'hr.scimmap.yaml'), 'utf8').replace('target: scim\n', 'target: scim\nserver: server-schema.json\n'));
  copyFileSync(join(FIXTURES, 'people.csv'), join(w.dir, 'people.csv'));
  const pull = await cli(w, ['server', 'pull', 'm.scimmap.yaml', '--endpoint', server.base]);
  assert.equal(pull.code, 0, pull.err);
  const file = join(w.dir, 'server-schema.json');
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { users: { extensions: unknown[] } };
  saved.users.extensions = [];
  writeFileSync(file, JSON.stringify(saved));
  const r = await sync(w);
  assert.equal(r.run.plan.counts.create, 10, r.err);
  assert.match(r.err, /warning: the saved server discovery 'server-schema\.json' is stale/);
  assert.equal(server.users.size, 10);
});

test('the token is in no output, state, history or journal', async () => {
  const w = workspace();
  w.write(people(5));
  server.throttle.remaining = 1;
  server.throttle.retryAfter = '0';
  const a = await sync(w);
  w.write(people(4));
  const b = await cli(w, ['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--state', 'hr.state', '--min-records', '1']);
  const c = await cli(w, ['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--state', 'hr.state', '--history']);
  const bad = await cli(w, ['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--state', 'hr.state'], { env: { SCIMMAP_TOKEN: 'wrong-token-abcdef123456' } });
  assert.equal(bad.code, 2, 'discovery with a refused token is a usage error');
  assert.equal(b.code, 0, b.err);
  const files = [join(w.dir, 'hr.state'), join(w.dir, 'hr.state.history.jsonl'), ...readdirSync(join(w.dir, 'hr.state.runs')).map((f) => join(w.dir, 'hr.state.runs', f))];
  assert.ok(files.length >= 4);
  const texts = [a.out, a.err, b.out, b.err, c.out, bad.out, bad.err, ...files.map((f) => readFileSync(f, 'latin1'))];
  for (const t of texts) assert.ok(!t.includes(TOKEN) && !t.includes('wrong-token-abcdef123456'));
  assert.match(c.out, /sent/);
});

test('a state belongs to one kind of destination: the default paths differ, and an Entra state is refused', async () => {
  const w = workspace();
  const m = join(w.dir, 'm.scimmap.yaml');
  const url = 'https://graph.microsoft.com/v1.0/servicePrincipals/1/synchronization/jobs/2/bulkUpload';
  assert.notEqual(defaultStatePath(url, m, w.env, 'scim'), defaultStatePath(url, m, w.env, 'entra'));
  assert.match(defaultStatePath(server.base, m, w.env, 'scim'), /m-scim-[0-9a-f]{16}\.state$/);

  // The default state of a SCIM sync lives in the per-user directory, keyed per destination.
  w.write(people(2));
  const r = await cli(w, ['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(defaultStatePath(server.base, m, w.env, 'scim')));

  // An Entra sync of an Entra mapping writes an Entra state; a SCIM sync on it is refused (and the reverse).
  writeFileSync(join(w.dir, 'e.scimmap.yaml'), MAPPING.replace('target: scim', 'target: entra').replace(/^ {2}urn:.*$/m, ''));
  const scimState = join(w.dir, 'hr.state');
  assert.equal((await sync(w)).code, 0);
  const entraOnScim = await cli(w, ['sync', 'e.scimmap.yaml', '--endpoint', url, '--state', scimState, '--dry-run']);
  assert.equal(entraOnScim.code, 2);
  assert.match(entraOnScim.err, /belongs to a sync to a SCIM service provider/);
  // A state written before SCIM targets existed (no destination recorded) is Entra's: refused for SCIM.
  const legacy = SyncState.open(join(w.dir, 'legacy.state'));
  legacy.setMeta({ endpoint: url, lastExportRecords: 2 });
  legacy.close();
  const onLegacy = await cli(w, ['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--state', 'legacy.state', '--dry-run']);
  assert.equal(onLegacy.code, 2);
  assert.match(onLegacy.err, /belongs to a sync to Entra \(bulkUpload\)/);
  const entraSim = await cli(w, ['sync', 'e.scimmap.yaml', '--endpoint', server.base, '--dry-run']);
  assert.equal(entraSim.code, 2, 'an Entra mapping needs an Entra endpoint');
});

test('an Entra endpoint for a target: scim mapping is refused, and the server\'s compatibility findings are a guard', async () => {
  const w = workspace();
  w.write(people(2));
  const wrong = await cli(w, ['sync', 'm.scimmap.yaml', '--endpoint', 'https://graph.microsoft.com/v1.0/servicePrincipals/1/synchronization/jobs/2/bulkUpload']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /target: scim/);

  copyFileSync(join(FIXTURES, 'ext.scimmap.yaml'), join(w.dir, 'm.scimmap.yaml'));
  copyFileSync(join(FIXTURES, 'people.csv'), join(w.dir, 'people.csv'));
  const r = await sync(w);
  assert.equal(r.code, 3, r.err);
  assert.ok(r.run.guards.some((g) => g.guard === 'server' && g.verdict === 'refuse' && g.message.startsWith('server-extension-undeclared')), JSON.stringify(r.run.guards));
  assert.deepEqual(writes(), []);
});
