/**
 * `scimmap sync` against better-auth + @better-auth/scim (the second real SCIM server from npm), through the CLI:
 * first run creates, a change is one update, a leaver is deactivated on the server (read back over SCIM).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { BA_TOKEN, startBetterAuth, type BetterAuthScim } from './betterAuthServer';
import { tempDir } from '../../tempDirs';

let server: BetterAuthScim;
let dir: string;
before(async () => {
  server = await startBetterAuth();
  dir = tempDir('scimmap-ba-sync-');
  writeFileSync(join(dir, 'm.scimmap.yaml'), 'scimmap: 1\nsource:\n  sample: people.csv\n  key: id\ntarget: scim\nmappings:\n  externalId: id\n  userName: $lowercase(id) & "@example.org"\n  displayName: name\n  emails[type eq "work"].value: $lowercase(id) & "@example.org"\n  active: true\n');
});
after(async () => {
  await server?.close();
});

const rows = (n: number, renamed?: string): string => `id,name\n${Array.from({ length: n }, (_, i) => `E${100 + i},${`E${100 + i}` === renamed ? 'Renamed' : `Person ${i}`}`).join('\n')}\n`;

async function sync(csv: string): Promise<{ code: number; run: { plan: { counts: Record<string, number> }; sent?: { totals: { accepted: number } } }; err: string }> {
  writeFileSync(join(dir, 'people.csv'), csv);
  let out = '';
  let err = '';
  const code = await runCli(['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--state', 'ba.state', '--format', 'json'], {
    stdout: new PassThrough().on('data', (d) => (out += d)),
    stderr: new PassThrough().on('data', (d) => (err += d)),
    env: { SCIMMAP_TOKEN: BA_TOKEN, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') },
    cwd: dir,
  });
  return { code, run: JSON.parse(out || '{}'), err };
}

const byExt = async (): Promise<Map<string, Record<string, unknown>>> => new Map((await server.users()).map((u) => [String(u.externalId), u]));

test('better-auth: sync creates, sends one change, and deactivates a leaver', async () => {
  const first = await sync(rows(12));
  assert.equal(first.code, 0, first.err);
  assert.equal(first.run.plan.counts.create, 12);
  assert.equal((await byExt()).size, 12);

  server.requests.length = 0;
  const changed = await sync(rows(12, 'E105'));
  assert.equal(changed.code, 0, changed.err);
  assert.deepEqual([changed.run.plan.counts.update, changed.run.plan.counts.unchanged], [1, 11]);
  assert.deepEqual(server.requests.filter((q) => q.method !== 'GET').map((q) => q.method), ['PATCH']);
  assert.equal((await byExt()).get('E105')?.displayName, 'Renamed');

  const leaver = await sync(rows(11, 'E105'));
  assert.equal(leaver.code, 0, leaver.err);
  assert.equal(leaver.run.plan.counts.disable, 1);
  const users = await byExt();
  assert.equal(users.get('E111')?.active, false, 'read back from better-auth: deactivated');
  assert.equal(users.size, 12, 'deactivated, not deleted');
  for (const [id, u] of users) if (id !== 'E111') assert.notEqual(u.active, false, id);
});
