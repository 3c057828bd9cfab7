/**
 * The results view's model for uploads to a SCIM service provider: one row per operation (each user, then each
 * manager link), with what the server answered — action, HTTP status, the server's id, and for failures the error
 * code, `scimType` and `detail`. A SCIM server answers every operation directly: there are no provisioning logs.
 * Pure: no `vscode` import. Server text is untrusted: the page writes it with textContent only.
 */
import type { RecordOutcome } from '../../../src/delivery/types';
import { csvCell, summarizeResults, type FinalOutcome, type ResultRow } from '../../../src/targets/entra/upload/outcomes';

/** The bulkId suffix of pass-2 operations (src/targets/scim/sender.ts). */
export const MANAGER_SUFFIX = ':manager';

/** What the server answered for one operation. */
export interface ScimCell {
  /** A manager link (pass 2) rather than the user itself. */
  link: boolean;
  /** created / updated / unchanged / linked (accepted operations). */
  action?: string;
  httpStatus?: number;
  serverId?: string;
  scimType?: string;
}

export const SCIM_POLL_MESSAGE = 'A SCIM service provider answers each operation directly: these are its answers (no provisioning logs to wait for).';

export function scimCellOf(r: Pick<RecordOutcome, 'bulkId' | 'action' | 'httpStatus' | 'serverId' | 'scimType' | 'status'>): ScimCell {
  const cell: ScimCell = { link: r.bulkId.endsWith(MANAGER_SUFFIX) };
  if (r.status === 'accepted' && r.action) cell.action = r.action;
  if (r.httpStatus) cell.httpStatus = r.httpStatus;
  if (r.serverId) cell.serverId = r.serverId;
  if (r.scimType) cell.scimType = r.scimType;
  return cell;
}

export const EARLIER = 'done earlier';

const OUTCOME: Record<string, FinalOutcome> = { created: 'created', updated: 'updated' };

/** The shared row (outcome, action, status, code, reason) of a SCIM operation; unchanged and linked count as "other". */
export function scimResultRow(externalId: string, upload: RecordOutcome['status'], cell: ScimCell, errorCode?: string, error?: string, previouslyAccepted?: boolean): ResultRow {
  if (upload === 'not-sent') return { externalId, outcome: 'not-sent', status: 'not-sent' };
  // action 'upload' is the shared rows' "refused by the API" (summarizeResults does not count it as accepted).
  if (upload === 'failed') return { externalId, outcome: 'failed', action: 'upload', status: 'failed', code: errorCode ?? (cell.httpStatus ? `HTTP${cell.httpStatus}` : 'Failed'), reason: error };
  // Done by the interrupted run this one resumed: the journal keeps that it was done, not what the server did.
  const action = cell.action ?? (previouslyAccepted ? EARLIER : 'accepted');
  return { externalId, outcome: OUTCOME[action] ?? 'other', action, status: 'accepted' };
}

export interface ScimTotals {
  created: number;
  updated: number;
  unchanged: number;
  linked: number;
  /** Manager links that were already right. */
  linksUnchanged: number;
  /** Operations the resumed (interrupted) run had done. */
  earlier: number;
  failed: number;
  notSent: number;
}

export function scimTotals(rows: ReadonlyArray<{ outcome: FinalOutcome; action?: string; link?: boolean }>): ScimTotals {
  const t: ScimTotals = { created: 0, updated: 0, unchanged: 0, linked: 0, linksUnchanged: 0, earlier: 0, failed: 0, notSent: 0 };
  for (const r of rows) {
    if (r.outcome === 'failed') t.failed++;
    else if (r.outcome === 'not-sent') t.notSent++;
    else if (r.action === EARLIER) t.earlier++;
    else if (r.link) {
      if (r.action === 'unchanged') t.linksUnchanged++;
      else t.linked++;
    } else if (r.action === 'created') t.created++;
    else if (r.action === 'updated') t.updated++;
    else if (r.action === 'unchanged') t.unchanged++;
  }
  return t;
}

/** "8 created · 2 unchanged · 6 manager links set · 0 failed". */
export function scimHeadline(t: ScimTotals): string {
  const parts: string[] = [];
  if (t.created) parts.push(`${t.created} created`);
  if (t.updated) parts.push(`${t.updated} updated`);
  if (t.unchanged) parts.push(`${t.unchanged} unchanged`);
  if (t.linked) parts.push(`${t.linked} manager link${t.linked === 1 ? '' : 's'} set`);
  if (t.linksUnchanged) parts.push(`${t.linksUnchanged} manager link${t.linksUnchanged === 1 ? '' : 's'} already right`);
  if (t.earlier) parts.push(`${t.earlier} done by the interrupted run`);
  parts.push(`${t.failed} failed`);
  if (t.notSent) parts.push(`${t.notSent} not sent`);
  return parts.join(' · ');
}

/** An exported SCIM row: the shared row plus what the server answered. */
export type ScimExportRow = ResultRow & { link?: boolean; httpStatus?: number; serverId?: string; scimType?: string };

export const SCIM_RESULT_COLUMNS = ['externalId', 'operation', 'action', 'status', 'httpStatus', 'serverId', 'code', 'scimType', 'reason'] as const;

const exported = (r: ScimExportRow) => ({
  externalId: r.externalId,
  operation: r.link ? 'manager' : 'user',
  action: r.action === 'upload' ? null : r.action ?? null,
  status: r.status,
  httpStatus: r.httpStatus ?? null,
  serverId: r.serverId ?? null,
  code: r.code ?? null,
  scimType: r.scimType ?? null,
  reason: r.reason ?? null,
});

/** CSV with the server's answer per operation (RFC 4180, CRLF; cells defused for spreadsheets as the Entra export). */
export function scimResultsCsv(rows: readonly ScimExportRow[]): string {
  const out = [SCIM_RESULT_COLUMNS.join(',')];
  for (const r of rows) {
    const e = exported(r);
    out.push(SCIM_RESULT_COLUMNS.map((k) => csvCell(e[k] === null ? undefined : String(e[k]))).join(','));
  }
  return `${out.join('\r\n')}\r\n`;
}

export function scimResultsJson(rows: readonly ScimExportRow[]): string {
  return `${JSON.stringify({ totals: { ...summarizeResults(rows), scim: scimTotals(rows) }, records: rows.map(exported) }, null, 2)}\n`;
}
