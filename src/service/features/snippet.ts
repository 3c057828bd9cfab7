/**
 * LSP snippet text (the TextMate-like grammar of the LSP spec): escaping literal text, and the plain text a
 * snippet stands for, for clients that declared no `snippetSupport`.
 */

/** Literal text inside a snippet: `$`, `}` and `\` escaped (so `$lowercase` is not read as a variable). */
export function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/** One option of a `${1|a,b|}` choice: `,`, `|` and `\` escaped as well. */
export function escapeChoice(text: string): string {
  return text.replace(/[$}\\,|]/g, (c) => `\\${c}`);
}

/**
 * The text a snippet inserts with every placeholder at its default: `${1:x}` → `x`, `${1|a,b|}` → `a`,
 * `$1`/`${1}` → nothing, `\$` → `$`. One pass over the text (placeholders nest).
 */
export function snippetToPlain(snippet: string): string {
  let i = 0;
  const parse = (stopAt: string): string => {
    let out = '';
    while (i < snippet.length) {
      const c = snippet[i];
      if (c === '\\' && i + 1 < snippet.length) {
        out += snippet[i + 1];
        i += 2;
      } else if (stopAt.includes(c)) {
        return out;
      } else if (c === '$') {
        out += dollar();
      } else {
        out += c;
        i++;
      }
    }
    return out;
  };
  const name = (): string => {
    const start = i;
    while (i < snippet.length && /\w/.test(snippet[i])) i++;
    return snippet.slice(start, i);
  };
  const dollar = (): string => {
    i++; // $
    if (snippet[i] !== '{') {
      const n = name();
      return n === '' ? '$' : ''; // $1, $name: tab stop or variable, nothing to insert
    }
    i++; // {
    name();
    let value = '';
    if (snippet[i] === ':') {
      i++;
      value = parse('}');
    } else if (snippet[i] === '|') {
      i++;
      value = parse(',|');
      while (i < snippet.length && snippet[i] !== '|') {
        i++;
        parse(',|');
      }
      i++; // closing |
    }
    if (snippet[i] === '}') i++;
    return value;
  };
  return parse('');
}
