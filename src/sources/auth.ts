/** Request headers for a connector's `auth`, with secrets looked up by name; OAuth tokens cached and renewed on 401. */
import type { AuthConfig } from '../engine/mapping/sourceFromModel';
import { SourceError } from './errors';
import { HttpOptions, request } from './http';
import { requireSecret, SecretLookup } from './secrets';

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
      let token: { value: string; expires: number } | undefined;
      return {
        async headers() {
          if (!token || Date.now() > token.expires) token = await fetchToken(auth, secrets, http);
          return { authorization: `Bearer ${token.value}` };
        },
        invalidate() {
          const had = token !== undefined;
          token = undefined;
          return had;
        },
      };
    }
  }
}

async function fetchToken(auth: AuthConfig, secrets: SecretLookup, http: HttpOptions): Promise<{ value: string; expires: number }> {
  const c = http.connector;
  const form = new URLSearchParams();
  form.set('client_id', await requireSecret(secrets, auth.clientIdEnv, c, 'OAuth client id'));
  form.set('client_secret', await requireSecret(secrets, auth.clientSecretEnv, c, 'OAuth client secret'));
  if (auth.type === 'oauth2Refresh') {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', await requireSecret(secrets, auth.refreshTokenEnv, c, 'OAuth refresh token'));
  } else form.set('grant_type', 'client_credentials');
  if (auth.scope) form.set('scope', auth.scope);
  let res;
  try {
    res = await request('POST', auth.tokenUrl!, { headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString(), page: 0 }, http);
  } catch (e) {
    if (e instanceof SourceError) throw new SourceError(c, `could not get an OAuth token from ${new URL(auth.tokenUrl!).origin}: ${e.message.replace(/^.*?: /, '')}`);
    throw e;
  }
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new SourceError(c, `the token endpoint ${new URL(auth.tokenUrl!).origin} did not answer JSON`);
  }
  if (typeof body.access_token !== 'string' || !body.access_token) throw new SourceError(c, `the token endpoint ${new URL(auth.tokenUrl!).origin} answered without an access_token`);
  const ttl = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
  return { value: body.access_token, expires: Date.now() + Math.max(0, ttl - 60) * 1000 };
}
