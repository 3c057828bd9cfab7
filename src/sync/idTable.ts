/**
 * The sync state in memory: one entry per externalId, without a JS string or object per entry. Ids are UTF-8 in
 * one byte arena (as engine/transform/idIndex.ts does), found through an open-addressing hash table; the payload
 * hash, active flag and time live in parallel typed arrays. A million entries take ~50 MB outside the V8 heap.
 */
const EMPTY = -1;
export const HASH_BYTES = 16;

export class IdTable {
  private arena = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private offsets = new Uint32Array(1024);
  private lengths = new Uint16Array(1024);
  private idHashes = new Uint32Array(1024);
  private payload = Buffer.alloc(1024 * HASH_BYTES);
  private flags = new Uint8Array(1024);
  private times = new Uint32Array(1024);
  private slots = new Int32Array(2048).fill(EMPTY);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Entry number of `id`, or -1. */
  find(id: string): number {
    // The duplicate check and the plan look up the same id one after the other: answer the second from a memo.
    if (id === this.memoId) return this.memoEntry;
    // Once per record of the export: encode into a reused buffer, not a new Buffer per lookup.
    if (id.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(Math.max(id.length * 3, scratch.length * 2)); // ≤ 3 bytes per UTF-16 unit
    const n = scratch.write(id, 0, 'utf8');
    this.memoEntry = this.findBytes(scratch, fnv1a(scratch, n), n);
    this.memoId = id;
    return this.memoEntry;
  }

  private memoId: string | undefined;
  private memoEntry = -1;

  /** Sets the entry of `id` (adding it when new); returns its entry number. */
  set(id: string, hash: Uint8Array, active: boolean, time: number): number {
    this.setBytes(Buffer.from(id, 'utf8'), hash, active, time);
    return this.last;
  }

  /** Entry number set by the last `set`/`setBytes`. */
  last = -1;

  /** Sets the entry of the UTF-8 id `bytes`; returns the entry's previous active flag (1, 0) or -1 when new. */
  setBytes(bytes: Buffer, hash: Uint8Array, active: boolean, time: number): number {
    if (bytes.length > 0xffff) throw new RangeError('externalId longer than 65535 bytes');
    const h = fnv1a(bytes, bytes.length);
    let e = this.findBytes(bytes, h, bytes.length);
    const was = e < 0 ? -1 : this.flags[e]!;
    if (e < 0) e = this.add(bytes, h);
    this.payload.set(hash.subarray(0, HASH_BYTES), e * HASH_BYTES);
    this.flags[e] = active ? 1 : 0;
    this.times[e] = time >>> 0;
    this.last = e;
    return was;
  }

  id(e: number): string {
    return this.arena.toString('utf8', this.offsets[e]!, this.offsets[e]! + this.lengths[e]!);
  }

  active(e: number): boolean {
    return this.flags[e] === 1;
  }

  time(e: number): number {
    return this.times[e]!;
  }

  hashEquals(e: number, hash: Uint8Array): boolean {
    return this.payload.compare(hash, 0, HASH_BYTES, e * HASH_BYTES, (e + 1) * HASH_BYTES) === 0;
  }

  hash(e: number): Buffer {
    return this.payload.subarray(e * HASH_BYTES, (e + 1) * HASH_BYTES);
  }

  /** The entry of the first `n` bytes of `bytes`, or -1. */
  private findBytes(bytes: Buffer, h: number, n: number): number {
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) return -1;
      if (this.idHashes[e] === h && this.lengths[e] === n && this.arena.compare(bytes, 0, n, this.offsets[e]!, this.offsets[e]! + n) === 0) return e;
    }
  }

  private add(bytes: Buffer, h: number): number {
    this.memoId = undefined; // a "not found" memo may be about this id
    if (this.used + bytes.length > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + bytes.length));
      this.arena.copy(bigger, 0, 0, this.used);
      this.arena = bigger;
    }
    if (this.count === this.offsets.length) this.grow();
    const e = this.count++;
    bytes.copy(this.arena, this.used);
    this.offsets[e] = this.used;
    this.lengths[e] = bytes.length;
    this.idHashes[e] = h;
    this.used += bytes.length;
    if (this.count * 2 > this.slots.length) this.rehash();
    else this.place(e);
    return e;
  }

  private grow(): void {
    const n = this.offsets.length * 2;
    const copy = <T extends Uint32Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.offsets = copy(this.offsets, (k) => new Uint32Array(k));
    this.lengths = copy(this.lengths, (k) => new Uint16Array(k));
    this.idHashes = copy(this.idHashes, (k) => new Uint32Array(k));
    this.flags = copy(this.flags, (k) => new Uint8Array(k));
    this.times = copy(this.times, (k) => new Uint32Array(k));
    const p = Buffer.alloc(n * HASH_BYTES);
    this.payload.copy(p);
    this.payload = p;
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let s = this.idHashes[e]! & mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
    this.slots[s] = e;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    for (let e = 0; e < this.count; e++) this.place(e);
  }
}

let scratch = Buffer.allocUnsafe(1024);

function fnv1a(bytes: Uint8Array, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
