/**
 * Writing the saved app schema to the file a mapping names (`app:`). The mapping may be hostile, so the target
 * gets the same checks as a sample snapshot: a local path form, a .json file in the mapping's folder or its git
 * work tree (and, in VS Code, a workspace folder), never a symlink or anything but a regular file; the file is
 * written whole through a temporary file renamed into place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathFormRefusal } from '../../../engine/files/boundedReader';
import { gitWorkTreeOf } from '../../../delivery/stateDir';

export function savedSchemaTargetProblem(mappingFile: string, target: string, within?: readonly string[]): string | undefined {
  const form = pathFormRefusal(target);
  if (form) return `app: ${form}`;
  if (path.extname(target).toLowerCase() !== '.json') return `app: ${path.basename(target)} is not a .json file: the app schema is saved as JSON`;
  const abs = path.resolve(target);
  const inside = (root: string) => {
    const rel = path.relative(path.resolve(root), abs);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  const repo = gitWorkTreeOf(mappingFile);
  if (!inside(path.dirname(path.resolve(mappingFile))) && !(repo && inside(repo))) {
    return `app: ${target} is outside the mapping's folder${repo ? ' and its git work tree' : ''}: the app schema is saved next to the mapping`;
  }
  if (within && !within.some(inside)) return `app: ${target} is outside the workspace folders`;
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(abs);
  } catch {
    st = undefined; // not there yet
  }
  if (st && !st.isFile()) return `app: ${target} exists and is not a regular file (${st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a directory' : 'a device, FIFO or socket'}): not overwritten`;
  return undefined;
}

/** Writes the schema as pretty JSON, atomically (a reader never sees half a file). */
export function writeSavedSchema(target: string, schema: unknown): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o644);
  try {
    fs.writeSync(fd, JSON.stringify(schema, null, 2) + '\n');
    fs.closeSync(fd);
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed */
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
