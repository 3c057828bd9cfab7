/** The shared OAuth token request (src/delivery/oauth.ts): form and client authentication, answers, cache, transport. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchTokenTransport, OAuthError, parseTokenResponse, requestToken, retryingTokenTransport, TokenCache, tokenRequest, type IssuedToken, type TokenHttpResponse } from '../../../src/delivery/oauth';
import { redact } from '../../../src/delivery/redact';

const URL_ = 'https://idp.example/oauth2/token?p=policy';

test('client_secret_basic: id and secret form-encoded, then base64 in the Authorization header; nothing secret in the form', () => {
  const r = tokenRequest({ tokenUrl: URL_, clientId: 'app id', clientSecret: 'se:cr+et/ü', scope: 'a b' });
  const decoded = Buffer.from(r.headers.authorization!.replace(/^Basic /, ''), 'base64').toString('utf8');
  assert.equal(decoded, 'app+id:se%3Acr%2Bet%2F%C3%BC', 'RFC 6749 §2.3.1: application/x-www-form-urlencoded before base64');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(r.body)), { grant_type: 'client_credentials', scope: 'a b' });
  assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded');
});

test('client_secret_post: the credentials in the form, no Authorization header; refresh grant and resource', () => {
  const r = tokenRequest({ tokenUrl: URL_, clientId: 'cid', clientSecret: 'sec', clientAuth: 'client_secret_post', refreshToken: 'rt', resource: 'urn:x' });
  assert.equal(r.headers.authorization, undefined);
  assert.deepEqual(Object.fromEntries(new URLSearchParams(r.body)), { grant_type: 'refresh_token', refresh_token: 'rt', resource: 'urn:x', client_id: 'cid', client_secret: 'sec' });
});

const cfg = { tokenUrl: URL_ };

test('token answer: access_token, Bearer (any case), expires_in as number or digit string', () => {
  assert.deepEqual(parseTokenResponse({ status: 200, text: '{"access_token":"tok-123456","token_type":"bearer","expires_in":120}' }, cfg), { accessToken: 'tok-123456', expiresIn: 120, scope: undefined });
  assert.equal(parseTokenResponse({ status: 200, text: '{"access_token":"tok-123456","token_type":"Bearer","expires_in":"90"}' }, cfg).expiresIn, 90);
  assert.equal(parseTokenResponse({ status: 200, text: '{"access_token":"tok-123456","token_type":"Bearer","expires_in":-5}' }, cfg).expiresIn, undefined);
  assert.equal(redact('x tok-123456 y'), 'x [REDACTED] y', 'each issued token is registered with the redactor');
});

test('token answer: a type other than Bearer, or none where it is required, is refused', () => {
  assert.throws(() => parseTokenResponse({ status: 200, text: '{"access_token":"t-abcdef","token_type":"DPoP"}' }, cfg), /issued a token of type DPoP; only Bearer tokens can be used/);
  assert.throws(() => parseTokenResponse({ status: 200, text: '{"access_token":"t-abcdef"}' }, cfg), /issued a token of type \(none\)/);
  assert.equal(parseTokenResponse({ status: 200, text: '{"access_token":"t-abcdef"}' }, { ...cfg, tokenTypeOptional: true }).accessToken, 't-abcdef');
  assert.throws(() => parseTokenResponse({ status: 200, text: '{"access_token":"t-abcdef","token_type":"mac"}' }, { ...cfg, tokenTypeOptional: true }), /type mac/);
});

test('token answer: not JSON, no access_token', () => {
  assert.throws(() => parseTokenResponse({ status: 200, text: '<html>' }, cfg), /the token endpoint https:\/\/idp\.example did not answer a JSON object/);
  assert.throws(() => parseTokenResponse({ status: 200, text: '{"token_type":"Bearer"}' }, cfg), /answered without an access_token/);
  assert.throws(() => parseTokenResponse({ status: 200, text: '{"access_token":"abc def\\r\\nX-Evil: 1","token_type":"Bearer"}' }, cfg), /characters an Authorization header cannot carry/);
});

test('RFC 6749 §5.2 errors become one clear line: code, description (printable, cut, secrets removed), a hint', () => {
  const e = (text: string, status = 400): OAuthError => {
    try {
      parseTokenResponse({ status, text }, cfg);
    } catch (x) {
      return x as OAuthError;
    }
    throw new Error('no error');
  };
  const a = e('{"error":"invalid_client","error_description":"client authentication failed"}', 401);
  assert.equal(a.code, 'invalid_client');
  assert.equal(a.status, 401);
  assert.match(a.message, /^the token endpoint https:\/\/idp\.example refused the token request \(HTTP 401, invalid_client: client authentication failed\) \(check the client id and secret/);
  assert.doesNotMatch(a.message, /policy/, 'only the origin of the token URL is named');
  assert.match(e('{"error":"invalid_scope"}').message, /\(HTTP 400, invalid_scope\) \(check the scope\)/);
  assert.match(e('Service Unavailable', 503).message, /\(HTTP 503, no OAuth error in the answer\)$/);
  const hostile = e(`{"error":"invalid_request\\u001b[31m","error_description":"bad secret s3cr3t-value-xyz ${'x'.repeat(1000)}"}`);
  assert.doesNotMatch(hostile.message, /\u001b/);
  assert.ok(hostile.message.length < 500, 'the description is cut');
  // A server echoing the secret it was sent: registered by requestToken, so removed.
  return requestToken({ tokenUrl: URL_, clientId: 'c', clientSecret: 'echoed-secret-42' }, async () => ({ status: 400, text: '{"error":"invalid_client","error_description":"secret echoed-secret-42 is wrong"}' })).then(
    () => assert.fail('should reject'),
    (x: Error) => {
      assert.match(x.message, /secret \[REDACTED\] is wrong/);
      assert.doesNotMatch(x.message, /echoed-secret-42/);
    },
  );
});

test('TokenCache: kept until shortly before expiry (a minute, or a quarter of a short lifetime), then renewed', async () => {
  let now = 1_000_000;
  const lifetimes = [3600, 8];
  let n = 0;
  const cache = new TokenCache(async (): Promise<IssuedToken> => ({ accessToken: `t${++n}`, expiresIn: lifetimes[n - 1] }), () => now);
  assert.equal(await cache.get(), 't1');
  now += 3539_000;
  assert.equal(await cache.get(), 't1', 'still valid for more than a minute');
  now += 2_000;
  assert.equal(await cache.get(), 't2', 'renewed in its last minute');
  now += 5_900;
  assert.equal(await cache.get(), 't2');
  now += 200;
  assert.equal(await cache.get(), 't3', 'an 8 s token is renewed 2 s early');
  assert.equal(await cache.get(true), 't4', 'forceRefresh (after a 401) always asks again');
});

test('TokenCache: concurrent callers share one request; a failure is not cached', async () => {
  let calls = 0;
  let fail = true;
  const cache = new TokenCache(async () => {
    calls++;
    await new Promise((r) => setImmediate(r));
    if (fail) throw new OAuthError('down');
    return { accessToken: `t${calls}` };
  });
  await assert.rejects(Promise.all([cache.get(), cache.get(), cache.get(true)]), /down/);
  assert.equal(calls, 1);
  fail = false;
  assert.deepEqual(await Promise.all([cache.get(), cache.get(true), cache.get()]), ['t2', 't2', 't2']);
  assert.equal(calls, 2);
  assert.equal(cache.invalidate(), true);
  assert.equal(cache.invalidate(), false);
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close(): Promise<void> }> {
  const s: Server = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/token`,
    close: () => new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    }),
  };
}

test('fetchTokenTransport: a redirect is not followed (the secret would go along)', async () => {
  let hits = 0;
  const other = await serve((_q, s) => {
    hits++;
    s.end('{}');
  });
  const srv = await serve((_q, s) => {
    s.writeHead(307, { location: other.url }).end();
  });
  try {
    await assert.rejects(requestToken({ tokenUrl: srv.url, clientId: 'c', clientSecret: 'redirect-secret' }, fetchTokenTransport()), /refused: the token endpoint http:\/\/127\.0\.0\.1:\d+ answered with a redirect \(HTTP 307\); redirects are not followed/);
    assert.equal(hits, 0);
  } finally {
    await srv.close();
    await other.close();
  }
});

test('fetchTokenTransport: the answer is bounded in size and time', async () => {
  const big = await serve((_q, s) => {
    s.writeHead(200, { 'content-type': 'application/json' });
    s.end('x'.repeat(300_000));
  });
  const silent = await serve(() => undefined);
  try {
    await assert.rejects(fetchTokenTransport({ maxBytes: 100_000 })(big.url, { headers: {}, body: '' }), /answered more than 100000 bytes; refused/);
    await assert.rejects(fetchTokenTransport({ timeoutMs: 300 })(silent.url, { headers: {}, body: '' }), /could not reach the token endpoint http:\/\/127\.0\.0\.1:\d+: no answer within 300 ms/);
  } finally {
    await big.close();
    await silent.close();
  }
});

test('retryingTokenTransport: no answer, 429 and 5xx are tried again (Retry-After honoured), 4xx answers are final', async () => {
  const script = (answers: Array<TokenHttpResponse | Error>) => {
    let calls = 0;
    const t = retryingTokenTransport(async () => {
      const a = answers[Math.min(calls++, answers.length - 1)]!;
      if (a instanceof Error) throw a;
      return a;
    }, { baseDelayMs: 1, maxDelayMs: 5 });
    return { t, calls: () => calls };
  };
  const ok = { status: 200, text: '{"access_token":"retry-tok-1","token_type":"Bearer"}' };
  const a = script([new OAuthError('could not reach'), { status: 503, text: '', retryAfter: '0' }, ok]);
  assert.equal((await a.t('u', { headers: {}, body: '' })).status, 200);
  assert.equal(a.calls(), 3);
  const b = script([{ status: 401, text: '{"error":"invalid_client"}' }, ok]);
  assert.equal((await b.t('u', { headers: {}, body: '' })).status, 401, 'a wrong secret is not tried again');
  assert.equal(b.calls(), 1);
  const c = script([{ status: 502, text: '' }]);
  assert.equal((await c.t('u', { headers: {}, body: '' })).status, 502, 'the last answer after the retries');
  assert.equal(c.calls(), 3, 'bounded: one try and two retries');
  const d = script([new OAuthError('refused: a redirect', undefined, 302), ok]);
  await assert.rejects(d.t('u', { headers: {}, body: '' }), /redirect/);
  assert.equal(d.calls(), 1);
});
