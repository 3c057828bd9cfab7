/**
 * Quick fixes for the diagnostics that carry enough to repair them: did-you-mean replacements, missing
 * mappings, bare words that were meant as text, date-only values, and conversions that fix a type mismatch.
 */
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import type { AnalyzedMapping } from '../../engine/analysis';
import type { ExprNode } from '../../engine/jsonata/compile';
import { FALSE_WORDS, TRUE_WORDS } from '../../engine/sample/fixes';
import type { FeatureContext } from '../context';
import { originOf } from '../origin';
import { allExpressions, ExpressionHit, toValueOffset } from './locate';
import { editExpression, OffsetEdit, trimmedRange, yamlScalar } from './yamlEdit';

type Data = Record<string, unknown>;

/** The client command behind "Add to the provisioning app…" (client/src/commands/appPush.ts). */
export const APP_ADD_ATTRIBUTE_COMMAND = 'scimmap.app.addAttribute';

export function doCodeActions(ctx: FeatureContext, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  void range; // The client sends the diagnostics of the range; each one says where it applies.
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = (d.data && typeof d.data === 'object' ? d.data : {}) as Data;
    const at = serverOffsets(ctx, d);
    if (!at) continue;
    const { start, end } = at;
    const fix = (title: string, edits: OffsetEdit[] | undefined, preferred = false) => {
      if (!edits?.length) return;
      out.push({
        title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: preferred || undefined,
        edit: { changes: { [ctx.document.uri]: edits.map((e) => TextEdit.replace(Range.create(ctx.document.positionAt(e.start), ctx.document.positionAt(e.end)), e.text)) } },
      });
    };
    const candidates = Array.isArray(data.candidates) ? data.candidates.filter((c): c is string => typeof c === 'string') : [];
    switch (d.code) {
      case 'unknown-attribute':
      case 'unknown-schema':
      case 'type-mismatch':
      case 'invalid-path': {
        const entry = ctx.analysis.mappings.find((m) => m.entry.key.start <= start && start <= m.entry.key.end);
        if (entry && typeof data.replaceStart === 'number' && typeof data.replaceEnd === 'number') {
          const replacements = typeof data.replacement === 'string' ? [data.replacement] : candidates;
          replacements.forEach((c, i) => fix(`Change to '${c}'`, keyEdit(entry, data.replaceStart as number, data.replaceEnd as number, c), i === 0));
        }
        if (d.code === 'type-mismatch') conversions(ctx, d, data, start, fix);
        break;
      }
      case 'app-attribute-missing': {
        // The client runs the push after asking for the endpoint and a confirmation; nothing is edited here.
        if (typeof data.attribute !== 'string' || !ctx.analysis.app?.path || !ctx.analysis.filePath) break;
        out.push({
          title: 'Add to the provisioning app…', kind: CodeActionKind.QuickFix, diagnostics: [d],
          command: { title: 'Add to the provisioning app…', command: APP_ADD_ATTRIBUTE_COMMAND, arguments: [{ mapping: ctx.analysis.filePath, attribute: data.attribute, type: data.type, appSchema: ctx.analysis.app.path }] },
        });
        break;
      }
      case 'unknown-field':
      case 'unknown-variable':
      case 'unknown-function': {
        const hit = hitAt(ctx, start);
        if (!hit) break;
        const src = hit.expression.source;
        const vs = toValueOffset(src, start);
        const ve = toValueOffset(src, end);
        candidates.forEach((c, i) => fix(`Change to '${c}'`, editExpression(ctx.document.getText(), src, [{ start: vs, end: ve, text: c }]), i === 0));
        if (d.code === 'unknown-field') {
          const word = bareWord(hit);
          if (word !== undefined) {
            const r = trimmedRange(src.text);
            fix(`Use the text "${word}"`, editExpression(ctx.document.getText(), src, [{ ...r, text: JSON.stringify(word) }]), !candidates.length);
          }
        }
        break;
      }
      case 'unquoted-expression':
        if (typeof data.replacement === 'string') fix('Quote this expression', [{ start, end, text: data.replacement }], true);
        break;
      case 'mapping-structure':
        candidates.forEach((c, i) => fix(`Change to '${c}'`, [{ start, end, text: yamlScalar(c) }], i === 0));
        break;
      case 'missing-required':
      case 'active-unmapped': {
        const attr = typeof data.attribute === 'string' ? data.attribute : d.code === 'active-unmapped' ? 'active' : undefined;
        // Only stubs the sample check verified (engine/sample/fixes.ts): a field the sample has, giving values.
        // Without a sample there is nothing to check a guess against, so there is no fix: a made-up field name
        // would be empty on every record, and `active: true` would enable every account.
        if (!attr || !data.verified || !Array.isArray(data.fixes)) break;
        for (const f of data.fixes as { title?: unknown; expression?: unknown }[]) {
          if (typeof f?.title === 'string' && typeof f.expression === 'string') fix(f.title, insertMapping(ctx, attr, f.expression), true);
        }
        break;
      }
      case 'date-format': {
        const hit = hitAt(ctx, start);
        if (!hit) break;
        const literal = literalDateFix(hit);
        if (literal) fix(`Make it an xsd:dateTime: ${literal}`, editExpression(ctx.document.getText(), hit.expression.source, [{ ...trimmedRange(hit.expression.source.text), text: literal }]), true);
        else verifiedFixes(ctx, hit, data, fix);
        break;
      }
      case 'sample-type':
        conversions(ctx, d, data, start, fix);
        break;
    }
  }
  return out;
}

