/**
 * `scimmap upload --from-source` for a target: scim mapping: the records come from the mapping's HR source (a local
 * REST API stand-in, paged and throttled once) and reach a real SCIM server (scimmy), through the CLI entry.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { hrApi, people, serve, type Hr } from '../sources/servers';
import { startScimmy, TOKEN, type ScimmyServer } from './scimmyServer';
import { tempDir } from '../../tempDirs';

let hr: Hr;
let scim: ScimmyServer;
let dir: string;
before(async () => {
  hr = await serve(hrApi(people(7), { throttleOnce: '$skip=3' }));
  scim = await startScimmy();
  dir = tempDir('scimmap-scim-src-');
  writeFileSync(
    join(dir, 'hr.scimmap.yaml'),
    `scimmap: 1\ntarget: scim\nsource:\n  sample: hr-snapshot.jsonl\n  from:\n    type: rest\n    url: ${hr.url}/v4/People\n    paging:\n      type: nextLink\n    auth:\n      type: bearer\n      tokenEnv: HR_TOKEN\nmappings:\n  externalId: id\n  userName: email\n  name.givenName: first\n  name.familyName: last\n  active: true\n`,
  );
});
after(async () => {
  await scim.close();
  await hr.close();
});

async function upload(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['upload', 'hr.scimmap.yaml', '--from-source', '--endpoint', scim.base, ...args], {
    stdout: new PassThrough().on('data', (d) => (out += d)),
    stderr: new PassThrough().on('data', (d) => (err += d)),
    env: { HR_TOKEN: 'hr-source-token-42', SCIMMAP_TOKEN: TOKEN, SCIMMAP_SOURCE_BACKOFF_MS: '1', XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config'), SCIMMAP_SCIM_HOSTS: '' },
    cwd: dir,
  });
  return { code, out, err };
}

test('upload --from-source: every record of the HR API reaches the SCIM server; the journal names the source, never a secret', async () => {
  const dry = await upload(['--dry-run', '--format', 'json']);
  assert.equal(dry.code, 0, dry.err);
  assert.equal(JSON.parse(dry.out).records, 7);
  assert.equal(scim.users.size, 0, 'a dry run writes nothing');

  const r = await upload(['--format', 'json']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /reading from the rest source at 127\.0\.0\.1:\d+/);
  assert.match(r.err, /source: 7 record\(s\) in \d+ page/);
  const byExt = new Map([...scim.users.values()].map((u) => [String(u.externalId), u]));
  assert.deepEqual([...byExt.keys()].sort(), people(7).map((p) => p.id));
  assert.equal((byExt.get('E1003')?.name as { familyName?: string }).familyName, 'Last3');
  assert.ok(hr.log.every((l) => l.authorization === 'Bearer hr-source-token-42'), 'the HR API got its own token');

  const uploads = join(dir, 'state', 'scimmap', 'uploads');
  const journal = readFileSync(join(uploads, readdirSync(uploads)[0]!), 'utf8');
  assert.match(journal, /source\.from rest/);
  for (const text of [journal, r.out, r.err]) assert.ok(!text.includes('hr-source-token-42') && !text.includes(TOKEN));

  // Run again: matched by externalId, updated, not duplicated.
  const again = await upload([]);
  assert.equal(again.code, 0, again.err);
  assert.equal(scim.users.size, 7);
  assert.match(again.out, /created\s+0/);
});

test('upload --from-source needs a source.from; --input and --resume are refused with it', async () => {
  writeFileSync(join(dir, 'x.csv'), 'id,email\n1,a@example.org\n');
  writeFileSync(join(dir, 'nosrc.scimmap.yaml'), 'scimmap: 1\ntarget: scim\nsource:\n  sample: x.csv\nmappings:\n  externalId: id\n  userName: email\n');
  let err = '';
  const io = { stdout: new PassThrough(), stderr: new PassThrough().on('data', (d) => (err += d)), env: { SCIMMAP_TOKEN: TOKEN, SCIMMAP_SCIM_HOSTS: '' }, cwd: dir };
  assert.equal(await runCli(['upload', 'nosrc.scimmap.yaml', '--from-source', '--endpoint', scim.base, '--dry-run'], io), 2, err);
  assert.match(err, /no source\.from: --from-source needs one/);
  const both = await upload(['--input', 'x.csv']);
  assert.equal(both.code, 2, both.err);
  const resume = await upload(['--resume', 'x.jsonl']);
  assert.equal(resume.code, 2, resume.err);
});
