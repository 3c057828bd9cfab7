/**
 * Hostile files and values through the real language server over stdio: a schema that is /dev/zero, a FIFO or
 * /dev/stdin (the server's own stdio pipe), a FIFO sample, a UNC path, a deeply nested JSON sample and
 * 200,000-character values. Each gets its diagnostic, and hovers keep answering within 5 s meanwhile.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';
import { mapping, PEOPLE_CSV, tempDir } from '../unit/hostile/helpers';

const dir = tempDir('scimmap-hostile-files-lsp-');
fs.writeFileSync(path.join(dir, 'people.csv'), PEOPLE_CSV);
const client = new LspClient({ SCIMMAP_EVAL_HARD_LIMIT_MS: '4000' });
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
const posix = process.platform !== 'win32';
const HOVER_BUDGET_MS = 5000;

let initialized = false;
let n = 0;
async function open(text: string, timeoutMs = 10_000): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  if (!initialized) {
    await client.initialize();
    initialized = true;
  }
  const uri = pathToFileURL(path.join(dir, `m${n++}.scimmap.yaml`)).toString();
  await client.open(uri, text);
  const diagnostics = await client.waitFor(uri, (_, p) => p.version === 1, timeoutMs);
  return { uri, diagnostics };
}

/** A hover on the `externalId` key answers, within the budget. */
async function hoverAnswers(uri: string, line: number): Promise<void> {
  const started = Date.now();
  const hover = await Promise.race([
    client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 4 } }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('hover did not answer within 5 s')), HOVER_BUDGET_MS)),
  ]);
  assert.ok(hover, 'hover answered');
  assert.ok(Date.now() - started < HOVER_BUDGET_MS);
}

const withSchema = (file: string) =>
  `scimmap: 1\nsource:\n  sample: people.csv\n  key: id\ntarget: entra\nextensions:\n  urn:ietf:params:scim:schemas:extension:acme:1.0:User: ${JSON.stringify(file)}\nmappings:\n  externalId: id\n  active: status = "Active"\n`;

test('schema files that are devices, FIFOs or the server\'s own stdin: file-refused, and the server answers', { skip: !posix }, async () => {
  const fifo = path.join(dir, 'schema-pipe.json');
  execFileSync('mkfifo', [fifo]);
  for (const file of ['/dev/zero', fifo, '/dev/stdin']) {
    const { uri, diagnostics } = await open(withSchema(file));
    const d = diagnostics.find((x) => x.code === 'file-refused');
    assert.ok(d, `${file}: ${JSON.stringify(diagnostics)}`);
    assert.match(String(d.message), /is not read: is a .*not a regular file/);
    await hoverAnswers(uri, 8);
  }
});

test('a FIFO sample and UNC sample paths: file-refused at source.sample', async () => {
  const files = ['//host/share/x.csv', '\\\\host\\share\\x.csv'];
  if (posix) {
    const fifo = path.join(dir, 'sample-pipe.csv');
    execFileSync('mkfifo', [fifo]);
    files.push(fifo);
  }
  for (const file of files) {
    const { uri, diagnostics } = await open(mapping(JSON.stringify(file)));
    assert.deepEqual(diagnostics.map((d) => d.code), ['file-refused'], file);
    assert.deepEqual(diagnostics[0].range.start, { line: 2, character: 10 });
    await hoverAnswers(uri, 6);
    // Go to Definition reads the head of the sample on the main thread: refused, not blocked.
    const def = await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 6, character: 15 } });
    assert.equal(def, null);
  }
});

test('a deeply nested JSON sample: the "nested deeper" diagnostic, not a worker timeout', async () => {
  fs.writeFileSync(path.join(dir, 'deep.json'), '[{"id":"1","status":"Active"},\n{"id":"2","x":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}]');
  const { uri, diagnostics } = await open(mapping('deep.json'), 15_000);
  const d = diagnostics.find((x) => x.code === 'mapping-structure');
  assert.ok(d, JSON.stringify(diagnostics));
  assert.match(String(d.message), /element 2 is nested deeper than 64 levels/);
  assert.ok(!diagnostics.some((x) => /did not finish/.test(String(x.message))), 'no hard-limit timeout');
  await hoverAnswers(uri, 6);
});

test('200,000-character values are validated within 5 s and hovers answer', async () => {
  const N = 200_000;
  for (const v of [' '.repeat(N) + 'x', '"'.repeat(N), '['.repeat(N), 'function('.repeat(N / 9), '.a'.repeat(N / 2) + '!']) {
    fs.writeFileSync(path.join(dir, 'long.csv'), `id,first,status\n1,${JSON.stringify(v)},Active\n`);
    const text = mapping('long.csv', `  title: ${JSON.stringify(v)}\n  displayName: ${JSON.stringify(`first & ${JSON.stringify(v)}`)}\n`);
    const started = Date.now();
    const { uri } = await open(text, 5000);
    assert.ok(Date.now() - started < 5000);
    await hoverAnswers(uri, 6);
    const c = await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 8, character: 200_000 } });
    assert.ok(c !== undefined);
  }
});

test('after all that, the server is alive and logged no crash', () => {
  assert.equal(client.child.exitCode, null);
  assert.deepEqual(client.logs.filter((l) => /^(uncaught|unhandled)/.test(l)), []);
});
