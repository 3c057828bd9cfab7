/**
 * OAuth 2.0 client credentials for SCIM targets, end to end: a real authorization server (oidc-provider, in-process
 * on loopback) issues JWT access tokens, and the real SCIM server (scimmy) accepts a request only with a token whose
 * signature, issuer, audience and expiry check out against the provider's JWKS. Through the CLI where a user would.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { checkTokenUrl, discover, parseScimEndpoint, ScimClient, scimTokenProvider, sendToScim } from '../../../src/targets/scim';
import { loadMappingFile, toBulkRequests, transformFile } from '../../../src/engine/pipeline';
import { encodedForms } from '../../../src/delivery/redact';
import { startScimmy, type ScimmyServer } from './scimmyServer';
import { BASIC_CLIENT, POST_CLIENT, RESOURCE, SCOPE, startOAuthServer, type OAuthServer } from './oauthServer';
import { tempDir } from '../../tempDirs';

const HR = join(process.cwd(), 'test/fixtures/scim-target/hr.scimmap.yaml');

let oauth: OAuthServer;
let scim: ScimmyServer;
/** What the SCIM app saw: each request's bearer and whether it was let in. Tests can add a rule on top. */
let seen: Array<{ authorization?: string; ok: boolean }> = [];
let extraRule: ((authorization: string | undefined) => boolean) | undefined;

before(async () => {
  oauth = await startOAuthServer();
  scim = await startScimmy({
    authorize: async (h) => {
      const ok = (await oauth.verify(h)) && (extraRule ? extraRule(h) : true);
      seen.push({ authorization: h, ok });
      return ok;
    },
  });
});
beforeEach(() => {
  scim.users.clear();
  scim.requests.length = 0;
  oauth.tokenRequests.length = 0;
  oauth.issued.length = 0;
  oauth.setTtl(300);
  seen = [];
  extraRule = undefined;
});
after(async () => {
  await scim.close();
  await oauth.close();
});

function io(env: NodeJS.ProcessEnv): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: new PassThrough().on('data', (d) => (out += d)),
    stderr: new PassThrough().on('data', (d) => (err += d)),
    env: { XDG_STATE_HOME: tempDir('scimmap-oauth-'), XDG_CONFIG_HOME: tempDir('scimmap-oauth-'), SCIMMAP_SCIM_HOSTS: '', ...env },
    cwd: tempDir('scimmap-oauth-'),
    out: () => out,
    err: () => err,
  };
}

const basicEnv = (): NodeJS.ProcessEnv => ({
  SCIMMAP_SCIM_TOKEN_URL: oauth.tokenUrl,
  SCIMMAP_SCIM_CLIENT_ID: BASIC_CLIENT.id,
  SCIMMAP_SCIM_CLIENT_SECRET: BASIC_CLIENT.secret,
  SCIMMAP_SCIM_SCOPE: SCOPE,
});

interface Summary { records: Array<{ externalId?: string; status: string; errorCode?: string }>; stopped?: { reason: string }; journalPath?: string }

async function upload(env: NodeJS.ProcessEnv, extra: string[] = []): Promise<{ code: number; json: Summary; out: string; err: string }> {
  const x = io(env);
  const code = await runCli(['upload', HR, '--endpoint', scim.base, '--format', 'json', ...extra], x);
  let json: Summary = { records: [] };
  try {
    json = JSON.parse(x.out()) as Summary;
  } catch {
    /* a usage error prints no JSON */
  }
  return { code, json, out: x.out(), err: x.err() };
}

/** The fixture's one expected failure: E140's manager E999 is nobody. Everything else must have gone through. */
function assertAllButTheMissingManager(json: Summary): void {
  const failed = json.records.filter((r) => r.status !== 'accepted');
  assert.deepEqual(failed.map((r) => [r.externalId, r.errorCode]), [['E140', 'ManagerNotFound']], JSON.stringify(failed));
  assert.equal(scim.users.size, 10);
}

/** Nothing secret in these texts: the client secrets (also as the Basic header carries them) and every issued token. */
function assertNoSecrets(texts: string[]): void {
  const basic = Buffer.from(`${BASIC_CLIENT.id}:${BASIC_CLIENT.secret}`).toString('base64');
  const needles = [BASIC_CLIENT.secret, POST_CLIENT.secret, ...encodedForms(BASIC_CLIENT.secret), basic, ...oauth.issued];
  for (const t of texts) for (const n of needles) assert.ok(!t.includes(n), `a secret or token leaked: …${n.slice(0, 6)}…`);
}

