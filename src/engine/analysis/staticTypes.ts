/**
 * type-mismatch from what is certain without data: YAML constants, and expressions whose result type the
 * AST fixes (a string literal or `&` is a string, a comparison a boolean, arithmetic a number …).
 */
import type { EngineDiagnostic } from '../types';
import type { StaticType } from '../jsonata/catalog';
import type { ExprNode } from '../jsonata/compile';
import { checkAttributeValue } from '../transform/values';
import type { AnalyzedExpression } from './expressions';
import type { ResolvedMapping } from './targets';

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function expectedText(m: ResolvedMapping): string {
  if (m.expectedMultiValued) return `a list of ${m.expected.type === 'complex' ? 'objects' : `${m.expected.type} values`}`;
  if (m.expected.type === 'complex') return 'an object with sub-attributes';
  if (m.expected.type === 'dateTime') return 'an xsd:dateTime string';
  return article(m.expected.type);
}

/** Whether a value of static type `t` can never fit the target. */
function incompatible(t: StaticType, m: ResolvedMapping): boolean {
  if (t === 'any' || t === 'null' || t === 'function') return t === 'function';
  if (m.expectedMultiValued) return t === 'string' || t === 'number' || t === 'boolean';
  switch (m.expected.type) {
    case 'string':
    case 'reference':
    case 'binary':
    case 'dateTime':
      return t !== 'string';
    case 'boolean':
      return t !== 'boolean';
    case 'integer':
    case 'decimal':
      return t !== 'number';
    case 'complex':
      return t !== 'object';
  }
}

function fix(t: StaticType, m: ResolvedMapping): { hint: string; wrap?: string } {
  const target = m.expected.type;
  if (m.expectedMultiValued || target === 'complex') return { hint: '' };
  if ((target === 'string' || target === 'reference') && (t === 'number' || t === 'boolean')) return { hint: ' Wrap it in $string().', wrap: 'string' };
  if ((target === 'integer' || target === 'decimal') && t === 'string') return { hint: ' Convert it with $number().', wrap: 'number' };
  if (target === 'boolean' && (t === 'string' || t === 'number')) return { hint: ' Compare it (e.g. Status = "Active") or map its yes/no values to true and false.', wrap: 'boolean' };
  return { hint: '' };
}

export function staticTypeDiagnostics(mapping: ResolvedMapping, expr: AnalyzedExpression | undefined): EngineDiagnostic[] {
  const value = mapping.entry.value;
  if (value.kind === 'constant') {
    const r = checkAttributeValue(value.value, mapping.expected, mapping.expectedMultiValued);
    if ('problem' in r) {
      const t = typeof value.value;
      const f = fix(t as StaticType, mapping);
      return [{
        code: 'type-mismatch', severity: 'error', start: value.span.start, end: value.span.end,
        message: `${mapping.label} expects ${expectedText(mapping)}; the constant ${JSON.stringify(value.value)} is a ${t}.${f.hint}${t === 'number' || t === 'boolean' ? ` A text constant is written '"${value.value}"'.` : ''}`,
        data: { wrap: f.wrap, quote: mapping.expected.type === 'string' || mapping.expected.type === 'reference' ? String(value.value) : undefined },
      }];
    }
    return [];
  }
  if (value.kind !== 'expression' || !expr || expr.compiled.errors.length) return [];
  const ast = expr.compiled.ast as ExprNode | undefined;
  // A plain literal is known exactly: check the value itself (catches date-only strings, non-integers …).
  if (ast && (ast.type === 'string' || ast.type === 'number')) {
    const r = checkAttributeValue(ast.value, mapping.expected, mapping.expectedMultiValued);
    if ('problem' in r) {
      const f = fix(ast.type === 'string' ? 'string' : 'number', mapping);
      return [{ code: r.problem.code, severity: 'error', start: value.expression.start, end: value.expression.end, message: `${mapping.label}: ${r.problem.message}.${f.hint}`, data: { wrap: f.wrap } }];
    }
    return [];
  }
  const t = expr.facts.resultType;
  if (!incompatible(t, mapping)) return [];
  const f = fix(t, mapping);
  return [{
    code: 'type-mismatch', severity: 'error', start: value.expression.start, end: value.expression.end,
    message: `${mapping.label} expects ${expectedText(mapping)}, but this expression always produces ${t === 'array' ? 'a list' : article(t)}.${f.hint}`,
    data: { wrap: f.wrap },
  }];
}
