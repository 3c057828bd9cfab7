/**
 * The first expressions the "Add …" quick fixes propose for an unmapped externalId, userName or active, guessed
 * from the sample's field names and values. A guess is only a candidate: engine/sample/fixes.ts evaluates it on
 * every sample record before anyone is offered it. No field that fits → no guess (never a made-up field name or a
 * constant such as `active: true`, which would enable every account).
 */
import { FieldInfo } from '../readers';

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const lastName = (f: FieldInfo) => norm(f.segments[f.segments.length - 1]);
const ACTIVE_VALUE = /^(active|a|employed|enabled|current|yes|y|true|1)$/i;
const NEGATIVE_NAME = /terminat|inactive|disabled|leaver|deleted/;

/** Scalar fields outside arrays that some record fills. */
function scalarFields(fields: readonly FieldInfo[]): FieldInfo[] {
  return fields.filter((f) => !f.segments.includes('[]') && f.present > 0 && f.types.some((t) => t === 'string' || t === 'number' || t === 'boolean'));
}

/** Best field by name rank (earlier = better), then by pattern, then by values; fewest segments first. */
function pick(fields: FieldInfo[], exact: string[], pattern?: (name: string) => boolean, values?: (f: FieldInfo) => boolean): FieldInfo | undefined {
  const sorted = [...fields].sort((a, b) => a.segments.length - b.segments.length);
  let best: FieldInfo | undefined;
  let rank = Infinity;
  for (const f of sorted) {
    const r = exact.indexOf(lastName(f));
    if (r >= 0 && r < rank) {
      best = f;
      rank = r;
    }
  }
  return best ?? (pattern && sorted.find((f) => pattern(lastName(f)))) ?? (values && sorted.find(values));
}

const ID_OWNERS = ['employee', 'emp', 'worker', 'person', 'personnel', 'staff', 'user'];
const ID_SUFFIXES = ['id', 'no', 'nr', 'num', 'number'];

/**
 * `/(employee|emp|…).*(id|no|…)$/` as a scan: an owner word somewhere before an id-like ending. The regex
 * form is quadratic on a long name with many owner words (each one runs `.*` to the end and back).
 */
export function idLikeName(name: string): boolean {
  return ID_SUFFIXES.some((suffix) => {
    if (!name.endsWith(suffix)) return false;
    const before = name.length - suffix.length;
    return ID_OWNERS.some((w) => {
      const at = name.indexOf(w);
      return at >= 0 && at + w.length <= before;
    });
  });
}

/** The field `source.key` names when the sample has it, else an id-like field. */
export function guessExternalIdExpression(allFields: readonly FieldInfo[], key?: string): string | undefined {
  const fields = scalarFields(allFields);
  const keyed = key ? fields.find((x) => x.segments.length === 1 && x.segments[0] === key) : undefined;
  if (keyed) return keyed.path;
  return pick(
    fields,
    ['employeeid', 'workerid', 'personidexternal', 'employeenumber', 'empid', 'empno', 'employeeno', 'userid', 'personid', 'personnelnumber', 'pernr', 'staffid', 'staffno', 'externalid', 'id'],
    idLikeName,
    (x) => lastName(x).endsWith('id'),
  )?.path;
}

const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+$/; // linear: the two classes cannot both take an "@"

/** A UPN, login or e-mail field, by name or by values that look like e-mail addresses. */
export function guessUserNameExpression(allFields: readonly FieldInfo[]): string | undefined {
  return pick(
    scalarFields(allFields),
    ['userprincipalname', 'upn', 'username', 'login', 'workemail', 'businessemail', 'email', 'emailaddress', 'mail'],
    (n) => /e?mail|upn|login/.test(n),
    (x) => x.examples.length > 0 && x.examples.every((e) => typeof e === 'string' && EMAIL_SHAPE.test(e)),
  )?.path;
}

/** `Status = "Active"` style, from a status-like field and its values (the sample's spelling). */
export function guessActiveExpression(allFields: readonly FieldInfo[]): string | undefined {
  const fields = scalarFields(allFields);
  const named = fields.filter((f) => /status|state|active|enabled|terminat|employment/.test(lastName(f)));
  const ordered = [...named.filter((f) => /status/.test(norm(f.path))), ...named];
  for (const f of ordered) {
    const name = lastName(f);
    if (f.types.includes('boolean')) return NEGATIVE_NAME.test(name) ? `$not(${f.path})` : f.path;
    const hit = f.examples.find((e) => typeof e === 'string' && ACTIVE_VALUE.test(e));
    if (hit !== undefined) return `${f.path} = ${JSON.stringify(hit)}`;
  }
  const status = ordered.find((f) => /status/.test(norm(f.path)) && f.types.includes('string'));
  return status ? `${status.path} = "Active"` : undefined;
}
