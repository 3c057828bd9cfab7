/**
 * Rename of a `let` binding: its key under `let:` and every `$name` that refers to it, in every expression.
 * Uses where an expression binds the same name itself (`:=`, lambda parameters) are a different variable.
 */
import { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { AnalyzedLet } from '../../engine/analysis';
import type { FeatureContext } from '../context';
import { allExpressions, docSpan, expressionAt, toValueOffset } from './locate';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Target {
  binding: AnalyzedLet;
  /** Document range of the name under the cursor (without `$`). */
  start: number;
  end: number;
}

function targetAt(ctx: FeatureContext, offset: number): Target | undefined {
  for (const l of ctx.analysis.lets) {
    const n = nameRange(ctx, l);
    if (n.start <= offset && offset <= n.end) return { binding: l, ...n };
  }
  const hit = expressionAt(ctx, offset);
  if (!hit) return undefined;
  const { source, facts } = hit.expression;
  const i = toValueOffset(source, offset);
  for (const use of [...facts.variables, ...facts.calls]) {
    if (i < use.start || i > use.end || facts.bound.has(use.name)) continue;
    const binding = ctx.analysis.lets.find((l) => l.binding.name.value === use.name);
    if (binding) return { binding, ...docSpan(source, use.start + 1, use.end) };
  }
  return undefined;
}

/** The name inside the let key (the key may be quoted). */
function nameRange(ctx: FeatureContext, l: AnalyzedLet): { start: number; end: number } {
  const n = l.binding.name;
  const raw = ctx.document.getText().slice(n.start, n.end);
  const at = raw.indexOf(n.value);
  const start = n.start + Math.max(0, at);
  return { start, end: start + n.value.length };
}

export function prepareRename(ctx: FeatureContext, position: Position): { range: Range; placeholder: string } | null {
  const t = targetAt(ctx, ctx.document.offsetAt(position));
  if (!t) return null;
  return { range: Range.create(ctx.document.positionAt(t.start), ctx.document.positionAt(t.end)), placeholder: t.binding.binding.name.value };
}

export function doRename(ctx: FeatureContext, position: Position, newName: string): WorkspaceEdit | null {
  const t = targetAt(ctx, ctx.document.offsetAt(position));
  const name = newName.startsWith('$') ? newName.slice(1) : newName;
  if (!t || !NAME.test(name)) return null;
  const old = t.binding.binding.name.value;
  const ranges: { start: number; end: number }[] = [nameRange(ctx, t.binding)];
  for (const h of allExpressions(ctx)) {
    const { source, facts } = h.expression;
    if (facts.bound.has(old)) continue;
    for (const use of [...facts.variables, ...facts.calls]) if (use.name === old) ranges.push(docSpan(source, use.start + 1, use.end));
  }
  const edits = ranges.map((r) => TextEdit.replace(Range.create(ctx.document.positionAt(r.start), ctx.document.positionAt(r.end)), name));
  return { changes: { [ctx.document.uri]: edits } };
}
