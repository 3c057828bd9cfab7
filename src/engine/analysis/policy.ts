/**
 * Static checks of the safety settings: `onInvalid` exceptions and `clear` entries must name mapping keys,
 * and may not touch the identity attributes (externalId, userName, active always fail the record and are
 * never cleared); `domains` only matters for `entra`.
 */
import type { EngineDiagnostic } from '../types';
import type { MappingDocument, Target } from '../mapping/model';
import { didYouMean } from '../scim/suggest';
import { isIdentity } from '../checks/identity';
import type { AnalyzedMapping } from './index';
import type { SchemaSet } from '../scim/registry';
import { ENTERPRISE_USER_URN } from '../types';

export function policyDiagnostics(doc: MappingDocument, target: Target, mappings: AnalyzedMapping[], schemas?: SchemaSet): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  if (target === 'scim' && schemas && doc.mappingsKey) out.push(...requiredExtensionAttributes(doc.mappingsKey, mappings, schemas));
  const keys = mappings.map((m) => m.entry.key.value);
  const byKey = new Map(mappings.map((m) => [m.entry.key.value, m]));
  const structure = (at: { start: number; end: number }, message: string, data?: unknown) => out.push({ code: 'mapping-structure', severity: 'error', start: at.start, end: at.end, message, data });
  const unknownKey = (at: { start: number; end: number; value: string }, where: string) => {
    const candidates = didYouMean(at.value, keys);
    structure(at, `${where}: '${at.value}' is not a key under mappings.${candidates.length ? ` Did you mean '${candidates[0]}'?` : ''}`, { candidates });
  };

  const listed = new Map<string, string>();
  for (const e of doc.onInvalid?.exceptions ?? []) {
    const m = byKey.get(e.key.value);
    if (!m) {
      unknownKey(e.key, `onInvalid.${e.policy}`);
      continue;
    }
    const before = listed.get(e.key.value);
    if (before) structure(e.key, `'${e.key.value}' is already listed under onInvalid.${before}`);
    listed.set(e.key.value, e.policy);
    if (e.policy === 'drop-attribute' && m.resolved && isIdentity(m.resolved)) {
      structure(e.key, `${m.resolved.attribute.name} identifies the account: an invalid value always fails the record (it cannot be dropped)`);
    }
  }
  for (const c of doc.clear) {
    const m = byKey.get(c.key.value);
    if (!m) {
      unknownKey(c.key, 'clear');
      continue;
    }
    const r = m.resolved;
    if (!r) continue;
    if (isIdentity(r)) structure(c.key, `${r.attribute.name} identifies the account: it is never cleared (an empty value fails the record)`);
    else if (r.equalities || r.expectedMultiValued) structure(c.key, `clear works on single-valued attributes; ${r.label} is part of a multi-valued attribute`);
  }
  if (doc.domainsKey && target !== 'entra') {
    out.push({ code: 'mapping-structure', severity: 'warning', ...doc.domainsKey, message: "'domains' checks userName as an Entra sign-in name: it applies to target: entra only" });
  }
  return out;
}

/**
 * `scim`: an extension the mapping fills must get every attribute its schema marks required (RFC 7643 §2.2);
 * unmapped, every record would lack it. (userName, required by the core schema, has its own missing-required.)
 */
function requiredExtensionAttributes(at: { start: number; end: number }, mappings: AnalyzedMapping[], schemas: SchemaSet): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  for (const schema of schemas.extensions) {
    if (schema.id === ENTERPRISE_USER_URN) continue;
    const mine = mappings.filter((m) => m.resolved?.container === schema.id);
    if (!mine.length) continue;
    for (const attr of schema.attributes) {
      if (!attr.required || attr.mutability === 'readOnly') continue;
      if (mine.some((m) => m.resolved!.attribute.name === attr.name)) continue;
      out.push({ code: 'missing-required', severity: 'error', ...at, message: `Map ${schema.id}:${attr.name}: its schema marks it required, and this mapping fills that extension`, data: { attribute: `${schema.id}:${attr.name}` } });
    }
  }
  return out;
}
