import { extname } from 'node:path';
import { ReaderError } from './errors';
import type { SourceFormat } from './types';

const BY_EXTENSION: Record<string, SourceFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The explicit format, else the one the extension implies. */
export function detectFormat(file: string, format?: SourceFormat): SourceFormat {
  if (format !== undefined) {
    if (format !== 'csv' && format !== 'json' && format !== 'jsonl') {
      throw new ReaderError(file, 'unknown-format', `unknown format "${String(format)}"; use csv, json or jsonl`);
    }
    return format;
  }
  const f = BY_EXTENSION[extname(file).toLowerCase()];
  if (f === undefined) {
    throw new ReaderError(
      file,
      'unknown-format',
      `cannot tell the format from the extension "${extname(file)}"; use .csv, .tsv, .json, .jsonl or set the format (csv, json, jsonl)`,
    );
  }
  return f;
}
