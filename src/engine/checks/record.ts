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

/** What to check for a mapping, worked out once (the sample pass runs the checks on every record). */
interface Plan {
  identity: { name: IdentityAttribute; targets: CompiledTarget[] }[];
  /** Targets whose values have a standard or a sign-in rule. */
  valued: CompiledTarget[];
}

const plans = new WeakMap<CompiledMapping, Plan>();
const VALUED = new Set(['userName', 'preferredLanguage', 'locale', 'timezone', 'addresses', 'emails', 'phoneNumbers']);

function planOf(m: CompiledMapping): Plan {
  let p = plans.get(m);
  if (!p) {
    p = {
      identity: requiredIdentity(m.target).map((name) => ({ name, targets: m.targets.filter((t) => t.resolved.container === null && t.resolved.attribute.name === name && !t.resolved.subAttribute && !t.resolved.equalities) })),
      valued: m.targets.filter((t) => t.resolved.container === null && VALUED.has(t.resolved.attribute.name)),
    };
    plans.set(m, p);
  }
  return p;
}

/** value(t): the target's checked value on this record (undefined: omitted); failed(t): it failed (already reported). */
export function checkRecordValues(m: CompiledMapping, value: (t: CompiledTarget) => unknown, failed: (t: CompiledTarget) => boolean): RecordFinding[] {
  const out: RecordFinding[] = [];
  const plan = planOf(m);
  for (const { name, targets: ts } of plan.identity) {
    // Unmapped: the static missing-required/active-unmapped diagnostics say so, except the two Entra and SCIM
    // cannot do without at all (no such mapping can pass `validate`, but a caller may still transform).
    if (!ts.length) {
      if ((name === 'externalId' && m.target === 'entra') || (name === 'userName' && m.target === 'scim')) out.push(missing(name, name));
      continue;
    }
    if (ts.some(failed)) continue;
    if (ts.every((t) => isEmpty(value(t)))) out.push(missing(name, ts[0].key));
  }
  if (m.target === 'scim') out.push(...requiredAttributes(m, value, failed));
  for (const t of plan.valued) {
    const v = value(t);
    if (isEmpty(v) || failed(t)) continue;
    out.push(...valueFindings(m, t, v));
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
function requiredAttributes(m: CompiledMapping, value: (t: CompiledTarget) => unknown, failed: (t: CompiledTarget) => boolean): RecordFinding[] {
  const out: RecordFinding[] = [];
  const set = m.analysis.schemas.set;
  const schemas = [set.core, ...set.extensions.filter((s) => s.id !== ENTERPRISE_USER_URN)];
  for (const schema of schemas) {
    const container = schema === set.core ? null : schema.id;
    const ts = m.targets.filter((t) => t.resolved.container === container);
    if (container !== null && !ts.some((t) => !isEmpty(value(t)))) continue; // extension not used by this record
    for (const attr of schema.attributes) {
      if (!attr.required || attr.mutability === 'readOnly' || attr.name === 'userName' || attr.name === 'id') continue;
      const mine = ts.filter((t) => t.resolved.attribute.name === attr.name);
      if (!mine.length || mine.some(failed)) continue; // unmapped: the static missing-required diagnostic
      if (mine.every((t) => isEmpty(value(t)))) {
        out.push({ code: 'missing-required-attribute', severity: 'error', attribute: mine[0].key, message: `${mine[0].resolved.label} is empty: the schema ${schema.id} requires it` });
      }
    }
  }
  return out;
}

/** Sign-in name and value standards for one non-empty value (hot: runs per record and target in the sample pass). */
function valueFindings(m: CompiledMapping, t: CompiledTarget, v: unknown): RecordFinding[] {
  const r = t.resolved;
  const name = r.attribute.name;
  const sub = r.subAttribute?.name;
  let out: RecordFinding[] | undefined;
  const warn = (code: string, message: string | undefined) => {
    if (message) (out ??= []).push({ code, severity: 'warning', attribute: t.key, message: `${r.label}: ${message}` });
  };
  if (name === 'userName') {
    if (m.target === 'entra' && typeof v === 'string') {
      const p = checkSignInName(v, m.domains);
      if (p) (out ??= []).push({ code: p.code, severity: 'error', attribute: t.key, message: p.message });
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
  return out ?? NONE;
}

const NONE: RecordFinding[] = [];
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
