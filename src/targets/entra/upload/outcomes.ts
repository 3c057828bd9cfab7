/**
 * What Entra did with an upload, record by record and in totals: the one summary the CLI (`upload --wait`, later
 * `sync`) and the VS Code results view share. The headline is about provisioning, not about the API accepting the
 * request: 231 records whose manager Entra could not resolve are 231 failures, even though all were accepted.
 */
import type { ProvisioningOutcome } from './results';
import type { RecordStatus } from '../../../delivery/types';

/** Where a record ended up, from the upload and the provisioning log together. */
export type FinalOutcome = 'created' | 'updated' | 'disabled' | 'deleted' | 'other' | 'skipped' | 'failed' | 'pending' | 'not-sent';

export interface ResultRecordInput {
  externalId: string;
  /** The API's answer to the request that carried the record. */
  upload: RecordStatus;
  /** Why the API refused the request (upload failures). */
  uploadErrorCode?: string;
  uploadError?: string;
  provisioning?: Pick<ProvisioningOutcome, 'found' | 'action' | 'status' | 'errorCode' | 'reason' | 'recommendedAction' | 'activityDateTime'>;
}

export interface ResultRow {
  externalId: string;
  outcome: FinalOutcome;
  /** Entra's provisioningAction (create, update, disable …) when logged. */
  action?: string;
  /** Entra's status (success, warning, failure, skipped) when logged; else the upload status. */
  status: string;
  code?: string;
  reason?: string;
  recommendedAction?: string;
  /** activityDateTime of the log entry. */
  time?: string;
}

export interface CodeTotal {
  code: string;
  count: number;
  /** Entra's reason and recommended action, once per code (from the first record with the code). */
  reason?: string;
  recommendedAction?: string;
}

export interface ResultTotals {
  records: number;
  /** Accepted by the bulkUpload API (this run or an earlier run of the same journal). */
  accepted: number;
  created: number;
  updated: number;
  disabled: number;
  deleted: number;
  other: number;
  skipped: number;
  /** Failed provisioning, or refused by the API. */
  failed: number;
  /** Accepted, not logged yet. */
  pending: number;
  notSent: number;
  /** `action/status` → count, e.g. `create/success`, `update/failure`, `upload/failed`. */
  byActionStatus: { action: string; status: string; count: number }[];
  byCode: CodeTotal[];
  /** Nothing failed and nothing was left unsent (pending records are not failures). */
  ok: boolean;
  /** Every record has a final outcome (nothing pending). */
  final: boolean;
}

const ACTION_OUTCOME: Record<string, FinalOutcome> = { create: 'created', update: 'updated', disable: 'disabled', delete: 'deleted', stageddelete: 'deleted' };

export function resultRow(r: ResultRecordInput): ResultRow {
  if (r.upload === 'not-sent') return { externalId: r.externalId, outcome: 'not-sent', status: 'not-sent' };
  if (r.upload === 'failed') {
    return { externalId: r.externalId, outcome: 'failed', action: 'upload', status: 'failed', code: r.uploadErrorCode ?? 'UploadFailed', reason: r.uploadError };
  }
  const p = r.provisioning;
  if (!p?.found) return { externalId: r.externalId, outcome: 'pending', status: 'pending' };
  const status = (p.status ?? '').toLowerCase();
  const outcome: FinalOutcome = status === 'failure' ? 'failed' : status === 'skipped' ? 'skipped' : ACTION_OUTCOME[(p.action ?? '').toLowerCase()] ?? 'other';
  return {
    externalId: r.externalId, outcome, action: p.action, status: p.status ?? 'unknown',
    code: p.errorCode, reason: p.reason, recommendedAction: p.recommendedAction, time: p.activityDateTime,
  };
}

