/**
 * Background polling of the provisioning logs, one round at a time, so the results view fills in record by record
 * while Entra writes its logs (5–10 minutes late). Pure: no `vscode` import; time and the query are injected.
 */
import type { ProvisioningOutcome } from '../../../src/targets/entra/upload/results';

export interface PollLoopOptions {
  /** One query round for these externalIds (e.g. pollProvisioningResults with a zero deadline). */
  pollOnce(externalIds: string[]): Promise<ProvisioningOutcome[]>;
  /** The ids still without a log entry, read before every round. */
  pending(): string[];
  onOutcomes(outcomes: ProvisioningOutcome[]): void;
  intervalMs: number;
  deadlineMs: number;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type PollEnd = 'complete' | 'timed-out' | 'stopped';

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Polls right away, then every `intervalMs`, until every id is logged, the deadline passes or the signal aborts. */
export async function pollLoop(o: PollLoopOptions): Promise<PollEnd> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? defaultSleep;
  const deadline = now() + o.deadlineMs;
  for (;;) {
    if (o.signal?.aborted) return 'stopped';
    const ids = o.pending();
    if (!ids.length) return 'complete';
    const outcomes = await o.pollOnce(ids);
    if (o.signal?.aborted) return 'stopped';
    o.onOutcomes(outcomes);
    if (!o.pending().length) return 'complete';
    if (now() + o.intervalMs > deadline) return 'timed-out';
    await sleep(o.intervalMs, o.signal);
  }
}
