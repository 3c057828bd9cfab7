import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { startStandIn } from '../../../src/targets/entra/standin';
import { Cluster, postgresBin, seedWorkers, startCluster } from './postgres';
import { hrApi, people, serve, type Hr } from './servers';
import { tempDir } from '../../tempDirs';

function io(cwd: string, env: NodeJS.ProcessEnv = {}): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  return { stdout, stderr, env: { SCIMMAP_SOURCE_BACKOFF_MS: '1', ...env }, cwd, out: () => out, err: () => err };
}

const ALL = people(7);
let hr: Hr;
let dir: string;
before(async () => {
  hr = await serve(hrApi(ALL, { throttleOnce: '$skip=3' }));
  dir = tempDir('scimmap-src-cli-');
});
after(async () => {
  await hr.close();
  rmSync(dir, { recursive: true, force: true });
});

const MAPPINGS: Record<string, (url: string) => string> = {
  rest: (url) => `  from:\n    type: rest\n    url: ${url}/v4/People\n    paging:\n      type: nextLink\n    auth:\n      type: bearer\n      tokenEnv: HR_TOKEN\nmappings:\n  externalId: id\n  userName: email\n  name.givenName: first\n  name.familyName: last\n  active: true\n`,
  workday: (url) => `  from:\n    type: workday\n    url: ${url}/ccx/service/customreport2/contoso/ISU/HR_Workers\n    auth:\n      type: basic\n      usernameEnv: WD_USER\n      passwordEnv: WD_PASSWORD\nmappings:\n  externalId: Employee_ID\n  userName: Email_Address\n  name.givenName: Legal_Name_First_Name\n  title: $workdayDate(Hire_Date)\n  active: true\n`,
  successfactors: (url) => `  from:\n    type: successfactors\n    url: ${url}/odata/v2\n    entity: PerPerson\n    expand: personalInfoNav\nmappings:\n  externalId: personIdExternal\n  userName: $lowercase(personIdExternal) & "@contoso.com"\n  name.givenName: personalInfoNav.results[0].firstName\n  title: $sfDate(dateOfBirth)\n  active: true\n`,
};

function writeMapping(name: string, body: string, sample = `${name}-snapshot.jsonl`): string {
  const file = join(dir, `${name}.scimmap.yaml`);
  writeFileSync(file, `scimmap: 1\ntarget: entra\nsource:\n  sample: ${sample}\n${body}`);
  return file;
}

const ENV = { HR_TOKEN: 'tok', WD_USER: 'isu', WD_PASSWORD: 'pw' };

for (const kind of Object.keys(MAPPINGS)) {
  test(`${kind}: preview --from-source streams every record with progress on stderr`, async () => {
    const m = writeMapping(kind, MAPPINGS[kind](hr.url));
    const x = io(dir, ENV);
    assert.equal(await runCli(['preview', m, '--from-source', '--format', 'ndjson'], x), 0, x.err());
    const users = x.out().trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(users.length, 7);
    assert.match(x.err(), new RegExp(`reading from the ${kind} source at 127\\.0\\.0\\.1:\\d+`));
    assert.match(x.err(), /source: 7 record\(s\) in \d+ page/);
    if (kind === 'workday') assert.equal(users[0].title, '2020-03-10T07:00:00Z');
    if (kind === 'successfactors') assert.equal(users[0].title, '1990-01-01T00:00:00Z');
    assert.doesNotMatch(x.err(), /tok\b|pw\b/);
  });

  test(`${kind}: upload --from-source to the local stand-in`, async () => {
    const m = writeMapping(kind, MAPPINGS[kind](hr.url));
    const s = await startStandIn({ verifiedDomains: ['contoso.com'] });
    try {
      const x = io(dir, { ...ENV, SCIMMAP_TOKEN: s.issueToken(), XDG_STATE_HOME: join(dir, 'state') });
      assert.equal(await runCli(['upload', m, '--from-source', '--endpoint', s.endpointUrl()], x), 0, x.err());
      assert.equal(s.stats.acceptedOperations, 7);
      assert.match(x.out(), /accepted\s+7/);
      assert.match(x.err(), /source: 7 record\(s\)/);
    } finally {
      await s.close();
    }
  });
}

