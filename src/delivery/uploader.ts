/**
 * Delivers BulkRequests to a target (Entra bulkUpload: src/targets/entra/upload/uploader.ts): paced (40 calls per 5 s), retried within bounds, journaled,
 * cancellable, and summarised per batch and per record.
 *
 * Retry and resend policy:
 * - 202 is final: a batch that got 202 is never sent again (not in this run, and not after a resume).
 * - 429: wait `Retry-After` (seconds or HTTP date) when present, else exponential backoff with jitter; the whole
 *   client pauses, not just the worker that was throttled.
 * - 5xx and network errors: bounded retries with backoff. A connection that drops after the service accepted the
 *   request cannot be told apart from one that dropped before; we re-send anyway, because Entra matches records by
 *   externalId and a re-sent complete record is processed as an update of the same user (no duplicate account).
 * - 401: refresh the token once (shared by all workers) and retry; a second 401 stops the run.
 * - 403 stops the run (missing permission); other 4xx fail the batch and the run goes on.
 */
import type { BulkOperation, BulkRequest } from '../engine/types';
import { DeliveryResponse as GraphResponse, DeliveryTarget, NetworkError, TargetRefusedError } from './transport';
import type { Journal } from './journal';
import { redact, redactError, registerSecret } from './redact';
import { AbortedError, backoffDelay, parseRetryAfter, sleep, SlidingWindowPacer } from './timing';
import type {
  BatchStatus,
  BatchSummary,
  RecordOutcome,
  StopReason,
  TokenProvider,
  UploadProgress,
  UploadSummary,
  UploadTotals,
} from './types';

export const MAX_OPERATIONS_PER_REQUEST = 50;

export interface RetryPolicy {
  /** Retries after 5xx or network errors, per batch. Default 5. */
  maxRetries?: number;
  /** Retries after 429, per batch. Default 12. */
  maxThrottleRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this stops the run (e.g. the daily limit); resume later. Default 5 min. */
  maxRetryAfterMs?: number;
}

export interface DeliveryOptions {
  target: DeliveryTarget;
  tokens: TokenProvider;
  signal?: AbortSignal;
  onProgress?: (event: UploadProgress) => void;
  /** Default 40 calls per 5000 ms (Entra's documented limit). */
  pacing?: { maxCalls?: number; windowMs?: number; marginMs?: number };
  /** Requests in flight at once. Default 4 (enough to reach the pacing ceiling with real Graph latency). */
  concurrency?: number;
  retry?: RetryPolicy;
  journal?: Journal;
  requestTimeoutMs?: number;
  /** On cancel, how long a request already in flight may finish so that its outcome is known. Default 10 s. */
  inFlightGraceMs?: number;
  /** For jitter; inject a seeded one in tests. */
  random?: () => number;
  /**
   * Called with the operations of each batch the target accepted (202), before the journal records it. A throw
   * stops the run (e.g. sync's state could not be written).
   */
  onAccepted?: (ops: BulkOperation[]) => void;
  /**
   * Ordinal of the first operation of this stream (default 0): a target that delivers in passes (SCIM: users, then
   * manager links) numbers the second pass after the first so that one journal tells them apart.
   */
  firstOrdinal?: number;
  /** Leave the journal open at the end (another pass follows); the caller closes it. Default false. */
  keepJournalOpen?: boolean;
}

interface PreparedBatch {
  seq: number;
  request: BulkRequest;
  ordinals: number[];
  ops: BulkOperation[];
}

/** All workers share one token and refresh it at most once per 401 wave. */
class SharedToken {
  private refreshing?: Promise<string>;
  private latest?: string;
  constructor(private readonly provider: TokenProvider) {}

  async current(): Promise<string> {
    if (this.refreshing) return this.refreshing;
    return this.remember(await this.provider.getToken(false));
  }

  async refresh(rejected: string): Promise<string> {
    if (this.refreshing) return this.refreshing;
    if (this.latest && this.latest !== rejected) return this.latest;
    this.refreshing = this.provider.getToken(true).then((t) => this.remember(t));
    try {
      return await this.refreshing;
    } finally {
      this.refreshing = undefined;
    }
  }

  private remember(t: string): string {
    registerSecret(t);
    this.latest = t;
    return t;
  }
}