test('upload with client credentials (HTTP Basic): one token from the provider, verified by the SCIM app on every request', async () => {
  const r = await upload(basicEnv());
  assert.equal(r.code, 1, r.err);
  assertAllButTheMissingManager(r.json);
  assert.deepEqual(oauth.tokenRequests, [{ status: 200, clientAuth: 'basic' }], 'one token for the whole run');
  assert.ok(seen.length > 10 && seen.every((s) => s.ok && s.authorization === `Bearer ${oauth.issued[0]}`));
  assert.match(r.err, new RegExp(`with OAuth client credentials \\(client ${BASIC_CLIENT.id}, token URL on 127\\.0\\.0\\.1:\\d+, not the SCIM host\\)`));
  assertNoSecrets([r.out, r.err, readFileSync(r.json.journalPath!, 'utf8')]);
});

test('client_secret_post (SCIMMAP_SCIM_CLIENT_AUTH) with the secret in a file; `server pull` signs in the same way', async () => {
  const dir = tempDir('scimmap-oauth-');
  const secretFile = join(dir, 'secret');
  writeFileSync(secretFile, `${POST_CLIENT.secret}\n`, { mode: 0o600 });
  const env = { SCIMMAP_SCIM_TOKEN_URL: oauth.tokenUrl, SCIMMAP_SCIM_CLIENT_ID: POST_CLIENT.id, SCIMMAP_SCIM_CLIENT_SECRET_FILE: secretFile, SCIMMAP_SCIM_CLIENT_AUTH: 'client_secret_post', SCIMMAP_SCIM_RESOURCE: RESOURCE };
  const r = await upload(env, ['--limit', '3']);
  assert.equal(r.code, 0, r.err);
  assert.equal(scim.users.size, 3);
  assert.deepEqual(oauth.tokenRequests, [{ status: 200, clientAuth: 'post' }]);
  const x = io(env);
  const out = join(dir, 'server.json');
  assert.equal(await runCli(['server', 'pull', HR, '--endpoint', scim.base, '--out', out], x), 0, x.err());
  assert.ok(JSON.parse(readFileSync(out, 'utf8')).users);
  assertNoSecrets([r.out, r.err, x.out(), x.err(), readFileSync(out, 'utf8')]);
});

test('a wrong secret: a clear error naming the OAuth error, nothing sent to the SCIM app, the secret nowhere', async () => {
  const wrong = `wrong-${BASIC_CLIENT.secret}`;
  const r = await upload({ ...basicEnv(), SCIMMAP_SCIM_CLIENT_SECRET: wrong });
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /sign-in failed: the token endpoint http:\/\/127\.0\.0\.1:\d+ refused the token request \(HTTP 401, invalid_client: client authentication failed\) \(check the client id and secret.*; nothing was sent/);
  assert.equal(scim.requests.length, 0, 'no request reached the SCIM app');
  assert.deepEqual(oauth.tokenRequests, [{ status: 401, clientAuth: 'basic' }], 'a refused secret is not tried again');
  assert.ok(!r.err.includes(wrong) && !r.out.includes(wrong));
  assertNoSecrets([r.err]);
});

test('short-lived tokens are renewed before they expire, during the run', async () => {
  // An 8-second token is renewed 2 s early: at least a second before the app would refuse it, ample even on a
  // loaded machine. 10 users and their manager links at 2 operations a second take longer than one token lives
  // (one user per request: over /Bulk, which scimmy supports, the whole run is two requests).
  oauth.setTtl(8);
  const r = await upload(basicEnv(), ['--rate', '2', '--concurrency', '1', '--no-bulk']);
  assert.equal(r.code, 1, r.err);
  assertAllButTheMissingManager(r.json);
  assert.ok(oauth.tokenRequests.length >= 2, `renewed: ${oauth.tokenRequests.length} token request(s)`);
  assert.ok(oauth.tokenRequests.every((t) => t.status === 200));
  const used = new Set(seen.filter((s) => s.ok).map((s) => s.authorization));
  assert.ok(used.size >= 2, 'later requests carried a later token');
  assert.deepEqual(seen.filter((s) => !s.ok), [], 'renewed before it expired, not after a 401');
  // The provider's tokens really expire: the first one is refused by the SCIM app's check by now (bounded wait).
  for (let i = 0; i < 50 && (await oauth.verify(`Bearer ${oauth.issued[0]}`)); i++) await new Promise((res) => setTimeout(res, 200));
  assert.equal(await oauth.verify(`Bearer ${oauth.issued[0]}`), false);
  assertNoSecrets([r.out, r.err, readFileSync(r.json.journalPath!, 'utf8')]);
});

