/** The SCIM target against a real SCIM server from npm (scimmy + scimmy-routers on express), through the CLI. */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { ENTERPRISE_USER_URN } from '../../../src/engine/types';
import { deactivateOnScim, discover, parseScimEndpoint, ScimClient, sendToScim } from '../../../src/targets/scim';
import { loadMappingFile, toBulkRequests, transformFile } from '../../../src/engine/pipeline';
import { startScimmy, TOKEN, type ScimmyServer } from './scimmyServer';
import { tempDir } from '../../tempDirs';

const FIXTURES = join(process.cwd(), 'test/fixtures/scim-target');
const HR = join(FIXTURES, 'hr.scimmap.yaml');
const EXT = join(FIXTURES, 'ext.scimmap.yaml');

let server: ScimmyServer;
const temps: string[] = [];
const temp = (): string => {
  const d = tempDir('scimmap-scim-');
  temps.push(d);
  return d;
};

function io(env: NodeJS.ProcessEnv = {}): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: new PassThrough().on('data', (d) => (out += d)),
    stderr: new PassThrough().on('data', (d) => (err += d)),
    env: { SCIMMAP_TOKEN: TOKEN, XDG_STATE_HOME: temp(), XDG_CONFIG_HOME: temp(), SCIMMAP_SCIM_HOSTS: '', ...env },
    cwd: temp(),
    out: () => out,
    err: () => err,
  };
}

interface JsonRecord { externalId?: string; bulkId: string; status: string; action?: string; serverId?: string; errorCode?: string; httpStatus?: number }

async function upload(mapping: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; json: { records: JsonRecord[]; refused?: boolean; findings?: Array<{ code: string }>; totals: Record<string, number> }; err: string }> {
  const x = io(env);
  const code = await runCli(['upload', mapping, '--endpoint', server.base, '--format', 'json', ...extra], x);
  return { code, json: JSON.parse(x.out() || '{}'), err: x.err() };
}

const byExt = (): Map<string, Record<string, unknown>> => new Map([...server.users.values()].map((u) => [String(u.externalId), u]));
const managerOf = (u: Record<string, unknown> | undefined): unknown => (u?.[ENTERPRISE_USER_URN] as { manager?: { value?: unknown } } | undefined)?.manager?.value;
const csvManagers = (): Map<string, string> => {
  const lines = readFileSync(join(FIXTURES, 'people.csv'), 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.split(',')).filter((c) => c[6]).map((c) => [c[0]!, c[6]!]));
};

