/**
 * The local snapshot of a source (its `source.sample`): personal data, so it is written with mode 0600 through a
 * private temp file renamed into place (a reader never sees half a file, a failed pull leaves the old snapshot).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceRecord } from '../engine/readers';
import { pathFormRefusal } from '../engine/files/boundedReader';
import { gitWorkTreeOf } from '../delivery/stateDir';

export type SnapshotFormat = 'json' | 'jsonl';

/** The format from the extension, which must be .json, .jsonl or .ndjson (a `format:` cannot make any file a snapshot). */
export function snapshotFormat(file: string, declared?: string): SnapshotFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  const fromExt: SnapshotFormat | undefined = ext === '.json' ? 'json' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : undefined;
  if (!fromExt || (declared !== undefined && declared !== fromExt)) return undefined;
  return fromExt;
}

/**
 * Why the snapshot may not be written at `target` (named by a mapping, which may be hostile), or undefined. It must
 * have a local path form, lie in the mapping's folder or, when the mapping is in a git work tree, anywhere in that
 * work tree (`within` adds a further root, e.g. the VS Code workspace folders), and an existing file there must be
 * a regular file (no symlink, device, FIFO or directory).
 */
export function snapshotTargetProblem(mappingFile: string, target: string, within?: readonly string[]): string | undefined {
  const form = pathFormRefusal(target);
  if (form) return form;
  const abs = path.resolve(target);
  const inside = (root: string) => {
    const rel = path.relative(path.resolve(root), abs);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  const mappingDir = path.dirname(path.resolve(mappingFile));
  const repo = gitWorkTreeOf(mappingFile);
  if (!inside(mappingDir) && !(repo && inside(repo))) return `the snapshot ${target} is outside the mapping's folder${repo ? ' and its git work tree' : ''}: a snapshot is written next to the mapping`;
  if (within && !within.some(inside)) return `the snapshot ${target} is outside the workspace folders`;
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(abs);
  } catch {
    st = undefined; // not there yet: fine
  }
  if (st && !st.isFile()) return `${target} exists and is not a regular file (${st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a directory' : 'a device, FIFO or socket'}): not overwritten`;
  return undefined;
}

export async function writeSnapshot(target: string, format: SnapshotFormat, records: AsyncIterable<SourceRecord>, limit: number): Promise<{ records: number; truncated: boolean }> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  let n = 0;
  let truncated = false;
  try {
    const write = (s: string) => fs.writeSync(fd, s);
    if (format === 'json') write('[');
    for await (const r of records) {
      if (n >= limit) {
        truncated = true;
        break; // closes the source (and its connection)
      }
      write(format === 'json' ? `${n ? ',' : ''}\n${JSON.stringify(r.value)}` : `${JSON.stringify(r.value)}\n`);
      n++;
    }
    if (format === 'json') write(n ? '\n]\n' : ']\n');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, target);
    fs.chmodSync(target, 0o600);
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed */
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return { records: n, truncated };
}

export { gitWorkTreeOf };

/** True when git (or, without git, a literal line of the work tree's .gitignore) ignores the file. */
export function isIgnoredByGitignore(repo: string, file: string): boolean {
  try {
    execFileSync('git', ['-C', repo, 'check-ignore', '-q', '--', path.relative(repo, file)], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch (e) {
    if ((e as { status?: number }).status === 1) return false;
  }
  const rel = path.relative(repo, file).split(path.sep).join('/');
  try {
    const lines = fs.readFileSync(path.join(repo, '.gitignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    return lines.includes(rel) || lines.includes(`/${rel}`);
  } catch {
    return false;
  }
}

/** Appends `/relative/path` to the work tree's .gitignore; returns the line. */
export function addToGitignore(repo: string, file: string): string {
  const line = `/${path.relative(repo, file).split(path.sep).join('/')}`;
  const gi = path.join(repo, '.gitignore');
  let existing = '';
  try {
    existing = fs.readFileSync(gi, 'utf8');
  } catch {
    /* no .gitignore yet */
  }
  fs.appendFileSync(gi, `${existing && !existing.endsWith('\n') ? '\n' : ''}# SCIM Mapper source snapshot (personal data)\n${line}\n`);
  return line;
}
