import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { clientCredentialsProvider, msalConfiguration, tokenProviderFromEnv, AuthError, staticTokenProvider } from '../../../src/targets/entra/upload';
import { startStandIn } from '../../../src/targets/entra/standin';

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
