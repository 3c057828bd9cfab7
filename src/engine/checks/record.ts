/**
 * The record-level checks, on the values one record's mappings produced. One implementation for the
 * streaming transform (CLI, uploads) and the sample pass (editor, `scimmap validate`): both hand over a
 * value per compiled target.
 */
import type { CompiledMapping, CompiledTarget } from '../transform/compile';
import { ENTERPRISE_USER_URN } from '../types';
import { IdentityAttribute, MISSING_CODE, MISSING_MESSAGE, requiredIdentity } from './identity';
import { checkSignInName } from './signInName';
import { checkCountry, checkEmail, checkLanguageTag, checkTimezone } from './standards';

export interface RecordFinding {
  code: string;
  severity: 'error' | 'warning';
  /** The mapping key (as written) the finding is about. */
  attribute?: string;
  message: string;
}

/**
 * One independent part of the record checks: it reads only the values of `targets` (plus what `context` says),
 * so the sample pass can keep its findings over all records while those targets' results stay the same.
 */
export interface RecordCheckPart {
  /** What the part checks, the same across edits of the mapping (e.g. `value:emails[type eq "work"].value`). */
  id: string;
  /** The targets whose values and failures it reads. */
  targets: readonly CompiledTarget[];
  /** Everything else its findings depend on, as text: a kept result is reused only while this is unchanged. */
  context: string;
  /** Appends this record's findings, in the order checkRecordValues reports them. */
  run(value: (t: CompiledTarget) => unknown, failed: (t: CompiledTarget) => boolean, out: RecordFinding[]): void;
}

/** The parts, worked out once per compiled mapping (the sample pass runs them on every record). */
const plans = new WeakMap<CompiledMapping, RecordCheckPart[]>();
const VALUED = new Set(['userName', 'preferredLanguage', 'locale', 'timezone', 'addresses', 'emails', 'phoneNumbers']);

export function recordCheckParts(m: CompiledMapping): readonly RecordCheckPart[] {
  let p = plans.get(m);
  if (!p) plans.set(m, (p = [...identityParts(m), ...(m.target === 'scim' ? requiredParts(m) : []), ...valueParts(m)]));
  return p;
}

/** value(t): the target's checked value on this record (undefined: omitted); failed(t): it failed (already reported). */
export function checkRecordValues(m: CompiledMapping, value: (t: CompiledTarget) => unknown, failed: (t: CompiledTarget) => boolean): RecordFinding[] {
  const out: RecordFinding[] = [];
  for (const part of recordCheckParts(m)) part.run(value, failed, out);
  return out;
}

function identityParts(m: CompiledMapping): RecordCheckPart[] {
  const out: RecordCheckPart[] = [];
  for (const name of requiredIdentity(m.target)) {
    const ts = m.targets.filter((t) => t.resolved.container === null && t.resolved.attribute.name === name && !t.resolved.subAttribute && !t.resolved.equalities);
    const id = `identity:${name}`;
    // Unmapped: the static missing-required/active-unmapped diagnostics say so, except the two Entra and SCIM
    // cannot do without at all (no such mapping can pass `validate`, but a caller may still transform).
    if (!ts.length) {
      if ((name === 'externalId' && m.target === 'entra') || (name === 'userName' && m.target === 'scim')) {
        out.push({ id, targets: [], context: `unmapped\u0000${m.target}`, run: (_v, _f, o) => void o.push(missing(name, name)) });
      }
      continue;
    }
    out.push({
      id, targets: ts, context: ts.map((t) => t.key).join('\u0000'),
      run: (value, failed, o) => {
        if (ts.some(failed)) return;
        if (ts.every((t) => isEmpty(value(t)))) o.push(missing(name, ts[0].key));
      },
    });
  }
  return out;
}

