/**
 * Attribute-level differences between two SCIM resources (or any JSON values), named by SCIM paths:
 * `name.givenName`, `emails[type eq "work"].value` (an element is named by its `type` when that is unique in
 * its list, else by its position), `urn:…:User:manager.value`. Shared by mapping tests and change impact.
 */

export interface AttributeChange {
  path: string;
  /** undefined: absent on that side. */
  before: unknown;
  after: unknown;
}

/** Every leaf of a resource as path → value (arrays of scalars stay whole: `schemas`, `roles`). */
export function flatten(value: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  walk(value, '', out);
  return out;
}

function walk(value: unknown, prefix: string, out: Map<string, unknown>): void {
  const leaf = () => out.set(prefix.endsWith(':') ? prefix.slice(0, -1) : prefix, value);
  if (Array.isArray(value)) {
    if (!value.length || value.every((v) => v === null || typeof v !== 'object')) return void leaf();
    const names = elementNames(value);
    value.forEach((el, i) => walk(el, `${prefix.endsWith(':') ? prefix.slice(0, -1) : prefix}${names[i]}`, out));
    return;
  }
  if (value === null || typeof value !== 'object') return void leaf();
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return void leaf();
  for (const [k, v] of entries) {
    // An extension's attributes read `urn:…:User:manager.value`, as mapping keys do.
    const p = !prefix ? (k.startsWith('urn:') ? `${k}:` : k) : prefix.endsWith(':') ? prefix + k : `${prefix}.${k}`;
    walk(v, p, out);
  }
}

/** `[type eq "work"]` when every element's type is a distinct string, else `[0]`, `[1]` … */
function elementNames(list: unknown[]): string[] {
  const types = list.map((el) => (el && typeof el === 'object' && !Array.isArray(el) ? (el as Record<string, unknown>).type : undefined));
  const unique = types.every((t) => typeof t === 'string') && new Set(types).size === types.length;
  return list.map((_, i) => (unique ? `[type eq ${JSON.stringify(types[i])}]` : `[${i}]`));
}

/** Paths whose values differ, in the order they first appear (before's order, then after's new ones). */
export function diffResources(before: unknown, after: unknown): AttributeChange[] {
  const fa = flatten(before);
  const fb = flatten(after);
  const out: AttributeChange[] = [];
  for (const [path, v] of fa) if (!sameValue(v, fb.get(path))) out.push({ path, before: v, after: fb.get(path) });
  for (const [path, v] of fb) if (!fa.has(path)) out.push({ path, before: undefined, after: v });
  return out;
}

/** Deep equality where object key order does not matter and array order does. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** One line per change: `title: "A" → "B"`, `nickName: absent → "JJ"`. */
export function describeChange(c: AttributeChange, labels = { before: 'expected', after: 'got' }): string {
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  return `${c.path}: ${labels.before} ${show(c.before)}, ${labels.after} ${show(c.after)}`;
}
