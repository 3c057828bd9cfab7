/**
 * HR date values → xsd:dateTime (UTC, `Z`). Shared by the SuccessFactors connector and the JSONata helpers
 * ($sfDate, $workdayDate, $hrDate). Every parser here is a linear scan or an anchored regex without nested
 * quantifiers: the values are untrusted.
 */

/** `/Date(1492098664000)/`, `/Date(1492098664000+0000)/` (OData v2 JSON). The milliseconds are UTC; the offset only says which zone the value was entered in. */
const OData2 = /^\/Date\((-?\d{1,15})([+-]\d{4})?\)\/$/;

export function isODataV2Date(v: unknown): v is string {
  return typeof v === 'string' && v.length < 40 && OData2.test(v);
}

function iso(ms: number): string | undefined {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function odataV2DateToIso(v: string): string | undefined {
  const m = OData2.exec(v);
  return m ? iso(Number(m[1])) : undefined;
}

/** Rewrites every `/Date(…)/` string in a record (nested objects and arrays too) as a UTC xsd:dateTime. */
export function convertODataV2Dates(value: unknown, depth = 0): unknown {
  if (depth > 64) return value;
  if (typeof value === 'string') return isODataV2Date(value) ? (odataV2DateToIso(value) ?? value) : value;
  if (Array.isArray(value)) return value.map((x) => convertODataV2Dates(x, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) out[k] = convertODataV2Dates(x, depth + 1);
    return out;
  }
  return value;
}

/**
 * Workday dates: `2020-03-16-07:00` (a date with its zone: midnight there), `2020-03-16Z`, `2020-03-16`, and
 * date-times `2020-03-16T08:30:00.000-07:00`. Returns the instant in UTC.
 */
const WORKDAY = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

export function workdayDateToIso(v: string): string | undefined {
  const m = WORKDAY.exec(v.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac, zone] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), frac ? Math.round(Number(`0.${frac}`) * 1000) : 0);
  if (!validParts(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))) return undefined;
  let offsetMin = 0;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    offsetMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  return iso(base - offsetMin * 60_000);
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/**
 * A date written with a picture such as `M/d/yyyy`, `dd.MM.yyyy`, `yyyyMMdd` or `d/M/yy HH:mm` (letters: y M d H m s;
 * anything else must match literally). Returns an xsd:dateTime in UTC, or an error message.
 */
export function parseWithPicture(value: string, picture: string): { iso: string } | { error: string } {
  const tokens: Array<{ field: string; width: number } | { literal: string }> = [];
  for (let i = 0; i < picture.length; ) {
    const ch = picture[i];
    if ('yMdHms'.includes(ch)) {
      let j = i;
      while (j < picture.length && picture[j] === ch) j++;
      tokens.push({ field: ch, width: j - i });
      i = j;
    } else {
      tokens.push({ literal: ch });
      i++;
    }
  }
  if (!tokens.some((t) => 'field' in t && t.field === 'y') || !tokens.some((t) => 'field' in t && t.field === 'M') || !tokens.some((t) => 'field' in t && t.field === 'd')) {
    return { error: `the picture "${picture}" needs y, M and d (e.g. "M/d/yyyy")` };
  }
  const parts: Record<string, number> = { y: 0, M: 0, d: 0, H: 0, m: 0, s: 0 };
  let pos = 0;
  const v = value.trim();
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    if ('literal' in tok) {
      if (v[pos] !== tok.literal) return { error: `"${value}" does not match the picture "${picture}"` };
      pos++;
      continue;
    }
    // A 1-letter field takes 1–2 digits; otherwise exactly its width (yy: two digits; yyyy: four).
    const next = tokens[t + 1];
    const max = tok.width === 1 ? (next && 'field' in next ? 1 : 2) : tok.width;
    let j = pos;
    while (j < v.length && j - pos < max && v.charCodeAt(j) >= 48 && v.charCodeAt(j) <= 57) j++;
    if (j === pos || (tok.width > 1 && j - pos !== tok.width)) return { error: `"${value}" does not match the picture "${picture}"` };
    let n = Number(v.slice(pos, j));
    if (tok.field === 'y' && tok.width === 2) n += n < 50 ? 2000 : 1900;
    parts[tok.field] = n;
    pos = j;
  }
  if (pos !== v.length) return { error: `"${value}" does not match the picture "${picture}" (text left over)` };
  if (!validParts(parts.y, parts.M, parts.d, parts.H, parts.m, parts.s)) return { error: `"${value}" is not a valid date` };
  return { iso: iso(Date.UTC(parts.y, parts.M - 1, parts.d, parts.H, parts.m, parts.s))! };
}
