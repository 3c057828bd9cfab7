/**
 * Files a hostile mapping names, through the real `scimmap` process: devices, FIFOs, /dev/stdin, UNC paths,
 * symlinks to devices, a deeply nested JSON sample, 200,000-character values. Each run has a hard time limit
 * (the child is killed after it) and a small heap, so a reader that blocked or read without bound fails the test.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mapping, PEOPLE_CSV, runCli, tempDir } from './helpers';

const dir = tempDir('scimmap-files-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'people.csv'), PEOPLE_CSV);
const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
};
const posix = process.platform !== 'win32';
/** Budget from issue 12: fail within 10 s and under 1 GB (a 512 MB heap: reading /dev/zero would exhaust it). */
const LIMITS = { cwd: dir, timeoutMs: 10_000, nodeArgs: ['--max-old-space-size=512'] };

interface Json { diagnostics: { code: string; message: string; range: { start: { line: number; character: number } } }[] }
const diagnosticsOf = (stdout: string) => (JSON.parse(stdout) as Json[])[0].diagnostics;
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+\(.*:\d+:\d+\)/, 'no stack trace');

const withSchema = (file: string) =>
  `scimmap: 1\nsource:\n  sample: people.csv\n  key: id\ntarget: entra\nextensions:\n  urn:ietf:params:scim:schemas:extension:acme:1.0:User: ${JSON.stringify(file)}\nmappings:\n  externalId: id\n  userName: id & "@contoso.com"\n  active: status = "Active"\n`;

async function validate(name: string, text: string) {
  const r = await runCli(['validate', '--format', 'json', write(name, text)], LIMITS);
  assert.equal(r.signal, null, `killed after ${r.ms} ms: ${r.stderr}`);
  noStack(r.stderr);
  return { ...r, diagnostics: r.code === 2 ? [] : diagnosticsOf(r.stdout) };
}

let fifo = '';
if (posix) {
  fifo = path.join(dir, 'pipe.json');
  execFileSync('mkfifo', [fifo]);
}

test('a schema file that is /dev/zero, a FIFO, /dev/stdin or a link to a device: file-refused, in time and memory', { skip: !posix }, async () => {
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero-link.json'));
  const cases: [string, RegExp][] = [
    ['/dev/zero', /'\/dev\/zero' is not read: is a character device, not a regular file/],
    [fifo, /is not read: is a named pipe \(FIFO\), not a regular file/],
    ['/dev/stdin', /'\/dev\/stdin' is not read: is (a named pipe|a character device|a socket|not a regular file)/],
    ['zero-link.json', /'zero-link\.json' is not read: is a character device/],
  ];
  for (const [file, message] of cases) {
    const r = await validate('schema.scimmap.yaml', withSchema(file));
    assert.equal(r.code, 1, r.stderr);
    const d = r.diagnostics.find((x) => x.code === 'file-refused');
    assert.ok(d, `${file}: ${JSON.stringify(r.diagnostics)}`);
    assert.match(d.message, message);
    assert.deepEqual(d.range.start, { line: 6, character: 56 });
  }
});

test('a sample that is a FIFO or a device: file-refused at source.sample, never opened', { skip: !posix }, async () => {
  for (const file of [fifo, '/dev/zero', '/dev/stdin']) {
    const r = await validate('sample.scimmap.yaml', mapping(JSON.stringify(file)));
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['file-refused'], JSON.stringify(r.diagnostics));
    assert.match(r.diagnostics[0].message, /^Sample file '.*' is not read: is a /);
    assert.deepEqual(r.diagnostics[0].range.start, { line: 2, character: 10 });
  }
  const p = await runCli(['preview', '--input', fifo, write('ok.scimmap.yaml', mapping('people.csv'))], LIMITS);
  assert.equal(p.code, 2);
  assert.match(p.stderr, /^scimmap preview: .*pipe\.json: is a named pipe \(FIFO\), not a regular file/);
  noStack(p.stderr);
});

test('UNC, device and file: paths are refused before any file system call, on every platform', async () => {
  for (const file of ['\\\\host\\share\\x.csv', '//host/share/x.csv', '\\\\?\\C:\\x.csv', '\\\\.\\pipe\\x', 'file:///etc/passwd', 'NUL']) {
    const r = await validate('unc.scimmap.yaml', mapping(JSON.stringify(file)));
    assert.equal(r.code, 1);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['file-refused'], file);
    assert.match(r.diagnostics[0].message, /UNC and device paths|file: URLs|Windows device name/);
    const s = await validate('unc-schema.scimmap.yaml', withSchema(file));
    assert.ok(s.diagnostics.some((d) => d.code === 'file-refused' && /is not read/.test(d.message)), file);
  }
});

test('the mapping file itself: a FIFO or /dev/zero is one line on stderr, exit 2', { skip: !posix }, async () => {
  for (const file of [fifo, '/dev/zero']) {
    const r = await runCli(['validate', file], LIMITS);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^scimmap validate: .*: is a (named pipe \(FIFO\)|character device), not a regular file: only regular files are read\n$/);
  }
});

test('a 400 KB deeply nested JSON sample: a "nested deeper" error at its record and line, not a 2 GB worker', async () => {
  const deep = '[{"id":"1","status":"Active"},\n{"id":"2","status":"Active","x":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}]';
  write('deep.json', deep);
  const r = await validate('deep.scimmap.yaml', mapping('deep.json'));
  assert.equal(r.code, 1, r.stderr);
  const d = r.diagnostics.find((x) => x.code === 'mapping-structure')!;
  assert.match(d.message, /has an error after 1 records .*deep\.json:2:\d+: element 2 is nested deeper than 64 levels of objects and arrays/);
  write('deep.jsonl', '{"id":"1","status":"Active"}\n{"id":"2","x":' + '{"a":'.repeat(100) + '1' + '}'.repeat(100) + '}\n');
  const l = await validate('deepl.scimmap.yaml', mapping('deep.jsonl'));
  assert.match(l.diagnostics.find((x) => x.code === 'mapping-structure')!.message, /deep\.jsonl:2:\d+: record 2 is nested deeper than 64 levels/);
});

test('200,000-character values (spaces, quotes, repeated prefixes) are validated within 5 s', async () => {
  const N = 200_000;
  const values = [' '.repeat(N) + 'x', '"'.repeat(N), "'".repeat(N) + 'x', '['.repeat(N), 'function('.repeat(N / 9), '.a'.repeat(N / 2) + '!', '`'.repeat(N)];
  for (const v of values) {
    write('long.csv', `id,first,status\n1,${JSON.stringify(v)},Active\n`);
    const text = mapping('long.csv', `  title: ${JSON.stringify(v)}\n  displayName: ${JSON.stringify(`first & ${JSON.stringify(v)}`)}\n  nickName: first${v.replace(/[#:]/g, '')}\n`);
    const r = await runCli(['validate', '--format', 'json', write('long.scimmap.yaml', text)], { cwd: dir, timeoutMs: 5000 });
    assert.equal(r.signal, null, `${v.slice(0, 12)}…: killed after 5 s`);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
  }
});
