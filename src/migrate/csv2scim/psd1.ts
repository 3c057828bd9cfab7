/**
 * A located parser for the PowerShell data-file subset CSV2SCIM's AttributeMapping.psd1 uses: hashtables `@{}`,
 * arrays `@()` and comma lists, single- and double-quoted strings, here-strings, numbers, `$true`/`$false`/`$null`,
 * script blocks `{ … }` (kept as raw text for scriptblock.ts) and `#` / `<# #>` comments.
 * It never evaluates anything: a mapping file from somebody else is data.
 * Every scan is a single forward pass (no backtracking), so hostile input costs linear time.
 */

export interface Span { start: number; end: number }

export type PsValue =
  | { kind: 'hashtable'; entries: PsEntry[]; span: Span }
  | { kind: 'array'; items: PsValue[]; span: Span; /** a bare `a, b` list, not `@()` */ comma?: true }
  | { kind: 'string'; value: string; span: Span; expandable: boolean }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'null'; span: Span }
  | { kind: 'scriptblock'; text: string; span: Span; bodyStart: number };

export interface PsEntry {
  key: string;
  keySpan: Span;
  value: PsValue;
  /** Comments directly above the entry (without `#`), kept for the output. */
  comments: string[];
}

export class Psd1Error extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

/** Nesting bound: a data file deeper than this is refused rather than recursed into. */
const MAX_DEPTH = 64;

export function parsePsd1(text: string): PsValue {
  const p = new Parser(text.replace(/^\uFEFF/, ''));
  p.skipTrivia();
  const v = p.value(0);
  p.skipTrivia();
  if (!p.eof()) throw new Psd1Error(`unexpected ${JSON.stringify(p.peekText())} after the top-level value`, p.pos);
  return v;
}

/** Offset → 1-based line and column, for messages that name a place in the .psd1 file. */
/**
 * `lineCol` for many offsets of one text: the line starts are found once, each lookup is a binary search (one
 * `lineCol` per diagnostic rescans the text from the start: quadratic on a .psd1 with 20,000 findings).
 */
export function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    const o = Math.min(Math.max(offset, 0), text.length);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  };
}

export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: offset - last };
}

class Parser {
  pos = 0;
  /** Comment lines seen since the last value, attached to the next hashtable entry. */
  private pending: string[] = [];
  constructor(readonly text: string) {}

  eof(): boolean { return this.pos >= this.text.length; }
  peekText(): string { return this.text.slice(this.pos, this.pos + 12); }

