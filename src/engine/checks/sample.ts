/**
 * The record- and dataset-level checks over the sample, from the per-target results the sample evaluator
 * already has (no second evaluation): per record what keeps it from being sent, and the diagnostics that count
 * those records on each mapping line, plus one summary per mapping ("37 of 1,000 records fail: …").
 */
import type { AnalyzedExpression } from '../analysis/expressions';
import { docRange } from '../analysis/expressions';
import type { SampleEvaluation, TargetStats } from '../sample/evaluate';
import type { SampleSet } from '../sample/load';
import type { CompiledMapping, CompiledTarget } from '../transform/compile';
import type { TransformResult } from '../transform/record';
import type { EngineDiagnostic, RecordError } from '../types';
import { addValue, count, DatasetFinding, datasetFindings, DatasetStats, emptyKeyStats, isActive } from './dataset';
import { DuplicateTracker, latestIndexes } from './duplicates';
import { MISSING_CODE } from './identity';
import { RecordCheckPart, RecordFinding, recordCheckParts } from './record';

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

export async function checkSampleRecords(m: CompiledMapping, sample: SampleSet, ev: SampleEvaluation, cache = new SampleChecksCache()): Promise<SampleRecordChecks> {
  const n = sample.records.length;
  const out: SampleRecordChecks = { total: n, errors: new Map(), warnings: new Map(), skipped: new Map(), dataset: [], duplicates: new Map() };
  const keys = sample.keys;
  cache.begin(sample);
  const statsOf = (t: CompiledTarget) => ev.targets.get(t.key);
  const valueAt = (t: CompiledTarget, i: number): unknown => {
    const s = statsOf(t);
    const v = s?.values[i];
    if (v !== undefined || !s || failedIndex(s).has(i)) return v;
    return m.clear.has(t.key) ? m.clear.get(t.key) : undefined;
  };
  // A target the evaluator did not get to (skipped after a hang, or cancelled) counts as failed: no guesses.
  const failedOn = (t: CompiledTarget, i: number) => {
    const s = statsOf(t);
    return !s || failedIndex(s).has(i);
  };
  // What a part reads of its targets: their results (by identity: the evaluator keeps them while unchanged), and
  // the `clear` value an omitted one gets.
  const deps = (ts: readonly CompiledTarget[]) => ts.map((t) => statsOf(t) ?? ABSENT);
  const context = (ts: readonly (CompiledTarget | undefined)[], extra: string) => `${ts.map((t) => (t ? `${t.key}=${m.clear.has(t.key) ? JSON.stringify(m.clear.get(t.key)) : ''}` : '-')).join('\u0001')}\u0000${extra}`;

  // Per record, in this order: let failures, target failures (mapping order), the record checks, duplicates.
  const parts: Sparse[] = [];
  parts.push(await cache.get('lets', [ev.lets], '', () => letFindings(ev, keys)));
  for (const t of m.targets) {
    const drop = m.dropOnInvalid.has(t.key);
    parts.push(await cache.get(`failures:${t.key}`, deps([t]), context([t], String(drop)), () => failureFindings(t, statsOf(t), drop, keys)));
  }
  for (const part of recordCheckParts(m)) {
    parts.push(await cache.get(`record:${part.id}`, deps(part.targets), context(part.targets, part.context), () => runPart(part, n, valueAt, failedOn, keys)));
  }
  const extTarget = m.targets.find((t) => t.resolved.container === null && t.resolved.attribute.name === 'externalId' && !t.resolved.subAttribute);
  const userTarget = m.targets.find((t) => t.resolved.container === null && t.resolved.attribute.name === 'userName' && !t.resolved.subAttribute);
  const idTargets = [extTarget, userTarget];
  const dup = await cache.get('duplicates', idTargets.map((t) => (t ? statsOf(t) ?? ABSENT : undefined)), context(idTargets, m.duplicates), () =>
    duplicateFindings(m, n, keys, extTarget && ((i: number) => valueAt(extTarget, i)), userTarget && ((i: number) => valueAt(userTarget, i))),
  );
  parts.push(dup.findings);
  for (const [i, e] of dup.skipped) out.skipped.set(i, e);
  for (const [name, d] of dup.duplicates) out.duplicates.set(name, { ...d });
  merge(parts, n, out);

  const stats = new DatasetStats(m);
  stats.total = n;
  for (const t of m.targets) {
    const active = isActive(t);
    const k = await cache.get(`stats:${t.key}`, deps([t]), context([t], String(active)), () => {
      const s = emptyKeyStats();
      for (let i = 0; i < n; i++) {
        const f = failedOn(t, i);
        addValue(s, active, f, f ? undefined : valueAt(t, i));
      }
      return s;
    });
    stats.keys.set(t.key, { ...k });
  }
  out.dataset = datasetFindings(m, stats);
  cache.end();
  return out;
}

