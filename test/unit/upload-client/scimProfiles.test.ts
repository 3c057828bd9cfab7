/** SCIM endpoint profiles in VS Code: reading, validation against the shared host allowlist, secret keys, texts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readProfiles, upsertProfile, userLevel } from '../../../client/src/upload/profiles';
import {
  baseUrlInputProblem, hostsToAllow, tokenUrlInputProblem, resolveScimProfile, scimAuthOf, scimConfirmationText, scimSecretKey, ScimProfileError, secretPrompt,
} from '../../../client/src/upload/scimProfiles';
import { addScimHost, allowedScimHosts, isHostName, parseScimEndpoint, scimHostsFile } from '../../../src/targets/scim';
import { tempDir } from '../../tempDirs';

/** An environment whose allowlist is a fresh file in a temp config folder (never the real ~/.config). */
const envWith = (hosts?: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { XDG_CONFIG_HOME: tempDir('scimmap-scimprof-'), HOME: '/nonexistent' };
  if (hosts !== undefined) {
    mkdirSync(join(env.XDG_CONFIG_HOME!, 'scimmap'), { recursive: true });
    writeFileSync(scimHostsFile(env), hosts);
  }
  return env;
};

test('readProfiles: "kind": "scim" entries go to scim, Entra ones stay; names unique across both; bad keys reported', () => {
  const { profiles, scim, problems } = readProfiles([
    { name: 'Entra', endpoint: 'https://graph.microsoft.com/beta/servicePrincipals/s/synchronization/jobs/j/bulkUpload', tenantId: 't', clientId: 'c' },
    { name: 'App', kind: 'scim', baseUrl: 'https://app.example.com/scim/v2', auth: 'bearer' },
    { name: 'App', kind: 'scim', baseUrl: 'https://other.example.com/scim/v2' },
    { name: 'OAuth', kind: 'scim', baseUrl: 'https://app.example.com/scim/v2', auth: 'clientCredentials', tokenUrl: 'https://app.example.com/oauth/token', clientId: 'hr', scope: 'scim' },
    { name: 'Odd', kind: 'scim', baseUrl: 'https://app.example.com/scim/v2', auth: 'clientSecret', tenantId: 't', clientAuth: 'private_key_jwt' },
    { name: 'Weird', kind: 'ldap' },
  ]);
  assert.deepEqual(profiles.map((p) => p.name), ['Entra']);
  assert.deepEqual(scim.map((p) => p.name), ['App', 'OAuth', 'Odd']);
  assert.equal(scim[1]!.tokenUrl, 'https://app.example.com/oauth/token');
  assert.equal(scim[1]!.scope, 'scim');
  assert.equal(scim[2]!.auth, undefined, 'an Entra auth kind is not taken for a SCIM profile');
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.ok(problems.some((p) => /'Odd': unknown clientAuth 'private_key_jwt'/.test(p)));
  assert.ok(problems.some((p) => /'App' is defined twice/.test(p)));
  assert.ok(problems.some((p) => /'Odd': unknown auth 'clientSecret' for a SCIM endpoint \(bearer or clientCredentials\)/.test(p)));
  assert.ok(problems.some((p) => /'Odd': tenantId belongs to Entra profiles/.test(p)));
  assert.ok(problems.some((p) => /'Weird': unknown kind 'ldap'/.test(p)));
  // upsert keeps SCIM keys (the Add SCIM Endpoint command writes with it).
  assert.deepEqual(upsertProfile([], { name: 'N', kind: 'scim', baseUrl: 'https://a.example/scim' }), [{ name: 'N', kind: 'scim', baseUrl: 'https://a.example/scim' }]);
});

test('a workspace cannot define or select a SCIM profile: only the user-level value is read', () => {
  const hostile = [{ name: 'Repo app', kind: 'scim', baseUrl: 'https://collector.example.net/scim/v2' }];
  const { value, ignored } = userLevel('scimmap.upload.profiles', { globalValue: undefined, workspaceValue: hostile, workspaceFolderValue: hostile });
  assert.equal(value, undefined);
  assert.equal(ignored.length, 2);
  assert.deepEqual(readProfiles(value).scim, []);
  const mine = [{ name: 'Mine', kind: 'scim', baseUrl: 'http://127.0.0.1:9/scim/v2' }];
  assert.deepEqual(readProfiles(userLevel('scimmap.upload.profiles', { globalValue: mine, workspaceValue: hostile }).value).scim.map((p) => p.name), ['Mine']);
});