test('a 401 from the SCIM app (the token revoked there) gets one new token, and the run goes on', async () => {
  // The app stops accepting the first token once discovery is done.
  extraRule = (h) => h !== `Bearer ${oauth.issued[0]}` || !scim.requests.some((q) => q.path.includes('/Users'));
  const r = await upload(basicEnv());
  assert.equal(r.code, 1, r.err);
  assertAllButTheMissingManager(r.json);
  assert.equal(oauth.tokenRequests.length, 2, 'exactly one renewal');
  assert.ok(seen.some((s) => !s.ok), 'the app did answer 401');
  assert.ok(seen.filter((s) => s.authorization === `Bearer ${oauth.issued[1]}`).every((s) => s.ok));
});

test('when the new token is refused too, the run stops after that one renewal', async () => {
  extraRule = () => !scim.requests.some((q) => q.path.includes('/Users'));
  const r = await upload(basicEnv());
  assert.equal(r.code, 1);
  assert.equal(r.json.stopped?.reason, 'unauthorized');
  assert.equal(oauth.tokenRequests.length, 2, 'one renewal, no loop');
  assert.equal(scim.users.size, 0);
});

test('the token URL must be on the SCIM host allowlist: the secret goes only where the user said', async () => {
  const r = await upload({ ...basicEnv(), SCIMMAP_SCIM_TOKEN_URL: 'https://idp.example.test/oauth2/token' });
  assert.equal(r.code, 2);
  assert.match(r.err, /refused: the token URL's host 'idp\.example\.test' is not on your SCIM host allowlist; the client secret is only sent to hosts you listed/);
  assert.equal(scim.requests.length + oauth.tokenRequests.length, 0);
  assertNoSecrets([r.err]);

  // Allowlisted (another host than the SCIM app's), the token request goes there, with the secret in Basic.
  const posted: Array<{ url: string; auth?: string; redirect?: string }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    posted.push({ url, auth: (init.headers as Record<string, string>).authorization, redirect: init.redirect });
    return new Response(JSON.stringify({ access_token: 'idp-token-0123456789', token_type: 'Bearer', expires_in: 600 }), { status: 200 });
  }) as typeof fetch;
  const endpoint = parseScimEndpoint('https://scim.example.test/scim/v2', { SCIMMAP_SCIM_HOSTS: 'scim.example.test' });
  const auth = { kind: 'clientCredentials' as const, tokenUrl: 'https://idp.example.test/oauth2/token', clientId: 'c1', clientSecret: 'idp-secret-xyz' };
  assert.throws(() => scimTokenProvider(auth, endpoint, { env: { SCIMMAP_SCIM_HOSTS: 'scim.example.test' } }), /'idp\.example\.test' is not on your SCIM host allowlist/, 'the SCIM host being allowed does not allow the IdP');
  const tokens = scimTokenProvider(auth, endpoint, { env: { SCIMMAP_SCIM_HOSTS: 'scim.example.test, idp.example.test' }, fetchImpl });
  assert.equal(await tokens.getToken(), 'idp-token-0123456789');
  assert.deepEqual(posted, [{ url: 'https://idp.example.test/oauth2/token', auth: `Basic ${Buffer.from('c1:idp-secret-xyz').toString('base64')}`, redirect: 'manual' }]);
  assert.equal(tokens.signInOrigin, 'https://idp.example.test');
});

test('token URL shapes that are refused', () => {
  const env = { SCIMMAP_SCIM_HOSTS: 'idp.example.test' };
  assert.throws(() => checkTokenUrl('http://idp.example.test/token', env), /must be https/);
  assert.throws(() => checkTokenUrl('http://127.0.0.1/token', env), /must name its port explicitly/);
  assert.throws(() => checkTokenUrl('https://u:p@idp.example.test/token', env), /must not carry a user name or password/);
  assert.throws(() => checkTokenUrl('https://idp.example.test/token#x', env), /no fragment/);
  assert.throws(() => checkTokenUrl('file:///etc/passwd', env), /must be https/);
  assert.throws(() => checkTokenUrl('not a url', env), /not a URL/);
  assert.equal(checkTokenUrl('https://IDP.example.test/t?p=b2c_1', env).host, 'idp.example.test');
});

