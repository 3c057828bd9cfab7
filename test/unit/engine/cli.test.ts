import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { tempDir as newTempDir } from '../../tempDirs';

const root = path.resolve(__dirname, '../../../..');

async function cli(args: string[], cwd = root) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await runCli(args, { stdout, stderr, env: {}, cwd });
  return { code, out, err };
}

const SAMPLES = ['workday', 'successfactors', 'custom-hr'];

for (const s of SAMPLES) {
  test(`sample ${s}: validates cleanly and matches its golden bulk output`, async () => {
    const mapping = `samples/${s}/${s}.scimmap.yaml`;
    const v = await cli(['validate', mapping]);
    assert.equal(v.out, '');
    assert.equal(v.code, 0);
    const p = await cli(['preview', mapping, '--format', 'bulk']);
    assert.equal(p.code, 0, p.err);
    const golden = fs.readFileSync(path.join(root, `test/golden/${s}.bulk.json`), 'utf8');
    assert.deepEqual(JSON.parse(p.out), JSON.parse(golden));
    for (const req of JSON.parse(p.out)) assert.ok(req.Operations.length <= 50);
  });
}

test('preview formats: users array, ndjson lines, --limit', async () => {
  const m = 'samples/workday/workday.scimmap.yaml';
  const users = JSON.parse((await cli(['preview', m, '--limit', '3'])).out);
  assert.equal(users.length, 3);
  const nd = (await cli(['preview', m, '--format', 'ndjson', '--limit', '5'])).out.trim().split('\n');
  assert.equal(nd.length, 5);
  assert.deepEqual(JSON.parse(nd[0]), users[0]);
});

test('validate: text and json formats, exit 1 on errors', async () => {
  const dir = newTempDir('scimmap-cli-');
  const file = path.join(dir, 'bad.scimmap.yaml');
  fs.writeFileSync(file, 'scimmap: 1\ntarget: entra\nmappings:\n  externalId: id\n  userName: id & "@contoso.com"\n  active: true\n  titel: x\n');
  const t = await cli(['validate', 'bad.scimmap.yaml'], dir);
  assert.equal(t.code, 1);
  assert.equal(t.out, 'bad.scimmap.yaml:7:3 error unknown-attribute The core User schema has no attribute "titel" (extension attributes need their URN prefix). Did you mean \'title\'?\n');
  const j = await cli(['validate', 'bad.scimmap.yaml', '--format', 'json'], dir);
  const parsed = JSON.parse(j.out);
  assert.equal(parsed[0].file, 'bad.scimmap.yaml');
  assert.deepEqual(parsed[0].diagnostics[0].range, { start: { line: 6, character: 2 }, end: { line: 6, character: 7 } });
  assert.equal(parsed[0].diagnostics[0].severity, 1);
  assert.equal(parsed[0].diagnostics[0].source, 'scimmap');
  assert.equal(parsed[0].diagnostics[0].code, 'unknown-attribute');
});

test('preview reports failing records on stderr and still prints the good ones', async () => {
  const dir = newTempDir('scimmap-cli-');
  fs.writeFileSync(path.join(dir, 'in.jsonl'), '{"id":"1","n":"a"}\n{"id":"2","n":5}\n{"id":"1","n":"c"}\n');
  fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), 'scimmap: 1\nsource:\n  sample: in.jsonl\n  key: id\ntarget: entra\nmappings:\n  externalId: id\n  userName: id & "@contoso.com"\n  active: true\n  nickName: n\n');
  const r = await cli(['preview', 'm.scimmap.yaml'], dir);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.out).length, 1);
  assert.match(r.err, /record 2 \(2\) nickName: type-mismatch/);
  assert.match(r.err, /record 3 \(1\) externalId: duplicate-external-id/);
});

