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

/** 16 bytes into `out` (allocated when absent). `seed` is 4 × 32-bit words. */
export function hash128(text: string, seed: Uint32Array, out: Buffer = Buffer.allocUnsafe(16)): Buffer {
  let h1 = seed[0]! | 0;
  let h2 = seed[1]! | 0;
  let h3 = seed[2]! | 0;
  let h4 = seed[3]! | 0;
  const n = text.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    let k1 = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    let k2 = text.charCodeAt(i + 2) | (text.charCodeAt(i + 3) << 16);
    let k3 = text.charCodeAt(i + 4) | (text.charCodeAt(i + 5) << 16);
    let k4 = text.charCodeAt(i + 6) | (text.charCodeAt(i + 7) << 16);
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
  // Tail: up to 7 code units (a missing high half reads as 0; the length is mixed in below).
  const w = (j: number): number => (j < n ? text.charCodeAt(j) : 0) | (j + 1 < n ? text.charCodeAt(j + 1) << 16 : 0);
  if (i < n) {
    h1 ^= Math.imul(rotl(Math.imul(w(i), C1), 15), C2);
    if (i + 2 < n) h2 ^= Math.imul(rotl(Math.imul(w(i + 2), C2), 16), C3);
    if (i + 4 < n) h3 ^= Math.imul(rotl(Math.imul(w(i + 4), C3), 17), C4);
    if (i + 6 < n) h4 ^= Math.imul(rotl(Math.imul(w(i + 6), C4), 18), C1);
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
