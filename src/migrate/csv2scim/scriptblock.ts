/**
 * Translates the script-block shapes CSV2SCIM mappings use into JSONata, keeping PowerShell's meaning:
 * comparisons and `-like`/`-match`/`-replace` ignore case (their `c` forms do not), `-and`/`-or` share one
 * precedence and group left to right, `+` after a string concatenates, a string left operand turns the right
 * one into a string. Anything outside the subset is refused with the reason and its offset — the importer
 * keeps such a block as a TODO comment, it never guesses.
 */

export type Ty = 'string' | 'bool' | 'number' | 'null' | 'unknown';

export interface Translated { expr: string; type: Ty }

export class Untranslatable extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

/** Maps a column name as written in the .psd1 to the CSV header's spelling (PowerShell ignores case). */
export type ColumnResolver = (name: string, offset: number) => string;

type Tok =
  | { t: 'item'; at: number }
  | { t: 'str'; v: string; at: number; raw: string; dq: boolean }
  | { t: 'num'; v: number; at: number }
  | { t: 'const'; v: 'true' | 'false' | 'null'; at: number }
  | { t: 'op'; v: string; at: number } // -eq, -and, … (lower-cased, without the dash)
  | { t: 'punct'; v: string; at: number } // ( ) { } [ ] , . + ! ? : ;
  | { t: 'word'; v: string; at: number } // if, elseif, else, member names
  | { t: 'type'; v: string; at: number }; // [string]

const COMPARISONS = new Set([
  'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'notlike', 'match', 'notmatch', 'replace',
  'ieq', 'ine', 'igt', 'ige', 'ilt', 'ile', 'ilike', 'inotlike', 'imatch', 'inotmatch', 'ireplace',
  'ceq', 'cne', 'cgt', 'cge', 'clt', 'cle', 'clike', 'cnotlike', 'cmatch', 'cnotmatch', 'creplace',
]);
const LOGICAL = new Set(['and', 'or']);

export function tokenize(text: string, base: number): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const at = base + i;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') { i++; continue; }
    if (c === '#') { const nl = text.indexOf('\n', i); i = nl < 0 ? n : nl; continue; }
    if (c === '<' && text[i + 1] === '#') {
      const e = text.indexOf('#>', i + 2);
      if (e < 0) throw new Untranslatable('block comment is never closed', at);
      i = e + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= n) throw new Untranslatable('string is never closed', at);
        const d = text[j];
        if (d === c) {
          if (text[j + 1] === c) { v += c; j += 2; continue; }
          break;
        }
        if (c === '"' && d === '`' && j + 1 < n) {
          const e = text[j + 1];
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          j += 2;
          continue;
        }
        v += d;
        j++;
      }
      out.push({ t: 'str', v, at, raw: text.slice(i, j + 1), dq: c === '"' });
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const w = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, i + 64));
      const name = w ? w[1].toLowerCase() : text[i + 1] === '_' ? '_' : '';
      if (name === '_' || name === 'psitem') { out.push({ t: 'item', at }); i += name === '_' ? 2 : 7; continue; }
      if (name === 'true' || name === 'false' || name === 'null') { out.push({ t: 'const', v: name, at }); i += 1 + name.length; continue; }
      throw new Untranslatable(`the variable ${text.slice(i, i + 1 + (w ? w[1].length : 1))} is not supported (only $_ / $PSItem)`, at);
    }
    if (c === '-' && /[A-Za-z]/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < n && /[A-Za-z]/.test(text[j])) j++;
      const op = text.slice(i + 1, j).toLowerCase();
      if (COMPARISONS.has(op) || LOGICAL.has(op) || op === 'not') { out.push({ t: 'op', v: op, at }); i = j; continue; }
      throw new Untranslatable(`the operator -${op} is not supported`, at);
    }
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < n && /[0-9.]/.test(text[j])) j++;
      out.push({ t: 'num', v: Number(text.slice(i, j)), at });
      i = j;
      continue;
    }
    if (c === '[' && /[A-Za-z]/.test(text[i + 1] ?? '')) {
      const e = text.indexOf(']', i);
      const name = e > 0 ? text.slice(i + 1, e) : '';
      if (/^[A-Za-z.]+$/.test(name)) { out.push({ t: 'type', v: name.toLowerCase(), at }); i = e + 1; continue; }
    }
    if (c === '|') throw new Untranslatable('pipelines are not supported', at);
    if (c === ':' && text[i + 1] === ':') { out.push({ t: 'punct', v: '::', at }); i += 2; continue; }
    if ('(){}[],.+!?:;'.includes(c)) { out.push({ t: 'punct', v: c, at }); i++; continue; }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      // `Verb-Noun` is one word: a command name.
      while (j < n && (/[A-Za-z0-9_]/.test(text[j]) || (text[j] === '-' && /[A-Za-z]/.test(text[j + 1] ?? '')))) j++;
      out.push({ t: 'word', v: text.slice(i, j), at });
      i = j;
      continue;
    }
    throw new Untranslatable(`${JSON.stringify(c)} is not supported here`, at);
  }
  return out;
}