/** A part's findings over all sample records, sparse: the record index of each error and warning. */
interface Sparse {
  errorAt: number[];
  errors: RecordError[];
  warningAt: number[];
  warnings: RecordError[];
}

const sparse = (): Sparse => ({ errorAt: [], errors: [], warningAt: [], warnings: [] });

/** Stands for a target the evaluator has no results for (a dependency like any other). */
const ABSENT = Object.freeze({ absent: true });

/**
 * The parts of the record checks over a sample, kept from one validation to the next (the server keeps one per
 * file): a part runs over the records again only when the results of a target it reads, or its context, are
 * not the ones it ran on. The result is the same as a run without the cache (test/unit/engine/incrementalChecks).
 */
export class SampleChecksCache {
  private entries = new Map<string, { deps: readonly unknown[]; context: string; value: unknown }>();
  private used = new Set<string>();
  /** The sample the kept findings are about (their record keys come from it); weak: the server owns samples. */
  private sample?: WeakRef<SampleSet>;
  /** Ids of the parts that ran over the records in the last check (the others were kept). */
  ran: string[] = [];

  begin(sample: SampleSet): void {
    if (this.sample?.deref() !== sample) this.entries.clear();
    this.sample = new WeakRef(sample);
    this.used.clear();
    this.ran = [];
  }

  async get<T>(id: string, deps: readonly unknown[], context: string, compute: () => T | Promise<T>): Promise<T> {
    this.used.add(id);
    const hit = this.entries.get(id);
    if (hit && hit.context === context && hit.deps.length === deps.length && hit.deps.every((d, k) => d === deps[k])) return hit.value as T;
    this.ran.push(id);
    const value = await compute();
    this.entries.set(id, { deps, context, value });
    return value;
  }

  /** Drops the parts the last check did not ask for (bounded memory while the user types). */
  end(): void {
    for (const id of [...this.entries.keys()]) if (!this.used.has(id)) this.entries.delete(id);
  }
}

/** Record index → problem code of a target's failures (built once per immutable TargetStats). */
const failedIndexes = new WeakMap<TargetStats, Map<number, string>>();
function failedIndex(s: TargetStats): Map<number, string> {
  let f = failedIndexes.get(s);
  if (!f) {
    f = new Map();
    for (let k = 0; k < s.failed.length; k++) f.set(s.failed[k], s.failedCodes[k] ?? 'expression-error');
    failedIndexes.set(s, f);
  }
  return f;
}

function letFindings(ev: SampleEvaluation, keys: SampleSet['keys']): Sparse {
  // Per record in binding order: collect per binding, then order by record (stable for equal indexes).
  const found: { i: number; k: number; e: RecordError }[] = [];
  ev.lets.forEach((l, k) => {
    const message = `let ${l.name}: ${l.problems[0]?.message ?? 'evaluation failed'}`;
    for (const i of new Set(l.failed)) found.push({ i, k, e: { index: i, key: keys[i], attribute: `$${l.name}`, code: 'expression-error', message } });
  });
  found.sort((a, b) => a.i - b.i || a.k - b.k);
  const out = sparse();
  for (const f of found) {
    out.errorAt.push(f.i);
    out.errors.push(f.e);
  }
  return out;
}

