/**
 * The sync state on disk: an append-only log of length-prefixed, CRC-checked records, fsync'd after every append,
 * compacted by rewrite-and-rename. It survives `kill -9` at any instant:
 * - an append is one write followed by fsync; a crash mid-write leaves a torn tail, which fails its length or CRC
 *   check and is cut off on the next open (those entries were never confirmed, so their operations are re-planned);
 * - compaction writes a complete new file, fsyncs it and renames it over the old one (atomic), so a crash leaves
 *   either the old or the new log, never a mix;
 * - replaying the log is idempotent (an entry is "the latest state of this externalId"), so nothing is counted twice.
 *
 *   header   "SCIMSYNC" | u32 version | u32 0 | 32-byte key (for the keyed payload hashes)
 *   record   u32 bodyLength | body | u32 crc32(body)
 *   body     0x01 | u8 active | u32 time (s) | 16-byte payload hash | externalId (UTF-8)     an entry
 *            0x02 | JSON                                                                      run metadata
 *
 * Holds identifiers, keyed hashes and flags only: never record contents. The externalId is kept because a leaver
 * is absent from the export, and disabling them needs their externalId.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from './crc32';
import { HASH_BYTES, IdTable } from './idTable';
import { hash128 } from './payloadHash';

const MAGIC = Buffer.from('SCIMSYNC', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 48;
const T_ENTRY = 1;
const T_META = 2;
/** No real record comes near this; a larger length is a torn or damaged length field. */
const MAX_BODY = 1 << 20;

export class StateError extends Error {
  override name = 'StateError';
}

export interface StateMeta {
  /** Records in the export of the last run that passed the guards (the --min-records baseline). */
  lastExportRecords?: number;
  lastRunAt?: string;
  endpoint?: string;
  mapping?: string;
  /** The kind of service (absent in states written before SCIM targets: Entra). */
  destination?: 'entra' | 'scim';
}

export interface StateUpdate {
  externalId: string;
  /** Keyed hash of the payload Entra accepted; all zero for a disable (so any record coming back differs). */
  hash: Uint8Array;
  active: boolean;
}

export interface OpenedState {
  /** Bytes of a torn tail cut off on open (a crash mid-append), 0 normally. */
  tornBytes: number;
  created: boolean;
}

export const DISABLED_HASH = new Uint8Array(HASH_BYTES);

export class SyncState {
  readonly table = new IdTable();
  meta: StateMeta = {};
  private fd = -1;
  private key: Buffer = Buffer.alloc(0);
  private seed = new Uint32Array(4);
  private records = 0;
  private activeCount = 0;
  private lockPath: string;

  private constructor(readonly path: string) {
    this.lockPath = `${path}.lock`;
  }

  /**
   * Opens (or, unless `readOnly`, creates) the state at `path` and takes its lock (one sync at a time per state).
   * Read-only opens (dry runs, plans) neither create nor lock nor repair the file.
   */
  static open(path: string, opts: { readOnly?: boolean } = {}): SyncState & OpenedState {
    const s = new SyncState(path) as SyncState & OpenedState;
    s.tornBytes = 0;
    s.created = false;
    if (!opts.readOnly) {
      fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      s.lock();
    }
    try {
      // A compaction that never finished; only the lock holder may remove it (a read-only open during a live sync's
      // compaction would make that sync's rename fail).
      if (!opts.readOnly) fs.rmSync(`${path}.compact`, { force: true });
      if (!fs.existsSync(path)) {
        if (opts.readOnly) {
          s.useKey(randomBytes(32));
          return s;
        }
        writeAtomically(path, header(randomBytes(32)));
        s.created = true;
      }
      s.load(opts.readOnly === true);
      if (!opts.readOnly) s.fd = fs.openSync(path, 'a', 0o600);
      return s;
    } catch (e) {
      s.unlock();
      throw e;
    }
  }

  get size(): number {
    return this.table.size;
  }

  get active(): number {
    return this.activeCount;
  }

