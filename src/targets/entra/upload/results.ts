/**
 * What Entra did with each uploaded record: polls `auditLogs/provisioning` for the job and the uploaded externalIds
 * until every record has an entry or the deadline passes. Entra writes these logs 5–10 minutes after the call.
 */
import { assertSignInMatches, type UploadEndpoint } from './endpoint';
import { graphRequest, FetchLike, NetworkError } from './graphClient';
import { redactError } from './redact';
import { backoffDelay, parseRetryAfter, sleep } from './timing';
import type { TokenProvider } from './types';

export const LOG_LAG_NOTICE =
  'Entra writes provisioning logs 5–10 minutes after an upload; results appear as they arrive (a paused job writes none).';

export interface ProvisioningStep {
  name?: string;
  provisioningStepType?: string;
  status?: string;
  description?: string;
}

export interface ProvisioningOutcome {
  externalId: string;
  /** False while Entra has not logged the record yet. */
  found: boolean;
  action?: string;
  status?: string;
  errorCode?: string;
  reason?: string;
  recommendedAction?: string;
  additionalDetails?: string;
  activityDateTime?: string;
  targetId?: string;
  steps?: ProvisioningStep[];
}

export interface PollOptions {
  endpoint: UploadEndpoint;
  tokens: TokenProvider;
  externalIds: string[];
  /** Ignore log entries older than this (e.g. the upload's start). */
  since?: Date;
  /** Give up after this long (default 15 minutes). */
  deadlineMs?: number;
  /** Pause between polling rounds (default 30 s). */
  intervalMs?: number;
  /**
   * externalIds per query. 1 (default) uses the documented `jobId eq … and sourceIdentity/id eq …`. Larger values
   * combine ids with `or`, which the provisioning-logs API does not document (the stand-in supports it).
   */
  idsPerQuery?: number;
  /** `$top` page size (default 100). */
  pageSize?: number;
  /** Queries in flight at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (e: { found: number; total: number; elapsedMs: number; round: number }) => void;
  fetch?: FetchLike;
}

export interface PollResult {
  outcomes: ProvisioningOutcome[];
  /** Every record has a log entry. */
  complete: boolean;
  notice: string;
}

const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

interface LogEntry {
  activityDateTime?: string;
  provisioningAction?: string;
  sourceIdentity?: { id?: string };
  targetIdentity?: { id?: string };
  provisioningSteps?: ProvisioningStep[];
  provisioningStatusInfo?: StatusInfo;
  /** beta's name for provisioningStatusInfo */
  statusInfo?: StatusInfo;
}
interface StatusInfo {
  status?: string;
  errorInformation?: { errorCode?: string; reason?: string; additionalDetails?: string; recommendedAction?: string } | null;
}

function toOutcome(externalId: string, e: LogEntry): ProvisioningOutcome {
  const info = e.provisioningStatusInfo ?? e.statusInfo ?? {};
  const err = info.errorInformation ?? undefined;
  return {
    externalId,
    found: true,
    action: e.provisioningAction,
    status: info.status,
    errorCode: err?.errorCode || undefined,
    reason: err?.reason || undefined,
    recommendedAction: err?.recommendedAction || undefined,
    additionalDetails: err?.additionalDetails || undefined,
    activityDateTime: e.activityDateTime,
    targetId: e.targetIdentity?.id,
    steps: (e.provisioningSteps ?? []).map((s) => ({ name: s.name, provisioningStepType: s.provisioningStepType, status: s.status, description: s.description })),
  };
}

