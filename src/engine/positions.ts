/** Engine diagnostics (offsets) → LSP diagnostics (0-based line/character), shared by the CLI and the server. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { EngineDiagnostic, Severity } from './types';

const SEVERITY: Record<Severity, 1 | 2 | 3 | 4> = { error: 1, warning: 2, information: 3, hint: 4 };

export interface PositionSource {
  positionAt(offset: number): { line: number; character: number };
}

export function positionSource(text: string): PositionSource {
  return TextDocument.create('file:///x', 'scimmap', 0, text);
}

export function toLspDiagnostic(pos: PositionSource, d: EngineDiagnostic): Diagnostic {
  const out: Diagnostic = {
    range: { start: pos.positionAt(d.start), end: pos.positionAt(d.end) },
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'scimmap',
    message: d.message,
  };
  if (d.data !== undefined) out.data = d.data;
  return out;
}
