import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { clientCredentialsProvider, encodedForms, fileIdentity, hashText, Journal, parseEndpoint, redact, registerSecret, staticTokenProvider, uploadBatches } from '../../../src/targets/entra/upload';
import { startStandIn } from '../../../src/targets/entra/standin';
import { runCli } from '../../../src/cli/main';
import { batchesOf, bulk, FAST, user } from './helpers';
import { tempDir } from '../../tempDirs';

const SECRET = 'K9~Known.Client-Secret_Value';

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function assertClean(haystack: string, needles: string[], where: string): void {
  for (const n of needles) assert.ok(!haystack.includes(n), `${where} contains a secret or token (${n.slice(0, 4)}…)`);
}

test('an upload with faults and token refresh writes no secret or token to progress, summary, errors or journal', async () => {
  const standIn = await startStandIn({ clients: [{ clientId: 'app', clientSecret: SECRET }], faults: { seed: 3, serverErrorRate: 0.2, dropRate: 0.1, tokenExpiryAfterCalls: 40 }, rateLimit: { maxCalls: 1000, windowMs: 1000 } });
  const dir = tempDir('scimmap-secrets-');
  try {
    const endpoint = parseEndpoint(standIn.endpointUrl());
    const tokens = clientCredentialsProvider({ tenantId: 't', clientId: 'app', clientSecret: SECRET, authorityHost: standIn.authorityHost });
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'x');
    const journal = Journal.create(join(dir, 'run.jsonl'), { endpoint: endpoint.url, mappingHash: hashText('m'), input: await fileIdentity(input) }, randomBytes(32));
    const events: string[] = [];
    const batches = [...batchesOf(500), bulk([{ ...user(999), externalId: '' }])];
    const s = await uploadBatches(batches, { endpoint, tokens, journal, ...FAST, concurrency: 2, onProgress: (e) => events.push(JSON.stringify(e)) });
    assert.ok(s.totals.accepted >= 500);
    assert.ok(standIn.stats.tokensIssued >= 2, 'tokens were refreshed during the run');
    const needles = [SECRET, ...standIn.issuedTokens()];
    assertClean(events.join('\n'), needles, 'progress');
    assertClean(JSON.stringify(s), needles, 'summary');
    assertClean(readFileSync(journal.path, 'utf8'), needles, 'journal');
    // A wrong secret: the sign-in error names no secret either.
    const wrong = clientCredentialsProvider({ tenantId: 't', clientId: 'app', clientSecret: `${SECRET}-wrong`, authorityHost: standIn.authorityHost });
    const failed = await uploadBatches(batchesOf(50), { endpoint, tokens: wrong, ...FAST });
    assert.equal(failed.stopped?.reason, 'unauthorized');
    assertClean(JSON.stringify(failed), [SECRET], 'sign-in failure');
  } finally {
    await standIn.close();
  }
});

test('a server that echoes credentials into its error body: the echo is redacted', async () => {
  const token = 'tok_Echoed-Token-4242';
  const echo = createServer((req, res) => {
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'BadRequest', message: `bad request; you sent ${req.headers.authorization} and client_secret=${SECRET}` } }));
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  try {
    const endpoint = parseEndpoint(`http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1.0/servicePrincipals/sp/synchronization/jobs/j/bulkUpload`);
    staticTokenProvider(SECRET); // registers it as a secret, like tokenProviderFromEnv does for SCIMMAP_CLIENT_SECRET
    const s = await uploadBatches(batchesOf(50), { endpoint, tokens: staticTokenProvider(token), ...FAST });
    assert.equal(s.batches[0]!.httpStatus, 400);
    assert.match(s.batches[0]!.errorMessage!, /REDACTED/);
    assertClean(JSON.stringify(s), [token, SECRET], 'summary');
  } finally {
    echo.close();
  }
});

test('redact() scrubs bearer headers, JWTs, PEM keys and credential fields', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl';
  const out = redact(`Authorization: Bearer abc.def-ghi ${jwt} -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- client_secret=hunter22&x=1 "accessToken":"zzz999"`);
  assert.ok(!/abc\.def-ghi|eyJhbGci|MIIE|hunter22|zzz999/.test(out), out);
});

