// Figure 3b: the editor with a whole HR export in view. The language server over stdio on the flat-CSV mapping
// (15 mappings, the streaming-memory figure's export) with its sample capped at N records (SCIMMAP_SAMPLE_RECORDS,
// what the extension passes from scimMapper.sample.maxRecords), for N = 10,000 and 100,000, with every sample
// check the engine has: first validation (didOpen → diagnostics), didChange → diagnostics after a one-line edit,
// and the server's peak RSS (VmHWM of the process: main thread + evaluation worker). With --baseline DIR the server
// of that (built) checkout runs too, interleaved per run, and must publish the same diagnostics.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { csvMappingText, writeCsv } from './gen.mjs';
import { BenchLspClient } from './lspClient.mjs';
import { root, summary } from './util.mjs';

const SERVER = [join(root, 'bin/scimmap-language-server.js'), '--stdio'];

/** Peak and current resident set of a process, MB (Linux /proc). */
function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMB: kb('VmHWM') / 1024, currentMB: kb('VmRSS') / 1024 };
  } catch {
    return { peakMB: NaN, currentMB: NaN };
  }
}

function variants(text) {
  const from = "title: '$trim(JobTitle)'";
  if (!text.includes(from)) throw new Error('edit line not found');
  return [text, text.replace(from, "title: '$uppercase($trim(JobTitle))'")];
}

/** One fresh server: open, wait for the first diagnostics, then `edits` one-line edits, each until its publish. */
async function session(server, { uri, text, records, edits }) {
  const load = loadavg()[0]; // the machine is shared: say how busy it was
  const c = new BenchLspClient(server, { env: { SCIMMAP_SAMPLE_RECORDS: String(records) } });
  await c.initialize({});
  const t0 = performance.now();
  await c.open(uri, text, 'scimmap');
  // With a sample the server publishes once, after the worker's run (static and sample checks together).
  const p = await c.waitPublish(uri, 0, (x) => x.version === 1, 120_000);
  const first = performance.now() - t0;
  const [a, b] = variants(text);
  const change = [];
  let version = 1;
  let last;
  for (let k = 0; k < edits; k++) {
    version++;
    const t = performance.now();
    await c.change(uri, version, version % 2 ? a : b);
    last = await c.waitPublish(uri, c.count(uri), (x) => x.version === version, 120_000);
    change.push(performance.now() - t);
  }
  const peak = rssOf(c.child.pid).peakMB;
  await c.stop();
  return { first, change, peak, load, diagnostics: p.diagnostics, lastDiagnostics: last?.diagnostics ?? p.diagnostics };
}

/** Two publishes say the same (compared as JSON: ranges, codes, messages, data). */
const same = (x, y) => JSON.stringify(x) === JSON.stringify(y);

async function one({ tmp, records, runs, edits, baseline, log }) {
  const csv = `hr-export-${records}.csv`;
  await writeCsv(join(tmp, csv), records);
  const file = join(tmp, `hr-${records}.scimmap.yaml`);
  const text = csvMappingText(csv);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const servers = [['ours', SERVER], ...(baseline ? [['before', [join(baseline, 'bin/scimmap-language-server.js'), '--stdio']]] : [])];
  const got = Object.fromEntries(servers.map(([name]) => [name, { first: [], change: [], medians: [], peak: [], load: [] }]));
  let diagnostics;
  let reference;
  for (let i = 0; i < runs; i++) {
    // Interleaved: this checkout's server, then the --baseline one, per run.
    for (const [name, server] of servers) {
      const r = await session(server, { uri, text, records, edits });
      const g = got[name];
      g.first.push(r.first);
      g.change.push(...r.change);
      g.medians.push(summary(r.change).median);
      g.peak.push(r.peak);
      g.load.push(r.load);
      diagnostics = name === 'ours' ? r.diagnostics.length : diagnostics;
      // The same diagnostics from both builds: a faster server that says something else is no improvement.
      if (reference === undefined) reference = r.lastDiagnostics;
      else if (!same(reference, r.lastDiagnostics)) throw new Error(`${records} records: the ${name} server published other diagnostics after the edits than the first session`);
      log(`  ${records} records run ${i + 1}${name === 'ours' ? '' : ` (${name})`}: first validation ${Math.round(r.first)} ms, didChange median ${Math.round(g.medians[i])} ms, peak RSS ${Math.round(r.peak)} MB (${r.diagnostics.length} diagnostics), load ${r.load.toFixed(1)}`);
    }
  }
  const fig = (g) => ({ firstValidationMs: summary(g.first), didChangeMs: summary(g.change), peakRssMB: summary(g.peak), loadAverage: summary(g.load) });
  const out = { records, diagnostics, ...fig(got.ours) };
  if (baseline) {
    const ratio = (k) => summary(got.ours[k].map((v, i) => v / got.before[k][i]));
    out.before = { ...fig(got.before), didChangeRatio: ratio('medians'), firstValidationRatio: ratio('first') };
  }
  return out;
}

export async function largeSample({ tmp, sizes, runs, edits, baseline, log }) {
  const out = [];
  for (const records of sizes) out.push(await one({ tmp, records, runs, edits, baseline, log }));
  return { mappings: (csvMappingText('x').split('mappings:\n')[1].match(/^ {2}\S/gm) ?? []).length, command: 'SCIMMAP_SAMPLE_RECORDS=N node bin/scimmap-language-server.js --stdio', baseline: baseline ? 'the --baseline checkout\'s bin/scimmap-language-server.js, interleaved per run' : undefined, sizes: out };
}