/** JSONata's spelling of a field name: bare when it is an identifier, otherwise in backticks. */
export function fieldRef(name: string, at: number): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !JSONATA_WORDS.has(name)) return name;
  if (name.includes('`')) throw new Untranslatable(`the column name ${JSON.stringify(name)} contains a backtick, which JSONata cannot name`, at);
  return '`' + name + '`';
}
const JSONATA_WORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** A JSONata string literal. */
export function str(s: string): string {
  return JSON.stringify(s);
}

/** A JSONata regex literal `/…/flags` from a .NET pattern (the common subset is the same in both). */
function regex(pattern: string, flags: string, at: number): string {
  if (/\(\?[imnsx-]+[:)]/.test(pattern) || pattern.includes("(?'")) {
    throw new Untranslatable(`the regular expression ${JSON.stringify(pattern)} uses .NET-only syntax`, at);
  }
  if (pattern === '') throw new Untranslatable('an empty regular expression matches everywhere', at);
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) { out += ch + pattern[i + 1]; i++; continue; }
    out += ch === '/' ? '\\/' : ch;
  }
  return `/${out}/${flags}`;
}

/** PowerShell wildcard (`*`, `?`, `[a-z]`) → anchored regex body. */
function wildcard(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === '`' && i + 1 < p.length) { out += escapeRe(p[i + 1]); i++; }
    else if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      const e = p.indexOf(']', i + 1);
      if (e < 0) { out += '\\['; continue; }
      out += '[' + p.slice(i + 1, e).replace(/[\\\]^]/g, '\\$&') + ']';
      i = e;
    } else out += escapeRe(ch);
  }
  return `^${out}$`;
}
function escapeRe(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? '\\' + ch : ch;
}

export function translateScriptblock(body: string, base: number, column: ColumnResolver): Translated {
  const toks = tokenize(body, base);
  if (!toks.length) throw new Untranslatable('the script block is empty', base);
  const p = new ExprParser(toks, column, base + body.length);
  const r = p.statement();
  p.expectEnd();
  return r;
}

const MAX_NESTING = 100;

