/**
 * The payload hash the state keeps per externalId: 128 bits over the JSON text of the payload, seeded with the
 * state's random key (so equal payloads in two states do not share a hash). It detects changes; it is not a
 * signature. A non-cryptographic hash (MurmurHash3 x86_128 structure over UTF-16 code units, two per 32-bit word)
 * because HMAC-SHA256 per record cost about a fifth of planning a million records, and the state keeps no
 * secret the hash would protect: the record contents are never stored, and guessing one back needs all of them.
 */
const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// The text as UTF-16LE: each aligned 32-bit little-endian word is exactly the pair of code units the hash mixes
// (`text.charCodeAt(i) | text.charCodeAt(i + 1) << 16`). Encoding is one native copy; reading words from a typed
// array is ~3× faster than two charCodeAt calls per word (a fifth of the CPU time of planning a million records).
let units = Buffer.allocUnsafe(1 << 12);
let words = new Int32Array(units.buffer, units.byteOffset, units.length >> 2);

function unitsOf(text: string): Int32Array {
  const bytes = 2 * text.length;
  if (bytes + 16 > units.length) {
    units = Buffer.allocUnsafe(Math.max(bytes + 16, 2 * units.length));
    words = new Int32Array(units.buffer, units.byteOffset, units.length >> 2);
  }
  units.write(text, 0, 'utf16le');
  units.fill(0, bytes, bytes + 16); // a missing high half of the tail reads as 0
  return words;
}

/** 16 bytes into `out` (allocated when absent). `seed` is 4 × 32-bit words. */
export function hash128(text: string, seed: Uint32Array, out: Buffer = Buffer.allocUnsafe(16)): Buffer {
  let h1 = seed[0]! | 0;
  let h2 = seed[1]! | 0;
  let h3 = seed[2]! | 0;
  let h4 = seed[3]! | 0;
  const n = text.length;
  const wd = unitsOf(text);
  const blocks = n >> 3; // 8 code units, 4 words
  let w = 0;
  for (let b = 0; b < blocks; b++, w += 4) {
    let k1 = wd[w]!;
    let k2 = wd[w + 1]!;
    let k3 = wd[w + 2]!;
    let k4 = wd[w + 3]!;
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  // Tail: up to 7 code units (the length is mixed in below).
  const i = blocks << 3;
  if (i < n) {
    h1 ^= Math.imul(rotl(Math.imul(wd[w]!, C1), 15), C2);
    if (i + 2 < n) h2 ^= Math.imul(rotl(Math.imul(wd[w + 1]!, C2), 16), C3);
    if (i + 4 < n) h3 ^= Math.imul(rotl(Math.imul(wd[w + 2]!, C3), 17), C4);
    if (i + 6 < n) h4 ^= Math.imul(rotl(Math.imul(wd[w + 3]!, C4), 18), C1);
  }
  h1 ^= n;
  h2 ^= n;
  h3 ^= n;
  h4 ^= n;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  out.writeInt32LE(h1, 0);
  out.writeInt32LE(h2, 4);
  out.writeInt32LE(h3, 8);
  out.writeInt32LE(h4, 12);
  return out;
}