test('environment: both kinds of credentials, incomplete or contradictory settings are usage errors', async () => {
  const run = async (env: NodeJS.ProcessEnv): Promise<string> => {
    const x = io(env);
    assert.equal(await runCli(['upload', HR, '--endpoint', scim.base], x), 2);
    return x.err();
  };
  assert.match(await run({ ...basicEnv(), SCIMMAP_TOKEN: 'bearer-abcdef123' }), /both SCIMMAP_TOKEN \(a bearer token\) and OAuth client credentials \(SCIMMAP_SCIM_TOKEN_URL, SCIMMAP_SCIM_CLIENT_ID, SCIMMAP_SCIM_CLIENT_SECRET\) are set; unset the one you do not mean to use \(scimmap does not guess which one wins\)/);
  assert.match(await run({ SCIMMAP_SCIM_CLIENT_ID: 'x' }), /incomplete OAuth client credentials: set SCIMMAP_SCIM_TOKEN_URL, SCIMMAP_SCIM_CLIENT_SECRET \(or SCIMMAP_SCIM_CLIENT_SECRET_FILE\)/);
  assert.match(await run({ ...basicEnv(), SCIMMAP_SCIM_CLIENT_SECRET_FILE: '/nonexistent' }), /SCIMMAP_SCIM_CLIENT_SECRET or SCIMMAP_SCIM_CLIENT_SECRET_FILE, not both/);
  assert.match(await run({ ...basicEnv(), SCIMMAP_SCIM_CLIENT_AUTH: 'private_key_jwt' }), /SCIMMAP_SCIM_CLIENT_AUTH must be client_secret_basic or client_secret_post/);
  assert.match(await run({ ...basicEnv(), SCIMMAP_SCIM_SCOPE: 'a  b' }), /the scope has an empty entry/);
  assert.match(await run({}), /no credentials: set SCIMMAP_TOKEN .* or SCIMMAP_SCIM_TOKEN_URL, SCIMMAP_SCIM_CLIENT_ID and SCIMMAP_SCIM_CLIENT_SECRET/);
  assert.equal(scim.requests.length + oauth.tokenRequests.length, 0, 'nothing was sent anywhere');
});

test('the engine API: sendToScim with scimTokenProvider, renewal through getToken(true)', async () => {
  const endpoint = parseScimEndpoint(scim.base, {});
  const tokens = scimTokenProvider({ kind: 'clientCredentials', tokenUrl: oauth.tokenUrl, clientId: BASIC_CLIENT.id, clientSecret: BASIC_CLIENT.secret, scope: SCOPE }, endpoint, { env: {} });
  const client = new ScimClient(endpoint);
  const first = await tokens.getToken();
  assert.equal(await tokens.getToken(), first, 'cached');
  const server = await discover(client, first);
  const { mapping } = await loadMappingFile(HR);
  const s = await sendToScim(toBulkRequests(transformFile(mapping, { limit: 2 }), 50, undefined, undefined), { client, server, tokens });
  assert.equal(s.totals.failed, 0, JSON.stringify(s.records));
  const renewed = await tokens.getToken(true);
  assert.notEqual(renewed, first);
  assert.equal(await oauth.verify(`Bearer ${renewed}`), true);
  assert.equal(oauth.tokenRequests.length, 2);
});

test('the built CLI (bin/scimmap.js) in its own process: client credentials from the environment, nothing secret printed', async () => {
  const home = tempDir('scimmap-oauth-');
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config'), SCIMMAP_SCIM_HOSTS: '', ...basicEnv() };
  const cli = join(process.cwd(), 'bin/scimmap.js');
  const r = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(process.execPath, [cli, 'upload', HR, '--endpoint', scim.base, '--limit', '3', '--format', 'json'], { env, timeout: 120_000 }, (e, out, err) => {
      resolve({ code: e ? Number((e as { code?: number }).code ?? 99) : 0, out, err });
    });
  });
  assert.equal(r.code, 0, r.err);
  assert.equal(scim.users.size, 3);
  assert.deepEqual(oauth.tokenRequests, [{ status: 200, clientAuth: 'basic' }]);
  assert.ok(seen.every((x) => x.ok));
  const json = JSON.parse(r.out) as Summary;
  assertNoSecrets([r.out, r.err, readFileSync(json.journalPath!, 'utf8')]);
});
