/**
 * How scimmap signs in to a SCIM service provider: a bearer token the app issued, or OAuth 2.0 client credentials
 * against the app's token URL (RFC 6749 §4.4). The secret (token or client secret) comes from the environment (CLI)
 * or SecretStorage (VS Code), never from a mapping, a setting or argv; it is registered with the redactor.
 * Shared by the CLI (`scimmap upload`, `scimmap server pull`, `scimmap sync`) and the VS Code client.
 */
import { redact, registerSecret } from '../../delivery/redact';
import { CLIENT_AUTH_METHODS, fetchTokenTransport, OAuthError, requestToken, retryingTokenTransport, TokenCache, type TokenRequestConfig, type TokenRetryOptions } from '../../delivery/oauth';
import type { TokenProvider } from '../../delivery/types';
import { isLoopbackHost } from '../entra/upload/endpoint';
import { allowedScimHosts, scimHostsFile, type ScimEndpoint } from './endpoint';

export type ScimAuth =
  | { kind: 'bearer'; token: string }
  /** The token URL: https, or loopback with a port for tests; a non-loopback host must be on the allowlist. */
  | ({ kind: 'clientCredentials' } & Pick<TokenRequestConfig, 'tokenUrl' | 'clientId' | 'clientSecret' | 'scope' | 'resource' | 'clientAuth'>);

export class ScimAuthError extends Error {
  override name = 'ScimAuthError';
}

export interface ScimAuthOptions {
  /** For the token URL's allowlist check (same allowlist as SCIM hosts). */
  env: NodeJS.ProcessEnv;
  fetchImpl?: typeof fetch;
  /** Time limit of one token request (default 30 s). */
  tokenTimeoutMs?: number;
  /** Retries of a token request that got no answer, a 429 or a 5xx (default: 2, backoff from 1 s). */
  tokenRetry?: TokenRetryOptions;
}

/** RFC 6749 §3.3 scope: space-separated tokens of printable ASCII without `"` and `\`. */
function scopeProblem(scope: string): string | undefined {
  for (const part of scope.split(' ')) {
    if (!part) return 'the scope has an empty entry (one space between scope values)';
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 0x21 || c > 0x7e || c === 0x22 || c === 0x5c) return 'the scope has a character OAuth does not allow (RFC 6749 §3.3)';
    }
  }
  return undefined;
}

/**
 * The token URL, checked like a SCIM base URL: https, or http(s) on loopback with an explicit port; a non-loopback
 * host only when it is on the user's SCIM host allowlist, so that a mapping or workspace cannot choose where the
 * client secret goes. It may be another host than the SCIM endpoint's (an identity provider) if it is allowlisted.
 */
export function checkTokenUrl(raw: string, env: NodeJS.ProcessEnv): URL {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new ScimAuthError(`the token URL is not a URL: '${redact(raw.slice(0, 200))}'`);
  }
  if (u.username || u.password) throw new ScimAuthError('refused: the token URL must not carry a user name or password');
  if (u.hash) throw new ScimAuthError('refused: the token URL takes no fragment');
  const host = u.hostname.toLowerCase();
  if (isLoopbackHost(host)) {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ScimAuthError(`refused: unsupported token URL scheme ${u.protocol}`);
    if (!u.port) throw new ScimAuthError('refused: a loopback token URL must name its port explicitly (e.g. http://127.0.0.1:8443/token)');
    return u;
  }
  if (u.protocol !== 'https:') throw new ScimAuthError(`refused: the token URL on ${host} must be https (plain http is only allowed on loopback)`);
  if (!allowedScimHosts(env).has(host)) {
    throw new ScimAuthError(
      `refused: the token URL's host '${host}' is not on your SCIM host allowlist; the client secret is only sent to hosts you listed: add it to SCIMMAP_SCIM_HOSTS or to ${scimHostsFile(env)} (one host a line)`,
    );
  }
  return u;
}

/** A token provider for `auth`, for requests to `endpoint` (named in the description; undefined: not known yet). */
export function scimTokenProvider(auth: ScimAuth, endpoint: ScimEndpoint | undefined, opts: ScimAuthOptions): TokenProvider {
  if (auth.kind === 'bearer') {
    const t = auth.token.trim().replace(/^Bearer\s+/i, '');
    if (!t) throw new ScimAuthError('the bearer token is empty');
    registerSecret(t);
    return { description: 'a bearer token', getToken: async () => t };
  }
  registerSecret(auth.clientSecret);
  const url = checkTokenUrl(auth.tokenUrl, opts.env);
  const clientId = auth.clientId.trim();
  if (!clientId) throw new ScimAuthError('the OAuth client id is empty');
  if (!auth.clientSecret) throw new ScimAuthError('the OAuth client secret is empty');
  const scope = auth.scope?.trim() || undefined;
  const scopeIssue = scope && scopeProblem(scope);
  if (scopeIssue) throw new ScimAuthError(scopeIssue);
  if (auth.resource !== undefined) {
    let r: URL | undefined;
    try {
      r = new URL(auth.resource);
    } catch {
      r = undefined;
    }
    if (!r || r.hash) throw new ScimAuthError('the OAuth resource must be an absolute URI without a fragment (RFC 8707)');
  }
  const clientAuth = auth.clientAuth ?? 'client_secret_basic';
  if (!CLIENT_AUTH_METHODS.includes(clientAuth)) throw new ScimAuthError(`unknown client authentication '${String(clientAuth).slice(0, 40)}': use ${CLIENT_AUTH_METHODS.join(' or ')}`);
  const transport = retryingTokenTransport(fetchTokenTransport({ fetchImpl: opts.fetchImpl, timeoutMs: opts.tokenTimeoutMs }), opts.tokenRetry);
  const cfg = { tokenUrl: url.href, clientId, clientSecret: auth.clientSecret, scope, resource: auth.resource, clientAuth };
  const cache = new TokenCache(() => requestToken(cfg, transport));
  const elsewhere = endpoint && url.origin !== endpoint.origin ? ', not the SCIM host' : '';
  return {
    description: `OAuth client credentials (client ${redact(clientId)}, token URL on ${url.host}${elsewhere})`,
    signInOrigin: url.origin,
    async getToken(forceRefresh = false): Promise<string> {
      try {
        return await cache.get(forceRefresh);
      } catch (e) {
        if (e instanceof OAuthError) throw new ScimAuthError(redact(e.message));
        throw e;
      }
    },
  };
}
