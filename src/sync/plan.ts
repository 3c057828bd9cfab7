/**
 * The sync plan: every record of the export is compared with the state (what Entra last accepted), and every id
 * in the state that the export no longer lists is a leaver. Classes:
 *   create      not in the state
 *   update      in the state, payload hash changed (the complete record is sent, as Entra recommends)
 *   unchanged   same payload hash (sent only with --full)
 *   reactivate  in the state as disabled, back in the export as active
 *   disable     in the state as active, absent from the export (sync.missing: disable)
 *   failed      the mapping failed for the record: never sent, and never taken for a leaver
 * The plan keeps one byte per record and one number per disable, so it scales to a million records; record
 * contents are not kept (the send pass maps the file again).
 */
import type { TransformResult } from '../engine/pipeline';
import { CORE_USER_URN, ENTERPRISE_USER_URN, type BulkOperation } from '../engine/types';
import type { SyncState } from './stateStore';

export const CLASS_NAMES = ['create', 'update', 'unchanged', 'reactivate', 'disable', 'failed'] as const;
export type PlanClass = (typeof CLASS_NAMES)[number];

/** Per-record class codes in `SyncPlan.classes`. */
export const C_CREATE = 1;
export const C_UPDATE = 2;
export const C_UNCHANGED = 3;
export const C_REACTIVATE = 4;
export const C_FAILED = 5;
/** Left out by `source.duplicates: first|last` (another record with the same externalId wins): not sent. */
export const C_SKIPPED = 6;
const CODE_NAME: Record<number, PlanClass> = { [C_CREATE]: 'create', [C_UPDATE]: 'update', [C_UNCHANGED]: 'unchanged', [C_REACTIVATE]: 'reactivate', [C_FAILED]: 'failed' };

export interface PlanFailure {
  /** 1-based record number in the export. */
  record: number;
  key?: string;
  externalId?: string;
  errors: Array<{ code: string; attribute?: string; message: string }>;
}

export interface SyncPlan {
  /** Records read from the export (good and failing). */
  exportRecords: number;
  stateEntries: number;
  stateActive: number;
  missing: 'disable' | 'ignore';
  counts: Record<PlanClass, number> & { missingIgnored: number; skipped: number };
  /** Failing records without an externalId: we cannot tell who they are, so no one is disabled this run. */
  unidentified: number;
  /** Class code per record, by position in the export. */
  classes: Uint8Array;
  /** State entry numbers of the leavers to disable. */
  disables: Uint32Array;
  /** externalIds per class: the first `listLimit`, or all with `listAll`. */
  ids: Record<PlanClass, string[]>;
  failures: PlanFailure[];
}

export interface PlanOptions {
  missing: 'disable' | 'ignore';
  listAll?: boolean;
  /** externalIds kept per class when not `listAll` (default 10). */
  listLimit?: number;
  /** Sees every result first (the dataset statistics), without another async generator around the stream. */
  onResult?: (r: TransformResult) => void;
}

export function externalIdOf(resource: Record<string, unknown> | undefined): string | undefined {
  const v = resource?.externalId;
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function isActive(resource: Record<string, unknown>): boolean {
  return resource.active !== false;
}

export async function computePlan(results: AsyncIterable<TransformResult>, state: SyncState, opts: PlanOptions): Promise<SyncPlan> {
  const t = state.table;
  const seen = new Uint8Array(t.size);
  let classes = new Uint8Array(1024);
  const counts = { create: 0, update: 0, unchanged: 0, reactivate: 0, disable: 0, failed: 0, missingIgnored: 0, skipped: 0 };
  const ids = Object.fromEntries(CLASS_NAMES.map((c) => [c, [] as string[]])) as Record<PlanClass, string[]>;
  const limit = opts.listAll ? Infinity : opts.listLimit ?? 10;
  const failures: PlanFailure[] = [];
  let n = 0;
  let unidentified = 0;
  const note = (cls: PlanClass, id: string | undefined): void => {
    counts[cls]++;
    if (id !== undefined && ids[cls].length < limit) ids[cls].push(id);
  };

  const scratch = Buffer.allocUnsafe(16);
  const onResult = opts.onResult;
  for await (const r of results) {
    onResult?.(r);
    if (n === classes.length) {
      const bigger = new Uint8Array(classes.length * 2);
      bigger.set(classes);
      classes = bigger;
    }
    const id = externalIdOf(r.resource as Record<string, unknown>);
    const e = id === undefined ? -1 : t.find(id);
    if (e >= 0) seen[e] = 1;
    let code: number;
    if (r.skipped && !r.errors.length) {
      classes[n++] = C_SKIPPED;
      counts.skipped++;
      continue;
    }
    if (r.errors.length) {
      code = C_FAILED;
      if (id === undefined) unidentified++;
      if (failures.length < limit) failures.push({ record: n + 1, key: r.key, externalId: id, errors: r.errors.map((x) => ({ code: x.code, attribute: x.attribute, message: x.message })) });
    } else if (e < 0) code = C_CREATE;
    else if (!t.active(e) && isActive(r.resource as Record<string, unknown>)) code = C_REACTIVATE;
    else if (!t.hashEquals(e, state.payloadHash(r.resource, scratch))) code = C_UPDATE;
    else code = C_UNCHANGED;
    classes[n++] = code;
    note(CODE_NAME[code]!, id);
  }

  const gone: number[] = [];
  for (let e = 0; e < t.size; e++) {
    if (seen[e] || !t.active(e)) continue;
    if (opts.missing === 'ignore') counts.missingIgnored++;
    else {
      gone.push(e);
      note('disable', t.id(e));
    }
  }
  return {
    exportRecords: n,
    stateEntries: t.size,
    stateActive: state.active,
    missing: opts.missing,
    counts,
    unidentified,
    classes: classes.subarray(0, n),
    disables: Uint32Array.from(gone),
    ids,
    failures,
  };
}

/** Microsoft's bulkUpload example for a leaver: the externalId and `active: false`, nothing else. */
export function disableOperation(externalId: string): BulkOperation {
  return { method: 'POST', bulkId: externalId, path: '/Users', data: { schemas: [CORE_USER_URN, ENTERPRISE_USER_URN], externalId, active: false } };
}
