/**
 * Expressions that YAML misreads because they are not quoted. JSONata's `? :`, `{"a": 1}`, `[…]`, a leading
 * `"…"` or backtick, and ` #` inside a string all mean something else to YAML: the value becomes a nested
 * mapping, a list, a quoted string followed by junk, or is cut short by a comment. Instead of the YAML parser's
 * cryptic errors the user gets one diagnostic, `unquoted-expression`, on the value, with the quoted text in
 * `data.replacement` for the quick fix — offered only when the quoted value reads back, through YAML, as exactly
 * the text of the line, and that text is a valid JSONata expression.
 */
import { isMap, isScalar, isSeq, parseDocument, Pair, Node as YamlNode } from 'yaml';
import { compileExpression } from '../jsonata/compile';
import type { EngineDiagnostic } from '../types';

export const UNQUOTED_CODE = 'unquoted-expression';

/**
 * Diagnostics for the misread values among `pairs` (the entries of `mappings:` or `let:`), replacing the ones
 * they explain. Returns the start offsets of the keys whose values were misread (their entries are dropped:
 * what YAML read is not what the user wrote).
 */
export function unquotedExpressions(text: string, pairs: Pair<unknown, unknown>[], diagnostics: EngineDiagnostic[]): Set<number> {
  const flagged = new Set<number>();
  for (const pair of pairs) {
    const key = pair.key as YamlNode | null;
    const keyEnd = key?.range?.[1];
    if (keyEnd === undefined) continue;
    const colon = text.indexOf(':', keyEnd);
    const eol = lineEnd(text, keyEnd);
    if (colon < 0 || colon >= eol) continue;
    let start = colon + 1;
    while (start < eol && (text[start] === ' ' || text[start] === '\t')) start++;
    if (start >= eol) continue; // the value is on the next lines (a block): YAML reads those as written
    const line = trimEndBlanks(text.slice(start, eol));
    const reason = misreading(text, pair.value, start, eol, diagnostics);
    if (!reason) continue;
    const expression = intendedExpression(line);
    if (expression === undefined) continue;
    const end = start + expression.length;
    // One clear diagnostic: drop the YAML and structure errors it explains (they start inside the value).
    for (let i = diagnostics.length - 1; i >= 0; i--) {
      const d = diagnostics[i];
      if ((d.code === 'yaml-syntax' || d.code === 'mapping-structure') && d.start >= start && d.start <= eol) diagnostics.splice(i, 1);
    }
    diagnostics.push({
      code: UNQUOTED_CODE, severity: 'error', start, end,
      message: `YAML reads this value as ${reason}, not as one JSONata expression: quote this expression`,
      data: { replacement: quoteForYaml(expression) },
    });
    // What YAML read is dropped unless it is the intended text (a plain value starting with a back quote is
    // recovered as written: its entry keeps completion, hover and go-to-definition working).
    if (!(isScalar(pair.value) && pair.value.value === expression)) flagged.add(key!.range![0]);
  }
  return flagged;
}

// No regular expressions anchored at the end here: /[ \t]+$/ is quadratic on a long run of blanks.
function trimEndBlanks(s: string): string {
  let e = s.length;
  while (e > 0 && (s[e - 1] === ' ' || s[e - 1] === '\t')) e--;
  return s.slice(0, e);
}

/** The text before a YAML comment (` #` or a tab before `#`), or all of it. */
function beforeComment(s: string): string {
  for (let i = s.indexOf('#'); i >= 0; i = s.indexOf('#', i + 1)) if (i > 0 && (s[i - 1] === ' ' || s[i - 1] === '\t')) return s.slice(0, i);
  return s;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  const e = nl < 0 ? text.length : nl;
  return text[e - 1] === '\r' ? e - 1 : e;
}

/** Why YAML did not read the line as one plain scalar; undefined when it did (or the value is fine as is). */
function misreading(text: string, value: unknown, start: number, eol: number, diagnostics: EngineDiagnostic[]): string | undefined {
  const first = text[start];
  const yamlError = diagnostics.some((d) => d.code === 'yaml-syntax' && d.severity === 'error' && d.start >= start && d.start <= eol);
  // A well-formed flow list or mapping alone on the line is a deliberate YAML value (mapping-structure explains
  // it); with more text after it, or a `: ` inside an expression, YAML fails and it is a misread expression.
  if ((isMap(value) || isSeq(value)) && (value as { flow?: boolean }).flow && !yamlError) return undefined;
  if (isMap(value)) return "a nested mapping (': ' separates a key from a value)";
  if (isSeq(value)) return first === '-' ? 'a list' : 'a list (it starts with [)';
  if (isScalar(value)) {
    const r = value.range;
    if (value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE') {
      return yamlError || (r && r[1] < eol && /\S/.test(beforeComment(text.slice(r[1], eol)))) ? 'a quoted string followed by more text' : undefined;
    }
    if (yamlError) return INDICATORS.includes(first) ? `YAML syntax (a plain value cannot start with ${first})` : 'YAML syntax';
    // A comment that cuts the expression short: ` #` inside a JSONata string.
    if (value.type === 'PLAIN' && typeof value.value === 'string' && r && r[1] < eol && text.slice(r[1], eol).trimStart().startsWith('#')) {
      if (compileExpression(value.value).errors.length > 0) return "text followed by a comment (YAML starts a comment at ' #')";
    }
    return undefined;
  }
  if (!yamlError) return undefined;
  return INDICATORS.includes(first) ? `YAML syntax (a plain value cannot start with ${first})` : 'YAML syntax';
}

/** Characters that YAML gives a meaning at the start of a plain value. */
const INDICATORS = '`@%*&!|>';

/**
 * The longest prefix of the line (the whole line, or the line before one of its ` #` comments) that is a
 * valid JSONata expression.
 */
function intendedExpression(line: string): string | undefined {
  const ends = [line.length];
  for (let i = line.indexOf(' #'); i >= 0 && ends.length < 20; i = line.indexOf(' #', i + 1)) ends.push(i);
  ends.sort((a, b) => b - a);
  for (const e of ends) {
    const candidate = trimEndBlanks(line.slice(0, e));
    if (candidate === '' || compileExpression(candidate).errors.length > 0) continue;
    // The fix must read back as exactly this text.
    if (readBack(quoteForYaml(candidate)) === candidate) return candidate;
  }
  return undefined;
}

/** A single-quoted YAML scalar: only `'` needs escaping (doubled); nothing else is special inside. */
export function quoteForYaml(expression: string): string {
  return `'${expression.replace(/'/g, "''")}'`;
}

function readBack(scalar: string): unknown {
  const doc = parseDocument(`k: ${scalar}\n`);
  if (doc.errors.length) return undefined;
  const v = doc.get('k', true);
  return isScalar(v) ? v.value : undefined;
}
