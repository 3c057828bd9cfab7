/**
 * Edits to YAML values that keep the file valid: a JSONata expression is edited in place when its quoting
 * style allows it, and rewritten single-quoted when the new text could not stand as a plain scalar.
 */
import type { ExpressionSource } from '../../engine/mapping/model';

export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** Whether `v` must be quoted to be read back as this string by a YAML parser (block context). */
export function needsQuotes(v: string): boolean {
  if (v === '' || v !== v.trim() || /[\n\r\t]/.test(v)) return true;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(v)) return true;
  // `#` only starts a comment after a blank, but quoting every `#` keeps edits obviously safe.
  if (/: |:$|#/.test(v)) return true;
  // Would be read as null (an empty mapping) instead of an expression.
  return /^(null|Null|NULL|~)$/.test(v);
}

/** `v` as a YAML scalar: plain when possible, else single-quoted (quotes doubled). */
export function yamlScalar(v: string): string {
  return needsQuotes(v) ? `'${v.replace(/'/g, "''")}'` : v;
}

type Style = 'plain' | 'single' | 'double' | 'block';

function styleOf(text: string, at: number): Style {
  const c = text[at];
  return c === "'" ? 'single' : c === '"' ? 'double' : c === '|' || c === '>' ? 'block' : 'plain';
}

/**
 * Document edits that apply `edits` (offsets into the expression's value, sorted, not overlapping) to an
 * expression written in any YAML style.
 */
export function editExpression(docText: string, source: ExpressionSource, edits: OffsetEdit[]): OffsetEdit[] {
  const style = styleOf(docText, source.start);
  const value = applyEdits(source.text, edits);
  const inPlace = (escape: (s: string) => string): OffsetEdit[] =>
    edits.map((e) => {
      const s = source.map.toDocument(e.start);
      const end = e.end > e.start ? source.map.toDocument(e.end - 1) + 1 : s;
      return { start: s, end, text: escape(e.text) };
    });
  const multiLine = edits.some((e) => /[\n\r]/.test(e.text));
  if (style === 'single' && !multiLine) return inPlace((s) => s.replace(/'/g, "''"));
  if (style === 'double' && !multiLine) return inPlace((s) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"'));
  if (style === 'block' && !multiLine) return inPlace((s) => s);
  if (style === 'plain' && !multiLine && !needsQuotes(value.trim())) return inPlace((s) => s);
  return [{ start: source.start, end: source.end, text: yamlScalar(value.trim()) }];
}

export function applyEdits(text: string, edits: OffsetEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The value range without surrounding white space (a block scalar's value ends with a line break). */
export function trimmedRange(text: string): { start: number; end: number } {
  const start = text.length - text.trimStart().length;
  return { start, end: Math.max(start, text.trimEnd().length) };
}
