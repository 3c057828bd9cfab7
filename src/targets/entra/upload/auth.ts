/**
 * Token providers. Client credentials go through @azure/msal-node (no hand-written OAuth against Microsoft).
 *
 * The stand-in: msal-node only accepts https authorities and would otherwise call Microsoft's instance discovery.
 * For a loopback authority host (http://127.0.0.1:port, localhost, [::1]) we therefore
 *  - give msal the authority as https://<loopback:port>/<tenant> and list that host in `knownAuthorities`
 *    (no instance discovery call to login.microsoftonline.com),
 *  - pass `authorityMetadata` for it (no OpenID discovery call), and
 *  - plug in a network client that carries exactly that origin over plain http and refuses every other URL,
 * so msal talks to the stand-in's token endpoint and nothing else.
 */
import { ConfidentialClientApplication, Configuration, INetworkModule, LogLevel, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { EndpointError, isLoopbackHost, signInOriginFor, type UploadEndpoint } from './endpoint';
import { redact, redactError, registerSecret } from '../../../delivery/redact';
import type { TokenProvider } from '../../../delivery/types';

export class AuthError extends Error {
  override name = 'AuthError';
}

/** Sign-in hosts msal may be pointed at, besides loopback. Anything else would be a place to leak a secret to. */
export const AUTHORITY_HOSTS = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'];
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export interface ClientCertificate {
  /** PEM private key (unencrypted PKCS#8 or PKCS#1). */
  privateKey: string;
  /** SHA-256 thumbprint (hex). Computed from `certificate` when absent. */
  thumbprintSha256?: string;
  /** Legacy SHA-1 thumbprint (hex), for old ADFS only. */
  thumbprint?: string;
  /** Public certificate chain (PEM). Sent as x5c (subject name + issuer authentication) when `sendX5c` is set. */
  certificate?: string;
  sendX5c?: boolean;
}

export interface ClientCredentialsOptions {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  certificate?: ClientCertificate;
  /** `https://login.microsoftonline.com` (default), a national cloud's sign-in host, or the stand-in's loopback origin. */
  authorityHost?: string;
  /** Default `https://graph.microsoft.com/.default` (with `endpoint`: the endpoint's scope). */
  scope?: string;
  /**
   * The endpoint the tokens are for. When given, the sign-in host is derived from it (or `authorityHost` is checked
   * against it): a Graph cloud only with its own login host, a loopback endpoint only with a loopback sign-in host.
   */
  endpoint?: UploadEndpoint;
}

/** A pre-acquired bearer token (`SCIMMAP_TOKEN`); it cannot be refreshed. */
export function staticTokenProvider(token: string): TokenProvider {
  const t = token.trim().replace(/^Bearer\s+/i, '');
  if (!t) throw new AuthError('the token is empty');
  registerSecret(t);
  return { description: 'a pre-acquired token (SCIMMAP_TOKEN)', getToken: async () => t };
}

/** Reads a PEM file holding the private key and (usually) the certificate; computes the thumbprint. */
export function certificateFromPemFile(path: string, passphrase?: string): ClientCertificate {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AuthError(`cannot read the certificate file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return certificateFromPem(pem, passphrase);
}

export function certificateFromPem(pem: string, passphrase?: string): ClientCertificate {
  const keyMatch = /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.exec(pem);
  if (!keyMatch) throw new AuthError('the certificate file has no PEM private key');
  let privateKey = keyMatch[0];
  registerSecret(privateKey);
  if (/ENCRYPTED/.test(privateKey) || passphrase) {
    try {
      privateKey = createPrivateKey({ key: privateKey, passphrase }).export({ type: 'pkcs8', format: 'pem' }).toString();
    } catch {
      throw new AuthError('cannot decrypt the private key (wrong or missing SCIMMAP_CLIENT_CERTIFICATE_PASSWORD?)');
    }
    registerSecret(privateKey);
  }
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (!certs.length) throw new AuthError('the certificate file has no certificate (needed for its thumbprint)');
  const x509 = new X509Certificate(certs[0]!);
  return { privateKey, thumbprintSha256: x509.fingerprint256.replace(/:/g, ''), certificate: certs.join('\n') };
}

/** Carries one https loopback origin over http (msal insists on https authorities) and refuses every other URL. */
class LoopbackNetworkClient implements INetworkModule {
  constructor(
    private readonly asSeen: string,
    private readonly actual: string,
  ) {}
  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'GET', options, timeout);
  }
  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'POST', options);
  }
  private async send<T>(url: string, method: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const u = new URL(url);
    if (u.origin !== this.asSeen && u.origin !== this.actual) {
      throw new AuthError(`refused: sign-in against the stand-in tried to reach ${u.origin}`);
    }
    const target = this.actual + u.pathname + u.search;
    const res = await fetch(target, {
      method,
      headers: options?.headers,
      body: method === 'POST' ? options?.body ?? '' : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeout ?? 30_000),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = {};
    }
    return { headers, body: body as T, status: res.status };
  }
}

function checkAuthorityHost(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new AuthError(`invalid authority host '${redact(raw)}'`);
  }
  if (u.username || u.password) throw new AuthError('the authority host must not carry credentials');
  if (isLoopbackHost(u.hostname)) {
    if (!u.port) throw new AuthError('a loopback authority host must name its port');
    return u;
  }
  if (u.protocol !== 'https:' || !AUTHORITY_HOSTS.includes(u.hostname.toLowerCase())) {
    throw new AuthError(`refused authority host '${u.host}': use one of ${AUTHORITY_HOSTS.join(', ')} (https) or a loopback stand-in`);
  }
  return u;
}

/** Builds the msal configuration; exported for tests. */
export function msalConfiguration(opts: ClientCredentialsOptions): Configuration {
  if (!/^[A-Za-z0-9.-]+$/.test(opts.tenantId)) throw new AuthError('invalid tenant id');
  if (!opts.clientId) throw new AuthError('missing client id');
  const hostUrl = checkAuthorityHost(opts.authorityHost ?? DEFAULT_AUTHORITY_HOST);
  const auth: Configuration['auth'] = { clientId: opts.clientId };
  if (opts.clientSecret) {
    registerSecret(opts.clientSecret);
    auth.clientSecret = opts.clientSecret;
  } else if (opts.certificate) {
    const c = opts.certificate;
    registerSecret(c.privateKey);
    if (!c.thumbprintSha256 && !c.thumbprint) throw new AuthError('the certificate needs a thumbprint');
    auth.clientCertificate = {
      privateKey: c.privateKey,
      thumbprintSha256: c.thumbprintSha256,
      thumbprint: c.thumbprint,
      x5c: c.sendX5c ? c.certificate : undefined,
    };
  } else {
    throw new AuthError('client credentials need a secret or a certificate');
  }
  const system: Configuration['system'] = {
    // msal's own log lines never reach our output (they can name endpoints and correlation data we do not need).
    loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined },
  };
  if (isLoopbackHost(hostUrl.hostname)) {
    const asSeen = `https://${hostUrl.host}`;
    const authority = `${asSeen}/${opts.tenantId}`;
    auth.authority = authority;
    auth.knownAuthorities = [hostUrl.host];
    auth.authorityMetadata = JSON.stringify({
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${authority}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    });
    system.networkClient = new LoopbackNetworkClient(asSeen, hostUrl.origin);
  } else {
    auth.authority = `${hostUrl.origin}/${opts.tenantId}`;
  }
  return { auth, system };
}

/** Client credentials (secret or certificate) through msal-node's ConfidentialClientApplication. */
export function clientCredentialsProvider(opts: ClientCredentialsOptions): TokenProvider {
  let authorityHost = opts.authorityHost ?? DEFAULT_AUTHORITY_HOST;
  if (opts.endpoint) {
    try {
      authorityHost = signInOriginFor(opts.endpoint, opts.authorityHost);
    } catch (e) {
      if (e instanceof EndpointError) throw new AuthError(e.message);
      throw e;
    }
  }
  const config = msalConfiguration({ ...opts, authorityHost });
  const app = new ConfidentialClientApplication(config);
  const scope = opts.scope ?? opts.endpoint?.scope ?? DEFAULT_SCOPE;
  const kind = opts.clientSecret ? 'client secret' : 'certificate';
  const signInOrigin = new URL(authorityHost).origin;
  return {
    description: `${kind} sign-in for app ${opts.clientId} in tenant ${opts.tenantId} at ${new URL(signInOrigin).host}`,
    signInOrigin,
    async getToken(forceRefresh = false): Promise<string> {
      let token: string | undefined;
      try {
        const r = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: forceRefresh });
        token = r?.accessToken;
      } catch (e) {
        const code = (e as { errorCode?: string }).errorCode;
        throw new AuthError(`sign-in failed${code ? ` (${code})` : ''}: ${redactError(e)}`);
      }
      if (!token) throw new AuthError('sign-in returned no access token');
      registerSecret(token);
      return token;
    },
  };
}

