/**
 * What every language feature receives: the one analysis of the current document version, the text document
 * (for offset ↔ position), and what the evaluation worker last learned about the sample. Pure: no LSP transport.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { MappingAnalysis } from '../engine/analysis';
import type { FieldInfo } from '../engine/readers';

export interface SampleSummary {
  path: string;
  /** Records read (capped). */
  count: number;
  truncated: boolean;
  fields: FieldInfo[];
  /** source.key value per record, for record pickers (capped list). */
  keys: (string | undefined)[];
}

/** Values the mappings produce for the selected sample record (inline values). */
export interface RecordValues {
  index: number;
  key?: string;
  /** mapping key → value after checks (absent: omitted). */
  values: Record<string, unknown>;
  /** mapping key → error message. */
  errors: Record<string, string>;
}

export interface FeatureContext {
  document: TextDocument;
  analysis: MappingAnalysis;
  sample?: SampleSummary;
  record?: RecordValues;
}
