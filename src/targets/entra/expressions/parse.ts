/**
 * Parser for Entra's attribute-mapping expression language (VBA-like: `Join(" ", [givenName], [surname])`).
 * One linear scan: tokens are read left to right, nesting is bounded, every error carries an offset.
 */

export type ExprNode =
  | { kind: 'attribute'; name: string; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  /** A bare word such as `vbBinaryCompare`, `True`. */
  | { kind: 'identifier'; name: string; start: number; end: number }
  /** `args[i]` is undefined for an argument left empty (`Switch([a], , "1", "x")`). */
  | { kind: 'call'; name: string; args: (ExprNode | undefined)[]; start: number; end: number }
  | { kind: 'compare'; op: CompareOp; left: ExprNode; right: ExprNode; start: number; end: number };

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export class ExpressionSyntaxError extends Error {
  override name = 'ExpressionSyntaxError';
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Entra caps expressions at 10,000 characters; nesting deeper than this is refused rather than recursed into. */
export const MAX_EXPRESSION_LENGTH = 10_000;
const MAX_DEPTH = 100;

export function parseExpression(text: string): ExprNode {
  if (text.length > MAX_EXPRESSION_LENGTH) throw new ExpressionSyntaxError(`the expression is longer than Entra's limit of ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH);
  const p = new Parser(text);
  p.skipSpace();
  const node = p.comparison(0);
  p.skipSpace();
  if (p.pos < text.length) throw new ExpressionSyntaxError(`unexpected '${text[p.pos]}' after the end of the expression`, p.pos);
  return node;
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  comparison(depth: number): ExprNode {
    const left = this.primary(depth);
    this.skipSpace();
    const op = this.compareOp();
    if (!op) return left;
    this.skipSpace();
    const right = this.primary(depth);
    return { kind: 'compare', op, left, right, start: left.start, end: right.end };
  }

  private compareOp(): CompareOp | undefined {
    const two = this.text.slice(this.pos, this.pos + 2);
    if (two === '<>' || two === '<=' || two === '>=') {
      this.pos += 2;
      return two;
    }
    const one = this.text[this.pos];
    if (one === '=' || one === '<' || one === '>') {
      this.pos++;
      return one;
    }
    return undefined;
  }

  primary(depth: number): ExprNode {
    if (depth > MAX_DEPTH) throw new ExpressionSyntaxError(`functions are nested more than ${MAX_DEPTH} deep`, this.pos);
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === undefined) throw new ExpressionSyntaxError('the expression ends where a value was expected', this.pos);
    if (c === '[') return this.attribute();
    if (c === '"') return this.string();
    if (c === '&' && /[Hh]/.test(this.text[this.pos + 1] ?? '')) {
      this.pos += 2;
      const digits = this.readWhile(/[0-9A-Fa-f]/);
      if (!digits) throw new ExpressionSyntaxError('&H must be followed by hexadecimal digits', start);
      return { kind: 'number', value: parseInt(digits, 16), start, end: this.pos };
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(this.text[this.pos + 1] ?? ''))) {
      this.pos++;
      const rest = this.readWhile(/[0-9.]/);
      const raw = c + rest;
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new ExpressionSyntaxError(`'${raw}' is not a number`, start);
      return { kind: 'number', value, start, end: this.pos };
    }
    if (/[A-Za-z_]/.test(c)) {
      const name = this.readWhile(/[A-Za-z0-9_]/);
      const afterName = this.pos;
      this.skipSpace();
      if (this.text[this.pos] !== '(') {
        this.pos = afterName;
        return { kind: 'identifier', name, start, end: afterName };
      }
      this.pos++;
      const args = this.args(depth);
      return { kind: 'call', name, args, start, end: this.pos };
    }
    throw new ExpressionSyntaxError(`unexpected '${c}': expected [attribute], "string", a number or Function(...)`, start);
  }

  /** Arguments after '(' up to and including ')'; empty arguments are kept as undefined. */
  private args(depth: number): (ExprNode | undefined)[] {
    const args: (ExprNode | undefined)[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return args;
    }
    for (;;) {
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',' || c === ')') args.push(undefined);
      else args.push(this.comparison(depth + 1));
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep === ',') {
        this.pos++;
        continue;
      }
      if (sep === ')') {
        this.pos++;
        return args;
      }
      throw new ExpressionSyntaxError(sep === undefined ? "missing ')'" : `expected ',' or ')' but found '${sep}'`, this.pos);
    }
  }

  /** `[name]`; the name may itself hold brackets and quotes: `[emails[type eq "work"].value]`. */
  private attribute(): ExprNode {
    const start = this.pos;
    this.pos++;
    let depth = 1;
    let inQuote = false;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (inQuote) {
        if (c === '"') inQuote = false;
      } else if (c === '"') inQuote = true;
      else if (c === '[') depth++;
      else if (c === ']') {
        depth--;
        if (depth === 0) break;
      }
      this.pos++;
    }
    if (depth !== 0) throw new ExpressionSyntaxError("attribute name without its closing ']'", start);
    const name = this.text.slice(start + 1, this.pos).trim();
    this.pos++;
    if (!name) throw new ExpressionSyntaxError('empty attribute name []', start);
    return { kind: 'attribute', name, start, end: this.pos };
  }

  /** `"..."` with `\"` and `\\` escapes; any other backslash is kept as written (regular expressions rely on it). */
  private string(): ExprNode {
    const start = this.pos;
    this.pos++;
    let value = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '\\') {
        const n = this.text[this.pos + 1];
        if (n === '"' || n === '\\') {
          value += n;
          this.pos += 2;
          continue;
        }
        value += c;
        this.pos++;
        continue;
      }
      if (c === '"') {
        this.pos++;
        return { kind: 'string', value, start, end: this.pos };
      }
      value += c;
      this.pos++;
    }
    throw new ExpressionSyntaxError('string without its closing quote', start);
  }

  private readWhile(re: RegExp): string {
    const s = this.pos;
    while (this.pos < this.text.length && re.test(this.text[this.pos])) this.pos++;
    return this.text.slice(s, this.pos);
  }
}

/** Every attribute name the expression reads, in order of appearance. */
export function attributesOf(node: ExprNode | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (node.kind === 'attribute') out.push(node.name);
  else if (node.kind === 'call') for (const a of node.args) attributesOf(a, out);
  else if (node.kind === 'compare') {
    attributesOf(node.left, out);
    attributesOf(node.right, out);
  }
  return out;
}
