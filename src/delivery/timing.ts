/** Waiting primitives: abortable sleep, Retry-After parsing, backoff with jitter, and the sliding-window pacer. */

export class AbortedError extends Error {
  override name = 'AbortError';
  constructor(message = 'cancelled') {
    super(message);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortedError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries of concurrent workers
 * spread out but never collapse to zero.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * At most `maxCalls` calls in any sliding window of `windowMs` (Entra: 40 per 5 s). Callers are served in order.
 *
 * The service counts arrival times, which we cannot see: a call arrives somewhere between our send and its
 * response. So a call keeps its slot until its response came back (`release()`) and then for a further window;
 * the (N+1)th call can then not arrive within one window of the 1st, whatever the network latency.
 * `marginMs` widens the window a little more for clock granularity.
 */
export class SlidingWindowPacer {
  private readonly slots: Array<{ t: number; done: boolean }> = [];
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly maxCalls: number,
    readonly windowMs: number,
    readonly marginMs = Math.round(windowMs * 0.01),
    private readonly clock: () => number = Date.now,
  ) {
    if (!(maxCalls >= 1) || !(windowMs > 0)) throw new RangeError('pacing needs maxCalls ≥ 1 and windowMs > 0');
  }

  /**
   * Resolves when one more call may start and returns its `release`, to be called when the call's response (or
   * failure) arrives. Rejects with AbortedError on cancel.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const turn = this.tail.then(() => this.waitTurn(signal));
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** Holds every caller until `until` (after a 429 with Retry-After, the whole client backs off). */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  private async waitTurn(signal?: AbortSignal): Promise<() => void> {
    const span = this.windowMs + this.marginMs;
    for (;;) {
      if (signal?.aborted) throw new AbortedError();
      const now = this.clock();
      for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i]!.done && this.slots[i]!.t <= now - span) this.slots.splice(i, 1);
      let wait = this.pausedUntil - now;
      if (this.slots.length >= this.maxCalls) {
        const done = this.slots.filter((s) => s.done);
        // All slots in flight: look again shortly (a release frees one a window later).
        wait = Math.max(wait, done.length ? Math.min(...done.map((s) => s.t)) + span - now : 10);
      }
      if (wait <= 0) {
        const slot = { t: now, done: false };
        this.slots.push(slot);
        return () => {
          if (!slot.done) {
            slot.done = true;
            slot.t = this.clock();
          }
        };
      }
      await sleep(wait, signal);
    }
  }
}
