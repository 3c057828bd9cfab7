/** Sensible first expressions for attributes a quick fix adds, guessed from the sample's field names and values. */
import { fieldPath, FieldInfo } from '../../engine/readers';
import type { FeatureContext } from '../context';
import { guessActiveExpression } from '../../engine/sample/guessActive';

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Scalar fields outside arrays that some record fills. */
function candidates(ctx: Pick<FeatureContext, 'sample'>): FieldInfo[] {
  return (ctx.sample?.fields ?? []).filter((f) => !f.segments.includes('[]') && f.present > 0 && f.types.some((t) => t === 'string' || t === 'number' || t === 'boolean'));
}

/** Best field by name rank (earlier = better), then by pattern, fewest segments first. */
function pick(fields: FieldInfo[], exact: string[], pattern?: RegExp | ((name: string) => boolean), values?: (f: FieldInfo) => boolean): FieldInfo | undefined {
  const last = (f: FieldInfo) => norm(f.segments[f.segments.length - 1]);
  const byDepth = (a: FieldInfo, b: FieldInfo) => a.segments.length - b.segments.length;
  let best: FieldInfo | undefined;
  let rank = Infinity;
  for (const f of [...fields].sort(byDepth)) {
    const r = exact.indexOf(last(f));
    if (r >= 0 && r < rank) {
      best = f;
      rank = r;
    }
  }
  if (best) return best;
  if (pattern) {
    const test = typeof pattern === 'function' ? pattern : (n: string) => pattern.test(n);
    const hit = [...fields].sort(byDepth).find((f) => test(last(f)));
    if (hit) return hit;
  }
  return values ? [...fields].sort(byDepth).find(values) : undefined;
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

export function guessExternalId(ctx: FeatureContext): string | undefined {
  const fields = candidates(ctx);
  const key = ctx.analysis.doc.source?.key?.value;
  if (key) {
    const f = fields.find((x) => x.segments.length === 1 && x.segments[0] === key);
    if (f || !ctx.sample) return f?.path ?? fieldPath([key]);
  }
  const f = pick(
    fields,
    ['employeeid', 'workerid', 'personidexternal', 'employeenumber', 'empid', 'empno', 'employeeno', 'userid', 'personid', 'personnelnumber', 'pernr', 'staffid', 'staffno', 'externalid', 'id'],
    idLikeName,
    (x) => /id$/.test(norm(x.segments[x.segments.length - 1])),
  );
  return f?.path;
}

export function guessUserName(ctx: FeatureContext): string | undefined {
  const f = pick(
    candidates(ctx),
    ['userprincipalname', 'upn', 'username', 'login', 'workemail', 'businessemail', 'email', 'emailaddress', 'mail'],
    /e?mail|upn|login/,
    (x) => x.examples.length > 0 && x.examples.every((e) => typeof e === 'string' && /^[^@\s]+@[^@\s]+$/.test(e)),
  );
  return f?.path;
}

/** `Status = "Active"` style, from a status-like field and its values; `true` when nothing fits (engine/sample/guessActive.ts). */
export function guessActive(ctx: Pick<FeatureContext, 'sample'>): string {
  return guessActiveExpression(ctx.sample?.fields ?? []);
}
