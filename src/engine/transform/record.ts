/** One HR record → one SCIM User resource, with every problem named by record, attribute and code. */
import { CORE_USER_URN, ENTERPRISE_USER_URN, RecordError, ScimResource } from '../types';
import type { CompiledMapping } from './compile';
import { checkAttributeValue, isOmitted } from './values';
import { probe } from '../watchdog';
import { checkRecordValues } from '../checks/record';

export interface TransformResult {
  index: number;
  key?: string;
  /** The resource as far as it could be built (attributes with errors are left out). */
  resource: ScimResource;
  errors: RecordError[];
  /** Problems that do not stop the record: value standards, attributes dropped by `onInvalid: drop-attribute`. */
  warnings: RecordError[];
  /** Set when `source.duplicates: first|last` leaves this record out (not an error: another record wins). */
  skipped?: RecordError;
  /** Per mapping key: the value it produced (after checks, `clear` applied); a key is absent when omitted. */
  values: Map<string, unknown>;
}

export interface TransformOptions {
  /** Kept for callers; `values` is always filled now (the dataset checks read it). */
  collectValues?: boolean;
  /** Evaluate only these mapping keys (a cheap first pass that only needs the identity values). */
  only?: ReadonlySet<string>;
}

/** Reads a (possibly dotted) field of a record, for `source.key`. */
export function readKey(record: Record<string, unknown>, field: string | undefined): string | undefined {
  if (!field) return undefined;
  let cur: unknown = record;
  if (field in record) cur = record[field];
  else for (const part of field.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
  return cur === undefined || cur === null || typeof cur === 'object' ? undefined : String(cur);
}

function errorMessage(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const msg = err?.message ?? String(e);
  return err?.code && !msg.startsWith(err.code) ? `${msg} (${err.code})` : msg;
}

export async function transformRecord(m: CompiledMapping, record: Record<string, unknown>, index: number, options: TransformOptions = {}): Promise<TransformResult> {
  const key = readKey(record, m.keyField);
  const errors: RecordError[] = [];
  const warnings: RecordError[] = [];
  const fail = (code: string, message: string, attribute?: string) => errors.push({ index, key, attribute, code, message });
  const failed = new Set<string>();
  // onInvalid: drop-attribute leaves an invalid optional value out with a warning; identity keys never get here.
  const invalid = (t: { key: string }, code: string, message: string) => {
    if (m.dropOnInvalid.has(t.key)) warnings.push({ index, key, attribute: t.key, code: 'attribute-dropped', message: `${message} — left out (onInvalid: drop-attribute; was ${code})` });
    else {
      fail(code, message, t.key);
      failed.add(t.key);
    }
  };

  const bindings: Record<string, unknown> = {};
  for (const l of m.lets) {
    try {
      const v = l.evaluate(record, { ...bindings });
      bindings[l.name] = v instanceof Promise ? await v : v;
    } catch (e) {
      fail('expression-error', `let ${l.name}: ${errorMessage(e)}`, `$${l.name}`);
      bindings[l.name] = undefined;
    }
  }

  const top: Record<string, unknown> = {};
  const extensions = new Map<string, Record<string, unknown>>();
  const elements = new Map<number, Record<string, unknown>>();
  const values = new Map<string, unknown>();
  const containerOf = (urn: string | null) => {
    if (urn === null) return top;
    let c = extensions.get(urn);
    if (!c) extensions.set(urn, (c = {}));
    return c;
  };

  for (const t of m.targets) {
    if (options.only && !options.only.has(t.key)) continue;
    probe(t.key, index);
    let raw: unknown;
    try {
      // Fast-path targets answer synchronously: await only jsonata's promises.
      raw = t.evaluate(record, bindings);
      if (raw instanceof Promise) raw = await raw;
    } catch (e) {
      invalid(t, 'expression-error', errorMessage(e));
      continue;
    }
    const r = t.resolved;
    let value: unknown;
    if (!isOmitted(raw)) {
      const checked = checkAttributeValue(raw, r.expected, r.expectedMultiValued);
      if ('problem' in checked) {
        invalid(t, checked.problem.code, `${r.label}: ${checked.problem.message}`);
        continue;
      }
      value = checked.value;
    }
    if (isOmitted(value)) {
      // `clear`: an empty HR value is sent as an explicit null or "" so Entra clears the attribute.
      if (!m.clear.has(t.key)) continue;
      value = m.clear.get(t.key);
    }
    values.set(t.key, value);
    if (t.slot !== undefined) {
      let el = elements.get(t.slot);
      if (!el) elements.set(t.slot, (el = {}));
      if (r.subAttribute) el[r.subAttribute.name] = value;
      else Object.assign(el, value as Record<string, unknown>);
    } else if (r.subAttribute) {
      const c = containerOf(r.container);
      const parent = (c[r.attribute.name] ??= {}) as Record<string, unknown>;
      parent[r.subAttribute.name] = value;
    } else {
      containerOf(r.container)[r.attribute.name] = value;
    }
  }

  // Elements in the order of their first mapping; each starts with the values its filter names.
  m.slots.forEach((slot, i) => {
    const mapped = elements.get(i);
    if (!mapped) return;
    const c = containerOf(slot.container);
    const list = (c[slot.attribute] ??= []) as unknown[];
    list.push({ ...slot.equalities, ...mapped });
  });

  const schemas = [CORE_USER_URN];
  if (m.target === 'entra' || extensions.has(ENTERPRISE_USER_URN)) schemas.push(ENTERPRISE_USER_URN);
  for (const urn of m.extensionOrder) if (urn !== ENTERPRISE_USER_URN && extensions.has(urn)) schemas.push(urn);
  const resource: ScimResource = { schemas, ...top };
  for (const urn of schemas.slice(1)) {
    const c = extensions.get(urn);
    if (c) resource[urn] = c;
  }

  if (!options.only) {
    for (const f of checkRecordValues(m, (t) => values.get(t.key), (t) => failed.has(t.key))) {
      (f.severity === 'error' ? errors : warnings).push({ index, key, attribute: f.attribute, code: f.code, message: f.message });
    }
  }
  return { index, key, resource, errors, warnings, values };
}
