/**
 * What a sync to a SCIM service provider decides after discovery, shared by `scimmap sync` and VS Code's Run Sync:
 * the compatibility findings as `server` guard verdicts (an error refuses the whole run, shown in the plan and
 * recorded in the history), the sync target with the upload defaults, and the one-line description of how the
 * records go (over /Bulk or one user per request, PATCH or PUT).
 */
import type { GuardVerdict, SyncTarget } from '../../sync';
import { bulkLimitsOf } from './bulk';
import type { ScimClient } from './client';
import type { CompatFinding } from './compat';
import type { ServerProfile } from './discovery';
import { SCIM_CONCURRENCY, SCIM_RATE_PER_SECOND } from './readiness';
import { scimSyncTarget } from './syncTarget';

export function serverGuardVerdicts(findings: readonly CompatFinding[]): GuardVerdict[] {
  const out: GuardVerdict[] = findings.map((f) => ({
    guard: 'server',
    verdict: f.severity === 'error' ? 'refuse' : 'pass',
    message: `${f.code}${f.key ? ` (${f.key})` : ''}: ${f.message}`,
    override: f.severity === 'error' ? 'none: change the mapping (scimmap server pull, docs/scim-targets.md)' : undefined,
  }));
  if (!findings.length) out.push({ guard: 'server', verdict: 'pass', message: `the server's schemas take every attribute of the mapping` });
  return out;
}

export interface ScimSyncSetupOptions {
  concurrency?: number;
  /** Operations started per second at most. */
  rate?: number;
  /** false: one user per request even where the server supports /Bulk (`--no-bulk`). */
  bulk?: false;
}

export interface ScimSyncSetup {
  target: SyncTarget;
  targetVerdicts: GuardVerdict[];
  /** Changed records go over /Bulk (a progress event then counts a request's operations). */
  bulk: boolean;
  /** e.g. "/Bulk, up to 100 users per request; patch yes, etag no" */
  path: string;
}

export function scimSyncSetup(client: ScimClient, server: ServerProfile, findings: readonly CompatFinding[], o: ScimSyncSetupOptions = {}): ScimSyncSetup {
  const limits = o.bulk === false ? '--no-bulk' : bulkLimitsOf(server.config);
  const bulk = typeof limits !== 'string';
  return {
    target: scimSyncTarget(client, server, {
      concurrency: o.concurrency ?? SCIM_CONCURRENCY,
      pacing: { maxCalls: o.rate ?? SCIM_RATE_PER_SECOND, windowMs: 1000 },
      bulk: o.bulk,
    }),
    targetVerdicts: serverGuardVerdicts(findings),
    bulk,
    path: `${bulk ? `/Bulk, up to ${(limits as Exclude<typeof limits, string>).maxOperations} users per request` : `one user per request: ${limits}`}; patch ${server.config.patch ? 'yes' : 'no: PUT'}, etag ${server.config.etag ? 'yes' : 'no'}`,
  };
}
