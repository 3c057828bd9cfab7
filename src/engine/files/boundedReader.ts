/**
 * The one way SCIM Mapper opens a file that a mapping (or its user) names: samples, inputs, schema files,
 * the mapping itself. A mapping comes from a repository and may be hostile, so before reading:
 *
 * 1. the path's *form* is checked without touching the file system: UNC and device paths (`\\host\share`,
 *    `//host/share`, `\\?\`, `\\.\`), `file:` URLs and Windows device names (`CON`, `NUL`, `COM1` …) are refused
 *    on every platform (on Windows, merely opening a UNC path makes an SMB connection with the user's NTLM
 *    credentials);
 * 2. symlinks are resolved (realpath) and the target's form is checked again;
 * 3. the target must be a regular file (stat) — FIFOs, sockets, character and block devices (`/dev/zero`,
 *    `/dev/stdin`) and directories are refused;
 * 4. it is opened read-only with O_NONBLOCK (a FIFO swapped in after the stat still cannot block the open),
 *    and the open handle is checked again (fstat) so the checks apply to what is actually read;
 * 5. at most the kind's size cap is read; a bigger file is refused with a message naming the file and the cap.
 *
 * Whole-file reads return bytes; `readTextFile` is the single place where bytes become text (UTF-8, BOM
 * dropped) — the hook for other encodings. Streams hand out the raw byte chunks of the checked handle.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a file is read as; each kind has its own size cap (`undefined`: streamed, no whole-file cap). */
export type FileKind = 'mapping' | 'schema' | 'sample' | 'input' | 'json' | 'test' | 'psd1';

const MiB = 1024 * 1024;

/** Size caps per kind, in bytes. Far above any real file of the kind; a stop for a hostile one. */
export const FILE_SIZE_CAPS: Readonly<Record<FileKind, number | undefined>> = {
  mapping: 8 * MiB,
  schema: 4 * MiB,
  json: 16 * MiB,
  test: 8 * MiB,
  psd1: 1 * MiB,
  // Samples and inputs are streamed record by record; the sample reader bounds how much it reads
  // (readers/sample.ts), an upload input may be any size.
  sample: undefined,
  input: undefined,
};

const KIND_NAME: Record<FileKind, string> = {
  mapping: 'mapping file',
  schema: 'schema file',
  json: 'JSON file',
  test: 'mapping test file',
  psd1: 'CSV2SCIM attribute mapping',
  sample: 'sample file',
  input: 'input file',
};

export type FileRefusalCode = 'path-refused' | 'not-regular-file' | 'file-too-large' | 'not-found' | 'io';