class ExprParser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly column: ColumnResolver, private readonly endAt: number) {}

  private peek(): Tok | undefined { return this.toks[this.i]; }
  private at(): number { return this.peek()?.at ?? this.endAt; }
  private isPunct(v: string): boolean { const t = this.peek(); return t?.t === 'punct' && t.v === v; }
  private isWord(v: string): boolean { const t = this.peek(); return t?.t === 'word' && t.v.toLowerCase() === v; }
  private eat(v: string): void {
    if (!this.isPunct(v)) throw new Untranslatable(`${JSON.stringify(v)} expected`, this.at());
    this.i++;
  }

  expectEnd(): void {
    while (this.isPunct(';')) this.i++;
    const t = this.peek();
    if (t) throw new Untranslatable(t.t === 'punct' && t.v === '|' ? 'pipelines are not supported' : 'only one expression per script block is supported', t.at);
  }

  /** An `if` statement or an expression. */
  statement(): Translated {
    if (this.isWord('if')) return this.ifStatement();
    return this.expression();
  }

  private ifStatement(): Translated {
    this.i++; // if
    this.eat('(');
    const cond = this.expression();
    this.eat(')');
    const then = this.block();
    let other: Translated | undefined;
    if (this.isWord('elseif')) {
      other = this.ifStatement();
    } else if (this.isWord('else')) {
      this.i++;
      other = this.block();
    }
    const type = other && other.type === then.type ? then.type : other ? 'unknown' : then.type;
    if (!other || other.type === 'null') return { expr: `(${truthy(cond)} ? ${then.expr})`, type };
    return { expr: `(${truthy(cond)} ? ${then.expr} : ${other.expr})`, type };
  }

  private block(): Translated {
    this.eat('{');
    const r = this.statement();
    while (this.isPunct(';')) this.i++;
    this.eat('}');
    return r;
  }

  /** `-and` / `-or`: one precedence level, left to right (unlike JSONata, where `and` binds tighter). */
  expression(): Translated {
    let left = this.comparison();
    for (;;) {
      const t = this.peek();
      if (t?.t !== 'op' || !LOGICAL.has(t.v)) break;
      this.i++;
      const right = this.comparison();
      left = { expr: `(${truthy(left)} ${t.v} ${truthy(right)})`, type: 'bool' };
    }
    if (this.isPunct('?')) {
      this.i++;
      const a = this.expression();
      this.eat(':');
      const b = this.expression();
      left = { expr: `(${truthy(left)} ? ${a.expr} : ${b.expr})`, type: a.type === b.type ? a.type : 'unknown' };
    }
    return left;
  }

  private comparison(): Translated {
    let left = this.additive();
    for (;;) {
      const t = this.peek();
      if (t?.t !== 'op' || !COMPARISONS.has(t.v)) break;
      this.i++;
      const caseSensitive = t.v.startsWith('c');
      const op = t.v.replace(/^[ic](?=[a-z]{2})/, '');
      if (op === 'replace') {
        const pat = this.additive();
        let rep: Translated = { expr: '""', type: 'string' };
        if (this.isPunct(',')) { this.i++; rep = this.additive(); }
        const pattern = literalString(pat, t.at, 'the -replace pattern');
        left = { expr: `$replace(${asString(left)}, ${regex(pattern, caseSensitive ? '' : 'i', t.at)}, ${asString(rep)})`, type: 'string' };
        continue;
      }
      const right = this.additive();
      left = compare(op, left, right, caseSensitive, t.at);
    }
    return left;
  }

  private additive(): Translated {
    let left = this.unary();
    while (this.isPunct('+')) {
      const at = this.at();
      this.i++;
      const right = this.unary();
      if (left.type === 'number' && right.type === 'number') left = { expr: `(${left.expr} + ${right.expr})`, type: 'number' };
      else if (left.type === 'string') left = { expr: `${left.expr} & ${asString(right)}`, type: 'string' };
      else throw new Untranslatable('`+` after a value that is not text is not supported', at);
    }
    return left;
  }

  /** Every nesting (parentheses, casts, `!`, calls) passes through unary(): bound it, or a hostile .psd1 overflows the stack. */
  private depth = 0;

  private unary(): Translated {
    if (this.depth >= MAX_NESTING) throw new Untranslatable(`nested deeper than ${MAX_NESTING} levels`, this.at());
    this.depth++;
    try {
      return this.unaryInner();
    } finally {
      this.depth--;
    }
  }

  private unaryInner(): Translated {
    const t = this.peek();
    if ((t?.t === 'punct' && t.v === '!') || (t?.t === 'op' && t.v === 'not')) {
      this.i++;
      const v = this.unary();
      return { expr: `$not(${truthy(v)})`, type: 'bool' };
    }
    if (t?.t === 'type') {
      this.i++;
      if (this.isPunct('::')) return this.staticCall(t.v, t.at);
      const v = this.unary();
      if (t.v === 'string') return { expr: `$string(${v.expr})`, type: 'string' };
      if (t.v === 'bool' || t.v === 'boolean') return { expr: `$boolean(${v.expr})`, type: 'bool' };
      if (t.v === 'int' || t.v === 'double' || t.v === 'decimal' || t.v === 'long') return { expr: `$number(${v.expr})`, type: 'number' };
      throw new Untranslatable(`the cast [${t.v}] is not supported`, t.at);
    }
    return this.postfix(this.primary());
  }

  private staticCall(type: string, at: number): Translated {
    this.i++; // ::
    const m = this.peek();
    if (m?.t !== 'word') throw new Untranslatable('a method name expected after ::', this.at());
    this.i++;
    const args = this.args();
    const name = `${type}::${m.v.toLowerCase()}`;
    if ((name === 'string::isnullorempty' || name === 'string::isnullorwhitespace') && args.length === 1) {
      const v = name.endsWith('whitespace') ? `$trim(${asString(args[0])})` : asString(args[0]);
      return { expr: `$not($exists(${args[0].expr}) and ${v} != "")`, type: 'bool' };
    }
    throw new Untranslatable(`[${type}]::${m.v} is not supported`, at);
  }

  private args(): Translated[] {
    this.eat('(');
    const out: Translated[] = [];
    if (this.isPunct(')')) { this.i++; return out; }
    for (;;) {
      out.push(this.expression());
      if (this.isPunct(',')) { this.i++; continue; }
      this.eat(')');
      return out;
    }
  }

  private primary(): Translated {
    const t = this.peek();
    if (!t) throw new Untranslatable('an expression was expected', this.endAt);
    this.i++;
    switch (t.t) {
      case 'item': {
        if (!this.isPunct('.')) throw new Untranslatable('$_ is only supported as $_.<column>', t.at);
        this.i++;
        const m = this.peek();
        if (m?.t === 'word' || (m?.t === 'str' && !(m.dq && m.v.includes('$')))) {
          this.i++;
          const name = m.v;
          return { expr: fieldRef(this.column(name, m.at), m.at), type: 'string' };
        }
        throw new Untranslatable('a column name expected after $_.', this.at());
      }
      case 'str':
        return t.dq && t.v.includes('$') ? this.interpolated(t) : { expr: str(t.v), type: 'string' };
      case 'num':
        return { expr: String(t.v), type: 'number' };
      case 'const':
        return t.v === 'null' ? { expr: 'null', type: 'null' } : { expr: t.v, type: 'bool' };
      case 'punct':
        if (t.v === '(') {
          const v = this.statement();
          this.eat(')');
          return { expr: `(${v.expr})`, type: v.type };
        }
        break;
      case 'word':
        if (t.v.toLowerCase() === 'if') { this.i--; return this.ifStatement(); }
        break;
    }
    throw new Untranslatable(`${describe(t)} is not supported here`, t.at);
  }

  /** `"$($_.'First') $($_.'Last')"` → concatenation; any other `$` inside a string is refused. */
  private interpolated(t: Extract<Tok, { t: 'str' }>): Translated {
    const parts: string[] = [];
    const s = t.v;
    let i = 0;
    let lit = '';
    while (i < s.length) {
      if (s[i] === '$' && s[i + 1] === '(') {
        let depth = 0;
        let j = i + 1;
        for (; j < s.length; j++) {
          if (s[j] === '(') depth++;
          else if (s[j] === ')' && --depth === 0) break;
        }
        if (j >= s.length) throw new Untranslatable('unclosed $( in a string', t.at);
        if (lit) parts.push(str(lit));
        lit = '';
        const inner = translateScriptblock(s.slice(i + 2, j), t.at, this.column);
        parts.push(asString(inner));
        i = j + 1;
        continue;
      }
      if (s[i] === '$') throw new Untranslatable('variables inside a string are not supported (use $($_.\'Column\'))', t.at);
      lit += s[i++];
    }
    if (lit) parts.push(str(lit));
    return { expr: parts.length === 1 ? parts[0] : `(${parts.join(' & ')})`, type: 'string' };
  }

  private postfix(v: Translated): Translated {
    for (;;) {
      if (this.isPunct('.')) {
        const at = this.at();
        this.i++;
        const m = this.peek();
        if (m?.t !== 'word') throw new Untranslatable('a member name expected after .', this.at());
        this.i++;
        const name = m.v.toLowerCase();
        if (name === 'length' && !this.isPunct('(')) { v = { expr: `$length(${asString(v)})`, type: 'number' }; continue; }
        const args = this.isPunct('(') ? this.args() : undefined;
        if (!args) throw new Untranslatable(`the property .${m.v} is not supported`, at);
        v = method(name, v, args, at);
        continue;
      }
      if (this.isPunct('[')) {
        const at = this.at();
        this.i++;
        const idx = this.peek();
        if (idx?.t !== 'num') throw new Untranslatable('only a number index is supported', at);
        this.i++;
        this.eat(']');
        v = { expr: `${wrap(v.expr)}[${idx.v}]`, type: v.type === 'unknown' ? 'string' : 'string' };
        continue;
      }
      return v;
    }
  }
}

