/**
 * The record- and dataset-level checks over the sample, from the per-target results the sample evaluator
 * already has (no second evaluation): per record what keeps it from being sent, and the diagnostics that count
 * those records on each mapping line, plus one summary per mapping ("37 of 1,000 records fail: …").
 */
import type { AnalyzedExpression } from '../analysis/expressions';
import { docRange } from '../analysis/expressions';
import type { SampleEvaluation } from '../sample/evaluate';
import type { SampleSet } from '../sample/load';
import type { CompiledMapping, CompiledTarget } from '../transform/compile';
import type { TransformResult } from '../transform/record';
import type { EngineDiagnostic, RecordError } from '../types';
import { DatasetFinding, datasetFindings, DatasetStats, count } from './dataset';
import { DuplicateTracker, latestIndexes } from './duplicates';
import { MISSING_CODE } from './identity';
import { checkRecordValues } from './record';

export interface SampleRecordChecks {
  total: number;
  /** Per record index: what keeps it from being sent. */
  errors: Map<number, RecordError[]>;
  /** Per record index: findings that do not stop it (value standards, dropped attributes). */
  warnings: Map<number, RecordError[]>;
  /** Records another duplicate wins over (`source.duplicates: first|last`). */
  skipped: Map<number, RecordError>;
  dataset: DatasetFinding[];
  /** Per identity attribute: how many records repeat an earlier one, and the first example. */
  duplicates: Map<'externalId' | 'userName', { count: number; value: string; first: number; repeat: number; skipped: boolean }>;
}

/** Codes the target-level sample diagnostics (sample-error, sample-type, date-format, sample-duplicate) already count. */
const COUNTED_ELSEWHERE = new Set(['expression-error', 'type-mismatch', 'date-format', 'attribute-dropped', 'duplicate-external-id', 'duplicate-user-name', 'duplicate-skipped']);

export async function checkSampleRecords(m: CompiledMapping, sample: SampleSet, ev: SampleEvaluation): Promise<SampleRecordChecks> {
  const n = sample.records.length;
  const out: SampleRecordChecks = { total: n, errors: new Map(), warnings: new Map(), skipped: new Map(), dataset: [], duplicates: new Map() };
  const failedAt = new Map<string, Map<number, string>>();
  for (const t of m.targets) {
    const s = ev.targets.get(t.key);
    const f = new Map<number, string>();
    s?.failed.forEach((i, k) => f.set(i, s.failedCodes[k] ?? 'expression-error'));
    failedAt.set(t.key, f);
  }
  const letFailed = ev.lets.map((l) => ({ name: l.name, failed: new Set(l.failed), message: l.problems[0]?.message ?? 'evaluation failed' }));
  const valueAt = (t: CompiledTarget, i: number): unknown => {
    const s = ev.targets.get(t.key);
    const v = s?.values[i];
    if (v !== undefined || !s || failedAt.get(t.key)!.has(i)) return v;
    return m.clear.has(t.key) ? m.clear.get(t.key) : undefined;
  };
  // A target the evaluator did not get to (skipped after a hang, or cancelled) counts as failed: no guesses.
  const failedOn = (t: CompiledTarget, i: number) => !ev.targets.has(t.key) || failedAt.get(t.key)!.has(i);
  const extTarget = m.targets.find((t) => t.resolved.container === null && t.resolved.attribute.name === 'externalId' && !t.resolved.subAttribute);
  const userTarget = m.targets.find((t) => t.resolved.container === null && t.resolved.attribute.name === 'userName' && !t.resolved.subAttribute);
  const latest = m.duplicates === 'last' ? await latestIndexes(sample.records.map((_, index) => ({ index, externalId: extTarget ? valueAt(extTarget, index) : undefined }))) : undefined;
  const dupes = new DuplicateTracker(m.duplicates, latest);
  const stats = new DatasetStats(m);

  for (let i = 0; i < n; i++) {
    const key = sample.keys[i];
    const errors: RecordError[] = [];
    const warnings: RecordError[] = [];
    for (const l of letFailed) if (l.failed.has(i)) errors.push({ index: i, key, attribute: `$${l.name}`, code: 'expression-error', message: `let ${l.name}: ${l.message}` });
    for (const t of m.targets) {
      const code = failedAt.get(t.key)!.get(i);
      if (code === undefined) continue;
      const p = ev.targets.get(t.key)!.problems.find((x) => x.code === code);
      const message = `${p?.message ?? code}`;
      if (m.dropOnInvalid.has(t.key)) warnings.push({ index: i, key, attribute: t.key, code: 'attribute-dropped', message: `${message} — left out (onInvalid: drop-attribute; was ${code})` });
      else errors.push({ index: i, key, attribute: t.key, code, message });
    }
    const failed = (t: CompiledTarget) => failedOn(t, i);
    const value = (t: CompiledTarget) => valueAt(t, i);
    for (const f of checkRecordValues(m, value, failed)) (f.severity === 'error' ? errors : warnings).push({ index: i, key, attribute: f.attribute, code: f.code, message: f.message });
    const probe = { index: i, key, resource: { externalId: extTarget && value(extTarget), userName: userTarget && value(userTarget) }, errors, warnings, values: new Map() } as TransformResult;
    dupes.check(probe);
    if (probe.skipped) out.skipped.set(i, probe.skipped);
    if (dupes.match) {
      const d = out.duplicates.get(dupes.match.attribute);
      if (d) d.count++;
      else out.duplicates.set(dupes.match.attribute, { count: 1, value: dupes.match.value, first: Math.min(dupes.match.other, i), repeat: Math.max(dupes.match.other, i), skipped: !!probe.skipped });
    }
    if (errors.length) out.errors.set(i, errors);
    if (warnings.length) out.warnings.set(i, warnings);
    stats.add(value, failed);
  }
  out.dataset = datasetFindings(m, stats);
  return out;
}

