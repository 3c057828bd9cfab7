/**
 * The `server:` mapping key through the CLI against a real SCIM server (scimmy): `scimmap server pull` writes the
 * discovery to the file `server:` names (guarded like the app pull), `scimmap validate` reports the saved copy's
 * findings at the mapping keys, and `scimmap upload` asks the live server and warns when the saved copy is stale.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { ENTERPRISE_USER_URN } from '../../../src/engine/types';
import { startScimmy, TOKEN, type ScimmyServer } from './scimmyServer';
import { tempDir } from '../../tempDirs';

const FIXTURES = join(process.cwd(), 'test/fixtures/scim-target');
let server: ScimmyServer;

function io(cwd: string): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: new PassThrough().on('data', (d) => (out += d)),
    stderr: new PassThrough().on('data', (d) => (err += d)),
    env: { SCIMMAP_TOKEN: TOKEN, XDG_STATE_HOME: join(cwd, '.state'), XDG_CONFIG_HOME: join(cwd, '.config'), SCIMMAP_SCIM_HOSTS: '' },
    cwd,
    out: () => out,
    err: () => err,
  };
}

/** A folder with people.csv and the fixture mapping `name`, with `server: <server>` added after `target: scim`. */
function rig(name: 'hr' | 'ext', server?: string): { dir: string; mapping: string } {
  const dir = tempDir('scimmap-server-key-');
  copyFileSync(join(FIXTURES, 'people.csv'), join(dir, 'people.csv'));
  const text = readFileSync(join(FIXTURES, `${name}.scimmap.yaml`), 'utf8');
  const mapping = join(dir, `${name}.scimmap.yaml`);
  writeFileSync(mapping, server === undefined ? text : text.replace('target: scim\n', `target: scim\nserver: ${server}\n`));
  return { dir, mapping };
}

/** The upload's JSON results: every failure is the unresolvable manager E999 (people.csv), nothing refused. */
function onlyManagerNotFound(out: string): boolean {
  const r = JSON.parse(out) as { refused?: boolean; records: Array<{ status: string; errorCode?: string }> };
  const failed = r.records.filter((x) => x.status !== 'accepted');
  return !r.refused && failed.length === 1 && failed[0]!.errorCode === 'ManagerNotFound';
}

before(async () => {
  server = await startScimmy();
});
beforeEach(() => {
  server.users.clear();
  server.requests.length = 0;
});
after(async () => {
  await server.close();
});

