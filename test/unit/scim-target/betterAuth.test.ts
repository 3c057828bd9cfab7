/** The SCIM target against better-auth + @better-auth/scim (a second real SCIM server from npm), through the CLI. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { ENTERPRISE_USER_URN } from '../../../src/engine/types';
import { BA_TOKEN, startBetterAuth, type BetterAuthScim } from './betterAuthServer';
import { tempDir } from '../../tempDirs';

const FIXTURES = join(process.cwd(), 'test/fixtures/scim-target');
let server: BetterAuthScim;
const temps: string[] = [];
const temp = (): string => {
  const d = tempDir('scimmap-ba-');
  temps.push(d);
  return d;
};

async function upload(mapping: string, extra: string[] = []): Promise<{ code: number; json: { records: Array<{ externalId?: string; status: string; action?: string; serverId?: string; errorCode?: string }>; refused?: boolean; findings?: Array<{ code: string }>; totals: Record<string, number>; via?: { path: string; reason?: string } }; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['upload', mapping, '--endpoint', server.base, '--format', 'json', ...extra], {
    stdout: new PassThrough().on('data', (d) => (out += d)),
    stderr: new PassThrough().on('data', (d) => (err += d)),
    env: { SCIMMAP_TOKEN: BA_TOKEN, XDG_STATE_HOME: temp(), XDG_CONFIG_HOME: temp() },
    cwd: temp(),
  });
  return { code, json: JSON.parse(out || '{}'), err };
}
const byExt = async (): Promise<Map<string, Record<string, unknown>>> => new Map((await server.users()).map((u) => [String(u.externalId), u]));
const managerOf = (u: Record<string, unknown> | undefined): unknown => (u?.[ENTERPRISE_USER_URN] as { manager?: { value?: unknown } } | undefined)?.manager?.value;

before(async () => {
  server = await startBetterAuth();
});
after(async () => {
  await server?.close();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

// One server for the sequence: the tests run in order and build on each other (create, rerun, change).
test('better-auth: an undeclared extension is refused before anything is sent', async () => {
  const r = await upload(join(FIXTURES, 'ext.scimmap.yaml'));
  assert.equal(r.code, 1);
  assert.equal(r.json.refused, true);
  assert.deepEqual(r.json.findings!.map((f) => f.code), ['server-extension-undeclared']);
  assert.equal(server.requests.filter((q) => q.method !== 'GET').length, 0);
  assert.equal((await server.users()).length, 0);
});

test('better-auth: all sample users created (throttled on the way); manager links hold the server ids', async () => {
  server.throttle.remaining = 2;
  const r = await upload(join(FIXTURES, 'hr.scimmap.yaml'));
  assert.equal(server.throttle.answered, 2, 'throttled twice and survived');
  const users = await byExt();
  assert.equal(users.size, 10, r.err + JSON.stringify(r.json.records.filter((x) => x.status !== 'accepted')));
  assert.deepEqual(r.json.records.filter((x) => x.status === 'failed').map((x) => [x.externalId, x.errorCode]), [['E140', 'ManagerNotFound']]);
  const lines = readFileSync(join(FIXTURES, 'people.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  for (const c of lines) {
    if (!c[6] || c[6] === 'E999') continue;
    assert.equal(managerOf(users.get(c[0]!)), users.get(c[6])!.id, `${c[0]}'s manager is ${c[6]}'s server id`);
  }
  for (const rec of r.json.records.filter((x) => x.action === 'created')) assert.equal(users.get(rec.externalId!)?.id, rec.serverId);
  // better-auth declares bulk.supported false: one user per request, no /Bulk call.
  assert.equal(r.json.via?.path, 'users');
  assert.match(r.json.via!.reason!, /does not support \/Bulk/);
  assert.equal(server.requests.filter((q) => q.path.endsWith('/Bulk')).length, 0);
});

test('better-auth: a rerun updates instead of duplicating, and changed HR values arrive', async () => {
  const before = new Map([...(await byExt())].map(([k, u]) => [k, u.id]));
  const dir = temp();
  for (const f of ['hr.scimmap.yaml', 'people.csv']) copyFileSync(join(FIXTURES, f), join(dir, f));
  writeFileSync(join(dir, 'people.csv'), readFileSync(join(dir, 'people.csv'), 'utf8').replace('E121,Edsger,Dijkstra,edsger@example.org,Research,Engineer,E120', 'E121,Edsger,Dijkstra,edsger@example.org,Algorithms,Principal,E110'));
  const r = await upload(join(dir, 'hr.scimmap.yaml'));
  const users = await byExt();
  assert.equal(users.size, 10, 'no duplicates');
  assert.deepEqual(new Map([...users].map(([k, u]) => [k, u.id])), before);
  assert.equal(r.json.records.filter((x) => x.action === 'created').length, 0);
  const e121 = users.get('E121')!;
  assert.equal(e121.title, 'Principal', r.err);
  assert.equal((e121[ENTERPRISE_USER_URN] as { department?: string }).department, 'Algorithms');
  assert.equal(managerOf(e121), users.get('E110')!.id);
});
