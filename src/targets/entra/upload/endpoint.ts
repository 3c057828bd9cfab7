/**
 * The bulkUpload endpoint: parsing what the user pasted (the portal's "Provisioning API Endpoint") or built from
 * ids, and the allowlist that decides where tokens and HR data may be sent.
 */
import { redact } from '../../../delivery/redact';
import { TargetRefusedError } from '../../../delivery/transport';

export type GraphVersion = 'v1.0' | 'beta';
export type Cloud = 'public' | 'usgov' | 'dod' | 'china' | 'local';

export interface UploadEndpoint {
  /** Normalised bulkUpload URL. */
  url: string;
  /** scheme://host[:port] every request of the run must stay on. */
  origin: string;
  version: GraphVersion;
  servicePrincipalId: string;
  jobId: string;
  cloud: Cloud;
  /** True for the local stand-in (explicit loopback address and port). */
  loopback: boolean;
  /** `${origin}/${version}/auditLogs/provisioning` */
  provisioningLogsUrl: string;
  /** OAuth scope for client credentials, e.g. `https://graph.microsoft.com/.default`. */
  scope: string;
  /** Default sign-in host of the cloud (`https://login.microsoftonline.com`); for loopback the stand-in origin. */
  authorityHost: string;
  /** Things that look wrong but are not refused (e.g. a job id of an unusual shape). */
  warnings: string[];
}

/** A bad or disallowed endpoint; as a TargetRefusedError it stops a delivery run. */
export class EndpointError extends TargetRefusedError {
  override name = 'EndpointError';
}

/** https Graph hosts of the public and national clouds, with their sign-in hosts. */
export const GRAPH_HOSTS: Readonly<Record<string, { cloud: Cloud; authorityHost: string }>> = {
  'graph.microsoft.com': { cloud: 'public', authorityHost: 'https://login.microsoftonline.com' },
  'graph.microsoft.us': { cloud: 'usgov', authorityHost: 'https://login.microsoftonline.us' },
  'dod-graph.microsoft.us': { cloud: 'dod', authorityHost: 'https://login.microsoftonline.us' },
  'microsoftgraph.chinacloudapi.cn': { cloud: 'china', authorityHost: 'https://login.chinacloudapi.cn' },
};

const CLOUD_HOST: Record<Exclude<Cloud, 'local'>, string> = {
  public: 'graph.microsoft.com',
  usgov: 'graph.microsoft.us',
  dod: 'dod-graph.microsoft.us',
  china: 'microsoftgraph.chinacloudapi.cn',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const JOB_ID_RE = /^API2A?AD\.[0-9a-f]{32}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PATH_RE = /^\/(v1\.0|beta)\/servicePrincipals\/([^/]+)\/synchronization\/jobs\/([^/]+)\/bulkUpload\/?$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * Checks one URL against the allowlist and returns it parsed. Used for the endpoint itself and for every URL the
 * engine is about to call (paging links, Location headers), so that nothing can steer a token elsewhere.
 */
export function checkAllowedUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    // Redact a bounded head (whole secrets up to 800 characters stay whole): redaction is not free on 200,000 characters.
    throw new EndpointError(`not a URL: '${redact(raw.slice(0, 1000)).slice(0, 200)}'`);
  }
  if (u.username || u.password) throw new EndpointError('refused: URLs with user names or passwords are not allowed');
  const host = u.hostname.toLowerCase();
  if (isLoopbackHost(host)) {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new EndpointError(`refused: unsupported scheme ${u.protocol}`);
    if (!u.port) {
      throw new EndpointError(`refused: a loopback endpoint must name its port explicitly (e.g. http://127.0.0.1:8080/...)`);
    }
    return u;
  }
  if (!(host in GRAPH_HOSTS)) {
    throw new EndpointError(
      `refused: '${host}' is not a Microsoft Graph host. Allowed: ${Object.keys(GRAPH_HOSTS).join(', ')} over https, ` +
        `or the local stand-in on http(s)://127.0.0.1, localhost or [::1] with a port`,
    );
  }
  if (u.protocol !== 'https:') throw new EndpointError(`refused: ${host} must be reached over https (plain http is only allowed on loopback)`);
  if (u.port && u.port !== '443') throw new EndpointError(`refused: ${host} on port ${u.port}; Graph is only reached on 443`);
  return u;
}

/**
 * A pasted URL without surrounding whitespace, leading `"'<` and trailing `"'>` (as copied from mail or a doc).
 * A scan, not `/^["'<]+|["'>]+$/g`: the unanchored second branch rescans the tail from every quote (quadratic).
 */
export function stripPastedQuotes(raw: string): string {
  const text = raw.trim();
  let a = 0;
  let b = text.length;
  while (a < b && (text[a] === '"' || text[a] === "'" || text[a] === '<')) a++;
  while (b > a && (text[b - 1] === '"' || text[b - 1] === "'" || text[b - 1] === '>')) b--;
  return text.slice(a, b);
}

/** Parses the bulkUpload URL as copied from the portal (v1.0 or beta). */
export function parseEndpoint(raw: string): UploadEndpoint {
  const text = stripPastedQuotes(raw);
  const u = checkAllowedUrl(text);
  if (u.search || u.hash) throw new EndpointError('the bulkUpload endpoint takes no query string or fragment');
  const m = PATH_RE.exec(decodeURIComponent(u.pathname));
  if (!m) {
    throw new EndpointError(
      `not a bulkUpload endpoint: expected /{v1.0|beta}/servicePrincipals/{id}/synchronization/jobs/{jobId}/bulkUpload, got '${u.pathname}'`,
    );
  }
  return make(u, m[1].toLowerCase() === 'beta' ? 'beta' : 'v1.0', m[2], m[3]);
}