async function getJson(opts: PollOptions, url: string): Promise<{ value?: LogEntry[]; '@odata.nextLink'?: string }> {
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    const token = await opts.tokens.getToken(false);
    let res;
    try {
      res = await graphRequest(opts.endpoint, url, { method: 'GET', token, signal: opts.signal, fetch: opts.fetch });
    } catch (e) {
      if (e instanceof NetworkError && attempt <= 5) {
        await sleep(backoffDelay(attempt, 1000, 30_000), opts.signal);
        continue;
      }
      throw e;
    }
    if (res.status === 200) return JSON.parse(res.text) as { value?: LogEntry[]; '@odata.nextLink'?: string };
    if (res.status === 401 && !refreshed) {
      refreshed = true;
      await opts.tokens.getToken(true);
      continue;
    }
    if ((res.status === 429 || res.status >= 500) && attempt <= 8) {
      await sleep(parseRetryAfter(res.headers.get('retry-after')) ?? backoffDelay(attempt, 1000, 30_000), opts.signal);
      continue;
    }
    const hint = res.status === 403 ? ' (reading provisioning logs needs AuditLog.Read.All or ProvisioningLog.Read.All)' : '';
    throw new Error(`provisioning logs query failed: HTTP ${res.status} ${res.error?.code ?? ''} ${res.error?.message ?? ''}${hint}`.trim());
  }
}

/** One filtered query, following `@odata.nextLink` (which must stay on the endpoint's origin). */
export async function queryProvisioningLogs(opts: PollOptions, filter: string): Promise<LogEntry[]> {
  const params = new URLSearchParams({ $filter: filter, $top: String(opts.pageSize ?? 100) });
  let url: string | undefined = `${opts.endpoint.provisioningLogsUrl}?${params.toString().replace(/\+/g, '%20')}`;
  const out: LogEntry[] = [];
  while (url) {
    const page: { value?: LogEntry[]; '@odata.nextLink'?: string } = await getJson(opts, url);
    out.push(...(page.value ?? []));
    url = page['@odata.nextLink'];
  }
  return out;
}

export async function pollProvisioningResults(opts: PollOptions): Promise<PollResult> {
  assertSignInMatches(opts.endpoint, opts.tokens.signInOrigin);
  const started = Date.now();
  const deadline = started + (opts.deadlineMs ?? 15 * 60_000);
  const interval = opts.intervalMs ?? 30_000;
  const per = Math.max(1, opts.idsPerQuery ?? 1);
  const since = opts.since?.getTime() ?? 0;
  const outcomes = new Map<string, ProvisioningOutcome>();
  const ids = [...new Set(opts.externalIds)];
  for (const id of ids) outcomes.set(id, { externalId: id, found: false });
  const jobClause = `jobId eq ${quote(opts.endpoint.jobId)}`;

  for (let round = 1; ; round++) {
    const pending = ids.filter((id) => !outcomes.get(id)!.found);
    const chunks: string[][] = [];
    for (let i = 0; i < pending.length; i += per) chunks.push(pending.slice(i, i + per));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        const idClause = chunk.length === 1 ? `sourceIdentity/id eq ${quote(chunk[0]!)}` : `(${chunk.map((id) => `sourceIdentity/id eq ${quote(id)}`).join(' or ')})`;
        const entries = await queryProvisioningLogs(opts, `${jobClause} and ${idClause}`);
        for (const e of entries) {
          const id = e.sourceIdentity?.id;
          if (!id || !outcomes.has(id)) continue;
          const t = Date.parse(e.activityDateTime ?? '') || 0;
          if (t < since) continue;
          const prev = outcomes.get(id)!;
          // The newest entry wins: a record uploaded twice shows its latest processing.
          if (!prev.found || t >= (Date.parse(prev.activityDateTime ?? '') || 0)) outcomes.set(id, toOutcome(id, e));
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
    } catch (e) {
      if (opts.signal?.aborted) break;
      throw new Error(redactError(e));
    }
    const found = ids.filter((id) => outcomes.get(id)!.found).length;
    opts.onProgress?.({ found, total: ids.length, elapsedMs: Date.now() - started, round });
    if (found === ids.length || Date.now() + interval > deadline || opts.signal?.aborted) break;
    try {
      await sleep(interval, opts.signal);
    } catch {
      break;
    }
  }
  const list = ids.map((id) => outcomes.get(id)!);
  return { outcomes: list, complete: list.every((o) => o.found), notice: LOG_LAG_NOTICE };
}