  /** The payload hash (128 bits, seeded with this state's key; see payloadHash.ts): equal payloads, equal hashes. */
  payloadHash(payload: unknown, out?: Buffer): Buffer {
    return hash128(JSON.stringify(payload), this.seed, out);
  }

  /** Records operations the target accepted: one write, one fsync. Call only after its confirmation (Entra: 202). */
  apply(updates: StateUpdate[], at = Date.now()): void {
    if (!updates.length) return;
    const time = Math.floor(at / 1000);
    const parts: Buffer[] = [];
    for (const u of updates) {
      const id = Buffer.from(u.externalId, 'utf8');
      const body = Buffer.allocUnsafe(1 + 1 + 4 + HASH_BYTES + id.length);
      body[0] = T_ENTRY;
      body[1] = u.active ? 1 : 0;
      body.writeUInt32LE(time >>> 0, 2);
      body.set(u.hash.subarray(0, HASH_BYTES), 6);
      id.copy(body, 6 + HASH_BYTES);
      parts.push(frame(body));
    }
    this.append(Buffer.concat(parts));
    for (const u of updates) this.setEntry(Buffer.from(u.externalId, 'utf8'), u.hash, u.active, time);
  }

  setMeta(meta: StateMeta): void {
    const body = Buffer.concat([Buffer.from([T_META]), Buffer.from(JSON.stringify(meta), 'utf8')]);
    this.append(frame(body));
    this.meta = { ...meta };
  }

  /** Rewrites the log with one record per entry when superseded records dominate it. */
  compactIfWorthIt(): boolean {
    if (this.fd < 0 || this.records <= 2 * this.table.size + 10_000) return false;
    this.compact();
    return true;
  }

