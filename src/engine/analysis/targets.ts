/**
 * Resolves every mapping key against the schemas in play and reports what the keys alone show:
 * invalid paths, unknown schemas and attributes (with did-you-mean), read-only targets, duplicates
 * and parent/child overlaps, and filter values outside an attribute's canonical values.
 */
import type { EngineDiagnostic } from '../types';
import { CORE_USER_URN } from '../types';
import type { MappingEntry } from '../mapping/model';
import { filterEqualities, parseTargetPath, TargetPath } from '../scim/path';
import { findAttribute, resolveTargetPath, SchemaSet } from '../scim/registry';
import type { ScimAttribute, ScimSchema } from '../scim/schema';
import { didYouMean } from '../scim/suggest';

export interface ResolvedMapping {
  entry: MappingEntry;
  path: TargetPath;
  schema: ScimSchema;
  /** null: the attribute sits at the top of the resource (core and common attributes); else the extension URN. */
  container: string | null;
  attribute: ScimAttribute;
  subAttribute?: ScimAttribute;
  /** For `attr[type eq "work"]…`: the element's identifying values, canonical sub-attribute names. */
  equalities?: Record<string, string | number | boolean>;
  /** What the mapped value must fit: this attribute definition, as a list or a single value. */
  expected: ScimAttribute;
  expectedMultiValued: boolean;
  /** A readable name of the target, e.g. emails[type eq "work"].value. */
  label: string;
}

export interface TargetAnalysis {
  resolved: ResolvedMapping[];
  /** Mapping entries (by index in doc.mappings) → resolution, undefined where the key has an error. */
  byEntry: (ResolvedMapping | undefined)[];
  diagnostics: EngineDiagnostic[];
}

const PARENT_OF_ELEMENT = (attr: ScimAttribute): ScimAttribute => ({ ...attr, multiValued: false });