test('usage and I/O errors: one line, exit 2, no stack trace', async () => {
  for (const args of [['nope'], ['validate'], ['validate', 'missing.scimmap.yaml'], ['preview', 'missing.scimmap.yaml'], ['preview', 'samples/workday/workday.scimmap.yaml', '--format', 'xml'], ['preview', 'samples/workday/workday.scimmap.yaml', '--bogus']]) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
  for (const c of ['validate', 'preview']) {
    const h = await cli([c, '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Usage: scimmap/);
  }
});

test('preview reads a Workday Report_Entry export and notes the wrapper (not a warning)', async () => {
  const dir = newTempDir('scimmap-cli-');
  fs.writeFileSync(path.join(dir, 'wd.json'), '{"Report_Entry": [\n{"id":"1"},\n{"id":"2"}\n]}');
  fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), 'scimmap: 1\nsource:\n  sample: wd.json\ntarget: entra\nmappings:\n  externalId: id\n  userName: id & "@contoso.com"\n  active: true\n');
  const r = await cli(['preview', 'm.scimmap.yaml', '--format', 'ndjson'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim().split('\n').length, 2);
  assert.match(r.err, /^note: .*records read from the "Report_Entry" array/m);
  assert.doesNotMatch(r.err, /^warning:/m);
});

function tempDir(): string {
  return newTempDir('scimmap-cli-safety-');
}

test("validate exits 1 when sample records would not be sent, with a summary; --allow-record-errors keeps 0 unless every record is wrong", async () => {
  const m = 'test/fixtures/csv2scim/AttributeMapping.scimmap.yaml';
  const v = await cli(['validate', m]);
  assert.equal(v.code, 1);
  assert.match(v.out, /AttributeMapping\.scimmap\.yaml:9:1 info records-fail 1,000 of 1,000 records fail: user-name-format 1,000, duplicate-external-id 376/);
  const allowed = await cli(['validate', m, '--allow-record-errors']);
  assert.equal(allowed.code, 0, allowed.out);
  assert.match(allowed.out, /records-fail/); // still printed
  // Microsoft's contractor/intern variant: externalId names a column the export lacks — every record fails.
  const contractor = await cli(['validate', 'test/fixtures/csv2scim/Sample1Contractor.scimmap.yaml', '--allow-record-errors']);
  assert.equal(contractor.code, 1);
  assert.match(contractor.out, /:10:15 error always-empty externalId is empty on every record \(1,000 of 1,000\)/);
});

test('upload: dataset errors send nothing unless --force; record errors leave records out; bulk.size; no scim mapping to Entra', async () => {
  const dir = tempDir();
  const sample = path.join(root, 'samples/workday/workers.json');
  const base = fs.readFileSync(path.join(root, 'samples/workday/workday.scimmap.yaml'), 'utf8').replace('sample: workers.json', `sample: ${JSON.stringify(sample)}`);
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const wrongCase = write('wrong-case.scimmap.yaml', base.replace('active: Employment.Status = "Active"', 'active: Employment.Status = "active"'));
  const blocked = await cli(['upload', wrongCase, '--dry-run'], dir);
  assert.equal(blocked.code, 1);
  assert.match(blocked.err, /all-inactive: active: active is false on every record/);
  assert.match(blocked.err, /Nothing was sent/);
  assert.equal(blocked.out, '');
  const forced = await cli(['upload', wrongCase, '--dry-run', '--force'], dir);
  assert.equal(forced.code, 0, forced.err);
  assert.match(forced.out, /Dry run: \d+ record\(s\) in \d+ request\(s\) would be sent/);

  const sized = write('sized.scimmap.yaml', `${base}bulk:\n  size: 10\n`);
  const dry = await cli(['upload', sized, '--dry-run', '--format', 'json'], dir);
  assert.equal(dry.code, 0, dry.err);
  const j = JSON.parse(dry.out) as { requests: number; records: number };
  assert.equal(j.requests, Math.ceil(j.records / 10));

  const domain = await cli(['upload', sized, '--dry-run', '--domain', 'fabrikam.com'], dir);
  assert.equal(domain.code, 1);
  assert.match(domain.err, /records fail: user-name-domain \d+ \(left out; the others are sent\)/);

  const scim = write('scim.scimmap.yaml', `scimmap: 1\ntarget: scim\nsource:\n  sample: ${JSON.stringify(sample)}\nmappings:\n  userName: Worker_ID\n`);
  const refused = await cli(['upload', scim, '--endpoint', 'https://graph.microsoft.com/v1.0/servicePrincipals/s/synchronization/jobs/j/bulkUpload'], dir);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /target: scim .*Entra's bulkUpload/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('preview: a skipped duplicate is its own status in --format records and a "skipped:" line on stderr, never an ok record', async () => {
  const dir = newTempDir('scimmap-cli-');
  fs.writeFileSync(path.join(dir, 'p.csv'), 'id,upn,name\n1,a@contoso.com,Ana\n2,b@contoso.com,<b>Bo</b>\n1,a2@contoso.com,Ana again\n3,,Cy\n');
  fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), 'scimmap: 1\nsource:\n  sample: p.csv\n  key: id\n  duplicates: first\ntarget: entra\nmappings:\n  externalId: id\n  userName: upn\n  active: true\n  displayName: name\n');
  const r = await cli(['preview', 'm.scimmap.yaml', '--format', 'records'], dir);
  assert.equal(r.code, 1, 'record 4 has no userName');
  const entries = JSON.parse(r.out) as { record: number; key?: string; status: string; skipped?: { code: string; message: string }; errors?: { code: string }[]; resource?: { displayName?: string } }[];
  assert.deepEqual(entries.map((e) => `${e.record}:${e.status}`), ['1:ok', '2:ok', '3:skipped', '4:error']);
  assert.equal(entries[1].resource?.displayName, '<b>Bo</b>', 'JSON carries values as data');
  assert.deepEqual(entries[2].skipped, { code: 'duplicate-skipped', message: 'externalId "1" was already sent with record 1; with source.duplicates: first this record is left out' });
  assert.equal('resource' in entries[2], false, 'a skipped record has no payload: it is not sent');
  assert.deepEqual(entries[3].errors?.map((e) => e.code), ['missing-user-name']);
  assert.match(r.err, /^skipped: record 3 \(1\): duplicate-skipped: externalId "1" was already sent with record 1/m);
  assert.match(r.err, /^1 record skipped, not sent \(source.duplicates: first\)$/m);
  assert.match(r.err, /^2 ok, 1 failed, 1 skipped$/m);
  // The payload formats leave it out, and still say so on stderr.
  const users = await cli(['preview', 'm.scimmap.yaml'], dir);
  assert.deepEqual((JSON.parse(users.out) as { externalId: string }[]).map((u) => u.externalId), ['1', '2']);
  assert.match(users.err, /^skipped: record 3 \(1\)/m);
  const bad = await cli(['preview', 'm.scimmap.yaml', '--format', 'report'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be users, bulk, ndjson, entra or records/);
});