  compact(): void {
    if (this.fd < 0) throw new StateError('the state is open read-only');
    const tmp = `${this.path}.compact`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      writeAll(fd, header(this.key));
      const chunk: Buffer[] = [];
      let bytes = 0;
      const flush = (): void => {
        if (!chunk.length) return;
        writeAll(fd, Buffer.concat(chunk));
        chunk.length = 0;
        bytes = 0;
      };
      chunk.push(frame(Buffer.concat([Buffer.from([T_META]), Buffer.from(JSON.stringify(this.meta), 'utf8')])));
      for (let e = 0; e < this.table.size; e++) {
        const id = Buffer.from(this.table.id(e), 'utf8');
        const body = Buffer.allocUnsafe(6 + HASH_BYTES + id.length);
        body[0] = T_ENTRY;
        body[1] = this.table.active(e) ? 1 : 0;
        body.writeUInt32LE(this.table.time(e), 2);
        this.table.hash(e).copy(body, 6);
        id.copy(body, 6 + HASH_BYTES);
        const f = frame(body);
        chunk.push(f);
        bytes += f.length;
        if (bytes > 1 << 20) flush();
      }
      flush();
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.path);
    fsyncDir(dirname(this.path));
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.path, 'a', 0o600);
    this.records = this.table.size + 1;
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        this.compactIfWorthIt();
      } finally {
        fs.closeSync(this.fd);
        this.fd = -1;
      }
    }
    this.unlock();
  }

  private useKey(key: Buffer): void {
    this.key = key;
    this.seed = new Uint32Array([key.readUInt32LE(0), key.readUInt32LE(4), key.readUInt32LE(8), key.readUInt32LE(12)]);
  }

  private setEntry(id: Buffer, hash: Uint8Array, active: boolean, time: number): void {
    const was = this.table.setBytes(id, hash, active, time);
    if (was === 1) this.activeCount--;
    if (active) this.activeCount++;
    this.records++;
  }

  private append(buf: Buffer): void {
    if (this.fd < 0) throw new StateError('the state is open read-only');
    writeAll(this.fd, buf);
    fs.fsyncSync(this.fd);
  }

  private load(readOnly: boolean): void {
    const fd = fs.openSync(this.path, 'r');
    let good = HEADER_BYTES;
    let size = 0;
    try {
      size = fs.fstatSync(fd).size;
      const head = Buffer.alloc(HEADER_BYTES);
      if (fs.readSync(fd, head, 0, HEADER_BYTES, 0) !== HEADER_BYTES || !head.subarray(0, 8).equals(MAGIC)) {
        throw new StateError(`${this.path} is not a SCIM Mapper sync state`);
      }
      if (head.readUInt32LE(8) !== VERSION) throw new StateError(`${this.path}: unsupported state version ${head.readUInt32LE(8)}`);
      this.useKey(Buffer.from(head.subarray(16, 48)));
      // Stream the records in chunks; `carry` holds a record split across two chunks.
      let carry = Buffer.alloc(0);
      let pos = HEADER_BYTES;
      const chunk = Buffer.allocUnsafe(4 << 20);
      for (;;) {
        const n = fs.readSync(fd, chunk, 0, chunk.length, pos);
        if (n <= 0) break;
        pos += n;
        let buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
        let off = 0;
        for (;;) {
          if (buf.length - off < 4) break;
          const len = buf.readUInt32LE(off);
          if (len === 0 || len > MAX_BODY) {
            off = -1;
            break;
          }
          if (buf.length - off < 8 + len) break;
          if (buf.readUInt32LE(off + 4 + len) !== crc32(buf, off + 4, off + 4 + len)) {
            off = -1;
            break;
          }
          this.replay(buf.subarray(off + 4, off + 4 + len));
          off += 8 + len;
          good += 8 + len;
        }
        if (off < 0) break;
        carry = Buffer.from(buf.subarray(off));
        buf = carry;
      }
    } finally {
      fs.closeSync(fd);
    }
    if (good < size) {
      // A crash mid-append (the only way to get here without disk damage): cut the unconfirmed tail.
      (this as unknown as OpenedState).tornBytes = size - good;
      if (!readOnly) {
        const w = fs.openSync(this.path, 'r+');
        try {
          fs.ftruncateSync(w, good);
          fs.fsyncSync(w);
        } finally {
          fs.closeSync(w);
        }
      }
    }
  }

  private replay(body: Buffer): void {
    if (body[0] === T_ENTRY && body.length >= 6 + HASH_BYTES) {
      this.setEntry(body.subarray(6 + HASH_BYTES), body.subarray(6, 6 + HASH_BYTES), body[1] === 1, body.readUInt32LE(2));
    } else if (body[0] === T_META) {
      try {
        this.meta = JSON.parse(body.toString('utf8', 1)) as StateMeta;
      } catch {
        /* CRC passed, so this is ours; an unreadable meta only loses the baseline */
      }
      this.records++;
    } else {
      throw new StateError(`${this.path}: unknown record type ${body[0]} (written by a newer SCIM Mapper?)`);
    }
  }

  private lock(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = fs.openSync(this.lockPath, 'wx', 0o600);
        fs.writeSync(fd, String(process.pid));
        fs.closeSync(fd);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number(fs.readFileSync(this.lockPath, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
          throw new StateError(`another sync (process ${pid}) is using ${this.path}; wait for it to finish`);
        }
        fs.rmSync(this.lockPath, { force: true }); // left by a process that died (kill -9)
      }
    }
    throw new StateError(`cannot lock ${this.path}`);
  }

  private unlock(): void {
    try {
      if (fs.readFileSync(this.lockPath, 'utf8').trim() === String(process.pid)) fs.rmSync(this.lockPath, { force: true });
    } catch {
      /* not locked */
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function header(key: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt32LE(VERSION, 8);
  key.copy(h, 16);
  return h;
}

function frame(body: Buffer): Buffer {
  const f = Buffer.allocUnsafe(8 + body.length);
  f.writeUInt32LE(body.length, 0);
  body.copy(f, 4);
  f.writeUInt32LE(crc32(body), 4 + body.length);
  return f;
}

function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
}

function writeAtomically(path: string, data: Buffer): void {
  const tmp = `${path}.new`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    writeAll(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path);
  fsyncDir(dirname(path));
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
