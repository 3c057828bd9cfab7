/** What the engine needs from the file system. Injected so the language service can serve unsaved buffers and tests can use memory. */
import { FileKind, FileRefusedError, inspectFile, readTextFile, resolveNamedPath } from '../files/boundedReader';

export interface FileHost {
  /**
   * The file's text, or undefined when it does not exist or cannot be read. A file that must not be read
   * (a refused path form, not a regular file, over the kind's size cap) throws a FileRefusedError.
   */
  readText(absolutePath: string, kind?: FileKind): string | undefined;
  exists(absolutePath: string): boolean;
  /** Why a file will not be read (path form, not a regular file, too large); undefined when it can be. */
  refusal?(absolutePath: string, kind: FileKind): FileRefusedError | undefined;
}

/** Refusals that are about the file being dangerous or too big, not merely absent. */
export function isHardRefusal(e: unknown): e is FileRefusedError {
  return e instanceof FileRefusedError && e.code !== 'not-found' && e.code !== 'io';
}

export const nodeFileHost: FileHost = {
  readText(p, kind = 'json') {
    try {
      return readTextFile(p, kind);
    } catch (e) {
      if (isHardRefusal(e)) throw e;
      return undefined;
    }
  },
  exists(p) {
    try {
      inspectFile(p, 'sample');
      return true;
    } catch {
      return false;
    }
  },
  refusal(p, kind) {
    try {
      inspectFile(p, kind);
      return undefined;
    } catch (e) {
      return e instanceof FileRefusedError ? e : undefined;
    }
  },
};

/** A path named in a mapping, resolved from the mapping's folder (UNC, device and file: forms are kept as written: they are refused). */
export function resolveRelative(baseDir: string | undefined, file: string): string {
  return resolveNamedPath(baseDir, file);
}