/** The records that would not be sent: errors (skipped duplicates are not failures). */
export function failingIndexes(c: SampleRecordChecks): Set<number> {
  return new Set(c.errors.keys());
}

function recordName(sample: SampleSet, i: number): string {
  const key = sample.keys[i];
  return `record ${i + 1}${key ? ` (${key})` : ''}`;
}

const MAX_LISTED = 1000;

/** Diagnostics for the sample checks: per mapping line and code, the dataset findings, and the summary. */
export function sampleCheckDiagnostics(m: CompiledMapping, sample: SampleSet, c: SampleRecordChecks): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const a = m.analysis;
  const total = c.total;
  const spanOf = (key: string | undefined) => {
    const entry = key === undefined ? undefined : a.mappings.find((x) => x.entry.key.value === key)?.entry;
    if (!entry) return a.doc.mappingsKey ?? { start: 0, end: 0 };
    return entry.value.kind === 'expression' ? { start: entry.value.expression.start, end: entry.value.expression.end } : entry.value.span;
  };
  const alwaysEmpty = new Set(c.dataset.filter((d) => d.code === 'always-empty' && d.severity === 'error').map((d) => d.attribute));
  const groups = new Map<string, { code: string; attribute?: string; severity: 'error' | 'warning'; message: string; records: number[]; n: number; last: number }>();
  const collect = (map: Map<number, RecordError[]>, severity: 'error' | 'warning') => {
    for (const [i, list] of map) {
      for (const e of list) {
        if (COUNTED_ELSEWHERE.has(e.code)) continue;
        const missing = Object.values(MISSING_CODE).includes(e.code);
        // Empty everywhere (always-empty says it) or not mapped at all (missing-required says it): no line of its own.
        if (missing && (alwaysEmpty.has(e.attribute ?? '') || !a.mappings.some((x) => x.entry.key.value === e.attribute))) continue;
        const g = `${severity}\u0000${e.code}\u0000${e.attribute ?? ''}`;
        let x = groups.get(g);
        if (!x) groups.set(g, (x = { code: e.code, attribute: e.attribute, severity, message: e.message, records: [], n: 0, last: -1 }));
        if (x.last === i) continue; // one count per record
        x.last = i;
        x.n++;
        if (x.records.length < MAX_LISTED) x.records.push(i);
      }
    }
  };
  collect(c.errors, 'error');
  collect(c.warnings, 'warning');
  const scope = sample.truncated ? ' sampled' : '';
  for (const g of groups.values()) {
    const n = g.n;
    out.push({
      code: g.code, severity: g.severity, ...spanOf(g.attribute), scope: g.severity === 'error' ? 'record' : undefined,
      message: `${g.message} — on ${count(n)} of ${count(total)}${scope} record${total === 1 ? '' : 's'} (first: ${recordName(sample, g.records[0])})`,
      data: { count: n, firstIndex: g.records[0], records: g.records },
    });
  }
  for (const [name, d] of c.duplicates) {
    const t = m.targets.find((x) => x.resolved.container === null && x.resolved.attribute.name === name && !x.resolved.subAttribute);
    const how = d.skipped ? `; with source.duplicates: ${m.duplicates} only the ${m.duplicates} record of each is sent` : '';
    out.push({
      code: 'sample-duplicate', severity: d.skipped ? 'warning' : 'error', scope: d.skipped ? undefined : 'record', ...spanOf(t?.key),
      message: `${name} must be unique${name === 'userName' ? ' (ignoring case)' : ''}, but ${d.count} sample record${d.count === 1 ? ' repeats' : 's repeat'} a value: ${JSON.stringify(d.value)} in ${recordName(sample, d.first)} and ${recordName(sample, d.repeat)}${how}`,
      data: { count: d.count },
    });
  }
  for (const d of c.dataset) {
    out.push({ code: d.code, severity: d.severity, ...spanOf(d.attribute), message: d.message, scope: d.blocking ? 'dataset' : undefined, data: { count: total } });
  }
  if (c.errors.size) {
    const byCode = new Map<string, number>();
    for (const list of c.errors.values()) for (const code of new Set(list.map((e) => e.code))) byCode.set(code, (byCode.get(code) ?? 0) + 1);
    const parts = [...byCode].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([code, k]) => `${code} ${count(k)}`);
    const at = a.doc.mappingsKey ?? { start: 0, end: 0 };
    out.push({
      // Information: every record it counts has its own error on a mapping line (the exit code comes from those).
      code: 'records-fail', severity: 'information', ...at, scope: 'record',
      message: `${count(c.errors.size)} of ${count(total)}${scope} record${total === 1 ? '' : 's'} fail${c.errors.size === 1 ? 's' : ''}: ${parts.join(', ')} (they would not be sent)`,
      data: { count: c.errors.size, byCode: Object.fromEntries(byCode), records: [...c.errors.keys()].slice(0, MAX_LISTED) },
    });
  }
  return out;
}

