/**
 * The real `scimmap sync` process (bin/scimmap.js) for a target: scim mapping, killed with SIGKILL at random points
 * of the send against scimmy, then run again: every joiner exists once on the server, every leaver is inactive,
 * and a third run finds nothing to do (the state agrees with the server). The server takes /Bulk requests of at
 * most 4 operations, so that a kill falls among (or inside) the Bulk requests of the creates (round 0) or among
 * the one-by-one deactivations (round 1); round 2 kills among the creates of a `--no-bulk` run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../../src/targets/entra/standin/rng';
import { CLI, runCli } from '../hostile/helpers';
import { startScimmy, TOKEN } from './scimmyServer';
import { tempDir } from '../../tempDirs';

const SEED = Number(process.env.SCIMMAP_KILL_SEED ?? Date.now() % 100_000);
const ROUNDS = 3;
const MAPPING = 'scimmap: 1\nsource:\n  sample: people.csv\n  key: id\ntarget: scim\nmappings:\n  externalId: id\n  userName: id & "@example.org"\n  displayName: name\n  active: true\n';
const csv = (ids: number[]): string => `id,name\n${ids.map((i) => `E${i},Person ${i}`).join('\n')}\n`;
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, k) => from + k);

test(`scim sync killed (SIGKILL) mid-send and run again: nothing lost, nothing duplicated (seed ${SEED})`, { skip: process.platform === 'win32', timeout: 180_000 }, async (t) => {
  const random = seededRandom(SEED);
  const server = await startScimmy();
  server.configureBulk({ supported: true, maxOperations: 4 });
  try {
    for (let round = 0; round < ROUNDS; round++) {
      server.users.clear();
      const dir = tempDir('scimmap-scim-kill-');
      writeFileSync(join(dir, 'm.scimmap.yaml'), MAPPING);
      const env = { SCIMMAP_TOKEN: TOKEN, XDG_STATE_HOME: join(dir, 'state'), SCIMMAP_SCIM_HOSTS: '' };
      const bulk = round < 2;
      const args = ['sync', 'm.scimmap.yaml', '--endpoint', server.base, '--state', 'hr.state', '--format', 'json', ...(bulk ? [] : ['--no-bulk'])];
      writeFileSync(join(dir, 'people.csv'), csv(range(100, 30)));
      const first = await runCli(args, { cwd: dir, env, timeoutMs: 60_000 });
      assert.equal(first.code, 0, first.stderr);

      // 25 stay, 5 leave (E125…E129), 40 join (E200…E239): 45 operations; over /Bulk 10 requests of 4 creates,
      // then 5 deactivations one by one (15 writes).
      const stay = range(100, 25);
      const joiners = range(200, 40);
      writeFileSync(join(dir, 'people.csv'), csv([...stay, ...joiners]));
      server.requests.length = 0;
      server.bulkRequests.length = 0;
      // Round 0 kills among the creates, round 1 among the deactivations (the creates come first), round 2 among
      // the creates sent one per request.
      const killAfterWrites = round === 0 ? 1 + Math.floor(random() * 10) : round === 1 ? 11 + Math.floor(random() * 4) : 1 + Math.floor(random() * 40);
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
      for (let i = 0; i < 6000 && child.exitCode === null; i++) {
        if (server.requests.filter((q) => q.method !== 'GET').length >= killAfterWrites) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill('SIGKILL');
      const signal = await exited;
      const killedAt = `round ${round}: killed after ${killAfterWrites} write(s) (${signal ?? 'exited first'})`;
      t.diagnostic(killedAt);
      if (bulk) assert.ok(server.bulkRequests.length > 0 && server.bulkRequests.every((b) => b.operations.length <= 4), `${killedAt}: the creates went over /Bulk`);
      else assert.equal(server.bulkRequests.length, 0, `${killedAt}: --no-bulk sends no /Bulk request`);

      const rerun = await runCli(args, { cwd: dir, env, timeoutMs: 90_000 });
      assert.equal(rerun.code, 0, `${killedAt}\n${rerun.stderr}`);
      const users = [...server.users.values()];
      const ext = users.map((u) => String(u.externalId));
      assert.equal(new Set(ext).size, ext.length, `${killedAt}: a user was created twice`);
      assert.equal(users.length, 70, killedAt);
      const byExt = new Map(users.map((u) => [String(u.externalId), u]));
      for (const i of [...stay, ...joiners]) assert.equal(byExt.get(`E${i}`)?.active, true, `${killedAt}: E${i}`);
      for (const i of range(125, 5)) assert.equal(byExt.get(`E${i}`)?.active, false, `${killedAt}: leaver E${i}`);

      const third = await runCli(args, { cwd: dir, env, timeoutMs: 60_000 });
      assert.equal(third.code, 0, third.stderr);
      const c = (JSON.parse(third.stdout) as { plan: { counts: Record<string, number> } }).plan.counts;
      assert.deepEqual([c.create, c.update, c.disable, c.reactivate, c.unchanged], [0, 0, 0, 0, 65], killedAt);
    }
  } finally {
    await server.close();
  }
});