export function resolveTargets(entries: MappingEntry[], set: SchemaSet): TargetAnalysis {
  const diagnostics: EngineDiagnostic[] = [];
  const resolved: ResolvedMapping[] = [];
  const byEntry: (ResolvedMapping | undefined)[] = [];
  const keyRange = (e: MappingEntry, start: number, length: number) => {
    const s = e.keyMap.toDocument(start);
    const end = length > 0 ? e.keyMap.toDocument(start + length - 1) + 1 : s;
    return { start: s, end: Math.max(end, length > 0 ? s + 1 : s) };
  };
  const report = (e: MappingEntry, code: string, severity: EngineDiagnostic['severity'], message: string, start: number, end: number, data?: unknown) =>
    diagnostics.push({ code, severity, message, ...keyRange(e, start, end - start), data });

  for (const entry of entries) {
    byEntry.push(undefined);
    const key = entry.key.value;
    const parsed = parseTargetPath(key);
    if (!parsed.ok) {
      const { offset, length } = parsed.error;
      report(entry, 'invalid-path', 'error', `Invalid attribute path: ${parsed.error.message}`, Math.min(offset, Math.max(0, key.length - 1)), Math.min(offset, Math.max(0, key.length - 1)) + Math.max(length, 1));
      continue;
    }
    const path = parsed.path;
    const r = resolveTargetPath(set, path);
    if (!r.ok) {
      const code = r.kind === 'unknown-schema' ? 'unknown-schema' : r.kind === 'unknown-attribute' || r.kind === 'unknown-sub-attribute' || r.kind === 'unknown-filter-attribute' ? 'unknown-attribute' : 'invalid-path';
      const hint = r.candidates.length && !r.message.includes('did you mean') && !r.message.includes(r.candidates[0]) ? `. Did you mean '${r.candidates[0]}'?` : '';
      report(entry, code, 'error', capitalize(r.message) + hint, r.range.start, r.range.end, { candidates: r.candidates, replaceStart: r.range.start, replaceEnd: r.range.end });
      continue;
    }
    const { attribute, subAttribute, schema, common } = r;
    let equalities: Record<string, string | number | boolean> | undefined;
    if (path.filter) {
      const eq = filterEqualities(path.filter);
      const fr = path.filterRange ?? path.attributeRange;
      if (!eq) {
        report(entry, 'invalid-path', 'error', 'Only `eq` comparisons joined by `and` can name the element a mapping creates, e.g. emails[type eq "work"]', fr.start, fr.end);
        continue;
      }
      equalities = {};
      let bad = false;
      for (const [name, value] of Object.entries(eq)) {
        const sub = findAttribute(attribute.subAttributes, name)!;
        equalities[sub.name] = value;
        const t = typeof value;
        const fits = sub.type === 'boolean' ? t === 'boolean' : sub.type === 'integer' || sub.type === 'decimal' ? t === 'number' : t === 'string';
        if (!fits) {
          report(entry, 'type-mismatch', 'error', `${attribute.name}.${sub.name} is a ${sub.type}; the filter compares it with ${JSON.stringify(value)}`, fr.start, fr.end);
          bad = true;
        } else if (sub.canonicalValues?.length && typeof value === 'string' && !sub.canonicalValues.some((c) => c.toLowerCase() === value.toLowerCase())) {
          const lit = literalRange(key, fr.start, fr.end, value);
          const candidates = didYouMean(value, sub.canonicalValues);
          const hint = candidates.length ? `Did you mean "${candidates[0]}"? ` : '';
          report(entry, 'type-mismatch', 'warning', `"${value}" is not a canonical value of ${attribute.name}.${sub.name} (${sub.canonicalValues.join(', ')}). ${hint}Entra and most SCIM services match these values exactly.`, lit.start, lit.end, { candidates: candidates.map((c) => c), replaceStart: lit.start, replaceEnd: lit.end, quote: true });
        }
      }
      if (bad) continue;
      const fixed = subAttribute && Object.keys(equalities).find((k) => k === subAttribute.name);
      if (fixed) {
        const sr = path.subAttributeRange ?? path.attributeRange;
        report(entry, 'duplicate-target', 'error', `${attribute.name}.${fixed} is already set to ${JSON.stringify(equalities[fixed])} by the filter; map another sub-attribute or change the filter`, sr.start, sr.end);
        continue;
      }
    } else if (attribute.multiValued && subAttribute) {
      const sr = path.subAttributeRange ?? path.attributeRange;
      const first = attribute.subAttributes?.find((s) => s.name === 'type')?.canonicalValues?.[0] ?? 'work';
      report(entry, 'invalid-path', 'error', `${attribute.name} is multi-valued: say which element, e.g. ${attribute.name}[type eq "${first}"].${subAttribute.name}`, path.attributeRange.start, sr.end, {
        replacement: `${attribute.name}[type eq "${first}"].${subAttribute.name}`, replaceStart: path.urnRange?.start ?? path.attributeRange.start, replaceEnd: sr.end,
      });
      continue;
    }
    const readOnly = subAttribute?.mutability === 'readOnly' ? subAttribute : attribute.mutability === 'readOnly' ? attribute : undefined;
    if (readOnly) {
      const rr = subAttribute?.mutability === 'readOnly' ? path.subAttributeRange ?? path.attributeRange : path.attributeRange;
      const what = readOnly === attribute ? attribute.name : `${attribute.name}.${subAttribute!.name}`;
      report(entry, 'read-only-attribute', 'error', `${what} is read-only: the service sets it, a provisioning request cannot${attribute.name === 'groups' ? ' (manage group membership in Entra, not through this API)' : ''}`, rr.start, rr.end);
      continue;
    }
    const isCore = common || schema.id === CORE_USER_URN || schema.id.toLowerCase() === CORE_USER_URN.toLowerCase();
    const expected = subAttribute ?? (equalities ? PARENT_OF_ELEMENT(attribute) : attribute);
    const label = labelOf(schema, isCore, attribute, subAttribute, equalities);
    const rm: ResolvedMapping = {
      entry, path, schema, container: isCore ? null : schema.id, attribute, subAttribute, equalities,
      expected, expectedMultiValued: !subAttribute && !equalities && attribute.multiValued, label,
    };
    byEntry[byEntry.length - 1] = rm;
    resolved.push(rm);
  }
  diagnostics.push(...overlaps(resolved));
  return { resolved, byEntry, diagnostics };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function literalRange(key: string, from: number, to: number, value: string): { start: number; end: number } {
  const i = key.indexOf(`"${value}"`, from);
  return i >= 0 && i < to ? { start: i + 1, end: i + 1 + value.length } : { start: from, end: to };
}

function labelOf(schema: ScimSchema, isCore: boolean, attr: ScimAttribute, sub?: ScimAttribute, eq?: Record<string, unknown>): string {
  const filter = eq ? `[${Object.entries(eq).map(([k, v]) => `${k} eq ${JSON.stringify(v)}`).join(' and ')}]` : '';
  return `${isCore ? '' : `${schema.id}:`}${attr.name}${filter}${sub ? `.${sub.name}` : ''}`;
}

/** The same target twice, or a target together with its parent (`name` and `name.givenName`). */
function overlaps(list: ResolvedMapping[]): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const elementKey = (m: ResolvedMapping) => (m.equalities ? JSON.stringify(Object.entries(m.equalities).map(([k, v]) => [k.toLowerCase(), typeof v === 'string' ? v.toLowerCase() : v]).sort()) : '');
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    for (let j = 0; j < i; j++) {
      const a = list[j];
      if (a.container !== b.container || a.attribute !== b.attribute) continue;
      const same = elementKey(a) === elementKey(b) && a.subAttribute === b.subAttribute;
      const aWhole = !a.equalities && !a.subAttribute;
      const bWhole = !b.equalities && !b.subAttribute;
      const sameElement = !!a.equalities && elementKey(a) === elementKey(b) && (!a.subAttribute || !b.subAttribute);
      if (same || aWhole || bWhole || sameElement) {
        const message = same
          ? `${b.label} is already mapped above; only one mapping may produce it`
          : `${b.label} overlaps ${a.label} mapped above: map either the whole attribute or its parts`;
        out.push({ code: 'duplicate-target', severity: 'error', message, start: b.entry.key.start, end: b.entry.key.end, data: { other: { start: a.entry.key.start, end: a.entry.key.end } } });
        break;
      }
    }
  }
  return out;
}