  /** Skips spaces, tabs and comments; newlines too unless `stopAtNewline` (they separate entries). */
  skipTrivia(stopAtNewline = false): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') this.pos++;
      else if (c === '\n') { if (stopAtNewline) return; this.pos++; }
      else if (c === '`' && (t[this.pos + 1] === '\n' || (t[this.pos + 1] === '\r' && t[this.pos + 2] === '\n'))) this.pos += t[this.pos + 1] === '\n' ? 2 : 3;
      else if (c === '<' && t[this.pos + 1] === '#') {
        const end = t.indexOf('#>', this.pos + 2);
        if (end < 0) throw new Psd1Error('block comment `<#` is never closed with `#>`', this.pos);
        for (const line of t.slice(this.pos + 2, end).split('\n')) if (line.trim()) this.pending.push(line.trim());
        this.pos = end + 2;
      } else if (c === '#') {
        let end = t.indexOf('\n', this.pos);
        if (end < 0) end = t.length;
        this.pending.push(t.slice(this.pos + 1, end).trim());
        this.pos = end;
      } else return;
    }
  }

  private takeComments(): string[] {
    const c = this.pending;
    this.pending = [];
    return c;
  }

  value(depth: number): PsValue {
    if (depth > MAX_DEPTH) throw new Psd1Error(`nested deeper than ${MAX_DEPTH} levels`, this.pos);
    const first = this.single(depth);
    // A comma list `'a', 'b'` is an array in PowerShell.
    this.skipTrivia(true);
    if (this.text[this.pos] !== ',') return first;
    const items = [first];
    while (this.text[this.pos] === ',') {
      this.pos++;
      this.skipTrivia();
      items.push(this.single(depth));
      this.skipTrivia(true);
    }
    return { kind: 'array', items, span: { start: first.span.start, end: items[items.length - 1].span.end }, comma: true };
  }

  private single(depth: number): PsValue {
    const t = this.text;
    const start = this.pos;
    const c = t[start];
    if (c === '@' && t[start + 1] === '{') return this.hashtable(depth);
    if (c === '@' && t[start + 1] === '(') return this.array(depth);
    if (c === '@' && (t[start + 1] === "'" || t[start + 1] === '"')) return this.hereString();
    if (c === "'") return this.singleQuoted();
    if (c === '"') return this.doubleQuoted();
    if (c === '{') return this.scriptblock();
    if (c === '$') {
      const m = /^\$(true|false|null)\b/i.exec(t.slice(start, start + 7));
      if (!m) throw new Psd1Error('a variable is not allowed in a data file (only $true, $false and $null)', start);
      this.pos += m[0].length;
      const w = m[1].toLowerCase();
      const span = { start, end: this.pos };
      return w === 'null' ? { kind: 'null', span } : { kind: 'bool', value: w === 'true', span };
    }
    const num = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/i.exec(t.slice(start, start + 64));
    if (num) {
      this.pos += num[0].length;
      return { kind: 'number', value: Number(num[0]), span: { start, end: this.pos } };
    }
    if (this.eof()) throw new Psd1Error('a value is missing at the end of the file', start);
    throw new Psd1Error(`a value was expected, not ${JSON.stringify(this.peekText())} (strings need quotes in a data file)`, start);
  }

  private hashtable(depth: number): PsValue {
    const t = this.text;
    const start = this.pos;
    this.pos += 2;
    const entries: PsEntry[] = [];
    this.takeComments();
    for (;;) {
      this.skipTrivia();
      while (t[this.pos] === ';') { this.pos++; this.skipTrivia(); }
      if (this.eof()) throw new Psd1Error('hashtable `@{` is never closed with `}`', start);
      if (t[this.pos] === '}') { this.pos++; break; }
      const comments = this.takeComments();
      const keyStart = this.pos;
      const key = this.key();
      const keySpan = { start: keyStart, end: this.pos };
      this.skipTrivia(true);
      if (t[this.pos] !== '=') throw new Psd1Error(`\`=\` expected after the key ${JSON.stringify(key)}`, this.pos);
      this.pos++;
      this.skipTrivia();
      const value = this.value(depth + 1);
      entries.push({ key, keySpan, value, comments });
      this.skipTrivia(true);
      const sep = t[this.pos];
      if (sep === ';' || sep === '\n') this.pos++;
      else if (sep !== '}' && !this.eof() && sep !== '#' && !(sep === '<' && t[this.pos + 1] === '#')) {
        throw new Psd1Error(`\`;\`, a new line or \`}\` expected after the value of ${JSON.stringify(key)}`, this.pos);
      }
    }
    return { kind: 'hashtable', entries, span: { start, end: this.pos } };
  }

  private key(): string {
    const t = this.text;
    const c = t[this.pos];
    if (c === "'") { const v = this.singleQuoted(); return (v as { value: string }).value; }
    if (c === '"') { const v = this.doubleQuoted(); return (v as { value: string }).value; }
    const start = this.pos;
    // A bare key runs to whitespace or `=`; PowerShell allows letters, digits, `_`, `-`, `.`, `:` there.
    while (this.pos < t.length && /[A-Za-z0-9_\-.:]/.test(t[this.pos])) this.pos++;
    if (this.pos === start) throw new Psd1Error(`a key was expected, not ${JSON.stringify(this.peekText())}`, start);
    return t.slice(start, this.pos);
  }

  private array(depth: number): PsValue {
    const t = this.text;
    const start = this.pos;
    this.pos += 2;
    const items: PsValue[] = [];
    for (;;) {
      this.skipTrivia();
      while (t[this.pos] === ',' || t[this.pos] === ';') { this.pos++; this.skipTrivia(); }
      if (this.eof()) throw new Psd1Error('array `@(` is never closed with `)`', start);
      if (t[this.pos] === ')') { this.pos++; break; }
      const v = this.value(depth + 1);
      if (v.kind === 'array' && v.comma) items.push(...v.items); // `@('a', 'b')`: one list
      else items.push(v);
    }
    this.takeComments();
    return { kind: 'array', items, span: { start, end: this.pos } };
  }

  private singleQuoted(): PsValue {
    const t = this.text;
    const start = this.pos;
    let out = '';
    let i = start + 1;
    for (;;) {
      const q = t.indexOf("'", i);
      if (q < 0) throw new Psd1Error("string is never closed with '", start);
      out += t.slice(i, q);
      if (t[q + 1] === "'") { out += "'"; i = q + 2; continue; }
      this.pos = q + 1;
      return { kind: 'string', value: out, span: { start, end: this.pos }, expandable: false };
    }
  }

  private doubleQuoted(): PsValue {
    const t = this.text;
    const start = this.pos;
    let out = '';
    let expandable = false;
    let i = start + 1;
    while (i < t.length) {
      const c = t[i];
      if (c === '"') {
        if (t[i + 1] === '"') { out += '"'; i += 2; continue; }
        this.pos = i + 1;
        return { kind: 'string', value: out, span: { start, end: this.pos }, expandable };
      }
      if (c === '`' && i + 1 < t.length) {
        const e = t[i + 1];
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '0' ? '\0' : e;
        i += 2;
        continue;
      }
      if (c === '$') expandable = true;
      out += c;
      i++;
    }
    throw new Psd1Error('string is never closed with "', start);
  }

  private hereString(): PsValue {
    const t = this.text;
    const start = this.pos;
    const q = t[start + 1];
    const close = `\n${q}@`;
    const bodyStart = t.indexOf('\n', start) + 1;
    const end = t.indexOf(close, bodyStart - 1);
    if (bodyStart <= 0 || end < 0) throw new Psd1Error(`here-string @${q} is never closed with ${q}@ at the start of a line`, start);
    const value = t.slice(bodyStart, end).replace(/\r$/, '');
    this.pos = end + close.length;
    return { kind: 'string', value, span: { start, end: this.pos }, expandable: q === '"' && value.includes('$') };
  }

  /** `{ … }`: the body is kept as text; braces inside strings and comments do not count. */
  private scriptblock(): PsValue {
    const t = this.text;
    const start = this.pos;
    let depth = 0;
    let i = start;
    while (i < t.length) {
      const c = t[i];
      if (c === "'" ) { const q = this.skipQuoted(i, "'"); i = q; continue; }
      if (c === '"') { const q = this.skipQuoted(i, '"'); i = q; continue; }
      if (c === '#' ) { const nl = t.indexOf('\n', i); i = nl < 0 ? t.length : nl; continue; }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          this.pos = i + 1;
          return { kind: 'scriptblock', text: t.slice(start + 1, i), span: { start, end: this.pos }, bodyStart: start + 1 };
        }
      }
      i++;
    }
    throw new Psd1Error('script block `{` is never closed with `}`', start);
  }

  /** Index just past a quoted string starting at `i` (doubled quotes and backtick escapes inside). */
  private skipQuoted(i: number, q: string): number {
    const t = this.text;
    let j = i + 1;
    while (j < t.length) {
      if (q === '"' && t[j] === '`') { j += 2; continue; }
      if (t[j] === q) {
        if (t[j + 1] === q) { j += 2; continue; }
        return j + 1;
      }
      j++;
    }
    throw new Psd1Error(`string is never closed with ${q}`, i);
  }
}