export interface EnvTokenOptions {
  /** The endpoint the tokens are for: the sign-in host follows its cloud, and SCIMMAP_AUTHORITY_HOST must agree. */
  endpoint?: UploadEndpoint;
}

/** Largest secret file read (a client secret is ~40 characters; anything big is not one). */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * Reads a secret from a file (SCIMMAP_CLIENT_SECRET_FILE, `scimmap stand-in --client-secret-file`): the first line,
 * trimmed. Only regular files, at most 64 KiB, so that a device or a FIFO cannot hang or flood the process.
 */
export function readSecretFile(path: string, what = 'secret file'): string {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new AuthError(`the ${what} ${path} is not a regular file`);
    if (st.size > MAX_SECRET_FILE_BYTES) throw new AuthError(`the ${what} ${path} is larger than 64 KiB; it does not hold just a secret`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof AuthError) throw e;
    throw new AuthError(`cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const value = (text.split(/\r?\n/, 1)[0] ?? '').trim();
  if (!value) throw new AuthError(`the ${what} ${path} is empty`);
  registerSecret(value);
  return value;
}

/**
 * The CLI's sign-in: SCIMMAP_TOKEN, or SCIMMAP_TENANT_ID + SCIMMAP_CLIENT_ID + (SCIMMAP_CLIENT_SECRET |
 * SCIMMAP_CLIENT_SECRET_FILE | SCIMMAP_CLIENT_CERTIFICATE_PATH [+ SCIMMAP_CLIENT_CERTIFICATE_PASSWORD])
 * [+ SCIMMAP_AUTHORITY_HOST, which must belong with the endpoint's cloud].
 */
export function tokenProviderFromEnv(env: NodeJS.ProcessEnv, opts: EnvTokenOptions = {}): TokenProvider {
  for (const k of ['SCIMMAP_TOKEN', 'SCIMMAP_CLIENT_SECRET', 'SCIMMAP_CLIENT_CERTIFICATE_PASSWORD']) registerSecret(env[k]);
  if (env.SCIMMAP_TOKEN) return staticTokenProvider(env.SCIMMAP_TOKEN);
  const tenantId = env.SCIMMAP_TENANT_ID;
  const clientId = env.SCIMMAP_CLIENT_ID;
  const missing = [!tenantId && 'SCIMMAP_TENANT_ID', !clientId && 'SCIMMAP_CLIENT_ID'].filter(Boolean);
  if (!env.SCIMMAP_CLIENT_SECRET && !env.SCIMMAP_CLIENT_SECRET_FILE && !env.SCIMMAP_CLIENT_CERTIFICATE_PATH) {
    missing.push('SCIMMAP_CLIENT_SECRET, SCIMMAP_CLIENT_SECRET_FILE or SCIMMAP_CLIENT_CERTIFICATE_PATH');
  }
  if (missing.length) throw new AuthError(`no credentials: set SCIMMAP_TOKEN, or ${missing.join(', ')}`);
  const authorityHost = env.SCIMMAP_AUTHORITY_HOST || undefined;
  const base = { tenantId: tenantId!, clientId: clientId!, authorityHost, endpoint: opts.endpoint };
  const secret = env.SCIMMAP_CLIENT_SECRET || (env.SCIMMAP_CLIENT_SECRET_FILE ? readSecretFile(env.SCIMMAP_CLIENT_SECRET_FILE, 'SCIMMAP_CLIENT_SECRET_FILE') : undefined);
  if (secret) return clientCredentialsProvider({ ...base, clientSecret: secret });
  const certificate = certificateFromPemFile(env.SCIMMAP_CLIENT_CERTIFICATE_PATH!, env.SCIMMAP_CLIENT_CERTIFICATE_PASSWORD);
  return clientCredentialsProvider({ ...base, certificate });
}
