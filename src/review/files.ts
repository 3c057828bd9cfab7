/** File access for mapping tests and change impact: bounded folder walks, test files, a mapping's base version. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileRefusedError, readTextFile, resolveNamedPath } from '../engine/files/boundedReader';

/** Test files are small; a bigger one is refused rather than read. */
export const MAX_TEST_FILE_BYTES = 8 * 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', '.e2e', '.vscode-test']);
const MAX_ENTRIES = 20_000;
const MAX_DEPTH = 12;

/** Files below `dir` that `match`, skipping build and VCS folders and symlinks; bounded in depth and entries. */
export function findFiles(dir: string, match: (p: string) => boolean): string[] {
  const out: string[] = [];
  let seen = 0;
  const walk = (d: string, depth: number) => {
    if (depth > MAX_DEPTH || seen > MAX_ENTRIES) return;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name)) walk(p, depth + 1); }
      else if (e.isFile() && match(p)) out.push(p);
    }
  };
  walk(dir, 0);
  return out.sort();
}

/** A test file's text, through the bounded reader (regular files only, never a FIFO or device; at most 8 MiB). */
export function readTestText(file: string): string {
  try {
    return readTextFile(file, 'test', { maxBytes: MAX_TEST_FILE_BYTES });
  } catch (e) {
    throw e instanceof FileRefusedError ? new Error(e.reason) : e; // callers name the file themselves
  }
}

export class BaseError extends Error {}

/**
 * The base version of a mapping for `diff`: a file, or the mapping as committed at a git revision
 * (`git show REV:./<file>`, run in the mapping's folder without a shell; the revision must look like one).
 */
export async function readBaseMapping(mappingPath: string, base: string, cwd: string): Promise<{ text: string; label: string }> {
  const asFile = resolveNamedPath(cwd, base);
  // A file when one is there, read by the bounded reader (regular files only, at most the mapping cap). A path
  // that must not be read (UNC or device form, FIFO, too large) is an error, not a revision; a folder or a
  // missing file may still be a revision name.
  try {
    return { text: readTextFile(asFile, 'mapping'), label: base };
  } catch (e) {
    if (!(e instanceof FileRefusedError)) throw e;
    const folder = e.code === 'not-regular-file' && fs.statSync(asFile, { throwIfNoEntry: false })?.isDirectory();
    if (e.code === 'path-refused' || e.code === 'file-too-large' || (e.code === 'not-regular-file' && !folder)) throw new BaseError(`${base}: ${e.reason}`);
  }
  // A revision, not an option or a path expression: letters, digits and the characters git revisions use.
  if (!/^[A-Za-z0-9][A-Za-z0-9._/@{}~^-]*$/.test(base) || base.includes('..')) throw new BaseError(`--base ${base}: neither a file nor a git revision`);
  const dir = path.dirname(mappingPath);
  const text = await new Promise<string>((resolve, reject) => {
    execFile('git', ['show', `${base}:./${path.basename(mappingPath)}`], { cwd: dir, maxBuffer: MAX_TEST_FILE_BYTES, timeout: 30_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new BaseError(`git show ${base}:./${path.basename(mappingPath)}: ${(stderr || err.message).trim().split('\n')[0]}`));
      else resolve(stdout);
    });
  });
  return { text: text.replace(/^\uFEFF/, ''), label: base };
}