export function summarizeResults(rows: readonly ResultRow[]): ResultTotals {
  const t: ResultTotals = {
    records: rows.length, accepted: 0, created: 0, updated: 0, disabled: 0, deleted: 0, other: 0, skipped: 0, failed: 0, pending: 0, notSent: 0,
    byActionStatus: [], byCode: [], ok: false, final: false,
  };
  const pairs = new Map<string, { action: string; status: string; count: number }>();
  const codes = new Map<string, CodeTotal>();
  for (const r of rows) {
    if (r.outcome === 'not-sent') t.notSent++;
    else if (r.outcome === 'pending') t.pending++;
    else if (r.outcome === 'created') t.created++;
    else if (r.outcome === 'updated') t.updated++;
    else if (r.outcome === 'disabled') t.disabled++;
    else if (r.outcome === 'deleted') t.deleted++;
    else if (r.outcome === 'skipped') t.skipped++;
    else if (r.outcome === 'failed') t.failed++;
    else t.other++;
    if (r.outcome !== 'not-sent' && !(r.action === 'upload')) t.accepted++;
    if (r.outcome !== 'not-sent' && r.outcome !== 'pending') {
      const k = `${r.action ?? '?'}\u0000${r.status}`;
      const p = pairs.get(k) ?? { action: r.action ?? '?', status: r.status, count: 0 };
      p.count++;
      pairs.set(k, p);
    }
    if (r.code) {
      const c = codes.get(r.code) ?? { code: r.code, count: 0, reason: r.reason, recommendedAction: r.recommendedAction };
      c.count++;
      codes.set(r.code, c);
    }
  }
  t.byActionStatus = [...pairs.values()].sort((a, b) => b.count - a.count || a.action.localeCompare(b.action) || a.status.localeCompare(b.status));
  t.byCode = [...codes.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  t.ok = t.failed === 0 && t.notSent === 0;
  t.final = t.pending === 0;
  return t;
}

const n = (count: number, word: string): string => `${count} ${word}`;

/** One line: what Entra did, with the accepted count beside it ("393 created · 231 failed · 0 pending — 624 of 624 accepted"). */
export function headline(t: ResultTotals): string {
  const parts: string[] = [];
  const push = (count: number, word: string, always = false): void => {
    if (count || always) parts.push(n(count, word));
  };
  push(t.created, 'created');
  push(t.updated, 'updated');
  push(t.disabled, 'disabled');
  push(t.deleted, 'deleted');
  push(t.other, 'other');
  push(t.skipped, 'skipped');
  push(t.failed, 'failed', true);
  push(t.pending, 'pending');
  push(t.notSent, 'not sent');
  return `${parts.join(' · ')} — ${t.accepted} of ${t.records} accepted by the API`;
}

/** The totals as text (CLI): headline, action × status, then each error code once with Entra's reason and recommended action. */
export function formatTotals(t: ResultTotals): string[] {
  const lines = [`Provisioning: ${headline(t)}`];
  if (t.byActionStatus.length) {
    lines.push('  By action and status:');
    for (const p of t.byActionStatus) lines.push(`    ${p.action}/${p.status}: ${p.count}`);
  }
  if (t.byCode.length) {
    lines.push('  By error code:');
    for (const c of t.byCode) {
      lines.push(`    ${c.code} ×${c.count}`);
      if (c.reason) lines.push(`      reason: ${c.reason}`);
      if (c.recommendedAction) lines.push(`      recommended action: ${c.recommendedAction}`);
    }
  }
  if (t.pending) lines.push(`  ${t.pending} record(s) not logged yet: Entra may still be writing them.`);
  return lines;
}

export const RESULT_COLUMNS = ['externalId', 'action', 'status', 'code', 'reason', 'time'] as const;

/** A CSV cell: quoted when it holds a separator, quote or line break; a leading = + - @ is defused for spreadsheets. */
export function csvCell(v: string | undefined): string {
  let s = v ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The per-record results as CSV (externalId, action, status, code, reason, time), CRLF line ends as RFC 4180. */
export function resultsCsv(rows: readonly ResultRow[]): string {
  const out = [RESULT_COLUMNS.join(',')];
  for (const r of rows) out.push([r.externalId, r.action ?? (r.outcome === 'pending' || r.outcome === 'not-sent' ? '' : r.outcome), r.status, r.code, r.reason, r.time].map(csvCell).join(','));
  return `${out.join('\r\n')}\r\n`;
}

/** The per-record results as JSON: { totals, records: [{ externalId, action, status, code, reason, time }] }. */
export function resultsJson(rows: readonly ResultRow[], totals = summarizeResults(rows)): string {
  const records = rows.map((r) => ({ externalId: r.externalId, outcome: r.outcome, action: r.action ?? null, status: r.status, code: r.code ?? null, reason: r.reason ?? null, time: r.time ?? null }));
  return `${JSON.stringify({ totals, records }, null, 2)}\n`;
}

/** The rows of an upload run and what the provisioning logs said (CLI; the results view builds the same inputs). */
export function resultRowsOf(records: readonly { externalId?: string; bulkId: string; status: RecordStatus; errorCode?: string; errorMessage?: string }[], outcomes: readonly ProvisioningOutcome[] = []): ResultRow[] {
  const by = new Map(outcomes.map((o) => [o.externalId, o]));
  return records.map((r) => {
    const externalId = r.externalId ?? r.bulkId;
    return resultRow({ externalId, upload: r.status, uploadErrorCode: r.errorCode, uploadError: r.errorMessage, provisioning: by.get(externalId) });
  });
}
