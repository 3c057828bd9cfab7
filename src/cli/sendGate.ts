import { UsageError } from './io';
import { sourceUsageError } from './source';
import type { EngineDiagnostic } from '../engine/types';
import type { CompiledMapping, TransformResult } from '../engine/pipeline';
import { decide, failureSummary, Preflight, preflight } from '../engine/checks/preflight';

type Say = (line: string) => void;

/** Errors in the mapping stop an upload before any record is read; true when they did (and were listed). */
export function mappingErrorsStop(mapping: string, errors: readonly EngineDiagnostic[], err: Say): boolean {
  if (!errors.length) return false;
  err(`${mapping}: ${errors.length} error(s) in the mapping; fix them first (scimmap check ${mapping})`);
  for (const d of errors.slice(0, 10)) err(`  ${d.code}: ${d.message}`);
  return true;
}

export interface GateOptions {
  force: boolean;
  /** Errors from reading the records that are the user's to fix (exit 2) rather than a fault. */
  usageErrors: readonly (abstract new (...args: never[]) => Error)[];
  /** Said after the failure summary, before the decision (e.g. the duplicates left out). */
  afterSummary?: (checked: Preflight) => void;
}

/**
 * The first pass over the whole input before anything is sent: dataset checks (e.g. active false on every record)
 * stop the send unless --force. Undefined when nothing may be sent (the reasons already said).
 */
export async function checkBeforeSending(m: CompiledMapping, records: AsyncIterable<TransformResult>, err: Say, o: GateOptions): Promise<Preflight | undefined> {
  let checked: Preflight;
  try {
    checked = await preflight(m, records);
  } catch (e) {
    if (o.usageErrors.some((kind) => e instanceof kind)) throw new UsageError((e as Error).message);
    throw sourceUsageError(e) ?? e;
  }
  for (const d of checked.dataset) err(`${d.severity}: ${d.code}: ${d.attribute}: ${d.message}`);
  const summaryLine = failureSummary(checked);
  if (summaryLine) err(`${summaryLine} (left out; the others are sent)`);
  o.afterSummary?.(checked);
  const decision = decide(checked, { force: o.force });
  if (!decision.send) {
    err(`Nothing was sent: a check over all ${checked.total} records failed (use --force to send anyway):`);
    for (const r of decision.reasons) err(`  ${r}`);
    return undefined;
  }
  if (o.force && checked.dataset.some((d) => d.blocking)) err('--force: sending despite the dataset errors above');
  return checked;
}
