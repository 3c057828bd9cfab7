/**
 * SCIM endpoint profiles: entries of `scimmap.upload.profiles` with `"kind": "scim"` (user settings only, like the
 * Entra ones). A profile names a base URL and how to sign in; the secret (bearer token or client secret) lives in
 * SecretStorage only. A non-loopback host must be on the user's SCIM host allowlist, the same file the CLI reads
 * (`scimHostsFile`), which "Add SCIM Endpoint…" writes to.
 * Pure: no `vscode` import.
 */
import { checkTokenUrl as checkScimTokenUrl, EndpointError, parseScimEndpoint, ScimAuthError, scimHostsFile, type ScimAuth, type ScimEndpoint } from '../../../src/targets/scim';
import { CLIENT_AUTH_METHODS, type ClientAuthMethod } from '../../../src/delivery/oauth';
import { isLoopbackHost } from '../../../src/targets/entra/upload/endpoint';

export type ScimAuthKind = 'bearer' | 'clientCredentials';
export const SCIM_AUTH_KINDS: readonly ScimAuthKind[] = ['bearer', 'clientCredentials'];

export interface ScimProfile {
  name: string;
  kind: 'scim';
  /** The service provider's SCIM base URL, e.g. https://app.example/scim/v2 */
  baseUrl?: string;
  auth?: ScimAuthKind;
  /** OAuth 2.0 token endpoint (auth: clientCredentials). */
  tokenUrl?: string;
  clientId?: string;
  scope?: string;
  /** RFC 8707 resource indicator, for token servers that want one. */
  resource?: string;
  /** client_secret_basic (default) or client_secret_post. */
  clientAuth?: ClientAuthMethod;
}

export interface ResolvedScimProfile {
  kind: 'scim';
  profile: ScimProfile & { auth: ScimAuthKind };
  endpoint: ScimEndpoint;
  /** The token URL, normalized (auth: clientCredentials). */
  tokenUrl?: string;
}