function method(name: string, v: Translated, args: Translated[], at: number): Translated {
  const s = asString(v);
  const lit = (k: number) => literalString(args[k], at, `the argument of .${name}()`);
  switch (`${name}/${args.length}`) {
    case 'trim/0': return { expr: `$trim(${s})`, type: 'string' };
    case 'tolower/0': case 'tolowerinvariant/0': return { expr: `$lowercase(${s})`, type: 'string' };
    case 'toupper/0': case 'toupperinvariant/0': return { expr: `$uppercase(${s})`, type: 'string' };
    case 'tostring/0': return { expr: `$string(${v.expr})`, type: 'string' };
    case 'substring/1': return { expr: `$substring(${s}, ${args[0].expr})`, type: 'string' };
    case 'substring/2': return { expr: `$substring(${s}, ${args[0].expr}, ${args[1].expr})`, type: 'string' };
    case 'replace/2': return { expr: `$replace(${s}, ${str(lit(0))}, ${asString(args[1])})`, type: 'string' };
    case 'split/1': return { expr: `$split(${s}, ${str(lit(0))})`, type: 'unknown' };
    case 'contains/1': return { expr: `$contains(${s}, ${str(lit(0))})`, type: 'bool' };
    case 'startswith/1': { const p = lit(0); return { expr: `($substring(${s}, 0, ${p.length}) = ${str(p)})`, type: 'bool' }; }
    case 'endswith/1': { const p = lit(0); return { expr: `($substring(${s}, -${p.length}) = ${str(p)})`, type: 'bool' }; }
  }
  throw new Untranslatable(`the method .${name}() with ${args.length} argument(s) is not supported`, at);
}

