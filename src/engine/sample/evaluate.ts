/**
 * Evaluates a mapping on the sample records, one target at a time, and keeps each target's results keyed by
 * what they depend on (its expression, the let bindings, the sample version) — so after a one-line edit only
 * the edited mapping is evaluated again.
 */
import { compileEvaluator } from '../jsonata/fast';
import type { CompiledMapping, CompiledTarget } from '../transform/compile';
import { checkAttributeValue, isOmitted } from '../transform/values';
import { probe } from '../watchdog';
import type { SampleSet } from './load';

export interface ProblemStat {
  code: 'expression-error' | 'type-mismatch' | 'date-format';
  count: number;
  firstIndex: number;
  message: string;
}

export interface TargetStats {
  key: string;
  /** The checked value per sample record (undefined: omitted or failed). */
  values: unknown[];
  problems: ProblemStat[];
  /** Records for which the value was omitted. */
  omitted: number;
  /** Indexes of the records on which this target failed (evaluation error or wrong type). */
  failed: number[];
  /** The problem code per entry of `failed`. */
  failedCodes: ProblemStat['code'][];
}

export interface LetStats {
  name: string;
  problems: ProblemStat[];
  /** Records on which the binding failed (those records fail as a whole). */
  failed: number[];
}

export interface SampleEvaluation {
  targets: Map<string, TargetStats>;
  lets: LetStats[];
  /** Keys of targets evaluated in this run (the rest came from the cache). */
  evaluated: string[];
}

export interface RawValues {
  /** Per record: the expression's value before any check (undefined: no value). */
  values: unknown[];
  error?: { index: number; message: string };
}

export interface EvaluateOptions {
  signal?: AbortSignal;
  /** Told before each target is evaluated (the worker reports it, so a hang can be pinned on a mapping). */
  onTarget?: (key: string) => void;
}

function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const msg = err?.message ?? String(e);
  return err?.code && !msg.includes(err.code) ? `${msg} (${err.code})` : msg;
}

function note(problems: ProblemStat[], code: ProblemStat['code'], message: string, index: number): void {
  const p = problems.find((x) => x.code === code);
  if (p) p.count++;
  else problems.push({ code, count: 1, firstIndex: index, message });
}

interface LetResults {
  bindings: Record<string, unknown>[];
  stats: LetStats[];
  /** Indexes of lets whose value is a function. */
  functions: number[];
}

/** Progress key of a let binding (mapping keys never start with `$`). */
export function letKey(name: string): string {
  return `$${name}`;
}

function isFunctionValue(v: unknown): boolean {
  return typeof v === 'function' || (!!v && typeof v === 'object' && (v as { _jsonata_lambda?: boolean })._jsonata_lambda === true);
}

export class SampleEvaluator {
  private targetCache = new Map<string, TargetStats>();
  private letCache = new Map<string, LetResults>();
  /** Raw values of expressions evaluated for quick-fix checks, by lets key + text (see valuesOf). */
  private valueCache = new Map<string, RawValues>();
  private current?: { letsKey: string; lets: LetResults; used: Set<string> };

  /** Forget everything (e.g. when the sample changed on disk). */
  clear(): void {
    this.targetCache.clear();
    this.letCache.clear();
    this.valueCache.clear();
    this.current = undefined;
  }

  /**
   * The unchecked value of an expression on every sample record, with the let bindings of the last
   * `evaluate` run (call it after `evaluate`), under the mapping's jsonata limits. `error` is the first record
   * on which it threw. Cached per text until the next `evaluate` run no longer asks for it.
   */
  async valuesOf(m: CompiledMapping, sample: SampleSet, text: string, probeKey: string, signal?: AbortSignal): Promise<RawValues> {
    const cur = this.current;
    if (!cur) throw new Error('valuesOf before evaluate');
    const key = `${cur.letsKey}\u0002${text}`;
    cur.used.add(key);
    const hit = this.valueCache.get(key);
    if (hit) return hit;
    let e: ReturnType<typeof compileEvaluator>;
    try {
      e = compileEvaluator(text, m.limits);
    } catch (err) {
      const bad: RawValues = { values: [], error: { index: -1, message: errorText(err) } };
      this.valueCache.set(key, bad);
      return bad;
    }
    // Any let function may be reached: refresh them all (names of a synthesized text are not analysed).
    const probeTarget = { key: '', names: new Set(m.lets.map((l) => l.name)), fast: e.fast } as unknown as CompiledTarget;
    const values: unknown[] = new Array(sample.records.length);
    let result: RawValues = { values };
    for (let i = 0; i < sample.records.length; i++) {
      if (signal?.aborted) return { values, error: { index: i, message: 'aborted' } };
      probe(probeKey, i);
      try {
        let v = e.evaluate(sample.records[i], await this.freshBindings(m, probeTarget, cur.lets, sample.records[i], i));
        if (v instanceof Promise) v = await v;
        values[i] = v;
      } catch (err) {
        result = { values, error: { index: i, message: errorText(err) } };
        break;
      }
    }
    this.valueCache.set(key, result);
    return result;
  }

