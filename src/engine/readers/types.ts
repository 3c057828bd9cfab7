/** Value types of the record readers. Pure node: no vscode, no LSP transport. */

export type SourceFormat = 'csv' | 'json' | 'jsonl';

/** One HR record read from a source file. */
export interface SourceRecord {
  /** 0-based position of the record in the file (header and blank lines not counted). */
  index: number;
  /** 1-based line where the record starts (always set by the built-in readers). */
  line?: number;
  /** The record: CSV cells are strings ("" for an empty cell); JSON values as parsed. */
  value: Record<string, unknown>;
}

/** Something worth telling the user that does not stop reading (e.g. quotes in a CSV header name). */
export interface ReaderWarning {
  file: string;
  line?: number;
  /** Stable code, e.g. `header-quotes`, `unwrapped`. */
  code: string;
  message: string;
}

export interface OpenRecordsOptions {
  /** Overrides the format guessed from the file extension. */
  format?: SourceFormat;
  /** A WHATWG encoding label (source.encoding, e.g. windows-1252); default UTF-8. A BOM overrides it. */
  encoding?: string;
  /** CSV only: one character; auto-detected from the header line when absent. */
  delimiter?: string;
  signal?: AbortSignal;
  /** What the file is read as (the bounded reader's kind): `sample` for the editor's sample, `input` (default) otherwise. */
  kind?: 'sample' | 'input';
  /** Called as soon as a warning is found (they are also collected in `RecordStream.warnings`). */
  onWarning?: (warning: ReaderWarning) => void;
}

/** A single-pass stream of records; iterate it once. */
export interface RecordStream extends AsyncGenerator<SourceRecord, void, undefined> {
  /** Warnings found so far (grows while iterating). */
  readonly warnings: ReaderWarning[];
  /** CSV: the field names of the header row, once the first record (or the end) has been reached. */
  readonly header?: readonly string[];
  /** Bytes read from the file so far (a chunk ahead of the records handed out). */
  readonly bytesRead: number;
}