test('resolveScimProfile: loopback with a port needs no allowlist; other hosts must be on the user file; https only', () => {
  const env = envWith();
  const r = resolveScimProfile({ name: 'Local', kind: 'scim', baseUrl: 'http://127.0.0.1:8080/scim/v2/' }, env);
  assert.equal(r.profile.auth, 'bearer', 'bearer is the default');
  assert.equal(r.endpoint.url, 'http://127.0.0.1:8080/scim/v2');
  assert.throws(() => resolveScimProfile({ name: 'NoPort', kind: 'scim', baseUrl: 'http://127.0.0.1/scim/v2' }, env), /must name its port/);
  assert.throws(() => resolveScimProfile({ name: 'X', kind: 'scim' }, env), /has no baseUrl/);
  // Not on the allowlist: refused, saying how to add it (the command and the file the CLI reads).
  assert.throws(
    () => resolveScimProfile({ name: 'App', kind: 'scim', baseUrl: 'https://app.example.com/scim/v2' }, env),
    (e: Error) => e instanceof ScimProfileError && /'app\.example\.com' is not on your SCIM host allowlist/.test(e.message) && e.message.includes('Add SCIM Endpoint…') && e.message.includes(scimHostsFile(env)),
  );
  assert.throws(() => resolveScimProfile({ name: 'Plain', kind: 'scim', baseUrl: 'http://app.example.com/scim/v2' }, env), /must be reached over https/);
  assert.throws(() => resolveScimProfile({ name: 'Entra', kind: 'scim', baseUrl: 'https://graph.microsoft.com/v1.0/servicePrincipals/s/synchronization/jobs/j/bulkUpload' }, env), /Entra bulkUpload endpoint, not a SCIM base URL/);
  const listed = envWith('# mine\nAPP.example.com\n');
  assert.equal(resolveScimProfile({ name: 'App', kind: 'scim', baseUrl: 'https://app.example.com/scim/v2' }, listed).endpoint.origin, 'https://app.example.com');
});

test('resolveScimProfile: client credentials need a token URL and a client id; the token URL is https and allowlisted', () => {
  const env = envWith('app.example.com\nlogin.example.net\n');
  const base = { name: 'OAuth', kind: 'scim' as const, baseUrl: 'https://app.example.com/scim/v2', auth: 'clientCredentials' as const };
  assert.throws(() => resolveScimProfile(base, env), /tokenUrl .* is required/);
  assert.throws(() => resolveScimProfile({ ...base, tokenUrl: 'https://app.example.com/token' }, env), /clientId is required/);
  assert.throws(() => resolveScimProfile({ ...base, tokenUrl: 'http://app.example.com/token', clientId: 'c' }, env), /must be https/);
  // The token URL's host is checked against the same allowlist (the shared check of scimTokenProvider).
  assert.throws(
    () => resolveScimProfile({ ...base, tokenUrl: 'https://idp.example.org/token', clientId: 'c' }, env),
    (e: Error) => e instanceof ScimProfileError && /token URL's host 'idp\.example\.org' is not on your SCIM host allowlist/.test(e.message) && e.message.includes('Add SCIM Endpoint…'),
  );
  assert.throws(() => resolveScimProfile({ ...base, tokenUrl: 'https://u:p@app.example.com/token', clientId: 'c' }, env), /user name or password/);
  const r = resolveScimProfile({ ...base, tokenUrl: 'https://login.example.net/token', clientId: 'c', scope: 's', clientAuth: 'client_secret_post', resource: 'https://app.example.com/' }, env);
  assert.equal(r.tokenUrl, 'https://login.example.net/token');
  assert.deepEqual(scimAuthOf(r, 'sek'), { kind: 'clientCredentials', tokenUrl: 'https://login.example.net/token', clientId: 'c', clientSecret: 'sek', scope: 's', resource: 'https://app.example.com/', clientAuth: 'client_secret_post' });
  assert.deepEqual(hostsToAllow(r.profile.baseUrl!, r.profile.tokenUrl), ['app.example.com', 'login.example.net']);
  assert.deepEqual(hostsToAllow('http://127.0.0.1:9/scim'), []);
  assert.match(tokenUrlInputProblem('http://localhost/token')!, /loopback token URL must name its port/);
  assert.equal(tokenUrlInputProblem('https://not-yet-listed.example/token'), undefined, 'the input box checks the form; the allowlist step follows');
  assert.match(tokenUrlInputProblem('nope')!, /not a URL/);
  assert.match(secretPrompt(r).prompt, /sent only to login\.example\.net/);
});

