import { streamFileBytes, type FileKind } from '../files/boundedReader';
import { ReaderError } from './errors';

/** Bytes per read; also the most a reader holds besides the record being assembled. */
const CHUNK_SIZE = 64 * 1024;
const SNIFF_BYTES = 1024;
const REPLACEMENT = '\uFFFD';
const LITERAL_REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

export type WarnFn = (code: string, message: string, line?: number) => void;

/**
 * Streams a file as UTF-8 text chunks. A leading BOM is dropped. Invalid UTF-8 becomes U+FFFD
 * with one warning (a Latin-1 export should not stop a preview, but the user must learn about it);
 * a file that looks binary is refused before any record is produced.
 */
export async function* readText(file: string, warn: WarnFn, signal?: AbortSignal, kind: FileKind = 'input', counter?: { bytes: number }): AsyncGenerator<string> {
  // The bounded reader checks the path and the file (regular file, no FIFO or device) and streams its bytes.
  const stream = streamFileBytes(file, kind, { chunkSize: CHUNK_SIZE, signal });
  const decoder = new TextDecoder('utf-8', { fatal: false }); // ignoreBOM=false: strips the BOM
  let first = true;
  let warned = false;
  let line = 1; // line at the start of the current chunk, counted until the warning is given
  let replaced = 0;
  let literal = 0; // U+FFFD written as real UTF-8 in the file, which is not an error
  let tail: Buffer = Buffer.alloc(0);

  const check = (text: string, bytes: Buffer): void => {
    if (warned) return;
    const at = text.indexOf(REPLACEMENT);
    if (at >= 0) {
      replaced += count(text, REPLACEMENT);
      literal += countBytes(Buffer.concat([tail, bytes]), LITERAL_REPLACEMENT);
      if (replaced > literal) {
        warned = true;
        warn(
          'invalid-utf8',
          'invalid UTF-8 replaced with U+FFFD (further occurrences not reported); ' +
            'the file is probably in another encoding (e.g. Windows-1252): save it as UTF-8',
          line + count(text.slice(0, at), '\n'),
        );
        return;
      }
    }
    line += count(text, '\n');
    tail = bytes.subarray(Math.max(0, bytes.length - 2));
  };

  try {
    for await (const chunk of stream) {
      if (counter) counter.bytes += chunk.length;
      if (first) {
        sniff(file, chunk);
        first = false;
      }
      const text = decoder.decode(chunk, { stream: true });
      check(text, chunk);
      if (text) yield text;
    }
    const rest = decoder.decode();
    check(rest, Buffer.alloc(0));
    if (rest) yield rest;
  } finally {
    await stream.return(undefined);
  }
}

function sniff(file: string, chunk: Buffer): void {
  const head = chunk.subarray(0, SNIFF_BYTES);
  const utf16 =
    (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (utf16) {
    throw new ReaderError(file, 'not-utf8', 'the file is UTF-16 encoded; save it as UTF-8', 1);
  }
  if (head.includes(0)) {
    throw new ReaderError(
      file,
      'binary-file',
      'does not look like a text file (it contains NUL bytes); expected UTF-8 CSV, JSON or JSONL',
    );
  }
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

function countBytes(buf: Buffer, seq: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(seq); i >= 0; i = buf.indexOf(seq, i + seq.length)) n++;
  return n;
}

/** Counts '\n' in a string (used by the readers to keep line numbers). */
export function countNewlines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
