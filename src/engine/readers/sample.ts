import { ReaderError, formatWarning } from './errors';
import { openRecords } from './open';
import type { ReaderWarning, SourceFormat, SourceRecord } from './types';

export interface ReadSampleOptions {
  format?: SourceFormat;
  delimiter?: string;
  /** Records to keep; reading stops there. Default 10,000. */
  limit?: number;
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
  /** Formatted `file:line: message`. */
  warnings: string[];
  /** The same warnings with their stable codes. */
  details: ReaderWarning[];
  /** CSV header names (also when the file has no data rows). */
  header?: readonly string[];
  /** Only with `onError: 'partial'`. */
  error?: ReaderError;
}

export const DEFAULT_SAMPLE_LIMIT = 10_000;

/** Reads at most `limit` records of a big file, for the language server. */
export async function readSample(path: string, opts: ReadSampleOptions = {}): Promise<SampleResult> {
  const limit = opts.limit ?? DEFAULT_SAMPLE_LIMIT;
  const stream = openRecords(path, { format: opts.format, delimiter: opts.delimiter, signal: opts.signal });
  const records: SourceRecord[] = [];
  let truncated = false;
  let error: ReaderError | undefined;
  try {
    for await (const rec of stream) {
      if (records.length >= limit) {
        truncated = true;
        break; // ends the generator, which closes the file
      }
      records.push(rec);
    }
  } catch (e) {
    if (opts.onError !== 'partial' || !(e instanceof ReaderError)) throw e;
    error = e;
  }
  return {
    records,
    truncated,
    warnings: stream.warnings.map(formatWarning),
    details: [...stream.warnings],
    ...(stream.header ? { header: stream.header } : {}),
    ...(error ? { error } : {}),
  };
}