  async evaluate(m: CompiledMapping, sample: SampleSet, opts: EvaluateOptions = {}): Promise<SampleEvaluation> {
    const letsKey = `${sample.version}\u0000${m.lets.map((l) => `${l.name}=${letText(m, l.name)}`).join('\u0000')}`;
    let lets = this.letCache.get(letsKey);
    if (!lets) {
      lets = await this.evaluateLets(m, sample, opts);
      this.letCache.clear();
      this.letCache.set(letsKey, lets);
    }
    // valuesOf results of the previous run that it did not ask for again are dropped now.
    const prevUsed = this.current?.used;
    if (prevUsed) for (const k of [...this.valueCache.keys()]) if (!prevUsed.has(k)) this.valueCache.delete(k);
    this.current = { letsKey, lets, used: new Set() };
    const targets = new Map<string, TargetStats>();
    const evaluated: string[] = [];
    const live = new Set<string>();
    for (const t of m.targets) {
      if (opts.signal?.aborted) break;
      const cacheKey = `${letsKey}\u0001${t.key}\u0001${targetText(m, t)}\u0001${t.resolved.label}\u0001${t.resolved.expected.type}${t.resolved.expectedMultiValued}`;
      live.add(cacheKey);
      let stats = this.targetCache.get(cacheKey);
      if (!stats) {
        opts.onTarget?.(t.key);
        stats = await this.evaluateTarget(m, t, sample, lets, opts.signal);
        evaluated.push(t.key);
        this.targetCache.set(cacheKey, stats);
      }
      targets.set(t.key, stats);
    }
    // Drop results no current mapping uses (bounded memory while the user types).
    for (const k of [...this.targetCache.keys()]) if (!live.has(k)) this.targetCache.delete(k);
    return { targets, lets: lets.stats, evaluated };
  }

  private async evaluateLets(m: CompiledMapping, sample: SampleSet, opts: EvaluateOptions): Promise<LetResults> {
    const stats: LetStats[] = m.lets.map((l) => ({ name: l.name, problems: [], failed: [] as number[] }));
    const bindings: Record<string, unknown>[] = [];
    const functions = new Set<number>();
    for (let i = 0; i < sample.records.length; i++) bindings.push({});
    // One binding at a time over all records (each sees the ones above it), so a hang is pinned on its binding.
    for (let k = 0; k < m.lets.length; k++) {
      const l = m.lets[k];
      opts.onTarget?.(letKey(l.name));
      const key = letKey(l.name);
      for (let i = 0; i < sample.records.length; i++) {
        if (opts.signal?.aborted) break;
        probe(key, i);
        const b = bindings[i];
        try {
          const v = l.evaluate(sample.records[i], { ...b });
          b[l.name] = v instanceof Promise ? await v : v;
          if (isFunctionValue(b[l.name])) functions.add(k);
        } catch (e) {
          note(stats[k].problems, 'expression-error', errorText(e), i);
          stats[k].failed.push(i);
        }
      }
    }
    return { bindings, stats, functions: [...functions].sort((a, b) => a - b) };
  }

  /**
   * The bindings for one target evaluation. A function defined under `let` carries jsonata's timeout clock
   * from the evaluation that created it; the cached one was created when all lets were evaluated, possibly
   * seconds ago, so calling it would trip a spurious timeout. Re-create such functions right before use —
   * whenever the target names one, fast or not: a fast expression still falls back to jsonata per record,
   * e.g. when a binding shadows a built-in (`let: trim: …` then `$trim(Name)`).
   */
  private async freshBindings(m: CompiledMapping, t: CompiledTarget, lets: LetResults, record: Record<string, unknown>, i: number): Promise<Record<string, unknown>> {
    const cached = lets.bindings[i] ?? {};
    if (!lets.functions.some((k) => t.names.has(m.lets[k].name))) return cached; // JSONata has no dynamic $name lookup
    const b: Record<string, unknown> = { ...cached };
    for (const k of lets.functions) {
      const l = m.lets[k];
      try {
        const v = l.evaluate(record, { ...b });
        b[l.name] = v instanceof Promise ? await v : v;
      } catch {
        /* reported by evaluateLets */
      }
    }
    return b;
  }

  private async evaluateTarget(m: CompiledMapping, t: CompiledTarget, sample: SampleSet, lets: LetResults, signal?: AbortSignal): Promise<TargetStats> {
    const stats: TargetStats = { key: t.key, values: new Array(sample.records.length), problems: [], omitted: 0, failed: [], failedCodes: [] };
    const r = t.resolved;
    // Most targets name no let function: then the cached bindings serve every record, without an await per record.
    const fresh = lets.functions.some((k) => t.names.has(m.lets[k].name));
    for (let i = 0; i < sample.records.length; i++) {
      if (signal?.aborted) break;
      probe(t.key, i);
      let raw: unknown;
      try {
        const bindings = fresh ? await this.freshBindings(m, t, lets, sample.records[i], i) : lets.bindings[i] ?? {};
        raw = t.evaluate(sample.records[i], bindings);
        if (raw instanceof Promise) raw = await raw;
      } catch (e) {
        note(stats.problems, 'expression-error', errorText(e), i);
        stats.failed.push(i);
        stats.failedCodes.push('expression-error');
        continue;
      }
      if (isOmitted(raw)) {
        stats.omitted++;
        continue;
      }
      const checked = checkAttributeValue(raw, r.expected, r.expectedMultiValued);
      if ('problem' in checked) {
        note(stats.problems, checked.problem.code, checked.problem.message, i);
        stats.failed.push(i);
        stats.failedCodes.push(checked.problem.code);
        continue;
      }
      stats.values[i] = checked.value;
    }
    return stats;
  }
}

function letText(m: CompiledMapping, name: string): string {
  return m.analysis.lets.find((l) => l.binding.name.value === name)?.expression.source.text ?? '';
}

function targetText(m: CompiledMapping, t: CompiledTarget): string {
  const entry = m.analysis.mappings.find((x) => x.entry.key.value === t.key)?.entry;
  if (!entry) return '';
  return entry.value.kind === 'expression' ? entry.value.expression.text : JSON.stringify(t.constant);
}
