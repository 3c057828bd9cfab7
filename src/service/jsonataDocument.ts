/**
 * Standalone `.jsonata` files reuse the mapping features: the expression is placed in a literal block scalar
 * of a synthetic mapping document (so completion, hover, signature help and syntax checks behave exactly as
 * inside a mapping value), and positions are shifted back on the way out.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position } from 'vscode-languageserver-types';

const HEADER = ['scimmap: 1', 'target: entra', 'mappings:', '  expression: |-'];
const INDENT = '    ';
const LINES = HEADER.length;

export interface SyntheticDocument {
  document: TextDocument;
  toSynthetic(p: Position): Position;
  /** Shifts every {line, character} inside an LSP result back to the .jsonata file (in place). */
  toOriginal<T>(value: T): T;
}

export function syntheticMapping(original: TextDocument): SyntheticDocument {
  const lines = original.getText().split(/\r?\n/);
  const text = `${HEADER.join('\n')}\n${lines.map((l) => INDENT + l).join('\n')}\n`;
  const document = TextDocument.create(`${original.uri}.scimmap.yaml`, 'scimmap', original.version, text);
  const back = (p: Position): Position => ({ line: Math.max(0, p.line - LINES), character: Math.max(0, p.character - INDENT.length) });
  const toOriginal = <T>(value: T): T => {
    const seen = new Set<unknown>();
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object' || seen.has(v)) return;
      seen.add(v);
      const o = v as Record<string, unknown>;
      if (typeof o.line === 'number' && typeof o.character === 'number' && Object.keys(o).length === 2) {
        const b = back(o as unknown as Position);
        o.line = b.line;
        o.character = b.character;
        return;
      }
      if (o.uri === document.uri) o.uri = original.uri;
      for (const k of Object.keys(o)) {
        if (k === 'changes' && o.changes && typeof o.changes === 'object' && document.uri in (o.changes as object)) {
          const changes = o.changes as Record<string, unknown>;
          changes[original.uri] = changes[document.uri];
          delete changes[document.uri];
        }
        walk(o[k]);
      }
    };
    walk(value);
    return value;
  };
  return { document, toSynthetic: (p) => ({ line: p.line + LINES, character: p.character + INDENT.length }), toOriginal };
}

/** Diagnostics of the expression itself (syntax, unknown functions/variables), not of the synthetic mapping around it. */
export function expressionDiagnostics(synthetic: SyntheticDocument, all: Diagnostic[], originalText: string): Diagnostic[] {
  if (originalText.trim() === '') return [];
  const own = new Set(['jsonata-syntax', 'unknown-function', 'unknown-variable']);
  return synthetic.toOriginal(all.filter((d) => own.has(String(d.code)) && d.range.start.line >= LINES).map((d) => ({ ...d, range: { start: { ...d.range.start }, end: { ...d.range.end } } })));
}
