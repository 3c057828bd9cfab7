/**
 * `--wait` for the Entra target, shared by `scimmap upload` and `scimmap sync`: after the records were accepted,
 * poll the provisioning logs for what Entra did with each one and report it the same way (text lines, JSON and
 * the exit code). An accepted request is not a provisioned user: a record Entra failed to provision is a failure.
 */
import { UsageError } from './io';
import type { TokenProvider, RecordStatus } from '../delivery/types';
import {
  formatTotals,
  logLagNotice,
  pollProvisioningResults,
  redactError,
  resultRowsOf,
  summarizeResults,
  type PollResult,
  type ResultRow,
  type ResultTotals,
  type UploadEndpoint,
} from '../targets/entra/upload';

/** The options, for `parseArgs`. */
export const WAIT_OPTIONS = {
  wait: { type: 'boolean' },
  'wait-timeout': { type: 'string' },
  'poll-interval': { type: 'string' },
} as const;

export const WAIT_HELP = `  --wait               afterwards, poll the provisioning logs for what Entra did with each record
                       (Entra writes them 5–10 minutes late) and print the totals: created / updated /
                       disabled / skipped / failed / pending, by action × status and by error code
                       (--format json: also one entry per record)
  --wait-timeout SEC   give up waiting after SEC seconds (default 900)
  --poll-interval SEC  seconds between polls (default 30)
`;

export interface WaitSettings {
  wait: boolean;
  waitTimeoutSec: number;
  pollIntervalSec: number;
}

/** The parsed values of WAIT_OPTIONS; a bad number is a usage error. */
export function waitSettings(v: { wait?: boolean; 'wait-timeout'?: string; 'poll-interval'?: string }): WaitSettings {
  const seconds = (name: string, raw: string | undefined, dflt: number): number => {
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name}: expected an integer ≥ 1, got '${raw}'`);
    return n;
  };
  return { wait: v.wait === true, waitTimeoutSec: seconds('wait-timeout', v['wait-timeout'], 900), pollIntervalSec: seconds('poll-interval', v['poll-interval'], 30) };
}

/** A record as the delivery loop reports it (UploadSummary.records). */
export interface SentRecord {
  externalId?: string;
  bulkId: string;
  status: RecordStatus;
  errorCode?: string;
  errorMessage?: string;
}

export interface WaitRequest {
  endpoint: UploadEndpoint;
  tokens: TokenProvider;
  records: readonly SentRecord[];
  /** Log entries older than this are of earlier runs. */
  since: Date;
  settings: WaitSettings;
  signal?: AbortSignal;
  /** A progress or problem line (stderr). */
  err: (line: string) => void;
}

/** Polls the logs for the accepted records; undefined when nothing was accepted or the logs could not be read (said on err). */
export async function waitForProvisioning(r: WaitRequest): Promise<PollResult | undefined> {
  const externalIds = r.records.filter((x) => x.status === 'accepted' && x.externalId).map((x) => x.externalId!);
  if (!externalIds.length || r.signal?.aborted) return undefined;
  const notice = logLagNotice(r.endpoint);
  if (notice) r.err(notice);
  try {
    return await pollProvisioningResults({
      endpoint: r.endpoint,
      tokens: r.tokens,
      externalIds,
      since: r.since,
      deadlineMs: r.settings.waitTimeoutSec * 1000,
      intervalMs: r.settings.pollIntervalSec * 1000,
      signal: r.signal,
      onProgress: (p) => r.err(`provisioning logs: ${p.found}/${p.total} record(s) logged after ${Math.round(p.elapsedMs / 1000)} s`),
    });
  } catch (e) {
    r.err(`could not read the provisioning logs: ${redactError(e)}`);
    return undefined;
  }
}

/** With --wait, the run only succeeds when every accepted record has a log entry and none failed. */
export function provisioned(settings: WaitSettings, poll: PollResult | undefined): boolean {
  return !settings.wait || (poll !== undefined && poll.complete && poll.outcomes.every((o) => o.status !== 'failure'));
}

/** The text report: totals by outcome, action × status and error code, then the records that failed provisioning. */
export function provisioningLines(records: readonly SentRecord[], poll: PollResult): string[] {
  const rows = resultRowsOf(records, poll.outcomes);
  const lines = [...formatTotals(summarizeResults(rows))];
  if (poll.notice) lines.push(`  (${poll.notice})`);
  const failed = rows.filter((r) => r.outcome === 'failed' && r.action !== 'upload');
  if (failed.length) {
    lines.push('', 'Records that failed provisioning:');
    for (const r of failed.slice(0, 50)) lines.push(`  ${r.externalId}  ${r.action ?? '?'}  ${r.code ?? r.status}`);
    if (failed.length > 50) lines.push(`  … and ${failed.length - 50} more (use --format json for all)`);
  }
  if (!poll.complete) lines.push('  Not every record has a log entry yet: Entra may still be writing them (check the provisioning logs in the portal later).');
  return lines;
}

/** The JSON report: the poll itself and `results` ({ totals, records }), absent without a poll. */
export function provisioningJson(records: readonly SentRecord[], poll: PollResult | undefined): { provisioning?: PollResult; results?: { totals: ResultTotals; records: ResultRow[] } } {
  if (!poll) return { provisioning: undefined, results: undefined };
  const rows = resultRowsOf(records, poll.outcomes);
  return { provisioning: poll, results: { totals: summarizeResults(rows), records: rows } };
}
