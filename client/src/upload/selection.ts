/**
 * Which records a test upload sends, and the texts the user sees about it (confirmation, progress lines).
 * Pure: no `vscode` import.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { BulkOperation, BulkRequest } from '../../../src/engine/types';
import type { InputIdentity } from '../../../src/delivery/journal';
import type { UploadProgress } from '../../../src/delivery/types';
import { isLoopbackHost } from '../../../src/targets/entra/upload/endpoint';
import type { ResolvedProfile } from './profiles';

const isLoopbackOrigin = (origin: string): boolean => isLoopbackHost(new URL(origin).hostname);

export const MAX_OPERATIONS = 50;

export type RecordChoice =
  | { kind: 'record'; externalId: string; label?: string }
  | { kind: 'first'; count: number }
  /** Chosen elsewhere: records from the preview, or the records that failed (Resend failed). */
  | { kind: 'records'; externalIds: string[]; label?: string }
  | { kind: 'all' };

/** The server's export answer, checked: anything that is not a BulkRequest list is refused here, not at Entra. */
export function checkExport(raw: unknown): { requests: BulkRequest[]; failed: number; source?: string; blocked: string[]; refused?: string } {
  const r = raw as { requests?: unknown; failed?: unknown; source?: unknown; blocked?: unknown; refused?: unknown } | null | undefined;
  if (!r || !Array.isArray(r.requests)) throw new Error('the language server returned no records for this mapping (is it open and valid?)');
  for (const q of r.requests) {
    if (!q || typeof q !== 'object' || !Array.isArray((q as BulkRequest).Operations)) throw new Error('the language server returned a malformed bulk request');
  }
  const blocked = Array.isArray(r.blocked) ? r.blocked.filter((x): x is string => typeof x === 'string') : [];
  return { requests: r.requests as BulkRequest[], failed: typeof r.failed === 'number' ? r.failed : 0, source: typeof r.source === 'string' ? r.source : undefined, blocked, refused: typeof r.refused === 'string' ? r.refused : undefined };
}

export function operationsOf(requests: readonly BulkRequest[]): BulkOperation[] {
  return requests.flatMap((r) => r.Operations);
}

export function externalIdOf(op: BulkOperation): string | undefined {
  const v = op.data?.externalId;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A short human label for a record: displayName, else userName, else its id. */
export function labelOf(op: BulkOperation): string {
  const d = op.data as Record<string, unknown>;
  const pick = [d.displayName, d.userName].find((v) => typeof v === 'string' && v.trim());
  return (pick as string | undefined) ?? externalIdOf(op) ?? op.bulkId;
}

/**
 * The chosen records, re-batched in the mapping's batch size (never more than Entra's 50). Batches are rebuilt from
 * the flat list so that "first 5" is one request even when the mapping batches by 50.
 */
export function selectRequests(requests: readonly BulkRequest[], choice: RecordChoice): BulkRequest[] {
  const ops = operationsOf(requests);
  let chosen: BulkOperation[];
  if (choice.kind === 'all') chosen = ops;
  else if (choice.kind === 'first') chosen = ops.slice(0, Math.max(0, Math.floor(choice.count)));
  else if (choice.kind === 'records') {
    const wanted = new Set(choice.externalIds);
    chosen = ops.filter((op) => wanted.has(externalIdOf(op) ?? op.bulkId) || wanted.has(op.bulkId));
    if (!chosen.length) throw new Error(`none of ${choice.label ?? `the ${wanted.size} chosen records`} maps without errors now; fix them in the preview first`);
  }
  else {
    chosen = ops.filter((op) => externalIdOf(op) === choice.externalId || op.bulkId === choice.externalId).slice(0, 1);
    if (!chosen.length) throw new Error(`record ${choice.label ?? choice.externalId} is not among the records that map without errors; fix it in the preview first`);
  }
  // The largest exported request is the mapping's batch size (or all records when there are fewer).
  const size = Math.min(MAX_OPERATIONS, Math.max(1, ...requests.map((r) => r.Operations.length)));
  const template = requests[0] ?? { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], failOnErrors: null };
  const out: BulkRequest[] = [];
  for (let i = 0; i < chosen.length; i += size) out.push({ schemas: template.schemas, Operations: chosen.slice(i, i + size), failOnErrors: template.failOnErrors ?? null } as BulkRequest);
  return out;
}

export function countOperations(requests: readonly BulkRequest[]): number {
  return requests.reduce((n, r) => n + r.Operations.length, 0);
}

/**
 * The journal's "input identity" for a VS Code run: the exact selected payload. A resume is refused when the records
 * (sample edits, mapping edits, another choice) would differ from what the interrupted run was sending.
 */
