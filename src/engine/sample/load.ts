/** Reads the mapping's sample once per file version, capped, with the field inventory completion and checks use. */
import * as fs from 'node:fs';
import { FieldInfo, inferFields, readSample } from '../readers';
import type { ReaderWarning, SourceFormat } from '../readers';
import { readKey } from '../transform/record';

export interface SampleSet {
  path: string;
  /** Changes whenever the file changes (mtime + size), so caches keyed by it stay right. */
  version: string;
  records: Record<string, unknown>[];
  /** source.key value per record (for messages). */
  keys: (string | undefined)[];
  /** True when the file has more records than were read. */
  truncated: boolean;
  /** Why: the record limit or the byte budget. */
  truncatedBy?: 'records' | 'bytes';
  fields: FieldInfo[];
  warnings: ReaderWarning[];
  /** A read error after which the records so far were kept. */
  error?: string;
  /** The reader's code for `error` (e.g. `json-syntax`, `not-regular-file`). */
  errorCode?: string;
  /** `error` without the file and location. */
  errorDetail?: string;
}

/** Whole HR exports stay in view: 100,000 records keep the editor within its budgets (docs/benchmarks.md). */
export const DEFAULT_SAMPLE_RECORDS = 100_000;

export function sampleVersion(path: string): string | undefined {
  try {
    const st = fs.statSync(path);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return undefined;
  }
}

export async function loadSample(path: string, opts: { format?: SourceFormat; delimiter?: string; encoding?: string; keyField?: string; limit?: number } = {}): Promise<SampleSet> {
  const version = sampleVersion(path) ?? 'missing';
  const r = await readSample(path, { format: opts.format, delimiter: opts.delimiter, encoding: opts.encoding, limit: opts.limit ?? DEFAULT_SAMPLE_RECORDS, onError: 'partial' });
  const records = r.records.map((x) => x.value);
  return {
    path,
    version,
    records,
    keys: records.map((rec) => readKey(rec, opts.keyField)),
    truncated: r.truncated,
    ...(r.truncatedBy ? { truncatedBy: r.truncatedBy } : {}),
    fields: inferFields(r.records),
    warnings: r.details,
    error: r.error?.message,
    ...(r.error ? { errorCode: r.error.code, errorDetail: r.error.detail } : {}),
  };
}