/** A referenced field that is present in the sample but never has a value (an empty column). */
export function emptyFieldDiagnostics(expressions: AnalyzedExpression[], sample: SampleSet): EngineDiagnostic[] {
  if (sample.records.length < 2) return [];
  const byPath = new Map<string, { present: number }>();
  for (const f of sample.fields) {
    const k = f.segments.filter((s) => s !== '[]').join('\u0000');
    const cur = byPath.get(k);
    byPath.set(k, { present: (cur?.present ?? 0) + f.present });
  }
  const out: EngineDiagnostic[] = [];
  const seen = new Set<string>();
  for (const ex of expressions) {
    if (ex.compiled.errors.length) continue;
    for (const ref of ex.facts.fields) {
      const names = ref.segments.map((s) => s.name);
      const info = byPath.get(names.join('\u0000'));
      const last = ref.segments[ref.segments.length - 1];
      if (!info || info.present > 0 || !last || last.start < 0) continue;
      const range = docRange(ex.source, last.start, last.end);
      const k = `${range.start}:${range.end}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ code: 'field-always-empty', severity: 'warning', ...range, message: `Field '${names.join('.')}' is in the sample but empty on all ${count(sample.records.length)} records: the value will always be empty`, data: { count: sample.records.length } });
    }
  }
  return out;
}