function failureFindings(t: CompiledTarget, s: TargetStats | undefined, drop: boolean, keys: SampleSet['keys']): Sparse {
  const out = sparse();
  if (!s) return out;
  const messages = new Map<string, string>();
  for (const [i, code] of [...failedIndex(s)].sort((a, b) => a[0] - b[0])) {
    let message = messages.get(code);
    if (message === undefined) messages.set(code, (message = s.problems.find((x) => x.code === code)?.message ?? code));
    if (drop) {
      out.warningAt.push(i);
      out.warnings.push({ index: i, key: keys[i], attribute: t.key, code: 'attribute-dropped', message: `${message} — left out (onInvalid: drop-attribute; was ${code})` });
    } else {
      out.errorAt.push(i);
      out.errors.push({ index: i, key: keys[i], attribute: t.key, code, message });
    }
  }
  return out;
}

function runPart(part: RecordCheckPart, n: number, valueAt: (t: CompiledTarget, i: number) => unknown, failedOn: (t: CompiledTarget, i: number) => boolean, keys: SampleSet['keys']): Sparse {
  const out = sparse();
  const found: RecordFinding[] = [];
  let i = 0;
  const value = (t: CompiledTarget) => valueAt(t, i);
  const failed = (t: CompiledTarget) => failedOn(t, i);
  for (; i < n; i++) {
    part.run(value, failed, found);
    if (!found.length) continue;
    for (const f of found) {
      const e: RecordError = { index: i, key: keys[i], attribute: f.attribute, code: f.code, message: f.message };
      if (f.severity === 'error') {
        out.errorAt.push(i);
        out.errors.push(e);
      } else {
        out.warningAt.push(i);
        out.warnings.push(e);
      }
    }
    found.length = 0;
  }
  return out;
}

interface DuplicateFindings {
  findings: Sparse;
  skipped: Map<number, RecordError>;
  duplicates: SampleRecordChecks['duplicates'];
}

async function duplicateFindings(m: CompiledMapping, n: number, keys: SampleSet['keys'], ext: ((i: number) => unknown) | undefined, user: ((i: number) => unknown) | undefined): Promise<DuplicateFindings> {
  const out: DuplicateFindings = { findings: sparse(), skipped: new Map(), duplicates: new Map() };
  const ids = function* () {
    for (let index = 0; index < n; index++) yield { index, externalId: ext?.(index) };
  };
  const latest = m.duplicates === 'last' ? await latestIndexes(ids()) : undefined;
  const dupes = new DuplicateTracker(m.duplicates, latest);
  const errors: RecordError[] = [];
  for (let i = 0; i < n; i++) {
    const probe = { index: i, key: keys[i], resource: { externalId: ext?.(i), userName: user?.(i) }, errors, warnings: [], values: new Map() } as unknown as TransformResult;
    dupes.check(probe);
    if (probe.skipped) out.skipped.set(i, probe.skipped);
    if (dupes.match) {
      const d = out.duplicates.get(dupes.match.attribute);
      if (d) d.count++;
      else out.duplicates.set(dupes.match.attribute, { count: 1, value: dupes.match.value, first: Math.min(dupes.match.other, i), repeat: Math.max(dupes.match.other, i), skipped: !!probe.skipped });
    }
    for (const e of errors) {
      out.findings.errorAt.push(i);
      out.findings.errors.push(e);
    }
    errors.length = 0;
  }
  return out;
}

/** The parts' findings per record, in part order; records in index order (as one pass over the records gives). */
function merge(parts: Sparse[], n: number, out: SampleRecordChecks): void {
  const errors: (RecordError[] | undefined)[] = new Array(n);
  const warnings: (RecordError[] | undefined)[] = new Array(n);
  for (const p of parts) {
    for (let k = 0; k < p.errorAt.length; k++) (errors[p.errorAt[k]] ??= []).push(p.errors[k]);
    for (let k = 0; k < p.warningAt.length; k++) (warnings[p.warningAt[k]] ??= []).push(p.warnings[k]);
  }
  for (let i = 0; i < n; i++) {
    if (errors[i]) out.errors.set(i, errors[i]!);
    if (warnings[i]) out.warnings.set(i, warnings[i]!);
  }
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
