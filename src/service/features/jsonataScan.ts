/**
 * A light scan of the JSONata text before the cursor: the parser cannot help on a half-typed expression, but
 * completion and signature help only need to know whether the cursor is in a string or comment, the word being
 * typed, the path before a `.`, and the innermost open call with its argument index.
 */

export interface OpenBracket {
  ch: '(' | '[' | '{';
  /** Offset of the bracket in the scanned text. */
  pos: number;
  /** Commas seen at this bracket's depth. */
  commas: number;
}

export interface PrefixScan {
  /** Inside a string literal, a comment or a regular expression: nothing to complete. */
  inert: boolean;
  /** Open brackets, outermost first. */
  open: OpenBracket[];
  /** The identifier being typed, with its `$` (`$jo`) or opening backtick (`` `First N ``). */
  word: string;
  /** The word follows a `.`: the names of the path before it, or null when that path is not a plain field path. */
  after?: string[] | null;
}

const NAME = /[A-Za-z0-9_\u00C0-\uFFFF]/;

export function scanPrefix(text: string): PrefixScan {
  const open: OpenBracket[] = [];
  let i = 0;
  let lastSignificant = '';
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = skipString(text, i);
      if (end < 0) return { inert: true, open, word: '' };
      i = end;
      lastSignificant = 'x';
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return { inert: false, open, word: text.slice(i), after: pathBefore(text, i) };
      i = end + 1;
      lastSignificant = 'x';
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return { inert: true, open, word: '' };
      i = end + 2;
      continue;
    }
    if (c === '/' && (lastSignificant === '' || /[(,[{:=!<>+\-*/&?~%|]/.test(lastSignificant))) {
      // A regular expression literal (where an operand is expected).
      let j = i + 1;
      while (j < text.length && text[j] !== '/') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return { inert: true, open, word: '' };
      i = j + 1;
      while (i < text.length && /[im]/.test(text[i])) i++;
      lastSignificant = 'x';
      continue;
    }
    if (c === '(' || c === '[' || c === '{') open.push({ ch: c, pos: i, commas: 0 });
    else if (c === ')' || c === ']' || c === '}') open.pop();
    else if (c === ',' && open.length) open[open.length - 1].commas++;
    if (!/\s/.test(c)) lastSignificant = NAME.test(c) || c === '$' ? 'x' : c;
    i++;
  }
  let w = text.length;
  while (w > 0 && NAME.test(text[w - 1])) w--;
  if (w > 0 && text[w - 1] === '$') w--;
  if (w > 0 && text[w - 1] === '$' && text[w] === '$') w--;
  const word = text.slice(w);
  if (/^[0-9]/.test(word)) return { inert: true, open, word: '' };
  const scan: PrefixScan = { inert: false, open, word };
  if (!word.startsWith('$')) {
    const after = pathBefore(text, w);
    if (after !== undefined) scan.after = after;
  }
  return scan;
}

/** End offset (exclusive) of the string starting at `i`, or -1 when it is not closed. */
function skipString(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === '\\') j += 2;
    else if (text[j] === q) return j + 1;
    else j++;
  }
  return -1;
}

/**
 * When the word at `w` follows a `.`: the plain names of the path before it (`Personal.Legal_Name.` →
 * ['Personal', 'Legal_Name']), [] after `$.`, null when the path starts elsewhere (a call, a variable).
 * Undefined when there is no dot.
 */
function pathBefore(text: string, w: number): string[] | null | undefined {
  let i = w - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  if (text[i] !== '.' || text[i - 1] === '.') return undefined;
  const names: string[] = [];
  i--;
  for (;;) {
    while (i >= 0 && /\s/.test(text[i])) i--;
    // Skip predicates and filters: Phones[type = "work"].
    while (i >= 0 && text[i] === ']') {
      let depth = 0;
      for (; i >= 0; i--) {
        if (text[i] === ']') depth++;
        else if (text[i] === '[' && --depth === 0) break;
      }
      i--;
    }
    if (i < 0) return null;
    if (text[i] === '`') {
      const s = text.lastIndexOf('`', i - 1);
      if (s < 0) return null;
      names.push(text.slice(s + 1, i)); // collected backwards (push, not unshift: linear), reversed on return
      i = s - 1;
    } else {
      let s = i;
      while (s >= 0 && NAME.test(text[s])) s--;
      const name = text.slice(s + 1, i + 1);
      if (text[s] === '$') {
        // `$.Name` and `$$.Name` start at the record; any other variable is not a record path.
        return name === '' ? names.reverse() : null;
      }
      if (!name) return null;
      names.push(name);
      i = s;
    }
    while (i >= 0 && /\s/.test(text[i])) i--;
    if (i >= 0 && text[i] === '.' && text[i - 1] !== '.') {
      i--;
      continue;
    }
    return /[)}\w]/.test(text[i] ?? '') ? null : names.reverse();
  }
}

/**
 * The `name` of a `$name` (then white space) that ends at `end`, scanning backwards; what
 * `/\$([A-Za-z_][A-Za-z0-9_]*)\s*$/` matched on `text.slice(0, end)`, without rescanning the text for every
 * open parenthesis (quadratic on `function(function(…`).
 */
function calleeBefore(text: string, end: number): string | undefined {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  const nameEnd = i;
  while (i > 0 && /[A-Za-z0-9_]/.test(text[i - 1])) i--;
  if (i === nameEnd || text[i - 1] !== '$' || !/[A-Za-z_]/.test(text[i])) return undefined;
  return text.slice(i, nameEnd);
}

/** The innermost open call `$name(` before the cursor and the index of the argument being typed. */
export function openCall(text: string, scan: PrefixScan): { name: string; argument: number } | undefined {
  for (let k = scan.open.length - 1; k >= 0; k--) {
    const b = scan.open[k];
    if (b.ch !== '(') continue;
    const name = calleeBefore(text, b.pos);
    if (name) return { name, argument: b.commas };
    // A parenthesised group inside the arguments: keep looking outwards.
  }
  return undefined;
}
