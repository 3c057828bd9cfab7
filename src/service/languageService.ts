/**
 * The pure language service: text documents in, LSP values out. One analysis per document version, shared
 * by every feature (diagnostics, completion, hover …). No LSP transport and no `vscode` here; the server in
 * ../server.ts is a thin adapter over this.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { analyzeMappingText, MappingAnalysis } from '../engine/analysis';
import { ExpressionCache } from '../engine/analysis/expressions';
import { FileHost, nodeFileHost } from '../engine/analysis/host';
import type { EngineDiagnostic } from '../engine/types';
import { toServiceDiagnostic } from './origin';

export interface LanguageServiceOptions {
  host?: FileHost;
  /** How many document analyses to keep (open editors). */
  maxDocuments?: number;
}

export function filePathOf(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

export class LanguageService {
  private readonly analyses = new Map<string, { version: number; analysis: MappingAnalysis }>();
  readonly expressions = new ExpressionCache();
  private readonly host: FileHost;
  private readonly max: number;
  /** Parses done (tests check that features share one parse per version). */
  parses = 0;

  constructor(options: LanguageServiceOptions = {}) {
    this.host = options.host ?? nodeFileHost;
    this.max = options.maxDocuments ?? 50;
  }

  analyze(document: TextDocument): MappingAnalysis {
    const hit = this.analyses.get(document.uri);
    if (hit && hit.version === document.version) return hit.analysis;
    this.parses++;
    const analysis = analyzeMappingText(document.getText(), { filePath: filePathOf(document.uri), host: this.host, cache: this.expressions });
    this.analyses.delete(document.uri);
    this.analyses.set(document.uri, { version: document.version, analysis });
    if (this.analyses.size > this.max) this.analyses.delete(this.analyses.keys().next().value as string);
    return analysis;
  }

  /** Drops cached analyses (a closed document, or every document after a schema file changed). */
  forget(uri?: string): void {
    if (uri) this.analyses.delete(uri);
    else this.analyses.clear();
  }

  staticDiagnostics(document: TextDocument): Diagnostic[] {
    return this.toDiagnostics(document, this.analyze(document).diagnostics);
  }

  toDiagnostics(document: TextDocument, diagnostics: EngineDiagnostic[]): Diagnostic[] {
    return diagnostics.map((d) => toServiceDiagnostic(document, d));
  }
}

