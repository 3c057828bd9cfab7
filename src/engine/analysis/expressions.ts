/**
 * Compiles every JSONata value of a mapping document once and reports what the expressions alone show:
 * syntax errors (at the offending token, through YAML quoting), unknown functions and variables.
 */
import type { EngineDiagnostic } from '../types';
import type { ExpressionSource } from '../mapping/model';
import { CompiledExpression, compileExpression, tooDeep } from '../jsonata/compile';
import { analyzeExpression, ExpressionFacts } from '../jsonata/analyze';
import { BUILTINS, builtin } from '../jsonata/catalog';
import { didYouMean } from '../scim/suggest';

export interface AnalyzedExpression {
  source: ExpressionSource;
  compiled: CompiledExpression;
  facts: ExpressionFacts;
}

/** Compiles expression texts once per text: the same expression in two places, or two versions, shares work. */
export class ExpressionCache {
  private readonly map = new Map<string, { compiled: CompiledExpression; facts: ExpressionFacts }>();
  constructor(private readonly max = 5000) {}
  get(text: string): { compiled: CompiledExpression; facts: ExpressionFacts } {
    let hit = this.map.get(text);
    if (hit) {
      // Refresh recency.
      this.map.delete(text);
      this.map.set(text, hit);
      return hit;
    }
    hit = compileAndAnalyze(text);
    this.map.set(text, hit);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return hit;
  }
}

/**
 * An expression nested thousands of levels deep (`a & a & a …`) overflows the stack of the AST walks. jsonata
 * could not evaluate it either (its depth limit is 300): report it once and keep no AST, so that no feature
 * walks it again.
 */
function compileAndAnalyze(text: string): { compiled: CompiledExpression; facts: ExpressionFacts } {
  const compiled = compileExpression(text);
  try {
    return { compiled, facts: analyzeExpression(compiled.ast, text) };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { compiled: { text, errors: [tooDeep(text)] }, facts: analyzeExpression(undefined, text) };
  }
}

const sharedCache = new ExpressionCache();

export function analyzeSource(source: ExpressionSource, cache: ExpressionCache = sharedCache): AnalyzedExpression {
  const { compiled, facts } = cache.get(source.text);
  return { source, compiled, facts };
}

/** Document range of a range inside an expression. */
export function docRange(source: ExpressionSource, start: number, end: number): { start: number; end: number } {
  const s = source.map.toDocument(start);
  const e = end > start ? source.map.toDocument(end - 1) + 1 : s;
  return { start: s, end: Math.max(e, s) };
}

export function expressionDiagnostics(
  expressions: AnalyzedExpression[],
  letNames: string[],
): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const known = new Set(letNames);
  for (const ex of expressions) {
    for (const err of ex.compiled.errors) {
      out.push({ code: 'jsonata-syntax', severity: 'error', message: `${err.message} (${err.code})`, ...docRange(ex.source, err.start, err.end), data: { jsonataCode: err.code } });
    }
    for (const call of ex.facts.calls) {
      if (builtin(call.name) || known.has(call.name) || ex.facts.bound.has(call.name)) continue;
      const names = [...BUILTINS.map((f) => f.name), ...known];
      // A typed prefix ($lower → $lowercase) beats a short edit distance ($lower → $power).
      const prefixed = call.name.length >= 3 ? names.filter((n) => n.toLowerCase().startsWith(call.name.toLowerCase())) : [];
      const candidates = [...new Set([...prefixed, ...didYouMean(call.name, names)])].slice(0, 5).map((c) => `$${c}`);
      const hint = candidates.length ? ` Did you mean ${candidates[0]}?` : '';
      out.push({ code: 'unknown-function', severity: 'error', message: `Unknown function $${call.name}.${hint}`, ...docRange(ex.source, call.start, call.end), data: { candidates } });
    }
    for (const v of ex.facts.variables) {
      if (known.has(v.name) || builtin(v.name)) continue;
      const candidates = didYouMean(v.name, [...known]).map((c) => `$${c}`);
      const hint = candidates.length ? ` Did you mean ${candidates[0]}?` : known.size ? ` Bindings: ${[...known].map((k) => `$${k}`).join(', ')}.` : ' Define it under `let:`.';
      out.push({ code: 'unknown-variable', severity: 'warning', message: `$${v.name} is not defined: it evaluates to nothing.${hint}`, ...docRange(ex.source, v.start, v.end), data: { candidates } });
    }
  }
  return out;
}
