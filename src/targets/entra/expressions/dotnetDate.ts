/**
 * The part of .NET's date handling that Entra's expression functions expose: custom format strings
 * (`yyyy-MM-dd`, `M/d/yyyy h:mm:ss tt`, `zzz` …) for formatting and exact parsing, invariant culture, and the
 * lenient `DateTime.Parse` forms CDate accepts. Values are UTC instants (Entra's service runs in UTC, so
 * "local" .NET conversions are UTC conversions). Anything we cannot read faithfully returns undefined so the
 * caller can say "computed by Entra" instead of guessing.
 */

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Entra's string form of a DateTime (CDate, DateAdd, Now). */
export const ENTRA_DATE_FORMAT = 'M/d/yyyy h:mm:ss tt';

type Token = { spec: string; count: number } | { literal: string };

/** Splits a .NET custom format string into specifiers and literals (quotes, backslash escapes and `%` handled). */
export function tokenizeFormat(format: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c === "'" || c === '"') {
      const close = format.indexOf(c, i + 1);
      if (close < 0) return undefined;
      out.push({ literal: format.slice(i + 1, close) });
      i = close + 1;
    } else if (c === '\\') {
      if (i + 1 >= format.length) return undefined;
      out.push({ literal: format[i + 1] });
      i += 2;
    } else if (c === '%') {
      i++;
    } else if ('dfFghHKmMstyz'.includes(c)) {
      let n = 1;
      while (format[i + n] === c) n++;
      out.push({ spec: c, count: n });
      i += n;
    } else {
      // ':' and '/' are the invariant culture's separators, i.e. themselves.
      out.push({ literal: c });
      i++;
    }
  }
  return out;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Formats a UTC instant with a .NET custom format string (invariant culture); undefined for an unsupported specifier. */
