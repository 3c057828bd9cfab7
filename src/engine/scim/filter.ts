/**
 * SCIM filter parser (RFC 7644 §3.4.2.2 ABNF, with errata):
 *
 *   FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
 *   valuePath = attrPath "[" valFilter "]"
 *   valFilter = attrExp / logExp / *1"not" "(" valFilter ")"
 *   attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
 *   logExp    = FILTER SP ("and" / "or") SP FILTER
 *   compValue = false / null / true / number / string      ; JSON (RFC 7159)
 *   attrPath  = [URI ":"] ATTRNAME *1subAttr
 *
 * `and` binds tighter than `or`; `not` needs parentheses. Keywords and operators are case-insensitive.
 * Every node carries 0-based [start, end) offsets into the parsed text, and errors never escape as exceptions.
 */

/** A half-open range [start, end) of 0-based UTF-16 offsets. */
export interface TextRange {
  start: number;
  end: number;
}

/** A syntax error: `offset`/`length` mark the offending token (length 0 at the end of the text). */
export interface ScimSyntaxError {
  message: string;
  offset: number;
  length: number;
}

export interface AttrPathNode extends TextRange {
  kind: 'attrPath';
  /** Schema URN before the attribute name, without the separating ':'. */
  urn?: string;
  urnRange?: TextRange;
  attribute: string;
  attributeRange: TextRange;
  subAttribute?: string;
  subAttributeRange?: TextRange;
}

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';
export const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'];

export type CompValue = string | number | boolean | null;

export interface LiteralNode extends TextRange {
  kind: 'literal';
  value: CompValue;
  /** The literal as written (a string keeps its quotes and escapes). */
  raw: string;
}

export interface CompareNode extends TextRange {
  kind: 'compare';
  /** Always lower case, whatever the spelling in the text. */
  op: CompareOp;
  opRange: TextRange;
  path: AttrPathNode;
  value: LiteralNode;
}

export interface PresentNode extends TextRange {
  kind: 'present';
  path: AttrPathNode;
}

export interface LogicalNode extends TextRange {
  kind: 'and' | 'or';
  left: FilterNode;
  right: FilterNode;
}

export interface NotNode extends TextRange {
  kind: 'not';
  filter: FilterNode;
}

export interface ValuePathNode extends TextRange {
  kind: 'valuePath';
  path: AttrPathNode;
  filter: FilterNode;
}

export type FilterNode = CompareNode | PresentNode | LogicalNode | NotNode | ValuePathNode;

export type FilterResult = { ok: true; filter: FilterNode } | { ok: false; error: ScimSyntaxError };

/** Parses a complete SCIM filter. */
export function parseFilter(text: string): FilterResult {
  try {
    const p = new Parser(text, 0);
    if (p.peek().kind === 'eof') fail('empty filter: expected an attribute path, "(" or "not"', text.length, 0);
    const { node } = p.parseOr(false);
    p.expectEnd();
    return { ok: true, filter: node };
  } catch (e) {
    return { ok: false, error: asSyntaxError(e) };
  }
}

/**
 * Parses the `valFilter` of a valuePath that starts at `start` (just after its '['), up to and including
 * the closing ']'. `close` is the offset of that ']'. Used by the PATCH path parser.
 */
export function parseValueFilter(
  text: string,
  start: number,
): { ok: true; filter: FilterNode; close: number } | { ok: false; error: ScimSyntaxError } {
  try {
    const p = new Parser(text, start);
    const { node } = p.parseOr(true);
    const close = p.expect(']', `expected "]" to close the value filter`);
    return { ok: true, filter: node, close: close.start };
  } catch (e) {
    return { ok: false, error: asSyntaxError(e) };
  }
}

/** Characters of an attribute path token: URN characters plus name characters and the sub-attribute dot. */
export function isPathChar(ch: string): boolean {
  return /[A-Za-z0-9_\-:.$]/.test(ch);
}

const ATTRNAME = /^(?:\$ref|[A-Za-z][A-Za-z0-9_$-]*)$/i;

