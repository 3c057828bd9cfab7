/**
 * scimmy 1.3 + scimmy-routers on express, started in-process on 127.0.0.1 with a random port: a real SCIM server
 * nobody here wrote. The resource handlers (ingress/egress/degress) keep users in an in-memory store and enforce
 * userName uniqueness (409), as an app would. A middleware in front can throttle (429 + Retry-After).
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

const req = createRequire(__filename);
// express and scimmy-routers ship no types we need: the test talks HTTP to them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const express = req('express') as any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const routersModule = req('scimmy-routers') as any;
const SCIMMYRouters = routersModule.default ?? routersModule;
// Typed loosely on purpose: the handlers below are plain functions over a Map.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const scimmyModule = req('scimmy') as any;
const SCIMMY = scimmyModule.default ?? scimmyModule;

export const TOKEN = 'scimmy-test-token-0123456789';

/** A SCIM error as scimmy's handlers throw it (status, scimType, detail). */
export function scimError(status: number, scimType: string | null, detail: string): Error {
  return new SCIMMY.Types.Error(status, scimType, detail);
}

export interface ScimmyServer {
  base: string;
  users: Map<string, Record<string, unknown>>;
  /**
   * Requests answered 429 so far, and how many more to throttle; `from`: only requests from that one on (counted
   * since start, 0-based, among those that can be throttled) are throttled, so a run can get some users through
   * first; `path`: only paths ending with it can be throttled (default: /Users and /Bulk).
   */
  throttle: { remaining: number; answered: number; retryAfter: string; from: number; path?: string };
  /** Requests that could be throttled seen so far (what `throttle.from` counts). */
  usersRequests: number;
  /** Called with each user written (create or replace); throw scimError(…) to refuse it as an app would. */
  ingressCheck?: (data: Record<string, unknown>) => void;
  requests: Array<{ method: string; path: string; ifMatch?: string }>;
  /** Every POST /Bulk the server received: its operations (method, path) and body size in bytes. */
  bulkRequests: Array<{ bytes: number; operations: Array<{ method: string; path: string }> }>;
  /** SCIMMY.Config.set: e.g. patch false (PUT-only server), etag true, bulk off or with other limits. */
  configure(name: 'patch' | 'etag', supported: boolean): void;
  configureBulk(bulk: { supported: boolean; maxOperations?: number; maxPayloadSize?: number }): void;
  close(): Promise<void>;
}

/** scimmy's own defaults (scimmy-routers turns bulk on). */
const BULK_DEFAULTS = { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 };

let declared = false;
let store = new Map<string, Record<string, unknown>>();
let current: ScimmyServer | undefined;
let nextId = 1;

function declare(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .extend(SCIMMY.Schemas.EnterpriseUser, false)
    .ingress((resource: { id?: string }, data: Record<string, unknown>) => {
      current?.ingressCheck?.(data);
      const userName = String(data.userName ?? '').toLowerCase();
      for (const u of store.values()) {
        if (u.id !== resource.id && String(u.userName).toLowerCase() === userName) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${userName} is taken`);
      }
      if (resource.id && !store.has(resource.id)) throw new SCIMMY.Types.Error(404, null, `no user ${resource.id}`);
      const id = resource.id ?? `u-${nextId++}`;
      const now = new Date();
      const created = (store.get(id)?.meta as { created?: Date } | undefined)?.created ?? now;
      const rec = { ...(JSON.parse(JSON.stringify(data)) as Record<string, unknown>), id, meta: { created, lastModified: now } };
      store.set(id, rec);
      return rec;
    })
    .egress((resource: { id?: string; filter?: { match(v: unknown[]): unknown[] } }) => {
      if (resource.id) {
        const u = store.get(resource.id);
        if (!u) throw new SCIMMY.Types.Error(404, null, `no user ${resource.id}`);
        return u;
      }
      const all = [...store.values()];
      return resource.filter ? resource.filter.match(all) : all;
    })
    .degress((resource: { id?: string }) => void store.delete(String(resource.id)));
}

export interface ScimmyOptions {
  /** Decides whether a request's Authorization header is accepted (default: exactly `Bearer ${TOKEN}`). */
  authorize?: (authorization: string | undefined) => boolean | Promise<boolean>;
}

export async function startScimmy(opts: ScimmyOptions = {}): Promise<ScimmyServer> {
  const authorize = opts.authorize ?? ((h: string | undefined) => h === `Bearer ${TOKEN}`);
  declare();
  store = new Map();
  nextId = 1;
  const app = express();
  SCIMMY.Config.set('patch', true);
  SCIMMY.Config.set('etag', false);
  SCIMMY.Config.set('bulk', { ...BULK_DEFAULTS });
  const state: ScimmyServer = {
    base: '', users: store, throttle: { remaining: 0, answered: 0, retryAfter: '1', from: 0 }, usersRequests: 0, requests: [], bulkRequests: [],
    configure: (name, supported) => void SCIMMY.Config.set(name, supported),
    configureBulk: (bulk) => void SCIMMY.Config.set('bulk', { ...BULK_DEFAULTS, ...bulk }),
    close: async () => undefined,
  };
  current = state;
  app.use((rq: { method: string; path: string; header(n: string): string | undefined }, rs: { status(n: number): { set(h: Record<string, string>): { json(b: unknown): void } } }, next: () => void) => {
    state.requests.push({ method: rq.method, path: rq.path, ifMatch: rq.header('if-match') });
    const candidate = state.throttle.path ? rq.path.endsWith(state.throttle.path) : rq.path.includes('/Users') || rq.path.endsWith('/Bulk');
    const nth = candidate ? state.usersRequests++ : -1;
    if (state.throttle.remaining > 0 && nth >= state.throttle.from) {
      state.throttle.remaining--;
      state.throttle.answered++;
      rs.status(429).set({ 'Retry-After': state.throttle.retryAfter, 'Content-Type': 'application/scim+json' }).json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', detail: 'slow down' });
      return;
    }
    next();
  });
  // Parsed here to count what each Bulk request carried (the routers' own parser then leaves the body alone).
  app.post('/scim/v2/Bulk', express.json({ type: ['application/scim+json', 'application/json'], limit: '8mb' }), (rq: { body?: { Operations?: Array<{ method: string; path: string }> }; header(n: string): string | undefined }, _rs: unknown, next: () => void) => {
    const ops = Array.isArray(rq.body?.Operations) ? rq.body!.Operations! : [];
    state.bulkRequests.push({ bytes: Number(rq.header('content-length')), operations: ops.map((o) => ({ method: o.method, path: o.path })) });
    next();
  });
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: async (rq: { header(n: string): string | undefined }) => {
        if (!(await authorize(rq.header('Authorization')))) throw new Error('Authorization not detected!');
        return 'tester';
      },
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  state.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
  return state;
}
