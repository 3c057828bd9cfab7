/**
 * Where a sync keeps its state: a per-user state directory (0700), one state per endpoint and mapping. The run
 * history, the run journals and the lock sit next to the state file.
 */
import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { cliStateDirectory } from '../delivery/stateDir';
import type { SyncDestination } from './target';

/** SCIMMAP_STATE_DIR, else the CLI's per-user state directory (shared with upload journals and their key). */
export function userStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SCIMMAP_STATE_DIR) return resolve(env.SCIMMAP_STATE_DIR);
  return cliStateDirectory(env);
}

/**
 * `<state dir>/sync/<mapping name>-<hash of endpoint and mapping path>.state` for Entra (unchanged since before SCIM
 * targets, so existing states are found), `<mapping name>-scim-<hash of "scim", endpoint, mapping path>.state` for
 * a SCIM service provider: one state per destination, never shared between the two kinds.
 */
export function defaultStatePath(endpointUrl: string, mappingPath: string, env?: NodeJS.ProcessEnv, destination: SyncDestination = 'entra'): string {
  const abs = resolve(mappingPath);
  const keyed = destination === 'entra' ? `${endpointUrl}\n${abs}` : `${destination}\n${endpointUrl}\n${abs}`;
  const key = createHash('sha256').update(keyed).digest('hex').slice(0, 16);
  const name = basename(abs).replace(/\.scimmap\.ya?ml$/i, '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40);
  return join(userStateDir(env), 'sync', `${name}${destination === 'entra' ? '' : `-${destination}`}-${key}.state`);
}

export interface SyncFiles {
  state: string;
  history: string;
  /** Directory of the run journals. */
  runs: string;
}

export function syncFiles(statePath: string): SyncFiles {
  const abs = resolve(statePath);
  return { state: abs, history: `${abs}.history.jsonl`, runs: `${abs}.runs` };
}
