/**
 * The run journal: JSON lines, fsync'd after every line, so that an interrupted upload resumes without sending a
 * record twice or losing one.
 *
 *   {"type":"run", ...header}                       endpoint, mapping hash, input identity, run id
 *   {"type":"sending","seq":3,"count":50}       written just before the first HTTP call of a batch
 *   {"type":"batch","seq":3,...,"status":"accepted"}   the batch's outcome
 *   {"type":"resume","at":...} / {"type":"end","reason":...}
 *
 * Records are identified by their ordinal in the operation stream (stable because resume requires the same input
 * and mapping) plus a keyed hash of the externalId (HMAC-SHA256 with the user's journal key, see stateDir.ts) to
 * detect a changed input. The journal holds ordinals, keyed hashes and statuses only: no externalId, bulkId (which
 * is derived from it), token, secret or record content. Files are 0600, new directories 0700.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { streamFileBytes } from '../engine/files/boundedReader';
import { dirname, resolve } from 'node:path';
import { DIR_MODE, FILE_MODE } from './stateDir';
import type { BatchStatus } from './types';

export interface InputIdentity {
  /** Absolute path of the input file (informational; the hash decides). */
  path?: string;
  size: number;
  sha256: string;
}

export interface RunIdentity {
  endpoint: string;
  mappingHash: string;
  input: InputIdentity;
}

interface RunHeader extends RunIdentity {
  type: 'run';
  /** 2: keyed hashes only. Version 1 journals (ids in clear text) are not resumed. */
  version: 2;
  runId: string;
  createdAt: string;
  /** Fingerprint of the journal key, so that a resume with another key fails clearly instead of "records changed". */
  keyId: string;
}

export interface JournalBatch {
  seq: number;
  /** Ordinals of the batch's operations in the whole operation stream (a resumed batch may have gaps). */
  ordinals: number[];
  /** Keyed hashes of the externalIds, in operation order (empty string when a record had none). */
  idHashes: string[];
  status: BatchStatus;
  httpStatus?: number;
  requestId?: string;
  attempts: number;
  errorCode?: string;
}

export class JournalError extends Error {
  override name = 'JournalError';
}

