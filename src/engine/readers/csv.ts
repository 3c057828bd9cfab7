import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { ReaderError } from './errors';
import type { WarnFn } from './text';
import type { SourceRecord } from './types';

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
/** A longer record is almost always an unclosed quote swallowing the rest of the file. */
const MAX_RECORD_CHARS = 1 << 20;
/** How much text we look at to find the header line. */
const MAX_HEADER_CHARS = 64 * 1024;

export interface CsvOptions {
  delimiter?: string;
  signal?: AbortSignal;
  warn: WarnFn;
  onHeader?: (names: string[]) => void;
}

/**
 * Reads CSV records with csv-parse. The first row is the header. Cells stay strings; a row with another
 * number of cells than the header is an error (silently shifting columns would map wrong data).
 * Blank lines are skipped. Line numbers are recovered from csv-parse's byte offsets.
 */
export async function* readCsv(
  file: string,
  text: AsyncIterable<string>,
  opts: CsvOptions,
): AsyncGenerator<SourceRecord> {
  const it = text[Symbol.asyncIterator]();
  let head = '';
  let done = false;
  while (!head.includes('\n') && head.length < MAX_HEADER_CHARS) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head += r.value;
  }
  if (head.trim() === '') throw new ReaderError(file, 'empty-file', 'the file is empty (expected a header row)');
  const firstLineEnd = head.indexOf('\n');
  if (firstLineEnd < 0 && head.includes('\r')) {
    throw new ReaderError(file, 'cr-line-endings', 'lines end with CR only (old Mac format): save the file with LF or CRLF line endings');
  }
  const delimiter = opts.delimiter ?? detectDelimiter(firstLineEnd < 0 ? head : head.slice(0, firstLineEnd));

  async function* bytes(): AsyncGenerator<Buffer> {
    yield Buffer.from(head, 'utf8');
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      opts.signal?.throwIfAborted();
      yield Buffer.from(r.value, 'utf8');
    }
  }

  const parser = parse({
    delimiter,
    record_delimiter: ['\r\n', '\n'], // both, so that a file with mixed endings still splits on lines
    relax_quotes: true, // a stray quote inside an unquoted cell is kept as text, not an error
    relax_column_count: true, // we report ragged rows ourselves, with the line number
    skip_empty_lines: false, // we skip them ourselves, so that every line is a record and lines can be counted
    max_record_size: MAX_RECORD_CHARS,
  });
  const source = Readable.from(bytes());
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);

  let header: string[] | undefined;
  let protoHeader = false;
  let index = 0;
  // Line where the next record starts: each record is one line plus the line breaks inside its quoted cells
  // (cheaper than csv-parse's per-record info object, which dominated reading 100,000-row samples).
  let line = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const recordLine = line;
      line += 1 + breaksIn(record);
      if (record.length === 1 && record[0].trim() === '' && (header === undefined || header.length > 1)) continue;
      if (header === undefined) {
        header = readHeader(file, record, recordLine, opts.warn);
        protoHeader = header.includes('__proto__');
        opts.onHeader?.(header);
        continue;
      }
      if (record.length !== header.length) {
        throw new ReaderError(
          file,
          'ragged-row',
          `row has ${record.length} field${record.length === 1 ? '' : 's'}, header has ${header.length}`,
          recordLine,
        );
      }
      let value: Record<string, unknown>;
      if (protoHeader) value = Object.fromEntries(record.map((v, i) => [header![i], v])); // defines __proto__ as an own field
      else {
        value = {};
        for (let i = 0; i < header.length; i++) value[header[i]] = record[i];
      }
      yield { index: index++, line: recordLine, value };
    }
  } catch (e) {
    throw csvError(file, e, line);
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (header === undefined) throw new ReaderError(file, 'empty-file', 'the file is empty (expected a header row)');
}

function breaksIn(cells: string[]): number {
  let n = 0;
  for (const c of cells) for (let i = c.indexOf('\n'); i >= 0; i = c.indexOf('\n', i + 1)) n++;
  return n;
}

function readHeader(file: string, cells: string[], line: number, warn: WarnFn): string[] {
  const names = cells.map((c) => c.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') throw new ReaderError(file, 'empty-header', `header column ${i + 1} has no name`, line);
    const before = seen.get(name);
    if (before !== undefined) {
      throw new ReaderError(file, 'duplicate-header', `duplicate header name "${name}" (columns ${before + 1} and ${i + 1})`, line);
    }
    seen.set(name, i);
    // Kept as is: a silent rename would not match the attribute names configured in Entra either.
    if (/["'`]/.test(name)) {
      warn('header-quotes', `header name ${JSON.stringify(name)} contains quote characters; mappings must use it with the quotes`, line);
    }
  });
  return names;
}

/** The candidate that occurs most often outside quotes in the header line; ',' when none does. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (CSV_DELIMITERS as readonly string[]).includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const d of CSV_DELIMITERS) {
    const n = counts.get(d) ?? 0;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

function csvError(file: string, e: unknown, line: number): unknown {
  if (e instanceof ReaderError || (e as Error)?.name === 'AbortError') return e;
  const code = (e as CsvError)?.code;
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new ReaderError(file, 'unclosed-quote', 'a quoted value opened in this record is never closed', line);
  }
  if (code === 'CSV_MAX_RECORD_SIZE') {
    return new ReaderError(file, 'record-too-large', `record is longer than ${MAX_RECORD_CHARS} characters; is a quote left open?`, line);
  }
  if (typeof code === 'string') return new ReaderError(file, 'csv-syntax', (e as Error).message, line);
  return e;
}
