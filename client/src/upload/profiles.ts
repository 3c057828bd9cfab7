/**
 * Upload profiles (setting `scimmap.upload.profiles`): where a test upload goes and how it signs in.
 * Upload destinations belong to the user, not to the workspace: the settings are application-scoped and only the
 * user-level value is ever read (a repository's .vscode/settings.json cannot define or select a profile).
 * Pure: no `vscode` import, so the unit tests run on plain node.
 */
import { buildEndpoint, EndpointError, parseEndpoint, signInOriginFor, type UploadEndpoint } from '../../../src/targets/entra/upload/endpoint';
import { readScimProfile, type ScimProfile } from './scimProfiles';

export type AuthKind = 'clientSecret' | 'certificate' | 'signIn';

export interface UploadProfile {
  name: string;
  /** The portal's "Provisioning API Endpoint" (…/servicePrincipals/{id}/synchronization/jobs/{jobId}/bulkUpload). */
  endpoint?: string;
  /** Alternative to `endpoint` (public cloud, v1.0). */
  servicePrincipalId?: string;
  jobId?: string;
  tenantId?: string;
  clientId?: string;
  auth?: AuthKind;
  certificatePath?: string;
  authorityHost?: string;
}

export interface ResolvedProfile {
  profile: UploadProfile & { auth: AuthKind };
  endpoint: UploadEndpoint;
  /**
   * Sign-in origin: derived from the endpoint's cloud (the stand-in's own origin on loopback); a profile's
   * `authorityHost` only when it belongs with the endpoint (never a mixture).
   */
  authorityHost: string;
}

/** What `WorkspaceConfiguration.inspect()` returns, reduced to what matters here. */
export interface SettingLevels<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * The user-level value of an upload setting, and a note for each workspace-level value that was ignored. VS Code
 * already drops workspace values of application-scoped settings; this is the second lock, so that an older VS Code
 * or another host that does not honour the scope still cannot let a repository choose where secrets go.
 */
export function userLevel<T>(name: string, levels: SettingLevels<T> | undefined): { value: T | undefined; ignored: string[] } {
  const ignored: string[] = [];
  if (levels?.workspaceValue !== undefined) ignored.push(`${name} in the workspace settings is ignored: upload settings are read from your user settings only`);
  if (levels?.workspaceFolderValue !== undefined) ignored.push(`${name} in a folder's settings is ignored: upload settings are read from your user settings only`);
  return { value: levels?.globalValue, ignored };
}

export class ProfileError extends Error {
  override name = 'ProfileError';
}

export const STAND_IN_PROFILE = 'Local stand-in';
export const STAND_IN_TENANT = 'standin';
export const STAND_IN_CLIENT = 'standin-app';
const AUTH_KINDS: AuthKind[] = ['clientSecret', 'certificate', 'signIn'];
const TENANT_RE = /^[A-Za-z0-9.-]+$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * Reads the raw setting; entries that are not objects with a name are reported, not silently dropped. Entra
 * profiles (no `kind`, or `"kind": "entra"`) go to `profiles`, SCIM endpoints (`"kind": "scim"`) to `scim`; names
 * are unique across both.
 */
