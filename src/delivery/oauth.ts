/**
 * OAuth 2.0 token requests shared by HR sources (`source.from.auth: oauth2 | oauth2Refresh`) and SCIM targets:
 * the client-credentials grant (RFC 6749 §4.4) or the refresh-token grant (§6), client authentication per §2.3.1
 * (HTTP Basic, the method every server must support, or the credentials in the form body), the token response
 * (§5.1) and error response (§5.2), and a cache that renews a token shortly before it expires.
 *
 * The HTTP call is injected (`TokenTransport`): sources go through their own client (retries, same-origin
 * redirects); SCIM targets use `fetchTokenTransport` (no redirects, bounded size and time).
 */
import { redact, registerSecret } from './redact';
import { backoffDelay, parseRetryAfter, sleep } from './timing';

/** RFC 7591 names for the two client authentication methods of RFC 6749 §2.3.1. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];

export interface TokenRequestConfig {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scope (RFC 6749 §3.3). */
  scope?: string;
  /** RFC 8707 resource indicator (an absolute URI), for servers that issue tokens per resource. */
  resource?: string;
  /** Default `client_secret_basic`. */
  clientAuth?: ClientAuthMethod;
  /** Use the refresh-token grant with this token instead of client credentials. */
  refreshToken?: string;
  /**
   * Accept a token response without `token_type` (some HR APIs leave it out). A `token_type` other than Bearer is
   * refused either way: the token is sent as a bearer token.
   */
  tokenTypeOptional?: boolean;
}

export interface TokenHttpResponse {
  status: number;
  text: string;
  /** The Retry-After header of a 429 or 503, when there was one. */
  retryAfter?: string | null;
}

/** Posts a form to the token URL and returns the answer, whatever its status; throws only when nothing came back. */
export type TokenTransport = (url: string, init: { headers: Record<string, string>; body: string }) => Promise<TokenHttpResponse>;

export interface IssuedToken {
  accessToken: string;
  /** Seconds from issue, when the server said (`expires_in`). */
  expiresIn?: number;
  scope?: string;
}

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    message: string,
    /** The RFC 6749 §5.2 `error` code, when the server sent one. */
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Where a token request goes, for messages: the origin only (a query string may carry a tenant or policy). */
export function tokenOrigin(tokenUrl: string): string {
  try {
    return new URL(tokenUrl).origin;
  } catch {
    return '(invalid token URL)';
  }
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The request headers and form body of a token request (exported for tests). */
export function tokenRequest(cfg: TokenRequestConfig): { headers: Record<string, string>; body: string } {
  const form = new URLSearchParams();
  if (cfg.refreshToken !== undefined) {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', cfg.refreshToken);
  } else form.set('grant_type', 'client_credentials');
  if (cfg.scope) form.set('scope', cfg.scope);
  if (cfg.resource) form.set('resource', cfg.resource);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if ((cfg.clientAuth ?? 'client_secret_basic') === 'client_secret_basic') {
    // §2.3.1: the id and secret are form-encoded before they are joined and base64-encoded.
    headers.authorization = `Basic ${Buffer.from(`${formEncode(cfg.clientId)}:${formEncode(cfg.clientSecret)}`).toString('base64')}`;
  } else {
    form.set('client_id', cfg.clientId);
    form.set('client_secret', cfg.clientSecret);
  }
  return { headers, body: form.toString() };
}

/** A server-supplied string for a message: printable ASCII only, cut, secrets removed. */
function printable(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  let out = '';
  for (const ch of value) {
    if (out.length >= max) {
      out += '…';
      break;
    }
    const c = ch.codePointAt(0)!;
    out += c >= 0x20 && c < 0x7f ? ch : ' ';
  }
  const text = redact(out.trim());
  return text || undefined;
}

/** Reads a token endpoint's answer: the token (§5.1), or a clear error from §5.2's `error` and `error_description`. */
export function parseTokenResponse(res: TokenHttpResponse, cfg: Pick<TokenRequestConfig, 'tokenUrl' | 'tokenTypeOptional'>): IssuedToken {
  const where = `the token endpoint ${tokenOrigin(cfg.tokenUrl)}`;
  let body: Record<string, unknown> | undefined;
  try {
    const j = JSON.parse(res.text) as unknown;
    if (j && typeof j === 'object' && !Array.isArray(j)) body = j as Record<string, unknown>;
  } catch {
    /* handled below */
  }
  if (res.status < 200 || res.status >= 300) {
    const code = printable(body?.error, 64);
    const description = printable(body?.error_description, 300);
    const hint =
      code === 'invalid_client' ? ' (check the client id and secret, and whether the server wants them in the form: client_secret_post)'
      : code === 'invalid_scope' ? ' (check the scope)'
      : code === 'unauthorized_client' ? ' (the client is not allowed the client_credentials grant)'
      : '';
    const detail = code ? `${code}${description ? `: ${description}` : ''}` : 'no OAuth error in the answer';
    throw new OAuthError(`${where} refused the token request (HTTP ${res.status}, ${detail})${hint}`, code, res.status);
  }
  if (!body) throw new OAuthError(`${where} did not answer a JSON object`, undefined, res.status);
  const token = body.access_token;
  if (typeof token !== 'string' || !token) throw new OAuthError(`${where} answered without an access_token`, undefined, res.status);
  registerSecret(token);
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) throw new OAuthError(`${where} issued an access_token with characters an Authorization header cannot carry`, undefined, res.status);
  }
  const type = body.token_type;
  if (type === undefined ? !cfg.tokenTypeOptional : typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
    throw new OAuthError(`${where} issued a token of type ${printable(type, 40) ?? '(none)'}; only Bearer tokens can be used`, undefined, res.status);
  }
  const ttl = typeof body.expires_in === 'number' ? body.expires_in : typeof body.expires_in === 'string' && /^\d{1,9}$/.test(body.expires_in) ? Number(body.expires_in) : undefined;
  return { accessToken: token, expiresIn: ttl !== undefined && Number.isFinite(ttl) && ttl > 0 ? ttl : undefined, scope: typeof body.scope === 'string' ? body.scope : undefined };
}