const messageText = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

/**
 * Where a diagnostic applies, in offsets of `ctx.document`: those the server recorded for this document version,
 * else those of the one identical diagnostic of a fresh analysis. Never the range the client sent back: a client
 * may have converted it (another position encoding) or kept it across edits.
 */
function serverOffsets(ctx: FeatureContext, d: Diagnostic): { start: number; end: number } | undefined {
  const origin = originOf(d);
  if (origin && origin.version === ctx.document.version && origin.end <= ctx.document.getText().length) return origin;
  const same = ctx.analysis.diagnostics.filter((x) => x.code === d.code && x.message === messageText(d));
  return same.length === 1 ? { start: same[0].start, end: same[0].end } : undefined;
}

type Fix = (title: string, edits: OffsetEdit[] | undefined, preferred?: boolean) => void;

function hitAt(ctx: FeatureContext, offset: number): ExpressionHit | undefined {
  return allExpressions(ctx).find((h) => h.expression.source.start <= offset && offset <= h.expression.source.end);
}

function keyEdit(m: AnalyzedMapping, from: number, to: number, text: string): OffsetEdit[] {
  const start = m.entry.keyMap.toDocument(from);
  const end = to > from ? m.entry.keyMap.toDocument(to - 1) + 1 : start;
  return [{ start, end, text }];
}

/**
 * Conversions for a type problem. A constant is rewritten exactly (no data involved). An expression gets the
 * fixes the sample check verified (`data.fixes`, see engine/sample/fixes.ts); with no sample configured, the
 * plain `$string()` / `$number()` wraps. Never `$boolean()`: `$boolean("False")` is true.
 */
function conversions(ctx: FeatureContext, d: Diagnostic, data: Data, start: number, fix: Fix): void {
  let wrap = typeof data.wrap === 'string' ? data.wrap : undefined;
  if (!wrap && d.code === 'sample-type') {
    const msg = messageText(d);
    wrap = /\$string\(\)/.test(msg) ? 'string' : /\$number\(\)/.test(msg) ? 'number' : undefined;
  }
  const m = ctx.analysis.mappings.find((x) => {
    const v = x.entry.value;
    const span = v.kind === 'expression' ? v.expression : v.span;
    return span.start <= start && start <= span.end;
  });
  if (!m) return;
  const v = m.entry.value;
  if (v.kind === 'constant') {
    const at = (text: string) => [{ start: v.span.start, end: v.span.end, text }];
    if (wrap === 'string') fix('Convert with $string()', at(yamlScalar(`$string(${v.value})`)), !data.quote);
    if (typeof data.quote === 'string') fix(`Write it as the text "${data.quote}"`, at(yamlScalar(JSON.stringify(data.quote))), true);
    return;
  }
  if (v.kind !== 'expression') return;
  const hit = hitAt(ctx, v.expression.start);
  if (!hit) return;
  const ast = hit.expression.compiled.ast as ExprNode | undefined;
  if (ast?.type === 'string') {
    // A text literal where a boolean or number belongs: its value is known, so the rewrite is exact.
    const w = String(ast.value).trim().toLowerCase();
    const exact = wrap === 'boolean' ? ((TRUE_WORDS as readonly string[]).includes(w) ? 'true' : (FALSE_WORDS as readonly string[]).includes(w) ? 'false' : undefined)
      : wrap === 'number' && /^[+-]?\d+(\.\d+)?$/.test(w) ? String(Number(w)) : undefined;
    if (exact) fix(`Write it as the ${wrap} ${exact}`, editExpression(ctx.document.getText(), v.expression, [{ ...trimmedRange(v.expression.text), text: exact }]), true);
    return;
  }
  if (data.verified || (ctx.analysis.samplePath && ctx.analysis.sampleExists)) {
    verifiedFixes(ctx, hit, data, fix);
    return;
  }
  // No sample to check against: only the conversions whose result type is certain.
  if (wrap !== 'string' && wrap !== 'number') return;
  const r = trimmedRange(v.expression.text);
  fix(`Convert with $${wrap}()`, editExpression(ctx.document.getText(), v.expression, [{ start: r.start, end: r.start, text: `$${wrap}(` }, { start: r.end, end: r.end, text: ')' }]), true);
}

