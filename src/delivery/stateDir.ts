/**
 * Where upload journals and the journal key live: a per-user state directory, never the repository.
 * VS Code passes its global storage; the CLI uses `$XDG_STATE_HOME/scimmap` or `~/.local/state/scimmap`.
 * Directories are created 0700 and files 0600, so other local users cannot read which runs happened.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fchmodSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;
const KEY_FILE = 'journal.key';

/** The CLI's state directory: `$XDG_STATE_HOME/scimmap`, else `~/.local/state/scimmap` (XDG Base Directory spec). */
export function cliStateDirectory(env: NodeJS.ProcessEnv, home = homedir()): string {
  const xdg = env.XDG_STATE_HOME;
  // The spec says relative values are invalid and must be ignored.
  if (xdg && isAbsolute(xdg)) return join(xdg, 'scimmap');
  return join(env.HOME && isAbsolute(env.HOME) ? env.HOME : home, '.local', 'state', 'scimmap');
}

/** Creates `dir` (and parents) and makes `dir` itself 0700, whatever the umask or an older version left. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (process.platform !== 'win32') chmodSync(dir, DIR_MODE);
  return dir;
}

/**
 * The per-user key that journals use to hash externalIds (HMAC-SHA256), created on first use. A journal copied
 * elsewhere then reveals no employee id, even to someone who guesses the id format and tries every value.
 */
export function journalKey(stateDir: string): Buffer {
  ensurePrivateDir(stateDir);
  const path = join(stateDir, KEY_FILE);
  if (!existsSync(path)) {
    try {
      const fd = openSync(path, 'wx', FILE_MODE);
      try {
        writeSync(fd, randomBytes(32).toString('hex') + '\n');
        if (process.platform !== 'win32') fchmodSync(fd, FILE_MODE);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process created it first: use theirs
    }
  }
  const st = lstatSync(path);
  if (!st.isFile()) throw new Error(`${path} is not a regular file`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) chmodSync(path, FILE_MODE);
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path} is not a SCIM Mapper journal key (delete it to create a new one; older journals then cannot be resumed)`);
  return Buffer.from(hex, 'hex');
}

/** The git work tree that contains `path` (the nearest parent with a `.git` entry), or undefined. */
export function gitWorkTreeOf(path: string): string | undefined {
  let dir = resolve(dirname(path));
  for (let i = 0; i < 256; i++) {
    try {
      statSync(join(dir, '.git'));
      return dir;
    } catch {
      // not here
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}
