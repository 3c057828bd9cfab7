/** Checks against the sample data: unknown fields, evaluation errors, wrong types, duplicates, dangling manager links. */
import type { EngineDiagnostic } from '../types';
import { ENTERPRISE_USER_URN } from '../types';
import type { AnalyzedExpression } from '../analysis/expressions';
import { docRange } from '../analysis/expressions';
import type { CompiledMapping } from '../transform/compile';
import { didYouMean } from '../scim/suggest';
import type { SampleEvaluation, ProblemStat, TargetStats } from './evaluate';
import type { SampleSet } from './load';
import { emptyFieldDiagnostics } from '../checks/sample';

const SEP = '\u0000';

function recordName(sample: SampleSet, i: number): string {
  const key = sample.keys[i];
  return `record ${i + 1}${key ? ` (${key})` : ''}`;
}

function counted(n: number, total: number, sample: SampleSet): string {
  return `${n} of ${total}${sample.truncated ? ' sampled' : ''} record${total === 1 ? '' : 's'}`;
}

/** Field paths of the sample as segment lists without array steps (JSONata maps over arrays implicitly). */
function fieldIndex(sample: SampleSet): { paths: Set<string>; children: Map<string, Set<string>> } {
  const paths = new Set<string>();
  const children = new Map<string, Set<string>>();
  for (const f of sample.fields) {
    const segs = f.segments.filter((s) => s !== '[]');
    for (let k = 1; k <= segs.length; k++) {
      paths.add(segs.slice(0, k).join(SEP));
      const parent = segs.slice(0, k - 1).join(SEP);
      let set = children.get(parent);
      if (!set) children.set(parent, (set = new Set()));
      set.add(segs[k - 1]);
    }
  }
  return { paths, children };
}

export function unknownFieldDiagnostics(expressions: AnalyzedExpression[], sample: SampleSet): EngineDiagnostic[] {
  if (!sample.records.length) return [];
  const { paths, children } = fieldIndex(sample);
  const out: EngineDiagnostic[] = [];
  for (const ex of expressions) {
    if (ex.compiled.errors.length) continue;
    for (const ref of ex.facts.fields) {
      const names = ref.segments.map((s) => s.name);
      for (let k = 0; k < names.length; k++) {
        if (paths.has(names.slice(0, k + 1).join(SEP))) continue;
        const seg = ref.segments[k];
        if (seg.start < 0) break; // an outer segment already reported (or relative context)
        const siblings = [...(children.get(names.slice(0, k).join(SEP)) ?? [])];
        const candidates = didYouMean(seg.name, siblings);
        const where = k === 0 ? 'in any sample record' : `under ${names.slice(0, k).join('.')} in any sample record`;
        const hint = candidates.length ? ` Did you mean '${candidates[0]}'?` : '';
        out.push({
          code: 'unknown-field', severity: 'warning', ...docRange(ex.source, seg.start, seg.end),
          message: `Field '${seg.name}' does not occur ${where}: the value will always be empty.${hint}`,
          data: { candidates: candidates.map((c) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(c) ? c : `\`${c}\``)) },
        });
        break;
      }
    }
  }
  return out;
}

// Per-target results over every sample record, cached by the (immutable) TargetStats the evaluator caches: after a
// one-line edit only the edited mapping's stats are new, so a 100,000-record sample is not rescanned per target.
const duplicateCache = new WeakMap<TargetStats, { caseExact: boolean; dupes: number; example?: { value: string; a: number; b: number } }>();
const idSetCache = new WeakMap<TargetStats, Set<string>>();
const managerCache = new WeakMap<TargetStats, { ids: Set<string>; missing: number; example?: { value: string; i: number } }>();

function duplicatesOf(stats: TargetStats, caseExact: boolean): { dupes: number; example?: { value: string; a: number; b: number } } {
  const hit = duplicateCache.get(stats);
  if (hit && hit.caseExact === caseExact) return hit;
  const first = new Map<string, number>();
  let dupes = 0;
  let example: { value: string; a: number; b: number } | undefined;
  stats.values.forEach((v, i) => {
    if (typeof v !== 'string') return;
    const k = caseExact ? v : v.toLowerCase();
    const j = first.get(k);
    if (j === undefined) first.set(k, i);
    else {
      dupes++;
      example ??= { value: v, a: j, b: i };
    }
  });
  const r = { caseExact, dupes, example };
  duplicateCache.set(stats, r);
  return r;
}

function externalIdsOf(ev: SampleEvaluation, key: string): Set<string> {
  const stats = ev.targets.get(key);
  if (!stats) return new Set();
  let ids = idSetCache.get(stats);
  if (!ids) {
    ids = new Set();
    for (const v of stats.values) if (typeof v === 'string') ids.add(v);
    idSetCache.set(stats, ids);
  }
  return ids;
}