/** PowerShell comparison with a text left operand: the right one becomes text; `i` forms ignore case. */
function compare(op: string, l: Translated, r: Translated, caseSensitive: boolean, at: number): Translated {
  if (op === 'like' || op === 'notlike' || op === 'match' || op === 'notmatch') {
    const p = literalString(r, at, `the -${op} pattern`);
    const re = regex(op.endsWith('like') ? wildcard(p) : p, caseSensitive ? '' : 'i', at);
    const m = `$contains(${asString(l)}, ${re})`;
    return { expr: op.startsWith('not') ? `$not(${m})` : m, type: 'bool' };
  }
  if (r.type === 'null' || l.type === 'null') {
    const other = r.type === 'null' ? l : r;
    const e = `$exists(${other.expr})`;
    if (op === 'eq') return { expr: `$not(${e})`, type: 'bool' };
    if (op === 'ne') return { expr: e, type: 'bool' };
    throw new Untranslatable(`-${op} with $null is not supported`, at);
  }
  if (l.type === 'bool' || l.type === 'number') {
    if (op !== 'eq' && op !== 'ne') throw new Untranslatable(`-${op} after a ${l.type} is not supported`, at);
    const rr = l.type === 'bool' ? `$boolean(${r.expr})` : `$number(${r.expr})`;
    const e = `(${l.expr} = ${rr})`;
    return { expr: op === 'ne' ? `$not${e}` : e, type: 'bool' };
  }
  const fold = (x: Translated): string => {
    if (x.type === 'string' && /^"(?:[^"\\]|\\.)*"$/.test(x.expr)) return caseSensitive ? x.expr : str(JSON.parse(x.expr).toLowerCase());
    if (x.type === 'number') return str(x.expr);
    return caseSensitive ? asString(x) : `$lowercase(${asString(x)})`;
  };
  const a = fold(l);
  const b = fold(r);
  const sym: Record<string, string> = { eq: '=', ne: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };
  const e = `(${a} ${sym[op]} ${b})`;
  // `!=` is false when a side is missing in JSONata, true in PowerShell: say "not equal" as not(=).
  return { expr: op === 'ne' ? `$not${e}` : e, type: 'bool' };
}

function literalString(v: Translated, at: number, what: string): string {
  if (v.type === 'string' && /^"(?:[^"\\]|\\.)*"$/.test(v.expr)) return JSON.parse(v.expr);
  if (v.type === 'number') return v.expr;
  throw new Untranslatable(`${what} must be a literal string`, at);
}

function asString(v: Translated): string {
  return v.type === 'string' ? v.expr : `$string(${v.expr})`;
}

/** Truthiness as PowerShell sees it for the values a CSV yields (text: empty is false; booleans as they are). */
function truthy(v: Translated): string {
  return v.type === 'bool' ? v.expr : `$boolean(${v.expr})`;
}

function wrap(e: string): string {
  return /^[A-Za-z_`$][\w`$ ]*$/.test(e) || e.startsWith('(') ? e : `(${e})`;
}

function describe(t: Tok): string {
  switch (t.t) {
    case 'word': return t.v.includes('-') ? `the command ${t.v}` : `the word ${JSON.stringify(t.v)}`;
    case 'punct': return JSON.stringify(t.v);
    case 'op': return `-${t.v}`;
    case 'type': return `[${t.v}]`;
    default: return 'this';
  }
}