export async function fileIdentity(path: string): Promise<InputIdentity> {
  const abs = resolve(path);
  const hash = createHash('sha256');
  let size = 0;
  // The bounded reader: the input a mapping names may be a FIFO or a device, which must not block or run forever.
  for await (const chunk of streamFileBytes(abs, 'input')) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { path: abs, size, sha256: hash.digest('hex') };
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function keyId(key: Buffer): string {
  if (key.length < 16) throw new JournalError('the journal key is too short');
  return createHmac('sha256', key).update('scimmap journal key id').digest('hex').slice(0, 16);
}

export class Journal {
  private fd: number;
  private readonly accepted = new Map<number, string>();
  /** Highest batch seq seen, so that a resumed run numbers its batches after the earlier ones. */
  private lastSeq = -1;
  private inDoubtCount = 0;

  private constructor(
    readonly path: string,
    readonly header: RunHeader,
    readonly resumed: boolean,
    private readonly key: Buffer,
  ) {
    // New directories are private; an existing one (an explicit --journal) is left as the user made it.
    mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
    this.fd = openSync(path, resumed ? 'a' : 'wx', FILE_MODE);
    // Also a journal written by an older version with a wider mode, and whatever the umask did.
    if (process.platform !== 'win32') fchmodSync(this.fd, FILE_MODE);
  }

  /**
   * Starts a new journal; refuses to overwrite an existing file. `key` is the user's journal key
   * (`journalKey(stateDir)`): the externalIds are hashed with it.
   */
  static create(path: string, identity: RunIdentity, key: Buffer): Journal {
    const abs = resolve(path);
    if (existsSync(abs)) throw new JournalError(`journal ${abs} already exists; use --resume to continue it`);
    const header: RunHeader = { type: 'run', version: 2, runId: randomUUID(), createdAt: new Date().toISOString(), keyId: keyId(key), ...identity };
    const j = new Journal(abs, header, false, key);
    j.write(header);
    return j;
  }

  /** Opens an existing journal to continue its run; refuses when the endpoint, mapping, input or key differ. */
  static resume(path: string, identity: RunIdentity, key: Buffer): Journal {
    const abs = resolve(path);
    if (!existsSync(abs)) throw new JournalError(`journal ${abs} does not exist`);
    const lines = readFileSync(abs, 'utf8').split('\n');
    const entries: Array<Record<string, unknown>> = [];
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        entries.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Only the last line may be torn (crash mid-write); anything else is corruption.
        if (i < lines.length - 2 || lines.slice(i + 1).some((l) => l.trim())) {
          throw new JournalError(`journal ${abs} is corrupt at line ${i + 1}`);
        }
      }
    });
    const header = entries[0] as unknown as RunHeader | undefined;
    if (!header || header.type !== 'run') throw new JournalError(`${abs} is not a SCIM Mapper run journal`);
    if ((header.version as number) === 1) {
      throw new JournalError(`cannot resume: ${abs} was written by an older SCIM Mapper that kept ids in clear text; delete it and start a new upload`);
    }
    if (header.version !== 2) throw new JournalError(`${abs} is not a SCIM Mapper run journal (version ${String(header.version)})`);
    if (header.keyId !== keyId(key)) {
      throw new JournalError(`cannot resume: the journal was written with another journal key (another user or state directory)`);
    }
    if (header.endpoint !== identity.endpoint) {
      throw new JournalError(`cannot resume: the journal was written for endpoint ${header.endpoint}, not ${identity.endpoint}`);
    }
    if (header.input.sha256 !== identity.input.sha256 || header.input.size !== identity.input.size) {
      throw new JournalError('cannot resume: the input file changed since the interrupted run (start a new upload instead)');
    }
    if (header.mappingHash !== identity.mappingHash) {
      throw new JournalError('cannot resume: the mapping changed since the interrupted run (start a new upload instead)');
    }
    const j = new Journal(abs, header, true, key);
    const sending = new Set<number>();
    for (const e of entries.slice(1)) {
      if (e.type === 'sending') sending.add(Number(e.seq));
      if (e.type === 'batch') {
        const b = e as unknown as JournalBatch;
        sending.delete(b.seq);
        j.lastSeq = Math.max(j.lastSeq, b.seq);
        if (b.status === 'accepted') b.ordinals.forEach((o, k) => j.accepted.set(o, b.idHashes[k] ?? ''));
        if (b.status === 'in-doubt') j.inDoubtCount += 1;
      }
      if (e.type === 'sending') j.lastSeq = Math.max(j.lastSeq, Number(e.seq));
    }
    // A batch with a 'sending' line but no outcome was in flight when the process died: in doubt.
    j.inDoubtCount += sending.size;
    j.write({ type: 'resume', at: new Date().toISOString(), previouslyAccepted: j.accepted.size });
    return j;
  }

  get runId(): string {
    return this.header.runId;
  }

  /** Next batch number for this run (continues after the batches of earlier attempts). */
  get nextSeq(): number {
    return this.lastSeq + 1;
  }

  /** Batches left in doubt by earlier attempts (in flight when interrupted); they are re-sent, which Entra treats as an update. */
  get inDoubt(): number {
    return this.inDoubtCount;
  }

  get previouslyAccepted(): number {
    return this.accepted.size;
  }

  /** HMAC-SHA256(key, runId NUL externalId), 128 bits: matches on resume, reveals nothing without the key. */
  idHash(externalId: string | undefined): string {
    return externalId === undefined ? '' : createHmac('sha256', this.key).update(`${this.header.runId}\u0000${externalId}`).digest('hex').slice(0, 32);
  }

  /**
   * True when the record at `ordinal` was accepted by an earlier attempt. Throws when the record there now has a
   * different externalId: the stream is not the one the journal describes, and skipping by position would be wrong.
   */
  wasAccepted(ordinal: number, externalId: string | undefined): boolean {
    const h = this.accepted.get(ordinal);
    if (h === undefined) return false;
    if (h !== this.idHash(externalId)) {
      throw new JournalError(`cannot resume: record ${ordinal + 1} is not the one the journal recorded (the records changed)`);
    }
    return true;
  }

  sending(seq: number, count: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.write({ type: 'sending', seq, count });
  }

  batch(b: JournalBatch): void {
    this.lastSeq = Math.max(this.lastSeq, b.seq);
    const entry: JournalBatch & { type: 'batch' } = {
      type: 'batch', seq: b.seq, ordinals: b.ordinals, idHashes: b.idHashes, status: b.status, httpStatus: b.httpStatus,
      requestId: b.requestId, attempts: b.attempts, errorCode: b.errorCode,
    };
    this.write(entry);
  }

  close(reason: string): void {
    if (this.fd < 0) return;
    this.write({ type: 'end', at: new Date().toISOString(), reason });
    closeSync(this.fd);
    this.fd = -1;
  }

  private write(entry: object): void {
    if (this.fd < 0) throw new JournalError('journal is closed');
    writeSync(this.fd, JSON.stringify(entry) + '\n');
    fsyncSync(this.fd);
  }
}
