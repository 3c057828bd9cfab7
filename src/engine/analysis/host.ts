/** What the engine needs from the file system. Injected so the language service can serve unsaved buffers and tests can use memory. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileHost {
  /** The file's text, or undefined when it cannot be read. */
  readText(absolutePath: string): string | undefined;
  exists(absolutePath: string): boolean;
}

export const nodeFileHost: FileHost = {
  readText(p) {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists(p) {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
};

export function resolveRelative(baseDir: string | undefined, file: string): string {
  return path.resolve(baseDir ?? process.cwd(), file);
}
