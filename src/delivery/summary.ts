/** Summaries of delivery passes that share one journal (SCIM: users, then manager links; sync: sends, then leavers). */
import type { UploadSummary } from './types';

/** One summary for two consecutive passes: totals added, batches and records concatenated, the later stop wins. */
export function mergeSummaries(a: UploadSummary, b: UploadSummary | undefined): UploadSummary {
  if (!b) return a;
  const t = { ...a.totals };
  for (const k of Object.keys(t) as Array<keyof typeof t>) t[k] += b.totals[k];
  return { ...a, finishedAt: b.finishedAt, durationMs: a.durationMs + b.durationMs, totals: t, batches: [...a.batches, ...b.batches], records: [...a.records, ...b.records], stopped: b.stopped ?? a.stopped };
}
