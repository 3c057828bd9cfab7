// Runs every compiled test file (out/test/**/*.test.js) in one `node --test` run so that CI reads one summary.
// SCIMMAP_SKIP_E2E=1 leaves out the real-VS-Code tests (test/e2e) for a quick local loop.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = find('out/test').sort();
if (process.env.SCIMMAP_SKIP_E2E === '1') files = files.filter((f) => !f.includes('/e2e/'));
if (filter.length) files = files.filter((f) => filter.some((s) => f.includes(s)));
// `node --test` with no file runs its own default discovery (every test file it finds): never let a filter
// that matches nothing turn into that.
if (!files.length) {
  console.error(`scripts/test.mjs: no compiled test file matches ${filter.length ? filter.join(', ') : 'out/test/**/*.test.js'} (did \`npm run pretest\` succeed?)`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
