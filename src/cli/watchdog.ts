/**
 * A hard time limit for the CLI, which evaluates on its main thread. jsonata's own timeout cannot interrupt
 * a regular expression that backtracks, and a blocked main thread cannot run a timer, so a watchdog thread
 * watches a heartbeat in shared memory: the evaluation probe (engine/watchdog.ts) bumps it before every
 * evaluation and a timer bumps it whenever the event loop turns. When neither moves for the limit, the
 * watchdog names the evaluation that hangs on stderr and ends the process with exit code 1.
 */
import { Worker } from 'node:worker_threads';
import { LET_BINDINGS, setEvaluationProbe } from '../engine/watchdog';
import { UsageError } from './io';

export const DEFAULT_EVAL_TIMEOUT_SECONDS = 10;

/** Heartbeat slots (Int32): probe sequence, key id, record index, event-loop ticks. */
const SEQ = 0;
const KEY = 1;
const RECORD = 2;
const TICK = 3;

/** `--eval-timeout`, else SCIMMAP_EVAL_TIMEOUT, else 10 s; 0 turns the limit off. */
export function evalTimeoutSeconds(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const raw = option ?? env.SCIMMAP_EVAL_TIMEOUT;
  if (raw === undefined || raw === '') return DEFAULT_EVAL_TIMEOUT_SECONDS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new UsageError(`${option !== undefined ? '--eval-timeout' : 'SCIMMAP_EVAL_TIMEOUT'} must be a number of seconds (0: no limit), not '${raw}'`);
  }
  return n;
}

// Plain JS: runs with `eval: true`, so that no extra bundle is needed next to dist/cli.js.
const WATCHDOG_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const hb = new Int32Array(workerData.buffer);
const keys = new Map();
parentPort.on('message', (m) => keys.set(m.id, m.key));
let seq = -1, tick = -1, since = Date.now();
const timer = setInterval(() => {
  const s = Atomics.load(hb, ${SEQ}), t = Atomics.load(hb, ${TICK});
  if (s !== seq || t !== tick) { seq = s; tick = t; since = Date.now(); return; }
  if (s === 0 || Date.now() - since < workerData.limitMs) return;
  clearInterval(timer);
  const key = keys.get(Atomics.load(hb, ${KEY}));
  const record = Atomics.load(hb, ${RECORD});
  const what = key === workerData.lets ? 'the let bindings' : key === undefined ? 'a mapping' : key;
  const on = record >= 0 ? ' on record ' + (record + 1) : '';
  fs.writeSync(2, 'scimmap: evaluating ' + what + on + ' did not finish within ' + workerData.limitMs / 1000 + ' s (a regular expression that backtracks?)\\n');
  // Node prints "Waiting for the debugger to disconnect..." when a process with an inspector session exits:
  // point stderr at the null device first (open() takes the lowest free descriptor, 2).
  if (process.platform !== 'win32') { try { fs.closeSync(2); fs.openSync('/dev/null', 'w'); } catch {} }
  // The main thread is stuck in V8, but it still serves inspector messages between regex steps: ask it to
  // exit there, with exit code 1 and its exit handlers. If it cannot (stuck in native code), kill it.
  try {
    const session = new (require('node:inspector').Session)();
    session.connectToMainThread();
    session.post('Runtime.evaluate', { expression: 'process.exit(1)' });
  } catch {}
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 2000);
}, 100);
`;

export interface Watchdog {
  stop(): void;
}

/** Starts the watchdog; `limitSeconds` 0 starts nothing. Only for a real process: it ends the process. */
export function startWatchdog(limitSeconds: number): Watchdog {
  if (!(limitSeconds > 0)) return { stop: () => undefined };
  const hb = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { buffer: hb.buffer, limitMs: limitSeconds * 1000, lets: LET_BINDINGS } });
  worker.unref();
  const ids = new Map<string, number>();
  setEvaluationProbe((key, record) => {
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = ids.size + 1));
      worker.postMessage({ id, key }); // delivered even while this thread is stuck afterwards
    }
    // Plain stores, not Atomics: this runs before every evaluation (15 million times for a million records of 15
    // mappings), and a fenced Atomics.store/add costs ~5× a plain store. The watchdog only needs to see the words
    // change within its 100 ms polls, and it reads KEY/RECORD after SEQ stood still for seconds.
    hb[KEY] = id;
    hb[RECORD] = record;
    hb[SEQ] = (hb[SEQ]! + 1) | 0;
  });
  // Waiting for the network or the disk is not a hang: the event loop turns then.
  const ticker = setInterval(() => Atomics.add(hb, TICK, 1), 250);
  ticker.unref();
  return {
    stop() {
      setEvaluationProbe(undefined);
      clearInterval(ticker);
      void worker.terminate();
    },
  };
}
