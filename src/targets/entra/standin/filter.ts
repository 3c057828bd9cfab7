/**
 * The subset of OData `$filter` the provisioning-logs API documents: `<path> eq '<value>'` (also gt/lt/ge/le for
 * activityDateTime), combined with `and`; `or` and parentheses are accepted when enabled (UNDOCUMENTED upstream).
 * Property names match case-insensitively; values are compared exactly (Entra's filters are case sensitive).
 */
export type FilterNode =
  | { kind: 'cmp'; path: string[]; op: 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le'; value: string | number | boolean | null }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode };

export class FilterError extends Error {}

const TOKEN_RE = /\s*(\(|\)|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_/.]*|\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?|-?\d+(?:\.\d+)?)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(text);
    if (!m) throw new FilterError(`Invalid filter clause at position ${pos}`);
    out.push(m[1]!);
    pos = TOKEN_RE.lastIndex;
  }
  return out;
}

export function parseFilter(text: string, allowOr = true): FilterNode {
  const toks = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const expect = (t: string): void => {
    if (toks[i] !== t) throw new FilterError(`Invalid filter clause: expected '${t}'`);
    i++;
  };
  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (peek()?.toLowerCase() === 'or') {
      if (!allowOr) throw new FilterError("Invalid filter clause: 'or' is not supported");
      i++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseTerm();
    while (peek()?.toLowerCase() === 'and') {
      i++;
      left = { kind: 'and', left, right: parseTerm() };
    }
    return left;
  };
  const parseTerm = (): FilterNode => {
    if (peek() === '(') {
      i++;
      const n = parseOr();
      expect(')');
      return n;
    }
    const path = toks[i++];
    const op = toks[i++]?.toLowerCase();
    const raw = toks[i++];
    if (!path || !op || raw === undefined || !/^[A-Za-z]/.test(path)) throw new FilterError('Invalid filter clause');
    if (!['eq', 'ne', 'gt', 'lt', 'ge', 'le'].includes(op)) throw new FilterError(`Invalid filter clause: unsupported operator '${op}'`);
    let value: string | number | boolean | null;
    if (raw.startsWith("'")) value = raw.slice(1, -1).replace(/''/g, "'");
    else if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (raw === 'null') value = null;
    else if (/^\d{4}-/.test(raw)) value = raw;
    else if (/^-?\d/.test(raw)) value = Number(raw);
    else throw new FilterError(`Invalid filter clause: bad value '${raw}'`);
    return { kind: 'cmp', path: path.split('/'), op: op as 'eq', value };
  };
  const node = parseOr();
  if (i !== toks.length) throw new FilterError('Invalid filter clause: unexpected trailing input');
  return node;
}

function resolve(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    const key = Object.keys(cur).find((k) => k.toLowerCase() === seg.toLowerCase());
    cur = key === undefined ? undefined : (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function matches(node: FilterNode, obj: unknown): boolean {
  if (node.kind === 'cmp') return compare(node, obj);
  return node.kind === 'and' ? matches(node.left, obj) && matches(node.right, obj) : matches(node.left, obj) || matches(node.right, obj);
}

function compare(node: Extract<FilterNode, { kind: 'cmp' }>, obj: unknown): boolean {
  const actual = resolve(obj, node.path);
  const isDate = node.path[node.path.length - 1]!.toLowerCase().endsWith('datetime');
  const a = isDate && typeof actual === 'string' ? Date.parse(actual) : actual;
  const b = isDate && typeof node.value === 'string' ? Date.parse(node.value) : node.value;
  switch (node.op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    default: {
      if (typeof a !== typeof b || a == null || b == null) return false;
      const x = a as number | string;
      const y = b as number | string;
      return node.op === 'gt' ? x > y : node.op === 'lt' ? x < y : node.op === 'ge' ? x >= y : x <= y;
    }
  }
}
