/**
 * The run history: JSON lines next to the state, fsync'd. A run writes a `start` line when it begins and an `end`
 * line when it finishes; a start without an end is a run that was killed.
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import type { GuardVerdict } from './guards';
import type { PlanClass } from './plan';

export interface RunStart {
  type: 'start';
  runId: string;
  at: string;
  endpoint: string;
  mapping: string;
  input: string;
  dryRun: boolean;
  full: boolean;
  counts: Record<PlanClass, number> & { missingIgnored: number };
  exportRecords: number;
  guards: GuardVerdict[];
  refused: boolean;
  journal?: string;
}

export interface RunEnd {
  type: 'end';
  runId: string;
  at: string;
  exitCode: number;
  sent?: { accepted: number; failed: number; notSent: number; calls: number };
  stopped?: string;
}

export interface RunRecord {
  start: RunStart;
  end?: RunEnd;
  /** No end line: the process died (or is still running). */
  interrupted: boolean;
}

export function appendHistory(path: string, entry: RunStart | RunEnd): void {
  fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(path, 'a', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(entry) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs in order, oldest first. A torn last line (crash mid-write) is skipped. */
export function readHistory(path: string): RunRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const runs: RunRecord[] = [];
  const byId = new Map<string, RunRecord>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let e: RunStart | RunEnd;
    try {
      e = JSON.parse(line) as RunStart | RunEnd;
    } catch {
      continue;
    }
    if (e.type === 'start') {
      const r: RunRecord = { start: e, interrupted: true };
      runs.push(r);
      byId.set(e.runId, r);
    } else if (e.type === 'end') {
      const r = byId.get(e.runId);
      if (r) {
        r.end = e;
        r.interrupted = false;
      }
    }
  }
  return runs;
}
