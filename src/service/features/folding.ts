/** Folding: top-level sections, nested blocks (source, extensions), multi-line values and comment runs. */
import { FoldingRange, FoldingRangeKind } from 'vscode-languageserver-types';
import type { FeatureContext } from '../context';
import { topLevelSections } from './sections';
import { splitLines } from './yamlContext';

export function doFoldingRanges(ctx: FeatureContext): FoldingRange[] {
  const text = ctx.document.getText();
  const lines = splitLines(text);
  const out: FoldingRange[] = [];
  const add = (startLine: number, endLine: number, kind?: string) => {
    if (endLine > startLine && !out.some((f) => f.startLine === startLine)) out.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };
  for (const s of topLevelSections(text, lines)) add(s.startLine, s.endLine);
  // Any non-blank line followed by more indented lines: nested maps and multi-line values alike.
  lines.forEach((l, i) => {
    if (l.blank || l.comment) return;
    let end = i;
    for (let j = i + 1; j < lines.length; j++) {
      const n = lines[j];
      if (n.blank) continue;
      if (n.indent <= l.indent && !n.comment) break;
      if (n.indent <= l.indent) break;
      end = j;
    }
    if (l.indent > 0) add(i, end);
  });
  // Runs of full-line comments.
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].comment) continue;
    let j = i;
    while (j + 1 < lines.length && lines[j + 1].comment) j++;
    add(i, j, FoldingRangeKind.Comment);
    i = j;
  }
  return out.sort((a, b) => a.startLine - b.startLine);
}
