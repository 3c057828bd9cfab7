/**
 * How scimmap signs in to a SCIM service provider: a bearer token the app issued, or OAuth 2.0 client credentials
 * against the app's token URL (RFC 6749 §4.4). The secret (token or client secret) comes from the environment (CLI)
 * or SecretStorage (VS Code), never from a mapping, a setting or argv; it is registered with the redactor.
 * Shared by the CLI (`scimmap upload`, `scimmap server pull`, `scimmap sync`) and the VS Code client.
 */
import { registerSecret } from '../../delivery/redact';
import type { TokenProvider } from '../../delivery/types';
import type { ScimEndpoint } from './endpoint';

export type ScimAuth =
  | { kind: 'bearer'; token: string }
  | {
      kind: 'clientCredentials';
      /** The app's OAuth 2.0 token endpoint (https; loopback with a port for tests; non-loopback hosts on the allowlist). */
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
    };

export class ScimAuthError extends Error {
  override name = 'ScimAuthError';
}

export interface ScimAuthOptions {
  /** For the token URL's allowlist check (same allowlist as SCIM hosts). */
  env: NodeJS.ProcessEnv;
  fetchImpl?: typeof fetch;
}

/** A token provider for `auth`, for requests to `endpoint`. */
export function scimTokenProvider(auth: ScimAuth, endpoint: ScimEndpoint, opts: ScimAuthOptions): TokenProvider {
  void endpoint;
  void opts;
  if (auth.kind === 'bearer') {
    const t = auth.token.trim().replace(/^Bearer\s+/i, '');
    if (!t) throw new ScimAuthError('the bearer token is empty');
    registerSecret(t);
    return { description: 'a bearer token', getToken: async () => t };
  }
  // Client credentials land with the OAuth work (issue 18); until then refuse clearly rather than send anything.
  throw new ScimAuthError('OAuth 2.0 client credentials for SCIM endpoints are not available in this build yet; use a bearer token');
}
