/**
 * "Show failing records in preview": on a diagnostic that counts failing sample records, a code action that opens
 * the preview filtered to those records (the records with an error on the diagnostic's mapping line). The command
 * is the VS Code client's; other editors may ignore it.
 */
import { CodeAction, CodeActionKind, Diagnostic } from 'vscode-languageserver-types';
import type { FeatureContext } from '../context';
import { originOf } from '../origin';

export const SHOW_FAILING_RECORDS = 'scimmap.showFailingRecords';

export interface ShowFailingRecordsArgs {
  uri: string;
  /** Mapping key (or `$name` of a let binding) whose errors to list; absent: every failing record. */
  attribute?: string;
  label?: string;
}

export function recordCodeActions(ctx: FeatureContext, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const seen = new Set<string>();
  for (const d of diagnostics) {
    const data = d.data && typeof d.data === 'object' ? (d.data as Record<string, unknown>) : {};
    // Record-level: an error that says on how many sample records it occurs.
    if (d.severity !== 1 || typeof data.count !== 'number' || data.count < 1) continue;
    // Where the server found it (data.origin), not the range the client sends back (maybe in another encoding).
    const origin = originOf(d);
    const at = origin && origin.version === ctx.document.version ? origin.start : ctx.document.offsetAt(d.range.start);
    const inside = (s: { start: number; end: number }) => s.start <= at && at <= s.end;
    const entry = ctx.analysis.mappings.find((m) => inside(m.entry.key) || inside(m.entry.value.kind === 'expression' ? m.entry.value.expression : m.entry.value.span));
    const binding = entry ? undefined : ctx.analysis.lets.find((l) => inside(l.binding.name) || inside(l.binding.expression));
    const attribute = entry ? entry.entry.key.value : binding ? `$${binding.binding.name.value}` : undefined;
    const key = attribute ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    const n = data.count;
    const title = `Show the ${n} failing record${n === 1 ? '' : 's'} in the preview`;
    const args: ShowFailingRecordsArgs = { uri: ctx.document.uri, attribute, label: attribute ? `on ${attribute}` : undefined };
    out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title, command: SHOW_FAILING_RECORDS, arguments: [args] } });
  }
  return out;
}
