import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { clientCredentialsProvider, msalConfiguration, tokenProviderFromEnv, AuthError, staticTokenProvider } from '../../../src/targets/entra/upload';
import { startStandIn } from '../../../src/targets/entra/standin';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EndpointError, parseEndpoint, pollProvisioningResults, readSecretFile, signInOriginFor, uploadBatches } from '../../../src/targets/entra/upload';
import { batchesOf } from './helpers';
import { tempDir } from '../../tempDirs';

test('msal-node client credentials (secret) against the stand-in token endpoint, nothing else called', async () => {
  const s = await startStandIn({ clients: [{ clientId: 'app-1', clientSecret: 'S3cret-value-xyz' }] });
  try {
    const p = clientCredentialsProvider({ tenantId: 'contoso-tenant', clientId: 'app-1', clientSecret: 'S3cret-value-xyz', authorityHost: s.authorityHost });
    const t1 = await p.getToken();
    assert.match(t1, /^sti_/);
    assert.equal(await p.getToken(), t1, 'cached by msal');
    const t2 = await p.getToken(true);
    assert.notEqual(t2, t1, 'forceRefresh bypasses the cache');
    assert.deepEqual([...new Set(s.stats.requestLog)], ['POST /contoso-tenant/oauth2/v2.0/token']);
    assert.equal(s.stats.tokensIssued, 2);
  } finally {
    await s.close();
  }
});

test('wrong secret: sign-in fails with a redacted message', async () => {
  const s = await startStandIn({ clients: [{ clientId: 'app-1', clientSecret: 'right-secret-123' }] });
  try {
    const p = clientCredentialsProvider({ tenantId: 't1', clientId: 'app-1', clientSecret: 'Wrong-Secret-456', authorityHost: s.authorityHost });
    await assert.rejects(p.getToken(), (e: Error) => {
      assert.ok(e instanceof AuthError);
      assert.ok(!e.message.includes('Wrong-Secret-456'));
      return true;
    });
  } finally {
    await s.close();
  }
});

test('msal-node client credentials with a certificate (client assertion) against the stand-in', async () => {
  const s = await startStandIn();
  try {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const p = clientCredentialsProvider({
      tenantId: 't1',
      clientId: 'app-cert',
      certificate: { privateKey: pem, thumbprintSha256: 'ab'.repeat(32) },
      authorityHost: s.authorityHost,
    });
    assert.match(await p.getToken(), /^sti_/);
    assert.deepEqual([...new Set(s.stats.requestLog)], ['POST /t1/oauth2/v2.0/token']);
  } finally {
    await s.close();
  }
});

test('authority host allowlist and env configuration', () => {
  assert.throws(() => msalConfiguration({ tenantId: 't', clientId: 'c', clientSecret: 'x', authorityHost: 'https://evil.example.com' }), AuthError);
  assert.throws(() => msalConfiguration({ tenantId: 't', clientId: 'c', clientSecret: 'x', authorityHost: 'http://login.microsoftonline.com' }), AuthError);
  assert.throws(() => msalConfiguration({ tenantId: 't', clientId: 'c', clientSecret: 'x', authorityHost: 'http://127.0.0.1' }), /port/);
  const c = msalConfiguration({ tenantId: 't', clientId: 'c', clientSecret: 'x', authorityHost: 'https://login.microsoftonline.us' });
  assert.equal(c.auth.authority, 'https://login.microsoftonline.us/t');
  assert.throws(() => tokenProviderFromEnv({ SCIMMAP_TENANT_ID: 't' }), /SCIMMAP_CLIENT_ID/);
  assert.equal(tokenProviderFromEnv({ SCIMMAP_TOKEN: 'Bearer abcdef123456' }).description.includes('SCIMMAP_TOKEN'), true);
  assert.throws(() => staticTokenProvider('  '), AuthError);
});

