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

export interface ScimmyServer {
  base: string;
  users: Map<string, Record<string, unknown>>;
  /**
   * Requests answered 429 so far, and how many more to throttle; `from`: only /Users requests from that one on
   * (counted since start, 0-based) are throttled, so a run can get some users through first.
   */
  throttle: { remaining: number; answered: number; retryAfter: string; from: number };
  /** /Users requests seen so far (what `throttle.from` counts). */
  usersRequests: number;
  requests: Array<{ method: string; path: string; ifMatch?: string }>;
  /** SCIMMY.Config.set: e.g. patch false (PUT-only server), etag true. Reset by startScimmy. */
  configure(name: 'patch' | 'etag', supported: boolean): void;
  close(): Promise<void>;
}

let declared = false;
let store = new Map<string, Record<string, unknown>>();
let nextId = 1;

function declare(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .extend(SCIMMY.Schemas.EnterpriseUser, false)
    .ingress((resource: { id?: string }, data: Record<string, unknown>) => {
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
  const state: ScimmyServer = {
    base: '', users: store, throttle: { remaining: 0, answered: 0, retryAfter: '1', from: 0 }, usersRequests: 0, requests: [],
    configure: (name, supported) => void SCIMMY.Config.set(name, supported),
    close: async () => undefined,
  };
  app.use((rq: { method: string; path: string; header(n: string): string | undefined }, rs: { status(n: number): { set(h: Record<string, string>): { json(b: unknown): void } } }, next: () => void) => {
    state.requests.push({ method: rq.method, path: rq.path, ifMatch: rq.header('if-match') });
    const nth = rq.path.includes('/Users') ? state.usersRequests++ : -1;
    if (state.throttle.remaining > 0 && nth >= state.throttle.from) {
      state.throttle.remaining--;
      state.throttle.answered++;
      rs.status(429).set({ 'Retry-After': state.throttle.retryAfter, 'Content-Type': 'application/scim+json' }).json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', detail: 'slow down' });
      return;
    }
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
