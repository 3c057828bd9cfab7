/** Top-level sections of the file from its lines (valid or not), for the outline and folding. */
import { parseKeyLine, splitLines, Line } from './yamlContext';

export interface Section {
  key: string;
  /** Line of the key, and the last line that belongs to the section (trailing blanks/comments excluded). */
  startLine: number;
  endLine: number;
  /** Offsets of the key and of the section's end. */
  keyStart: number;
  keyEnd: number;
  end: number;
}

export function topLevelSections(text: string, lines: Line[] = splitLines(text)): Section[] {
  const out: Section[] = [];
  const close = (s: Section | undefined, before: number) => {
    if (!s) return;
    let e = before - 1;
    while (e > s.startLine && (lines[e].blank || lines[e].comment)) e--;
    s.endLine = e;
    s.end = lines[e].start + lines[e].text.length;
  };
  let cur: Section | undefined;
  lines.forEach((l, i) => {
    if (l.blank || l.comment || l.indent > 0) return;
    close(cur, i);
    const kl = parseKeyLine(l.text);
    cur = kl ? { key: kl.key, startLine: i, endLine: i, keyStart: l.start + kl.keyStart, keyEnd: l.start + kl.keyEnd, end: l.start + l.text.length } : undefined;
    if (cur) out.push(cur);
  });
  close(cur, lines.length);
  return out;
}