function missing(name: IdentityAttribute, key: string): RecordFinding {
  return { code: MISSING_CODE[name], severity: 'error', attribute: key, message: MISSING_MESSAGE[name] };
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** Schema-required top-level attributes of the User schema and of the extensions a scim mapping fills. */
function requiredParts(m: CompiledMapping): RecordCheckPart[] {
  const out: RecordCheckPart[] = [];
  const set = m.analysis.schemas.set;
  const schemas = [set.core, ...set.extensions.filter((s) => s.id !== ENTERPRISE_USER_URN)];
  for (const schema of schemas) {
    const container = schema === set.core ? null : schema.id;
    const ts = m.targets.filter((t) => t.resolved.container === container);
    const required: CompiledTarget[][] = [];
    for (const attr of schema.attributes) {
      if (!attr.required || attr.mutability === 'readOnly' || attr.name === 'userName' || attr.name === 'id') continue;
      const mine = ts.filter((t) => t.resolved.attribute.name === attr.name);
      if (mine.length) required.push(mine); // unmapped: the static missing-required diagnostic
    }
    if (!required.length) continue;
    const message = (mine: CompiledTarget[]) => `${mine[0].resolved.label} is empty: the schema ${schema.id} requires it`;
    out.push({
      id: `required:${schema.id}`,
      // An extension's attributes are checked only on records that use the extension: all of them are read.
      targets: container === null ? required.flat() : ts,
      context: [container === null ? '' : ts.map((t) => t.key).join('\u0001'), ...required.map((mine) => `${mine.map((t) => t.key).join('\u0001')}\u0001${message(mine)}`)].join('\u0000'),
      run: (value, failed, o) => {
        if (container !== null && !ts.some((t) => !isEmpty(value(t)))) return; // extension not used by this record
        for (const mine of required) {
          if (mine.some(failed)) continue;
          if (mine.every((t) => isEmpty(value(t)))) o.push({ code: 'missing-required-attribute', severity: 'error', attribute: mine[0].key, message: message(mine) });
        }
      },
    });
  }
  return out;
}

/** Targets whose values have a standard or a sign-in rule. */
function valueParts(m: CompiledMapping): RecordCheckPart[] {
  return m.targets
    .filter((t) => t.resolved.container === null && VALUED.has(t.resolved.attribute.name))
    .map((t) => {
      const r = t.resolved;
      return {
        id: `value:${t.key}`, targets: [t],
        context: JSON.stringify([m.target, m.domains ?? null, r.label, r.attribute.name, r.subAttribute?.name ?? null, !!r.equalities && 'type' in r.equalities, untypedSlot(m, t), typedElsewhere(m, t)]),
        run: (value, failed, o) => {
          const v = value(t);
          if (isEmpty(v) || failed(t)) return;
          valueFindings(m, t, v, o);
        },
      };
    });
}

/** Sign-in name and value standards for one non-empty value (hot: runs per record and target in the sample pass). */
function valueFindings(m: CompiledMapping, t: CompiledTarget, v: unknown, out: RecordFinding[]): void {
  const r = t.resolved;
  const name = r.attribute.name;
  const sub = r.subAttribute?.name;
  const warn = (code: string, message: string | undefined) => {
    if (message) out.push({ code, severity: 'warning', attribute: t.key, message: `${r.label}: ${message}` });
  };
  if (name === 'userName') {
    if (m.target === 'entra' && typeof v === 'string') {
      const p = checkSignInName(v, m.domains);
      if (p) out.push({ code: p.code, severity: 'error', attribute: t.key, message: p.message });
    }
  } else if (name === 'preferredLanguage' || name === 'locale') {
    if (typeof v === 'string') warn('language-tag', checkLanguageTag(v, name === 'preferredLanguage'));
  } else if (name === 'timezone') {
    if (typeof v === 'string') warn('timezone', checkTimezone(v));
  } else if (sub) {
    // One sub-attribute of an element: addresses[…].country, emails[…].value; an element the path leaves untyped.
    if (name === 'addresses' && sub === 'country' && typeof v === 'string') warn('country-code', checkCountry(v));
    if (name === 'emails' && sub === 'value' && typeof v === 'string') warn('email-format', checkEmail(v));
    if (name !== 'addresses' && untypedSlot(m, t)) warn('missing-type', `the element has no "type": name it in the path, e.g. ${name}[type eq "work"].${sub}`);
  } else {
    // A whole element or list of elements.
    const elements = (Array.isArray(v) ? v : [v]).filter(isObject);
    let untyped = false;
    for (const e of elements) {
      if (name === 'addresses' && typeof e.country === 'string') warn('country-code', checkCountry(e.country));
      if (name === 'emails' && typeof e.value === 'string') warn('email-format', checkEmail(e.value));
      if (e.type === undefined && !(r.equalities && 'type' in r.equalities)) untyped = true;
    }
    // An element without `type` cannot be told apart from the others (Entra maps emails[type eq "work"] only).
    if (name !== 'addresses' && untyped && !typedElsewhere(m, t)) {
      warn('missing-type', `an element without "type" (give each one, e.g. {"type": "work", "value": ...}; Entra reads ${name}[type eq "work"])`);
    }
  }
}

const untypedSlots = new WeakMap<CompiledTarget, boolean>();

/** A filtered element whose filter names no `type` and that no other mapping types (static: cached per target). */
function untypedSlot(m: CompiledMapping, t: CompiledTarget): boolean {
  let u = untypedSlots.get(t);
  if (u === undefined) {
    u = !!t.resolved.equalities && !('type' in t.resolved.equalities) && !typedElsewhere(m, t);
    untypedSlots.set(t, u);
  }
  return u;
}

/** Another mapping sets `type` in the same filtered element (e.g. emails[primary eq true].type). */
function typedElsewhere(m: CompiledMapping, t: CompiledTarget): boolean {
  return t.slot !== undefined && m.targets.some((o) => o.slot === t.slot && o.resolved.subAttribute?.name === 'type');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