test('sample pull: writes the snapshot 0600, --limit, .gitignore offered and added; preview then reads it', async () => {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  const m = join(repo, 'hr.scimmap.yaml');
  writeFileSync(m, `scimmap: 1\ntarget: entra\nsource:\n  sample: data/snapshot.json\n${MAPPINGS.rest(hr.url)}`);
  mkdirSync(join(repo, 'data'));
  const v = io(repo, ENV);
  assert.equal(await runCli(['validate', m], v), 0, v.out() + v.err());
  const x = io(repo, ENV);
  assert.equal(await runCli(['sample', 'pull', m, '--limit', '4'], x), 0, x.err());
  const snap = join(repo, 'data', 'snapshot.json');
  assert.equal(statSync(snap).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(snap, 'utf8')).map((r: { id: string }) => r.id), ALL.slice(0, 4).map((p) => p.id));
  assert.match(x.out(), /Wrote 4 record\(s\) to data\/snapshot\.json \(mode 0600\); stopped at --limit 4/);
  assert.match(x.err(), /warning: the snapshot holds personal data .*--gitignore/);
  const y = io(repo, ENV);
  assert.equal(await runCli(['sample', 'pull', m, '--gitignore'], y), 0, y.err());
  assert.match(readFileSync(join(repo, '.gitignore'), 'utf8'), /^\/data\/snapshot\.json$/m);
  assert.equal(JSON.parse(readFileSync(snap, 'utf8')).length, 7);
  const z = io(repo, ENV);
  assert.equal(await runCli(['sample', 'pull', m], z), 0);
  assert.doesNotMatch(z.err(), /warning/, 'once ignored, no more warning');
  const p = io(repo, ENV);
  assert.equal(await runCli(['preview', m, '--format', 'ndjson'], p), 0, p.err());
  assert.equal(p.out().trim().split('\n').length, 7);
});

test('sample pull and --from-source: usage errors are one line, exit 2', async () => {
  const noFrom = join(dir, 'plain.scimmap.yaml');
  writeFileSync(join(dir, 'plain.jsonl'), '{"id":"1","email":"a@contoso.com"}\n');
  writeFileSync(noFrom, 'scimmap: 1\ntarget: entra\nsource:\n  sample: plain.jsonl\nmappings:\n  externalId: id\n  userName: email\n  active: true\n');
  const a = io(dir);
  assert.equal(await runCli(['preview', noFrom, '--from-source'], a), 2);
  assert.match(a.err(), /the mapping has no source.from/);
  const csv = writeMapping('csv', MAPPINGS.rest(hr.url), 'snap.csv');
  const b = io(dir, ENV);
  assert.equal(await runCli(['sample', 'pull', csv], b), 2);
  assert.match(b.err(), /written as \.json or \.jsonl/);
  const m = writeMapping('rest', MAPPINGS.rest(hr.url));
  const c = io(dir, {});
  assert.equal(await runCli(['preview', m, '--from-source'], c), 2);
  assert.match(c.err(), /scimmap preview: rest source: the token is missing: set the environment variable HR_TOKEN/);
  const d = io(dir, ENV);
  assert.equal(await runCli(['upload', m, '--from-source', '--resume', 'x.jsonl', '--endpoint', 'https://graph.microsoft.com/v1.0/servicePrincipals/1/synchronization/jobs/2/bulkUpload'], d), 2);
  assert.match(d.err(), /--resume needs the same input/);
  const e = io(dir, ENV);
  assert.equal(await runCli(['sample', 'pull'], e), 2);
  const hostile = join(dir, 'hostile.scimmap.yaml');
  writeFileSync(hostile, `scimmap: 1\ntarget: entra\nsource:\n  sample: h.jsonl\n  from:\n    type: rest\n    url: ${hr.url}/v4/People\n    auth:\n      type: bearer\n      tokenEnv: SCIMMAP_TOKEN\nmappings:\n  externalId: id\n  userName: email\n  active: true\n`);
  const f = io(dir, { SCIMMAP_TOKEN: 'the-upload-token' });
  const before = hr.log.length;
  assert.equal(await runCli(['preview', hostile, '--from-source'], f), 1);
  assert.match(f.err(), /SCIMMAP_TOKEN' is one of SCIM Mapper's own variables/);
  assert.equal(hr.log.length, before, 'nothing was sent');
});

