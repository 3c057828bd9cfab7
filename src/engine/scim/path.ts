/**
 * Mapping keys: RFC 7644 §3.5.2 PATCH path grammar `PATH = attrPath / valuePath [subAttr]`, where attrPath may
 * carry a schema URN prefix: `name.givenName`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
 */
import {
  CompValue,
  FilterNode,
  ScimSyntaxError,
  TextRange,
  isAttrName,
  isPathChar,
  parseValueFilter,
  splitAttrPath,
} from './filter';

export interface TargetPath {
  /** Schema URN without the trailing ':'. */
  urn?: string;
  urnRange?: TextRange;
  attribute: string;
  attributeRange: TextRange;
  /** The value filter between '[' and ']'. */
  filter?: FilterNode;
  /** Range of the filter including its brackets. */
  filterRange?: TextRange;
  subAttribute?: string;
  subAttributeRange?: TextRange;
}

export type TargetPathResult = { ok: true; path: TargetPath } | { ok: false; error: ScimSyntaxError };

/** Parses a mapping key. Never throws; all ranges are 0-based offsets into `text`. */
export function parseTargetPath(text: string): TargetPathResult {
  const err = (message: string, offset: number, length: number): TargetPathResult => ({
    ok: false,
    error: { message, offset, length },
  });
  if (!text) return err('empty attribute path', 0, 0);
  if (/\s/.test(text[0])) return err('an attribute path must not start with white space', 0, 1);

  // The URN and attribute name run up to the first character that cannot be part of them ('[' or the end):
  // ':' and '.' inside a filter therefore never confuse where the URN ends.
  let pos = 0;
  while (pos < text.length && isPathChar(text[pos])) pos++;
  if (pos === 0) return err(`expected an attribute name, found "${text[0]}"`, 0, 1);
  const head = splitAttrPath(text.slice(0, pos), 0);
  if (!('kind' in head)) return { ok: false, error: head };

  const path: TargetPath = { attribute: head.attribute, attributeRange: head.attributeRange };
  if (head.urn !== undefined) {
    path.urn = head.urn;
    path.urnRange = head.urnRange;
  }
  if (head.subAttribute !== undefined) {
    path.subAttribute = head.subAttribute;
    path.subAttributeRange = head.subAttributeRange;
  }

  if (text[pos] === '[') {
    if (head.subAttribute !== undefined) {
      const r = head.subAttributeRange!;
      return err('a value filter "[…]" goes after the multi-valued attribute, before the sub-attribute', r.start, r.end - r.start);
    }
    const open = pos;
    const parsed = parseValueFilter(text, open + 1);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    path.filter = parsed.filter;
    path.filterRange = { start: open, end: parsed.close + 1 };
    pos = parsed.close + 1;
    if (text[pos] === '.') {
      let end = pos + 1;
      while (end < text.length && /[A-Za-z0-9_$-]/.test(text[end])) end++;
      const name = text.slice(pos + 1, end);
      if (!name) return err('expected a sub-attribute name after "."', pos + 1, 0);
      if (!isAttrName(name)) return err(`"${name}" is not a valid attribute name`, pos + 1, name.length);
      path.subAttribute = name;
      path.subAttributeRange = { start: pos + 1, end };
      pos = end;
    }
  }
  if (pos < text.length) {
    const rest = text.slice(pos);
    if (/^\s+$/.test(rest)) return err('unexpected white space at the end of the attribute path', pos, rest.length);
    return err(`unexpected "${text[pos]}" in attribute path`, pos, 1);
  }
  return { ok: true, path };
}

/** Literal values that an element created for a filtered path takes from its filter. */
export type FilterEqualities = Record<string, Exclude<CompValue, null>>;

/**
 * `type eq "work" and primary eq true` → `{ type: "work", primary: true }`: the only filters the mapping engine
 * can turn into a new element. Anything else (other operators, or/not, sub-attribute paths, URNs, null, the same
 * name twice) returns undefined. Names are as written; resolve them against the schema for canonical spelling.
 */
export function filterEqualities(filter: FilterNode): FilterEqualities | undefined {
  const out: FilterEqualities = {};
  const seen = new Set<string>();
  const visit = (node: FilterNode): boolean => {
    if (node.kind === 'and') return visit(node.left) && visit(node.right);
    if (node.kind !== 'compare' || node.op !== 'eq') return false;
    const { path, value } = node;
    if (path.urn !== undefined || path.subAttribute !== undefined || value.value === null) return false;
    const key = path.attribute.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    out[path.attribute] = value.value;
    return true;
  };
  return visit(filter) ? out : undefined;
}
