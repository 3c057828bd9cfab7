/**
 * The real `scimmap sync` process killed with SIGKILL at random points (while planning, while sending, between a
 * 202 and the state write), then run again: every planned operation reaches the stand-in, only operations that
 * were in flight at the kill may go twice (a re-sent complete record or disable is idempotent in Entra), and a
 * third run finds nothing left to do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_JOB_ID, startStandIn } from '../../../src/targets/entra/standin';
import { seededRandom } from '../../../src/targets/entra/standin/rng';
import { CLI, runCli } from '../hostile/helpers';
import { mappingText, people, tempDir, writeExport, type Person } from './helpers';

const SEED = Number(process.env.SCIMMAP_KILL_SEED ?? Date.now() % 100_000);
const ROUNDS = 3;

// Baseline 1500 people; then 900 renamed, 800 joiners, 400 leavers: 2100 operations in 42 calls, so the run
// spans more than one 5 s pacing window and a kill lands mid-send.
function hrExports(): { base: Person[]; next: Person[]; leavers: string[] } {
  const base = people(1500);
  const next = [...base.slice(0, 900).map((p) => ({ ...p, name: `${p.name} (moved)` })), ...base.slice(900, 1100), ...people(800, 1501)];
  return { base, next, leavers: base.slice(1100).map((p) => p.id) };
}

function journalStats(runsDir: string): { settled: number; inFlightOps: number } {
  let settled = 0;
  let inFlightOps = 0;
  for (const f of fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : []) {
    const lines = fs.readFileSync(path.join(runsDir, f), 'utf8').split('\n').filter((l) => l.startsWith('{') && l.endsWith('}')).map((l) => JSON.parse(l) as { type: string; seq: number; count?: number });
    const done = new Set(lines.filter((l) => l.type === 'batch').map((l) => l.seq));
    settled += done.size;
    inFlightOps += lines.filter((l) => l.type === 'sending' && !done.has(l.seq)).reduce((n, l) => n + (l.count ?? 0), 0);
  }
  return { settled, inFlightOps };
}

test(`sync killed (SIGKILL) at random points and run again: nothing lost, nothing duplicated (seed ${SEED})`, { skip: process.platform === 'win32', timeout: 240_000 }, async (t) => {
  const random = seededRandom(SEED);
  for (let round = 0; round < ROUNDS; round++) {
    const dir = tempDir();
    const standIn = await startStandIn({ verifiedDomains: ['contoso.com'], logDelayMs: 0, rateLimit: { maxCalls: 100_000, windowMs: 1000 }, dailyLimit: 1_000_000 });
    try {
      const { base, next, leavers } = hrExports();
      fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), mappingText());
      const env = { SCIMMAP_TOKEN: standIn.issueToken() };
      const args = ['sync', 'm.scimmap.yaml', '--endpoint', standIn.endpointUrl(), '--state', 'hr.state', '--format', 'json'];
      writeExport(path.join(dir, 'people.csv'), base);
      const first = await runCli(args, { cwd: dir, env, timeoutMs: 60_000 });
      assert.equal(first.code, 0, first.stderr);
      const runsDir = path.join(dir, 'hr.state.runs');
      const baseline = journalStats(runsDir).settled;
      standIn.resetStats();

      writeExport(path.join(dir, 'people.csv'), next);
      // Kill point: while planning (round 0 sometimes), else after a random number of settled batches (0–40).
      const killAfterBatches = Math.floor(random() * 41) - (round === 0 ? 1 : 0);
      const killDelayMs = Math.floor(random() * 400);
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
      if (killAfterBatches < 0) await new Promise((r) => setTimeout(r, killDelayMs));
      else {
        for (let i = 0; i < 2000 && child.exitCode === null; i++) {
          if (journalStats(runsDir).settled - baseline >= killAfterBatches) break;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      child.kill('SIGKILL');
      const signal = await exited;
      const { inFlightOps } = journalStats(runsDir);
      const killedAt = `round ${round}: kill after ${killAfterBatches} batch(es)${killAfterBatches < 0 ? ` / ${killDelayMs} ms` : ''} (${signal ?? 'exited first'}), ${inFlightOps} op(s) in flight`;

      t.diagnostic(killedAt);
      const rerun = await runCli(args, { cwd: dir, env, timeoutMs: 90_000 });
      assert.equal(rerun.code, 0, `${killedAt}\n${rerun.stderr}`);

      // Nothing lost: every operation of the plan was accepted at least once, and the stand-in ends where HR is.
      const counts = standIn.stats.acceptedByExternalId;
      const expected = [...next.slice(0, 900), ...next.slice(1100)].map((p) => p.id).concat(leavers);
      const missing = expected.filter((id) => !counts.get(id));
      assert.deepEqual(missing, [], killedAt);
      // Nothing duplicated beyond what was in flight at the kill; unchanged people never sent.
      const twice = expected.filter((id) => (counts.get(id) ?? 0) > 1);
      assert.ok(twice.length <= inFlightOps, `${killedAt}: ${twice.length} operation(s) went twice`);
      for (const p of next.slice(900, 1100)) assert.equal(counts.get(p.id), undefined, `${killedAt}: unchanged ${p.id} was sent`);
      standIn.flushLogs();
      const users = standIn.users(DEFAULT_JOB_ID);
      for (const p of next) assert.equal(users.get(p.id)?.accountEnabled, true, `${killedAt}: ${p.id}`);
      for (const id of leavers) assert.equal(users.get(id)?.accountEnabled, false, `${killedAt}: leaver ${id}`);
      assert.equal(users.get('E0001')?.displayName, 'Person 1 (moved)');

      // Nothing double-counted: the state agrees with the stand-in, so a third run has nothing to do.
      const third = await runCli(args, { cwd: dir, env, timeoutMs: 60_000 });
      assert.equal(third.code, 0, third.stderr);
      const plan = (JSON.parse(third.stdout) as { plan: { counts: Record<string, number> } }).plan.counts;
      assert.deepEqual([plan.create, plan.update, plan.disable, plan.reactivate, plan.unchanged], [0, 0, 0, 0, next.length], killedAt);
    } finally {
      await standIn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