function danglingManagers(stats: TargetStats, ids: Set<string>): { missing: number; example?: { value: string; i: number } } {
  const hit = managerCache.get(stats);
  if (hit && hit.ids === ids) return hit;
  let missing = 0;
  let example: { value: string; i: number } | undefined;
  stats.values.forEach((v, i) => {
    if (typeof v === 'string' && !ids.has(v)) {
      missing++;
      example ??= { value: v, i };
    }
  });
  const r = { ids, missing, example };
  managerCache.set(stats, r);
  return r;
}

const PROBLEM_CODE: Record<ProblemStat['code'], string> = { 'expression-error': 'sample-error', 'type-mismatch': 'sample-type', 'date-format': 'date-format' };

export function sampleDiagnostics(m: CompiledMapping, sample: SampleSet, ev: SampleEvaluation): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const a = m.analysis;
  const total = sample.records.length;
  const expressions = [...a.lets.map((l) => l.expression), ...a.mappings.flatMap((x) => (x.expression ? [x.expression] : []))];
  out.push(...unknownFieldDiagnostics(expressions, sample), ...emptyFieldDiagnostics(expressions, sample));

  for (const ls of ev.lets) {
    const l = a.lets.find((x) => x.binding.name.value === ls.name);
    if (!l) continue;
    for (const p of ls.problems) {
      out.push({ code: 'sample-error', severity: 'error', scope: 'record', start: l.expression.source.start, end: l.expression.source.end, message: `${p.message} — on ${counted(p.count, total, sample)} (first: ${recordName(sample, p.firstIndex)})`, data: { count: p.count, firstIndex: p.firstIndex } });
    }
  }

  const externalTarget = m.targets.find((t) => t.resolved.container === null && t.resolved.attribute.name === 'externalId' && !t.resolved.subAttribute);

  for (const t of m.targets) {
    const stats = ev.targets.get(t.key);
    if (!stats) continue;
    const entry = a.mappings.find((x) => x.entry.key.value === t.key)!.entry;
    const span = entry.value.kind === 'expression' ? { start: entry.value.expression.start, end: entry.value.expression.end } : entry.value.span;
    const drop = m.dropOnInvalid.has(t.key);
    for (const p of stats.problems) {
      const code = PROBLEM_CODE[p.code];
      const dropped = drop ? ' — left out of those records (onInvalid: drop-attribute)' : '';
      out.push({ code, severity: drop ? 'warning' : 'error', scope: drop ? undefined : 'record', ...span, message: `${p.message} — on ${counted(p.count, total, sample)} (first: ${recordName(sample, p.firstIndex)})${dropped}`, data: { count: p.count, firstIndex: p.firstIndex, records: stats.failed.filter((_, k) => stats.failedCodes[k] === p.code).slice(0, 1000) } });
    }
    const r = t.resolved;
    // Values that must be unique across users: externalId (Entra's matching key) and uniqueness server/global.
    // externalId and userName: the record checks' duplicate tracker reports them (checks/sample.ts), so the
    // diagnostic counts exactly the records the stream leaves out.
    const identity = r.container === null && (r.attribute.name === 'externalId' || r.attribute.name === 'userName');
    const unique = !identity && !r.subAttribute && !r.equalities && r.attribute.uniqueness !== 'none';
    if (unique) {
      const { dupes, example } = duplicatesOf(stats, r.attribute.caseExact);
      if (dupes && example) {
        out.push({ code: 'sample-duplicate', severity: 'error', ...span, message: `${r.label} must be unique, but ${dupes} sample record${dupes === 1 ? ' repeats' : 's repeat'} a value: ${JSON.stringify(example.value)} in ${recordName(sample, example.a)} and ${recordName(sample, example.b)}`, data: { count: dupes } });
      }
    }
    if (m.target === 'entra' && r.container === ENTERPRISE_USER_URN && r.attribute.name === 'manager' && r.subAttribute?.name === 'value' && externalTarget) {
      const { missing, example } = danglingManagers(stats, externalIdsOf(ev, externalTarget.key));
      if (missing && example) {
        const scope = sample.truncated ? ` (only ${total} records were sampled; the manager may be further down the file)` : '';
        out.push({ code: 'manager-reference', severity: 'warning', ...span, message: `${missing} manager value${missing === 1 ? ' is' : 's are'} not the externalId of any sample record, e.g. ${JSON.stringify(example.value)} in ${recordName(sample, example.i)}: Entra fails those links with UnableToResolveReferenceAttributeValue unless the manager was provisioned before${scope}`, data: { count: missing } });
      }
    }
  }
  return out;
}
