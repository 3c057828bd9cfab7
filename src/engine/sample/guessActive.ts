/** The first `active` expression a quick fix proposes, guessed from the sample's fields and their values. */
import type { FieldInfo } from '../readers';

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const ACTIVE_VALUE = /^(active|a|employed|enabled|current|yes|y|true|1)$/i;
const NEGATIVE_NAME = /terminat|inactive|disabled|leaver|deleted/;

/** `Status = "Active"` style, from a status-like field and its values (the sample's spelling); `true` when nothing fits. */
export function guessActiveExpression(allFields: readonly FieldInfo[]): string {
  const fields = allFields.filter((f) => !f.segments.includes('[]') && f.present > 0 && f.types.some((t) => t === 'string' || t === 'number' || t === 'boolean'));
  const named = fields.filter((f) => /status|state|active|enabled|terminat|employment/.test(norm(f.segments[f.segments.length - 1])));
  const ordered = [...named.filter((f) => /status/.test(norm(f.path))), ...named];
  for (const f of ordered) {
    const name = norm(f.segments[f.segments.length - 1]);
    if (f.types.includes('boolean')) return NEGATIVE_NAME.test(name) ? `$not(${f.path})` : f.path;
    const hit = f.examples.find((e) => typeof e === 'string' && ACTIVE_VALUE.test(e));
    if (hit !== undefined) return `${f.path} = ${JSON.stringify(hit)}`;
  }
  const status = ordered.find((f) => /status/.test(norm(f.path)) && f.types.includes('string'));
  return status ? `${status.path} = "Active"` : 'true';
}
