/**
 * Every sample record through the engine's record pipeline (`transformRecords`: the per-record checks plus the
 * checks across records such as duplicate externalIds), so the preview shows exactly the record errors an export
 * or upload would meet. Cached per mapping text and sample version: choosing another record does not re-run it.
 */
import { transformRecords, type TransformResult } from '../engine/pipeline';
import type { CompiledMapping, CompiledTarget } from '../engine/transform/compile';
import type { ValidationResult } from '../engine/validate';

export interface SampleRun {
  results: TransformResult[];
}

const MAX_SEARCH_CHARS = 4_000;
let last: { key: string; run: SampleRun } | undefined;

/** What makes a run reusable: the mapping text, the sample's version and the attribute types it was checked with. */
function runKey(v: ValidationResult, text: string): string {
  const s = v.sample;
  const types = v.compiled.targets.map((t) => `${t.key}=${JSON.stringify(t.resolved.expected)}${t.resolved.expectedMultiValued ? '[]' : ''}`).join('\u0001');
  return [s?.path ?? '', s?.version ?? '', s?.records.length ?? 0, text, types, v.compiled.targets.length, v.compiled.lets.length].join('\u0000');
}

/**
 * The compiled mapping with each target answering from the sample evaluation that validation just did (the same
 * expression on the same record, cached per target by the evaluator), so a refresh after a one-line edit does not
 * evaluate every expression on every record again. A target the evaluation did not answer, or answered with a
 * failure, is evaluated for real: its error comes from transformRecord as in an export.
 */
export function withEvaluatedValues(v: ValidationResult): CompiledMapping {
  const ev = v.evaluation;
  const records = v.sample?.records;
  if (!ev || !records) return v.compiled;
  const indexOf = new Map<unknown, number>();
  records.forEach((r, i) => indexOf.set(r, i));
  /** Records on which some target must be evaluated for real (it failed, or the evaluation has no answer). */
  const live = new Set<number>();
  let allAnswered = true;
  const targets = v.compiled.targets.map((t): CompiledTarget => {
    const stats = ev.targets.get(t.key);
    if (!stats || stats.values.length !== records.length) {
      allAnswered = false;
      return t;
    }
    const failed = new Set(stats.failed);
    for (const i of failed) live.add(i);
    return {
      ...t,
      evaluate: (input, bindings) => {
        const i = indexOf.get(input);
        return i === undefined || failed.has(i) ? t.evaluate(input, bindings) : stats.values[i];
      },
    };
  });
  // The let bindings only feed the targets. When no binding failed on any record (a failure would be a record
  // error) and every target of a record is answered, the record needs no binding at all.
  const letsClean = allAnswered && ev.lets.length === v.compiled.lets.length && ev.lets.every((l) => !l.problems.length);
  const lets = !letsClean ? v.compiled.lets : v.compiled.lets.map((l) => ({
    ...l,
    evaluate: (input: unknown, bindings: Record<string, unknown>) => {
      const i = indexOf.get(input);
      return i === undefined || live.has(i) ? l.evaluate(input, bindings) : undefined;
    },
  }));
  return { ...v.compiled, targets, lets };
}

export async function runSample(v: ValidationResult, text?: string, opts: { reuseEvaluation?: boolean } = {}): Promise<SampleRun> {
  const key = text === undefined ? undefined : runKey(v, text);
  if (key !== undefined && last?.key === key) return last.run;
  const records = (v.sample?.records ?? []).map((value, index) => ({ index, value }));
  const results: TransformResult[] = [];
  const compiled = opts.reuseEvaluation === false ? v.compiled : withEvaluatedValues(v);
  for await (const r of transformRecords(compiled, records)) results.push(r);
  const run = { results };
  if (key !== undefined) last = { key, run };
  return run;
}

/** Lower case without diacritics ("Seán" → "sean"): NFD splits letters from their combining marks, which go. */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Every scalar value of the HR record and of the payload, folded, for the preview's search. */
export function searchText(record: unknown, resource: unknown): string {
  // Each distinct value once: the payload repeats most HR values (names, e-mail addresses, ids).
  const parts = new Set<string>();
  let size = 0;
  const visit = (x: unknown, depth: number): void => {
    if (size > MAX_SEARCH_CHARS || depth > 20 || x === null || x === undefined) return;
    if (typeof x === 'object') {
      for (const v of Array.isArray(x) ? x : Object.values(x as object)) visit(v, depth + 1);
      return;
    }
    const s = String(x);
    if (!s || parts.has(s)) return;
    parts.add(s);
    size += s.length + 1;
  };
  visit(record, 0);
  if (resource && typeof resource === 'object') {
    for (const [k, v] of Object.entries(resource)) if (k !== 'schemas') visit(v, 1); // every record has the same URNs
  }
  return foldText([...parts].join('\n')).slice(0, MAX_SEARCH_CHARS);
}