export function selectionIdentity(requests: readonly BulkRequest[], path?: string): InputIdentity {
  const text = JSON.stringify(requests);
  return { path, size: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
}

export function describeChoice(choice: RecordChoice, total: number): string {
  if (choice.kind === 'all') return `all ${total} record${total === 1 ? '' : 's'}`;
  if (choice.kind === 'first') return `the first ${Math.min(choice.count, total)} of ${total} records`;
  if (choice.kind === 'records') return choice.label ?? `${choice.externalIds.length} chosen record${choice.externalIds.length === 1 ? '' : 's'}`;
  return `record ${choice.label ?? choice.externalId}`;
}

export interface Confirmation {
  message: string;
  detail: string;
}

/** Where the records are read from, as the confirmation shows it. */
export interface SourceFile {
  /** Absolute path of the sample file. */
  path: string;
  /** Path relative to the workspace folder that holds it; undefined when it lies outside every workspace folder. */
  relative?: string;
}

/**
 * Places `path` relative to the workspace folder that really holds it: symlinks are resolved on both sides, so a
 * link inside the workspace that points elsewhere counts as outside.
 */
export function locateSource(path: string, folders: readonly string[]): SourceFile {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const target = real(path);
  for (const f of folders) {
    const root = real(f);
    const rel = relative(root, target);
    if (rel && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return { path, relative: rel.split(sep).join('/') };
  }
  return { path };
}

/**
 * The modal confirmation: endpoint host, sign-in host, ids, tenant, the source file and the record count, so nothing
 * is sent to an unexpected place, and a mapping that reads its records from outside the workspace says so.
 */
export function confirmationText(
  r: ResolvedProfile,
  o: {
    records: number; requests: number; choice: RecordChoice; total: number; signIn: string; mappingName: string;
    source?: SourceFile; resume?: { previouslyAccepted: number };
  },
): Confirmation {
  const e = r.endpoint;
  const host = new URL(e.origin).host;
  const n = o.records;
  const verb = o.resume ? 'Resume the upload of' : 'Send';
  const message = `${verb} ${n} record${n === 1 ? '' : 's'} to ${host}${e.loopback ? ' (local stand-in)' : ''}?`;
  const lines = [
    `Endpoint host: ${host}${e.loopback ? ' — local stand-in on this machine' : ` (${e.cloud} cloud)`}`,
    `Service principal: ${e.servicePrincipalId}`,
    `Job: ${e.jobId}`,
    `Tenant: ${r.profile.tenantId ?? '(the signed-in account\'s)'}`,
    `Records: ${n} — ${describeChoice(o.choice, o.total)} from ${o.mappingName}, in ${o.requests} request${o.requests === 1 ? '' : 's'}`,
    `Source file: ${o.source ? (o.source.relative ?? `${o.source.path} — OUTSIDE the workspace`) : '(unknown)'}`,
    `Sign-in host: ${new URL(r.authorityHost).host}${isLoopbackOrigin(r.authorityHost) ? ' — local stand-in on this machine' : ''}`,
    `Sign-in: ${o.signIn}`,
    `Profile: ${r.profile.name}`,
  ];
  if (o.source && o.source.relative === undefined) lines.push(`Warning: the records are read from ${o.source.path}, which is not in this workspace.`);
  if (o.resume) lines.push(`Resuming: ${o.resume.previouslyAccepted} record(s) already accepted are not sent again.`);
  for (const w of e.warnings) lines.push(`Warning: ${w}`);
  if (!e.loopback) lines.push('', 'These records are personal data; they leave this machine and Entra provisions them into the tenant.');
  return { message, detail: lines.join('\n') };
}

/** One line per progress event for the output channel and the progress notification (no record contents). */
export function describeProgress(e: UploadProgress): string | undefined {
  switch (e.type) {
    case 'batch-done': {
      const b = e.batch;
      const t = e.totals;
      const head = `request ${b.seq + 1} (${b.operations} record${b.operations === 1 ? '' : 's'})`;
      if (b.status === 'accepted') return `${head} accepted (HTTP 202${b.attempts > 1 ? `, ${b.attempts} attempts` : ''}); ${t.accepted + t.previouslyAccepted} accepted so far`;
      return `${head} ${b.status}${b.httpStatus ? ` (HTTP ${b.httpStatus})` : ''}${b.errorCode ? `: ${b.errorCode}` : ''}${b.errorMessage ? ` ${b.errorMessage}` : ''}`;
    }
    case 'retry':
      return `request ${e.seq + 1}: ${e.reason}; retrying in ${(e.delayMs / 1000).toFixed(1)} s`;
    case 'token-refresh':
      return `request ${e.seq + 1}: token rejected; signing in again`;
    case 'skipped':
      return `request ${e.seq + 1}: ${e.operations} record(s) already accepted by the interrupted run; not sent again`;
    case 'stopped':
      return `stopped: ${e.message}`;
    default:
      return undefined;
  }
}