/** The fixes the sample check kept (none until the check has run, and none when no candidate was right). */
function verifiedFixes(ctx: FeatureContext, hit: ExpressionHit, data: Data, fix: Fix): void {
  if (!Array.isArray(data.fixes)) return;
  const src = hit.expression.source;
  if (typeof data.checked === 'string' && data.checked !== src.text) return; // edited since the check: wait for the next one
  (data.fixes as unknown[]).forEach((f, i) => {
    const { title, expression } = (f ?? {}) as { title?: unknown; expression?: unknown };
    if (typeof title !== 'string' || typeof expression !== 'string') return;
    fix(title, editExpression(ctx.document.getText(), src, [{ ...trimmedRange(src.text), text: expression }]), i === 0);
  });
}

/** The name, when the whole expression is one field name that was probably meant as text. */
function bareWord(hit: ExpressionHit): string | undefined {
  const ast = hit.expression.compiled.ast as ExprNode | undefined;
  if (!ast || ast.type !== 'path' || (ast.steps ?? []).length !== 1) return undefined;
  const step = (ast.steps as ExprNode[])[0];
  if (step.type !== 'name' || (step.stages ?? []).length || (step.predicate ?? []).length) return undefined;
  const name = String(step.value);
  const t = hit.expression.source.text.trim();
  return t === name || t === `\`${name}\`` ? name : undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_OFFSET = /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})$/;

/** A date-only string literal as an xsd:dateTime literal (exact: no data involved). */
function literalDateFix(hit: ExpressionHit): string | undefined {
  const ast = hit.expression.compiled.ast as ExprNode | undefined;
  if (ast?.type !== 'string') return undefined;
  const v = String(ast.value);
  if (DATE.test(v)) return JSON.stringify(`${v}T00:00:00Z`);
  if (DATE_OFFSET.test(v)) return JSON.stringify(`${v.slice(0, 10)}T00:00:00${v.slice(10)}`);
  return undefined;
}

/** Inserts `key: expr` as the last entry of `mappings:`, with the entries' indentation. */
function insertMapping(ctx: FeatureContext, key: string, expr: string): OffsetEdit[] | undefined {
  const doc = ctx.analysis.doc;
  const text = ctx.document.getText();
  if (!doc.mappingsKey) return undefined;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  let anchor = doc.mappingsKey.end;
  let indent = '  ';
  if (doc.mappings.length) {
    const first = doc.mappings[0].key.start;
    const lineStart = text.lastIndexOf('\n', first - 1) + 1;
    const lead = text.slice(lineStart, first);
    if (/^[ \t]+$/.test(lead)) indent = lead;
    for (const m of doc.mappings) {
      const v = m.value;
      anchor = Math.max(anchor, m.key.end, v.kind === 'expression' ? v.expression.end : v.span.end);
    }
  }
  let eol = text.indexOf('\n', anchor);
  if (eol < 0) eol = text.length;
  else if (text[eol - 1] === '\r') eol--;
  return [{ start: eol, end: eol, text: `${nl}${indent}${key}: ${yamlScalar(expr)}` }];
}