export function readProfiles(raw: unknown): { profiles: UploadProfile[]; scim: ScimProfile[]; problems: string[] } {
  const profiles: UploadProfile[] = [];
  const scim: ScimProfile[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { profiles, scim, problems };
  if (!Array.isArray(raw)) return { profiles, scim, problems: ['scimmap.upload.profiles must be an array'] };
  const seen = new Set<string>();
  raw.forEach((e: unknown, i) => {
    if (!e || typeof e !== 'object') return void problems.push(`profile ${i + 1} is not an object`);
    const o = e as Record<string, unknown>;
    const name = str(o.name);
    if (!name) return void problems.push(`profile ${i + 1} has no name`);
    if (seen.has(name)) return void problems.push(`profile '${name}' is defined twice; the first one is used`);
    seen.add(name);
    const kind = str(o.kind);
    if (kind === 'scim') return void scim.push(readScimProfile(name, o, problems));
    if (kind && kind !== 'entra') return void problems.push(`profile '${name}': unknown kind '${kind}' (entra or scim)`);
    const auth = str(o.auth);
    profiles.push({
      name,
      endpoint: str(o.endpoint),
      servicePrincipalId: str(o.servicePrincipalId),
      jobId: str(o.jobId),
      tenantId: str(o.tenantId),
      clientId: str(o.clientId),
      auth: auth && (AUTH_KINDS as string[]).includes(auth) ? (auth as AuthKind) : undefined,
      certificatePath: str(o.certificatePath),
      authorityHost: str(o.authorityHost),
    });
    if (auth && !(AUTH_KINDS as string[]).includes(auth)) problems.push(`profile '${name}': unknown auth '${auth}' (clientSecret, certificate or signIn)`);
  });
  return { profiles, scim, problems };
}

/** Checks a profile completely before anything is asked or sent; the messages say what to fix. */
export function resolveProfile(p: UploadProfile): ResolvedProfile {
  let endpoint: UploadEndpoint;
  try {
    if (p.endpoint) endpoint = parseEndpoint(p.endpoint);
    else if (p.servicePrincipalId && p.jobId) endpoint = buildEndpoint({ servicePrincipalId: p.servicePrincipalId, jobId: p.jobId });
    else throw new ProfileError(`profile '${p.name}' has no endpoint (paste the Provisioning API Endpoint from the portal)`);
  } catch (e) {
    if (e instanceof EndpointError) throw new ProfileError(`profile '${p.name}': ${e.message}`);
    throw e;
  }
  const auth: AuthKind = p.auth ?? 'clientSecret';
  let authorityHost: string;
  try {
    authorityHost = signInOriginFor(endpoint, p.authorityHost);
  } catch (e) {
    if (e instanceof EndpointError) throw new ProfileError(`profile '${p.name}': ${e.message}`);
    throw e;
  }
  if (auth === 'signIn' && (endpoint.loopback || endpoint.cloud !== 'public')) {
    // VS Code's Microsoft account is a public-cloud sign-in: its token must go to graph.microsoft.com only.
    throw new ProfileError(
      `profile '${p.name}': "auth": "signIn" uses your Microsoft account (public cloud) and works only with graph.microsoft.com endpoints; use a client secret or certificate for ${endpoint.loopback ? 'the local stand-in' : `the ${endpoint.cloud} cloud`}`,
    );
  }
  if (p.tenantId !== undefined && !TENANT_RE.test(p.tenantId)) throw new ProfileError(`profile '${p.name}': invalid tenant id '${p.tenantId}'`);
  if (auth !== 'signIn') {
    if (!p.tenantId) throw new ProfileError(`profile '${p.name}': tenantId is required for ${auth} sign-in`);
    if (!p.clientId) throw new ProfileError(`profile '${p.name}': clientId (the app registration's application id) is required for ${auth} sign-in`);
  }
  if (auth === 'certificate' && !p.certificatePath) throw new ProfileError(`profile '${p.name}': certificatePath (a PEM file with the private key and certificate) is required`);
  return { profile: { ...p, auth }, endpoint, authorityHost };
}

/**
 * SecretStorage key of a profile's client secret: the full resolved identity (endpoint origin, sign-in origin,
 * tenant, client; the certificate file for a passphrase), not the profile's name. A profile edited to point
 * anywhere else — another host, sign-in host, tenant or app — finds no secret and asks for one.
 */
export function secretKey(r: ResolvedProfile, kind: 'clientSecret' | 'certificatePassphrase' = 'clientSecret'): string {
  const p = r.profile;
  const parts = [r.endpoint.origin, r.authorityHost, (p.tenantId ?? '').toLowerCase(), (p.clientId ?? '').toLowerCase()];
  if (kind === 'certificatePassphrase') parts.push(p.certificatePath ?? '');
  return `scimmap.upload.${kind}:v2|${parts.map(encodeURIComponent).join('|')}`;
}

/** Replaces the profile of the same name (keeping its position) or appends it. */
export function upsertProfile(list: readonly unknown[], profile: UploadProfile | ScimProfile): unknown[] {
  const out = [...list];
  const i = out.findIndex((e) => !!e && typeof e === 'object' && (e as { name?: unknown }).name === profile.name);
  const clean = Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined));
  if (i >= 0) out[i] = { ...(out[i] as object), ...clean };
  else out.push(clean);
  return out;
}

/** The profile the stand-in command writes: its endpoint (which is also its sign-in host) and the ids it accepts. */
export function standInProfile(endpointUrl: string): UploadProfile {
  // authorityHost is written (not left to derivation) so that it replaces the one of an earlier port on upsert.
  return { name: STAND_IN_PROFILE, endpoint: endpointUrl, authorityHost: new URL(endpointUrl).origin, tenantId: STAND_IN_TENANT, clientId: STAND_IN_CLIENT, auth: 'clientSecret' };
}

/** A port the stand-in used before (from the saved profile), so that a restart keeps the profile valid. */
export function previousStandInPort(profiles: UploadProfile[]): number | undefined {
  const p = profiles.find((x) => x.name === STAND_IN_PROFILE);
  if (!p?.endpoint) return undefined;
  try {
    const u = new URL(p.endpoint);
    const port = Number(u.port);
    return u.hostname === '127.0.0.1' && Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** Validation for the "paste the endpoint" input box: undefined when fine, else the message to show. */
export function endpointInputProblem(text: string): string | undefined {
  if (!text.trim()) return 'Paste the Provisioning API Endpoint from the Entra portal (Enterprise applications → your app → Overview)';
  try {
    parseEndpoint(text);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function tenantInputProblem(text: string, required: boolean): string | undefined {
  if (!text.trim()) return required ? 'The directory (tenant) id or a verified domain such as contoso.onmicrosoft.com' : undefined;
  return TENANT_RE.test(text.trim()) ? undefined : 'A tenant id is a GUID or a domain name';
}

/** A default name for a profile created from a pasted endpoint. */
export function suggestProfileName(endpoint: UploadEndpoint, existing: UploadProfile[]): string {
  const base = endpoint.loopback ? `Stand-in ${new URL(endpoint.origin).host}` : `${endpoint.cloud === 'public' ? 'Entra' : `Entra (${endpoint.cloud})`} job ${endpoint.jobId.split('.').pop()?.slice(0, 8) ?? endpoint.jobId}`;
  let name = base;
  for (let i = 2; existing.some((p) => p.name === name); i++) name = `${base} (${i})`;
  return name;
}
