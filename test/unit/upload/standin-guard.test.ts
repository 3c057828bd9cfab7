// The stand-in refuses what a web page can send it (DNS rebinding: a foreign Host; fetch/XHR/forms: an Origin),
// and the instance started with registered clients accepts no other credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startStandIn } from '../../../src/targets/entra/standin';
import { foreignRequest } from '../../../src/targets/entra/standin/server';

/** A raw request with exactly these headers (fetch would not let us set Host). */
function raw(url: string, method: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const FORM = 'grant_type=client_credentials&client_id=standin-app&client_secret=made-up-secret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default';

test('a foreign Host or an Origin header gets 4xx before anything is read; loopback names with the port are served', async () => {
  const s = await startStandIn({ clients: [{ clientId: 'standin-app', clientSecret: 'Registered-Secret-1' }] });
  const port = new URL(s.url).port;
  try {
    const token = s.issueToken();
    const logs = `${s.url}/beta/auditLogs/provisioning`;
    const auth = { Authorization: `Bearer ${token}` };
    // The repro: Host attacker.example with made-up credentials, and with a valid token.
    const rebound = await raw(`${s.url}/t/oauth2/v2.0/token`, 'POST', { Host: `attacker.example:${port}`, 'Content-Type': 'application/x-www-form-urlencoded' }, FORM);
    assert.equal(rebound.status, 421);
    assert.doesNotMatch(rebound.text, /access_token/);
    assert.equal((await raw(logs, 'GET', { Host: `attacker.example:${port}`, ...auth })).status, 421);
    assert.equal((await raw(logs, 'GET', { Host: '127.0.0.1:1', ...auth })).status, 421, 'the right name with another port');
    assert.equal((await raw(logs, 'GET', { Host: '127.0.0.1', ...auth })).status, 421, 'no port');
    assert.equal((await raw(logs, 'GET', { ...auth })).status, 400, 'no Host at all');
    // A page on any origin (also a loopback one) is refused, preflight included.
    for (const origin of ['https://attacker.example', `http://127.0.0.1:${port}`, 'null']) {
      const r = await raw(logs, 'GET', { Host: `127.0.0.1:${port}`, Origin: origin, ...auth });
      assert.equal(r.status, 403, origin);
      assert.doesNotMatch(r.text, /value/);
    }
    assert.equal((await raw(logs, 'OPTIONS', { Host: `127.0.0.1:${port}`, Origin: 'https://attacker.example', 'Access-Control-Request-Method': 'POST' })).status, 403);
    assert.equal(s.stats.tokensIssued, 1, 'only the test issued a token');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      assert.equal((await raw(logs, 'GET', { Host: host, ...auth })).status, 200, host);
    }
    assert.ok(s.stats.refused >= 8);
  } finally {
    await s.close();
  }
});

test('registered clients: made-up credentials get no token; the registered secret does', async () => {
  const s = await startStandIn({ clients: [{ clientId: 'standin-app', clientSecret: 'Registered-Secret-1' }] });
  try {
    const post = (body: string) => fetch(`${s.url}/standin/oauth2/v2.0/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    assert.equal((await post(FORM)).status, 401);
    assert.equal((await post(FORM.replace('client_id=standin-app', 'client_id=other-app'))).status, 400);
    assert.equal((await post(FORM.replace('client_secret=made-up-secret', 'client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c'))).status, 401);
    const ok = await post(FORM.replace('made-up-secret', 'Registered-Secret-1'));
    assert.equal(ok.status, 200);
    assert.equal(s.stats.tokensIssued, 1);
  } finally {
    await s.close();
  }
});

test('foreignRequest: the decision on headers alone', () => {
  assert.equal(foreignRequest({ headers: { host: '127.0.0.1:8400' } }, 8400), undefined);
  assert.equal(foreignRequest({ headers: { host: 'localhost:8400' } }, 8400), undefined);
  assert.equal(foreignRequest({ headers: { host: '[::1]:8400' } }, 8400), undefined);
  assert.equal(foreignRequest({ headers: { host: 'evil.example:8400' } }, 8400)?.status, 421);
  assert.equal(foreignRequest({ headers: { host: '127.0.0.1.evil.example:8400' } }, 8400)?.status, 421);
  assert.equal(foreignRequest({ headers: { host: '127.0.0.1:8400', origin: 'https://a.example' } }, 8400)?.status, 403);
  assert.equal(foreignRequest({ headers: {} }, 8400)?.status, 400);
  assert.match(foreignRequest({ headers: { host: 'x'.repeat(100_000) } }, 8400)!.why, /^refused/);
});