/** True if `name` is a valid SCIM attribute name (ALPHA *(nameChar), or `$ref`). */
export function isAttrName(name: string): boolean {
  return ATTRNAME.test(name);
}

/**
 * Splits an attribute path token `[URN ":"] ATTRNAME ["." ATTRNAME]` found at offset `start`.
 * The URN is everything before the last ':' (URNs contain ':' and '.', attribute names contain neither).
 */
export function splitAttrPath(word: string, start: number): AttrPathNode | ScimSyntaxError {
  const end = start + word.length;
  const colon = word.lastIndexOf(':');
  let urn: string | undefined;
  let urnRange: TextRange | undefined;
  let rest = word;
  let restStart = start;
  if (colon >= 0) {
    urn = word.slice(0, colon);
    urnRange = { start, end: start + colon };
    rest = word.slice(colon + 1);
    restStart = start + colon + 1;
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:./.test(urn)) {
      return { message: `"${urn}" is not a schema URN (expected something like urn:ietf:params:scim:schemas:…)`, offset: start, length: colon };
    }
    if (!rest) return { message: 'expected an attribute name after the schema URN and ":"', offset: restStart, length: 0 };
  }
  const parts = rest.split('.');
  if (parts.length > 2) {
    const second = restStart + parts[0].length + 1 + parts[1].length;
    return { message: 'an attribute path has at most one sub-attribute ("name.givenName")', offset: second, length: end - second };
  }
  let at = restStart;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part) {
      const msg = i === 0 ? 'expected an attribute name before "."' : 'expected a sub-attribute name after "."';
      return { message: msg, offset: at, length: 0 };
    }
    if (!isAttrName(part)) {
      return { message: `"${part}" is not a valid attribute name (a letter, then letters, digits, "-" or "_")`, offset: at, length: part.length };
    }
    at += part.length + 1;
  }
  const node: AttrPathNode = {
    kind: 'attrPath',
    start,
    end,
    attribute: parts[0],
    attributeRange: { start: restStart, end: restStart + parts[0].length },
  };
  if (urn !== undefined) {
    node.urn = urn;
    node.urnRange = urnRange;
  }
  if (parts.length === 2) {
    const subStart = restStart + parts[0].length + 1;
    node.subAttribute = parts[1];
    node.subAttributeRange = { start: subStart, end: subStart + parts[1].length };
  }
  return node;
}

// ---------------------------------------------------------------------------------------------------------------

type TokenKind = '(' | ')' | '[' | ']' | 'word' | 'string' | 'number' | 'eof';

interface Token extends TextRange {
  kind: TokenKind;
}

class SyntaxFailure extends Error {
  constructor(readonly error: ScimSyntaxError) {
    super(error.message);
  }
}

function fail(message: string, offset: number, length: number): never {
  throw new SyntaxFailure({ message, offset, length });
}

function asSyntaxError(e: unknown): ScimSyntaxError {
  if (e instanceof SyntaxFailure) return e.error;
  // A bug in the parser must still surface as a diagnostic, not as a crash of the caller.
  return { message: `internal filter parser error: ${e instanceof Error ? e.message : String(e)}`, offset: 0, length: 0 };
}

const WHITESPACE = /[ \t\r\n]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Reads one token at `pos` (after whitespace). Lexing is lazy so that a path parser can stop at its ']'. */
function lex(text: string, pos: number): Token {
  while (pos < text.length && WHITESPACE.test(text[pos])) pos++;
  if (pos >= text.length) return { kind: 'eof', start: text.length, end: text.length };
  const ch = text[pos];
  if (ch === '(' || ch === ')' || ch === '[' || ch === ']') return { kind: ch, start: pos, end: pos + 1 };
  if (ch === '"') return { kind: 'string', start: pos, end: scanString(text, pos) };
  if (ch === '-' || (ch >= '0' && ch <= '9')) {
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    let end = m ? pos + m[0].length : pos;
    if (!m || (end < text.length && isPathChar(text[end]))) {
      while (end < text.length && isPathChar(text[end])) end++;
      fail(`"${text.slice(pos, end)}" is not a valid number`, pos, Math.max(1, end - pos));
    }
    return { kind: 'number', start: pos, end };
  }
  if (/[A-Za-z$]/.test(ch)) {
    let end = pos + 1;
    while (end < text.length && isPathChar(text[end])) end++;
    return { kind: 'word', start: pos, end };
  }
  if (ch === "'") fail('strings must be written in double quotes ("…"), not single quotes', pos, 1);
  fail(`unexpected character "${ch}"`, pos, 1);
}