test('server pull writes to the server: file; validate then reports the undeclared extension at its key', async () => {
  const { dir, mapping } = rig('ext', 'discovery/acme-server.json');
  mkdirSync(join(dir, 'discovery'));
  const pull = io(dir);
  assert.equal(await runCli(['server', 'pull', mapping, '--endpoint', server.base], pull), 1, pull.err());
  const saved = join(dir, 'discovery/acme-server.json');
  assert.match(pull.out(), new RegExp(`wrote ${saved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.ok(!existsSync(join(dir, 'server-schema.json')), 'not the default file');
  assert.ok(!pull.err().includes('note: add'), 'no hint to add a key that is there');
  const json = JSON.parse(readFileSync(saved, 'utf8'));
  assert.equal(json.scimmapServer, 1);
  assert.ok(json.schemas[ENTERPRISE_USER_URN], 'scimmy describes the enterprise extension');
  assert.ok(!readFileSync(saved, 'utf8').includes(TOKEN));

  const v = io(dir);
  assert.equal(await runCli(['validate', mapping, '--no-sample'], v), 1, v.out() + v.err());
  const lines = v.out().trim().split('\n');
  const badgeLine = readFileSync(mapping, 'utf8').split('\n').findIndex((l) => l.includes(':badge:')) + 1;
  assert.deepEqual(lines.map((l) => l.split(' ').slice(0, 3).join(' ').replace(/^.*ext\.scimmap\.yaml/, 'ext.scimmap.yaml')), [`ext.scimmap.yaml:${badgeLine}:3 error server-extension-undeclared`]);
  assert.match(lines[0]!, /does not declare the extension urn:example:params:scim:schemas:extension:acme:1\.0:User \(it declares urn:ietf:params:scim:schemas:core:2\.0:User, urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User\).*saved server discovery 'discovery\/acme-server\.json'/);

  // The compatible mapping against the same server validates clean (scimmy's own discovery, saved).
  const hr = rig('hr', 'server-schema.json');
  const p2 = io(hr.dir);
  assert.equal(await runCli(['server', 'pull', hr.mapping, '--endpoint', server.base], p2), 0, p2.out() + p2.err());
  const v2 = io(hr.dir);
  assert.equal(await runCli(['validate', hr.mapping, '--no-sample'], v2), 0, v2.out());
  assert.ok(!/server-/.test(v2.out()), v2.out());
});

test('without server: the pull writes server-schema.json beside the mapping and says how to use it', async () => {
  const { dir, mapping } = rig('hr');
  const pull = io(dir);
  assert.equal(await runCli(['server', 'pull', mapping, '--endpoint', server.base], pull), 0, pull.err());
  assert.ok(existsSync(join(dir, 'server-schema.json')));
  assert.match(pull.err(), /note: add `server: server-schema\.json` to hr\.scimmap\.yaml/);
});

test('a server: the pull must not write is refused before anything is asked of the server', async () => {
  const outside = tempDir('scimmap-server-key-outside-');
  for (const [named, why] of [
    ['../elsewhere.json', /server: .*elsewhere\.json is outside the mapping's folder: the server's discovery is saved next to the mapping/],
    ['server-schema.txt', /server: server-schema\.txt is not a \.json file: the server's discovery is saved as JSON/],
    ['link.json', /server: .*link\.json exists and is not a regular file \(a symbolic link\): not overwritten/],
    ['//host/share/s.json', /server: /],
  ] as const) {
    const { dir, mapping } = rig('hr', named);
    const target = join(outside, 'target.json');
    writeFileSync(target, 'keep');
    symlinkSync(target, join(dir, 'link.json'));
    server.requests.length = 0;
    const x = io(dir);
    assert.equal(await runCli(['server', 'pull', mapping, '--endpoint', server.base], x), 2, `${named}: ${x.out()}`);
    assert.match(x.err(), why, named);
    assert.equal(server.requests.length, 0, `${named}: no request`);
    assert.equal(readFileSync(target, 'utf8'), 'keep');
    assert.ok(!existsSync(join(outside, 'elsewhere.json')));
  }
  // --out is the user's own choice on the command line: written where it says.
  const { dir, mapping } = rig('hr', '../elsewhere.json');
  const x = io(dir);
  assert.equal(await runCli(['server', 'pull', mapping, '--endpoint', server.base, '--out', join(outside, 'chosen.json')], x), 0, x.err());
  assert.ok(existsSync(join(outside, 'chosen.json')));
});

test('upload asks the live server: a stale saved copy is a warning with the refresh command, not a refusal', async () => {
  const { dir, mapping } = rig('hr', 'server-schema.json');
  const pull = io(dir);
  assert.equal(await runCli(['server', 'pull', mapping, '--endpoint', server.base], pull), 0, pull.err());

  // Up to date: no warning. (Exit 1 throughout: people.csv's E999 manager is nobody, one failed link.)
  const fresh = io(dir);
  assert.equal(await runCli(['upload', mapping, '--endpoint', server.base, '--format', 'json'], fresh), 1, fresh.err());
  assert.deepEqual(onlyManagerNotFound(fresh.out()), true);
  assert.ok(!/stale/.test(fresh.err()), fresh.err());

  // The saved copy from before the app declared the enterprise extension: validate flags the keys …
  const file = join(dir, 'server-schema.json');
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  saved.users.extensions = [];
  writeFileSync(file, JSON.stringify(saved));
  const v = io(dir);
  assert.equal(await runCli(['validate', mapping, '--no-sample'], v), 1);
  assert.equal(v.out().trim().split('\n').filter((l) => l.includes('server-extension-undeclared')).length, 2, v.out());

  // … but the live server takes them: the upload goes ahead (every user and manager link) and says the copy is stale.
  const up = io(dir);
  assert.equal(await runCli(['upload', mapping, '--endpoint', server.base, '--format', 'json'], up), 1, up.err());
  assert.equal(onlyManagerNotFound(up.out()), true, up.out());
  assert.match(up.err(), new RegExp(`warning: the saved server discovery 'server-schema\\.json' is stale: .*refresh it with: scimmap server pull ${mapping.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --endpoint ${server.base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.ok(server.users.size >= 5, `${server.users.size} users`);
  assert.ok([...server.users.values()].every((u) => (u[ENTERPRISE_USER_URN] as { department?: string } | undefined)?.department), 'the extension values arrived');

  // A saved copy that is gone: the live server is checked, and the warning says how to save it again.
  rmSync(file);
  const gone = io(dir);
  assert.equal(await runCli(['upload', mapping, '--endpoint', server.base, '--dry-run'], gone), 0, gone.err());
  assert.match(gone.err(), /warning: the saved server discovery 'server-schema\.json' does not exist; the live server was checked instead; refresh it with: scimmap server pull/);
  assert.ok(!gone.err().includes(TOKEN));
});

test('validate: a server: that is a FIFO or a directory is refused by the bounded reader, at the server: value, without a hang', async () => {
  for (const kind of ['fifo', 'dir'] as const) {
    const { dir, mapping } = rig('hr', 'server-schema.json');
    const target = join(dir, 'server-schema.json');
    if (kind === 'fifo') execFileSync('mkfifo', [target]);
    else mkdirSync(target);
    const v = io(dir);
    assert.equal(await runCli(['validate', mapping, '--no-sample'], v), 1, v.out() + v.err());
    const line = v.out().trim().split('\n').find((l) => l.includes('server-schema'));
    assert.ok(line, v.out());
    assert.match(line, /hr\.scimmap\.yaml:8:9 error server-schema The saved SCIM server discovery 'server-schema\.json' is not read: /, kind);
  }
});