export function formatDate(ms: number, format: string): string | undefined {
  const tokens = tokenizeFormat(format);
  if (!tokens || !Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  const Y = d.getUTCFullYear(), Mo = d.getUTCMonth() + 1, D = d.getUTCDate(), H = d.getUTCHours(), Mi = d.getUTCMinutes(), S = d.getUTCSeconds(), F = d.getUTCMilliseconds();
  let s = '';
  for (const t of tokens) {
    if ('literal' in t) {
      s += t.literal;
      continue;
    }
    const n = t.count;
    switch (t.spec) {
      case 'y':
        s += n === 2 ? pad(Y % 100, 2) : n === 1 ? String(Y % 100) : pad(Y, n);
        break;
      case 'M':
        s += n >= 4 ? MONTHS[Mo - 1] : n === 3 ? MONTHS[Mo - 1].slice(0, 3) : pad(Mo, n);
        break;
      case 'd':
        s += n >= 4 ? DAYS[d.getUTCDay()] : n === 3 ? DAYS[d.getUTCDay()].slice(0, 3) : pad(D, n);
        break;
      case 'h':
        s += pad(H % 12 === 0 ? 12 : H % 12, Math.min(n, 2));
        break;
      case 'H':
        s += pad(H, Math.min(n, 2));
        break;
      case 'm':
        s += pad(Mi, Math.min(n, 2));
        break;
      case 's':
        s += pad(S, Math.min(n, 2));
        break;
      case 'f':
      case 'F': {
        if (n > 7) return undefined;
        let frac = (pad(F, 3) + '0000').slice(0, n);
        if (t.spec === 'F') frac = frac.replace(/0+$/, '');
        s += frac;
        break;
      }
      case 't':
        s += n === 1 ? (H < 12 ? 'A' : 'P') : H < 12 ? 'AM' : 'PM';
        break;
      case 'z':
        s += n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
        break;
      case 'K':
        s += 'Z';
        break;
      case 'g':
        s += 'A.D.';
        break;
      default:
        return undefined;
    }
  }
  return s;
}

export interface ParseStyles {
  /** AllowLeadingWhite / AllowTrailingWhite (on by default in FormatDateTime). */
  trim: boolean;
}

/** .NET `DateTime.ParseExact(value, format, InvariantCulture)` → UTC milliseconds, or undefined when it would fail. */
export function parseExact(value: string, format: string, styles: ParseStyles = { trim: true }): number | undefined {
  const tokens = tokenizeFormat(format);
  if (!tokens) return undefined;
  const text = styles.trim ? value.trim() : value;
  let i = 0;
  let year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, ms = 0;
  let hour12: number | undefined;
  let pm: boolean | undefined;
  let offsetMin: number | undefined;
  const digits = (min: number, max: number): number | undefined => {
    let j = i;
    while (j < text.length && j - i < max && text[j] >= '0' && text[j] <= '9') j++;
    if (j - i < min) return undefined;
    const n = Number(text.slice(i, j));
    i = j;
    return n;
  };
  for (const t of tokens) {
    if ('literal' in t) {
      if (text.slice(i, i + t.literal.length) !== t.literal) return undefined;
      i += t.literal.length;
      continue;
    }
    const n = t.count;
    let v: number | undefined;
    switch (t.spec) {
      case 'y':
        if (n <= 2) {
          v = digits(n, 2);
          if (v === undefined) return undefined;
          year = v < 100 ? (v <= 29 ? 2000 + v : 1900 + v) : v;
        } else {
          v = digits(n, Math.max(n, 4));
          if (v === undefined) return undefined;
          year = v;
        }
        break;
      case 'M':
        if (n >= 3) {
          const names = n === 3 ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
          const k = names.findIndex((m) => text.slice(i, i + m.length).toLowerCase() === m.toLowerCase());
          if (k < 0) return undefined;
          i += names[k].length;
          month = k + 1;
        } else {
          v = digits(n, 2);
          if (v === undefined) return undefined;
          month = v;
        }
        break;
      case 'd':
        if (n >= 3) {
          const names = n === 3 ? DAYS.map((m) => m.slice(0, 3)) : DAYS;
          const k = names.findIndex((m) => text.slice(i, i + m.length).toLowerCase() === m.toLowerCase());
          if (k < 0) return undefined;
          i += names[k].length;
        } else {
          v = digits(n, 2);
          if (v === undefined) return undefined;
          day = v;
        }
        break;
      case 'h':
        v = digits(Math.min(n, 2), 2);
        if (v === undefined || v < 1 || v > 12) return undefined;
        hour12 = v;
        break;
      case 'H':
        v = digits(Math.min(n, 2), 2);
        if (v === undefined) return undefined;
        hour = v;
        break;
      case 'm':
        v = digits(Math.min(n, 2), 2);
        if (v === undefined) return undefined;
        minute = v;
        break;
      case 's':
        v = digits(Math.min(n, 2), 2);
        if (v === undefined) return undefined;
        second = v;
        break;
      case 'f':
      case 'F': {
        if (n > 7) return undefined;
        const s = i;
        v = digits(t.spec === 'f' ? n : 0, n);
        if (v === undefined) return undefined;
        const frac = text.slice(s, i);
        ms = frac ? Math.floor(Number((frac + '000').slice(0, 3))) : 0;
        break;
      }
      case 't': {
        const want = n === 1 ? 1 : 2;
        const word = text.slice(i, i + want).toUpperCase();
        if (word === (want === 1 ? 'A' : 'AM')) pm = false;
        else if (word === (want === 1 ? 'P' : 'PM')) pm = true;
        else return undefined;
        i += want;
        break;
      }
      case 'z':
      case 'K': {
        if (t.spec === 'K' && text[i] === 'Z') {
          offsetMin = 0;
          i++;
          break;
        }
        const sign = text[i];
        if (sign !== '+' && sign !== '-') {
          if (t.spec === 'K') break;
          return undefined;
        }
        i++;
        const hh = digits(n === 1 ? 1 : 2, 2);
        if (hh === undefined) return undefined;
        let mm = 0;
        if (n >= 3 || t.spec === 'K') {
          if (text[i] !== ':') return undefined;
          i++;
          const m2 = digits(2, 2);
          if (m2 === undefined) return undefined;
          mm = m2;
        }
        offsetMin = (sign === '-' ? -1 : 1) * (hh * 60 + mm);
        break;
      }
      default:
        return undefined;
    }
  }
  if (i !== text.length) return undefined;
  if (hour12 !== undefined) hour = (hour12 % 12) + (pm ? 12 : 0);
  else if (pm !== undefined && hour < 12 && pm) hour += 12;
  return build(year, month, day, hour, minute, second, ms, offsetMin);
}

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, offsetMin: number | undefined): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || year < 1 || year > 9999) return undefined;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(t);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined; // 31 February
  // Date.UTC maps years 0-99 to 1900-1999; fix those.
  const fixed = year < 100 ? new Date(t).setUTCFullYear(year) : t;
  return fixed - (offsetMin ?? 0) * 60_000;
}

// Anchored, linear: each part is a fixed-width or bounded digit run; no nested quantifiers.
const ISO_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;
const US_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?(AM|PM))?)?$/i;

/**
 * The `DateTime.Parse` forms CDate sees in HR data: ISO 8601 (with or without time and offset, including the
 * Workday form `2020-03-16-07:00`, a date with an offset) and US `M/d/yyyy h:mm:ss tt`. A value without an offset is taken as UTC.
 */
export function parseLenient(value: string): number | undefined {
  const text = value.trim();
  let m = ISO_RE.exec(text);
  if (m) {
    const off = m[8] && m[8] !== 'Z' ? (m[8][0] === '-' ? -1 : 1) * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6))) : 0;
    const ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
    return build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms, off);
  }
  m = US_RE.exec(text);
  if (m) {
    let hour = +(m[4] ?? 0);
    if (m[7]) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (m[7].toUpperCase() === 'PM' ? 12 : 0);
    }
    return build(+m[3], +m[1], +m[2], hour, +(m[5] ?? 0), +(m[6] ?? 0), 0, 0);
  }
  return undefined;
}

/** Milliseconds between 1601-01-01 (Windows FILETIME / AD epoch) and 1970-01-01. */
export const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000;
