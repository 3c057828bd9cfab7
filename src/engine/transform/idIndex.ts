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
    const n = encode(id);
    const h = fnv1a(scratch, n);
    const f = this.find(n, h);
    if (f.entry !== EMPTY) return this.records[f.entry];
    this.add(n, h, record, f.slot);
    return undefined;
  }

  /** Remembers `record` as the latest record with `id` (for `source.duplicates: last`). */
  setLatest(id: string, record: number): void {
    const n = encode(id);
    const h = fnv1a(scratch, n);
    const f = this.find(n, h);
    if (f.entry !== EMPTY) this.records[f.entry] = record;
    else this.add(n, h, record, f.slot);
  }

  /** The record stored for `id`, if any. */
  get(id: string): number | undefined {
    const n = encode(id);
    const f = this.find(n, fnv1a(scratch, n));
    return f.entry === EMPTY ? undefined : this.records[f.entry];
  }

  /** Looks up the `n` bytes in `scratch`. */
  private find(n: number, h: number): { entry: number; slot: number } {
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (;;) {
      const e = this.slots[s];
      if (e === EMPTY) return { entry: EMPTY, slot: s };
      if (this.hashes[e] === h && this.lengthOf(e) === n && scratch.compare(this.arena, this.offsets[e], this.offsets[e] + n, 0, n) === 0) {
        return { entry: e, slot: s };
      }
      s = (s + 1) & mask;
    }
  }

  /** Adds the `n` bytes in `scratch`. */
  private add(n: number, h: number, record: number, slot: number): void {
    if (this.used + n > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + n));
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
    scratch.copy(this.arena, this.used, 0, n);
    this.offsets[e] = this.used;
    this.hashes[e] = h;
    this.records[e] = record;
    this.used += n;
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

// Lookups encode the id into one reused buffer: no Buffer per record (two lookups per record in a stream of a
// million is two million short-lived objects for the GC).
let scratch = Buffer.allocUnsafe(1024);

/** Writes `id` as UTF-8 into `scratch`; returns its byte length. */
function encode(id: string): number {
  if (id.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(Math.max(id.length * 3, scratch.length * 2)); // ≤ 3 bytes per UTF-16 unit
  return scratch.write(id, 0, 'utf8');
}

function fnv1a(bytes: Uint8Array, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
