/**
 * NormalizeDiacritics as Microsoft's reference tabulates it (functions-for-customizing-application-data, table
 * "Character with Diacritic → Normalized character"). Characters with a diacritic that the table does not list are
 * not guessed: the caller reports them as computed by Entra.
 */

const TABLE: Array<[string, string]> = [
  ['ä à â ã å á ą ă ā ā́ ā̀ ā̂ ā̃ ǟ ā̈ ǡ a̱ å̄', 'a'],
  ['Ä À Â Ã Å Á Ą Ă Ā Ā́ Ā̀ Ā̂ Ā̃ Ǟ Ā̈ Ǡ A̱ Å̄', 'A'],
  ['æ ǣ', 'ae'],
  ['Æ Ǣ', 'AE'],
  ['ç č ć c̄ c̱', 'c'],
  ['Ç Č Ć C̄ C̱', 'C'],
  ['ď d̄ ḏ', 'd'],
  ['Ď D̄ Ḏ', 'D'],
  ['ë è é ê ę ě ė ē ḗ ḕ ē̂ ē̃ ê̄ e̱ ë̄ e̊̄', 'e'],
  ['Ë È É Ê Ę Ě Ė Ē Ḗ Ḕ Ē̂ Ē̃ Ê̄ E̱ Ë̄ E̊̄', 'E'],
  ['ğ ḡ g̱', 'g'],
  ['Ğ Ḡ G̱', 'G'],
  ['ï î ì í ı ī ī́ ī̀ ī̂ ī̃ i̱', 'i'],
  ['Ï Î Ì Í İ Ī Ī́ Ī̀ Ī̂ Ī̃ I̱', 'I'],
  ['ľ ł l̄ ḹ ḻ', 'l'],
  ['Ł Ľ L̄ Ḹ Ḻ', 'L'],
  ['ñ ń ň n̄ ṉ', 'n'],
  ['Ñ Ń Ň N̄ Ṉ', 'N'],
  ['ö ò ő õ ô ó ō ṓ ṑ ō̂ ō̃ ȫ ō̈ ǭ ȭ ȱ o̱', 'o'],
  ['Ö Ò Ő Õ Ô Ó Ō Ṓ Ṑ Ō̂ Ō̃ Ȫ Ō̈ Ǭ Ȭ Ȱ O̱', 'O'],
  ['ø ø̄ œ̄', 'oe'],
  ['Ø Ø̄ Œ̄', 'OE'],
  ['ř r̄ ṟ ṝ', 'r'],
  ['Ř R̄ Ṟ Ṝ', 'R'],
  ['ß', 'ss'],
  ['š ś ș ş s̄ s̱', 's'],
  ['Š Ś Ș Ş S̄ S̱', 'S'],
  ['ť ț t̄ ṯ', 't'],
  ['Ť Ț T̄ Ṯ', 'T'],
  ['ü ù û ú ů ű ū ū́ ū̀ ū̂ ū̃ u̇̄ ǖ ṻ ṳ̄ u̱', 'u'],
  ['Ü Ù Û Ú Ů Ű Ū Ū́ Ū̀ Ū̂ Ū̃ U̇̄ Ǖ Ṻ Ṳ̄ U̱', 'U'],
  ['ÿ ý ȳ ȳ́ ȳ̀ ȳ̃ y̱', 'y'],
  ['Ÿ Ý Ȳ Ȳ́ Ȳ̀ Ȳ̃ Y̱', 'Y'],
  ['ź ž ż z̄ ẕ', 'z'],
  ['Ź Ž Ż Z̄ Ẕ', 'Z'],
];

/** Keyed by the NFC form of each listed character (a base letter with its combining marks). */
const MAP: ReadonlyMap<string, string> = new Map(TABLE.flatMap(([chars, to]) => chars.split(' ').map((c) => [c.normalize('NFC'), to] as [string, string])));

const MARK = /\p{M}/u;

export type NormalizeResult = { ok: true; value: string } | { ok: false; character: string };

export function normalizeDiacritics(input: string): NormalizeResult {
  const s = input.normalize('NFC');
  let out = '';
  let i = 0;
  while (i < s.length) {
    // One cluster: a code point and the combining marks after it.
    const cp = s.codePointAt(i)!;
    let j = i + (cp > 0xffff ? 2 : 1);
    while (j < s.length && MARK.test(s[j])) j++;
    const cluster = s.slice(i, j);
    i = j;
    if (cp < 0x80 && cluster.length === 1) {
      out += cluster;
      continue;
    }
    const mapped = MAP.get(cluster);
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    if (MARK.test(cluster.normalize('NFD'))) return { ok: false, character: cluster };
    out += cluster; // no diacritic (Cyrillic, CJK, ð …): Entra has nothing to normalise
  }
  return { ok: true, value: out };
}