test('sample pull: a hostile source.sample cannot overwrite files elsewhere', async () => {
  const base = tempDir('scimmap-snap-target-');
  try {
    const sub = join(base, 'repo');
    mkdirSync(sub);
    writeFileSync(join(base, 'victim.json'), 'keep me');
    writeFileSync(join(sub, '.bashrc'), 'keep me too');
    symlinkSync(join(base, 'victim.json'), join(sub, 'link.json'));
    const cases: Array<[string, RegExp]> = [
      ['../victim.json', /outside the mapping's folder/],
      ['.bashrc\n  format: json', /written as \.json or \.jsonl/],
      ['link.json', /exists and is not a regular file \(a symbolic link\)/],
      ['//fileserver/share/x.json', /UNC and device paths/],
    ];
    for (const [sample, re] of cases) {
      const m = join(sub, 'm.scimmap.yaml');
      writeFileSync(m, `scimmap: 1\ntarget: entra\nsource:\n  sample: ${sample}\n${MAPPINGS.rest(hr.url)}`);
      const x = io(sub, ENV);
      const code = await runCli(['sample', 'pull', m], x);
      assert.notEqual(code, 0, sample);
      assert.match(x.err(), re, `${sample}: ${x.err()}`);
    }
    assert.equal(readFileSync(join(base, 'victim.json'), 'utf8'), 'keep me');
    assert.equal(readFileSync(join(sub, '.bashrc'), 'utf8'), 'keep me too');
    assert.equal(existsSync(join(base, 'x.json')), false);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

const bin = postgresBin();
const skip = bin ? false : 'PostgreSQL binaries not found; sql CLI tests skipped';
test('sql: preview and upload --from-source against a real PostgreSQL', { skip }, async () => {
  let cluster: Cluster | undefined;
  const s = await startStandIn({ verifiedDomains: ['contoso.com'] });
  try {
    cluster = await startCluster(bin!);
    seedWorkers(cluster, 120);
    const m = writeMapping('sql', `  from:\n    type: sql\n    driver: postgres\n    connectionEnv: HR_DB_URL\n    query: SELECT * FROM workers WHERE active AND hire_date >= $1 ORDER BY employee_id\n    params: ["2020-01-01"]\n    batchSize: 50\nmappings:\n  externalId: employee_id\n  userName: email\n  name.givenName: first_name\n  title: $hrDate(hire_date, "yyyy-MM-dd")\n  active: active\n`);
    const x = io(dir, { HR_DB_URL: cluster.url });
    assert.equal(await runCli(['preview', m, '--from-source', '--format', 'ndjson'], x), 0, x.err());
    const users = x.out().trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(users.length, 108);
    assert.equal(users[0].title, '2020-01-02T00:00:00Z');
    assert.match(x.err(), /reading from the sql source at postgres:\/\/127\.0\.0\.1:\d+\/postgres/);
    assert.match(x.err(), /source: 108 record\(s\) in 3 batches/);
    const y = io(dir, { HR_DB_URL: cluster.url, SCIMMAP_TOKEN: s.issueToken(), XDG_STATE_HOME: join(dir, 'state') });
    assert.equal(await runCli(['upload', m, '--from-source', '--endpoint', s.endpointUrl()], y), 0, y.err());
    assert.equal(s.stats.acceptedOperations, 108);
  } finally {
    await s.close();
    cluster?.stop();
  }
});