test('redact() removes URL-encoded and base64 / base64url echoes of a registered secret, also inside longer encodings', () => {
  const secret = 'Zq8~a/b+c=d&e f%g?h_Registered';
  registerSecret(secret);
  const echoes = [
    encodeURIComponent(secret),
    new URLSearchParams({ client_secret: secret }).toString(),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    // Basic auth: base64("client:secret"): the secret sits at an offset inside the encoded string.
    `Basic ${Buffer.from(`app:${secret}`).toString('base64')}`,
    Buffer.from(`xy${secret}!`).toString('base64url'),
  ];
  const secretBytes = Buffer.from(secret);
  for (const echo of echoes) {
    const out = redact(`the server said: ${echo} (end)`);
    assert.match(out, /REDACTED/, echo);
    // Whatever is left of an encoding must not decode back to a usable part of the secret.
    assert.ok(!out.includes(secret) && !out.includes(encodeURIComponent(secret)), out);
    for (const word of out.split(' ')) {
      assert.ok(!Buffer.from(word, 'base64').includes(secretBytes) && !Buffer.from(word, 'base64url').includes(secretBytes), out);
      assert.ok(!decodeURIComponentSafe(word.replace(/\+/g, ' ')).includes(secret), out);
    }
  }
  // Every form is at least 6 characters, so short unrelated text is never hit.
  for (const f of encodedForms(secret)) assert.ok(f.length >= 6);
  assert.equal(redact('nothing to hide here'), 'nothing to hide here');
});

test('CLI: upload with a known secret against the stand-in; stdout, stderr and journal are free of it and of tokens', async () => {
  const mapping = join(process.cwd(), 'samples/custom-hr/custom-hr.scimmap.yaml');
  let exists = true;
  try {
    readFileSync(mapping);
  } catch {
    exists = false;
  }
  if (!exists) return;
  const standIn = await startStandIn({ verifiedDomains: ['tailspintoys.com'], faults: { seed: 5, serverErrorRate: 0.3, tokenExpiryAfterCalls: 3 } });
  const dir = tempDir('scimmap-cli-secrets-');
  try {
    let out = '';
    let err = '';
    const stdout = new PassThrough().on('data', (d) => (out += d));
    const stderr = new PassThrough().on('data', (d) => (err += d));
    const env = { SCIMMAP_TENANT_ID: 'tenant', SCIMMAP_CLIENT_ID: 'app', SCIMMAP_CLIENT_SECRET: SECRET, XDG_STATE_HOME: join(dir, 'state') };
    const code = await runCli(['upload', mapping, '--endpoint', standIn.endpointUrl(), '--wait', '--poll-interval', '1', '--format', 'json'], { stdout, stderr, env, cwd: dir });
    assert.ok(code === 0 || code === 1, err);
    assert.ok(standIn.stats.acceptedOperations > 0, err);
    // The journal goes to the per-user state directory, not into the working directory (a repository).
    assert.equal(existsSync(join(dir, '.scimmap')), false);
    const journalDir = join(dir, 'state', 'scimmap', 'uploads');
    if (process.platform !== 'win32') assert.equal(statSync(journalDir).mode & 0o777, 0o700);
    const journalText = readdirSync(journalDir).map((f) => readFileSync(join(journalDir, f), 'utf8')).join('\n');
    const needles = [SECRET, ...standIn.issuedTokens()];
    assertClean(out, needles, 'stdout');
    assertClean(err, needles, 'stderr');
    assertClean(journalText, needles, 'journal');
  } finally {
    await standIn.close();
  }
});

test('redact() keeps prose about bearer tokens and still scrubs unregistered bearer credentials', () => {
  assert.equal(redact('signed in with a bearer token (SCIMMAP_TOKEN)'), 'signed in with a bearer token (SCIMMAP_TOKEN)');
  assert.equal(redact('sent Bearer abcdefghijklmnopqrstuvwxyz'), 'sent Bearer [REDACTED]');
  assert.equal(redact('sent bearer s3cr3t'), 'sent bearer [REDACTED]');
});
