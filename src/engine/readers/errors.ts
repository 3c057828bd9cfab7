import { FileRefusedError } from '../files/boundedReader';
import type { ReaderWarning } from './types';

/** `file:line:column: message`, leaving out the parts that are unknown. */
export function formatLocation(file: string, line?: number, column?: number): string {
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

export function formatWarning(w: ReaderWarning): string {
  return `${formatLocation(w.file, w.line)}: ${w.message}`;
}

/**
 * A source file that cannot be read as records. `message` is the full text
 * (`workers.csv:17: row has 9 fields, header has 8`); `detail` is the same without the location,
 * for callers that show the location separately (diagnostics).
 */
export class ReaderError extends Error {
  override readonly name = 'ReaderError';
  constructor(
    readonly file: string,
    readonly code: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
    options?: { cause?: unknown },
  ) {
    super(`${formatLocation(file, line, column)}: ${detail}`, options);
  }
}

/** Turns a file-system error into one clear ReaderError; passes aborts and ReaderErrors through. */
export function toReaderError(file: string, err: unknown): unknown {
  if (err instanceof ReaderError) return err;
  if (err instanceof FileRefusedError) {
    // Refusals keep their code (path-refused, not-regular-file, file-too-large); a missing file stays `io`.
    const missing = err.code === 'not-found' || err.code === 'io';
    return new ReaderError(file, missing ? 'io' : err.code, missing ? `cannot read file: ${err.reason}` : err.reason, undefined, undefined, { cause: err });
  }
  const e = err as NodeJS.ErrnoException;
  if (e && e.name === 'AbortError') return err;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EISDIR: 'is a directory, not a file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  const reason = (e?.code && reasons[e.code]) ?? (e?.message || String(err));
  return new ReaderError(file, 'io', `cannot read file: ${reason}`, undefined, undefined, { cause: err });
}
