// Figure 3b: the editor with a whole HR export in view. The language server over stdio on the flat-CSV mapping
// (15 mappings, the streaming-memory figure's export) with its sample capped at N records (SCIMMAP_SAMPLE_RECORDS,
// what the extension passes from scimMapper.sample.maxRecords), for N = 10,000 and 100,000, with every sample
// check the engine has: first validation (didOpen → diagnostics), didChange → diagnostics after a one-line edit,
// and the server's peak RSS (VmHWM of the process: main thread + evaluation worker).
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

async function one({ tmp, records, runs, edits, log }) {
  const csv = `hr-export-${records}.csv`;
  await writeCsv(join(tmp, csv), records);
  const file = join(tmp, `hr-${records}.scimmap.yaml`);
  const text = csvMappingText(csv);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const first = [];
  const change = [];
  const peak = [];
  const load = [];
  let diagnostics;
  for (let i = 0; i < runs; i++) {
    load.push(loadavg()[0]); // the machine is shared: say how busy it was
    const c = new BenchLspClient(SERVER, { env: { SCIMMAP_SAMPLE_RECORDS: String(records) } });
    await c.initialize({});
    const t0 = performance.now();
    await c.open(uri, text, 'scimmap');
    // With a sample the server publishes once, after the worker's run (static and sample checks together).
    const p = await c.waitPublish(uri, 0, (x) => x.version === 1, 120_000);
    first.push(performance.now() - t0);
    diagnostics = p.diagnostics.length;
    const [a, b] = variants(text);
    let version = 1;
    for (let k = 0; k < edits; k++) {
      version++;
      const t = performance.now();
      await c.change(uri, version, version % 2 ? a : b);
      await c.waitPublish(uri, c.count(uri), (x) => x.version === version, 120_000);
      change.push(performance.now() - t);
    }
    peak.push(rssOf(c.child.pid).peakMB);
    log(`  ${records} records run ${i + 1}: first validation ${Math.round(first[i])} ms, didChange median ${Math.round(summary(change.slice(-edits)).median)} ms, peak RSS ${Math.round(peak[i])} MB (${diagnostics} diagnostics)`);
    await c.stop();
  }
  return { records, diagnostics, firstValidationMs: summary(first), didChangeMs: summary(change), peakRssMB: summary(peak), loadAverage: summary(load) };
}

export async function largeSample({ tmp, sizes, runs, edits, log }) {
  const out = [];
  for (const records of sizes) out.push(await one({ tmp, records, runs, edits, log }));
  return { mappings: (csvMappingText('x').split('mappings:\n')[1].match(/^ {2}\S/gm) ?? []).length, command: 'SCIMMAP_SAMPLE_RECORDS=N node bin/scimmap-language-server.js --stdio', sizes: out };
}
