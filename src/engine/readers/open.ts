import { extname } from 'node:path';
import { readCsv } from './csv';
import { toReaderError } from './errors';
import { detectFormat } from './format';
import { readJsonArray } from './json';
import { readJsonLines } from './jsonl';
import { readText, type WarnFn } from './text';
import type { OpenRecordsOptions, ReaderWarning, RecordStream, SourceRecord } from './types';

/**
 * Opens a source file as a single-pass async stream of records. Errors are `ReaderError`s
 * (thrown while iterating); warnings are collected on the returned stream and passed to `onWarning`.
 */
export function openRecords(path: string, opts: OpenRecordsOptions = {}): RecordStream {
  const warnings: ReaderWarning[] = [];
  const state: { header?: readonly string[] } = {};
  const counter = { bytes: 0 };
  const warn: WarnFn = (code, message, line) => {
    const w: ReaderWarning = { file: path, code, message, ...(line === undefined ? {} : { line }) };
    warnings.push(w);
    opts.onWarning?.(w);
  };
  const gen = records(path, opts, warn, (h) => (state.header = h), counter);
  return Object.defineProperties(gen, {
    warnings: { value: warnings, enumerable: true },
    bytesRead: { get: () => counter.bytes, enumerable: true },
    header: { get: () => state.header, enumerable: true },
  }) as RecordStream;
}

async function* records(
  path: string,
  opts: OpenRecordsOptions,
  warn: WarnFn,
  onHeader: (names: string[]) => void,
  counter: { bytes: number },
): AsyncGenerator<SourceRecord, void, undefined> {
  try {
    const format = detectFormat(path, opts.format);
    opts.signal?.throwIfAborted();
    const text = readText(path, { signal: opts.signal, encoding: opts.encoding, kind: opts.kind ?? 'input', counter });
    if (format === 'csv') {
      const delimiter = opts.delimiter ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : undefined);
      yield* readCsv(path, text, { delimiter, signal: opts.signal, warn, onHeader });
    } else if (format === 'json') {
      yield* readJsonArray(path, text, { signal: opts.signal, warn });
    } else {
      yield* readJsonLines(path, text, { signal: opts.signal });
    }
  } catch (e) {
    throw toReaderError(path, e);
  }
}