/** Returns the offset just after the closing quote of the JSON string starting at `start`. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') return i + 1;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined) break;
      if (next === 'u') {
        let j = i + 2;
        while (j < i + 6 && j < text.length && /[0-9A-Fa-f]/.test(text[j])) j++;
        if (j < i + 6) fail('"\\u" must be followed by four hexadecimal digits', i, Math.max(2, j - i));
        i = j;
        continue;
      }
      if (!'"\\/bfnrt'.includes(next)) fail(`invalid escape "\\${next}" in string (use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)`, i, 2);
      i += 2;
      continue;
    }
    if (ch < ' ') fail('control characters must be escaped in a string', i, 1);
    i++;
  }
  fail('unterminated string: missing closing "', start, text.length - start);
}

interface Parsed {
  node: FilterNode;
  /** Outer extent including enclosing parentheses, so parents span them too. */
  start: number;
  end: number;
}

class Parser {
  private current: Token | undefined;

  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  peek(): Token {
    if (!this.current) this.current = lex(this.text, this.pos);
    return this.current;
  }

  private next(): Token {
    const t = this.peek();
    this.pos = t.end;
    this.current = undefined;
    return t;
  }

  private peekAfter(t: Token): Token {
    return lex(this.text, t.end);
  }

  private src(t: TextRange): string {
    return this.text.slice(t.start, t.end);
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'word' && this.src(t).toLowerCase() === word;
  }

  private isOperator(t: Token): boolean {
    if (t.kind !== 'word') return false;
    const w = this.src(t).toLowerCase();
    return w === 'pr' || (COMPARE_OPS as readonly string[]).includes(w);
  }

  private describe(t: Token): string {
    if (t.kind === 'eof') return 'the end of the filter';
    return t.kind === 'string' ? this.src(t) : `"${this.src(t)}"`;
  }

