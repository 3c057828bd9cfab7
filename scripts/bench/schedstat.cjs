// Preload (NODE_OPTIONS=--require): when the process exits, writes to BENCH_SCHED_FILE how the main thread spent
// its life, from Linux's /proc/self/task/<tid>/schedstat: on a core, runnable but waiting for a core (run-queue
// delay), and the rest (blocked: I/O, fsync, locks, timers). On a shared machine this tells "slow" from "waiting".
'use strict';
const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');
const started = process.hrtime.bigint();
if (isMainThread && process.env.BENCH_SCHED_FILE) {
  process.on('exit', () => {
    try {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const [onCpu, waiting] = fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      let threadsCpuMs = 0;
      for (const tid of fs.readdirSync('/proc/self/task')) {
        try {
          threadsCpuMs += Number(fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
        } catch {
          /* the thread ended meanwhile */
        }
      }
      const cpuMs = onCpu / 1e6;
      const runQueueMs = waiting / 1e6;
      fs.writeFileSync(process.env.BENCH_SCHED_FILE, JSON.stringify({ wallMs, cpuMs, runQueueMs, blockedMs: Math.max(0, wallMs - cpuMs - runQueueMs), threadsCpuMs }));
    } catch {
      /* not Linux, or no schedstat: nothing to say */
    }
  });
}
