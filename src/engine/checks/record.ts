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

/** value(t): the target's checked value on this record (undefined: omitted); failed(t): it failed (already reported). */
export function checkRecordValues(m: CompiledMapping, value: (t: CompiledTarget) => unknown, failed: (t: CompiledTarget) => boolean): RecordFinding[] {
  const out: RecordFinding[] = [];
  for (const name of requiredIdentity(m.target)) {
    const ts = m.targets.filter((t) => t.resolved.container === null && t.resolved.attribute.name === name && !t.resolved.subAttribute && !t.resolved.equalities);
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
  for (const t of m.targets) {
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

/** Sign-in name and value standards for one non-empty value. */
function valueFindings(m: CompiledMapping, t: CompiledTarget, v: unknown): RecordFinding[] {
  const r = t.resolved;
  const out: RecordFinding[] = [];
  const warn = (code: string, message: string | undefined) => {
    if (message) out.push({ code, severity: 'warning', attribute: t.key, message: `${r.label}: ${message}` });
  };
  if (r.container !== null) return out;
  const name = r.attribute.name;
  const sub = r.subAttribute?.name;
  if (name === 'userName' && m.target === 'entra' && typeof v === 'string') {
    const p = checkSignInName(v, m.domains);
    if (p) out.push({ code: p.code, severity: 'error', attribute: t.key, message: p.message });
  }
  if (name === 'preferredLanguage' && typeof v === 'string') warn('language-tag', checkLanguageTag(v, true));
  if (name === 'locale' && typeof v === 'string') warn('language-tag', checkLanguageTag(v));
  if (name === 'timezone' && typeof v === 'string') warn('timezone', checkTimezone(v));
  if (name === 'addresses' || name === 'emails' || name === 'phoneNumbers') {
    // The elements this mapping produces: a sub-attribute of one element, one element, or a whole list.
    const elements: Record<string, unknown>[] = sub ? [{ ...(r.equalities ?? {}), [sub]: v }] : (Array.isArray(v) ? v : [v]).filter(isObject).map((e) => ({ ...(r.equalities ?? {}), ...e }));
    for (const el of elements) {
      if (name === 'addresses' && typeof el.country === 'string') warn('country-code', checkCountry(el.country));
      if (name === 'emails' && typeof el.value === 'string') warn('email-format', checkEmail(el.value));
    }
    // An element without `type` cannot be told apart from the others (Entra maps emails[type eq "work"] only).
    if (name !== 'addresses' && !sub && elements.some((e) => e.type === undefined) && !typedElsewhere(m, t)) {
      warn('missing-type', `an element without "type" (give each one, e.g. {"type": "work", "value": ...}; Entra reads ${name}[type eq "work"])`);
    }
    if (name !== 'addresses' && sub && r.equalities && !('type' in r.equalities) && !typedElsewhere(m, t)) {
      warn('missing-type', `the element has no "type": name it in the path, e.g. ${name}[type eq "work"].${sub}`);
    }
  }
  return out;
}

/** Another mapping sets `type` in the same filtered element (e.g. emails[primary eq true].type). */
function typedElsewhere(m: CompiledMapping, t: CompiledTarget): boolean {
  return t.slot !== undefined && m.targets.some((o) => o.slot === t.slot && o.resolved.subAttribute?.name === 'type');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
