import { streamFileBytes, type FileKind } from '../files/boundedReader';
import { decodeStream } from './decode';

/** Bytes per read; also the most a reader holds besides the record being assembled. */
const CHUNK_SIZE = 64 * 1024;

export type WarnFn = (code: string, message: string, line?: number) => void;

export interface ReadTextOptions {
  signal?: AbortSignal;
  /** source.encoding (a WHATWG label); a BOM overrides it. */
  encoding?: string;
  kind?: FileKind;
  /** Counts the bytes read (for byte budgets). */
  counter?: { bytes: number };
}

/**
 * Streams a file as text chunks. The bounded reader checks the path and the file (regular file, no FIFO or
 * device) and streams its bytes; `decodeStream` turns them into text: a BOM picks UTF-8 or UTF-16, else
 * `encoding`, else strict UTF-8. Invalid UTF-8 and binary files are errors at or before the bad byte.
 */
export async function* readText(file: string, opts: ReadTextOptions = {}): AsyncGenerator<string> {
  const stream = streamFileBytes(file, opts.kind ?? 'input', { chunkSize: CHUNK_SIZE, signal: opts.signal });
  const counter = opts.counter;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of stream) {
      if (counter) counter.bytes += chunk.length;
      yield chunk;
    }
  }
  try {
    yield* decodeStream(counted(), { file, encoding: opts.encoding });
  } finally {
    await stream.return(undefined);
  }
}

/** Counts '\n' in a string (used by the readers to keep line numbers). */
export function countNewlines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
