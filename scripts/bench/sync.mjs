// Figure 6: `scimmap sync`.
// (a) Planning: 1,000,000 records against a 1,000,000-entry state, 10% of the records changed and 1% gone:
//     `scimmap sync --dry-run` as a child process, wall time and peak RSS (targets ≤ 60 s, ≤ 300 MB). The state is
//     built from the unchanged export first (the same keyed payload hashes a real run would store).
//     With --baseline DIR the same plan runs with the CLI of that (built) checkout too, interleaved, for a
//     before/after ratio in the same run.
// (b) Sending: a first sync of (calls − 1) × 50 + 50 records against the stand-in with the real pacing, as a share
//     of the 40 calls per 5 s ceiling (400 records/s), measured as in figure 5.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { csvMappingText, writeCsv } from './gen.mjs';
import { CEILING } from './upload.mjs';
import { loadTs, root, runNode, summary } from './util.mjs';

const DUMMY_ENDPOINT = 'http://127.0.0.1:9/v1.0/servicePrincipals/00000000-0000-0000-0000-0000000000aa/synchronization/jobs/API2AAD.0123456789abcdef0123456789abcdef.00000000-0000-0000-0000-000000000001/bulkUpload';

/** The next export: every 100th record gone, every 10th (of the rest) with a changed job title. */
export async function derive(from, to) {
  const out = createWriteStream(to);
  const lines = createInterface({ input: createReadStream(from), crlfDelay: Infinity });
  let k = 0;
  let gone = 0;
  let changed = 0;
  for await (const line of lines) {
    if (k++ === 0) {
      out.write(`${line}\n`);
      continue;
    }
    if (k % 100 === 0) {
      gone++;
      continue;
    }
    if (k % 10 === 3) {
      changed++;
      const cells = line.split(',');
      cells[6] = `${cells[6]} II`.replace(/"/g, '');
      out.write(`${cells.join(',')}\n`);
    } else out.write(`${line}\n`);
    if (out.writableNeedDrain) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return { gone, changed };
}

export async function buildState({ tmp, mapping, csv, state }) {
  const sync = await loadTs('src/sync/index.ts', join(tmp, 'build'));
  const pipeline = await loadTs('src/engine/pipeline.ts', join(tmp, 'build'));
  const loaded = await pipeline.loadMappingFile(mapping);
  const s = sync.SyncState.open(state);
  let batch = [];
  for await (const r of pipeline.transformFile(loaded.mapping, { input: csv })) {
    if (r.errors.length) continue;
    batch.push({ externalId: String(r.resource.externalId), hash: s.payloadHash(r.resource), active: r.resource.active !== false });
    if (batch.length === 10_000) {
      s.apply(batch);
      batch = [];
    }
  }
  s.apply(batch);
  const out = { entries: s.size, active: s.active };
  s.close();
  return out;
}

/**
 * Wall time, CPU time (user + sys) and peak RSS of `node args…` from /usr/bin/time, and where the main thread's
 * wall time went (scripts/bench/schedstat.cjs): on a core, waiting for one (run queue), blocked. On a shared
 * machine the wall time includes waiting for a core; the CPU time is what the plan costs.
 */
async function timed(args, { tmp, stdoutFile }) {
  const schedFile = join(tmp, `sched-${process.pid}.json`);
  rmSync(schedFile, { force: true });
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${join(root, 'scripts/bench/schedstat.cjs')}"`.trim(), BENCH_SCHED_FILE: schedFile };
  const sched = () => {
    try {
      return JSON.parse(readFileSync(schedFile, 'utf8'));
    } catch {
      return undefined;
    }
  };
  if (!existsSync('/usr/bin/time')) {
    const r = await runNode(args, { tmp, stdoutFile, env: { NODE_OPTIONS: env.NODE_OPTIONS, BENCH_SCHED_FILE: schedFile } });
    return { ...r, cpuSec: NaN, sched: sched() };
  }
  const stats = join(tmp, `time-${process.pid}.txt`);
  const out = openSync(stdoutFile, 'w');
  const started = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', stats, process.execPath, ...args], { cwd: root, env, stdio: ['ignore', out, 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr.length < 100_000 ? (stderr += c) : undefined));
  const code = await new Promise((r, j) => {
    child.on('error', j);
    child.on('close', r);
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  closeSync(out);
  const [kb, user, sys] = readFileSync(stats, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
  rmSync(stats, { force: true });
  return { code, ms, stderr, peakRssMB: kb / 1024, cpuSec: user + sys, sched: sched() };
}

/** One `scimmap sync --dry-run` of the figure with the CLI under `from` (this checkout, or the --baseline one). */
async function planRun(from, { tmp, mapping, state, input, records, diff }) {
  const outFile = join(tmp, 'sync-plan.txt');
  const load = loadavg()[0];
  const r = await timed([join(from, 'bin/scimmap.js'), 'sync', mapping, '--endpoint', DUMMY_ENDPOINT, '--state', state, '--input', input, '--dry-run', '--max-disable', '100%'], { tmp, stdoutFile: outFile });
  const text = readFileSync(outFile, 'utf8');
  if (r.code !== 0) throw new Error(`sync plan (${from}): exited ${r.code}: ${r.stderr.slice(0, 2000)}${text.slice(0, 2000)}`);
  const m = /create (\d+) · update (\d+) · unchanged (\d+) · reactivate (\d+) · disable (\d+) · failed (\d+)/.exec(text);
  if (!m) throw new Error(`sync plan: no counts line in ${text.slice(0, 500)}`);
  const counts = { create: +m[1], update: +m[2], unchanged: +m[3], reactivate: +m[4], disable: +m[5], failed: +m[6] };
  if (counts.update !== diff.changed || counts.create !== 0 || counts.update + counts.unchanged + counts.failed !== records - diff.gone) throw new Error(`sync plan: unexpected counts ${JSON.stringify(counts)} for ${JSON.stringify(diff)}`);
  return { ...r, counts, load };
}

/** Medians over runs of what the main thread did (seconds). */
function schedSummary(runs) {
  const got = runs.map((r) => r.sched).filter(Boolean);
  if (!got.length) return undefined;
  const s = (k) => summary(got.map((x) => x[k] / 1000));
  return { wallSec: s('wallMs'), cpuSec: s('cpuMs'), runQueueSec: s('runQueueMs'), blockedSec: s('blockedMs'), threadsCpuSec: s('threadsCpuMs') };
}

export async function syncFigure({ tmp, records, runs, calls, sendRuns, baseline, log }) {
  const mapping = join(tmp, 'sync.scimmap.yaml');
  writeFileSync(mapping, csvMappingText('sync-a.csv'));
  const a = join(tmp, 'sync-a.csv');
  const b = join(tmp, 'sync-b.csv');
  const state = join(tmp, 'sync.state');
  await writeCsv(a, records);
  const diff = await derive(a, b);
  const t0 = performance.now();
  const built = await buildState({ tmp, mapping, csv: a, state });
  log(`  state: ${built.entries} entries (${built.active} active) built in ${((performance.now() - t0) / 1000).toFixed(1)} s; next export: ${diff.changed} changed, ${diff.gone} gone`);

  // Interleaved per run: this checkout's plan, the --baseline checkout's plan (when given), and mapping the same
  // export without a state (`scimmap preview`).
  const ours = [];
  const theirs = [];
  const base = [];
  const ctx = { tmp, mapping, state, input: b, records, diff };
  for (let i = 0; i < runs; i++) {
    const r = await planRun(root, ctx);
    ours.push(r);
    log(`  plan run ${i + 1}: ${(r.ms / 1000).toFixed(1)} s wall, ${r.cpuSec.toFixed(1)} s CPU${r.sched ? ` (main thread: ${(r.sched.runQueueMs / 1000).toFixed(1)} s waiting for a core, ${(r.sched.blockedMs / 1000).toFixed(1)} s blocked)` : ''}, ${Math.round(r.peakRssMB)} MB peak RSS, load ${r.load.toFixed(1)} (${JSON.stringify(r.counts)})`);
    if (baseline) {
      const t = await planRun(baseline, ctx);
      theirs.push(t);
      log(`  baseline plan run ${i + 1}: ${(t.ms / 1000).toFixed(1)} s wall, ${t.cpuSec.toFixed(1)} s CPU${t.sched ? ` (main thread: ${(t.sched.runQueueMs / 1000).toFixed(1)} s waiting for a core)` : ''}, ${Math.round(t.peakRssMB)} MB peak RSS, load ${t.load.toFixed(1)}`);
    }
    const p = await timed([join(root, 'bin/scimmap.js'), 'preview', mapping, '--input', b, '--format', 'ndjson'], { tmp, stdoutFile: '/dev/null' });
    if (p.code !== 0) throw new Error(`sync baseline preview: exited ${p.code}: ${p.stderr.slice(0, 2000)}`);
    base.push(p);
    log(`  baseline preview run ${i + 1}: ${(p.ms / 1000).toFixed(1)} s wall, ${p.cpuSec.toFixed(1)} s CPU`);
  }
  const counts = ours[ours.length - 1].counts;
  const fig = (list) => ({ planSec: summary(list.map((r) => r.ms / 1000)), planCpuSec: summary(list.map((r) => r.cpuSec)), planPeakRssMB: summary(list.map((r) => r.peakRssMB)), sched: schedSummary(list), runLoadAverage: summary(list.map((r) => r.load)) });
  const paired = (k) => summary(ours.map((r, i) => k(r) / k(theirs[i])));

  const { startStandIn } = await loadTs('src/targets/entra/standin/index.ts', join(tmp, 'build'));
  const rates = [];
  const fractions = [];
  const n = calls * 50;
  const sendCsv = join(tmp, 'sync-send.csv');
  await writeCsv(sendCsv, n);
  const sendMapping = join(tmp, 'sync-send.scimmap.yaml');
  // Every userName in a verified domain is accepted by the stand-in; the mapping is the same.
  writeFileSync(sendMapping, csvMappingText('sync-send.csv'));
  for (let i = 0; i < sendRuns; i++) {
    const accepted = [];
    const standIn = await startStandIn({ verifiedDomains: ['*'], log: (line) => (/^POST .*bulkUpload 202$/.test(line) ? accepted.push(performance.now()) : undefined) });
    try {
      const child = spawn(process.execPath, [join(root, 'bin/scimmap.js'), 'sync', sendMapping, '--endpoint', standIn.endpointUrl(), '--state', join(tmp, `send-${i}.state`), '--input', sendCsv], {
        env: { ...process.env, SCIMMAP_TOKEN: standIn.issueToken() },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr.length < 20_000 ? (stderr += c) : undefined));
      const code = await new Promise((r) => child.on('close', r));
      if (code !== 0 || accepted.length !== calls) throw new Error(`sync send: exit ${code}, ${accepted.length} of ${calls} calls accepted: ${stderr.slice(-2000)}`);
      const span = (accepted[accepted.length - 1] - accepted[0]) / 1000;
      const rate = ((calls - 1) * 50) / span;
      rates.push(rate);
      fractions.push(rate / CEILING);
      log(`  send run ${i + 1}: ${Math.round(rate)} records/s (${((100 * rate) / CEILING).toFixed(1)}% of ${CEILING}), 429s: ${standIn.stats.responses['429'] ?? 0}`);
    } finally {
      await standIn.close();
    }
  }
  const mine = fig(ours);
  return {
    records,
    stateEntries: built.entries,
    changed: diff.changed,
    gone: diff.gone,
    counts,
    planCommand: `node bin/scimmap.js sync export.scimmap.yaml --endpoint … --state <${built.entries}-entry state> --input next.csv --dry-run --max-disable 100%`,
    ...mine,
    baselineSec: summary(base.map((r) => r.ms / 1000)),
    baselineCpuSec: summary(base.map((r) => r.cpuSec)),
    baselineCommand: 'node bin/scimmap.js preview export.scimmap.yaml --input next.csv --format ndjson > /dev/null',
    ...(baseline ? { before: { ...fig(theirs), cpuRatio: paired((r) => r.cpuSec), wallRatio: paired((r) => r.ms) } } : {}),
    loadAverage: loadavg()[0],
    send: { calls, records: n, ceiling: CEILING, command: `node bin/scimmap.js sync … --input <${n} records> (first run: all creates) → startStandIn(), default pacing`, recordsPerSec: summary(rates), fraction: summary(fractions) },
  };
}