function externalIdOf(op: BulkOperation): string | undefined {
  const v = op?.data?.externalId;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export async function deliverBatches(batches: AsyncIterable<BulkRequest> | Iterable<BulkRequest>, opts: DeliveryOptions): Promise<UploadSummary> {
  const started = Date.now();
  const { target, journal, signal } = opts;
  const retry = {
    maxRetries: opts.retry?.maxRetries ?? 5,
    maxThrottleRetries: opts.retry?.maxThrottleRetries ?? 12,
    baseDelayMs: opts.retry?.baseDelayMs ?? 1000,
    maxDelayMs: opts.retry?.maxDelayMs ?? 60_000,
    maxRetryAfterMs: opts.retry?.maxRetryAfterMs ?? 300_000,
  };
  const random = opts.random ?? Math.random;
  const windowMs = opts.pacing?.windowMs ?? 5000;
  const pacer = new SlidingWindowPacer(opts.pacing?.maxCalls ?? 40, windowMs, opts.pacing?.marginMs);
  const token = new SharedToken(opts.tokens);
  const emit = (e: UploadProgress): void => {
    try {
      opts.onProgress?.(e);
    } catch {
      /* a broken listener must not break the upload */
    }
  };

  const totals: UploadTotals = { records: 0, sent: 0, accepted: 0, failed: 0, notSent: 0, previouslyAccepted: 0, batches: 0, retried: 0, calls: 0 };
  const batchSummaries: BatchSummary[] = [];
  const records: RecordOutcome[] = [];
  let stopped: { reason: StopReason; message: string } | undefined;
  const stop = (reason: StopReason, message: string): void => {
    if (stopped) return;
    stopped = { reason, message: redact(message) };
    emit({ type: 'stopped', ...stopped });
  };

  // A request already in flight when the user cancels gets a grace period, so that its outcome is known and
  // journaled instead of left in doubt.
  const inFlight = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    stop('cancelled', 'cancelled by the user');
    graceTimer = setTimeout(() => inFlight.abort(), opts.inFlightGraceMs ?? 10_000);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  // Pulling from the source is serialised; batch numbers and ordinals follow the source order.
  const iterator = (Symbol.asyncIterator in batches
    ? (batches as AsyncIterable<BulkRequest>)[Symbol.asyncIterator]()
    : (batches as Iterable<BulkRequest>)[Symbol.iterator]()) as AsyncIterator<BulkRequest> | Iterator<BulkRequest>;
  let seq = journal?.nextSeq ?? 0;
  let ordinal = opts.firstOrdinal ?? 0;
  let pullChain: Promise<unknown> = Promise.resolve();
  let exhausted = false;

  const record = (op: BulkOperation, ord: number, batchSeq: number, status: RecordOutcome['status'], extra: Partial<RecordOutcome> = {}): void => {
    records.push({ ordinal: ord, bulkId: String(op?.bulkId ?? ''), externalId: externalIdOf(op), batch: batchSeq, status, ...extra });
    totals.records++;
    if (status === 'accepted') extra.previouslyAccepted ? totals.previouslyAccepted++ : totals.accepted++;
    else if (status === 'failed') totals.failed++;
    else totals.notSent++;
  };

  const pullOne = async (): Promise<PreparedBatch | undefined> => {
    for (;;) {
      if (exhausted) return undefined;
      const r = await iterator.next();
      if (r.done) {
        exhausted = true;
        return undefined;
      }
      const req = r.value;
      const ops = Array.isArray(req?.Operations) ? req.Operations : [];
      const first = ordinal;
      ordinal += ops.length;
      const mySeq = seq++;
      const maxOps = target.maxOperations ?? MAX_OPERATIONS_PER_REQUEST;
      if (ops.length > maxOps) {
        // Entra refuses more than 50 operations per call; refuse locally rather than burn a call on a certain 400.
        const msg = `batch of ${ops.length} operations refused: ${target.maxOperations ? 'the target accepts' : 'Entra accepts'} at most ${maxOps} per request`;
        const b: BatchSummary = { seq: mySeq, first, operations: ops.length, status: 'failed', attempts: 0, errorCode: 'TooManyOperations', errorMessage: msg };
        batchSummaries.push(b);
        totals.batches++;
        ops.forEach((op, k) => record(op, first + k, mySeq, 'failed', { errorCode: 'TooManyOperations', errorMessage: msg }));
        emit({ type: 'batch-done', batch: b, totals: { ...totals } });
        continue;
      }
      const keep: BulkOperation[] = [];
      const ordinals: number[] = [];
      ops.forEach((op, k) => {
        if (journal?.wasAccepted(first + k, externalIdOf(op))) record(op, first + k, mySeq, 'accepted', { previouslyAccepted: true });
        else {
          keep.push(op);
          ordinals.push(first + k);
        }
      });
      if (!keep.length) {
        emit({ type: 'skipped', seq: mySeq, operations: ops.length });
        continue;
      }
      // Partly done by the interrupted run (per-operation journal): said too, so that progress counts every record.
      if (keep.length < ops.length) emit({ type: 'skipped', seq: mySeq, operations: ops.length - keep.length });
      const request: BulkRequest = keep.length === ops.length ? req : { ...req, Operations: keep };
      return { seq: mySeq, request, ordinals, ops: keep };
    }
  };

  const pull = (): Promise<PreparedBatch | undefined> => {
    const p = pullChain.then(pullOne);
    pullChain = p.catch(() => undefined);
    return p;
  };

  const finish = (b: PreparedBatch, status: BatchStatus, attempts: number, res?: GraphResponse, err?: { code: string; message: string }): void => {
    const summary: BatchSummary = {
      seq: b.seq,
      first: b.ordinals[0],
      operations: b.ops.length,
      status,
      attempts,
      httpStatus: res?.status,
      requestId: res?.requestId,
      clientRequestId: res?.clientRequestId,
      errorCode: err?.code,
      errorMessage: err ? redact(err.message) : undefined,
    };
    batchSummaries.push(summary);
    totals.batches++;
    if (attempts > 0) totals.sent += b.ops.length;
    const batchRecStatus = status === 'accepted' ? 'accepted' : status === 'failed' ? 'failed' : 'not-sent';
    // A target may report each operation's own outcome (SCIM /Bulk); without one, the batch's status applies.
    const statuses = b.ops.map((_, k) => res?.details?.[k]?.outcome ?? batchRecStatus);
    b.ops.forEach((op, k) => {
      const d = res?.details?.[k];
      const detail = d ? { action: d.action, httpStatus: d.httpStatus, serverId: d.serverId, scimType: d.scimType } : {};
      const e = d?.outcome && d.outcome !== 'accepted' ? { errorCode: d.error?.code ?? summary.errorCode, errorMessage: d.error ? redact(d.error.message) : summary.errorMessage } : { errorCode: summary.errorCode, errorMessage: summary.errorMessage };
      record(op, b.ordinals[k], b.seq, statuses[k]!, statuses[k] === 'accepted' ? detail : { ...detail, ...e });
    });
    const acceptedOps = b.ops.filter((_, k) => statuses[k] === 'accepted');
    if (acceptedOps.length && opts.onAccepted) {
      try {
        opts.onAccepted(acceptedOps);
      } catch (e) {
        stop('journal', `could not record accepted batch ${b.seq + 1}: ${redactError(e)}`);
      }
    }
    if (attempts > 0 && journal) {
      // One journal line per distinct outcome, so that a resume skips exactly the operations that were done.
      const uniform = statuses.every((x) => x === batchRecStatus);
      const groups = new Map<BatchStatus, number[]>();
      statuses.forEach((s, k) => {
        const js: BatchStatus = uniform ? status : s;
        const g = groups.get(js);
        if (g) g.push(k);
        else groups.set(js, [k]);
      });
      for (const [js, ks] of groups) {
        journal.batch({
          seq: b.seq,
          ordinals: ks.map((k) => b.ordinals[k]!),
          idHashes: ks.map((k) => journal.idHash(externalIdOf(b.ops[k]!))),
          status: js,
          httpStatus: res?.status,
          requestId: res?.requestId,
          attempts,
          errorCode: js === 'accepted' ? undefined : summary.errorCode ?? res?.details?.[ks[0]!]?.error?.code,
        });
      }
    }
    emit({ type: 'batch-done', batch: summary, totals: { ...totals } });
  };

  const cancelled = { code: 'Cancelled', message: 'cancelled before this batch was accepted' };

  const sendBatch = async (b: PreparedBatch): Promise<void> => {
    let attempts = 0;
    let transient = 0;
    let throttles = 0;
    let refreshed = false;
    let sawNetworkError = false;
    let last: GraphResponse | undefined;
    // After a dropped connection we cannot know whether the service took the batch: a cancel then leaves it in doubt.
    const notAccepted = (): BatchStatus => (sawNetworkError ? 'in-doubt' : 'not-sent');
    const wait = async (delayMs: number, reason: string): Promise<boolean> => {
      emit({ type: 'retry', seq: b.seq, attempt: attempts, delayMs, reason });
      try {
        await sleep(delayMs, signal);
        return true;
      } catch {
        finish(b, notAccepted(), attempts, last, cancelled);
        return false;
      }
    };
    for (;;) {
      if (stopped) return finish(b, attempts ? notAccepted() : 'not-sent', attempts, last, { code: 'NotSent', message: stopped.message });
      // Token first, so that a slow sign-in does not hold a pacing slot.
      let bearer: string;
      try {
        bearer = await token.current();
      } catch (e) {
        stop('unauthorized', `could not get a token: ${redactError(e)}`);
        return finish(b, attempts ? notAccepted() : 'not-sent', attempts, last, { code: 'TokenUnavailable', message: redactError(e) });
      }
      let release: () => void;
      try {
        release = await pacer.acquire(signal);
      } catch {
        return finish(b, attempts ? notAccepted() : 'not-sent', attempts, last, cancelled);
      }
      if (attempts === 0) journal?.sending(b.seq, b.ops.length);
      attempts++;
      totals.calls++;
      if (attempts > 1) totals.retried++;
      emit({ type: 'batch-sent', seq: b.seq, attempt: attempts, operations: b.ops.length });
      let res: GraphResponse;
      try {
        res = await target.post(b.request, bearer, { signal: inFlight.signal, timeoutMs: opts.requestTimeoutMs });
      } catch (e) {
        release();
        if (e instanceof TargetRefusedError) {
          stop('endpoint', e.message);
          return finish(b, 'failed', attempts, last, { code: 'RedirectRefused', message: e.message });
        }
        if (inFlight.signal.aborted) return finish(b, 'in-doubt', attempts, last, { code: 'InDoubt', message: 'cancelled while the request was in flight; a resume re-sends it (Entra treats a re-sent record as an update)' });
        if (e instanceof NetworkError) {
          sawNetworkError = true;
          if (transient >= retry.maxRetries) return finish(b, 'failed', attempts, last, { code: 'NetworkError', message: e.message });
          transient++;
          if (!(await wait(backoffDelay(transient, retry.baseDelayMs, retry.maxDelayMs, random), e.message))) return;
          continue;
        }
        throw e;
      }
      release();
      last = res;
      const err = res.error ?? { code: `HTTP${res.status}`, message: res.text.slice(0, 300) };
      if (target.accepts ? target.accepts(res) : res.status === 202) return finish(b, 'accepted', attempts, res);
      if (res.status === 401) {
        if (!refreshed) {
          refreshed = true;
          emit({ type: 'token-refresh', seq: b.seq });
          try {
            await token.refresh(bearer);
          } catch (e) {
            stop('unauthorized', `could not refresh the token: ${redactError(e)}`);
            return finish(b, 'failed', attempts, res, err);
          }
          continue;
        }
        stop('unauthorized', `the token was rejected (${err.code}: ${err.message})`);
        return finish(b, 'failed', attempts, res, err);
      }
      if (res.status === 403) {
        stop('forbidden', `access denied (${err.code}: ${err.message})${target.forbiddenHint ? `; ${target.forbiddenHint}` : ''}`);
        return finish(b, 'failed', attempts, res, err);
      }
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
      if (res.status === 429) {
        throttles++;
        if (throttles > retry.maxThrottleRetries) return finish(b, 'failed', attempts, res, err);
        const delay = retryAfter ?? backoffDelay(throttles, retry.baseDelayMs, retry.maxDelayMs, random);
        if (delay > retry.maxRetryAfterMs) {
          stop('throttled', `throttled for ${Math.round(delay / 1000)} s (daily limit?); resume the run later`);
          return finish(b, 'not-sent', attempts, res, err);
        }
        pacer.pauseUntil(Date.now() + delay);
        if (!(await wait(delay, `throttled (429${retryAfter !== undefined ? `, Retry-After ${Math.round(delay / 1000)} s` : ''})`))) return;
        continue;
      }
      if (res.status >= 500) {
        if (transient >= retry.maxRetries) return finish(b, 'failed', attempts, res, err);
        transient++;
        const delay = Math.min(retryAfter ?? backoffDelay(transient, retry.baseDelayMs, retry.maxDelayMs, random), retry.maxRetryAfterMs);
        if (!(await wait(delay, `server error ${res.status}`))) return;
        continue;
      }
      return finish(b, 'failed', attempts, res, err);
    }
  };

  const worker = async (): Promise<void> => {
    while (!stopped) {
      const b = await pull();
      if (!b) return;
      await sendBatch(b);
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
    // Stopped early (not cancelled): list what was never sent so the summary accounts for every record.
    if (stopped && !signal?.aborted) {
      for (let b = await pullOne(); b; b = await pullOne()) {
        const bb = b;
        bb.ops.forEach((op, k) => record(op, bb.ordinals[k], bb.seq, 'not-sent', { errorCode: 'NotSent', errorMessage: stopped?.message }));
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (graceTimer) clearTimeout(graceTimer);
    if (exhausted === false) await (iterator as AsyncIterator<BulkRequest>).return?.();
    if (!opts.keepJournalOpen || stopped) journal?.close(stopped ? stopped.reason : 'completed');
  }

  records.sort((a, b) => a.ordinal - b.ordinal);
  batchSummaries.sort((a, b) => a.seq - b.seq);
  const finished = Date.now();
  return {
    endpoint: target.url,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    totals,
    batches: batchSummaries,
    records,
    stopped,
    journalPath: journal?.path,
  };
}

export { AbortedError };