test('engine: the sign-in host belongs with the endpoint; mixtures are refused before any request (both directions)', async () => {
  // A listener standing in for the attacker's: it must receive nothing.
  let hits = 0;
  const listener = createServer((req, res) => {
    hits++;
    res.writeHead(500);
    res.end();
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const port = (listener.address() as AddressInfo).port;
  try {
    const graph = parseEndpoint('https://graph.microsoft.com/v1.0/servicePrincipals/2b6b4c3e-1e0a-4f8e-9d55-0a4c1b8f7a21/synchronization/jobs/API2AAD.1f2e3d4c5b6a79881f2e3d4c5b6a7988.0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/bulkUpload');
    const loop = parseEndpoint(`http://127.0.0.1:${port}/v1.0/servicePrincipals/sp/synchronization/jobs/j/bulkUpload`);
    assert.equal(signInOriginFor(graph), 'https://login.microsoftonline.com');
    assert.equal(signInOriginFor(loop), `http://127.0.0.1:${port}`);
    // Graph endpoint + loopback sign-in host: the client secret would go to the local listener.
    assert.throws(() => clientCredentialsProvider({ tenantId: 't', clientId: 'c', clientSecret: 'Secret-for-Graph-1', authorityHost: `http://127.0.0.1:${port}`, endpoint: graph }), /public cloud/);
    assert.throws(() => tokenProviderFromEnv({ SCIMMAP_TENANT_ID: 't', SCIMMAP_CLIENT_ID: 'c', SCIMMAP_CLIENT_SECRET: 'Secret-for-Graph-1', SCIMMAP_AUTHORITY_HOST: `http://127.0.0.1:${port}` }, { endpoint: graph }), AuthError);
    // Mirror: loopback endpoint + the real Microsoft sign-in host: a real Graph token would travel over plain http.
    assert.throws(() => clientCredentialsProvider({ tenantId: 't', clientId: 'c', clientSecret: 'Secret-for-Graph-1', authorityHost: 'https://login.microsoftonline.com', endpoint: loop }), /loopback/);
    assert.throws(() => tokenProviderFromEnv({ SCIMMAP_TENANT_ID: 't', SCIMMAP_CLIENT_ID: 'c', SCIMMAP_CLIENT_SECRET: 'Secret-for-Graph-1', SCIMMAP_AUTHORITY_HOST: 'https://login.microsoftonline.com' }, { endpoint: loop }), /loopback/);
    assert.throws(() => signInOriginFor(loop, 'https://login.microsoftonline.com'), EndpointError);
    // Without SCIMMAP_AUTHORITY_HOST the loopback endpoint signs in at its own origin.
    assert.equal(tokenProviderFromEnv({ SCIMMAP_TENANT_ID: 't', SCIMMAP_CLIENT_ID: 'c', SCIMMAP_CLIENT_SECRET: 'Secret-for-Graph-1' }, { endpoint: loop }).signInOrigin, `http://127.0.0.1:${port}`);
    // A provider built without the endpoint still cannot be used with a mismatched one: the upload engine refuses it.
    let asked = 0;
    const wrong = { description: 'test', signInOrigin: 'https://login.microsoftonline.com', getToken: async () => (asked++, 'tok-never-used-123') };
    await assert.rejects(uploadBatches(batchesOf(1), { endpoint: loop, tokens: wrong }), /loopback endpoint signs in only on loopback/);
    await assert.rejects(pollProvisioningResults({ endpoint: loop, tokens: wrong, externalIds: ['x'], deadlineMs: 0 }), /loopback/);
    const local = { description: 'test', signInOrigin: `http://127.0.0.1:${port}`, getToken: async () => (asked++, 'tok-never-used-123') };
    await assert.rejects(uploadBatches(batchesOf(1), { endpoint: graph, tokens: local }), /public cloud/);
    assert.equal(asked, 0, 'no token was asked for');
    assert.equal(hits, 0, 'the listener received nothing');
  } finally {
    listener.close();
  }
});

test('SCIMMAP_CLIENT_SECRET_FILE: a secret from a regular file (first line), never from a FIFO or a big file', async () => {
  const dir = tempDir('scimmap-secretfile-');
  try {
    writeFileSync(join(dir, 's'), '  File-Secret-Value-1  \nsecond line\n');
    assert.equal(readSecretFile(join(dir, 's')), 'File-Secret-Value-1');
    const p = tokenProviderFromEnv({ SCIMMAP_TENANT_ID: 't', SCIMMAP_CLIENT_ID: 'c', SCIMMAP_CLIENT_SECRET_FILE: join(dir, 's') });
    assert.match(p.description, /client secret sign-in/);
    writeFileSync(join(dir, 'empty'), '\n');
    assert.throws(() => readSecretFile(join(dir, 'empty')), /empty/);
    writeFileSync(join(dir, 'big'), 'x'.repeat(70 * 1024));
    assert.throws(() => readSecretFile(join(dir, 'big')), /64 KiB/);
    assert.throws(() => readSecretFile(dir), /not a regular file/);
    assert.throws(() => readSecretFile(join(dir, 'missing')), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
