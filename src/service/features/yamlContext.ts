/**
 * Where the cursor is in the YAML structure, read line by line. The analysis has no node where the user is
 * typing (a key without its colon, an unclosed quote), so completion and signature help classify the place
 * from the raw lines: which section, key or value, and the value text before the cursor.
 */

export interface Line {
  /** Document offset of the first character. */
  start: number;
  /** Text without the line break. */
  text: string;
  indent: number;
  blank: boolean;
  comment: boolean;
}

export function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const t = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const indent = t.length - t.trimStart().length;
    const rest = t.slice(indent);
    out.push({ start, text: t, indent, blank: rest === '', comment: rest.startsWith('#') });
    start += raw.length + 1;
  }
  return out;
}

export interface KeyLine {
  /** Key as written (quotes removed). */
  key: string;
  /** Column of the key's first character and one past its last (incl. quotes). */
  keyStart: number;
  keyEnd: number;
  /** Column of the ':' that ends the key. */
  colon: number;
  /** Column where the value starts (after the blanks following ':'), or the line length. */
  valueStart: number;
  /** Raw value text up to the end of the line. */
  value: string;
}

/** `key: value` on one line; undefined when the line is not (yet) a key line. */
export function parseKeyLine(text: string): KeyLine | undefined {
  let i = text.length - text.trimStart().length;
  const keyStart = i;
  let key: string;
  const q = text[i];
  if (q === '"' || q === "'") {
    let j = i + 1;
    let s = '';
    for (; j < text.length; j++) {
      const c = text[j];
      if (q === "'" && c === "'" && text[j + 1] === "'") { s += "'"; j++; continue; }
      if (q === '"' && c === '\\') { s += text[j + 1] ?? ''; j++; continue; }
      if (c === q) break;
      s += c;
    }
    if (j >= text.length) return undefined;
    key = s;
    i = j + 1;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== ':' || !(i + 1 >= text.length || /\s/.test(text[i + 1]))) return undefined;
    return finish(text, key, keyStart, j + 1, i);
  }
  if (q === undefined || q === '#' || q === '-' && /\s/.test(text[i + 1] ?? ' ')) return undefined;
  for (let j = i; j < text.length; j++) {
    if (text[j] === '#' && j > i && /\s/.test(text[j - 1])) return undefined;
    if (text[j] === ':' && (j + 1 >= text.length || /\s/.test(text[j + 1]))) {
      key = text.slice(i, j).trimEnd();
      if (!key) return undefined;
      return finish(text, key, keyStart, i + key.length, j);
    }
  }
  return undefined;
}

function finish(text: string, key: string, keyStart: number, keyEnd: number, colon: number): KeyLine {
  let v = colon + 1;
  while (v < text.length && (text[v] === ' ' || text[v] === '\t')) v++;
  return { key, keyStart, keyEnd, colon, valueStart: v, value: text.slice(v) };
}

export type ScalarStyle = 'plain' | 'single' | 'double' | 'block';

export type Place =
  | {
      kind: 'key';
      /** Keys of the enclosing mappings, outermost first (`['mappings']`). */
      parents: string[];
      /** Document offset where the key text on this line starts, and the raw text from there to the cursor. */
      start: number;
      prefix: string;
      /** Raw text after the cursor up to the end of the line. */
      suffix: string;
      /** The line already has `key:` (the cursor is inside the key). */
      hasColon: boolean;
      /** Column of the key. */
      indent: number;
    }
  | {
      kind: 'value';
      parents: string[];
      key: string;
      /** Document offset of the key (identifies the entry). */
      keyOffset: number;
      style: ScalarStyle;
      /** The decoded value text before the cursor (best effort through quotes and block indentation). */
      prefix: string;
      /** Raw text after the cursor on this line. */
      suffix: string;
    }
  | { kind: 'none' };

interface Frame {
  indent: number;
  key: string;
  /** Line index of the key. */
  line: number;
  /** The key had a value on its own line. */
  hasValue: boolean;
}

