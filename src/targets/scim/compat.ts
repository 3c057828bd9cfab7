/**
 * Checks a compiled mapping against what the service provider declared: extensions it does not declare, attributes
 * its schemas lack, types and mutability that differ. Errors refuse the upload before anything is sent (a server may
 * otherwise accept the record and silently drop the values, or reject every record).
 */
import type { CompiledMapping } from '../../engine/pipeline';
import type { ServerAttribute, ServerProfile } from './discovery';

export interface CompatFinding {
  severity: 'error' | 'warning';
  code: 'server-extension-undeclared' | 'server-attribute-missing' | 'server-type-mismatch' | 'server-read-only' | 'server-schema-unknown' | 'server-no-filter';
  /** The mapping key as written, when the finding is about one. */
  key?: string;
  message: string;
}

const COMMON = new Set(['id', 'externalId', 'meta']);

const find = (list: ServerAttribute[] | undefined, name: string): ServerAttribute | undefined => list?.find((a) => a.name.toLowerCase() === name.toLowerCase());

export function checkAgainstServer(mapping: CompiledMapping, server: ServerProfile): CompatFinding[] {
  const out: CompatFinding[] = [];
  if (!server.config.filter.supported) {
    out.push({ severity: 'error', code: 'server-no-filter', message: 'the server does not support filtering (ServiceProviderConfig filter.supported is false): existing users cannot be looked up by externalId, so a rerun would create duplicates' });
  }
  const declared = new Set([server.users.schema, ...server.users.extensions.map((e) => e.schema)]);
  const reported = new Set<string>();
  for (const t of mapping.targets) {
    const r = t.resolved;
    if (r.container === null && COMMON.has(r.attribute.name)) continue;
    const urn = r.container ?? server.users.schema;
    if (!declared.has(urn)) {
      if (!reported.has(urn)) {
        reported.add(urn);
        out.push({ severity: 'error', code: 'server-extension-undeclared', key: t.key, message: `the server's User resource type does not declare the extension ${urn} (it declares ${[...declared].join(', ')}); its values would be refused or silently dropped` });
      }
      continue;
    }
    const attrs = server.schemas[urn];
    if (!attrs) {
      if (!reported.has(urn)) {
        reported.add(urn);
        out.push({ severity: 'warning', code: 'server-schema-unknown', key: t.key, message: `GET /Schemas does not describe ${urn}: its attributes could not be checked` });
      }
      continue;
    }
    const a = find(attrs, r.attribute.name);
    if (!a) {
      out.push({ severity: 'error', code: 'server-attribute-missing', key: t.key, message: `the server's schema ${urn} has no attribute ${r.attribute.name}` });
      continue;
    }
    const check = (mine: { name: string; type: string; multiValued: boolean }, theirs: ServerAttribute, label: string): boolean => {
      if (mine.type.toLowerCase() !== theirs.type.toLowerCase()) {
        out.push({ severity: 'error', code: 'server-type-mismatch', key: t.key, message: `${label} is ${theirs.type} on the server, ${mine.type} in the mapping` });
        return false;
      }
      if (mine.multiValued !== theirs.multiValued) {
        out.push({ severity: 'error', code: 'server-type-mismatch', key: t.key, message: `${label} is ${theirs.multiValued ? 'multi-valued' : 'single-valued'} on the server, ${mine.multiValued ? 'multi-valued' : 'single-valued'} in the mapping` });
        return false;
      }
      if (theirs.mutability === 'readOnly') {
        out.push({ severity: 'error', code: 'server-read-only', key: t.key, message: `${label} is read-only on the server` });
        return false;
      }
      return true;
    };
    if (!check(r.attribute, a, r.attribute.name)) continue;
    if (r.subAttribute) {
      const s = find(a.subAttributes, r.subAttribute.name);
      if (!s) {
        out.push({ severity: 'error', code: 'server-attribute-missing', key: t.key, message: `the server's ${r.attribute.name} has no sub-attribute ${r.subAttribute.name}` });
        continue;
      }
      check(r.subAttribute, s, `${r.attribute.name}.${r.subAttribute.name}`);
    }
  }
  return out;
}
