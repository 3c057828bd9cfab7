/**
 * Maps character offsets inside a YAML scalar's *value* back to offsets in the document text, so that a
 * JSONata error at value offset 12 is underlined at the right spot even through quotes, escapes, folding
 * and block indentation. Each YAML style is decoded here alongside the map; the decoded string is then
 * compared with the value the `yaml` parser produced, and on any disagreement (an exotic construct this
 * decoder does not model) we fall back to a greedy alignment that is never out of the scalar's bounds.
 */

export interface OffsetMap {
  /** Document offset of value offset `i` (0 ≤ i ≤ value.length; `value.length` maps to the end). */
  toDocument(i: number): number;
}

interface Decoded {
  text: string;
  offsets: number[];
}

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

/**
 * @param value   the scalar value as the YAML parser decoded it
 * @param source  the raw source text of the scalar (for block scalars: the content lines after the header)
 * @param start   document offset of `source[0]`
 * @param style   the YAML scalar style
 * @param header  block scalar header (`|`, `>-`, `|2+` …)
 */
export function scalarOffsetMap(value: string, source: string, start: number, style: ScalarStyle, header = ''): OffsetMap {
  let decoded: Decoded | undefined;
  try {
    decoded = decode(source, style, header);
  } catch {
    decoded = undefined;
  }
  const offsets = decoded && decoded.text === value ? decoded.offsets : greedyAlign(value, source);
  const end = start + source.trimEnd().length; // not /\s+$/ (quadratic on long runs of spaces)
  return {
    toDocument(i: number): number {
      if (i < 0) return start + (offsets[0] ?? 0);
      if (i >= offsets.length) {
        // Just past the last character: one past its source position (keeps zero-length ranges at the end).
        return offsets.length ? Math.min(start + offsets[offsets.length - 1] + 1, Math.max(end, start)) : start;
      }
      return start + offsets[i];
    },
  };
}

