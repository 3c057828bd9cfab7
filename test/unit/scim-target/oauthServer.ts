/**
 * A real OAuth 2.0 authorization server nobody here wrote: oidc-provider (panva), in-process on 127.0.0.1 with a
 * random port, the client-credentials grant on, two confidential clients (registered for HTTP Basic and for the
 * secret in the form; oidc-provider accepts either, so `tokenRequests` records which one a request used), and every token for one resource server issued as a JWT signed with a key made per
 * run. `verify` checks a bearer token the way a SCIM app would: signature against the provider's JWKS (fetched over
 * HTTP), issuer, audience and expiry.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export const RESOURCE = 'urn:scimmap:test:scim';
export const SCOPE = 'scim.write';
export const BASIC_CLIENT = { id: 'scimmap-basic', secret: `basic-secret-${randomBytes(12).toString('hex')}` };
export const POST_CLIENT = { id: 'scimmap-post', secret: `post-secret-${randomBytes(12).toString('hex')}` };

export interface OAuthServer {
  issuer: string;
  tokenUrl: string;
  /** Token requests answered so far, by HTTP status (the form and the Authorization header are not kept). */
  tokenRequests: Array<{ status: number; clientAuth: 'basic' | 'post' | 'none' }>;
  /** Access tokens issued so far. */
  issued: string[];
  /** Lifetime of the next tokens, in seconds. */
  setTtl(seconds: number): void;
  /** True when `authorization` is `Bearer <a JWT this provider signed for RESOURCE, not expired>`. */
  verify(authorization: string | undefined): Promise<boolean>;
  close(): Promise<void>;
}

// oidc-provider and jose are ES modules: loaded with import() (kept as is by module: node16).
type AnyModule = { default?: unknown } & Record<string, unknown>;

/** oidc-provider's storage interface over a Map, one per model (its own default warns that it is for development). */
class MemoryAdapter {
  private static stores = new Map<string, Map<string, { payload: Record<string, unknown>; expires: number }>>();
  private readonly store: Map<string, { payload: Record<string, unknown>; expires: number }>;
  constructor(name: string) {
    this.store = MemoryAdapter.stores.get(name) ?? new Map();
    MemoryAdapter.stores.set(name, this.store);
  }
  async upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void> {
    this.store.set(id, { payload, expires: Date.now() + expiresIn * 1000 });
  }
  async find(id: string): Promise<Record<string, unknown> | undefined> {
    const e = this.store.get(id);
    if (!e || e.expires < Date.now()) return undefined;
    return e.payload;
  }
  async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    for (const e of this.store.values()) if (e.payload.uid === uid) return e.payload;
    return undefined;
  }
  async findByUserCode(code: string): Promise<Record<string, unknown> | undefined> {
    for (const e of this.store.values()) if (e.payload.userCode === code) return e.payload;
    return undefined;
  }
  async consume(id: string): Promise<void> {
    const e = this.store.get(id);
    if (e) e.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string): Promise<void> {
    this.store.delete(id);
  }
  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [k, e] of this.store) if (e.payload.grantId === grantId) this.store.delete(k);
  }
}

export async function startOAuthServer(): Promise<OAuthServer> {
  // Through a variable: oidc-provider ships no types, and the test only configures it and talks HTTP to it.
  const oidcName = 'oidc-provider';
  // oidc-provider 9 warns once on import that it wants Node 22; what the tests use of it works on Node 20 (the
  // project's engine), so that one line is dropped and every other warning passes.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
  };
  let oidc: AnyModule;
  try {
    oidc = (await import(oidcName)) as AnyModule;
  } finally {
    console.warn = warn;
  }
  const jose = (await import('jose')) as unknown as {
    generateKeyPair(alg: string, o?: { extractable?: boolean }): Promise<{ privateKey: unknown }>;
    exportJWK(k: unknown): Promise<Record<string, unknown>>;
    createRemoteJWKSet(u: URL): unknown;
    jwtVerify(t: string, k: unknown, o: Record<string, unknown>): Promise<unknown>;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const Provider = (oidc.default ?? oidc.Provider) as any;
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

  let ttl = 300;
  const state = { tokenRequests: [] as OAuthServer['tokenRequests'], issued: [] as string[] };
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    scopes: [SCOPE],
    ttl: { ClientCredentials: () => ttl },
    clients: [
      { client_id: BASIC_CLIENT.id, client_secret: BASIC_CLIENT.secret, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic', scope: SCOPE },
      { client_id: POST_CLIENT.id, client_secret: POST_CLIENT.secret, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_post', scope: SCOPE },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // A request without `resource` gets a token for the SCIM app too (a provider with one default audience).
        defaultResource: () => RESOURCE,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== RESOURCE) throw new (oidc.errors as { InvalidTarget: new () => Error }).InvalidTarget();
          return { scope: SCOPE, audience: RESOURCE, accessTokenFormat: 'jwt', accessTokenTTL: ttl, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
  });
  provider.on('grant.success', (ctx: { oidc?: { entities?: { ClientCredentials?: unknown } }; body?: { access_token?: string } }) => {
    const t = ctx.body?.access_token;
    if (typeof t === 'string') state.issued.push(t);
  });
  const callback = provider.callback();
  http.on('request', (rq: IncomingMessage, rs: ServerResponse) => {
    if (rq.url?.startsWith('/token')) {
      const h = rq.headers.authorization;
      const clientAuth = h?.startsWith('Basic ') ? 'basic' : 'none';
      rs.on('finish', () => state.tokenRequests.push({ status: rs.statusCode, clientAuth: clientAuth === 'none' && rq.method === 'POST' ? 'post' : clientAuth }));
    }
    callback(rq, rs);
  });
  const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/jwks`));
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    tokenRequests: state.tokenRequests,
    issued: state.issued,
    setTtl: (s) => void (ttl = s),
    async verify(authorization) {
      const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '');
      if (!m) return false;
      try {
        await jose.jwtVerify(m[1]!, jwks, { issuer, audience: RESOURCE, algorithms: ['RS256'], typ: 'at+jwt' });
        return true;
      } catch {
        return false;
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections?.();
        http.close(() => resolve());
      }),
  };
}
