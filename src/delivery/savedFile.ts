/**
 * Writing a saved copy of what a service declares (the provisioning app's schema for `app:`, a SCIM server's
 * discovery for `server:`) to the file a mapping names. The mapping may be hostile, so the target gets the same
 * checks as a sample snapshot: a local path form, a .json file in the mapping's folder or its git work tree (and,
 * in VS Code, a workspace folder), never a symlink or anything but a regular file; the file is written whole
 * through a temporary file renamed into place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathFormRefusal } from '../engine/files/boundedReader';
import { gitWorkTreeOf } from './stateDir';

/** The mapping key that names the file and what the file holds, for the messages. */
export interface SavedFileKind {
  key: 'app' | 'server';
  what: string;
}

export const APP_SCHEMA_FILE: SavedFileKind = { key: 'app', what: 'the app schema' };
export const SERVER_DISCOVERY_FILE: SavedFileKind = { key: 'server', what: "the server's discovery" };

export function savedFileTargetProblem(mappingFile: string, target: string, kind: SavedFileKind, within?: readonly string[]): string | undefined {
  const k = kind.key;
  const form = pathFormRefusal(target);
  if (form) return `${k}: ${form}`;
  if (path.extname(target).toLowerCase() !== '.json') return `${k}: ${path.basename(target)} is not a .json file: ${kind.what} is saved as JSON`;
  const abs = path.resolve(target);
  const inside = (root: string) => {
    const rel = path.relative(path.resolve(root), abs);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  const repo = gitWorkTreeOf(mappingFile);
  if (!inside(path.dirname(path.resolve(mappingFile))) && !(repo && inside(repo))) {
    return `${k}: ${target} is outside the mapping's folder${repo ? ' and its git work tree' : ''}: ${kind.what} is saved next to the mapping`;
  }
  if (within && !within.some(inside)) return `${k}: ${target} is outside the workspace folders`;
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(abs);
  } catch {
    st = undefined; // not there yet
  }
  if (st && !st.isFile()) return `${k}: ${target} exists and is not a regular file (${st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a directory' : 'a device, FIFO or socket'}): not overwritten`;
  return undefined;
}

/** Writes the value as pretty JSON, atomically (a reader never sees half a file). */
export function writeSavedJson(target: string, value: unknown): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o644);
  try {
    fs.writeSync(fd, JSON.stringify(value, null, 2) + '\n');
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
