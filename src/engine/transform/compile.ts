/**
 * Turns an analysis into something that transforms records: every expression compiled once, with jsonata's
 * timeout/stack/sequence limits, and every target's place in the resource worked out in advance.
 */
import type jsonata from 'jsonata';
import type { MappingAnalysis } from '../analysis';
import type { ResolvedMapping } from '../analysis/targets';
import { DEFAULT_LIMITS, EvaluationLimits } from '../jsonata/compile';
import { compileEvaluator } from '../jsonata/fast';
import type { DuplicatePolicy, Target } from '../mapping/model';
import { isIdentity } from '../checks/identity';
import { fromSavedServer } from '../analysis/serverSchema';

export interface CompiledTarget {
  resolved: ResolvedMapping;
  /** The key as written in the mapping file (named in record errors). */
  key: string;
  expression?: jsonata.Expression;
  constant?: unknown;
  /** For filtered elements: index into CompiledMapping.slots. */
  slot?: number;
  /** True when the expression (or constant) is answered synchronously by the fast path. */
  fast: boolean;
  /** `$names` the expression reads or calls (without `$`): tells which let bindings it can reach. */
  names: ReadonlySet<string>;
  /** The value for one record: a plain value when fast, else jsonata's promise (check with `instanceof Promise`). */
  evaluate(input: unknown, bindings: Record<string, unknown>): unknown;
}

export interface ElementSlot {
  container: string | null;
  attribute: string;
  equalities: Record<string, string | number | boolean>;
}

export interface CompiledLet {
  name: string;
  expression: jsonata.Expression;
  fast: boolean;
  /** As CompiledTarget.evaluate. */
  evaluate(input: unknown, bindings: Record<string, unknown>): unknown;
}

export interface CompiledMapping {
  analysis: MappingAnalysis;
  target: Target;
  keyField?: string;
  bulkSize: number;
  failOnErrors: number | null | undefined;
  /** `sync.missing`: what sync does with ids absent from the export (default disable). */
  syncMissing: 'disable' | 'ignore';
  lets: CompiledLet[];
  targets: CompiledTarget[];
  slots: ElementSlot[];
  /** Extension URNs in the order their objects appear in `schemas`. */
  extensionOrder: string[];
  limits: EvaluationLimits;
  /** Mapping keys left out because of errors in the document (the caller reports the diagnostics). */
  skipped: string[];
  /** Mapping keys whose invalid value is dropped with a warning instead of failing the record (`onInvalid`). */
  dropOnInvalid: Set<string>;
  /** Mapping keys whose empty value is sent as an explicit null or "" (`clear`). */
  clear: Map<string, null | ''>;
  /** The tenant's verified domains, lower case (mapping `domains:` or the upload profile); undefined: unknown. */
  domains?: string[];
  duplicates: DuplicatePolicy;
  /** Share of records with active false above which the dataset check warns (0..1). */
  inactiveThreshold: number;
}

export interface CompileOptions {
  /** Verified domains from the upload profile: replace the mapping's `domains:` list. */
  domains?: string[];
}

export const DEFAULT_INACTIVE_THRESHOLD = 0.5;

export const ENTRA_MAX_BATCH = 50;

