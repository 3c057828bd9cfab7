/**
 * Bytes → text for the source readers, independent of where the bytes come from (a file stream, a buffer).
 *
 * - A byte order mark decides: UTF-8, UTF-16 LE or UTF-16 BE (Windows PowerShell `>` and Excel "Unicode Text"
 *   write UTF-16 with a BOM). The BOM is dropped.
 * - Otherwise `encoding` (the mapping's `source.encoding`, any WHATWG label such as `windows-1252` or
 *   `iso-8859-1`), decoded with Node's TextDecoder (full ICU), which keeps multi-byte sequences split across
 *   chunks intact.
 * - Otherwise UTF-8, strictly: the first invalid byte is an `invalid-utf8` error with its line and byte
 *   offset, because silently replaced characters end up in names and e-mail addresses.
 */
import { TextDecoder } from 'node:util';
import { ReaderError } from './errors';

/** Bytes looked at for NULs (a binary file, or UTF-16 without a BOM). */
const SNIFF_BYTES = 1024;

export interface DecodeOptions {
  /** File name for errors. */
  file: string;
  /** A WHATWG encoding label; default UTF-8. A BOM overrides it. */
  encoding?: string;
}

/** The canonical name of an encoding label, or undefined when this runtime cannot decode it. */
export function encodingName(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

type Bom = { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; length: number };

function bomOf(head: Uint8Array): Bom | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** Decodes a byte stream into text chunks (see the module comment for the rules). */
export async function* decodeStream(chunks: AsyncIterable<Uint8Array>, opts: DecodeOptions): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let strict = false;
  let pending: Uint8Array = new Uint8Array(0); // bytes before the BOM can be judged (a file may start with 1 byte)
  const pos = new Position();

  const start = (head: Uint8Array): Uint8Array => {
    const bom = bomOf(head);
    let label = bom?.encoding ?? opts.encoding ?? 'utf-8';
    const name = encodingName(label);
    if (name === undefined) {
      throw new ReaderError(opts.file, 'unknown-encoding', `unknown encoding "${label}"; use a name such as utf-8, utf-16le, windows-1252 or iso-8859-1`);
    }
    label = name;
    if (!label.startsWith('utf-16')) sniff(opts.file, head.subarray(0, SNIFF_BYTES), opts.encoding);
    strict = label === 'utf-8';
    // ignoreBOM: we strip the BOM ourselves, so that a BOM-less file keeps its first bytes.
    decoder = new TextDecoder(label, { fatal: strict, ignoreBOM: true });
    pos.offset = bom?.length ?? 0; // byte offsets count the BOM, as a hex editor does
    return bom ? head.subarray(bom.length) : head;
  };

  const decode = (bytes: Uint8Array, final: boolean): string => {
    let text: string;
    try {
      text = decoder!.decode(bytes, { stream: !final });
    } catch {
      throw invalidUtf8(opts.file, pos, bytes);
    }
    if (strict) pos.advance(bytes);
    return text;
  };

  for await (const chunk of chunks) {
    let bytes: Uint8Array = chunk;
    if (!decoder) {
      pending = concat(pending, chunk);
      if (pending.length < 3) continue;
      bytes = start(pending);
    }
    const text = decode(bytes, false);
    if (text) yield text;
  }
  if (!decoder) {
    if (pending.length === 0) return;
    const text = decode(start(pending), true);
    if (text) yield text;
    return;
  }
  const rest = decode(new Uint8Array(0), true);
  if (rest) yield rest;
}

/** Decodes a whole buffer with the same rules as decodeStream. */
export function decodeBytes(bytes: Uint8Array, opts: DecodeOptions): string {
  const bom = bomOf(bytes);
  const label = bom?.encoding ?? opts.encoding ?? 'utf-8';
  const name = encodingName(label);
  if (name === undefined) {
    throw new ReaderError(opts.file, 'unknown-encoding', `unknown encoding "${label}"; use a name such as utf-8, utf-16le, windows-1252 or iso-8859-1`);
  }
  const body = bom ? bytes.subarray(bom.length) : bytes;
  if (!name.startsWith('utf-16')) sniff(opts.file, body.subarray(0, SNIFF_BYTES), opts.encoding);
  let text: string;
  try {
    text = new TextDecoder(name, { fatal: name === 'utf-8', ignoreBOM: true }).decode(body);
  } catch {
    throw invalidUtf8(opts.file, new Position(bom ? bom.length : 0), body);
  }
  return text;
}

/** Where the next undecoded byte is: its offset in the file and its line. */
class Position {
  line = 1;
  constructor(public offset = 0) {}
  advance(bytes: Uint8Array, to = bytes.length): void {
    for (let i = bytes.indexOf(10); i >= 0 && i < to; i = bytes.indexOf(10, i + 1)) this.line++;
    this.offset += to;
  }
}

function invalidUtf8(file: string, pos: Position, bytes: Uint8Array): ReaderError {
  // The decoder may hold up to 3 bytes of an unfinished sequence from the previous chunk; the error is in
  // this chunk or at its start, which is precise enough for a user to find it (line and byte offset).
  let at = firstInvalidUtf8(bytes);
  if (at >= bytes.length) at = 0; // a sequence begun in the previous chunk and not continued here
  const where = new Position(pos.offset);
  where.line = pos.line;
  where.advance(bytes, at);
  const what = at < bytes.length ? `byte ${where.offset}: 0x${bytes[at].toString(16).padStart(2, '0')}` : `the file ends inside a character, after byte ${where.offset}`;
  return new ReaderError(
    file,
    'invalid-utf8',
    `the file is not valid UTF-8 (${what}); ` +
      'it is probably a legacy export: set source.encoding (e.g. windows-1252 or iso-8859-1), or save it as UTF-8',
    where.line,
  );
}

/**
 * Index of the first byte that starts an invalid UTF-8 sequence (leading continuation bytes are skipped: they
 * belong to a sequence begun in the previous chunk); bytes.length when there is none.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && i < 3 && (bytes[i] & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i];
    let n: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    if (i + n >= bytes.length) return i; // cut off by the end: the error when nothing else is
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return bytes.length;
}

function sniff(file: string, head: Uint8Array, encoding: string | undefined): void {
  if (!head.includes(0)) return;
  const hint = encoding === undefined ? ' (UTF-16 without a byte order mark: set source.encoding to utf-16le or utf-16be)' : '';
  throw new ReaderError(
    file,
    'binary-file',
    `does not look like a text file (it contains NUL bytes)${hint}; expected CSV, JSON or JSONL text`,
  );
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
