/** Values of Entra's expression language and the signals an evaluation can end with. */
import { ENTRA_DATE_FORMAT, formatDate } from './dotnetDate';

/** A DateTime (CDate, DateAdd, Now): a UTC instant in milliseconds. Shown as `M/d/yyyy h:mm:ss tt`. */
export class EntraDate {
  constructor(readonly ms: number) {}
  toString(): string {
    return formatDate(this.ms, ENTRA_DATE_FORMAT) ?? '';
  }
}

/** null is an absent attribute; arrays are multi-valued attributes. */
export type EValue = string | number | boolean | EntraDate | EValue[] | null;

/** The value cannot be computed here faithfully: the preview says "computed by Entra" with this reason. */
export class ComputedByEntra extends Error {
  override name = 'ComputedByEntra';
}

/** IgnoreFlowIfNullOrEmpty saw nothing: the attribute is dropped from the flow. */
export class IgnoreFlow extends Error {
  override name = 'IgnoreFlow';
}

/** The expression is wrong (unknown function, wrong number of arguments, a value Entra rejects). */
export class EvaluationError extends Error {
  override name = 'EvaluationError';
  constructor(message: string, readonly offset?: number) {
    super(message);
  }
}

export function isEmpty(v: EValue): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The string Entra makes of a value: booleans as True/False, DateTimes as M/d/yyyy h:mm:ss tt. */
export function toText(v: EValue, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof EntraDate) return v.toString();
  if (v === null) throw new ComputedByEntra(`${what} is empty and Entra does not document the result`);
  if (v.length === 1) return toText(v[0], what);
  throw new ComputedByEntra(`${what} is multi-valued where a single string is expected`);
}
