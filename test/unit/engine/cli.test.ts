import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';

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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimmap-cli-'));
  const file = path.join(dir, 'bad.scimmap.yaml');
  fs.writeFileSync(file, 'scimmap: 1\ntarget: entra\nmappings:\n  externalId: id\n  active: true\n  titel: x\n');
  const t = await cli(['validate', 'bad.scimmap.yaml'], dir);
  assert.equal(t.code, 1);
  assert.equal(t.out, 'bad.scimmap.yaml:6:3 error unknown-attribute The core User schema has no attribute "titel" (extension attributes need their URN prefix). Did you mean \'title\'?\n');
  const j = await cli(['validate', 'bad.scimmap.yaml', '--format', 'json'], dir);
  const parsed = JSON.parse(j.out);
  assert.equal(parsed[0].file, 'bad.scimmap.yaml');
  assert.deepEqual(parsed[0].diagnostics[0].range, { start: { line: 5, character: 2 }, end: { line: 5, character: 7 } });
  assert.equal(parsed[0].diagnostics[0].severity, 1);
  assert.equal(parsed[0].diagnostics[0].source, 'scimmap');
  assert.equal(parsed[0].diagnostics[0].code, 'unknown-attribute');
});

test('preview reports failing records on stderr and still prints the good ones', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimmap-cli-'));
  fs.writeFileSync(path.join(dir, 'in.jsonl'), '{"id":"1","n":"a"}\n{"id":"2","n":5}\n{"id":"1","n":"c"}\n');
  fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), 'scimmap: 1\nsource:\n  sample: in.jsonl\n  key: id\ntarget: entra\nmappings:\n  externalId: id\n  active: true\n  nickName: n\n');
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimmap-cli-'));
  fs.writeFileSync(path.join(dir, 'wd.json'), '{"Report_Entry": [\n{"id":"1"},\n{"id":"2"}\n]}');
  fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), 'scimmap: 1\nsource:\n  sample: wd.json\ntarget: entra\nmappings:\n  externalId: id\n  active: true\n');
  const r = await cli(['preview', 'm.scimmap.yaml', '--format', 'ndjson'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim().split('\n').length, 2);
  assert.match(r.err, /^note: .*records read from the "Report_Entry" array/m);
  assert.doesNotMatch(r.err, /^warning:/m);
});
