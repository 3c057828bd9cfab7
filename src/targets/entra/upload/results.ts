/**
 * What Entra did with each uploaded record: polls `auditLogs/provisioning` by job and time window (one paged query
 * per round, whatever the number of records) until every record has an entry or the deadline passes. Entra writes
 * these logs 5–10 minutes after the call.
 */
import { assertSignInMatches, type UploadEndpoint } from './endpoint';
import { graphRequest, FetchLike, NetworkError } from './graphClient';
import { redactError } from '../../../delivery/redact';
import { backoffDelay, parseRetryAfter, sleep } from '../../../delivery/timing';
import type { TokenProvider } from '../../../delivery/types';

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
  /** `$top` page size (default 500 for the polling window, 100 for queryProvisioningLogs). */
  pageSize?: number;
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

/** The log-lag notice for an endpoint: Entra's logs lag 5–10 minutes; the local stand-in's arrive at once. */
export function logLagNotice(endpoint: Pick<UploadEndpoint, 'loopback'>): string {
  return endpoint.loopback ? '' : LOG_LAG_NOTICE;
}

/** Pages read per round at most (a bound, not a target: 1,000 pages of `$top` entries). */
const MAX_PAGES_PER_ROUND = 1_000;

/**
 * One round over the job's log window: `jobId eq … and activityDateTime gt …`, `$top` per page, following
 * `@odata.nextLink` (Graph lists newest first) until every pending record has an entry or the pages end.
 * Entries are matched to our records by `sourceIdentity.id` (the externalId); the newest entry per record wins.
 */
async function readWindow(opts: PollOptions, sinceIso: string, outcomes: Map<string, ProvisioningOutcome>, since: number): Promise<number> {
  const filter = `jobId eq ${quote(opts.endpoint.jobId)} and activityDateTime gt ${sinceIso}`;
  const params = new URLSearchParams({ $filter: filter, $top: String(opts.pageSize ?? 500) });
  let url: string | undefined = `${opts.endpoint.provisioningLogsUrl}?${params.toString().replace(/\+/g, '%20')}`;
  const seenUrls = new Set<string>();
  const pending = new Set([...outcomes.values()].filter((o) => !o.found).map((o) => o.externalId));
  let pages = 0;
  while (url && pages < MAX_PAGES_PER_ROUND && !seenUrls.has(url)) {
    seenUrls.add(url);
    pages++;
    const page: { value?: LogEntry[]; '@odata.nextLink'?: string } = await getJson(opts, url);
    for (const e of page.value ?? []) {
      const id = e.sourceIdentity?.id;
      if (!id || !outcomes.has(id)) continue;
      const t = Date.parse(e.activityDateTime ?? '') || 0;
      if (t < since) continue;
      const prev = outcomes.get(id)!;
      // The newest entry wins: a record uploaded twice shows its latest processing.
      if (!prev.found || t >= (Date.parse(prev.activityDateTime ?? '') || 0)) outcomes.set(id, toOutcome(id, e));
      pending.delete(id);
    }
    // Newest first: once every record we wait for has shown up, older pages hold nothing newer for them.
    if (!pending.size) break;
    url = page['@odata.nextLink'];
  }
  return pages;
}

export async function pollProvisioningResults(opts: PollOptions): Promise<PollResult> {
  assertSignInMatches(opts.endpoint, opts.tokens.signInOrigin);
  const started = Date.now();
  const deadline = started + (opts.deadlineMs ?? 15 * 60_000);
  const interval = opts.intervalMs ?? 30_000;
  const since = opts.since?.getTime() ?? 0;
  // Graph documents gt/lt (not ge) for activityDateTime; one millisecond earlier keeps the bound inclusive.
  const sinceIso = new Date(Math.max(0, since - 1)).toISOString();
  const outcomes = new Map<string, ProvisioningOutcome>();
  const ids = [...new Set(opts.externalIds)];
  for (const id of ids) outcomes.set(id, { externalId: id, found: false });

  for (let round = 1; ids.length; round++) {
    try {
      await readWindow(opts, sinceIso, outcomes, since);
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
  return { outcomes: list, complete: list.every((o) => o.found), notice: logLagNotice(opts.endpoint) };
}
