/**
 * Checks a mapping against what the service provider declared: extensions it does not declare, attributes its
 * schemas lack, types and mutability that differ. Errors refuse the upload before anything is sent (a server may
 * otherwise accept the record and silently drop the values, or reject every record). The same rules give the
 * editor's and `scimmap validate`'s diagnostics against a saved copy (`server:`, engine/analysis/serverSchema.ts):
 * `serverFindings` says which mapping keys each finding belongs to, so both can place it.
 */
import type { CompiledMapping } from '../../engine/pipeline';
import type { ResolvedMapping } from '../../engine/analysis/targets';
import type { ServerAttribute, ServerProfile } from './discovery';

export interface CompatFinding {
  severity: 'error' | 'warning';
  code: 'server-extension-undeclared' | 'server-attribute-missing' | 'server-type-mismatch' | 'server-read-only' | 'server-schema-unknown' | 'server-no-filter';
  /** The mapping key as written, when the finding is about one. */
  key?: string;
  message: string;
}

/** Every code a finding can have (the analysis tells saved-copy findings from the mapping's own problems by them). */
export const COMPAT_CODES: ReadonlySet<string> = new Set<CompatFinding['code']>(['server-extension-undeclared', 'server-attribute-missing', 'server-type-mismatch', 'server-read-only', 'server-schema-unknown', 'server-no-filter']);

/** What a finding is checked on: one mapping target and its key as written. */
export interface CompatTarget {
  resolved: ResolvedMapping;
  key: string;
}

/** A finding with the targets it is about: one for most, every key of the extension for an undeclared or undescribed one, none for server-wide ones. */
export interface LocatedFinding<T extends CompatTarget> {
  finding: CompatFinding;
  targets: T[];
}

/** Where a mapped attribute sits on the server: its schema URN, and the definitions the server gives, if any. */
export interface ServerPlace {
  urn: string;
  declared: boolean;
  described: boolean;
  attribute?: ServerAttribute;
  subAttribute?: ServerAttribute;
}

const COMMON = new Set(['id', 'externalId', 'meta']);

const find = (list: ServerAttribute[] | undefined, name: string): ServerAttribute | undefined => list?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** undefined for the common attributes (id, externalId, meta): no schema describes them. */
export function serverPlaceOf(r: ResolvedMapping, server: ServerProfile): ServerPlace | undefined {
  if (r.container === null && COMMON.has(r.attribute.name)) return undefined;
  const urn = r.container ?? server.users.schema;
  const declared = urn === server.users.schema || server.users.extensions.some((e) => e.schema === urn);
  const attrs = declared ? server.schemas[urn] : undefined;
  const attribute = find(attrs, r.attribute.name);
  const subAttribute = attribute && r.subAttribute ? find(attribute.subAttributes, r.subAttribute.name) : undefined;
  return { urn, declared, described: !!attrs, attribute, subAttribute };
}

export function checkAgainstServer(mapping: CompiledMapping, server: ServerProfile): CompatFinding[] {
  return serverFindings(mapping.targets, server).map((f) => f.finding);
}

export function serverFindings<T extends CompatTarget>(targets: readonly T[], server: ServerProfile): LocatedFinding<T>[] {
  const out: LocatedFinding<T>[] = [];
  if (!server.config.filter.supported) {
    out.push({ targets: [], finding: { severity: 'error', code: 'server-no-filter', message: 'the server does not support filtering (ServiceProviderConfig filter.supported is false): existing users cannot be looked up by externalId, so a rerun would create duplicates' } });
  }
  const declared = [server.users.schema, ...server.users.extensions.map((e) => e.schema)];
  const declaredText = declared.length > 10 ? `${declared.slice(0, 10).join(', ')} and ${declared.length - 10} more` : declared.join(', ');
  // One finding per extension URN, about every key that maps into it.
  const perUrn = new Map<string, LocatedFinding<T>>();
  for (const t of targets) {
    const r = t.resolved;
    const place = serverPlaceOf(r, server);
    if (!place) continue;
    const { urn } = place;
    const push = (severity: CompatFinding['severity'], code: CompatFinding['code'], message: string) => void out.push({ targets: [t], finding: { severity, code, key: t.key, message } });
    if (!place.declared || !place.described) {
      const seen = perUrn.get(urn);
      if (seen) {
        seen.targets.push(t);
        continue;
      }
      const finding: CompatFinding = !place.declared
        ? { severity: 'error', code: 'server-extension-undeclared', key: t.key, message: `the server's User resource type does not declare the extension ${urn} (it declares ${declaredText}); its values would be refused or silently dropped` }
        : { severity: 'warning', code: 'server-schema-unknown', key: t.key, message: `GET /Schemas does not describe ${urn}: its attributes could not be checked` };
      const located = { targets: [t], finding };
      perUrn.set(urn, located);
      out.push(located);
      continue;
    }
    const a = place.attribute;
    if (!a) {
      push('error', 'server-attribute-missing', `the server's schema ${urn} has no attribute ${r.attribute.name}`);
      continue;
    }
    const check = (mine: { name: string; type: string; multiValued: boolean }, theirs: ServerAttribute, label: string): boolean => {
      if (mine.type.toLowerCase() !== theirs.type.toLowerCase()) {
        push('error', 'server-type-mismatch', `${label} is ${theirs.type} on the server, ${mine.type} in the mapping`);
        return false;
      }
      if (mine.multiValued !== theirs.multiValued) {
        push('error', 'server-type-mismatch', `${label} is ${theirs.multiValued ? 'multi-valued' : 'single-valued'} on the server, ${mine.multiValued ? 'multi-valued' : 'single-valued'} in the mapping`);
        return false;
      }
      if (theirs.mutability === 'readOnly') {
        push('error', 'server-read-only', `${label} is read-only on the server`);
        return false;
      }
      return true;
    };
    if (!check(r.attribute, a, r.attribute.name)) continue;
    if (r.subAttribute) {
      if (!place.subAttribute) {
        push('error', 'server-attribute-missing', `the server's ${r.attribute.name} has no sub-attribute ${r.subAttribute.name}`);
        continue;
      }
      check(r.subAttribute, place.subAttribute, `${r.attribute.name}.${r.subAttribute.name}`);
    }
  }
  return out;
}
