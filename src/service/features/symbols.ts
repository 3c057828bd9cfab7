/** The outline: top-level sections with their entries — source settings, extensions, let bindings, mappings. */
import { DocumentSymbol, Range, SymbolKind } from 'vscode-languageserver-types';
import type { FeatureContext } from '../context';
import { truncate } from './describe';
import { topLevelSections } from './sections';

export function doDocumentSymbols(ctx: FeatureContext): DocumentSymbol[] {
  const doc = ctx.document;
  const a = ctx.analysis;
  const r = (start: number, end: number) => Range.create(doc.positionAt(start), doc.positionAt(Math.max(start, end)));
  const sym = (name: string, kind: SymbolKind, start: number, end: number, selStart: number, selEnd: number, detail?: string, children?: DocumentSymbol[]): DocumentSymbol => {
    const range = r(start, Math.max(end, selEnd));
    return { name: name || '(empty)', kind, range, selectionRange: r(Math.max(start, selStart), Math.min(Math.max(end, selEnd), selEnd)), detail, children };
  };
  const out: DocumentSymbol[] = [];
  for (const s of topLevelSections(doc.getText())) {
    const children: DocumentSymbol[] = [];
    let detail: string | undefined;
    const inside = (o: number) => o >= s.keyStart && o <= s.end;
    switch (s.key) {
      case 'scimmap':
        detail = a.doc.version ? String(a.doc.version.value) : undefined;
        break;
      case 'name':
        detail = a.doc.name?.value;
        break;
      case 'target':
        detail = a.doc.target?.value;
        break;
      case 'source': {
        const src = a.doc.source;
        for (const k of ['sample', 'key', 'format', 'delimiter'] as const) {
          const v = src?.[k];
          if (v && inside(v.start)) children.push(sym(k, SymbolKind.Property, v.start, v.end, v.start, v.end, String(v.value)));
        }
        break;
      }
      case 'extensions':
        for (const e of a.doc.extensions) {
          if (!inside(e.urn.start)) continue;
          const attrs = e.attributes.map((x) => sym(x.name.value, SymbolKind.Field, x.name.start, x.type.end, x.name.start, x.name.end, x.type.value));
          const end = Math.max(e.urn.end, e.file?.end ?? 0, ...e.attributes.map((x) => x.type.end));
          children.push(sym(e.urn.value, SymbolKind.Namespace, e.urn.start, end, e.urn.start, e.urn.end, e.file ? e.file.value : `${e.attributes.length} attributes`, attrs));
        }
        break;
      case 'let':
        for (const l of a.lets) {
          const n = l.binding.name;
          if (!inside(n.start)) continue;
          const t = l.expression.compiled.ast?.type === 'lambda' ? SymbolKind.Function : SymbolKind.Variable;
          children.push(sym(`$${n.value}`, t, n.start, l.binding.expression.end, n.start, n.end, truncate(l.binding.expression.text.trim().replace(/\s+/g, ' '), 60)));
        }
        break;
      case 'mappings':
        for (const m of a.mappings) {
          const k = m.entry.key;
          if (!inside(k.start)) continue;
          const v = m.entry.value;
          const end = v.kind === 'expression' ? v.expression.end : v.span.end;
          const from = v.kind === 'expression' ? truncate(v.expression.text.trim().replace(/\s+/g, ' '), 50) : v.kind === 'constant' ? String(v.value) : '';
          const label = m.resolved ? `${m.resolved.label}: ${m.resolved.expected.type}${m.resolved.expectedMultiValued ? '[]' : ''}` : undefined;
          children.push(sym(k.value, SymbolKind.Field, k.start, end, k.start, k.end, [label, from && `← ${from}`].filter(Boolean).join(' ')));
        }
        break;
    }
    out.push(sym(s.key, SymbolKind.Module, s.keyStart, s.end, s.keyStart, s.keyEnd, detail ?? (children.length ? `${children.length}` : undefined), children.length ? children : undefined));
  }
  return out;
}