  expect(kind: TokenKind, message: string): Token {
    const t = this.peek();
    if (t.kind !== kind) fail(`${message}, found ${this.describe(t)}`, t.start, t.end - t.start);
    return this.next();
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind === 'eof') return;
    if (t.kind === ')' || t.kind === ']') fail(`unmatched "${t.kind}"`, t.start, 1);
    fail(`expected "and" or "or", found ${this.describe(t)}`, t.start, t.end - t.start);
  }

  parseOr(inValuePath: boolean): Parsed {
    let left = this.parseAnd(inValuePath);
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      const right = this.parseAnd(inValuePath);
      left = { node: { kind: 'or', left: left.node, right: right.node, start: left.start, end: right.end }, start: left.start, end: right.end };
    }
    return left;
  }

  private parseAnd(inValuePath: boolean): Parsed {
    let left = this.parseUnary(inValuePath);
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      const right = this.parseUnary(inValuePath);
      left = { node: { kind: 'and', left: left.node, right: right.node, start: left.start, end: right.end }, start: left.start, end: right.end };
    }
    return left;
  }

  private parseUnary(inValuePath: boolean): Parsed {
    const t = this.peek();
    if (t.kind === '(') {
      this.next();
      const inner = this.parseOr(inValuePath);
      const close = this.expect(')', 'expected "and", "or" or ")" to close "("');
      return { node: inner.node, start: t.start, end: close.end };
    }
    if (t.kind === 'word') {
      const after = this.peekAfter(t);
      if (this.isWord(t, 'not') && after.kind === '(') {
        this.next();
        this.next();
        const inner = this.parseOr(inValuePath);
        const close = this.expect(')', 'expected "and", "or" or ")" to close "not ("');
        return { node: { kind: 'not', filter: inner.node, start: t.start, end: close.end }, start: t.start, end: close.end };
      }
      // A keyword where an expression should start (unless it is really an attribute named so).
      if (!this.isOperator(after) && after.kind !== '[') {
        if (this.isWord(t, 'not')) fail('"not" must be followed by a parenthesized filter: not (…)', t.start, t.end - t.start);
        if (this.isWord(t, 'and') || this.isWord(t, 'or')) {
          fail(`expected a filter expression before "${this.src(t)}"`, t.start, t.end - t.start);
        }
      }
      return this.parseAttrExpression(inValuePath);
    }
    if (t.kind === 'eof') fail('expected a filter expression (attribute path, "(" or "not") at the end of the filter', t.start, 0);
    fail(`expected a filter expression (attribute path, "(" or "not"), found ${this.describe(t)}`, t.start, t.end - t.start);
  }

  private parseAttrExpression(inValuePath: boolean): Parsed {
    const word = this.next();
    const path = splitAttrPath(this.src(word), word.start);
    if (!('kind' in path)) fail(path.message, path.offset, path.length);
    const t = this.peek();
    if (t.kind === '[') {
      if (inValuePath) fail('value filters cannot be nested', t.start, 1);
      this.next();
      const inner = this.parseOr(true);
      const close = this.expect(']', 'expected "and", "or" or "]" to close "["');
      const node: ValuePathNode = { kind: 'valuePath', path, filter: inner.node, start: word.start, end: close.end };
      return { node, start: node.start, end: node.end };
    }
    const name = this.src(word);
    if (t.kind !== 'word') {
      const where = t.kind === 'eof' ? 0 : t.end - t.start;
      fail(`expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le or pr) after "${name}", found ${this.describe(t)}`, t.start, where);
    }
    const opText = this.src(t).toLowerCase();
    if (opText === 'pr') {
      this.next();
      const node: PresentNode = { kind: 'present', path, start: word.start, end: t.end };
      return { node, start: node.start, end: node.end };
    }
    if (!(COMPARE_OPS as readonly string[]).includes(opText)) {
      fail(`unknown operator "${this.src(t)}" (expected eq, ne, co, sw, ew, gt, lt, ge, le or pr)`, t.start, t.end - t.start);
    }
    this.next();
    const value = this.parseValue(opText);
    const node: CompareNode = {
      kind: 'compare',
      op: opText as CompareOp,
      opRange: { start: t.start, end: t.end },
      path,
      value,
      start: word.start,
      end: value.end,
    };
    return { node, start: node.start, end: node.end };
  }

  private parseValue(op: string): LiteralNode {
    const t = this.peek();
    const raw = this.src(t);
    const literal = (value: CompValue): LiteralNode => {
      this.next();
      return { kind: 'literal', value, raw, start: t.start, end: t.end };
    };
    // The lexer has validated strings and numbers as JSON already.
    if (t.kind === 'string' || t.kind === 'number') return literal(JSON.parse(raw) as string | number);
    if (t.kind === 'word') {
      if (raw === 'true') return literal(true);
      if (raw === 'false') return literal(false);
      if (raw === 'null') return literal(null);
      if (['true', 'false', 'null'].includes(raw.toLowerCase())) fail(`write "${raw.toLowerCase()}" in lower case`, t.start, t.end - t.start);
      fail(`expected a value after "${op}": a "double-quoted string", a number, true, false or null`, t.start, t.end - t.start);
    }
    const length = t.kind === 'eof' ? 0 : t.end - t.start;
    fail(`expected a value after "${op}" (a "double-quoted string", a number, true, false or null), found ${this.describe(t)}`, t.start, length);
  }
}
