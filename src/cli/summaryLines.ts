import type { TransformResult } from '../engine/pipeline';
import type { RecordOutcome, UploadSummary } from '../delivery/types';

/** At most this many rows per list in a text summary; --format json has them all. */
const LIST_LIMIT = 50;

/** The operations a summary lists as not done, under `title`; `label` names one (e.g. a manager link). */
export function notAcceptedLines(s: UploadSummary, title: string, label: (r: RecordOutcome) => string = () => ''): string[] {
  const bad = s.records.filter((r) => r.status !== 'accepted');
  if (!bad.length) return [];
  const lines = ['', title];
  for (const r of bad.slice(0, LIST_LIMIT)) lines.push(`  ${r.externalId ?? r.bulkId}${label(r)}  ${r.status}  ${r.errorCode ?? ''} ${r.errorMessage ?? ''}`.trimEnd());
  if (bad.length > LIST_LIMIT) lines.push(`  … and ${bad.length - LIST_LIMIT} more (use --format json for all)`);
  return lines;
}

/** One line per record the mapping could not turn into a user (the first LIST_LIMIT). */
export function transformErrorLines(errors: readonly TransformResult[]): string[] {
  return errors.slice(0, LIST_LIMIT).map((r) => `  record ${r.index + 1}${r.key ? ` (${r.key})` : ''}: ${r.errors.map((x) => `${x.attribute ? `${x.attribute}: ` : ''}${x.message}`).join('; ')}`);
}

/** The command that continues an interrupted or partly failed upload from its journal, when there is one. */
export function resumeLines(s: UploadSummary): string[] {
  const t = s.totals;
  return s.journalPath && (s.stopped || t.failed || t.notSent) ? ['', `Continue with: scimmap upload … --resume ${s.journalPath}`] : [];
}
