/** Hostile inputs through the real language server over stdio: clear diagnostics, in time, and it keeps answering. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';
import { aliasBomb, binaryBytes, latin1Csv, mapping, PEOPLE_CSV, tempDir, writeHugeFieldCsv, writeManyRowsCsv } from '../unit/hostile/helpers';

const dir = tempDir('scimmap-hostile-lsp-');
fs.writeFileSync(path.join(dir, 'people.csv'), PEOPLE_CSV);
const client = new LspClient({ SCIMMAP_EVAL_HARD_LIMIT_MS: '2000' });
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

let opened = 0;
/** Opens `text` as a new mapping document and waits for its first diagnostics. */
async function open(name: string, text: string, timeoutMs = 15_000): Promise<{ uri: string; diagnostics: Diagnostic[]; ms: number }> {
  if (opened++ === 0) await client.initialize();
  const uri = pathToFileURL(path.join(dir, name)).toString();
  const started = Date.now();
  await client.open(uri, text);
  const diagnostics = await client.waitFor(uri, (_, p) => p.version === 1, timeoutMs);
  return { uri, diagnostics, ms: Date.now() - started };
}
const at = (d: Diagnostic) => [d.code, d.range.start.line, d.range.start.character];
const msg = (d: Diagnostic | undefined) => String(d?.message);

test('a YAML alias bomb: a clear diagnostic, fast', async () => {
  const { diagnostics, ms } = await open('bomb.scimmap.yaml', aliasBomb());
  assert.ok(diagnostics.some((d) => /YAML aliases are not supported/.test(msg(d))));
  assert.ok(ms < 3000, `took ${ms} ms`);
});

test('a 50 MB CSV field: the reader error on source.sample, and the server still answers', async () => {
  writeHugeFieldCsv(path.join(dir, 'huge.csv'), 50);
  const { uri, diagnostics } = await open('huge.scimmap.yaml', mapping('huge.csv'), 30_000);
  const d = diagnostics.find((x) => x.code === 'mapping-structure')!;
  assert.match(msg(d), /huge\.csv:3: record is longer than 1048576 characters/);
  assert.deepEqual(d.range.start, { line: 2, character: 10 });
  assert.ok(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 4 } }));
});

test('a binary file named .csv, and a sample in Windows-1252', async () => {
  fs.writeFileSync(path.join(dir, 'photo.csv'), binaryBytes());
  const bin = await open('binary.scimmap.yaml', mapping('photo.csv'));
  assert.deepEqual(bin.diagnostics.map((d) => d.code), ['mapping-structure']);
  assert.match(msg(bin.diagnostics[0]), /does not look like a text file/);
  fs.writeFileSync(path.join(dir, 'latin1.csv'), latin1Csv());
  const latin = await open('latin1.scimmap.yaml', mapping('latin1.csv'));
  const w = latin.diagnostics.find((d) => d.code === 'mapping-structure')!;
  assert.equal(w.severity, 1);
  assert.match(msg(w), /latin1\.csv:1: the file is not valid UTF-8 \(byte 5: 0xe9\).*set source\.encoding/);
  const declared = mapping('latin1.csv', "  displayName: '`prénom`'\n").replace('  key: id\n', '  key: id\n  encoding: windows-1252\n');
  const ok = await open('latin1-declared.scimmap.yaml', declared);
  assert.deepEqual(ok.diagnostics.map((d) => d.code), []);
});

test('BOM and CRLF: diagnostics at the editor positions (the same as scimmap validate)', async () => {
  fs.writeFileSync(path.join(dir, 'bom.csv'), '\ufeffid,first,status\r\n1,Ana,Active\r\n');
  const text = mapping('bom.csv', '  displayName: frist\n  title: 42\n').replace(/\n/g, '\r\n');
  const { diagnostics } = await open('bom.scimmap.yaml', text);
  assert.deepEqual(diagnostics.map(at), [['unknown-field', 9, 15], ['type-mismatch', 10, 9]]);
});

