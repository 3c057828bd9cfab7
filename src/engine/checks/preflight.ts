/**
 * What may be sent: one decision for every delivery (the CLI upload today, a sync later). A pass over the
 * whole input counts the records that fail (they are left out; the others are sent) and runs the dataset
 * checks; a dataset error (externalId or userName empty everywhere, active false on every record) means
 * every record is wrong, and nothing is sent unless the caller forces it.
 */
import type { CompiledMapping } from '../transform/compile';
import type { TransformResult } from '../transform/record';
import { addResult, count, DatasetFinding, datasetFindings, DatasetStats } from './dataset';

export interface Preflight {
  total: number;
  /** Records with errors: never sent. */
  failed: number;
  /** Records another duplicate wins over (source.duplicates: first|last): not sent, not failures. */
  skipped: number;
  /** Records with warnings only (still sent). */
  warned: number;
  sendable: number;
  /** Failing records per error code (a record counts once per code). */
  byCode: Map<string, number>;
  dataset: DatasetFinding[];
}

export async function preflight(m: CompiledMapping, results: AsyncIterable<TransformResult>): Promise<Preflight> {
  const stats = new DatasetStats(m);
  const p: Preflight = { total: 0, failed: 0, skipped: 0, warned: 0, sendable: 0, byCode: new Map(), dataset: [] };
  for await (const r of results) {
    p.total++;
    addResult(stats, r);
    if (r.errors.length) {
      p.failed++;
      for (const code of new Set(r.errors.map((e) => e.code))) p.byCode.set(code, (p.byCode.get(code) ?? 0) + 1);
    } else if (r.skipped) p.skipped++;
    else {
      p.sendable++;
      if (r.warnings.length) p.warned++;
    }
  }
  p.dataset = datasetFindings(m, stats);
  return p;
}

export interface SendDecision {
  /** False: send nothing. */
  send: boolean;
  /** Why nothing is sent (dataset errors), one line each. */
  reasons: string[];
}

/** Dataset errors block the whole delivery unless forced; record errors only leave their records out. */
export function decide(p: Pick<Preflight, 'dataset'>, options: { force?: boolean } = {}): SendDecision {
  const blocking = p.dataset.filter((d) => d.blocking);
  if (!blocking.length || options.force) return { send: true, reasons: [] };
  return { send: false, reasons: blocking.map((d) => `${d.attribute}: ${d.message}`) };
}

/** "37 of 1,000 records fail: duplicate-external-id 36, missing-user-name 1". */
export function failureSummary(p: Preflight): string | undefined {
  if (!p.failed) return undefined;
  const parts = [...p.byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c, n]) => `${c} ${count(n)}`);
  return `${count(p.failed)} of ${count(p.total)} records fail: ${parts.join(', ')}`;
}

/** A mapping for a generic SCIM service must not go to Entra's bulkUpload (different schemas and rules). */
export function destinationProblem(m: CompiledMapping, destination: 'entra'): string | undefined {
  if (destination === 'entra' && m.target !== 'entra') {
    return `this mapping has target: ${m.target} (a generic SCIM service), but the endpoint is Microsoft Entra's bulkUpload; set target: entra in the mapping (and fix what validate then reports) to send it to Entra`;
  }
  return undefined;
}