/** Classifies the cursor position. Never throws. */
export function placeAt(text: string, offset: number): Place {
  const lines = splitLines(text);
  let cl = 0;
  while (cl + 1 < lines.length && lines[cl + 1].start <= offset) cl++;
  const cur = lines[cl];
  const col = Math.max(0, Math.min(offset - cur.start, cur.text.length));

  const stack: Frame[] = [];
  /** The frame whose value continues on the following, more indented lines. */
  let open: { frame: Frame; firstLine: number } | undefined;
  for (let li = 0; li < cl; li++) {
    const l = lines[li];
    if (open) {
      if (l.blank || l.indent > open.frame.indent) continue;
      open = undefined;
    }
    if (l.blank || l.comment) continue;
    if (l.indent === 0 && /^(---|\.\.\.)(\s|$)/.test(l.text)) {
      stack.length = 0;
      continue;
    }
    const kl = parseKeyLine(l.text);
    if (!kl) {
      // A scalar that starts on the line after `key:` (e.g. a long expression).
      const top = stack[stack.length - 1];
      if (top && !top.hasValue && l.indent > top.indent && isScalarParent(stack)) open = { frame: top, firstLine: li };
      continue;
    }
    while (stack.length && stack[stack.length - 1].indent >= l.indent) stack.pop();
    const frame: Frame = { indent: l.indent, key: kl.key, line: li, hasValue: kl.value !== '' && !kl.value.startsWith('#') };
    stack.push(frame);
    if (frame.hasValue) open = { frame, firstLine: li };
  }

  const ownIndent = cur.blank ? col : cur.indent;
  if (open && ownIndent > open.frame.indent) return valuePlace(lines, open.frame, open.firstLine, stack, cl, col);
  if (cur.comment && col > cur.indent) return { kind: 'none' };

  const kl = cur.blank ? undefined : parseKeyLine(cur.text);
  while (stack.length && stack[stack.length - 1].indent >= ownIndent) stack.pop();
  // `urn:…:` while typing a URN ends in a colon too: that is still the key.
  const typingUrn = !!kl && col === kl.colon + 1 && kl.value === '' && /^urn(:|$)/i.test(kl.key);
  if (kl && col > kl.colon && !typingUrn) {
    const frame: Frame = { indent: cur.indent, key: kl.key, line: cl, hasValue: true };
    return valuePlace(lines, frame, cl, [...stack, frame], cl, col);
  }
  const parents = stack.map((f) => f.key);
  // Under `mappings:`/`let:` an entry never has nested keys: a deeper line is the entry's value.
  const top = stack[stack.length - 1];
  if (top && isScalarParent(stack) && !kl) return valuePlace(lines, top, cl, stack, cl, col);
  const start = cur.start + Math.min(cur.indent, col);
  return {
    kind: 'key',
    parents,
    start,
    prefix: cur.text.slice(Math.min(cur.indent, col), col),
    suffix: cur.text.slice(col),
    hasColon: !!kl && !typingUrn,
    indent: Math.min(cur.indent, col),
  };
}

/** Whether the innermost frame is an entry of `mappings:` or `let:` (its value is a scalar). */
function isScalarParent(stack: Frame[]): boolean {
  return stack.length === 2 && (stack[0].key === 'mappings' || stack[0].key === 'let') && stack[0].indent === 0;
}

function valuePlace(lines: Line[], frame: Frame, firstLine: number, stack: Frame[], cl: number, col: number): Place {
  const parents = stack.filter((f) => f !== frame).map((f) => f.key);
  const keyLine = lines[frame.line];
  const kl = parseKeyLine(keyLine.text);
  const keyOffset = keyLine.start + (kl?.keyStart ?? keyLine.indent);
  // Raw pieces of the value from its first character to the cursor.
  const pieces: { text: string; line: number }[] = [];
  for (let li = firstLine; li <= cl; li++) {
    const l = lines[li];
    let from = li === frame.line ? (kl?.valueStart ?? l.text.length) : 0;
    const to = li === cl ? col : l.text.length;
    if (li !== frame.line && li === firstLine) from = l.indent;
    pieces.push({ text: l.text.slice(Math.min(from, to), to), line: li });
  }
  const first = pieces.find((p) => p.text.trim() !== '')?.text.trimStart() ?? '';
  const suffix = lines[cl].text.slice(col);
  const base = { kind: 'value' as const, parents, key: frame.key, keyOffset, suffix };
  if (first.startsWith('|') || first.startsWith('>')) {
    // Block scalar: content lines after the header, minus the content indentation.
    const content = pieces.slice(pieces.findIndex((p) => p.text.trim() !== '') + 1);
    const ind = Math.min(...content.filter((p) => p.text.trim() !== '').map((p) => p.text.length - p.text.trimStart().length), 1e9);
    const prefix = content.map((p) => p.text.slice(Math.min(ind, p.text.length - p.text.trimStart().length))).join('\n');
    if (cl === frame.line || pieces.length === 1) return { ...base, style: 'block', prefix: '' };
    return { ...base, style: 'block', prefix };
  }
  const joined = pieces.map((p, k) => (k === 0 ? p.text : p.text.trimStart())).filter((t, k) => k === 0 || t !== '').join(' ').trimStart();
  if (joined.startsWith("'")) {
    const d = decodeSingle(joined.slice(1));
    return d === undefined ? { kind: 'none' } : { ...base, style: 'single', prefix: d };
  }
  if (joined.startsWith('"')) {
    const d = decodeDouble(joined.slice(1));
    return d === undefined ? { kind: 'none' } : { ...base, style: 'double', prefix: d };
  }
  // A ` #` starts a YAML comment in a plain scalar.
  if (/(^|\s)#/.test(joined)) return { kind: 'none' };
  return { ...base, style: 'plain', prefix: joined };
}

/** Body of a single-quoted scalar up to the cursor; undefined when the quote was already closed. */
function decodeSingle(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "'") {
      if (s[i + 1] === "'") { out += "'"; i++; continue; }
      return undefined;
    }
    out += s[i];
  }
  return out;
}

function decodeDouble(s: string): string | undefined {
  let out = '';
  const esc: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', '/': '/' };
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      out += esc[s[i + 1]] ?? s[i + 1] ?? '';
      i++;
      continue;
    }
    if (s[i] === '"') return undefined;
    out += s[i];
  }
  return out;
}
