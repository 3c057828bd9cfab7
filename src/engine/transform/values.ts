/**
 * Checks that an evaluated value fits a SCIM attribute. No silent coercion: "42" is not an integer and
 * "true" is not a boolean; the message says which conversion function fixes it.
 */
import type { ScimAttribute, ScimType } from '../scim/schema';

/** xsd:dateTime with a time (Entra ignores date-only values for dateTime attributes). */
export const XSD_DATETIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/;

/** undefined, null, "", [] and {} leave the attribute out (so do objects and lists that become empty after checks). */
export function isOmitted(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v as object).length === 0;
}

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'function') return 'function';
  return typeof v;
}

export interface ValueProblem {
  code: 'type-mismatch' | 'date-format';
  message: string;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * A date without a time, with the fix for that value's own shape: Workday's `2014-10-10-07:00` keeps its
 * offset (`2014-10-10T00:00:00-07:00`); appending "T00:00:00Z" to it would not be a dateTime at all.
 */
function dateOnlyMessage(v: string): string {
  const zone = v.slice(10);
  const fixed = `${v.slice(0, 10)}T00:00:00${zone || 'Z'}`;
  const how = zone ? `insert the time before the offset: ${JSON.stringify(fixed)}` : `append a time: ${JSON.stringify(fixed)}, e.g. & "T00:00:00Z"`;
  return `the date ${show(v)} has no time: Entra ignores date-only values; ${how}`;
}

/** Checks one scalar value against a SCIM type. */
export function checkScalar(v: unknown, type: ScimType): ValueProblem | undefined {
  const t = jsonType(v);
  const mismatch = (want: string, fix?: string): ValueProblem => ({
    code: 'type-mismatch',
    message: `expected ${want} but the value is ${t === 'string' || t === 'number' || t === 'boolean' ? `the ${t} ${show(v)}` : `${t === 'array' ? 'an' : 'a'} ${t}`}${fix ? ` (${fix})` : ''}`,
  });
  switch (type) {
    case 'string':
    case 'reference':
    case 'binary':
      if (t === 'string') return undefined;
      return mismatch(`a ${type === 'string' ? 'string' : type === 'reference' ? 'reference (a string URI or id)' : 'base64 string'}`, t === 'number' || t === 'boolean' ? 'wrap it in $string()' : undefined);
    case 'boolean':
      if (t === 'boolean') return undefined;
      return mismatch('a boolean', t === 'string' ? 'compare it, e.g. Status = "Active", or map yes/no values to true and false (not $boolean(): $boolean("False") is true)' : undefined);
    case 'integer':
      if (t === 'number' && Number.isInteger(v)) return undefined;
      return mismatch('an integer', t === 'string' ? 'convert it with $number()' : t === 'number' ? 'round it with $round()' : undefined);
    case 'decimal':
      if (t === 'number' && Number.isFinite(v as number)) return undefined;
      return mismatch('a number', t === 'string' ? 'convert it with $number()' : undefined);
    case 'dateTime':
      if (t !== 'string') return mismatch('an xsd:dateTime string such as 2021-05-01T00:00:00Z');
      if (XSD_DATETIME.test(v as string)) return undefined;
      if (DATE_ONLY.test(v as string)) {
        return { code: 'date-format', message: dateOnlyMessage(v as string) };
      }
      return { code: 'date-format', message: `${show(v)} is not an xsd:dateTime such as 2021-05-01T00:00:00Z` };
    case 'complex':
      if (t === 'object') return undefined;
      return mismatch('an object with sub-attributes');
  }
}

/**
 * Checks a value for a whole attribute (singular or multi-valued, simple or complex). A multi-valued attribute
 * accepts a single item too: JSONata unwraps one-item sequences, so `[{...}]` often arrives as `{...}`.
 * Returns the value to emit (arrays for multi-valued) or a problem.
 */
export function checkAttributeValue(v: unknown, attr: ScimAttribute, multiValued = attr.multiValued): { value: unknown } | { problem: ValueProblem } {
  if (multiValued) {
    const items = Array.isArray(v) ? v : [v];
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      if (isOmitted(items[i])) continue;
      const r = checkAttributeValue(items[i], attr, false);
      if ('problem' in r) return { problem: { ...r.problem, message: `item ${i + 1}: ${r.problem.message}` } };
      if (!isOmitted(r.value)) out.push(r.value);
    }
    return { value: out };
  }
  if (Array.isArray(v)) {
    return { problem: { code: 'type-mismatch', message: `expected a single ${attr.type} value but the expression returned a list of ${v.length} (pick one, e.g. with [0])` } };
  }
  if (attr.type !== 'complex') {
    const p = checkScalar(v, attr.type);
    return p ? { problem: p } : { value: v };
  }
  const p = checkScalar(v, 'complex');
  if (p) return { problem: p };
  return checkComplex(v as Record<string, unknown>, attr);
}

/** Checks the keys and values of an object for a complex attribute; emits canonical sub-attribute names. */
export function checkComplex(obj: Record<string, unknown>, attr: ScimAttribute): { value: Record<string, unknown> } | { problem: ValueProblem } {
  const subs = attr.subAttributes ?? [];
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(obj)) {
    const sub = subs.find((s) => s.name.toLowerCase() === k.toLowerCase());
    if (!sub) {
      return { problem: { code: 'type-mismatch', message: `'${k}' is not a sub-attribute of ${attr.name} (${subs.map((s) => s.name).join(', ') || 'none'})` } };
    }
    if (isOmitted(raw)) continue;
    const r = checkAttributeValue(raw, sub);
    if ('problem' in r) return { problem: { ...r.problem, message: `${attr.name}.${sub.name}: ${r.problem.message}` } };
    out[sub.name] = r.value;
  }
  return { value: out };
}