/** A file that is not read, and why. `message` names the file (as given) and, for a cap, the cap. */
export class FileRefusedError extends Error {
  override readonly name = 'FileRefusedError';
  constructor(
    readonly file: string,
    readonly code: FileRefusalCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}

const WINDOWS_DEVICE = new Set(['con', 'prn', 'aux', 'nul', 'conin$', 'conout$', 'clock$']);

/**
 * Why a path must not be opened, judged from its text alone (no file system call), or undefined when its
 * form is fine. Applies on every platform, so a mapping behaves the same on Windows, macOS and Linux.
 */
export function pathFormRefusal(p: string): string | undefined {
  if (p.length === 0) return 'the path is empty';
  if (p.includes('\u0000')) return 'the path contains a NUL character';
  const c0 = p.charCodeAt(0);
  const c1 = p.charCodeAt(1);
  const sep = (c: number) => c === 0x2f || c === 0x5c; // '/' or '\'
  if (sep(c0) && sep(c1)) {
    return 'UNC and device paths (\\\\host\\share, //host/share, \\\\?\\, \\\\.\\) are not read: name a local file';
  }
  if (p.slice(0, 5).toLowerCase() === 'file:') return 'file: URLs are not read: name a local file path';
  const base = basenameAnySep(p).toLowerCase();
  const stem = base.split('.')[0].trimEnd(); // Windows ignores trailing spaces: 'nul .csv' is NUL too
  if (WINDOWS_DEVICE.has(stem) || /^(com|lpt)[0-9¹²³]$/.test(stem)) return `'${base}' is a Windows device name, not a file`;
  return undefined;
}

function basenameAnySep(p: string): string {
  let i = p.length - 1;
  while (i >= 0 && p[i] !== '/' && p[i] !== '\\') i--;
  return p.slice(i + 1);
}

/**
 * Resolves a path a mapping gives relative to the mapping's folder. A path whose form is refused is returned
 * as written (resolving would turn `//host/share` into `/host/share` on POSIX and hide what it was), so every
 * later check refuses it too.
 */
export function resolveNamedPath(baseDir: string | undefined, file: string): string {
  if (pathFormRefusal(file)) return file;
  return path.resolve(baseDir ?? process.cwd(), file);
}

export interface CheckedFile {
  /** The path as given. */
  file: string;
  /** The symlink-free path that is actually read. */
  realPath: string;
  size: number;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file (a part of the path is not a folder)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

function ioRefusal(file: string, e: unknown): FileRefusedError {
  if (e instanceof FileRefusedError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const reason = (code && REASONS[code]) ?? `cannot be read (${code ?? (e as Error)?.message ?? String(e)})`;
  return new FileRefusedError(file, code === 'ENOENT' || code === 'ENOTDIR' ? 'not-found' : 'io', reason, { cause: e });
}

function typeName(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function checkStats(file: string, st: fs.Stats, kind: FileKind, maxBytes: number | undefined): void {
  if (!st.isFile()) throw new FileRefusedError(file, 'not-regular-file', `is ${typeName(st)}, not a regular file: only regular files are read`);
  if (maxBytes !== undefined && st.size > maxBytes) throw tooLarge(file, kind, maxBytes);
}

function tooLarge(file: string, kind: FileKind, maxBytes: number): FileRefusedError {
  return new FileRefusedError(file, 'file-too-large', `is larger than ${formatBytes(maxBytes)}, the limit for a ${KIND_NAME[kind]}`);
}

export function formatBytes(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

export interface BoundedOptions {
  /** Overrides the kind's cap (tests, callers with a tighter budget). */
  maxBytes?: number;
}

function capOf(kind: FileKind, opts?: BoundedOptions): number | undefined {
  return opts?.maxBytes ?? FILE_SIZE_CAPS[kind];
}

/**
 * Checks a file without opening it: path form, symlinks resolved, a regular file within the cap.
 * Throws FileRefusedError. Cheap enough for the language server's main thread (stat calls never block).
 */
export function inspectFile(file: string, kind: FileKind, opts?: BoundedOptions): CheckedFile {
  const form = pathFormRefusal(file);
  if (form) throw new FileRefusedError(file, 'path-refused', form);
  let realPath: string;
  let st: fs.Stats;
  try {
    realPath = realpathOf(file, kind, opts);
    const resolved = pathFormRefusal(realPath);
    if (resolved) throw new FileRefusedError(file, 'path-refused', `is a link to ${realPath}: ${resolved}`);
    st = fs.statSync(realPath);
  } catch (e) {
    throw ioRefusal(file, e);
  }
  checkStats(file, st, kind, capOf(kind, opts));
  return { file, realPath, size: st.size };
}

/**
 * realpath, or a refusal that says what the file is when it has no path: /dev/stdin resolves through
 * /proc/self/fd/0 to "pipe:[…]" or "socket:[…]", which realpath cannot resolve but stat can describe.
 */
function realpathOf(file: string, kind: FileKind, opts?: BoundedOptions): string {
  try {
    return fs.realpathSync.native(file);
  } catch (e) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(file);
    } catch {
      st = undefined;
    }
    if (st) checkStats(file, st, kind, capOf(kind, opts));
    throw e;
  }
}

// O_NONBLOCK does not exist on Windows, where there are no FIFOs to block on.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Opens a checked file; the caller owns (and must close) the descriptor. */
export function openChecked(file: string, kind: FileKind, opts?: BoundedOptions): CheckedFile & { fd: number } {
  const checked = inspectFile(file, kind, opts);
  let fd: number;
  try {
    fd = fs.openSync(checked.realPath, OPEN_FLAGS);
  } catch (e) {
    throw ioRefusal(file, e);
  }
  try {
    // The file may have been swapped between the stat and the open: the handle is what counts.
    const st = fs.fstatSync(fd);
    checkStats(file, st, kind, capOf(kind, opts));
    return { ...checked, size: st.size, fd };
  } catch (e) {
    fs.closeSync(fd);
    throw ioRefusal(file, e);
  }
}

/** The whole file as bytes, at most the kind's cap (also when the file grows while it is read). */
export function readFileBytes(file: string, kind: FileKind, opts?: BoundedOptions): Buffer {
  const max = capOf(kind, opts) ?? FILE_SIZE_CAPS.json!;
  const { fd, size } = openChecked(file, kind, { maxBytes: max });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // Read one byte past the cap to notice a file that grew after the fstat.
    let want = Math.min(size, max) + 1;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(want, 1), 1024 * 1024));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > max) throw tooLarge(file, kind, max);
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      want = Math.max(1, want - n);
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    throw ioRefusal(file, e);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Bytes → text for every whole-file read: UTF-8, a leading byte order mark dropped (as editors do, so
 * positions agree). The one place to extend for other encodings.
 */
export function decodeText(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** The whole file as text (see decodeText), bounded and checked like readFileBytes. */
export function readTextFile(file: string, kind: FileKind, opts?: BoundedOptions): string {
  return decodeText(readFileBytes(file, kind, opts));
}

export interface StreamOptions extends BoundedOptions {
  /** Bytes per chunk (default 64 KiB). */
  chunkSize?: number;
  signal?: AbortSignal;
}

/**
 * Streams the raw bytes of a checked file. The checks run when iteration starts (so an error surfaces
 * where the records are consumed); the descriptor is closed when the iteration ends or is abandoned.
 * With a cap, reading more than the cap fails.
 */
export async function* streamFileBytes(file: string, kind: FileKind, opts: StreamOptions = {}): AsyncGenerator<Buffer> {
  opts.signal?.throwIfAborted();
  const max = capOf(kind, opts);
  const { fd } = openChecked(file, kind, opts);
  const stream = fs.createReadStream('', { fd, autoClose: true, highWaterMark: opts.chunkSize ?? 64 * 1024, signal: opts.signal });
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (max !== undefined && total > max) throw tooLarge(file, kind, max);
      yield chunk;
    }
  } finally {
    stream.destroy();
  }
}
