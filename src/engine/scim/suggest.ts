/** "Did you mean" suggestions, shared by every feature that reports an unknown name. */

/**
 * Optimal-string-alignment Damerau-Levenshtein distance, case-insensitive:
 * insertions, deletions, substitutions and swaps of two adjacent characters each cost 1.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  if (!s.length) return t.length;
  if (!t.length) return s.length;
  // Three rolling rows are enough for the transposition look-back.
  let prev2: number[] = new Array<number>(t.length + 1).fill(0);
  let prev: number[] = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur: number[] = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[t.length];
}

export interface DidYouMeanOptions {
  /** At most this many suggestions (default 5). */
  max?: number;
  /** Largest distance still suggested (default: a third of the word's length, at least 2). */
  maxDistance?: number;
}

/**
 * Candidates close to `word`, best first (by distance, then in the order given). Case-insensitive, so a
 * candidate that differs only in case comes first with distance 0. Duplicates are dropped.
 */
export function didYouMean(word: string, candidates: Iterable<string>, options: DidYouMeanOptions = {}): string[] {
  return didYouMeanBy(word, candidates, (c) => c, options);
}

/** Like didYouMean, for items compared by a key (e.g. an attribute offered under its full URN path). */
export function didYouMeanBy<T>(
  word: string,
  items: Iterable<T>,
  key: (item: T) => string,
  options: DidYouMeanOptions = {},
): T[] {
  const max = options.max ?? 5;
  const limit = options.maxDistance ?? Math.max(2, Math.floor(word.length / 3));
  const seen = new Set<T>();
  const scored: Array<{ item: T; distance: number; order: number }> = [];
  let order = 0;
  const length = word.toLowerCase().length;
  for (const item of items) {
    if (seen.has(item)) continue;
    seen.add(item);
    const k = key(item);
    // The distance is at least the difference in length: skip the O(n·m) table (a pasted megabyte) then.
    if (Math.abs(k.toLowerCase().length - length) > limit) continue;
    const distance = editDistance(word, k);
    if (distance <= limit) scored.push({ item, distance, order: order++ });
  }
  scored.sort((x, y) => x.distance - y.distance || x.order - y.order);
  return scored.slice(0, max).map((s) => s.item);
}