/** One token request through `transport`. Transport failures are reported without the request (it holds the secret). */
export async function requestToken(cfg: TokenRequestConfig, transport: TokenTransport): Promise<IssuedToken> {
  registerSecret(cfg.clientSecret);
  registerSecret(cfg.refreshToken);
  const req = tokenRequest(cfg);
  return parseTokenResponse(await transport(cfg.tokenUrl, req), cfg);
}

export interface FetchTransportOptions {
  fetchImpl?: typeof fetch;
  /** Default 30 s. */
  timeoutMs?: number;
  /** Largest answer read (default 1 MiB; a token response is a few KiB). */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** A token transport over fetch: no redirect is followed (the secret would go along), bounded time and size. */
export function fetchTokenTransport(opts: FetchTransportOptions = {}): TokenTransport {
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  return async (url, init) => {
    const where = tokenOrigin(url);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await doFetch(url, { method: 'POST', headers: init.headers, body: init.body, redirect: 'manual', signal });
    } catch (e) {
      const why = timeout.aborted ? `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}` : ((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message);
      throw new OAuthError(`could not reach the token endpoint ${where}: ${redact(String(why))}`);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new OAuthError(`refused: the token endpoint ${where} answered with a redirect (HTTP ${res.status}); redirects are not followed`, undefined, res.status);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      // Leaving the loop early cancels the stream: the rest of an oversized answer is never read.
      for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength;
        if (total > maxBytes) break;
        chunks.push(Buffer.from(chunk));
      }
    } catch (e) {
      throw new OAuthError(`the answer from the token endpoint ${where} was cut off: ${timeout.aborted ? 'timed out' : redact((e as Error).message)}`);
    }
    if (total > maxBytes) throw new OAuthError(`the token endpoint ${where} answered more than ${maxBytes} bytes; refused`, undefined, res.status);
    return { status: res.status, text: Buffer.concat(chunks).toString('utf8'), retryAfter: res.headers.get('retry-after') };
  };
}

export interface TokenRetryOptions {
  /** Retries after the first attempt (default 2). */
  retries?: number;
  /** First backoff, doubled each time (default 1 s). */
  baseDelayMs?: number;
  /** Longest wait, also for a Retry-After (default 30 s). */
  maxDelayMs?: number;
  signal?: AbortSignal;
}

/**
 * Retries a token request that may succeed later: no answer (network, time limit), 429 and 5xx, honouring
 * Retry-After up to `maxDelayMs`. Other answers are final: a 400 or 401 (wrong secret, scope) is not retried.
 */
export function retryingTokenTransport(inner: TokenTransport, opts: TokenRetryOptions = {}): TokenTransport {
  const retries = opts.retries ?? 2;
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 30_000;
  return async (url, init) => {
    for (let attempt = 0; ; attempt++) {
      let res: TokenHttpResponse | undefined;
      try {
        res = await inner(url, init);
      } catch (e) {
        // Only "no answer" is worth another try; a refused redirect or an oversized answer carry their status.
        if (!(e instanceof OAuthError) || e.status !== undefined || attempt >= retries || opts.signal?.aborted) throw e;
      }
      if (res && !(res.status === 429 || res.status >= 500)) return res;
      if (res && attempt >= retries) return res;
      const wait = Math.min(max, (res && parseRetryAfter(res.retryAfter)) ?? backoffDelay(attempt + 1, base, max));
      await sleep(wait, opts.signal);
    }
  };
}

/** Without `expires_in` a token is kept this long (or until a 401). */
export const DEFAULT_TOKEN_LIFETIME_S = 3600;

/**
 * Caches one token and renews it before it expires: a minute early, or a quarter of its lifetime for short-lived
 * tokens, so that a token is never sent in its last moments. Concurrent callers share one request in flight.
 */
export class TokenCache {
  private token: { value: string; renewAt: number } | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly fetchNew: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached token, or a new one when it is due for renewal or `forceRefresh` is set (after a 401). */
  get(forceRefresh = false): Promise<string> {
    if (this.inFlight) return this.inFlight;
    if (!forceRefresh && this.token && this.now() < this.token.renewAt) return Promise.resolve(this.token.value);
    this.inFlight = this.fetchNew().then(
      (t) => {
        const ttl = t.expiresIn ?? DEFAULT_TOKEN_LIFETIME_S;
        const early = Math.min(60, ttl / 4);
        this.token = { value: t.accessToken, renewAt: this.now() + (ttl - early) * 1000 };
        this.inFlight = undefined;
        return t.accessToken;
      },
      (e: unknown) => {
        this.inFlight = undefined;
        throw e;
      },
    );
    return this.inFlight;
  }

  /** Forget the token (a 401); true when there was one. */
  invalidate(): boolean {
    const had = this.token !== undefined;
    this.token = undefined;
    return had;
  }
}
