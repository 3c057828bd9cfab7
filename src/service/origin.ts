/** Diagnostics that remember where the server found them (offsets and document version, in `data.origin`). */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { toLspDiagnostic } from '../engine/positions';
import type { EngineDiagnostic } from '../engine/types';

/**
 * Where the server found a diagnostic: offsets into that version of the document. Quick fixes are computed from
 * these, never from the range a client sends back (a client may have converted it, or the text may have moved).
 */
export interface DiagnosticOrigin {
  start: number;
  end: number;
  version: number;
}

/** An LSP diagnostic whose `data.origin` records the offsets and version it was computed for. */
export function toServiceDiagnostic(document: TextDocument, d: EngineDiagnostic): Diagnostic {
  const out = toLspDiagnostic(document, d);
  const data = d.data && typeof d.data === 'object' && !Array.isArray(d.data) ? { ...(d.data as object) } : d.data === undefined ? {} : { value: d.data };
  const origin: DiagnosticOrigin = { start: d.start, end: d.end, version: document.version };
  out.data = { ...data, origin };
  return out;
}

export function originOf(d: Diagnostic): DiagnosticOrigin | undefined {
  const o = (d.data as { origin?: Partial<DiagnosticOrigin> } | undefined)?.origin;
  if (!o || typeof o !== 'object') return undefined;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  return ok(o.start) && ok(o.end) && typeof o.version === 'number' && o.start <= o.end ? { start: o.start, end: o.end, version: o.version } : undefined;
}