function decode(source: string, style: ScalarStyle, header: string): Decoded {
  switch (style) {
    case 'PLAIN':
      return decodeFlow(source, 0, source.length, false, false);
    case 'QUOTE_SINGLE':
      return decodeFlow(source, 1, source.length - 1, true, false);
    case 'QUOTE_DOUBLE':
      return decodeFlow(source, 1, source.length - 1, false, true);
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return decodeBlock(source, style === 'BLOCK_FOLDED', header);
  }
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** Plain and quoted flow scalars: line folding plus the quote style's escapes. */
function decodeFlow(src: string, from: number, to: number, single: boolean, double: boolean): Decoded {
  const text: string[] = [];
  const offsets: number[] = [];
  const push = (s: string, at: number) => {
    for (let k = 0; k < s.length; k++) {
      text.push(s[k]);
      offsets.push(at);
    }
  };
  let i = from;
  while (i < to) {
    const c = src[i];
    if (c === '\n' || c === '\r') {
      // Line folding: drop trailing blanks already pushed, count line breaks, skip leading blanks.
      while (text.length && isBlank(text[text.length - 1]) && !trailingEscaped(offsets, src)) {
        text.pop();
        offsets.pop();
      }
      const breakAt = i;
      let breaks = 0;
      while (i < to && (src[i] === '\n' || src[i] === '\r' || isBlank(src[i]))) {
        if (src[i] === '\n') breaks++;
        i++;
      }
      if (breaks <= 1) push(' ', breakAt);
      else for (let k = 1; k < breaks; k++) push('\n', breakAt);
      continue;
    }
    if (single && c === "'" && src[i + 1] === "'") {
      push("'", i);
      i += 2;
      continue;
    }
    if (double && c === '\\') {
      const n = src[i + 1];
      if (n === '\n' || n === '\r') {
        // Escaped line break: joins the lines with nothing in between.
        i += 2;
        if (src[i - 1] === '\r' && src[i] === '\n') i++;
        while (i < to && isBlank(src[i])) i++;
        continue;
      }
      const simple: Record<string, string> = {
        '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
        ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
      };
      if (n !== undefined && n in simple) {
        push(simple[n], i);
        i += 2;
        continue;
      }
      const hexLen = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
      if (hexLen) {
        const code = parseInt(src.slice(i + 2, i + 2 + hexLen), 16);
        push(String.fromCodePoint(code), i);
        i += 2 + hexLen;
        continue;
      }
      throw new Error('unknown escape');
    }
    push(c, i);
    i++;
  }
  return { text: text.join(''), offsets };
}

// Blanks produced by an escape (`\t`, `\ `) survive folding; those are the ones whose source char is a backslash.
function trailingEscaped(offsets: number[], src: string): boolean {
  const at = offsets[offsets.length - 1];
  return at !== undefined && src[at] === '\\';
}

/** Block scalars: strip the indentation, keep (literal) or fold (folded) line breaks, apply chomping. */
function decodeBlock(src: string, folded: boolean, header: string): Decoded {
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  const explicit = /\d/.exec(header);
  const lines: { start: number; text: string }[] = [];
  let pos = 0;
  for (const raw of src.split('\n')) {
    lines.push({ start: pos, text: raw.replace(/\r$/, '') });
    pos += raw.length + 1;
  }
  if (lines.length && lines[lines.length - 1].text === '' && src.endsWith('\n')) lines.pop();
  let indent = explicit ? Number(explicit[0]) : -1;
  if (indent < 0) {
    const first = lines.find((l) => l.text.trim() !== '');
    indent = first ? first.text.length - first.text.trimStart().length : 0;
  } else {
    // An explicit indicator is relative to the parent's indentation, which we infer from the first line.
    const first = lines.find((l) => l.text.trim() !== '');
    const actual = first ? first.text.length - first.text.trimStart().length : 0;
    indent = Math.min(actual, indent + Math.max(0, actual - indent));
  }
  const text: string[] = [];
  const offsets: number[] = [];
  const content = lines.map((l) => ({ start: l.start + Math.min(indent, l.text.length), text: l.text.slice(indent) }));
  let lastContent = -1;
  content.forEach((l, k) => {
    if (l.text.trim() !== '') lastContent = k;
  });
  const body = content.slice(0, lastContent + 1);
  const trailing = content.length - body.length;
  body.forEach((line, k) => {
    for (let j = 0; j < line.text.length; j++) {
      text.push(line.text[j]);
      offsets.push(line.start + j);
    }
    if (k === body.length - 1) return;
    const next = body[k + 1];
    const lineEnd = line.start + line.text.length;
    const moreIndented = (l: { text: string }) => isBlank(l.text[0]);
    if (folded && line.text !== '' && next.text !== '' && !moreIndented(line) && !moreIndented(next)) {
      text.push(' ');
      offsets.push(lineEnd);
    } else if (folded && line.text !== '' && next.text === '' && !moreIndented(line)) {
      // A folded break followed by empty lines: the break itself disappears, the empty lines stay.
      let m = k + 1;
      while (m < body.length && body[m].text === '') m++;
      if (m < body.length && moreIndented(body[m])) {
        text.push('\n');
        offsets.push(lineEnd);
      }
    } else {
      text.push('\n');
      offsets.push(lineEnd);
    }
  });
  const endOfBody = body.length ? body[body.length - 1].start + body[body.length - 1].text.length : 0;
  if (body.length && chomp !== 'strip') {
    text.push('\n');
    offsets.push(endOfBody);
  }
  if (chomp === 'keep') {
    for (let k = 0; k < trailing; k++) {
      text.push('\n');
      offsets.push(endOfBody);
    }
  }
  return { text: text.join(''), offsets };
}

/** Last resort: match each value character to the next equal source character, never moving backwards. */
function greedyAlign(value: string, source: string): number[] {
  const offsets: number[] = [];
  let cursor = 0;
  for (const ch of value) {
    let found = -1;
    for (let j = cursor; j < Math.min(source.length, cursor + 12); j++) {
      if (source[j] === ch) {
        found = j;
        break;
      }
    }
    const at = found >= 0 ? found : Math.min(cursor, Math.max(0, source.length - 1));
    for (let u = 0; u < ch.length; u++) offsets.push(at);
    cursor = found >= 0 ? found + 1 : cursor;
  }
  return offsets;
}