export interface EndpointParts {
  servicePrincipalId: string;
  jobId: string;
  version?: GraphVersion;
  /** A national cloud; default public. */
  cloud?: Exclude<Cloud, 'local'>;
  /** Instead of `cloud`: an explicit base such as `http://127.0.0.1:8080` (the stand-in). */
  baseUrl?: string;
}

/** Builds the endpoint from service principal id + job id (the settings form of an upload profile). */
export function buildEndpoint(parts: EndpointParts): UploadEndpoint {
  const base = parts.baseUrl ?? `https://${CLOUD_HOST[parts.cloud ?? 'public']}`;
  const u = checkAllowedUrl(base);
  if (u.pathname !== '/' && u.pathname !== '') throw new EndpointError('the base URL must not carry a path');
  return make(u, parts.version ?? 'v1.0', parts.servicePrincipalId, parts.jobId);
}

function make(u: URL, version: GraphVersion, sp: string, jobId: string): UploadEndpoint {
  if (!ID_RE.test(sp)) throw new EndpointError(`invalid service principal id '${sp}'`);
  if (!ID_RE.test(jobId)) throw new EndpointError(`invalid job id '${jobId}'`);
  const loopback = isLoopbackHost(u.hostname);
  const warnings: string[] = [];
  if (!loopback && !GUID_RE.test(sp)) warnings.push(`service principal id '${sp}' is not a GUID`);
  if (!JOB_ID_RE.test(jobId)) warnings.push(`job id '${jobId}' does not look like API2AAD.<32 hex>.<guid> or API2AD.<32 hex>.<guid>`);
  const origin = u.origin;
  const graph = GRAPH_HOSTS[u.hostname.toLowerCase()];
  return {
    url: `${origin}/${version}/servicePrincipals/${encodeURIComponent(sp)}/synchronization/jobs/${encodeURIComponent(jobId)}/bulkUpload`,
    origin,
    version,
    servicePrincipalId: sp,
    jobId,
    cloud: graph ? graph.cloud : 'local',
    loopback,
    provisioningLogsUrl: `${origin}/${version}/auditLogs/provisioning`,
    scope: graph ? `https://${u.hostname.toLowerCase()}/.default` : 'https://graph.microsoft.com/.default',
    authorityHost: graph ? graph.authorityHost : origin,
    warnings,
  };
}

/** Sign-in hosts each cloud's tokens come from (the China cloud has two names for the same service). */
const CLOUD_SIGN_IN: Record<Exclude<Cloud, 'local'>, string[]> = {
  public: ['login.microsoftonline.com'],
  usgov: ['login.microsoftonline.us'],
  dod: ['login.microsoftonline.us'],
  china: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
};

/**
 * The sign-in origin for an endpoint: derived from the endpoint's cloud, and an explicitly requested one only when it
 * belongs to the same place. A Graph cloud signs in only at its own login host (https); a loopback endpoint (the
 * stand-in) only at a loopback origin. Mixtures are refused: a real Microsoft token must never travel to a loopback
 * listener over plain http, and a client secret meant for Microsoft must never be posted to a local listener.
 */
export function signInOriginFor(endpoint: Pick<UploadEndpoint, 'cloud' | 'loopback' | 'origin' | 'authorityHost'>, requested?: string): string {
  if (requested === undefined || requested.trim() === '') return endpoint.loopback ? endpoint.origin : new URL(endpoint.authorityHost).origin;
  let u: URL;
  try {
    u = new URL(requested.trim());
  } catch {
    throw new EndpointError(`invalid sign-in host '${redact(requested).slice(0, 200)}'`);
  }
  if (u.username || u.password) throw new EndpointError('refused: the sign-in host must not carry a user name or password');
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) throw new EndpointError(`refused: the sign-in host '${u.host}' must be an origin only (no path)`);
  const host = u.hostname.toLowerCase();
  if (endpoint.loopback) {
    if (!isLoopbackHost(host)) {
      throw new EndpointError(`refused: the endpoint is the local stand-in (${endpoint.origin}) but the sign-in host is ${u.host}; a loopback endpoint signs in only on loopback`);
    }
    if (!u.port) throw new EndpointError('refused: a loopback sign-in host must name its port');
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new EndpointError(`refused: unsupported scheme ${u.protocol}`);
    return u.origin;
  }
  const allowed = CLOUD_SIGN_IN[endpoint.cloud as Exclude<Cloud, 'local'>] ?? [];
  if (u.protocol !== 'https:' || !allowed.includes(host) || (u.port && u.port !== '443')) {
    throw new EndpointError(
      `refused: the endpoint is in the ${endpoint.cloud} cloud, whose sign-in host is ${allowed.map((h) => `https://${h}`).join(' or ')}, not ${u.protocol}//${u.host}`,
    );
  }
  return u.origin;
}

/**
 * Refuses a token provider bound to a sign-in origin that does not belong with the endpoint. The upload and the
 * log reader call it before the first token is asked for, so a mixture fails in the engine, whatever the caller.
 */
export function assertSignInMatches(endpoint: UploadEndpoint, signInOrigin: string | undefined): void {
  if (signInOrigin === undefined) return; // a pre-acquired token: nothing is signed in here
  signInOriginFor(endpoint, signInOrigin);
}

/** Refuses a URL (paging link, redirect target) that leaves the endpoint's origin. */
export function assertSameOrigin(endpoint: UploadEndpoint, raw: string): URL {
  const u = checkAllowedUrl(raw);
  if (u.origin !== endpoint.origin) {
    throw new EndpointError(`refused: ${u.origin} is not the endpoint's origin ${endpoint.origin}`);
  }
  return u;
}