test('secret keys follow the resolved identity, not the name', () => {
  const env = envWith('app.example.com\nother.example.com\n');
  const a = resolveScimProfile({ name: 'A', kind: 'scim', baseUrl: 'https://app.example.com/scim/v2' }, env);
  const renamed = resolveScimProfile({ name: 'B', kind: 'scim', baseUrl: 'https://app.example.com/scim/v2' }, env);
  const moved = resolveScimProfile({ name: 'A', kind: 'scim', baseUrl: 'https://other.example.com/scim/v2' }, env);
  assert.equal(scimSecretKey(a), scimSecretKey(renamed));
  assert.notEqual(scimSecretKey(a), scimSecretKey(moved), 'a profile pointed elsewhere finds no secret');
  const cc = resolveScimProfile({ name: 'A', kind: 'scim', baseUrl: 'https://app.example.com/scim/v2', auth: 'clientCredentials', tokenUrl: 'https://app.example.com/t', clientId: 'x' }, env);
  assert.notEqual(scimSecretKey(a), scimSecretKey(cc));
  assert.deepEqual(scimAuthOf(a, 'tok'), { kind: 'bearer', token: 'tok' });
  assert.match(secretPrompt(a).title, /Bearer token for 'A'/);
});

test('baseUrlInputProblem checks the form only (the allowlist is the next step, with consent)', () => {
  assert.equal(baseUrlInputProblem('https://new.example.com/scim/v2'), undefined);
  assert.equal(baseUrlInputProblem('"https://new.example.com/scim/v2"'), undefined);
  assert.match(baseUrlInputProblem('')!, /SCIM base URL/);
  assert.match(baseUrlInputProblem('http://new.example.com/scim')!, /https/);
  assert.match(baseUrlInputProblem('https://new.example.com/scim?x=1')!, /no query string/);
  assert.match(baseUrlInputProblem('nope')!, /not a URL/);
});

test('addScimHost writes the file the CLI reads (0600), once per host; loopback and non-hosts are not written', () => {
  const env = envWith();
  const first = addScimHost('App.Example.com', env);
  assert.deepEqual({ host: first.host, added: first.added }, { host: 'app.example.com', added: true });
  assert.equal(addScimHost('app.example.com', env).added, false);
  assert.equal(addScimHost('127.0.0.1', env).added, false);
  assert.throws(() => addScimHost('app.example.com/x', env), /not a host name/);
  assert.throws(() => addScimHost('-bad-.example', env), /not a host name/);
  addScimHost('second.example.org', env);
  assert.equal(readFileSync(first.file, 'utf8'), 'app.example.com\nsecond.example.org\n');
  assert.equal(statSync(first.file).mode & 0o777, 0o600);
  assert.deepEqual([...allowedScimHosts(env)], ['app.example.com', 'second.example.org']);
  // The CLI's own parser now accepts the host: one allowlist.
  assert.equal(parseScimEndpoint('https://app.example.com/scim/v2', env).origin, 'https://app.example.com');
  assert.equal(isHostName('a'.repeat(64) + '.example'), false);
  assert.equal(isHostName('xn--bcher-kva.example'), true);
});

test('the confirmation names the base URL, the records, the sign-in and what PUT-only servers clear', () => {
  const env = envWith('app.example.com\n');
  const r = resolveScimProfile({ name: 'App', kind: 'scim', baseUrl: 'https://app.example.com/scim/v2' }, env);
  const c = scimConfirmationText(r, { records: 3, what: 'the first 3 of 10 records', mappingName: 'hr.scimmap.yaml', sourceLine: 'people.csv', signIn: 'a bearer token', server: { patch: false, etag: true }, managers: 2, warnings: ['warning: server-schema-unknown: x'] });
  assert.equal(c.message, 'Send 3 records to app.example.com (SCIM)?');
  assert.match(c.detail, /SCIM base URL: https:\/\/app\.example\.com\/scim\/v2\n/);
  assert.match(c.detail, /Records: 3 — the first 3 of 10 records from hr\.scimmap\.yaml/);
  assert.match(c.detail, /PUT of the whole user .*cleared\), with If-Match/);
  assert.match(c.detail, /Records: 3 — .*, one user at a time\n/);
  assert.match(c.detail, /Manager links: 2, set with the server's ids in a second pass\n/);
  const bulk = scimConfirmationText(r, { records: 3, what: 'all 3 records', mappingName: 'm', sourceLine: 's', signIn: 't', server: { patch: true, etag: false }, managers: 2, warnings: [], bulk: { maxOperations: 100 } }).detail;
  assert.match(bulk, /Records: 3 — all 3 records from m, over \/Bulk, up to 100 users per request\n/);
  assert.match(bulk, /Manager links: 2, set with the server's ids in the same Bulk request where the manager is known or created there, else in a second pass\n/);
  assert.match(c.detail, /Warning: warning: server-schema-unknown/);
  assert.match(c.detail, /personal data; they leave this machine for app\.example\.com/);
  const local = resolveScimProfile({ name: 'L', kind: 'scim', baseUrl: 'http://127.0.0.1:9/scim/v2' }, env);
  assert.doesNotMatch(scimConfirmationText(local, { records: 1, what: 'x', mappingName: 'm', sourceLine: 's', signIn: 't', server: { patch: true, etag: false }, managers: 0, warnings: [] }).detail, /leave this machine/);
});
