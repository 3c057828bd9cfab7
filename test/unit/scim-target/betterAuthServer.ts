/**
 * better-auth with @better-auth/scim (a second maintained SCIM server nobody here wrote), in-process on 127.0.0.1
 * with a random port: the in-memory database adapter, one static bearer connection, and the same throttling front
 * as the scimmy server (429 + Retry-After for the next N /Users requests).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const BA_TOKEN = 'better-auth-test-token-0123456789abcdef';

// ESM-only packages, loaded from this CommonJS test with a real dynamic import (no types needed: we talk HTTP).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const importEsm = (specifier: string): Promise<any> => import(specifier);

export interface BetterAuthScim {
  base: string;
  throttle: { remaining: number; answered: number; retryAfter: string };
  requests: Array<{ method: string; path: string }>;
  /** Every user the server holds, read over SCIM. */
  users(): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function startBetterAuth(): Promise<BetterAuthScim> {
  const { betterAuth } = await importEsm('better-auth');
  const { memoryAdapter } = await importEsm('better-auth/adapters/memory');
  const { scim } = await importEsm('@better-auth/scim');
  // The memory adapter wants one array per model (it structured-clones them for transactions: plain arrays only).
  const models = ['user', 'session', 'account', 'verification', 'rateLimit', 'scimConnectionBinding', 'scimGroup', 'scimGroupMember', 'scimIdentityTombstone',
    'scimManagedConnection', 'scimManagedConnectionEvent', 'scimManagedCredential', 'scimProjectionGrant', 'scimSubject', 'scimUser'];
  const db: Record<string, unknown[]> = Object.fromEntries(models.map((m) => [m, []]));
  const auth = betterAuth({
    secret: 'scimmap-test-secret-that-is-long-enough-7f3a9c1e5b2d',
    baseURL: 'http://127.0.0.1',
    logger: { disabled: true },
    database: memoryAdapter(db),
    plugins: [scim({ connections: [{ id: 'hr', credentials: [{ type: 'bearer', id: 'test', token: BA_TOKEN }] }] })],
  });
  const state: BetterAuthScim = { base: '', throttle: { remaining: 0, answered: 0, retryAfter: '1' }, requests: [], users: async () => [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    void (async () => {
      state.requests.push({ method: req.method ?? '', path: req.url ?? '' });
      if (state.throttle.remaining > 0 && (req.url ?? '').includes('/Users')) {
        state.throttle.remaining--;
        state.throttle.answered++;
        req.resume();
        res.writeHead(429, { 'retry-after': state.throttle.retryAfter, 'content-type': 'application/scim+json' });
        res.end('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"429","detail":"slow down"}');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && chunks.length > 0;
      const r: Response = await auth.handler(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined }));
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(Buffer.from(await r.arrayBuffer()));
    })().catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/scim/v2`;
  state.users = async () => {
    const r = await fetch(`${state.base}/Users?count=100`, { headers: { authorization: `Bearer ${BA_TOKEN}` } });
    const j = (await r.json()) as { Resources?: Array<Record<string, unknown>> };
    return j.Resources ?? [];
  };
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
