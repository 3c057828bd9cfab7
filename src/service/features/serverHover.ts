/**
 * The hover section "On the server": how the SCIM server's saved discovery (`server:`) defines this mapping key's
 * attribute — type, single/multi-valued, mutability, required — or that it does not. Everything from the file is
 * untrusted text: names and values only in code spans.
 */
import type { MappingAnalysis } from '../../engine/analysis';
import type { MappingEntry } from '../../engine/mapping/model';
import type { ServerAttribute } from '../../targets/scim/discovery';
import { serverPlaceOf } from '../../targets/scim/compat';
import { codeSpan } from './markdown';

function definition(a: ServerAttribute): string {
  const parts = [codeSpan(a.type), a.multiValued ? 'multi-valued' : 'single-valued'];
  if (a.mutability) parts.push(`mutability ${codeSpan(a.mutability)}`);
  if (a.required) parts.push('required');
  return parts.join(', ');
}

export function serverLanding(analysis: MappingAnalysis, entry: MappingEntry): string | undefined {
  const server = analysis.server;
  const profile = server?.profile;
  if (!profile || !analysis.doc.server) return undefined;
  const resolved = analysis.targets.resolved.find((r) => r.entry === entry);
  if (!resolved) return undefined;
  const place = serverPlaceOf(resolved, profile);
  const from = `(saved discovery ${codeSpan(analysis.doc.server.value)})`;
  if (!place) return `**On the server** ${from}: ${codeSpan(resolved.attribute.name)} is a common attribute: no schema describes it.`;
  if (!place.declared) return `**On the server** ${from}: not declared — the User resource type does not declare the extension ${codeSpan(place.urn)}.`;
  if (!place.described) return `**On the server** ${from}: not checked — GET /Schemas does not describe ${codeSpan(place.urn)}.`;
  if (!place.attribute) return `**On the server** ${from}: the schema ${codeSpan(place.urn)} has no attribute ${codeSpan(resolved.attribute.name)}.`;
  const lines = [`**On the server** ${from}: ${codeSpan(place.attribute.name)} — ${definition(place.attribute)}`];
  if (resolved.subAttribute) {
    lines.push(place.subAttribute
      ? `${codeSpan(`${place.attribute.name}.${place.subAttribute.name}`)} — ${definition(place.subAttribute)}`
      : `${codeSpan(place.attribute.name)} has no sub-attribute ${codeSpan(resolved.subAttribute.name)} on the server.`);
  }
  return lines.join('\n\n');
}
