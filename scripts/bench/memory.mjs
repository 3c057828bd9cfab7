// Figure 2: peak RSS of `scimmap preview --format ndjson` streaming growing CSV files. Flat means the 1M-record
// run needs no more memory than the 100k one (baseline: the smallest size, same run). One more, untimed run per
// size with a sampling preload (memusage.cjs) says what the peak is made of: V8 heap vs ArrayBuffers.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvMappingText, writeCsv } from './gen.mjs';
import { root, runNode, summary } from './util.mjs';

export async function memory({ tmp, sizes, runs, log }) {
  const mapping = join(tmp, 'export.scimmap.yaml');
  writeFileSync(mapping, csvMappingText(`export-${sizes[0]}.csv`));
  const out = [];
  for (const n of sizes) {
    const csv = join(tmp, `export-${n}.csv`);
    await writeCsv(csv, n);
    const rss = [];
    const rates = [];
    for (let i = 0; i < runs; i++) {
      const r = await runNode([join(root, 'bin/scimmap.js'), 'preview', mapping, '--input', csv, '--format', 'ndjson'], { tmp });
      if (r.code !== 0) throw new Error(`memory ${n}: exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      rss.push(r.peakRssMB);
      rates.push(n / (r.ms / 1000));
      log(`  ${n} records run ${i + 1}: ${Math.round(r.peakRssMB)} MB peak RSS, ${Math.round(n / (r.ms / 1000))} records/s`);
    }
    const muFile = join(tmp, `mu-${n}.json`);
    const b = spawnSync(process.execPath, [join(root, 'bin/scimmap.js'), 'preview', mapping, '--input', csv, '--format', 'ndjson'], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: `--require ${join(root, 'scripts/bench/memusage.cjs')}`, BENCH_MU_FILE: muFile },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 1 << 20,
    });
    let breakdownMB;
    if (b.status === 0) {
      breakdownMB = Object.fromEntries(Object.entries(JSON.parse(readFileSync(muFile, 'utf8'))).map(([k, v]) => [k, v / 2 ** 20]));
      rmSync(muFile, { force: true });
      log(`  ${n} records breakdown (max MB): ${Object.entries(breakdownMB).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}`);
    }
    out.push({ records: n, breakdownMB, command: `/usr/bin/time -v node bin/scimmap.js preview export.scimmap.yaml --input export-${n}.csv --format ndjson > /dev/null`, peakRssMB: summary(rss), recordsPerSec: summary(rates) });
  }
  const first = out[0].peakRssMB.median;
  const last = out[out.length - 1];
  return { sizes: out, growth: last.peakRssMB.median / first, largest: last.records, largestPeakMB: last.peakRssMB };
}
