/**
 * Keeps `npm run bench` from rotting: runs `scripts/bench.mjs --quick` (every figure at small sizes) and checks that
 * every figure produced a number. No timing is asserted: these machines are shared and noisy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

const finite = (x: unknown, what: string) => assert.ok(typeof x === 'number' && Number.isFinite(x) && x > 0, `${what}: ${String(x)}`);
const stat = (s: { median: number; min: number; max: number } | undefined, what: string) => {
  assert.ok(s, `${what} missing`);
  for (const k of ['median', 'min', 'max'] as const) finite(s[k], `${what}.${k}`);
};

test('npm run bench -- --quick measures every figure', { timeout: 240_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-quick-'));
  try {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/bench.mjs'), '--quick', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 230_000 });
    // Exit 1 (a target crossed) is fine here; 2 means a figure could not be measured.
    assert.notEqual(r.status, 2, `bench could not measure a figure:\n${r.stderr}`);
    assert.ok(r.status === 0 || r.status === 1, `bench exited ${r.status}:\n${r.stderr}`);
    const res = JSON.parse(fs.readFileSync(path.join(out, 'quick.json'), 'utf8'));
    assert.deepEqual(res.errors, {});
    const f = res.figures;
    stat(f.throughput.cli.recordsPerSec, 'throughput cli');
    stat(f.throughput.jsonata.recordsPerSec, 'throughput jsonata');
    stat(f.throughput.js.recordsPerSec, 'throughput js');
    finite(f.throughput.vsJsonata.median, 'ratio to jsonata');
    for (const k of ['jsonata', 'jsonataWithLimits', 'engine', 'handWritten']) stat(f.evaluation.microsecondsPerRecord[k], `evaluation ${k}`);
    assert.ok(f.memory.sizes.length >= 2);
    for (const s of f.memory.sizes) stat(s.peakRssMB, `peak RSS ${s.records}`);
    stat(f.lsp.ours.firstValidationMs, 'first validation');
    stat(f.lsp.ours.didChangeMs, 'didChange');
    finite(f.lsp.ours.completionMs.p95, 'completion p95');
    finite(f.lsp.ours.hoverMs.p95, 'hover p95');
    stat(f.lsp.yamlLanguageServer.didChangeMs, 'yaml-language-server didChange');
    for (const [file, bytes] of Object.entries(f.bundle.development)) finite(bytes, `size of ${file}`);
    stat(f.bundle.startToReadyMs, 'start-to-ready');
    stat(f.upload.recordsPerSec, 'upload rate');
    finite(f.upload.fraction.median, 'upload fraction');
    stat(f.sql.source.recordsPerSec, 'sql source rate');
    stat(f.sql.source.peakRssMB, 'sql source peak RSS');
    stat(f.sync.planSec, 'sync plan time');
    stat(f.sync.planPeakRssMB, 'sync plan peak RSS');
    stat(f.sync.send.recordsPerSec, 'sync sending rate');
    stat(f.scimBulk.bulk.create, 'SCIM /Bulk create rate');
    stat(f.scimBulk.oneByOne.create, 'SCIM one-by-one create rate');
    stat(f.scimBulk.ratio.update, 'SCIM /Bulk update ratio');
    if (fs.existsSync('/proc/self/schedstat')) stat(f.sync.sched.cpuSec, 'sync plan main thread on a core');
    assert.equal(f.activation, undefined, 'quick mode must not start code-server');
    assert.ok(fs.readFileSync(path.join(out, 'quick.md'), 'utf8').includes('| Figure | Result | Target |'));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('--baseline runs the hrExport and sync plan figures with another build, interleaved, with ratios', { timeout: 180_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-baseline-'));
  try {
    // This checkout against itself: the point is that both builds run and are compared, not the numbers.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/bench.mjs'), '--quick', '--only', 'hrExport,sync', '--baseline', ROOT, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    assert.ok(r.status === 0 || r.status === 1, `bench exited ${r.status}:\n${r.stderr}`);
    const f = JSON.parse(fs.readFileSync(path.join(out, 'quick.json'), 'utf8')).figures;
    for (const s of f.hrExport.sizes) {
      stat(s.before.didChangeMs, `before didChange ${s.records}`);
      stat(s.before.didChangeRatio, `didChange ratio ${s.records}`);
    }
    stat(f.sync.before.planCpuSec, 'before plan CPU');
    stat(f.sync.before.cpuRatio, 'plan CPU ratio');
    const md = fs.readFileSync(path.join(out, 'quick.md'), 'utf8');
    assert.match(md, /\| plan CPU \| .* \| .* \| [0-9.]+× /);
    assert.match(md, /\| 1,000 \| --baseline \| /);
    const refused = spawnSync(process.execPath, [path.join(ROOT, 'scripts/bench.mjs'), '--quick', '--only', 'sync', '--baseline', out, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /no dist\/cli\.js there/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('without code-server/Chromium the VS Code activation figure is reported as not measured, not crashed', { timeout: 60_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-activation-'));
  try {
    // CHROMIUM_PATH pointing nowhere stands in for a machine without code-server/Chromium: nothing is started.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/bench.mjs'), '--only', 'activation', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 50_000,
      env: { ...process.env, CHROMIUM_PATH: path.join(out, 'no-chromium') },
    });
    assert.equal(r.status, 2, `expected exit 2 (a figure could not be measured):\n${r.stderr}`);
    const json = fs.readdirSync(out).find((f) => f.endsWith('.json'));
    assert.ok(json, 'no results file');
    const res = JSON.parse(fs.readFileSync(path.join(out, json), 'utf8'));
    assert.equal(res.figures.activation, undefined);
    assert.match(res.errors.activation, /no Chromium at/);
    const md = fs.readFileSync(path.join(out, json.replace(/\.json$/, '.md')), 'utf8');
    assert.match(md, /\| activation \| \*\*not measured\*\*: .*no Chromium at/);
    assert.match(md, /### Extension activation in VS Code\n\n\*\*Not measured\*\*: no Chromium at/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
