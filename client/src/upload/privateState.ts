/**
 * Small JSON files in the extension's global storage that hold upload state across sessions (the interrupted run,
 * the last results view). They name people (results labels, externalIds for the log queries), so they live in the
 * private state directory (0700) as 0600 files, not in VS Code's shared state database. Pure: no `vscode` import.
 */
import { createHmac } from 'node:crypto';
import { closeSync, fchmodSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '../../../src/delivery/stateDir';
import type { BulkRequest } from '../../../src/engine/types';
import { externalIdOf, labelOf, operationsOf, type RecordChoice } from './selection';

export class PrivateState {
  constructor(private readonly dir: string) {}

  read<T>(name: string): T | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as T;
    } catch {
      return undefined; // missing or torn: nothing to offer
    }
  }

  /** Writes `value` (undefined deletes the file); write-then-rename, so a crash never leaves half a file. */
  write(name: string, value: unknown): void {
    ensurePrivateDir(this.dir);
    const path = join(this.dir, name);
    if (value === undefined) return void rmSync(path, { force: true });
    const tmp = `${path}.${process.pid}.tmp`;
    rmSync(tmp, { force: true });
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      if (process.platform !== 'win32') fchmodSync(fd, 0o600);
      writeSync(fd, JSON.stringify(value));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  }
}

/** A record choice as it is kept for a resume: records by keyed hashes of their externalIds, never the ids themselves. */
export type StoredChoice =
  | Exclude<RecordChoice, { kind: 'record' } | { kind: 'records' }>
  | { kind: 'record'; idHash: string }
  | { kind: 'records'; idHashes: string[]; label?: string };

const choiceHash = (key: Buffer, externalId: string): string => createHmac('sha256', key).update(`choice\u0000${externalId}`).digest('hex').slice(0, 32);

export function sealChoice(choice: RecordChoice, key: Buffer): StoredChoice {
  if (choice.kind === 'record') return { kind: 'record', idHash: choiceHash(key, choice.externalId) };
  if (choice.kind === 'records') return { kind: 'records', idHashes: choice.externalIds.map((id) => choiceHash(key, id)), label: choice.label };
  return choice;
}

/** The stored choice against the records there are now; a record no longer among them is reported by selectRequests. */
export function openChoice(stored: StoredChoice, requests: readonly BulkRequest[], key: Buffer): RecordChoice {
  if (stored.kind === 'records') {
    const wanted = new Set(stored.idHashes);
    const externalIds = operationsOf(requests).map((o) => externalIdOf(o) ?? o.bulkId).filter((id) => wanted.has(choiceHash(key, id)));
    return { kind: 'records', externalIds, label: stored.label };
  }
  if (stored.kind !== 'record') return stored;
  const op = operationsOf(requests).find((o) => {
    const id = externalIdOf(o) ?? o.bulkId;
    return choiceHash(key, id) === stored.idHash;
  });
  return op ? { kind: 'record', externalId: externalIdOf(op) ?? op.bulkId, label: labelOf(op) } : { kind: 'record', externalId: '', label: 'the record of the interrupted upload' };
}
