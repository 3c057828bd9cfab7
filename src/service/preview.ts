/** Builds the preview model (record list, selected record's payload, bulk batches, summary) from a validation. */
import type { ValidationResult } from '../engine/validate';
import { transformRecord } from '../engine/transform/record';
import type { PreviewData, PreviewRecordRow } from './protocol';
import type { RecordValues, SampleSummary } from './context';
import { bulkIdOf } from '../engine/transform/bulk';
import { runSample, searchText } from './previewRecords';

export function summarizeSample(v: ValidationResult): SampleSummary | undefined {
  const s = v.sample;
  if (!s) return undefined;
  return { path: s.path, count: s.records.length, truncated: s.truncated, fields: s.fields, keys: s.keys.slice(0, 10_000) };
}

/** Records on which some mapping fails (from the per-target stats; no extra evaluation). */
export function failingRecords(v: ValidationResult): Set<number> {
  const failing = new Set<number>();
  if (!v.evaluation) return failing;
  for (const t of v.evaluation.targets.values()) for (const i of t.failed) failing.add(i);
  const ext = v.compiled.targets.find((t) => t.resolved.container === null && t.resolved.attribute.name === (v.compiled.target === 'entra' ? 'externalId' : 'userName'));
  const n = v.sample?.records.length ?? 0;
  const values = ext ? v.evaluation.targets.get(ext.key)?.values : undefined;
  for (let i = 0; i < n; i++) if (!values || values[i] === undefined) failing.add(i);
  if (ext && values && v.compiled.target === 'entra') {
    const seen = new Set<unknown>();
    values.forEach((x, i) => {
      if (x === undefined) return;
      if (seen.has(x)) failing.add(i);
      seen.add(x);
    });
  }
  return failing;
}

export async function recordValues(v: ValidationResult, index: number): Promise<RecordValues | undefined> {
  const s = v.sample;
  if (!s || index < 0 || index >= s.records.length) return undefined;
  const r = await transformRecord(v.compiled, s.records[index], index, { collectValues: true });
  const values: Record<string, unknown> = {};
  for (const [k, x] of r.values ?? []) values[k] = x;
  const errors: Record<string, string> = {};
  for (const e of r.errors) if (e.attribute) errors[e.attribute] = e.message;
  return { index, key: r.key, values, errors };
}

export async function buildPreview(v: ValidationResult, uri: string, recordIndex: number, text?: string): Promise<PreviewData> {
  const a = v.analysis;
  const s = v.sample;
  const errors = v.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = v.diagnostics.filter((d) => d.severity === 'warning').length;
  const base: PreviewData = {
    uri, name: a.doc.name?.value, target: a.target, samplePath: a.samplePath, total: s?.records.length ?? 0, truncated: s?.truncated ?? false,
    summary: { ok: 0, failing: 0, warnings, errors, codes: {} }, records: [], bulk: { size: v.compiled.bulkSize, batches: [] },
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
      status: r?.errors.length ? 'error' : 'ok',
      text: searchText(record, r?.resource),
    };
    if (r && !r.errors.length) row.bulkId = bulkIdOf(r.resource, i);
    if (r?.errors.length) {
      row.errors = r.errors.map((e) => ({ code: e.code, attribute: e.attribute }));
      for (const code of new Set(r.errors.map((e) => e.code))) base.summary.codes![code] = (base.summary.codes![code] ?? 0) + 1;
    }
    return row;
  });
  base.records = rows;
  base.summary.failing = rows.filter((r) => r.status === 'error').length;
  base.summary.ok = rows.length - base.summary.failing;
  // Bulk batches over the records that pass, in input order (what an upload would send).
  const okIds = results.filter((r) => !r.errors.length).map((r) => bulkIdOf(r.resource, r.index));
  for (let i = 0; i < okIds.length; i += v.compiled.bulkSize) {
    const chunk = okIds.slice(i, i + v.compiled.bulkSize);
    base.bulk.batches.push({ index: base.bulk.batches.length, operations: chunk.length, first: chunk[0], last: chunk[chunk.length - 1] });
  }
  const index = Math.min(Math.max(0, recordIndex), s.records.length - 1);
  if (index >= 0) {
    const r = results[index] ?? (await transformRecord(v.compiled, s.records[index], index));
    const attributeErrors: Record<string, string> = {};
    for (const e of r.errors) attributeErrors[e.attribute ?? ''] = `${e.code}: ${e.message}`;
    base.selected = { index, key: r.key, record: s.records[index], resource: r.resource, errors: r.errors, attributeErrors };
  }
  return base;
}