before(async () => {
  server = await startScimmy();
});
beforeEach(() => {
  server.users.clear();
  server.requests.length = 0;
  server.throttle.remaining = 0;
  server.throttle.answered = 0;
  server.configure('patch', true);
  server.configure('etag', false);
  server.configureBulk({ supported: true });
  server.bulkRequests.length = 0;
});
after(async () => {
  await server.close();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

test('discovery reads scimmy\'s ServiceProviderConfig, ResourceTypes and Schemas', async () => {
  const p = await discover(new ScimClient(parseScimEndpoint(server.base, {})), TOKEN);
  assert.equal(p.config.patch, true);
  assert.equal(p.config.filter.supported, true);
  assert.equal(p.config.bulk.supported, true);
  assert.ok(p.config.bulk.maxOperations > 0);
  assert.equal(p.users.endpoint, '/Users');
  assert.deepEqual(p.users.extensions.map((e) => e.schema), [ENTERPRISE_USER_URN]);
  assert.ok(p.schemas['urn:ietf:params:scim:schemas:core:2.0:User']!.some((a) => a.name === 'userName'));
});

test('all sample users created; manager links hold the server ids; an unresolvable manager is a failed record', async () => {
  const r = await upload(HR);
  assert.equal(r.code, 1, 'E140\'s manager E999 is nobody: not every operation succeeded');
  const users = byExt();
  assert.equal(users.size, 10, r.err);
  const created = r.json.records.filter((x) => x.action === 'created');
  assert.equal(created.length, 10);
  for (const c of created) assert.equal(users.get(c.externalId!)?.id, c.serverId, 'the JSON result names the server id');
  for (const [emp, mgr] of csvManagers()) {
    if (mgr === 'E999') continue;
    assert.equal(managerOf(users.get(emp)), users.get(mgr)!.id, `${emp}'s manager.value is ${mgr}'s server id`);
  }
  assert.equal(managerOf(users.get('E140')), undefined, 'no bad link set');
  const failed = r.json.records.filter((x) => x.status === 'failed');
  assert.deepEqual(failed.map((x) => [x.externalId, x.errorCode]), [['E140', 'ManagerNotFound']]);
  assert.equal(users.get('E132')!.active, false, 'the leaver is inactive');
});

test('a rerun updates instead of duplicating, and changed HR values arrive', async () => {
  await upload(HR);
  const ids = new Map([...byExt()].map(([k, u]) => [k, u.id]));
  const dir = temp();
  for (const f of ['hr.scimmap.yaml', 'people.csv']) copyFileSync(join(FIXTURES, f), join(dir, f));
  const csv = readFileSync(join(dir, 'people.csv'), 'utf8').replace('E121,Edsger,Dijkstra,edsger@example.org,Research,Engineer,E120', 'E121,Edsger,Dijkstra,edsger@example.org,Algorithms,Principal,E110');
  writeFileSync(join(dir, 'people.csv'), csv);
  const r = await upload(join(dir, 'hr.scimmap.yaml'));
  const users = byExt();
  assert.equal(users.size, 10, 'no duplicates');
  assert.deepEqual(new Map([...users].map(([k, u]) => [k, u.id])), ids, 'same server ids');
  assert.equal(r.json.records.filter((x) => x.action === 'created').length, 0);
  assert.ok(r.json.records.filter((x) => x.action === 'updated').length >= 9, JSON.stringify(r.json.totals));
  const e121 = users.get('E121')!;
  assert.equal(e121.title, 'Principal');
  assert.equal((e121[ENTERPRISE_USER_URN] as { department?: string }).department, 'Algorithms');
  assert.equal(managerOf(e121), users.get('E110')!.id, 'the changed manager link points to the new manager');
  assert.equal((e121.emails as unknown[]).length, 1, 'the work e-mail was updated in place, not added twice');
});

test('a user created meanwhile (409 on POST) is looked up by userName and updated', async () => {
  // Same userName, no externalId yet: the lookup by externalId misses, POST gets 409, the userName lookup finds it.
  const x = io();
  await runCli(['upload', HR, '--endpoint', server.base, '--limit', '1'], x);
  const [only] = [...server.users.values()];
  delete only!.externalId;
  const r = await upload(HR, ['--limit', '1']);
  assert.equal(r.code, 0, r.err);
  assert.equal(server.users.size, 1);
  assert.equal([...server.users.values()][0]!.externalId, 'E100', 'the externalId is set on the existing account');
  assert.equal(r.json.records[0]!.action, 'updated');
});

test('an undeclared extension is refused before anything is sent', async () => {
  const r = await upload(EXT);
  assert.equal(r.code, 1);
  assert.equal(r.json.refused, true);
  assert.deepEqual(r.json.findings!.map((f) => f.code), ['server-extension-undeclared']);
  assert.match(r.err, /does not declare the extension urn:example:params:scim:schemas:extension:acme:1\.0:User/);
  assert.equal(server.requests.filter((q) => q.method !== 'GET').length, 0, 'nothing but discovery');
  assert.equal(server.users.size, 0);
});

test('throttling (429 with Retry-After) is survived', async () => {
  server.throttle.remaining = 3;
  server.throttle.retryAfter = '1';
  const r = await upload(HR, ['--limit', '4']);
  assert.equal(r.code, 0, r.err);
  assert.equal(server.throttle.answered, 3);
  assert.equal(server.users.size, 4);
  assert.ok(r.json.totals.retried! >= 1);
});

test('deactivation for sync: PATCH active false by externalId; an unknown externalId is a failed result', async () => {
  await upload(HR, ['--limit', '3']);
  const client = new ScimClient(parseScimEndpoint(server.base, {}));
  const srv = await discover(client, TOKEN);
  const s = await deactivateOnScim(['E110', 'E404'], { client, server: srv, tokens: { description: 't', getToken: async () => TOKEN } });
  assert.equal(byExt().get('E110')!.active, false);
  assert.equal(byExt().get('E100')!.active, true);
  assert.deepEqual(s.records.map((x) => [x.status, x.errorCode]), [['accepted', undefined], ['failed', 'NotFound']]);
});

test('the endpoint kind must match the mapping target, both ways', async () => {
  const a = io();
  assert.equal(await runCli(['upload', HR, '--endpoint', 'https://graph.microsoft.com/v1.0/servicePrincipals/1/synchronization/jobs/2/bulkUpload'], a), 2);
  assert.match(a.err(), /target: scim .*Entra's bulkUpload/);
  assert.throws(() => parseScimEndpoint('https://graph.microsoft.com/v1.0/servicePrincipals/1/synchronization/jobs/2/bulkUpload', {}), /Entra bulkUpload endpoint, not a SCIM base URL/);
  const b = io();
  assert.equal(await runCli(['upload', join(process.cwd(), 'samples/custom-hr/custom-hr.scimmap.yaml'), '--endpoint', server.base], b), 2);
  assert.match(b.err(), /set target: scim/);
  assert.equal(server.requests.length, 0);
});

test('SCIM base URLs: https on allowlisted hosts only, http only on loopback with a port', () => {
  assert.throws(() => parseScimEndpoint('https://app.example.org/scim/v2', {}), /not on your SCIM host allowlist/);
  assert.equal(parseScimEndpoint('https://app.example.org/scim/v2/', { SCIMMAP_SCIM_HOSTS: 'other.example, App.Example.org' }).url, 'https://app.example.org/scim/v2');
  assert.throws(() => parseScimEndpoint('http://app.example.org/scim/v2', { SCIMMAP_SCIM_HOSTS: 'app.example.org' }), /https/);
  assert.throws(() => parseScimEndpoint('http://127.0.0.1/scim', {}), /port/);
  assert.throws(() => parseScimEndpoint('https://u:p@app.example.org/scim', { SCIMMAP_SCIM_HOSTS: 'app.example.org' }), /user names/);
  const cfg = temp();
  const { mkdirSync } = require('node:fs') as typeof import('node:fs');
  mkdirSync(join(cfg, 'scimmap'));
  writeFileSync(join(cfg, 'scimmap', 'scim-hosts'), '# mine\napp.example.org\n');
  assert.equal(parseScimEndpoint('https://app.example.org/scim/v2', { XDG_CONFIG_HOME: cfg }).origin, 'https://app.example.org');
});

test('server pull saves the discovery as JSON and lists what the server cannot take', async () => {
  const dir = temp();
  const x = io();
  assert.equal(await runCli(['server', 'pull', EXT, '--endpoint', server.base, '--out', join(dir, 's.json')], x), 1);
  const saved = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
  assert.equal(saved.scimmapServer, 1);
  assert.equal(saved.users.endpoint, '/Users');
  assert.match(x.out(), /server-extension-undeclared/);
  const y = io();
  assert.equal(await runCli(['server', 'pull', HR, '--endpoint', server.base, '--out', join(dir, 't.json')], y), 0, y.out() + y.err());
  assert.ok(!JSON.stringify(saved).includes(TOKEN));
});

test('resume: an interrupted run continues from the journal; operations already done are not sent again', async () => {
  const journal = join(temp(), 'run.jsonl');
  const state = { XDG_STATE_HOME: temp() };
  const first = await upload(HR, ['--journal', journal], state);
  assert.equal(first.code, 1);
  server.requests.length = 0;
  const again = await upload(HR, ['--resume', journal], state);
  assert.ok(again.json.records, again.err);
  // Everything but the failed manager link (E140 → E999) was done: only that one is tried again.
  assert.equal(server.requests.filter((q) => q.method === 'POST' || q.method === 'PATCH').length, 0);
  assert.equal(again.json.records.filter((x) => x.status === 'accepted').every((x) => (x as { previouslyAccepted?: boolean }).previouslyAccepted), true);
  assert.deepEqual(again.json.records.filter((x) => x.status === 'failed').map((x) => x.errorCode), ['ManagerNotFound']);
  assert.equal(server.users.size, 10);
});

test('one by one (--no-bulk): a server without PATCH is updated with PUT; with ETags the update carries If-Match', async () => {
  server.configure('patch', false);
  await upload(HR, ['--limit', '2', '--no-bulk']);
  const dir = temp();
  for (const f of ['hr.scimmap.yaml', 'people.csv']) copyFileSync(join(FIXTURES, f), join(dir, f));
  writeFileSync(join(dir, 'people.csv'), readFileSync(join(dir, 'people.csv'), 'utf8').replace('E100,Ada,Lovelace,ada@example.org,Board,CEO', 'E100,Ada,Lovelace,ada@example.org,Board,Chair'));
  server.requests.length = 0;
  const r = await upload(join(dir, 'hr.scimmap.yaml'), ['--limit', '2', '--no-bulk']);
  assert.equal(r.code, 0, r.err);
  assert.equal(byExt().get('E100')!.title, 'Chair');
  assert.equal(server.requests.filter((q) => q.method === 'PATCH').length, 0);
  assert.ok(server.requests.some((q) => q.method === 'PUT'));
  assert.equal(managerOf(byExt().get('E110')), byExt().get('E100')!.id, 'the manager link set with PUT too');
  assert.equal(server.users.size, 2);
  assert.equal(server.bulkRequests.length, 0, '--no-bulk sends no Bulk request');

  server.configure('patch', true);
  server.configure('etag', true);
  server.requests.length = 0;
  const e = await upload(HR, ['--limit', '2', '--no-bulk']);
  assert.equal(e.code, 0, e.err);
  const patches = server.requests.filter((q) => q.method === 'PATCH');
  assert.ok(patches.length >= 1);
  assert.ok(patches.every((q) => q.ifMatch), 'If-Match on every PATCH when the server supports ETags');
  assert.equal(byExt().get('E100')!.title, 'CEO');
});

test('the token appears nowhere: not in output, errors, the JSON results or the journal', async () => {
  const journal = join(temp(), 'j.jsonl');
  server.throttle.remaining = 1;
  server.throttle.retryAfter = '0';
  const x = io();
  await runCli(['upload', HR, '--endpoint', server.base, '--format', 'json', '--journal', journal], x);
  const y = io({ SCIMMAP_TOKEN: 'wrong-token-abcdef123456' });
  assert.equal(await runCli(['upload', HR, '--endpoint', server.base], y), 2, 'discovery with a refused token is a usage error');
  assert.match(y.err(), /discovery failed/);
  for (const text of [x.out(), x.err(), readFileSync(journal, 'utf8'), y.out(), y.err()]) {
    assert.ok(!text.includes(TOKEN) && !text.includes('wrong-token-abcdef123456'));
  }
});

test('one by one: 503 with Retry-After is retried like 429', async () => {
  let left = 2;
  const client = new ScimClient(parseScimEndpoint(server.base, {}), async (url, init) => {
    if (left > 0 && String(url).includes('/Users')) {
      left--;
      return new Response('{"status":"503","detail":"busy"}', { status: 503, headers: { 'retry-after': '0', 'content-type': 'application/scim+json' } });
    }
    return fetch(url, init);
  });
  const srv = await discover(client, TOKEN);
  const { mapping } = await loadMappingFile(HR);
  const s = await sendToScim(toBulkRequests(transformFile(mapping, { limit: 3 }), 50, undefined, undefined), { client, server: srv, tokens: { description: 't', getToken: async () => TOKEN }, retry: { baseDelayMs: 1 }, bulk: false });
  assert.equal(left, 0);
  assert.equal(s.totals.failed, 0, JSON.stringify(s.records));
  assert.ok(s.totals.retried >= 2);
  assert.equal(server.users.size, 3);
});

test('--dry-run: with a token the server is checked and nothing is written; without one the records are only counted', async () => {
  const x = io();
  assert.equal(await runCli(['upload', HR, '--endpoint', server.base, '--dry-run', '--format', 'json'], x), 0, x.err());
  const j = JSON.parse(x.out());
  assert.equal(j.records, 10);
  assert.equal(j.checked, true);
  const y = io({ SCIMMAP_TOKEN: '' });
  assert.equal(await runCli(['upload', EXT, '--endpoint', server.base, '--dry-run', '--format', 'json'], y), 0);
  assert.equal(JSON.parse(y.out()).checked, false);
  const z = io();
  assert.equal(await runCli(['upload', EXT, '--endpoint', server.base, '--dry-run'], z), 1, 'the undeclared extension is refused in a dry run too');
  assert.equal(server.requests.filter((q) => q.method !== 'GET').length, 0);
  assert.equal(server.users.size, 0);
});

test('safety: two server users with the same externalId, or a userName held by another externalId, are never updated', async () => {
  const now = new Date();
  const user = (id: string, ext: string, userName: string) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id, externalId: ext, userName, displayName: 'keep me', meta: { created: now, lastModified: now } });
  server.users.set('d-1', user('d-1', 'E100', 'ada.one@example.org'));
  server.users.set('d-2', user('d-2', 'E100', 'ada.two@example.org'));
  server.users.set('d-3', user('d-3', 'X-OTHER', 'grace@example.org'));
  const r = await upload(HR, ['--limit', '2']);
  assert.equal(r.code, 1);
  const failed = new Map(r.json.records.filter((x) => x.status === 'failed' && !x.bulkId.endsWith(':manager')).map((x) => [x.externalId, x.errorCode]));
  assert.equal(failed.get('E100'), 'Ambiguous');
  assert.equal(failed.get('E110'), 'UserNameTaken');
  assert.deepEqual(r.json.records.filter((x) => x.bulkId.endsWith(':manager')).map((x) => x.errorCode), ['Ambiguous'], 'E110\'s manager E100 is ambiguous: no link');
  assert.equal(server.users.size, 3, 'nothing created');
  for (const u of server.users.values()) assert.equal(u.displayName, 'keep me', 'nothing overwritten');
  assert.equal(server.requests.filter((q) => q.method !== 'GET').length, 0);
});

test('a redirect from the server stops the run; the token is not sent to the redirect target', async () => {
  const seen: string[] = [];
  const client = new ScimClient(parseScimEndpoint(server.base, {}), async (url, init) => {
    seen.push(String(url));
    if (String(url).includes('/Users')) return new Response('', { status: 307, headers: { location: 'http://127.0.0.1:1/steal' } });
    return fetch(url, init);
  });
  const srv = await discover(client, TOKEN);
  const { mapping } = await loadMappingFile(HR);
  const s = await sendToScim(toBulkRequests(transformFile(mapping, { limit: 3 }), 50, undefined, undefined), { client, server: srv, tokens: { description: 't', getToken: async () => TOKEN }, concurrency: 1 });
  assert.equal(s.stopped?.reason, 'endpoint');
  assert.match(s.stopped!.message, /redirect/);
  assert.ok(seen.every((u) => u.startsWith(server.base)), 'only the endpoint was called');
  assert.equal(server.users.size, 0);
});

test('the dataset checks apply as for Entra: active false on every record sends nothing (unless --force)', async () => {
  const dir = temp();
  for (const f of ['hr.scimmap.yaml', 'people.csv']) copyFileSync(join(FIXTURES, f), join(dir, f));
  writeFileSync(join(dir, 'people.csv'), readFileSync(join(dir, 'people.csv'), 'utf8').replace(/,Active$/gm, ',Leaver'));
  const r = await upload(join(dir, 'hr.scimmap.yaml'));
  assert.equal(r.code, 1);
  assert.match(r.err, /Nothing was sent/);
  assert.equal(server.requests.filter((q) => q.method !== 'GET').length, 0);
  assert.equal(server.users.size, 0);
});
