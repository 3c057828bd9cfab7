/**
 * A real Neovim (Debian's 0.7, headless) as the LSP client: the editor guide's config
 * (docs/editors/neovim-0.7.lua) is the init file, and test/lsp/neovim/driver.lua works the editor like a user
 * (omnifunc completion, code actions picked by title, rename) and records what Neovim shows. Skipped when nvim is
 * not installed locally; in CI (.ci/run installs it) a missing nvim fails.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { root } from './lspClient';
import { tempDir } from '../tempDirs';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
const present = nvim.status === 0;
const skip = present ? false : process.env.CI ? false : 'nvim is not installed (apt-get install neovim); CI installs it and runs this test';
const fixtures = path.join(root, 'test/lsp/neovim');
const SAMPLES = ['workday/workday.scimmap.yaml', 'custom-hr/custom-hr.scimmap.yaml', 'successfactors/successfactors.scimmap.yaml'].map((s) => path.join(root, 'samples', s));

interface Diag { code: string; severity: number; lnum: number; col: number; end_lnum: number; end_col: number; text?: string; message: string }
interface Completed { line: string; offered: number; found: boolean }
interface Fixed { before: string; after: string; offered: string[] }
interface Result {
  errors: string[]; log_path: string; filetype: string; client?: { name: string; offset_encoding: string };
  diagnostics: Diag[]; after_fixes: Diag[]; external_change: boolean;
  fix_field: Fixed; fix_function: Fixed; fix_variable: Fixed;
  complete_function: Completed; complete_urn: Completed; complete_sub: Completed; complete_value: Completed;
  renamed: { binding: boolean; use: boolean; old: boolean };
  hover: { contents: { value: string } } | null; hover_field: { contents: { value: string } } | null;
  signature: { signatures: { label: string }[]; activeParameter?: number } | null;
  definition: { uri: string; range: { start: { line: number; character: number } } } | null;
  symbols: { name: string }[]; folding: { startLine: number; endLine: number }[];
  links: { target: string }[]; inlay: { label: string; position: { line: number; character: number } }[];
  preview: { summary: { ok: number; failing: number }; selected?: { resource: Record<string, unknown> } } | null;
  samples: Record<string, { status?: { errors: number; warnings: number; records: number }; diagnostics: Diag[]; filetype: string }>;
  shutdown: { name: string; code?: number; signal?: number }[];
  jsonata: { filetype: string; diagnostics: Diag[]; fix: Fixed };
  utf8: { negotiated: string; diagnostics: Diag[]; fix_field: Fixed; fix_function: Fixed; complete_function: Completed };
}

let dir = '';
let r: Result;
let log = '';

before(async () => {
  if (!present) return;
  dir = tempDir('scimmap-nvim-');
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(ws);
  for (const f of fs.readdirSync(fixtures)) if (!f.endsWith('.lua')) fs.copyFileSync(path.join(fixtures, f), path.join(ws, f));
  fs.mkdirSync(path.join(ws, 'utf8'));
  for (const f of ['people.json', 'people.scimmap.yaml']) fs.copyFileSync(path.join(fixtures, f), path.join(ws, 'utf8', f));
  // The guide's `cmd` is `scimmap-language-server` on PATH, as after `npm link`.
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(path.join(root, 'bin/scimmap-language-server.js'), path.join(bin, 'scimmap-language-server'));
  const xdg = (n: string) => path.join(dir, 'xdg', n);
  const env = {
    ...process.env,
    PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
    HOME: dir, XDG_CONFIG_HOME: xdg('config'), XDG_DATA_HOME: xdg('data'), XDG_STATE_HOME: xdg('state'), XDG_CACHE_HOME: xdg('cache'),
    SCIMMAP_NVIM_OUT: path.join(dir, 'result.json'), SCIMMAP_NVIM_WS: ws, SCIMMAP_NVIM_SAMPLES: SAMPLES.join(','),
    SCIMMAP_NVIM_TIMEOUT_MS: '30000', SCIMMAP_NVIM_WATCHDOG_MS: '240000',
  };
  const args = ['--headless', '--clean', '-n', '-u', path.join(root, 'docs/editors/neovim-0.7.lua'), '-c', `luafile ${path.join(fixtures, 'driver.lua')}`];
  const child = spawn('nvim', args, { cwd: ws, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += String(b)));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 270_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  assert.ok(fs.existsSync(env.SCIMMAP_NVIM_OUT), `nvim exited ${code} without results: ${stderr}`);
  r = JSON.parse(fs.readFileSync(env.SCIMMAP_NVIM_OUT, 'utf8')) as Result;
  log = fs.existsSync(r.log_path) ? fs.readFileSync(r.log_path, 'utf8') : '';
}, { timeout: 300_000 });

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('nvim is installed in CI', { skip: !process.env.CI && !present ? skip : false }, () => {
  assert.ok(present, 'nvim is missing: .ci/run installs Debian\'s neovim package');
});

test('Neovim: the guide config detects *.scimmap.yaml and starts the server; the driver finished', { skip }, () => {
  assert.deepEqual(r.errors, []);
  assert.equal(r.filetype, 'scimmap');
  assert.equal(r.client?.name, 'scimmap');
});

test('Neovim: diagnostics sit exactly on the problem after emoji and ñ, inside a block scalar too', { skip }, () => {
  const at = (code: string) => r.diagnostics.filter((d) => d.code === code).map((d) => d.text);
  assert.deepEqual(at('unknown-field').sort(), ['Department', 'Legl_Name']);
  assert.deepEqual(at('unknown-function'), ['$replac']);
  assert.deepEqual(at('unknown-variable'), ['$domian']);
});

test('Neovim: quick fixes on non-ASCII lines change exactly the misspelled name', { skip }, () => {
  assert.equal(r.fix_field.after, r.fix_field.before.replace('Legl_Name', 'Legal_Name'));
  assert.equal(r.fix_function.after, r.fix_function.before.replace('$replac(', '$replace('));
  assert.equal(r.fix_variable.after, r.fix_variable.before.replace('$domian', '$domain'));
  assert.deepEqual(r.after_fixes, [], 'nothing left to fix');
});

test('Neovim: an external change of the sample is noticed without a client file watcher', { skip }, () => {
  assert.equal(r.external_change, true);
});

test('Neovim: completion inserts $name(), URN keys, sub-attributes and sample fields', { skip }, () => {
  assert.equal(r.complete_function.line, '  locale: $lowercase()');
  assert.equal(r.complete_urn.line, '  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber: ');
  assert.equal(r.complete_sub.line, '  name.givenName: ');
  assert.equal(r.complete_value.line, '  title: Personal.Legal_Name.First_Name');
});

test('Neovim: hover, signature help, definition, symbols, folding, links, rename, inlay hints, preview', { skip }, () => {
  assert.match(r.hover?.contents.value ?? '', /\$uppercase\(str\)/);
  assert.match(r.hover_field?.contents.value ?? '', /Email[^\n]*sample field/);
  assert.equal(r.signature?.signatures[0].label, '$uppercase(str)');
  assert.ok(r.definition?.uri.endsWith('/people.json'), JSON.stringify(r.definition));
  assert.ok(['scimmap', 'source', 'mappings'].every((n) => r.symbols.some((s) => s.name === n)));
  assert.ok(r.folding.some((f) => f.endLine > f.startLine));
  assert.ok(r.links.some((l) => l.target.endsWith('/people.json')));
  assert.deepEqual(r.renamed, { binding: true, use: true, old: false });
  assert.ok(r.inlay.some((h) => h.label.includes('"1001"')), JSON.stringify(r.inlay));
  assert.equal(r.preview?.summary.ok, 2);
  assert.equal(r.preview?.selected?.resource.externalId, '1001');
});

test('Neovim with UTF-8 positions (offset_encoding utf-8, general.positionEncodings) and snippets: the same exact positions and fixes', { skip }, () => {
  assert.equal(r.utf8.negotiated, 'utf-8');
  assert.deepEqual(r.utf8.diagnostics.map((d) => d.text), r.diagnostics.map((d) => d.text));
  assert.equal(r.utf8.fix_field.after, r.utf8.fix_field.before.replace('Legl_Name', 'Legal_Name'));
  assert.equal(r.utf8.fix_function.after, r.utf8.fix_function.before.replace('$replac(', '$replace('));
  // This client declares snippet support: the snippet's escaped `\$` keeps the name (unescaped, Neovim inserted "(str)").
  assert.equal(r.utf8.complete_function.line, '  locale: $lowercase("ñ🎉") & $uppercase(str)');
});

test('Neovim: a .jsonata file gets its diagnostic and the quick fix it suggests', { skip }, () => {
  assert.equal(r.jsonata.filetype, 'jsonata');
  assert.deepEqual(r.jsonata.diagnostics.map((d) => [d.code, d.text]), [['unknown-function', '$lowercse']]);
  assert.equal(r.jsonata.fix.after, r.jsonata.fix.before.replace('$lowercse', '$lowercase'));
});

test('Neovim: the bundled samples are clean', { skip }, () => {
  for (const s of SAMPLES) {
    const got = r.samples[s];
    assert.ok(got?.status && got.status.records > 0, `${s}: ${JSON.stringify(got)}`);
    assert.deepEqual({ errors: got.status.errors, warnings: got.status.warnings, shown: got.diagnostics }, { errors: 0, warnings: 0, shown: [] }, s);
    assert.equal(got.filetype, 'scimmap');
  }
});

test('Neovim: every server shuts down cleanly and the LSP log has no warning or error', { skip }, () => {
  assert.ok(r.shutdown.length >= 1);
  for (const s of r.shutdown) assert.deepEqual({ code: s.code, signal: s.signal }, { code: 0, signal: 0 });
  assert.deepEqual(log.split('\n').filter((l) => /^\[(WARN|ERROR)\]/.test(l)), []);
  assert.match(log, /LSP logging initiated/, 'the log file checked is the one Neovim wrote');
});
