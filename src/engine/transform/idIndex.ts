/**
 * Remembers every externalId seen in a stream (for duplicate detection) without a JS string per id: ids are
 * copied as UTF-8 into one growing byte arena and indexed by an open-addressing hash table in typed arrays.
 * A million ids cost ~25 MB outside the V8 heap instead of ~50 MB of small heap objects the GC keeps walking,
 * and lookups stay exact (bytes are compared on a hash match).
 */
const EMPTY = -1;

export class IdIndex {
  private arena = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private offsets = new Uint32Array(1024);
  private hashes = new Uint32Array(1024);
  private records = new Uint32Array(1024);
  private slots = new Int32Array(2048).fill(EMPTY);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `id` first seen at `record`; if it was seen before, returns the record where it was first seen. */
  firstSeen(id: string, record: number): number | undefined {
    const bytes = Buffer.from(id, 'utf8');
    const h = fnv1a(bytes);
    const f = this.find(bytes, h);
    if (f.entry !== EMPTY) return this.records[f.entry];
    this.add(bytes, h, record, f.slot);
    return undefined;
  }

  /** Remembers `record` as the latest record with `id` (for `source.duplicates: last`). */
  setLatest(id: string, record: number): void {
    const bytes = Buffer.from(id, 'utf8');
    const h = fnv1a(bytes);
    const f = this.find(bytes, h);
    if (f.entry !== EMPTY) this.records[f.entry] = record;
    else this.add(bytes, h, record, f.slot);
  }

  /** The record stored for `id`, if any. */
  get(id: string): number | undefined {
    const bytes = Buffer.from(id, 'utf8');
    const f = this.find(bytes, fnv1a(bytes));
    return f.entry === EMPTY ? undefined : this.records[f.entry];
  }

  private find(bytes: Buffer, h: number): { entry: number; slot: number } {
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (;;) {
      const e = this.slots[s];
      if (e === EMPTY) return { entry: EMPTY, slot: s };
      if (this.hashes[e] === h && this.lengthOf(e) === bytes.length && this.arena.compare(bytes, 0, bytes.length, this.offsets[e], this.offsets[e] + bytes.length) === 0) {
        return { entry: e, slot: s };
      }
      s = (s + 1) & mask;
    }
  }

  private add(bytes: Buffer, h: number, record: number, slot: number): void {
    if (this.used + bytes.length > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + bytes.length));
      this.arena.copy(bigger, 0, 0, this.used);
      this.arena = bigger;
    }
    if (this.count === this.offsets.length) {
      const grow = <T extends Uint32Array>(a: T): T => {
        const b = new Uint32Array(a.length * 2) as T;
        b.set(a);
        return b;
      };
      this.offsets = grow(this.offsets);
      this.hashes = grow(this.hashes);
      this.records = grow(this.records);
    }
    const e = this.count++;
    bytes.copy(this.arena, this.used);
    this.offsets[e] = this.used;
    this.hashes[e] = h;
    this.records[e] = record;
    this.used += bytes.length;
    this.slots[slot] = e;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  /** Entries are stored back to back, so a length is the distance to the next entry's offset. */
  private lengthOf(e: number): number {
    return (e + 1 < this.count ? this.offsets[e + 1] : this.used) - this.offsets[e];
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      let s = this.hashes[e] & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = e;
    }
    this.slots = slots;
  }
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
