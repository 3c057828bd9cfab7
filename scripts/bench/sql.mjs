// Figure 6: the sql connector (PostgreSQL, pg + pg-cursor) streaming `rows` rows through `scimmap preview
// --from-source --format ndjson`: records/s and peak RSS (target ≤ 250 MB). Baseline in the same run: the same rows
// from a JSONL snapshot (`scimmap sample pull`, then `preview --input`), runs interleaved. A throwaway cluster from
// Debian's postgresql on a free loopback port (the tests' helper, test/unit/sources/postgres.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTs, root, runNode, summary } from './util.mjs';

export async function sqlSource({ tmp, rows, runs, log }) {
  const pg = await loadTs('test/unit/sources/postgres.ts', join(tmp, 'ts'));
  const bin = pg.postgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (apt-get install postgresql)');
  const cluster = await pg.startCluster(bin);
  try {
    pg.seedWorkers(cluster, rows);
    const mapping = join(tmp, 'sql.scimmap.yaml');
    const snapshot = join(tmp, 'sql-snapshot.jsonl');
    writeFileSync(
      mapping,
      `scimmap: 1\ntarget: entra\nsource:\n  sample: sql-snapshot.jsonl\n  key: employee_id\n  from:\n    type: sql\n    driver: postgres\n    connectionEnv: BENCH_DB_URL\n    query: SELECT * FROM workers ORDER BY employee_id\n    batchSize: 1000\nmappings:\n  externalId: employee_id\n  userName: email\n  name.givenName: first_name\n  name.familyName: last_name\n  displayName: first_name & " " & last_name\n  title: $hrDate(hire_date, "yyyy-MM-dd")\n  active: active\n`,
    );
    const env = { BENCH_DB_URL: cluster.url };
    const pull = await runNode([join(root, 'bin/scimmap.js'), 'sample', 'pull', mapping, '--limit', String(rows)], { tmp, env });
    if (pull.code !== 0) throw new Error(`sample pull exited ${pull.code}: ${pull.stderr.slice(0, 2000)}`);
    log(`  sample pull ${rows} rows: ${Math.round(pull.ms)} ms, ${Math.round(pull.peakRssMB)} MB peak RSS`);
    const src = { rss: [], rate: [] };
    const file = { rss: [], rate: [] };
    for (let i = 0; i < runs; i++) {
      const a = await runNode([join(root, 'bin/scimmap.js'), 'preview', mapping, '--from-source', '--format', 'ndjson'], { tmp, env });
      if (a.code !== 0) throw new Error(`preview --from-source exited ${a.code}: ${a.stderr.slice(0, 2000)}`);
      src.rss.push(a.peakRssMB);
      src.rate.push(rows / (a.ms / 1000));
      const b = await runNode([join(root, 'bin/scimmap.js'), 'preview', mapping, '--input', snapshot, '--format', 'ndjson'], { tmp });
      if (b.code !== 0) throw new Error(`preview --input exited ${b.code}: ${b.stderr.slice(0, 2000)}`);
      file.rss.push(b.peakRssMB);
      file.rate.push(rows / (b.ms / 1000));
      log(`  run ${i + 1}: source ${Math.round(src.rate.at(-1))} rows/s, ${Math.round(a.peakRssMB)} MB; snapshot file ${Math.round(file.rate.at(-1))} records/s, ${Math.round(b.peakRssMB)} MB`);
    }
    return {
      rows,
      command: `BENCH_DB_URL=… node bin/scimmap.js preview sql.scimmap.yaml --from-source --format ndjson > /dev/null`,
      source: { peakRssMB: summary(src.rss), recordsPerSec: summary(src.rate) },
      file: { peakRssMB: summary(file.rss), recordsPerSec: summary(file.rate) },
      pull: { ms: pull.ms, peakRssMB: pull.peakRssMB },
    };
  } finally {
    cluster.stop();
  }
}
