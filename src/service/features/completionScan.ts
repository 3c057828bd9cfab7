/**
 * Linear scans that replace regular expressions on the text before the cursor (which can be a 200,000-character
 * line in a hostile mapping): each one documents the regex it stands for and why that regex was quadratic.
 */

const IDENT_TAIL = /[\w$-]/;
const isIdentTail = (ch: string) => IDENT_TAIL.test(ch);
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * `emails[type eq "work"].va` → `['emails', '[type eq "work"]', 'va']`; what `/^(.*?)(\[[^\]]*\])\.([\w$-]*)$/`
 * matched. That regex retries `[^\]]*` from every `[` (a line of 200,000 `[` is quadratic).
 */
export function splitElementTail(p: string): [head: string, filter: string, word: string] | undefined {
  let w = p.length;
  while (w > 0 && isIdentTail(p[w - 1])) w--;
  const close = w - 2; // the ']' before the '.'
  if (close < 0 || p[w - 1] !== '.' || p[close] !== ']') return undefined;
  const prevClose = p.lastIndexOf(']', close - 1);
  const open = p.indexOf('[', prevClose + 1);
  if (open < 0 || open > close) return undefined;
  const head = p.slice(0, open);
  if (LINE_BREAK.test(head)) return undefined; // '.' in the regex did not cross lines
  return [head, p.slice(open, close + 1), p.slice(w)];
}

/** Whether the filter `[name eq …]` starts with `name` (ignoring case) followed by white space. */
export function filterStartsWith(filter: string, name: string): boolean {
  const inner = filter.slice(1).trimStart();
  return inner.slice(0, name.length).toLowerCase() === name.toLowerCase() && /^\s/.test(inner.slice(name.length, name.length + 1));
}

/**
 * Parameter lists of the `function(...)` definitions in `text`; what `/function\s*\(([^)]*)\)/g` found. The regex
 * rescans to the end from every `function(` when no `)` follows (quadratic); here one missing `)` ends the scan.
 */
export function functionParamLists(text: string): string[] {
  const out: string[] = [];
  let at = text.indexOf('function');
  while (at >= 0) {
    let i = at + 'function'.length;
    while (i < text.length && /\s/.test(text[i])) i++;
    let next = at + 1;
    if (text[i] === '(') {
      const close = text.indexOf(')', i + 1);
      if (close < 0) break;
      out.push(text.slice(i + 1, close));
      next = close + 1;
    }
    at = text.indexOf('function', next);
  }
  return out;
}
