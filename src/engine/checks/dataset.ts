/**
 * Dataset-level checks: findings about all records together that no single record shows. `active` false on
 * every record (every account would be disabled), an identity attribute empty on every record, one value
 * shared by every record of a per-person attribute. The statistics are counters (bounded memory), fed the
 * same way by the sample pass and by a streaming pass over a whole input (uploads).
 */
import type { CompiledMapping, CompiledTarget } from '../transform/compile';
import { requiredIdentity } from './identity';

export interface DatasetFinding {
  code: 'all-inactive' | 'many-inactive' | 'always-empty' | 'same-value';
  severity: 'error' | 'warning';
  /** The mapping key the finding is about. */
  attribute: string;
  message: string;
  /** Errors make every record wrong: uploads send nothing unless forced. */
  blocking: boolean;
}

export interface KeyStats {
  filled: number;
  failed: number;
  first?: string;
  same: boolean;
  /** Records on which this target's value is `false` (counted for `active` only). */
  activeFalse: number;
}

/** A count as people write it: 1,000. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function emptyKeyStats(): KeyStats {
  return { filled: 0, failed: 0, same: true, activeFalse: 0 };
}

/** One target's value on one record into its statistics (`active` tells whether the target is `active`). */
export function addValue(s: KeyStats, active: boolean, failed: boolean, v: unknown): void {
  if (failed) {
    s.failed++;
    return;
  }
  if (v === undefined || v === null || v === '') return;
  s.filled++;
  if (active && v === false) s.activeFalse++;
  if (!s.same) return;
  const k = typeof v === 'string' ? v.toLowerCase() : JSON.stringify(v);
  if (s.first === undefined) s.first = k;
  else if (s.first !== k) s.same = false;
}

export class DatasetStats {
  total = 0;
  readonly keys = new Map<string, KeyStats>();
  private readonly active: boolean[];

  constructor(private readonly m: CompiledMapping) {
    for (const t of m.targets) this.keys.set(t.key, emptyKeyStats());
    this.active = m.targets.map(isActive);
  }

  /** Records on which an `active` mapping gives false. */
  get activeFalse(): number {
    let n = 0;
    for (const s of this.keys.values()) n += s.activeFalse;
    return n;
  }

  /** One record: value(t) its checked value (undefined: omitted), failed(t) it failed on this record. */
  add(value: (t: CompiledTarget) => unknown, failed: (t: CompiledTarget) => boolean): void {
    this.total++;
    const ts = this.m.targets;
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k];
      const f = failed(t);
      addValue(this.keys.get(t.key)!, this.active[k], f, f ? undefined : value(t));
    }
  }
}

export function isActive(t: CompiledTarget): boolean {
  return t.resolved.container === null && t.resolved.attribute.name === 'active' && !t.resolved.subAttribute;
}

/** Attributes that name one person: the same value on every record is a mapping mistake. */
function perPerson(t: CompiledTarget): boolean {
  const r = t.resolved;
  if (r.container !== null) return false;
  if ((r.attribute.name === 'externalId' || r.attribute.name === 'userName') && !r.subAttribute) return true;
  return r.attribute.name === 'emails' && (r.subAttribute?.name === 'value' || (!r.subAttribute && !r.equalities));
}

export function datasetFindings(m: CompiledMapping, stats: DatasetStats): DatasetFinding[] {
  const out: DatasetFinding[] = [];
  const n = stats.total;
  if (n === 0) return out;
  const identity = new Set<string>(requiredIdentity(m.target));
  for (const t of m.targets) {
    const s = stats.keys.get(t.key)!;
    const r = t.resolved;
    const isId = r.container === null && !r.subAttribute && !r.equalities && identity.has(r.attribute.name);
    if (s.filled === 0 && s.failed === 0) {
      out.push({
        code: 'always-empty', severity: isId ? 'error' : 'warning', attribute: t.key, blocking: isId,
        message: isId
          ? `${r.label} is empty on every record (${count(n)} of ${count(n)}): no record can be sent. Check the field names against the data`
          : `${r.label} is empty on every record (${count(n)}): the mapping never sends a value. Check the field names against the data, or remove the mapping`,
      });
      continue;
    }
    if (isActive(t) && n >= 2 && s.failed === 0) {
      if (stats.activeFalse === n) {
        out.push({ code: 'all-inactive', severity: 'error', attribute: t.key, blocking: true, message: `active is false on every record (${count(n)} of ${count(n)}): every account would be disabled. Check the comparison against the data (values are case-sensitive, e.g. "Active")` });
      } else if (stats.activeFalse / n > m.inactiveThreshold) {
        const pct = Math.round((stats.activeFalse / n) * 1000) / 10;
        out.push({ code: 'many-inactive', severity: 'warning', attribute: t.key, blocking: false, message: `active is false on ${count(stats.activeFalse)} of ${count(n)} records (${pct}%, more than ${Math.round(m.inactiveThreshold * 100)}%): ${count(stats.activeFalse)} accounts would be disabled. If that is intended, raise checks.inactiveThreshold` });
      }
    }
    if (perPerson(t) && n >= 2 && s.filled === n && s.same) {
      out.push({ code: 'same-value', severity: 'warning', attribute: t.key, blocking: false, message: `${r.label} has the same value on every record (${count(n)}): it should differ from person to person` });
    }
  }
  return out;
}

const VALUE_FAILURES = new Set(['expression-error', 'type-mismatch', 'date-format']);

/** Feeds one streamed transform result to the statistics. */
export function addResult(stats: DatasetStats, r: { values: Map<string, unknown>; errors: { attribute?: string; code: string }[] }): void {
  stats.add((t) => r.values.get(t.key), (t) => r.errors.some((e) => e.attribute === t.key && VALUE_FAILURES.has(e.code)));
}
