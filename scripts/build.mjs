// Bundles the extension client, the language server, its evaluation worker and the CLI with esbuild.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const entries = [
  { in: 'client/src/extension.ts', out: 'client', external: ['vscode', 'pg-native'] },
  { in: 'src/server.ts', out: 'server', external: ['pg-native'] },
  { in: 'src/service/evalWorker.ts', out: 'evalWorker' },
  { in: 'src/cli/main.ts', out: 'cli', external: ['pg-native'] },
].filter((e) => existsSync(e.in));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  outdir: 'dist',
};

await Promise.all(
  entries.map((e) =>
    build({ ...common, entryPoints: { [e.out]: e.in }, external: e.external ?? [] }),
  ),
);
if (!watch) console.log(`built ${entries.map((e) => `dist/${e.out}.js`).join(', ')}`);
