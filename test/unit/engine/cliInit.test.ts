/** `scimmap init --from FILE [--out FILE]`: the CLI form of "New Mapping from Sample". */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseDocument } from 'yaml';
import { runCli } from '../../../src/cli/main';
import { tempDir } from '../../tempDirs';

const root = path.resolve(__dirname, '../../../..');
const dir = tempDir('scimmap-init-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], cwd = dir) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await runCli(args, { stdout, stderr, env: {}, cwd });
  return { code, out, err };
}

test('init prints a draft for a sample, with source.sample relative to the current folder', async () => {
  fs.writeFileSync(path.join(dir, 'hr.csv'), 'WorkerID,FirstName,LastName,Email,Status\n1,Ana,Silva,ana@contoso.com,Active\n');
  const r = await cli(['init', '--from', 'hr.csv']);
  assert.equal(r.code, 0, r.err);
  const js = parseDocument(r.out).toJS() as { source: { sample: string; key: string }; mappings: Record<string, string> };
  assert.equal(js.source.sample, 'hr.csv');
  assert.equal(js.source.key, 'WorkerID');
  assert.equal(js.mappings.externalId, 'WorkerID');
  assert.equal(js.mappings.active, 'Status = "Active"');
});

test('init --out writes the file (sample path relative to it), refuses to overwrite without --force, and it validates', async () => {
  fs.mkdirSync(path.join(dir, 'maps'));
  const sample = path.join(root, 'test/fixtures/reference/csv2scim-csv-with-2-records.csv');
  const w = await cli(['init', '--from', sample, '--out', 'maps/ms.scimmap.yaml']);
  assert.equal(w.code, 0, w.err);
  assert.match(w.err, /^scimmap init: wrote maps\/ms\.scimmap\.yaml/);
  const text = fs.readFileSync(path.join(dir, 'maps/ms.scimmap.yaml'), 'utf8');
  const js = parseDocument(text).toJS() as { source: { sample: string } };
  assert.equal(path.resolve(dir, 'maps', js.source.sample), sample);
  const again = await cli(['init', '--from', sample, '--out', 'maps/ms.scimmap.yaml']);
  assert.equal(again.code, 2);
  assert.match(again.err, /exists; pass --force to overwrite it/);
  assert.equal((await cli(['init', '--from', sample, '--out', 'maps/ms.scimmap.yaml', '--force'])).code, 0);
  const v = await cli(['validate', 'maps/ms.scimmap.yaml']);
  assert.equal(v.code, 0, v.out + v.err);
});

test('init: a missing --from, an unreadable sample and a UNC path are usage errors (one line, exit 2)', async () => {
  for (const [args, re] of [
    [['init'], /--from FILE/],
    [['init', '--from', 'missing.csv'], /missing\.csv: cannot read file: no such file/],
    [['init', '--from', '//host/share/x.csv'], /UNC and device paths/],
  ] as const) {
    const r = await cli([...args]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1);
  }
});
