/**
 * Main-thread side of the evaluation worker: request/response with a hard time limit on *no progress*. The
 * worker sends a heartbeat while it reads the sample and evaluates records (a 100,000-record sample over many
 * mappings legitimately takes longer than the limit); a thread stuck in one evaluation (a backtracking regular
 * expression) sends none. Then the worker is terminated and replaced, and the caller learns which mapping was
 * being evaluated so it can be skipped.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './protocol';

type Outgoing = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class EvaluationTimeout extends Error {
  constructor(readonly key: string | undefined, readonly ms: number) {
    super(`evaluation did not finish within ${ms / 1000} s${key ? ` (while evaluating ${key})` : ''}`);
  }
}

interface Pending {
  resolve(r: WorkerResponse): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  lastKey?: string;
}

export class EvaluationHost {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Restarts so far (for logs and tests). */
  restarts = 0;

  constructor(private readonly workerPath: string, private readonly hardLimitMs = 10_000, private readonly log: (m: string) => void = () => undefined) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.workerPath, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    w.on('message', (msg: WorkerResponse) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.type === 'progress' || msg.type === 'heartbeat') {
        if (msg.type === 'progress') p.lastKey = msg.key;
        p.timer.refresh(); // the limit counts from the last sign of progress
        return;
      }
      clearTimeout(p.timer);
      this.pending.delete(msg.id);
      p.resolve(msg);
    });
    w.on('error', (e) => {
      this.log(`evaluation worker failed: ${e.message}`);
      this.fail(new Error(`evaluation worker failed: ${e.message}`));
    });
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
      this.fail(new Error('evaluation worker stopped'));
    });
    this.worker = w;
    return w;
  }

  private fail(e: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(e);
    }
  }

  request(req: Outgoing): Promise<WorkerResponse> {
    const id = this.nextId++;
    const w = this.ensure();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        this.pending.delete(id);
        this.restarts++;
        this.log(`evaluation request ${id} made no progress for ${this.hardLimitMs} ms; restarting the worker`);
        const old = this.worker;
        this.worker = undefined;
        // Everything queued behind the hung request is lost with the worker: reject it so callers retry.
        this.fail(new Error('evaluation worker restarted'));
        void old?.terminate();
        reject(new EvaluationTimeout(p?.lastKey, this.hardLimitMs));
      }, this.hardLimitMs);
      this.pending.set(id, { resolve, reject, timer });
      w.postMessage({ ...req, id });
    });
  }

  notify(req: { type: 'forget'; path?: string }): void {
    this.worker?.postMessage(req);
  }

  async dispose(): Promise<void> {
    this.fail(new Error('disposed'));
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
