/** Hover: SCIM attributes on mapping keys; functions, `let` bindings and sample fields inside expressions. */
import { Hover, MarkupKind, Position, Range } from 'vscode-languageserver-types';
import { builtin } from '../../engine/jsonata/catalog';
import type { AnalyzedLet } from '../../engine/analysis';
import { parseTargetPath } from '../../engine/scim/path';
import { findAttribute, resolveTargetPath } from '../../engine/scim/registry';
import type { FeatureContext } from '../context';
import { attributeMarkdown, fieldMarkdown, functionMarkdown, letCodeBlock, schemaMarkdown } from './describe';
import { codeSpan, escapeMarkdown } from './markdown';
import { docSpan, expressionAt, fieldNode, letNameAt, mappingKeyAt, toValueOffset } from './locate';
import type { OffsetMap } from '../../engine/mapping/scalarMap';
import { entraLanding } from './entraHover';
import { serverLanding } from './serverHover';

export function doHover(ctx: FeatureContext, position: Position): Hover | null {
  const offset = ctx.document.offsetAt(position);
  const hover = (markdown: string, start: number, end: number): Hover => ({
    contents: { kind: MarkupKind.Markdown, value: markdown },
    range: Range.create(ctx.document.positionAt(start), ctx.document.positionAt(end)),
  });

  const mapping = mappingKeyAt(ctx, offset);
  if (mapping) {
    // With the provisioning app's schema, the key's hover also says where the attribute lands in Entra; with a
    // SCIM server's saved discovery, how the server defines it.
    const landing = ctx.analysis.target === 'scim' ? serverLanding(ctx.analysis, mapping.entry) : entraLanding(ctx.analysis, mapping.entry);
    const withLanding = landing ? (md: string, s: number, e: number) => hover(`${md}\n\n---\n\n${landing}`, s, e) : hover;
    return keyHover(ctx, mapping.entry.key.value, mapping.entry.keyMap, offset, withLanding);
  }

  const binding = letNameAt(ctx, offset);
  if (binding) return hover(letMarkdown(ctx, binding), binding.binding.name.start, binding.binding.name.end);

  const hit = expressionAt(ctx, offset);
  if (!hit) return null;
  const { source, facts } = hit.expression;
  const i = toValueOffset(source, offset);
  const inside = (s: number, e: number) => s <= i && i < e;
  for (const c of facts.calls) {
    if (!inside(c.start, c.end)) continue;
    const span = docSpan(source, c.start, c.end);
    const f = builtin(c.name);
    if (f && !facts.bound.has(c.name)) return hover(functionMarkdown(f), span.start, span.end);
    const l = ctx.analysis.lets.find((x) => x.binding.name.value === c.name);
    if (l && !facts.bound.has(c.name)) return hover(letMarkdown(ctx, l), span.start, span.end);
    return null;
  }
  for (const v of facts.variables) {
    if (!inside(v.start, v.end)) continue;
    const l = ctx.analysis.lets.find((x) => x.binding.name.value === v.name);
    const span = docSpan(source, v.start, v.end);
    return l ? hover(letMarkdown(ctx, l), span.start, span.end) : null;
  }
  for (const ref of facts.fields) {
    const k = ref.segments.findIndex((s) => s.start >= 0 && inside(s.start, s.end));
    if (k < 0) continue;
    const seg = ref.segments[k];
    const names = ref.segments.slice(0, k + 1).map((s) => s.name);
    const span = docSpan(source, seg.start, seg.end);
    const node = fieldNode(ctx.sample, names);
    if (node?.info) return hover(fieldMarkdown(node.info), span.start, span.end);
    if (node) return hover(`**${escapeMarkdown(node.path)}** — object in the sample with ${[...node.children.keys()].slice(0, 50).map((n) => codeSpan(n)).join(', ')}`, span.start, span.end);
    const why = ctx.sample ? `No sample record has ${codeSpan(names.join('.'))}: the value is always empty.` : 'No sample loaded: set `source.sample` to see types and examples.';
    return hover(`**${escapeMarkdown(names.join('.'))}** — record field\n\n${why}`, span.start, span.end);
  }
  return null;
}

function letMarkdown(ctx: FeatureContext, l: AnalyzedLet): string {
  const name = l.binding.name.value;
  let uses = 0;
  for (const e of [...ctx.analysis.lets.map((x) => x.expression), ...ctx.analysis.mappings.flatMap((m) => (m.expression ? [m.expression] : []))]) {
    if (e.facts.bound.has(name)) continue;
    uses += e.facts.variables.filter((v) => v.name === name).length + e.facts.calls.filter((c) => c.name === name).length;
  }
  const t = l.expression.facts.resultType;
  return [
    `**$${escapeMarkdown(name)}** — let binding${t !== 'any' ? ` (${t})` : ''}`,
    letCodeBlock(l.binding.expression.text, 600),
    `Used ${uses} time${uses === 1 ? '' : 's'} in this file.`,
  ].join('\n');
}

function keyHover(ctx: FeatureContext, key: string, map: OffsetMap, offset: number, hover: (md: string, s: number, e: number) => Hover): Hover | null {
  const parsed = parseTargetPath(key);
  if (!parsed.ok) return null;
  const path = parsed.path;
  let ki = key.length;
  for (let i = 0; i < key.length; i++) if (map.toDocument(i) >= offset) { ki = i; break; }
  const at = (r?: { start: number; end: number }) => !!r && r.start <= ki && ki <= r.end;
  const span = (r: { start: number; end: number }) => {
    const s = map.toDocument(r.start);
    return [s, r.end > r.start ? map.toDocument(r.end - 1) + 1 : s] as const;
  };
  const set = ctx.analysis.schemas.set;
  if (path.urn !== undefined && at(path.urnRange)) {
    const schema = set.schema(path.urn);
    return schema ? hover(schemaMarkdown(schema), ...span(path.urnRange!)) : null;
  }
  const r = resolveTargetPath(set, path);
  const schema = path.urn !== undefined ? set.schema(path.urn) : set.core;
  const attribute = r.ok ? r.attribute : findAttribute(schema?.attributes, path.attribute) ?? (path.urn === undefined ? findAttribute(set.common, path.attribute) : undefined);
  if (!attribute) return null;
  const owner = schema && schema !== set.core ? schema : undefined;
  if (at(path.subAttributeRange)) {
    const sub = findAttribute(attribute.subAttributes, path.subAttribute ?? '');
    return sub ? hover(attributeMarkdown(sub, attribute.name, owner), ...span(path.subAttributeRange!)) : null;
  }
  if (at(path.filterRange)) {
    const inner = key.slice(path.filterRange!.start, path.filterRange!.end);
    const name = /\[\s*([A-Za-z][\w$-]*)/.exec(inner)?.[1];
    const sub = name ? findAttribute(attribute.subAttributes, name) : undefined;
    const md = sub ? `${attributeMarkdown(sub, attribute.name)}\n\nThe filter names the element this mapping creates or fills.` : attributeMarkdown(attribute, undefined, owner);
    return hover(md, ...span(path.filterRange!));
  }
  if (at(path.attributeRange)) return hover(attributeMarkdown(attribute, undefined, owner), ...span(path.attributeRange));
  return null;
}
