/** Inline values: after each mapping, the value it produces for the selected sample record (or its error). */
import { InlayHint, Range } from 'vscode-languageserver-types';
import type { FeatureContext } from '../context';
import { truncate } from './describe';

const MAX = 40;

export function doInlayHints(ctx: FeatureContext, range: Range): InlayHint[] {
  const record = ctx.record;
  if (!record) return [];
  const from = ctx.document.offsetAt(range.start);
  const to = ctx.document.offsetAt(range.end);
  const out: InlayHint[] = [];
  for (const m of ctx.analysis.mappings) {
    const key = m.entry.key.value;
    const v = m.entry.value;
    const at = v.kind === 'expression' ? v.expression.end : v.kind === 'constant' ? v.span.end : m.entry.key.end;
    if (at < from || at > to) continue;
    const position = ctx.document.positionAt(at);
    const where = `record ${record.index + 1}${record.key ? ` (${record.key})` : ''}`;
    if (Object.prototype.hasOwnProperty.call(record.errors, key)) {
      const message = record.errors[key];
      out.push({ position, label: `⚠ ${truncate(message, MAX + 20)}`, paddingLeft: true, tooltip: `${where}: ${message}` });
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(record.values, key)) continue;
    const value = record.values[key];
    if (value === undefined) continue;
    const shown = JSON.stringify(value) ?? String(value);
    out.push({ position, label: `→ ${truncate(shown, MAX)}`, paddingLeft: true, tooltip: `${where}: ${JSON.stringify(value, null, 2)}` });
  }
  return out;
}