test('an expression that recurses forever is a sample-error at its mapping', async () => {
  const { diagnostics } = await open('recurse.scimmap.yaml', mapping('people.csv', '  title: \'$string(($f := function($n) { 1 + $f($n + 1) }; $f(0)))\'\n'));
  const d = diagnostics.find((x) => x.code === 'sample-error')!;
  assert.equal(d.range.start.line, 9);
  assert.match(msg(d), /stack|depth|U1001/i);
});

test('a catastrophic regular expression: the hang diagnostic, and hover answers meanwhile', async () => {
  fs.writeFileSync(path.join(dir, 'aaa.csv'), `id,first,status\n1,${'a'.repeat(40)}!,Active\n`);
  const uri = pathToFileURL(path.join(dir, 'regex.scimmap.yaml')).toString();
  const started = Date.now();
  await client.open(uri, mapping('aaa.csv', '  displayName: \'$match(first, /^(a+)+$/) ? "x" : first\'\n'));
  await new Promise((r) => setTimeout(r, 300)); // the worker is now stuck in the regex
  const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 4 } });
  assert.ok(hover, 'hover answered');
  assert.ok(Date.now() - started < 1500, 'before the hard limit');
  const d = await client.waitFor(uri, (x) => x.some((y) => y.code === 'sample-error'));
  assert.match(String(d.find((y) => y.code === 'sample-error')!.message), /did not finish within 2 s/);
});

test('a catastrophic regular expression met first by the quick-fix check: the hang is pinned on its mapping', async () => {
  fs.writeFileSync(path.join(dir, 'aaa2.csv'), `id,first,status\n1,${'a'.repeat(40)}!,Active\n`);
  // title expects a string but always gets a number (static type-mismatch): the mapping is not compiled, so the
  // sample check of its $string() fix is the first to evaluate it.
  const uri = pathToFileURL(path.join(dir, 'regex2.scimmap.yaml')).toString();
  await client.open(uri, mapping('aaa2.csv', '  displayName: first\n  title: \'$match(first, /^(a+)+$/) ? 1 : 2\'\n'));
  const d = await client.waitFor(uri, (x) => x.some((y) => y.code === 'sample-error'), 30_000);
  const hang = d.find((y) => y.code === 'sample-error')!;
  assert.match(String(hang.message), /did not finish within 2 s/);
  assert.equal(hang.range.start.line, 10, 'on the title mapping');
  // Skipped afterwards: the next validation completes and keeps the type error.
  const after = await client.waitFor(uri, (x) => x.some((y) => y.code === 'type-mismatch'), 30_000);
  assert.ok(after.some((y) => y.code === 'sample-error' && y.range.start.line === 10));
});

test('a sample of 1,000,000 rows: the server reads the first 100,000, says so, and stays responsive', async () => {
  writeManyRowsCsv(path.join(dir, 'million.csv'), 1_000_000);
  const uri = pathToFileURL(path.join(dir, 'million.scimmap.yaml')).toString();
  const text = mapping('million.csv', '  displayName: first\n  userName: $lowercase(first) & "@contoso.com"\n');
  const started = Date.now();
  await client.open(uri, text);
  await new Promise((r) => setTimeout(r, 150)); // past the debounce: validation is under way
  const hoverStarted = Date.now();
  const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 4 } });
  assert.ok(hover, 'hover answered');
  assert.ok(Date.now() - hoverStarted < 1000, `hover took ${Date.now() - hoverStarted} ms`);
  const d = await client.waitFor(uri, (_, p) => p.version === 1, 30_000);
  // Reading and evaluating 100,000 rows may take longer than the 2 s hard limit on a busy machine: the worker's
  // heartbeats keep it alive, so nothing is reported as hanging.
  assert.ok(!d.some((x) => x.code === 'sample-error'), JSON.stringify(d));
  const info = d.find((x) => x.code === 'sample-truncated')!;
  assert.equal(info.severity, 3);
  assert.match(msg(info), /checks ran on its first 100000 records/);
  assert.deepEqual(info.range.start, { line: 2, character: 10 });
  assert.ok(Date.now() - started < 15_000, `validation took ${Date.now() - started} ms`);
});

test('after all that, the server is alive', () => {
  assert.equal(client.child.exitCode, null);
  assert.deepEqual(client.logs.filter((l) => /^(uncaught|unhandled)/.test(l)), []);
});
