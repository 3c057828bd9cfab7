/** What the analysis knows at a document offset, and the sample's field tree. Shared by the features. */
import type { AnalyzedExpression } from '../../engine/analysis/expressions';
import type { AnalyzedLet, AnalyzedMapping } from '../../engine/analysis';
import type { ExpressionSource } from '../../engine/mapping/model';
import { fieldPath, FieldInfo } from '../../engine/readers';
import type { FeatureContext, SampleSummary } from '../context';

/** Value offset of a document offset inside an expression: the first character at or after it. */
export function toValueOffset(source: ExpressionSource, docOffset: number): number {
  for (let i = 0; i < source.text.length; i++) if (source.map.toDocument(i) >= docOffset) return i;
  return source.text.length;
}

/** Document range of a value range. */
export function docSpan(source: ExpressionSource, start: number, end: number): { start: number; end: number } {
  const s = source.map.toDocument(start);
  const e = end > start ? source.map.toDocument(end - 1) + 1 : s;
  return { start: s, end: Math.max(s, e) };
}

export type ExpressionOwner = { kind: 'let'; let: AnalyzedLet } | { kind: 'mapping'; mapping: AnalyzedMapping };

export interface ExpressionHit {
  expression: AnalyzedExpression;
  owner: ExpressionOwner;
}

export function allExpressions(ctx: FeatureContext): ExpressionHit[] {
  const out: ExpressionHit[] = [];
  for (const l of ctx.analysis.lets) out.push({ expression: l.expression, owner: { kind: 'let', let: l } });
  for (const m of ctx.analysis.mappings) if (m.expression) out.push({ expression: m.expression, owner: { kind: 'mapping', mapping: m } });
  return out;
}

/** The expression whose span holds the offset (its end included, where the cursor sits after typing). */
export function expressionAt(ctx: FeatureContext, offset: number): ExpressionHit | undefined {
  return allExpressions(ctx).find((h) => h.expression.source.start <= offset && offset <= h.expression.source.end);
}

export function mappingKeyAt(ctx: FeatureContext, offset: number): AnalyzedMapping | undefined {
  return ctx.analysis.mappings.find((m) => m.entry.key.start <= offset && offset <= m.entry.key.end);
}

export function letNameAt(ctx: FeatureContext, offset: number): AnalyzedLet | undefined {
  return ctx.analysis.lets.find((l) => l.binding.name.start <= offset && offset <= l.binding.name.end);
}

/** A name in the sample's field tree (array steps folded away: JSONata maps over arrays by itself). */
export interface FieldNode {
  name: string;
  /** JSONata path from the record root, names quoted as needed. */
  path: string;
  info?: FieldInfo;
  children: Map<string, FieldNode>;
}

const trees = new WeakMap<SampleSummary, FieldNode>();

export function fieldTree(sample: SampleSummary): FieldNode {
  let root = trees.get(sample);
  if (root) return root;
  root = { name: '', path: '', children: new Map() };
  for (const f of sample.fields) {
    const names = f.segments.filter((s) => s !== '[]');
    let node: FieldNode = root;
    names.forEach((name, k) => {
      let child: FieldNode | undefined = node.children.get(name);
      if (!child) {
        child = { name, path: fieldPath(names.slice(0, k + 1)), children: new Map() };
        node.children.set(name, child);
      }
      node = child;
    });
    // Prefer the entry with scalar examples (`Phones[]` elements over the `Phones` array itself).
    if (node !== root && (!node.info || (!node.info.examples.length && f.examples.length))) node.info = f;
  }
  trees.set(sample, root);
  return root;
}

export function fieldNode(sample: SampleSummary | undefined, names: string[]): FieldNode | undefined {
  if (!sample) return undefined;
  let node: FieldNode | undefined = fieldTree(sample);
  for (const n of names) {
    node = node.children.get(n);
    if (!node) return undefined;
  }
  return node;
}

/** Every node under `node`, depth first. */
export function* walkFields(node: FieldNode): Generator<FieldNode> {
  for (const child of node.children.values()) {
    yield child;
    yield* walkFields(child);
  }
}