export function compileMapping(analysis: MappingAnalysis, limits: EvaluationLimits = DEFAULT_LIMITS, options: CompileOptions = {}): CompiledMapping {
  // What the saved server discovery says is not an error of the mapping: the upload asks the live server.
  const errorsAt = analysis.diagnostics.filter((d) => d.severity === 'error' && !fromSavedServer(d));
  const hasError = (start: number, end: number) => errorsAt.some((d) => d.start < end && d.end > start) || errorsAt.some((d) => d.start === d.end && d.start >= start && d.start <= end);
  const targets: CompiledTarget[] = [];
  const slots: ElementSlot[] = [];
  const skipped: string[] = [];
  for (const m of analysis.mappings) {
    const r = m.resolved;
    const v = m.entry.value;
    const end = v.kind === 'expression' ? v.expression.end : v.span.end;
    // Skip on any error at the entry, and on any syntax error in its expression (an empty block scalar's
    // error can sit just outside the value's span).
    if (!r || v.kind === 'empty' || (m.expression?.compiled.errors.length ?? 0) > 0 || hasError(m.entry.key.start, Math.max(end, m.entry.key.end))) {
      skipped.push(m.entry.key.value);
      continue;
    }
    let t: CompiledTarget;
    if (v.kind === 'constant') {
      const constant = v.value;
      t = { resolved: r, key: m.entry.key.value, constant, fast: true, names: new Set(), evaluate: () => constant };
    } else {
      const e = compileEvaluator(v.expression.text, limits);
      const facts = m.expression?.facts;
      const names = new Set([...(facts?.variables ?? []), ...(facts?.calls ?? [])].map((u) => u.name));
      t = { resolved: r, key: m.entry.key.value, expression: e.expression, fast: e.fast, names, evaluate: e.evaluate };
    }
    if (r.equalities) {
      const eqKey = JSON.stringify(Object.entries(r.equalities).map(([k, x]) => [k.toLowerCase(), typeof x === 'string' ? x.toLowerCase() : x]).sort());
      let slot = slots.findIndex((s) => s.container === r.container && s.attribute === r.attribute.name && JSON.stringify(Object.entries(s.equalities).map(([k, x]) => [k.toLowerCase(), typeof x === 'string' ? x.toLowerCase() : x]).sort()) === eqKey);
      if (slot < 0) {
        slot = slots.length;
        slots.push({ container: r.container, attribute: r.attribute.name, equalities: r.equalities });
      }
      t.slot = slot;
    }
    targets.push(t);
  }
  const lets: CompiledLet[] = analysis.lets
    .filter((l) => l.expression.compiled.errors.length === 0)
    .map((l) => {
      const e = compileEvaluator(l.expression.source.text, limits);
      return { name: l.binding.name.value, expression: e.expression, fast: e.fast, evaluate: e.evaluate };
    });
  const doc = analysis.doc;
  const extensionOrder = analysis.schemas.set.extensions.map((s) => s.id);
  const size = doc.bulk?.size?.value ?? ENTRA_MAX_BATCH;
  const policyOf = new Map<string, string>();
  for (const e of doc.onInvalid?.exceptions ?? []) if (!policyOf.has(e.key.value)) policyOf.set(e.key.value, e.policy);
  const defaultPolicy = doc.onInvalid?.default?.value ?? 'fail-record';
  // Identity attributes (externalId, userName, active) always fail the record: dropping one changes whose account it is.
  const dropOnInvalid = new Set(targets.filter((t) => !isIdentity(t.resolved) && (policyOf.get(t.key) ?? defaultPolicy) === 'drop-attribute').map((t) => t.key));
  const clear = new Map<string, null | ''>();
  for (const c of doc.clear) {
    const t = targets.find((x) => x.key === c.key.value);
    if (t && !isIdentity(t.resolved) && !t.resolved.equalities && !t.resolved.expectedMultiValued) clear.set(t.key, c.value.value);
  }
  const domains = (options.domains ?? doc.domains?.map((d) => d.value))?.map((d) => d.toLowerCase());
  return {
    analysis,
    target: analysis.target,
    keyField: doc.source?.key?.value,
    bulkSize: analysis.target === 'entra' ? Math.min(size, ENTRA_MAX_BATCH) : size,
    // Entra ignores anything but null here (and documents nothing else): never send another value there.
    failOnErrors: analysis.target === 'entra' ? null : doc.bulk?.failOnErrors?.value,
    syncMissing: doc.sync?.missing?.value ?? 'disable',
    lets,
    targets,
    slots,
    extensionOrder,
    limits,
    skipped,
    dropOnInvalid,
    clear,
    domains: domains?.length ? domains : undefined,
    duplicates: doc.source?.duplicates?.value ?? 'error',
    inactiveThreshold: doc.checks?.inactiveThreshold?.value ?? DEFAULT_INACTIVE_THRESHOLD,
  };
}
