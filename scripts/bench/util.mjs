// Shared helpers for the benchmark: statistics, machine facts, child processes with peak RSS, esbuild bundles.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const require = createRequire(join(root, 'package.json'));

export function summary(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0 };
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], runs: v.length };
}

/** Nearest-rank percentile. */
export function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

export function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    /* not Linux */
  }
  return { cpu, cores: cpus().length, ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version, platform: `${process.platform} ${process.arch}` };
}

const TIME = '/usr/bin/time';

/**
 * Runs `node args…` with stdout to /dev/null (or a file), timing spawn → exit with hrtime and reading peak RSS
 * from /usr/bin/time -v when it exists (else from a preload that reports process.resourceUsage().maxRSS).
 */
export async function runNode(args, { cwd = root, env = {}, stdoutFile = '/dev/null', tmp } = {}) {
  const useTime = existsSync(TIME);
  const rssFile = join(tmp, `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const argv = useTime ? ['-f', '%M', '-o', rssFile, process.execPath, ...args] : [...args];
  const out = openSync(stdoutFile, 'w');
  const started = process.hrtime.bigint();
  const child = spawn(useTime ? TIME : process.execPath, argv, {
    cwd,
    env: { ...process.env, ...env, ...(useTime ? {} : { NODE_OPTIONS: `--require ${join(root, 'scripts/bench/maxrss.cjs')}`, BENCH_RSS_FILE: rssFile }) },
    stdio: ['ignore', out, 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr.length < 100_000 ? (stderr += c) : undefined));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  closeSync(out);
  let peakRssMB = NaN;
  try {
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split(/\s+/).pop());
    peakRssMB = kb / 1024;
    rmSync(rssFile, { force: true });
  } catch {
    /* no number */
  }
  return { code, ms, peakRssMB, stderr };
}

/** Bundles a TypeScript module of the project (esbuild, cjs) into `dir` and loads it. */
export async function loadTs(entry, dir) {
  const { build } = await import('esbuild');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, entry.replace(/[\\/]/g, '_').replace(/\.ts$/, '.cjs'));
  await build({ entryPoints: [join(root, entry)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning' });
  return require(outfile);
}

export function fmt(n, digits = 0) {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
