// Figure 4: bundle sizes (development build as `npm run build` makes it, production build and .vsix as
// `npm run package` makes them) and language server start-to-ready time (spawn → initialize response).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BenchLspClient } from './lspClient.mjs';
import { root, summary } from './util.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function distSizes() {
  const out = {};
  for (const f of readdirSync(join(root, 'dist')).sort()) if (f.endsWith('.js')) out[f] = statSync(join(root, 'dist', f)).size;
  return out;
}

export async function bundles({ tmp, runs, packageVsix, log }) {
  const development = distSizes();
  let production;
  const vsix = { command: 'npm run package', ok: false };
  if (packageVsix) {
    const out = join(tmp, 'scim-mapper.vsix');
    let r = spawnSync(npm, ['run', 'package', '--', '--out', out], { cwd: root, encoding: 'utf8' });
    production = distSizes();
    if (r.status === 0 && existsSync(out)) Object.assign(vsix, { ok: true, bytes: statSync(out).size });
    else {
      vsix.error = (`${r.stdout}\n${r.stderr}`.match(/ERROR\s+(.*)/)?.[1] ?? `exit ${r.status}`).trim();
      log(`  npm run package failed: ${vsix.error}`);
      // Same packaging with placeholder base URLs for README links, only to know the size.
      r = spawnSync(npm, ['run', 'package', '--', '--out', out, '--baseContentUrl', 'https://example.invalid/', '--baseImagesUrl', 'https://example.invalid/'], { cwd: root, encoding: 'utf8' });
      if (r.status === 0 && existsSync(out)) Object.assign(vsix, { bytesWithBaseUrls: statSync(out).size });
    }
    // Put the development build back (package minifies dist/ in place).
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`rebuilding dist failed: ${b.stderr}`);
  }
  const ready = [];
  for (let i = 0; i < runs; i++) {
    const c = new BenchLspClient([join(root, 'bin/scimmap-language-server.js'), '--stdio']);
    await c.initialize();
    ready.push(c.readyMs);
    await c.stop();
  }
  log(`  server start-to-ready: median ${Math.round(summary(ready).median)} ms`);
  // Baseline in the same run: a bare node process that answers at once (what spawning node alone costs).
  const bare = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
  }
  return { development, production, vsix, startToReadyMs: summary(ready), bareNodeMs: summary(bare), command: 'spawn node bin/scimmap-language-server.js --stdio → initialize response' };
}
