/** Regression tests for what test/lsp/fuzz.test.ts found: each input once stalled or crashed the language server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeMappingText } from '../../../src/engine/analysis';
import * as features from '../../../src/service/features';
import type { FeatureContext } from '../../../src/service/context';
import { tempDir } from '../../tempDirs';

const head = 'scimmap: 1\ntarget: entra\nmappings:\n  externalId: id\n  userName: id & "@contoso.com"\n  active: true\n';
const uri = 'file:///tmp/fuzz/x.scimmap.yaml';
const ctx = (text: string): FeatureContext => ({ document: TextDocument.create(uri, 'scimmap', 1, text), analysis: analyzeMappingText(text, { filePath: '/tmp/fuzz/x.scimmap.yaml' }) });

function timed<T>(limitMs: number, what: string, fn: () => T): T {
  const started = Date.now();
  const r = fn();
  assert.ok(Date.now() - started < limitMs, `${what} took ${Date.now() - started} ms`);
  return r;
}

test('expressions nested thousands of levels deep: one diagnostic, no stack overflow', () => {
  for (const e of ['a & '.repeat(5000) + 'b', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), '('.repeat(20_000) + '1' + ')'.repeat(20_000)]) {
    const c = timed(2000, 'analysis', () => ctx(`${head}  title: '${e}'\n`));
    assert.deepEqual(c.analysis.diagnostics.map((d) => [d.code, d.message]), [['jsonata-syntax', 'The expression is nested too deeply to be checked or evaluated (too-deep)']]);
    features.doHover(c, { line: 5, character: 12 });
    features.doDocumentSymbols(c);
  }
});

test('a long path with an error at its end is parsed in milliseconds (jsonata recover mode took 9 s)', () => {
  const c = timed(1000, 'analysis', () => ctx(`${head}  title: '${'$x.'.repeat(1400)}$1e999@...'\n`));
  assert.ok(c.analysis.diagnostics.some((d) => d.code === 'jsonata-syntax'));
});

test('a megabyte value: the expression is not parsed, did-you-mean is not computed on it', () => {
  const c = timed(3000, 'analysis', () => ctx(`${head}  title: ${'a & '.repeat(250_000)}b\nsource:\n  ${'x'.repeat(1_000_000)}: 1\n`));
  assert.ok(c.analysis.diagnostics.some((d) => /1000001 characters long/.test(d.message)));
});

test('completion at the end of a long line of digits is linear', () => {
  const c = ctx(`${head}  phoneNumbers[type eq "work"].value: ${'9'.repeat(100_000)} x\n`);
  timed(1000, 'completion', () => features.doComplete(c, { line: 5, character: 100_040 }));
});

test('a sample path with a lone surrogate gets no document link instead of an exception', () => {
  const c = ctx(`scimmap: 1\nsource:\n  sample: "people\\ud800.csv"\ntarget: entra\nmappings:\n  externalId: id\n`);
  assert.deepEqual(features.doDocumentLinks(c), []);
});

test('go to definition on a 100 KB field name in a JSON sample answers null (V8 refuses the pattern)', () => {
  const dir = tempDir('scimmap-def-');
  try {
    fs.writeFileSync(path.join(dir, 'w.json'), '[{"id": "1", "a": "x"}]');
    const file = path.join(dir, 'x.scimmap.yaml');
    const text = `scimmap: 1\nsource:\n  sample: w.json\ntarget: entra\nmappings:\n  externalId: id\n  title: ${'a'.repeat(100_000)}\n`;
    const c: FeatureContext = { document: TextDocument.create(pathToFileURL(file).toString(), 'scimmap', 1, text), analysis: analyzeMappingText(text, { filePath: file }) };
    assert.equal(features.doDefinition(c, { line: 6, character: 20 }), null);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
