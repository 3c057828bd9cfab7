/**
 * The CLI and the language server agree: every broken mapping of test/fixtures/broken goes through
 * `scimmap validate --format json` (a real process) and through the real server over stdio. Both must report
 * exactly the diagnostics written in the fixture's `# expect: <code> <line>:<col>` header (1-based), and
 * the same ranges, severities, messages and data as each other.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, root } from './lspClient';

const dir = path.join(root, 'test/fixtures/broken');
const fixtures = fs.readdirSync(dir).filter((f) => f.endsWith('.scimmap.yaml')).sort();

function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (\S+ \d+:\d+)\r?$/gm)].map((m) => m[1]);
}

/** The diagnostic's data without `origin` (the server's own offsets for its quick fixes: editor-only). */
function dataOf(x: Diagnostic): unknown {
  if (!x.data || typeof x.data !== 'object') return x.data ?? null;
  const { origin, ...rest } = x.data as Record<string, unknown>;
  void origin;
  return Object.keys(rest).length ? rest : null;
}

/** What both sides must agree on, in a stable order. */
function normalize(d: Diagnostic[]) {
  return d
    .map((x) => ({ code: String(x.code), severity: x.severity, range: x.range, message: String(x.message), data: dataOf(x) }))
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
}

const short = (d: Diagnostic[]) => normalize(d).map((x) => `${x.code} ${x.range.start.line + 1}:${x.range.start.character + 1}`);

const client = new LspClient();
after(() => client.stop());

test('the broken corpus is big enough and every fixture says what it expects', () => {
  assert.ok(fixtures.length >= 25, `${fixtures.length} fixtures`);
  for (const f of fixtures) assert.ok(expectations(fs.readFileSync(path.join(dir, f), 'utf8')).length > 0, `${f} has no # expect: line`);
});

test('scimmap validate and the language server report the expected diagnostics, identically', async () => {
  const cli = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/scimmap.js'), 'validate', '--format', 'json', ...fixtures], { cwd: dir, maxBuffer: 16 << 20 }, (err, stdout) => {
      resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout });
    });
  });
  assert.equal(cli.code, 1, 'errors found');
  const byFile = new Map((JSON.parse(cli.stdout) as { file: string; diagnostics: Diagnostic[] }[]).map((r) => [r.file, r.diagnostics]));

  await client.initialize();
  const problems: string[] = [];
  for (const f of fixtures) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const uri = pathToFileURL(path.join(dir, f)).toString();
    await client.open(uri, text);
    const server = await client.waitFor(uri, (_, p) => p.version === 1);
    const fromCli = byFile.get(f) ?? [];
    const expected = expectations(text).sort();
    if (JSON.stringify(short(fromCli).sort()) !== JSON.stringify(expected)) problems.push(`${f}: CLI ${JSON.stringify(short(fromCli))}, expected ${JSON.stringify(expected)}`);
    try {
      assert.deepEqual(normalize(server), normalize(fromCli));
    } catch (e) {
      problems.push(`${f}: server and CLI differ\n${(e as Error).message}`);
    }
  }
  assert.deepEqual(problems, []);
});
