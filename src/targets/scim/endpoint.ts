/**
 * A SCIM service provider's base URL (`https://app.example/scim/v2`): https, or http(s) on loopback with an explicit
 * port (tests). A non-loopback host must be on the user's own allowlist: `SCIMMAP_SCIM_HOSTS` (comma-separated host
 * names) or the user config file `$XDG_CONFIG_HOME/scimmap/scim-hosts` (one host a line), never the workspace or the
 * mapping, so that a checked-in file cannot steer records and a token to a host the user never chose.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { redact } from '../../delivery/redact';
import { EndpointError, isLoopbackHost, parseEndpoint } from '../entra/upload/endpoint';

/** A pasted URL without surrounding whitespace and quotes or angle brackets (a linear scan, no regex). */
function stripPastedQuotes(raw: string): string {
  const text = raw.trim();
  let a = 0;
  let b = text.length;
  while (a < b && (text[a] === '"' || text[a] === "'" || text[a] === '<')) a++;
  while (b > a && (text[b - 1] === '"' || text[b - 1] === "'" || text[b - 1] === '>')) b--;
  return text.slice(a, b);
}

export interface ScimEndpoint {
  /** Base URL without a trailing slash, e.g. https://app.example/scim/v2 */
  url: string;
  origin: string;
}

export { EndpointError };

/** Where the user's allowlist file is (user-scoped configuration, not the workspace). */
export function scimHostsFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'scimmap', 'scim-hosts');
}

/** The allowed SCIM hosts (lower case): the env var when set, else the user's config file, else none. */
export function allowedScimHosts(env: NodeJS.ProcessEnv): Set<string> {
  let text = env.SCIMMAP_SCIM_HOSTS;
  if (text === undefined) {
    try {
      text = readFileSync(scimHostsFile(env), 'utf8');
    } catch {
      text = '';
    }
  }
  const hosts = new Set<string>();
  for (const part of text.split(/[,\n]/)) {
    const h = part.trim().toLowerCase();
    if (h && !h.startsWith('#')) hosts.add(h);
  }
  return hosts;
}

/** True when the URL is an Entra bulkUpload endpoint (Graph or the local stand-in), not a SCIM base URL. */
export function isEntraEndpoint(raw: string): boolean {
  try {
    parseEndpoint(raw);
    return true;
  } catch {
    return false;
  }
}

export function parseScimEndpoint(raw: string, env: NodeJS.ProcessEnv): ScimEndpoint {
  const text = stripPastedQuotes(raw);
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new EndpointError(`not a URL: '${redact(text.slice(0, 1000)).slice(0, 200)}'`);
  }
  if (u.username || u.password) throw new EndpointError('refused: URLs with user names or passwords are not allowed');
  if (u.search || u.hash) throw new EndpointError('a SCIM base URL takes no query string or fragment');
  if (isEntraEndpoint(text)) {
    throw new EndpointError('refused: this is an Entra bulkUpload endpoint, not a SCIM base URL; a target: scim mapping is sent to the service provider\'s base URL (e.g. https://app.example/scim/v2), a target: entra mapping to bulkUpload');
  }
  const host = u.hostname.toLowerCase();
  if (isLoopbackHost(host)) {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new EndpointError(`refused: unsupported scheme ${u.protocol}`);
    if (!u.port) throw new EndpointError('refused: a loopback SCIM endpoint must name its port explicitly (e.g. http://127.0.0.1:8080/scim/v2)');
  } else {
    if (u.protocol !== 'https:') throw new EndpointError(`refused: ${host} must be reached over https (plain http is only allowed on loopback)`);
    const allowed = allowedScimHosts(env);
    if (!allowed.has(host)) {
      throw new EndpointError(
        `refused: '${host}' is not on your SCIM host allowlist; add it to SCIMMAP_SCIM_HOSTS or to ${scimHostsFile(env)} (one host a line) if you mean to send records there`,
      );
    }
  }
  const path = u.pathname.replace(/\/+$/, '');
  return { url: `${u.origin}${path}`, origin: u.origin };
}
