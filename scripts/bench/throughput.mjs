// Figure 1: records/s through the real `scimmap preview --format ndjson` process, next to two baselines run as
// processes doing the same I/O (bare jsonata; hand-written JS). Runs are interleaved so machine noise hits all three.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workdayMappingText, writeWorkersJsonl } from './gen.mjs';
import { root, runNode, summary } from './util.mjs';

export async function throughput({ tmp, records, runs, log }) {
  const data = join(tmp, 'workers.jsonl');
  const mapping = join(tmp, 'workers.scimmap.yaml');
  await writeWorkersJsonl(data, records);
  writeFileSync(mapping, workdayMappingText('workers.jsonl'));
  const variants = {
    cli: { command: `node bin/scimmap.js preview ${mapping} --format ndjson > /dev/null`, args: [join(root, 'bin/scimmap.js'), 'preview', mapping, '--format', 'ndjson'] },
    jsonata: { command: `node scripts/bench/baseline.mjs jsonata ${data} > /dev/null`, args: [join(root, 'scripts/bench/baseline.mjs'), 'jsonata', data] },
    js: { command: `node scripts/bench/baseline.mjs js ${data} > /dev/null`, args: [join(root, 'scripts/bench/baseline.mjs'), 'js', data] },
  };
  const rates = { cli: [], jsonata: [], js: [] };
  const rss = { cli: [], jsonata: [], js: [] };
  for (let i = 0; i < runs; i++) {
    for (const [name, v] of Object.entries(variants)) {
      const r = await runNode(v.args, { tmp });
      if (r.code !== 0) throw new Error(`throughput ${name} exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
      rates[name].push(records / (r.ms / 1000));
      rss[name].push(r.peakRssMB);
      log(`  ${name} run ${i + 1}: ${Math.round(records / (r.ms / 1000))} records/s, ${Math.round(r.peakRssMB)} MB`);
    }
  }
  return {
    records,
    mappings: 25,
    cli: { command: variants.cli.command, recordsPerSec: summary(rates.cli), peakRssMB: summary(rss.cli) },
    jsonata: { command: variants.jsonata.command, recordsPerSec: summary(rates.jsonata) },
    js: { command: variants.js.command, recordsPerSec: summary(rates.js) },
    // Paired per run (same moment, same noise): CLI rate / baseline rate.
    vsJsonata: summary(rates.cli.map((x, i) => x / rates.jsonata[i])),
    vsJs: summary(rates.cli.map((x, i) => x / rates.js[i])),
  };
}
