#!/usr/bin/env node
// `npm run bench`: the performance figures of issue 7, each next to a baseline measured in the same run.
// Writes docs/benchmarks.md and raw JSON under bench-results/. Exits 1 when a figure crosses its target
// (and says which), 2 when a figure could not be measured.
//   --quick      every figure at small sizes (< ~60 s; for CI). Targets are printed but not enforced, and
//                docs/benchmarks.md is left alone (results go to bench-results/quick.{json,md}).
//   --out DIR    write the JSON and Markdown there instead
//   --only a,b   run only these figures (throughput, memory, lsp, hrExport, bundle, activation, upload, sql, sync, scimBulk)
//   --baseline DIR  another built checkout, e.g. `git archive main | tar -x -C DIR`, node_modules linked or installed,
//                `npm run build` there: the hrExport and sync plan figures run its bin/ too, interleaved with this
//                one, and report before/after ratios from the same run
// Extension activation in a real VS Code (code-server) runs in full mode only; without code-server it is reported
// as "not measured" (exit 2), the other figures still run.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { activation } from './bench/activation.mjs';
import { bundles } from './bench/bundle.mjs';
import { evaluationOnly } from './bench/evalonly.mjs';
import { languageServer } from './bench/lsp.mjs';
import { largeSample } from './bench/largeSample.mjs';
import { memory } from './bench/memory.mjs';
import { render, verdicts } from './bench/report.mjs';
import { throughput } from './bench/throughput.mjs';
import { syncFigure } from './bench/sync.mjs';
import { upload } from './bench/upload.mjs';
import { sqlSource } from './bench/sql.mjs';
import { scimBulk } from './bench/scimBulk.mjs';
import { machine, root } from './bench/util.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' }, only: { type: 'string' }, baseline: { type: 'string' } } });
const baseline = values.baseline ? resolve(values.baseline) : undefined;
if (baseline && !existsSync(join(baseline, 'dist/cli.js'))) {
  process.stderr.write(`--baseline ${baseline}: no dist/cli.js there (build it first)\n`);
  process.exit(2);
}
const quick = values.quick;
const only = values.only ? new Set(values.only.split(',')) : undefined;
const log = (s) => process.stderr.write(`${s}\n`);

const sizes = quick
  ? { records: 2_000, runs: 1, memSizes: [2_000, 6_000], memRuns: 1, sample: 1_000, hrSizes: [1_000, 5_000], lspRuns: 1, edits: 4, requests: 10, readyRuns: 2, vsix: false, calls: 41, uploadRuns: 1, evalRecords: 2_000, sqlRows: 2_000, sqlRuns: 1, syncRecords: 2_000, syncRuns: 1, syncCalls: 41, syncSendRuns: 1, scimUsers: 200, scimRuns: 1 }
  : { records: 100_000, runs: 5, memSizes: [100_000, 300_000, 1_000_000], memRuns: 3, sample: 10_000, hrSizes: [10_000, 100_000], lspRuns: 3, edits: 15, requests: 60, readyRuns: 10, vsix: true, calls: 161, uploadRuns: 3, evalRecords: 20_000, activationRuns: 5, sqlRows: 100_000, sqlRuns: 3, syncRecords: 1_000_000, syncRuns: 3, syncCalls: 81, syncSendRuns: 2, scimUsers: 1_000, scimRuns: 2 };

const tmp = mkdtempSync(join(tmpdir(), 'scimmap-bench-'));
const started = new Date();
const results = { machine: machine(), date: started.toISOString(), quick, baseline, figures: {}, errors: {} };
const figures = [
  ['throughput', () => throughput({ tmp, records: sizes.records, runs: sizes.runs, log })],
  ['evaluation', () => evaluationOnly({ tmp, records: sizes.evalRecords, runs: sizes.runs, log })],
  ['memory', () => memory({ tmp, sizes: sizes.memSizes, runs: sizes.memRuns, log })],
  ['lsp', () => languageServer({ tmp, sampleRecords: sizes.sample, runs: sizes.lspRuns, edits: sizes.edits, requests: sizes.requests, log })],
  ['hrExport', () => largeSample({ tmp, sizes: sizes.hrSizes, runs: sizes.lspRuns, edits: sizes.edits, baseline, log })],
  ['bundle', () => bundles({ tmp, runs: sizes.readyRuns, packageVsix: sizes.vsix, log })],
  ...(quick ? [] : [['activation', () => activation({ tmp, runs: sizes.activationRuns, log })]]),
  ['upload', () => upload({ tmp, calls: sizes.calls, runs: sizes.uploadRuns, log })],
  ['sql', () => sqlSource({ tmp, rows: sizes.sqlRows, runs: sizes.sqlRuns, log })],
  ['sync', () => syncFigure({ tmp, records: sizes.syncRecords, runs: sizes.syncRuns, calls: sizes.syncCalls, sendRuns: sizes.syncSendRuns, baseline, log })],
  ['scimBulk', () => scimBulk({ tmp, users: sizes.scimUsers, runs: sizes.scimRuns, log })],
];

try {
  for (const [name, run] of figures) {
    if (only && !only.has(name) && !(name === 'evaluation' && only.has('throughput'))) continue;
    log(`${name}…`);
    const t = performance.now();
    try {
      results.figures[name] = await run();
    } catch (e) {
      results.errors[name] = (e && e.stack) || String(e);
      log(`  ${name} FAILED: ${results.errors[name]}`);
    }
    log(`  (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

results.durationSec = (Date.now() - started.getTime()) / 1000;
results.verdicts = verdicts(results);
const outDir = values.out ?? join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const stamp = quick ? 'quick' : `bench-${started.toISOString().replace(/[:.]/g, '-')}`;
writeFileSync(join(outDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
const md = render(results);
if (quick || values.out || only) writeFileSync(join(outDir, `${stamp}.md`), md);
else writeFileSync(join(root, 'docs/benchmarks.md'), md);
log(`\nwrote ${join(outDir, `${stamp}.json`)}${quick || values.out || only ? '' : ' and docs/benchmarks.md'} (${results.durationSec.toFixed(0)} s)`);

const failed = results.verdicts.filter((v) => v.pass === false);
for (const v of results.verdicts) log(`${v.pass === undefined ? 'INFO' : v.pass ? 'PASS' : 'FAIL'}  ${v.figure}: ${v.value} (target ${v.target})`);
if (Object.keys(results.errors).length) {
  log(`\nBENCH ERROR: could not measure ${Object.keys(results.errors).join(', ')}`);
  process.exit(2);
}
if (failed.length && !quick) {
  log(`\nBENCH FAIL: ${failed.map((v) => v.figure).join('; ')}`);
  process.exit(1);
}
