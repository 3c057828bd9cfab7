/** Hostile inputs through the real `scimmap` process: clear messages, bounded time and memory, no stack traces. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aliasBomb, binaryBytes, latin1Csv, mapping, PEOPLE_CSV, runCli, tempDir, writeHugeFieldCsv } from './helpers';

const dir = tempDir();
after(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'people.csv'), PEOPLE_CSV);
const write = (name: string, text: string | Buffer) => {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
};

interface JsonResult {
  file: string;
  diagnostics: { code: string; severity: number; message: string; range: { start: { line: number; character: number } } }[];
}
const json = (stdout: string): JsonResult[] => JSON.parse(stdout) as JsonResult[];
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+\(.*:\d+:\d+\)/, 'no stack trace');

test('a YAML alias bomb is reported at once, never expanded', async () => {
  const r = await runCli(['validate', '--format', 'json', write('bomb.scimmap.yaml', aliasBomb())], { cwd: dir });
  assert.equal(r.code, 1);
  const aliases = json(r.stdout)[0].diagnostics.filter((d) => /aliases are not supported/.test(d.message));
  assert.deepEqual(aliases.map((d) => d.range.start), [{ line: 15, character: 14 }], 'the mapping that uses an alias');
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

test('a 50 MB CSV field: one clear reader error from validate and preview, in 96 MB of heap', async () => {
  writeHugeFieldCsv(path.join(dir, 'huge.csv'), 50);
  const m = write('huge.scimmap.yaml', mapping('huge.csv'));
  // A reader that held the field (100 MB as a JS string) would run out of this heap.
  const nodeArgs = ['--max-old-space-size=96'];
  const v = await runCli(['validate', '--format', 'json', m], { cwd: dir, nodeArgs });
  assert.equal(v.code, 1, v.stderr);
  const d = json(v.stdout)[0].diagnostics.find((x) => x.code === 'mapping-structure')!;
  assert.match(d.message, /huge\.csv:3: record is longer than 1048576 characters/);
  assert.deepEqual(d.range.start, { line: 2, character: 10 });
  const p = await runCli(['preview', m, '--format', 'ndjson'], { cwd: dir, nodeArgs });
  assert.equal(p.code, 2);
  assert.match(p.stderr, /^scimmap preview: .*huge\.csv:3: record is longer than 1048576 characters; is a quote left open\?\n$/);
  assert.equal(p.stdout.split('\n').filter(Boolean).length, 1, 'the record before it was still printed');
  noStack(p.stderr);
});

test('a binary file named .csv is refused with one line, not read as records', async () => {
  write('photo.csv', binaryBytes());
  const m = write('binary.scimmap.yaml', mapping('photo.csv'));
  const v = await runCli(['validate', '--format', 'json', m], { cwd: dir });
  assert.equal(v.code, 1);
  const d = json(v.stdout)[0].diagnostics;
  assert.deepEqual(d.map((x) => x.code), ['mapping-structure']);
  assert.match(d[0].message, /does not look like a text file \(it contains NUL bytes\)/);
  const p = await runCli(['preview', m], { cwd: dir });
  assert.equal(p.code, 2);
  assert.match(p.stderr, /^scimmap preview: .*photo\.csv: does not look like a text file/);
  noStack(p.stderr);
});

test('invalid UTF-8: in a sample it is an error naming the line and byte; source.encoding reads it; in a mapping it is replaced and positions stay right', async () => {
  write('latin1.csv', latin1Csv());
  const m = write('latin1.scimmap.yaml', mapping('latin1.csv', '  displayName: first\n'));
  const v = await runCli(['validate', '--format', 'json', m], { cwd: dir });
  assert.equal(v.code, 1);
  const d = json(v.stdout)[0].diagnostics;
  const enc = d.find((x) => x.code === 'mapping-structure')!;
  assert.equal(enc.severity, 1);
  assert.match(enc.message, /latin1\.csv:1: the file is not valid UTF-8 \(byte 5: 0xe9\).*set source\.encoding \(e\.g\. windows-1252/);
  const p = await runCli(['preview', m], { cwd: dir });
  assert.equal(p.code, 2);
  assert.match(p.stderr, /latin1\.csv:1: the file is not valid UTF-8/);
  noStack(p.stderr);

  const declared = mapping('latin1.csv', "  displayName: '`prénom`'\n").replace('  key: id\n', '  key: id\n  encoding: windows-1252\n');
  const ok = write('latin1-declared.scimmap.yaml', declared);
  const v2 = await runCli(['validate', '--format', 'json', ok], { cwd: dir });
  assert.equal(v2.code, 0, v2.stdout);
  const p2 = await runCli(['preview', ok], { cwd: dir });
  assert.equal(p2.code, 0, p2.stderr);
  assert.match(p2.stdout, /"displayName": "René"/);

  // Broken bytes in a comment and in an expression of the mapping itself.
  const text = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0xff]), Buffer.from(`\n${mapping('people.csv', '  title: \'"\xff" & frist\'\n')}`, 'latin1')]);
  const bad = write('bad-bytes.scimmap.yaml', text);
  const b = await runCli(['validate', '--format', 'json', bad], { cwd: dir });
  const field = json(b.stdout)[0].diagnostics.find((x) => x.code === 'unknown-field')!;
  // '\xff' became one U+FFFD: the column counts it as one character.
  assert.deepEqual(field.range.start, { line: 10, character: 16 });
});

test('a mapping with a BOM and CRLF, over a sample with a BOM and CRLF: the editor positions', async () => {
  write('bom.csv', '\ufeffid,first,status\r\n1,Ana,Active\r\n');
  const text = '\ufeff' + mapping('bom.csv', '  displayName: frist\n  title: 42\n').replace(/\n/g, '\r\n');
  const m = write('bom.scimmap.yaml', text);
  const v = await runCli(['validate', '--format', 'json', m], { cwd: dir });
  const d = json(v.stdout)[0].diagnostics;
  assert.deepEqual(d.map((x) => [x.code, x.range.start.line, x.range.start.character]), [['unknown-field', 9, 15], ['type-mismatch', 10, 9]]);
});

test('an expression that recurses forever is a sample-error (stack limit), not a crash', async () => {
  const m = write('recurse.scimmap.yaml', mapping('people.csv', '  title: \'$string(($f := function($n) { 1 + $f($n + 1) }; $f(0)))\'\n'));
  const v = await runCli(['validate', '--format', 'json', m], { cwd: dir });
  assert.equal(v.code, 1);
  const d = json(v.stdout)[0].diagnostics.filter((x) => x.code === 'sample-error');
  assert.ok(d.length >= 1, JSON.stringify(json(v.stdout)));
  assert.match(d[0].message, /stack|depth|U1001/i);
  assert.ok(v.ms < 15_000, `took ${v.ms} ms`);
});

test('a catastrophic regular expression: validate, preview and upload stop within the limit with one clear line', async () => {
  write('aaa.csv', `id,first,status\n1,Ana,Active\n2,${'a'.repeat(40)}!,Active\n`);
  const m = write('regex.scimmap.yaml', mapping('aaa.csv', '  displayName: \'$match(first, /^(a+)+$/) ? "x" : first\'\n'));
  const expected = /^scimmap: evaluating displayName on record 2 did not finish within 2 s \(a regular expression that backtracks\?\)\n$/;
  for (const args of [['validate', m], ['preview', m], ['upload', m, '--dry-run']]) {
    const r = await runCli([...args, '--eval-timeout', '2'], { cwd: dir, timeoutMs: 30_000 });
    assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, expected, args[0]);
    // The limit, plus process start-up and the 100 ms watchdog tick, with room for a loaded CI machine.
    assert.ok(r.ms < 2000 + 4000, `${args[0]} took ${r.ms} ms`);
  }
  // In a let binding (evaluated before the targets of each record), from the environment.
  const lets = '  slow: \'$contains(first, /^(a+)+$/)\'\n';
  const l = write('regex-let.scimmap.yaml', mapping('aaa.csv', '  displayName: \'$slow ? "x" : first\'\n', lets));
  const p = await runCli(['preview', l], { cwd: dir, env: { SCIMMAP_EVAL_TIMEOUT: '2' }, timeoutMs: 30_000 });
  assert.equal(p.code, 1);
  assert.match(p.stderr, /scimmap: evaluating the let bindings on record 2 did not finish within 2 s/);
});

test('--eval-timeout: a bad value is a usage error; 0 turns the limit off', async () => {
  const r = await runCli(['validate', 'x.scimmap.yaml', '--eval-timeout', 'soon'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "scimmap validate: --eval-timeout must be a number of seconds (0: no limit), not 'soon'\n");
  const ok = await runCli(['validate', write('fine.scimmap.yaml', mapping('people.csv')), '--eval-timeout', '0'], { cwd: dir });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
});
