/** Request headers for a connector's `auth`, with secrets looked up by name; OAuth tokens cached and renewed on 401. */
import type { AuthConfig } from '../engine/mapping/sourceFromModel';
import { SourceError } from './errors';
import { HttpOptions, request } from './http';
import { requireSecret, SecretLookup } from './secrets';
import { OAuthError, requestToken, TokenCache, tokenOrigin, type IssuedToken, type TokenTransport } from '../delivery/oauth';

export interface Authorizer {
  headers(): Promise<Record<string, string>>;
  /** Forget a cached token (after a 401); true when a new one can be fetched. */
  invalidate(): boolean;
}

export function authorizer(auth: AuthConfig, secrets: SecretLookup, http: HttpOptions): Authorizer {
  const c = http.connector;
  switch (auth.type) {
    case 'none':
      return { headers: async () => ({}), invalidate: () => false };
    case 'basic':
      return {
        async headers() {
          const user = await requireSecret(secrets, auth.usernameEnv, c, 'user name');
          const pass = await requireSecret(secrets, auth.passwordEnv, c, 'password');
          return { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
        },
        invalidate: () => false,
      };
    case 'bearer':
      return { headers: async () => ({ authorization: `Bearer ${await requireSecret(secrets, auth.tokenEnv, c, 'token')}` }), invalidate: () => false };
    case 'apiKey':
      return { headers: async () => ({ [(auth.header ?? 'X-API-Key').toLowerCase()]: await requireSecret(secrets, auth.keyEnv, c, 'API key') }), invalidate: () => false };
    case 'oauth2':
    case 'oauth2Refresh': {
      const cache = new TokenCache(() => fetchToken(auth, secrets, http));
      return {
        headers: async () => ({ authorization: `Bearer ${await cache.get()}` }),
        invalidate: () => cache.invalidate(),
      };
    }
  }
}

/** The shared OAuth request (src/delivery/oauth.ts) through the sources' HTTP client; credentials in the form, as before. */
async function fetchToken(auth: AuthConfig, secrets: SecretLookup, http: HttpOptions): Promise<IssuedToken> {
  const c = http.connector;
  const tokenUrl = auth.tokenUrl!;
  const clientId = await requireSecret(secrets, auth.clientIdEnv, c, 'OAuth client id');
  const clientSecret = await requireSecret(secrets, auth.clientSecretEnv, c, 'OAuth client secret');
  const refreshToken = auth.type === 'oauth2Refresh' ? await requireSecret(secrets, auth.refreshTokenEnv, c, 'OAuth refresh token') : undefined;
  const transport: TokenTransport = async (url, init) => {
    try {
      return await request('POST', url, { headers: init.headers, body: init.body, page: 0 }, http);
    } catch (e) {
      if (e instanceof SourceError) throw new SourceError(c, `could not get an OAuth token from ${tokenOrigin(url)}: ${e.message.replace(/^.*?: /, '')}`);
      throw e;
    }
  };
  try {
    return await requestToken({ tokenUrl, clientId, clientSecret, refreshToken, scope: auth.scope, clientAuth: 'client_secret_post', tokenTypeOptional: true }, transport);
  } catch (e) {
    if (e instanceof OAuthError) throw new SourceError(c, e.message);
    throw e;
  }
}
