/**
 * Adding a host to the user's SCIM host allowlist (`scimHostsFile`): the one allowlist the CLI and VS Code share.
 * Only a deliberate user action adds to it (VS Code's "Add SCIM Endpoint…", or editing the file by hand); the file
 * lives in the user's config folder, never in a workspace.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { allowedScimHosts, scimHostsFile } from './endpoint';
import { isLoopbackHost } from '../entra/upload/endpoint';

/** A DNS host name (labels of letters, digits and hyphens), checked label by label without a regex. */
export function isHostName(host: string): boolean {
  if (!host || host.length > 253) return false;
  for (const label of host.split('.')) {
    if (!label || label.length > 63 || label.startsWith('-') || label.endsWith('-')) return false;
    for (const ch of label) {
      const c = ch.charCodeAt(0);
      const ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 45;
      if (!ok) return false;
    }
  }
  return true;
}

export interface AddHostResult {
  host: string;
  file: string;
  /** False when it was on the list already (or is loopback, which needs no entry). */
  added: boolean;
}

/**
 * Appends `host` (a host name, lower-cased; no scheme, port or path) to the allowlist file, creating it (0600, its
 * folder 0700). Loopback hosts are never written: they are allowed with an explicit port anyway.
 */
export function addScimHost(rawHost: string, env: NodeJS.ProcessEnv): AddHostResult {
  const host = rawHost.trim().toLowerCase();
  const file = scimHostsFile(env);
  if (isLoopbackHost(host)) return { host, file, added: false };
  if (!isHostName(host)) throw new Error(`'${host.slice(0, 100)}' is not a host name`);
  let text = '';
  if (existsSync(file)) text = readFileSync(file, 'utf8');
  // The file's own entries, not SCIMMAP_SCIM_HOSTS: the file is what this adds to.
  if (allowedScimHosts({ ...env, SCIMMAP_SCIM_HOSTS: undefined }).has(host)) return { host, file, added: false };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const sep = text && !text.endsWith('\n') ? '\n' : '';
  writeFileSync(file, `${text}${sep}${host}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { host, file, added: true };
}