export class ScimProfileError extends Error {
  override name = 'ScimProfileError';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
/** Keys of Entra profiles that mean nothing here: reported, so a half-converted profile is not silently odd. */
const ENTRA_KEYS = ['endpoint', 'servicePrincipalId', 'jobId', 'tenantId', 'certificatePath', 'authorityHost'];

/** A settings entry with "kind": "scim" → a profile, with a problem for each key that is wrong. */
export function readScimProfile(name: string, o: Record<string, unknown>, problems: string[]): ScimProfile {
  const auth = str(o.auth);
  if (auth && !(SCIM_AUTH_KINDS as readonly string[]).includes(auth)) problems.push(`profile '${name}': unknown auth '${auth}' for a SCIM endpoint (bearer or clientCredentials)`);
  for (const k of ENTRA_KEYS) if (o[k] !== undefined) problems.push(`profile '${name}': ${k} belongs to Entra profiles and is ignored for "kind": "scim" (use baseUrl)`);
  const clientAuth = str(o.clientAuth);
  const knownClientAuth = clientAuth && (CLIENT_AUTH_METHODS as readonly string[]).includes(clientAuth) ? (clientAuth as ClientAuthMethod) : undefined;
  if (clientAuth && !knownClientAuth) problems.push(`profile '${name}': unknown clientAuth '${clientAuth}' (${CLIENT_AUTH_METHODS.join(' or ')})`);
  return {
    name,
    kind: 'scim',
    baseUrl: str(o.baseUrl),
    auth: auth && (SCIM_AUTH_KINDS as readonly string[]).includes(auth) ? (auth as ScimAuthKind) : undefined,
    tokenUrl: str(o.tokenUrl),
    clientId: str(o.clientId),
    scope: str(o.scope),
    resource: str(o.resource),
    clientAuth: knownClientAuth,
  };
}

const isNotListed = (e: unknown): boolean => e instanceof EndpointError && e.message.includes('is not on your SCIM host allowlist');

/** How to put a host on the allowlist, for refusals. */
export function allowlistHint(env: NodeJS.ProcessEnv): string {
  return `run "SCIM Mapper: Add SCIM Endpoint…", which asks before adding the host to ${scimHostsFile(env)}`;
}

/**
 * Validation of the token URL input box: the shared check (src/targets/scim/auth.ts) of its form only; the
 * allowlist step comes after, with the user's consent.
 */
export function tokenUrlInputProblem(raw: string): string | undefined {
  let host = '';
  try {
    host = new URL(raw.trim()).hostname.toLowerCase();
  } catch {
    /* the shared check says it is not a URL */
  }
  try {
    checkScimTokenUrl(raw, { SCIMMAP_SCIM_HOSTS: host });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Checks a profile completely before anything is asked or sent. `env` is the extension host's environment: the
 * allowlist file (or SCIMMAP_SCIM_HOSTS) is read through it, exactly as the CLI reads it.
 */
export function resolveScimProfile(p: ScimProfile, env: NodeJS.ProcessEnv): ResolvedScimProfile {
  if (!p.baseUrl) throw new ScimProfileError(`profile '${p.name}' has no baseUrl (the service provider's SCIM base URL, e.g. https://app.example/scim/v2)`);
  let endpoint: ScimEndpoint;
  try {
    endpoint = parseScimEndpoint(p.baseUrl, env);
  } catch (e) {
    if (!(e instanceof EndpointError)) throw e;
    // parseScimEndpoint names SCIMMAP_SCIM_HOSTS and the file; VS Code users also get the command.
    throw new ScimProfileError(`profile '${p.name}': ${e.message}${isNotListed(e) ? `; in VS Code, ${allowlistHint(env)}` : ''}`);
  }
  const auth: ScimAuthKind = p.auth ?? 'bearer';
  let tokenUrl: string | undefined;
  if (auth === 'clientCredentials') {
    if (!p.tokenUrl) throw new ScimProfileError(`profile '${p.name}': tokenUrl (the app's OAuth 2.0 token endpoint) is required for clientCredentials`);
    if (!p.clientId) throw new ScimProfileError(`profile '${p.name}': clientId is required for clientCredentials`);
    try {
      // The same check scimTokenProvider makes (form and allowlist), here before anything is asked.
      tokenUrl = checkScimTokenUrl(p.tokenUrl, env).href;
    } catch (e) {
      if (!(e instanceof ScimAuthError)) throw e;
      const notListed = e.message.includes('is not on your SCIM host allowlist');
      throw new ScimProfileError(`profile '${p.name}': ${e.message}${notListed ? `; in VS Code, ${allowlistHint(env)}` : ''}`);
    }
  }
  return { kind: 'scim', profile: { ...p, auth }, endpoint, tokenUrl };
}

/**
 * SecretStorage key of a profile's secret: its full resolved identity (base URL; token URL and client id for client
 * credentials), not its name. A profile edited to point anywhere else finds no secret and asks again.
 */
export function scimSecretKey(r: ResolvedScimProfile): string {
  const p = r.profile;
  const parts = p.auth === 'bearer' ? [r.endpoint.url] : [r.endpoint.url, r.tokenUrl ?? '', p.clientId ?? '', p.scope ?? '', p.resource ?? '', p.clientAuth ?? ''];
  return `scimmap.scim.${r.profile.auth}:v1|${parts.map(encodeURIComponent).join('|')}`;
}

/** The ScimAuth for src/targets/scim/auth.ts's scimTokenProvider. */
export function scimAuthOf(r: ResolvedScimProfile, secret: string): ScimAuth {
  if (r.profile.auth === 'bearer') return { kind: 'bearer', token: secret };
  const p = r.profile;
  return { kind: 'clientCredentials', tokenUrl: r.tokenUrl!, clientId: p.clientId!, clientSecret: secret, scope: p.scope, resource: p.resource, clientAuth: p.clientAuth };
}

/** What the password box asks for, and where the secret goes. */
export function secretPrompt(r: ResolvedScimProfile): { title: string; prompt: string } {
  const host = new URL(r.endpoint.origin).host;
  if (r.profile.auth === 'bearer') {
    return { title: `Bearer token for '${r.profile.name}'`, prompt: `The token ${host} issued for SCIM provisioning, sent only to ${host}. It is kept in VS Code's secret storage only.` };
  }
  return {
    title: `Client secret for '${r.profile.name}'`,
    prompt: `The client secret of ${r.profile.clientId ?? '?'}, sent only to ${new URL(r.tokenUrl!).host}. It is kept in VS Code's secret storage only.`,
  };
}

/** Validation of the base URL input box: format only (the allowlist step comes after, with the user's consent). */
export function baseUrlInputProblem(text: string): string | undefined {
  if (!text.trim()) return 'The SCIM base URL of the service provider, e.g. https://app.example.com/scim/v2';
  try {
    parseScimEndpoint(text, { SCIMMAP_SCIM_HOSTS: '' });
    return undefined;
  } catch (e) {
    // Only the URL's form is checked here: the allowlist step comes next, with the user's consent.
    if (isNotListed(e)) return undefined;
    return e instanceof Error ? e.message : String(e);
  }
}

/** The hosts a profile sends to that need an allowlist entry (the base URL's; the token URL's when elsewhere). */
export function hostsToAllow(baseUrl: string, tokenUrl?: string): string[] {
  const out: string[] = [];
  for (const raw of [baseUrl, tokenUrl]) {
    if (!raw) continue;
    const h = new URL(raw.trim()).hostname.toLowerCase();
    if (!isLoopbackHost(h) && !out.includes(h)) out.push(h);
  }
  return out;
}

/** A one-line description for pickers: host, auth, loopback. */
export function describeScimProfile(r: ResolvedScimProfile): string {
  const host = new URL(r.endpoint.origin).host;
  return `SCIM · ${host}${new URL(r.endpoint.url).pathname} · ${r.profile.auth === 'bearer' ? 'bearer token' : `client credentials (${r.profile.clientId})`}${isLoopbackHost(new URL(r.endpoint.origin).hostname) ? ' · loopback' : ''}`;
}

/** The modal confirmation of a SCIM test upload: where the records go, how it signs in, what the server does. */
export function scimConfirmationText(
  r: ResolvedScimProfile,
  o: {
    records: number; what: string; mappingName: string; sourceLine: string; signIn: string;
    server: { patch: boolean; etag: boolean }; managers: number; warnings: readonly string[];
    resume?: { previouslyAccepted: number };
    /** The users go over /Bulk, at most this many per request (absent: one user per request). */
    bulk?: { maxOperations: number };
  },
): { message: string; detail: string } {
  const host = new URL(r.endpoint.origin).host;
  const loopback = isLoopbackHost(new URL(r.endpoint.origin).hostname);
  const n = o.records;
  const lines = [
    `SCIM base URL: ${r.endpoint.url}${loopback ? ' — on this machine' : ''}`,
    `Records: ${n} — ${o.what} from ${o.mappingName}, ${o.bulk ? `over /Bulk, up to ${o.bulk.maxOperations} users per request` : 'one user at a time'}`,
    `Source file: ${o.sourceLine}`,
    `Sign-in: ${o.signIn}`,
    `Updates: ${o.server.patch ? 'PATCH of the mapped attributes' : 'PUT of the whole user (the server has no PATCH: attributes the HR record leaves empty are cleared)'}${o.server.etag ? ', with If-Match' : ''}`,
    `Manager links: ${o.managers ? `${o.managers}, set with the server's ids ${o.bulk ? 'in the same Bulk request where the manager is known or created there, else in a second pass' : 'in a second pass'}` : 'none'}`,
    `Profile: ${r.profile.name}`,
  ];
  if (o.resume) lines.push(`Resuming: ${o.resume.previouslyAccepted} operation(s) already done are not sent again.`);
  for (const w of o.warnings) lines.push(`Warning: ${w}`);
  if (!loopback) lines.push('', `These records are personal data; they leave this machine for ${host}.`);
  return { message: `${o.resume ? 'Resume the upload of' : 'Send'} ${n} record${n === 1 ? '' : 's'} to ${host} (SCIM)?`, detail: lines.join('\n') };
}
