import { ReaderError, formatWarning } from './errors';
import { openRecords } from './open';
import type { ReaderWarning, SourceFormat, SourceRecord } from './types';

export interface ReadSampleOptions {
  format?: SourceFormat;
  delimiter?: string;
  encoding?: string;
  /** Records to keep; reading stops there. Default 100,000. */
  limit?: number;
  /** Bytes to read at most (default SAMPLE_BYTE_BUDGET): reading stops after the record that passes it. */
  maxBytes?: number;
  signal?: AbortSignal;
  /**
   * 'throw' (default): a ReaderError rejects the promise. 'partial': the records read before the
   * error are returned with `error` set (the language server still completes on them).
   */
  onError?: 'throw' | 'partial';
}

export interface SampleResult {
  records: SourceRecord[];
  /** True when the file has more records than `limit`. */
  truncated: boolean;
  /** Why reading stopped early: the record limit, or the byte budget. */
  truncatedBy?: 'records' | 'bytes';
  /** Formatted `file:line: message`. */
  warnings: string[];
  /** The same warnings with their stable codes. */
  details: ReaderWarning[];
  /** CSV header names (also when the file has no data rows). */
  header?: readonly string[];
  /** Only with `onError: 'partial'`. */
  error?: ReaderError;
}

export const DEFAULT_SAMPLE_LIMIT = 100_000;
/**
 * Most bytes of a sample the editor reads: a 100,000-record flat HR export (~12 MB as CSV) fits; records of tens
 * of KiB each stop here and stay well inside the evaluation worker's heap: a bigger sample is truncated (and says
 * so), never read into a 2 GB worker.
 */
export const SAMPLE_BYTE_BUDGET = 64 * 1024 * 1024;

/** Reads at most `limit` records of a big file, for the language server. */
export async function readSample(path: string, opts: ReadSampleOptions = {}): Promise<SampleResult> {
  const limit = opts.limit ?? DEFAULT_SAMPLE_LIMIT;
  const maxBytes = opts.maxBytes ?? SAMPLE_BYTE_BUDGET;
  const stream = openRecords(path, { format: opts.format, delimiter: opts.delimiter, encoding: opts.encoding, signal: opts.signal, kind: 'sample' });
  const records: SourceRecord[] = [];
  let truncated = false;
  let truncatedBy: SampleResult['truncatedBy'];
  let error: ReaderError | undefined;
  try {
    for await (const rec of stream) {
      if (records.length >= limit) {
        truncated = true;
        truncatedBy = 'records';
        break; // ends the generator, which closes the file
      }
      records.push(rec);
      if (stream.bytesRead > maxBytes) {
        truncated = true;
        truncatedBy = 'bytes';
        break;
      }
    }
  } catch (e) {
    if (opts.onError !== 'partial' || !(e instanceof ReaderError)) throw e;
    error = e;
  }
  return {
    records,
    truncated,
    ...(truncatedBy ? { truncatedBy } : {}),
    warnings: stream.warnings.map(formatWarning),
    details: [...stream.warnings],
    ...(stream.header ? { header: stream.header } : {}),
    ...(error ? { error } : {}),
  };
}
