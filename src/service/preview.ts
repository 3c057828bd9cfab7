/** Builds the preview model (record list, selected record's payload, bulk batches, summary) from a validation. */
import type { ValidationResult } from '../engine/validate';
import { transformRecord } from '../engine/transform/record';
import { failingIndexes } from '../engine/checks/sample';
import type { RecordError } from '../engine/types';
import type { PreviewData, PreviewRecordRow } from './protocol';
import type { RecordValues, SampleSummary } from './context';
import { bulkIdOf } from '../engine/transform/bulk';
import { runSample, searchText } from './previewRecords';
import { entraColumn } from './entraPreview';

export function summarizeSample(v: ValidationResult): SampleSummary | undefined {
  const s = v.sample;
  if (!s) return undefined;
  return { path: s.path, count: s.records.length, truncated: s.truncated, fields: s.fields, keys: s.keys.slice(0, 10_000) };
}

/** Records that would not be sent (the engine's record checks over the sample: one implementation). */
export function failingRecords(v: ValidationResult): Set<number> {
  return v.records ? failingIndexes(v.records) : new Set<number>();
}

/**
 * One record's errors and warnings: the record transformed again (per-attribute messages) plus what only the
 * whole sample shows (duplicates), without repeating a code on the same attribute.
 */
async function recordFindings(v: ValidationResult, index: number) {
  const s = v.sample!;
  const r = await transformRecord(v.compiled, s.records[index], index, { collectValues: true });
  const merge = (own: RecordError[], fromSample: RecordError[] | undefined) => {
    const out = [...own];
    for (const e of fromSample ?? []) if (!out.some((x) => x.code === e.code && x.attribute === e.attribute)) out.push(e);
    return out;
  };
  const errors = merge(r.errors, v.records?.errors.get(index));
  const warnings = merge(r.warnings, v.records?.warnings.get(index));
  return { r, errors, warnings, skipped: v.records?.skipped.get(index) };
}

export async function recordValues(v: ValidationResult, index: number): Promise<RecordValues | undefined> {
  const s = v.sample;
  if (!s || index < 0 || index >= s.records.length) return undefined;
  const { r, errors: all } = await recordFindings(v, index);
  const values: Record<string, unknown> = {};
  for (const [k, x] of r.values) values[k] = x;
  const errors: Record<string, string> = {};
  for (const e of all) if (e.attribute) errors[e.attribute] = errors[e.attribute] ? `${errors[e.attribute]}; ${e.message}` : e.message;
  return { index, key: r.key, values, errors };
}

export async function buildPreview(v: ValidationResult, uri: string, recordIndex: number, text?: string): Promise<PreviewData> {
  const a = v.analysis;
  const s = v.sample;
  const errors = v.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = v.diagnostics.filter((d) => d.severity === 'warning').length;
  const base: PreviewData = {
    uri, name: a.doc.name?.value, target: a.target, samplePath: a.samplePath, total: s?.records.length ?? 0, truncated: s?.truncated ?? false,
    summary: { ok: 0, failing: 0, skipped: 0, warnings, errors, codes: {} }, records: [], bulk: { size: v.compiled.bulkSize, batches: [] },
  };
  if (!s) {
    base.message = a.samplePath ? `The sample ${a.samplePath} cannot be read.` : 'This mapping has no source.sample: add one to preview records.';
    return base;
  }
  // The record errors come from the same pipeline an export or upload runs, so the preview shows every one of them.
  const { results } = await runSample(v, text);
  const labelTarget = ['displayName', 'userName'].map((n) => v.compiled.targets.find((t) => t.resolved.container === null && t.resolved.attribute.name === n && !t.resolved.subAttribute)).find(Boolean);
  const labels = labelTarget ? v.evaluation?.targets.get(labelTarget.key)?.values : undefined;
  const rows: PreviewRecordRow[] = s.records.map((record, i) => {
    const r = results[i];
    const row: PreviewRecordRow = {
      index: i,
      key: s.keys[i],
      label: typeof labels?.[i] === 'string' ? (labels[i] as string) : s.keys[i] ?? `record ${i + 1}`,
      status: r?.errors.length ? 'error' : r?.skipped ? 'skipped' : 'ok',
      text: searchText(record, r?.resource),
    };
    if (r && !r.errors.length && !r.skipped) row.bulkId = bulkIdOf(r.resource, i);
    if (r && !r.errors.length && r.skipped) row.skipped = { code: r.skipped.code, message: r.skipped.message };
    if (r?.errors.length) {
      row.errors = r.errors.map((e) => ({ code: e.code, attribute: e.attribute }));
      for (const code of new Set(r.errors.map((e) => e.code))) base.summary.codes![code] = (base.summary.codes![code] ?? 0) + 1;
    }
    return row;
  });
  base.records = rows;
  base.summary.failing = rows.filter((r) => r.status === 'error').length;
  base.summary.ok = rows.filter((r) => r.status === 'ok').length;
  base.summary.skipped = rows.filter((r) => r.status === 'skipped').length;
  // Bulk batches over the records that pass, in input order (what an upload would send).
  const okIds = results.filter((r) => !r.errors.length && !r.skipped).map((r) => bulkIdOf(r.resource, r.index));
  for (let i = 0; i < okIds.length; i += v.compiled.bulkSize) {
    const chunk = okIds.slice(i, i + v.compiled.bulkSize);
    base.bulk.batches.push({ index: base.bulk.batches.length, operations: chunk.length, first: chunk[0], last: chunk[chunk.length - 1] });
  }
  const index = Math.min(Math.max(0, recordIndex), s.records.length - 1);
  if (index >= 0) {
    // The pipeline's result holds every record check, the duplicates across the sample included.
    const r = results[index] ?? (await transformRecord(v.compiled, s.records[index], index));
    const { errors, warnings, skipped } = r;
    const attributeErrors: Record<string, string> = {};
    for (const e of errors) {
      const k = e.attribute ?? '';
      attributeErrors[k] = attributeErrors[k] ? `${attributeErrors[k]}; ${e.code}: ${e.message}` : `${e.code}: ${e.message}`;
    }
    base.selected = { index, key: r.key, record: s.records[index], resource: r.resource, errors, warnings, skipped, attributeErrors, entra: entraColumn(a, r.resource) };
  }
  return base;
}
