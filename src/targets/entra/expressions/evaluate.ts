/**
 * Evaluates Entra attribute-mapping expressions the way Microsoft's reference documents them
 * (functions-for-customizing-application-data). Where the reference leaves a case open (a function given an empty
 * value, a pattern JavaScript cannot run safely, time, randomness, the target directory), the result is
 * "computed by Entra" with the reason, never a guess.
 */
import { CompareOp, ExprNode, ExpressionSyntaxError, parseExpression } from './parse';
import { ComputedByEntra, EntraDate, EvaluationError, EValue, IgnoreFlow, isEmpty, toText } from './values';
import { FILETIME_EPOCH_OFFSET_MS, formatDate, parseExact, parseLenient } from './dotnetDate';
import { normalizeDiacritics } from './diacritics';
import { compileDotNetRegex, expandReplacement, MAX_REGEX_INPUT } from './regex';

export interface EvaluationContext {
  /** The staged source attribute's value; null or undefined when absent. */
  attribute(name: string): EValue | undefined;
  /** The clock for Now(). Without it Now() is computed by Entra (the preview cannot know when Entra runs). */
  now?: () => number;
  /** Randomness for Guid() and RandomString() (tests). Without it both are computed by Entra. */
  random?: () => number;
}

export type Evaluation =
  | { kind: 'value'; value: EValue; redacted: boolean }
  /** IgnoreFlowIfNullOrEmpty dropped the attribute from the flow. */
  | { kind: 'ignored' }
  | { kind: 'computedByEntra'; reason: string }
  | { kind: 'error'; message: string; offset?: number };

export function evaluateExpressionText(text: string, ctx: EvaluationContext): Evaluation {
  let node: ExprNode;
  try {
    node = parseExpression(text);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) return { kind: 'error', message: e.message, offset: e.offset };
    throw e;
  }
  return evaluateNode(node, ctx);
}

export function evaluateNode(node: ExprNode, ctx: EvaluationContext): Evaluation {
  const ev = new Evaluator(ctx);
  try {
    const value = ev.eval(node);
    return { kind: 'value', value, redacted: ev.redacted };
  } catch (e) {
    if (e instanceof IgnoreFlow) return { kind: 'ignored' };
    if (e instanceof ComputedByEntra) return { kind: 'computedByEntra', reason: e.message };
    if (e instanceof EvaluationError) return { kind: 'error', message: e.message, offset: e.offset };
    throw e;
  }
}

type Arg = ExprNode | undefined;
type Impl = (ev: Evaluator, args: Arg[], call: Extract<ExprNode, { kind: 'call' }>) => EValue;

interface FunctionSpec {
  min: number;
  max: number;
  impl: Impl;
}

class Evaluator {
  redacted = false;
  constructor(readonly ctx: EvaluationContext) {}

  eval(node: ExprNode): EValue {
    switch (node.kind) {
      case 'string':
        return node.value;
      case 'number':
        return node.value;
      case 'attribute': {
        const v = this.ctx.attribute(node.name);
        return v === undefined ? null : v;
      }
      case 'identifier':
        if (node.name === 'True') return true;
        if (node.name === 'False') return false;
        if (node.name === 'vbBinaryCompare' || node.name === 'vbTextCompare') return node.name;
        throw new EvaluationError(`'${node.name}' is neither a function call nor a known constant (attributes go in [brackets], strings in "quotes")`, node.start);
      case 'compare':
        return this.compare(node.op, this.eval(node.left), this.eval(node.right));
      case 'call': {
        const spec = FUNCTIONS[node.name];
        if (!spec) {
          const near = Object.keys(FUNCTIONS).find((f) => f.toLowerCase() === node.name.toLowerCase());
          throw new EvaluationError(near ? `unknown function ${node.name}: function names are case-sensitive, did you mean ${near}?` : `unknown function ${node.name}`, node.start);
        }
        if (node.args.length < spec.min || node.args.length > spec.max) {
          const want = spec.min === spec.max ? `${spec.min}` : spec.max === Infinity ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
          throw new EvaluationError(`${node.name} takes ${want} argument${want === '1' ? '' : 's'}, not ${node.args.length}`, node.start);
        }
        return spec.impl(this, node.args, node);
      }
    }
  }

  /** An argument that may be left empty: undefined → null. */
  opt(a: Arg): EValue {
    return a ? this.eval(a) : null;
  }

  /** A required string argument; an empty value is computed by Entra unless the function documents it. */
  str(a: Arg, fn: string, param: string): string {
    const v = this.opt(a);
    if (v === null) throw new ComputedByEntra(`${fn}: ${param} is empty and Entra does not document the result`);
    return toText(v, `${fn}'s ${param}`);
  }

  num(a: Arg, fn: string, param: string): number {
    const v = this.opt(a);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) {
      if (v === null) throw new ComputedByEntra(`${fn}: ${param} is empty and Entra does not document the result`);
      throw new EvaluationError(`${fn}: ${param} must be a number, got ${JSON.stringify(typeof v === 'string' ? v : toText(v, param))}`, a?.start);
    }
    return n;
  }

  int(a: Arg, fn: string, param: string): number {
    const n = this.num(a, fn, param);
    if (!Number.isInteger(n)) throw new ComputedByEntra(`${fn}: ${param} ${n} is not a whole number`);
    return n;
  }

  date(a: Arg, fn: string, param: string): EntraDate {
    const v = this.opt(a);
    if (v instanceof EntraDate) return v;
    if (typeof v === 'string') {
      const ms = parseLenient(v);
      if (ms !== undefined) return new EntraDate(ms);
      throw new ComputedByEntra(`${fn}: SCIM Mapper cannot read ${JSON.stringify(v)} as a date the way .NET would`);
    }
    if (v === null) throw new ComputedByEntra(`${fn}: ${param} is empty and Entra does not document the result`);
    throw new EvaluationError(`${fn}: ${param} must be a date (wrap a string in CDate)`, a?.start);
  }

  bool(v: EValue, what: string): boolean {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') {
      const t = v.trim().toLowerCase();
      if (t === 'true') return true;
      if (t === 'false') return false;
      if (t !== '' && Number.isFinite(Number(t))) return Number(t) !== 0;
    }
    throw new ComputedByEntra(`${what}: ${v === null ? 'an empty value' : JSON.stringify(toText(v, what))} is not True or False`);
  }

  list(v: EValue): EValue[] {
    if (v === null) return [];
    return Array.isArray(v) ? v.flat(Infinity as 1) : [v];
  }

  compare(op: CompareOp, l: EValue, r: EValue): boolean {
    if (l === null || r === null) throw new ComputedByEntra('a comparison with an empty attribute fails in Entra (use Switch with an "" key for empties)');
    const ln = typeof l === 'number' ? l : Number(l);
    const rn = typeof r === 'number' ? r : Number(r);
    const numeric = (typeof l === 'number' || typeof r === 'number') && Number.isFinite(ln) && Number.isFinite(rn);
    let c: number;
    if (numeric) c = ln === rn ? 0 : ln < rn ? -1 : 1;
    else if (l instanceof EntraDate && r instanceof EntraDate) c = Math.sign(l.ms - r.ms);
    else {
      const ls = toText(l, 'the left side'), rs = toText(r, 'the right side');
      if (op !== '=' && op !== '<>') throw new ComputedByEntra(`ordering strings (${op}) follows .NET comparison rules SCIM Mapper does not reproduce`);
      c = ls === rs ? 0 : 1;
    }
    switch (op) {
      case '=': return c === 0;
      case '<>': return c !== 0;
      case '<': return c < 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '>=': return c >= 0;
    }
  }

  /** A compiled pattern that passed the safety screen, for an input within the length limit. */
  regex(pattern: string, input: string): RegExp {
    if (input.length > MAX_REGEX_INPUT) throw new ComputedByEntra(`Replace: the value is longer than ${MAX_REGEX_INPUT} characters; its regular expression is not run here`);
    const r = compileDotNetRegex(pattern);
    if (!r.ok) throw new ComputedByEntra(`Replace: the regular expression is not run here (${r.reason})`);
    r.regex.lastIndex = 0;
    return r.regex;
  }
}

const notHere = (why: string): Impl => () => {
  throw new ComputedByEntra(why);
};

function attributesIn(node: ExprNode | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (node.kind === 'attribute') out.push(node.name);
  else if (node.kind === 'call') node.args.forEach((a) => attributesIn(a, out));
  else if (node.kind === 'compare') {
    attributesIn(node.left, out);
    attributesIn(node.right, out);
  }
  return out;
}

const INTERVALS = new Set(['yyyy', 'q', 'm', 'y', 'd', 'w', 'ww', 'h', 'n', 's']);

function addInterval(ms: number, interval: string, n: number): number {
  const d = new Date(ms);
  const addMonths = (months: number) => {
    const day = d.getUTCDate();
    const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
    const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
    t.setUTCDate(Math.min(day, last)); // .NET AddMonths keeps the day, clamped to the month's last day
    return t.getTime();
  };
  switch (interval) {
    case 'yyyy': return addMonths(12 * n);
    case 'q': return addMonths(3 * n);
    case 'm': return addMonths(n);
    case 'y':
    case 'd':
    case 'w': return ms + n * 86_400_000;
    case 'ww': return ms + n * 7 * 86_400_000;
    case 'h': return ms + n * 3_600_000;
    case 'n': return ms + n * 60_000;
    default: return ms + n * 1000;
  }
}

/** Visual Basic's DateDiff, which Entra's follows: calendar differences for years/months/weeks, truncated spans otherwise. */
function dateDiff(interval: string, a: number, b: number): number {
  const da = new Date(a), db = new Date(b);
  const trunc = (x: number) => (x < 0 ? Math.ceil(x) : Math.floor(x)) || 0;
  switch (interval) {
    case 'yyyy': return db.getUTCFullYear() - da.getUTCFullYear();
    case 'q': return (db.getUTCFullYear() - da.getUTCFullYear()) * 4 + Math.floor(db.getUTCMonth() / 3) - Math.floor(da.getUTCMonth() / 3);
    case 'm': return (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + db.getUTCMonth() - da.getUTCMonth();
    case 'y':
    case 'd': return trunc((b - a) / 86_400_000);
    case 'w': return trunc(trunc((b - a) / 86_400_000) / 7);
    case 'ww': {
      // Weeks start on Sunday: count the Sundays between the two dates' weeks.
      const startOfWeek = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - d.getUTCDay());
      return Math.round((startOfWeek(db) - startOfWeek(da)) / (7 * 86_400_000));
    }
    case 'h': return trunc((b - a) / 3_600_000);
    case 'n': return trunc((b - a) / 60_000);
    default: return trunc((b - a) / 1000);
  }
}

/** .NET ToTitleCase's word separators: every character that is not a letter, a mark or a digit. */
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

function pcase(s: string, separators: string | undefined): string {
  let out = '';
  let startOfWord = true;
  for (const ch of s) {
    const sep = separators !== undefined ? separators.includes(ch) : !WORD_CHAR.test(ch);
    if (sep) {
      out += ch;
      startOfWord = true;
    } else {
      out += startOfWord ? ch.toUpperCase() : ch.toLowerCase();
      startOfWord = false;
    }
  }
  return out;
}

const SPECIAL = '!@#$%^&*()-_=+[]{}|;:,.<>/?~`\'"\\';

function randomString(ev: Evaluator, args: Arg[]): string {
  const rnd = ev.ctx.random;
  if (!rnd) throw new ComputedByEntra('RandomString: Entra generates a new random value');
  const [len, nums, specials, caps, lowers] = [0, 1, 2, 3, 4].map((i) => ev.int(args[i], 'RandomString', ['Length', 'MinimumNumbers', 'MinimumSpecialCharacters', 'MinimumCapital', 'MinimumLowerCase'][i]));
  const avoid = args[5] ? ev.str(args[5], 'RandomString', 'CharactersToAvoid') : '';
  if (len > 256 || len < nums + specials + caps + lowers || [nums, specials, caps, lowers].some((n) => n < 0)) {
    throw new EvaluationError('RandomString: Length must be at most 256 and at least the sum of the minimums');
  }
  const pool = (chars: string) => [...chars].filter((c) => !avoid.includes(c));
  const sets = [pool('0123456789'), pool(SPECIAL), pool('ABCDEFGHIJKLMNOPQRSTUVWXYZ'), pool('abcdefghijklmnopqrstuvwxyz')];
  const counts = [nums, specials, caps, lowers];
  const pick = (set: string[]) => {
    if (set.length === 0) throw new EvaluationError('RandomString: CharactersToAvoid leaves no character to choose from');
    return set[Math.floor(rnd() * set.length) % set.length];
  };
  const chars: string[] = [];
  counts.forEach((n, k) => {
    for (let i = 0; i < n; i++) chars.push(pick(sets[k]));
  });
  const all = sets.flat();
  while (chars.length < len) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1)) % (i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

function guid(ev: Evaluator): string {
  const rnd = ev.ctx.random;
  if (!rnd) throw new ComputedByEntra('Guid: Entra generates a new GUID');
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rnd() * 4)];
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function replace(ev: Evaluator, args: Arg[]): EValue {
  const [sourceA, oldA, patternA, groupA, replacementA, replAttrA, templateA] = args;
  const oldValue = oldA ? ev.opt(oldA) : null;
  const pattern = patternA ? ev.opt(patternA) : null;
  const group = groupA ? ev.opt(groupA) : null;
  const replacement = replacementA ? ev.opt(replacementA) : null;
  const template = templateA ? ev.opt(templateA) : null;

  if (pattern !== null && group !== null && replAttrA) {
    // Source if it has a value; else the named group of the pattern applied to replacementAttributeName.
    const source = ev.opt(sourceA);
    if (!isEmpty(source)) return source;
    const other = ev.opt(replAttrA);
    if (isEmpty(other)) throw new ComputedByEntra('Replace: both the source and replacementAttributeName are empty');
    const text = toText(other, 'Replace\'s replacementAttributeName');
    const re = ev.regex(toText(pattern, 'regexPattern'), text);
    const m = re.exec(text);
    if (!m) throw new ComputedByEntra('Replace: the pattern does not match replacementAttributeName; Entra does not document the result');
    const g = m.groups?.[toText(group, 'regexGroupName')];
    if (g === undefined) throw new EvaluationError(`Replace: the pattern has no group named '${toText(group, 'regexGroupName')}'`);
    return g;
  }
  if (oldValue !== null && template !== null) {
    const source = ev.str(sourceA, 'Replace', 'source');
    return toText(template, 'template').split(toText(oldValue, 'oldValue')).join(source);
  }
  const source = ev.str(sourceA, 'Replace', 'source');
  if (oldValue !== null && replacement !== null) {
    const old = toText(oldValue, 'oldValue');
    if (old === '') return source;
    return source.split(old).join(toText(replacement, 'replacementValue'));
  }
  if (pattern !== null && replacement !== null) {
    const re = ev.regex(toText(pattern, 'regexPattern'), source);
    const repl = toText(replacement, 'replacementValue');
    if (group === null) return replaceAll(re, source, (m) => expandReplacement(repl, m, source));
    const name = toText(group, 'regexGroupName');
    // Replace only the named group's span of each match.
    return replaceAll(re, source, (m) => {
      const span = (m as RegExpExecArray & { indices?: { groups?: Record<string, [number, number] | undefined> } }).indices?.groups?.[name];
      if (!m.groups || !(name in m.groups)) throw new EvaluationError(`Replace: the pattern has no group named '${name}'`);
      if (!span) return m[0];
      const rel = [span[0] - m.index, span[1] - m.index];
      return m[0].slice(0, rel[0]) + expandReplacement(repl, m, source) + m[0].slice(rel[1]);
    });
  }
  throw new ComputedByEntra('Replace: this combination of parameters is not one Microsoft documents');
}

/** Global replace driven by exec, so that empty matches advance (as .NET's Regex.Replace does). */
function replaceAll(re: RegExp, input: string, f: (m: RegExpExecArray) => string): string {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let guard = 0; guard <= input.length + 1; guard++) {
    const m = re.exec(input);
    if (!m) break;
    out += input.slice(last, m.index) + f(m);
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex = m.index + 1;
    if (re.lastIndex > input.length) break;
  }
  return out + input.slice(last);
}

const FUNCTIONS: Record<string, FunctionSpec> = {
  Append: { min: 2, max: 2, impl: (ev, [s, x]) => ev.str(s, 'Append', 'source') + ev.str(x, 'Append', 'suffix') },
  AppRoleAssignmentsComplex: { min: 1, max: 1, impl: notHere("AppRoleAssignmentsComplex reads the user's app role assignments in Entra") },
  BitAnd: { min: 2, max: 2, impl: (ev, [a, b]) => Number(BigInt.asIntN(64, BigInt(ev.int(a, 'BitAnd', 'value1')) & BigInt(ev.int(b, 'BitAnd', 'value2')))) },
  CBool: { min: 1, max: 1, impl: (ev, [e]) => ev.bool(ev.opt(e), 'CBool') },
  CDate: { min: 1, max: 1, impl: (ev, [e]) => ev.date(e, 'CDate', 'expression') },
  Coalesce: {
    min: 1,
    max: Infinity,
    impl: (ev, args) => {
      for (const a of args) {
        const v = ev.opt(a);
        if (v !== null && !(Array.isArray(v) && v.length === 0)) return v;
      }
      return null;
    },
  },
  ConvertToBase64: { min: 1, max: 1, impl: (ev, [s]) => Buffer.from(ev.str(s, 'ConvertToBase64', 'source'), 'utf16le').toString('base64') },
  ConvertToUTF8Hex: { min: 1, max: 1, impl: (ev, [s]) => Buffer.from(ev.str(s, 'ConvertToUTF8Hex', 'source'), 'utf8').toString('hex').toUpperCase() },
  Count: {
    min: 1,
    max: 1,
    impl: (ev, [a]) => {
      const v = ev.opt(a);
      if (v === null) throw new ComputedByEntra('Count: the attribute is empty and Entra does not document the result');
      return ev.list(v).length;
    },
  },
  CStr: { min: 1, max: 1, impl: (ev, [v]) => ev.str(v, 'CStr', 'value') },
  DateAdd: {
    min: 3,
    max: 3,
    impl: (ev, [i, v, d]) => {
      const interval = ev.str(i, 'DateAdd', 'interval');
      if (!INTERVALS.has(interval)) throw new EvaluationError(`DateAdd: unknown interval '${interval}' (yyyy, m, d, ww, h, n or s)`, i?.start);
      return new EntraDate(addInterval(ev.date(d, 'DateAdd', 'dateTime').ms, interval, ev.int(v, 'DateAdd', 'value')));
    },
  },
  DateDiff: {
    min: 3,
    max: 3,
    impl: (ev, [i, a, b]) => {
      const interval = ev.str(i, 'DateDiff', 'interval');
      if (!INTERVALS.has(interval)) throw new EvaluationError(`DateDiff: unknown interval '${interval}' (yyyy, m, d, ww, h, n or s)`, i?.start);
      return dateDiff(interval, ev.date(a, 'DateDiff', 'date1').ms, ev.date(b, 'DateDiff', 'date2').ms);
    },
  },
  DateFromNum: {
    min: 1,
    max: 1,
    impl: (ev, [v]) => {
      const raw = ev.opt(v);
      const digits = typeof raw === 'number' ? BigInt(Math.trunc(raw)) : typeof raw === 'string' && /^-?\d{1,20}$/.test(raw.trim()) ? BigInt(raw.trim()) : undefined;
      if (digits === undefined) {
        if (raw === null) throw new ComputedByEntra('DateFromNum: the value is empty and Entra does not document the result');
        throw new EvaluationError('DateFromNum: the value must be an AD date number (100-ns intervals since 1601)', v?.start);
      }
      return new EntraDate(Number(digits / 10_000n) - FILETIME_EPOCH_OFFSET_MS);
    },
  },
  FormatDateTime: {
    min: 4,
    max: 4,
    impl: (ev, [s, styles, inF, outF]) => {
      const source = ev.str(s, 'FormatDateTime', 'source');
      const style = styles ? ev.opt(styles) : null;
      const styleText = style === null ? '' : toText(style, 'dateTimeStyles');
      const trim = styleText === '' || /AllowLeadingWhite|AllowTrailingWhite|AllowWhiteSpaces|RoundtripKind/.test(styleText);
      if (styleText !== '' && !/^[A-Za-z, |]+$/.test(styleText)) throw new EvaluationError(`FormatDateTime: '${styleText}' is not a DateTimeStyles value`, styles?.start);
      const inputFormat = ev.str(inF, 'FormatDateTime', 'inputFormat');
      const outputFormat = ev.str(outF, 'FormatDateTime', 'outputFormat');
      const ms = parseExact(source, inputFormat, { trim });
      if (ms === undefined) throw new ComputedByEntra(`FormatDateTime: ${JSON.stringify(source)} does not match the input format ${JSON.stringify(inputFormat)} as SCIM Mapper reads .NET formats; Entra reports an error when it does not match`);
      const out = formatDate(ms, outputFormat);
      if (out === undefined) throw new ComputedByEntra(`FormatDateTime: the output format ${JSON.stringify(outputFormat)} uses a specifier SCIM Mapper does not reproduce`);
      return out;
    },
  },
  Guid: { min: 0, max: 0, impl: (ev) => guid(ev) },
  IgnoreFlowIfNullOrEmpty: {
    min: 1,
    max: 1,
    impl: (ev, [e]) => {
      const v = ev.opt(e);
      if (isEmpty(v)) throw new IgnoreFlow('empty');
      return v;
    },
  },
  IIF: {
    min: 3,
    max: 3,
    impl: (ev, [c, t, f]) => {
      for (const name of attributesIn(c)) {
        if (isEmpty(ev.opt({ kind: 'attribute', name, start: 0, end: 0 }))) {
          throw new ComputedByEntra(`IIF: [${name}] is empty, and Entra documents that IIF's condition check then fails (use Switch with an "" key)`);
        }
      }
      return ev.bool(ev.opt(c), 'IIF\'s condition') ? ev.opt(t) : ev.opt(f);
    },
  },
  InStr: {
    min: 2,
    max: 4,
    impl: (ev, [a, b, st, cmp]) => {
      let hay = ev.str(a, 'InStr', 'value1');
      let needle = ev.str(b, 'InStr', 'value2');
      const start = st ? ev.int(st, 'InStr', 'start') : 1;
      if (start < 1) throw new EvaluationError('InStr: start must be 1 or more', st?.start);
      const mode = cmp ? ev.opt(cmp) : 'vbBinaryCompare';
      const text = mode === 'vbTextCompare' || mode === 1 || mode === '1';
      if (!text && !(mode === 'vbBinaryCompare' || mode === 0 || mode === '0' || mode === null)) throw new EvaluationError('InStr: compareType is vbBinaryCompare or vbTextCompare', cmp?.start);
      if (text) {
        hay = hay.toLowerCase();
        needle = needle.toLowerCase();
      }
      return hay.indexOf(needle, start - 1) + 1;
    },
  },
  IsNull: { min: 1, max: 1, impl: (ev, [e]) => { const v = ev.opt(e); return v === null || (Array.isArray(v) && v.length === 0); } },
  IsNullOrEmpty: { min: 1, max: 1, impl: (ev, [e]) => isEmpty(ev.opt(e)) },
  IsPresent: { min: 1, max: 1, impl: (ev, [e]) => !isEmpty(ev.opt(e)) },
  IsString: {
    min: 1,
    max: 1,
    impl: (ev, [e]) => {
      const v = ev.opt(e);
      if (typeof v === 'string') return true;
      if (v === null) return false;
      throw new ComputedByEntra('IsString: whether Entra counts this value as a string is not documented');
    },
  },
  Item: {
    min: 2,
    max: 2,
    impl: (ev, [a, i]) => {
      const v = ev.opt(a);
      if (v === null) throw new ComputedByEntra('Item: the attribute is empty and Entra does not document the result');
      const index = ev.int(i, 'Item', 'index');
      const items = ev.list(v);
      if (index < 1) throw new EvaluationError('Item: the index is 1-based (index 0 must not be used)', i?.start);
      if (index > items.length) throw new ComputedByEntra(`Item: index ${index} is beyond the ${items.length} value(s); Entra does not document the result`);
      return items[index - 1];
    },
  },
  Join: {
    min: 2,
    max: Infinity,
    impl: (ev, [sep, ...sources]) => {
      const separator = ev.str(sep, 'Join', 'separator');
      // Empty values are left out: Microsoft's example Join(", ", "", [surname], [givenName]) gives "Doe, John".
      const parts = sources.flatMap((s) => ev.list(ev.opt(s))).filter((v) => !isEmpty(v)).map((v) => toText(v, 'Join\'s source'));
      if (parts.length === 0) throw new ComputedByEntra('Join: every source is empty and Entra does not document the result');
      return parts.join(separator);
    },
  },
  Left: {
    min: 2,
    max: 2,
    impl: (ev, [s, n]) => {
      const v = ev.opt(s);
      if (v === null) return '';
      const text = toText(v, 'Left\'s String');
      const count = ev.int(n, 'Left', 'NumChars');
      if (count < 0) return text;
      return [...text].slice(0, count).join('');
    },
  },
  Mid: {
    min: 3,
    max: 3,
    impl: (ev, [s, st, len]) => {
      const text = ev.str(s, 'Mid', 'source');
      const start = ev.int(st, 'Mid', 'start');
      const length = ev.int(len, 'Mid', 'length');
      if (start < 1 || length < 0) throw new ComputedByEntra('Mid: start below 1 or a negative length is not documented');
      return [...text].slice(start - 1, start - 1 + length).join('');
    },
  },
  NormalizeDiacritics: {
    min: 1,
    max: 1,
    impl: (ev, [s]) => {
      const r = normalizeDiacritics(ev.str(s, 'NormalizeDiacritics', 'source'));
      if (!r.ok) throw new ComputedByEntra(`NormalizeDiacritics: '${r.character}' is not in Microsoft's table of normalised characters`);
      return r.value;
    },
  },
  Not: {
    min: 1,
    max: 1,
    impl: (ev, [s]) => {
      // "If source value is True, returns False. Otherwise, returns True."
      const v = ev.opt(s);
      return !(v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true'));
    },
  },
  Now: {
    min: 0,
    max: 0,
    impl: (ev) => {
      if (!ev.ctx.now) throw new ComputedByEntra('Now: the time when Entra processes the record');
      return new EntraDate(ev.ctx.now());
    },
  },
  NumFromDate: {
    min: 1,
    max: 1,
    impl: (ev, [v]) => {
      const d = ev.date(v, 'NumFromDate', 'value');
      return String((BigInt(Math.round(d.ms)) + BigInt(FILETIME_EPOCH_OFFSET_MS)) * 10_000n);
    },
  },
  PCase: {
    min: 1,
    max: 2,
    impl: (ev, [s, seps]) => pcase(ev.str(s, 'PCase', 'source'), seps ? ev.str(seps, 'PCase', 'wordSeparators') : undefined),
  },
  RandomString: { min: 5, max: 6, impl: (ev, args) => randomString(ev, args) },
  Redact: {
    min: 1,
    max: 1,
    impl: (ev, [v]) => {
      ev.redacted = true;
      return ev.opt(v);
    },
  },
  RemoveDuplicates: {
    min: 1,
    max: 1,
    impl: (ev, [a]) => {
      const v = ev.opt(a);
      if (v === null) throw new ComputedByEntra('RemoveDuplicates: the attribute is empty and Entra does not document the result');
      const seen = new Set<string>();
      return ev.list(v).filter((x) => {
        const k = toText(x, 'RemoveDuplicates');
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
  },
  Replace: { min: 7, max: 7, impl: (ev, args) => replace(ev, args) },
  SelectUniqueValue: { min: 2, max: Infinity, impl: notHere('SelectUniqueValue checks uniqueness in the target directory (and Microsoft supports it only for on-premises Active Directory targets)') },
  SingleAppRoleAssignment: { min: 1, max: 1, impl: notHere("SingleAppRoleAssignment reads the user's app role assignments in Entra") },
  Split: {
    min: 2,
    max: 2,
    impl: (ev, [s, d]) => {
      const delimiter = ev.str(d, 'Split', 'delimiter');
      // Microsoft's example splits "PermissionSetOne, PermissionSetTwo" on "," into ["PermissionSetOne", "PermissionSetTwo"].
      return delimiter === '' ? [ev.str(s, 'Split', 'source')] : ev.str(s, 'Split', 'source').split(delimiter).map((x) => x.trim());
    },
  },
  StripSpaces: { min: 1, max: 1, impl: (ev, [s]) => ev.str(s, 'StripSpaces', 'source').split(' ').join('') },
  Switch: {
    min: 4,
    max: Infinity,
    impl: (ev, [s, def, ...pairs], call) => {
      if (pairs.length % 2 !== 0) throw new EvaluationError('Switch takes the source, a default and then key/value pairs: the pairs are incomplete', call.start);
      // An empty source matches the "" key (Microsoft's recommended way to test for empties).
      const sv = ev.opt(s);
      const source = sv === null ? '' : toText(sv, 'Switch\'s source');
      for (let i = 0; i < pairs.length; i += 2) {
        const kv = ev.opt(pairs[i]);
        const key = kv === null ? '' : toText(kv, 'Switch\'s key');
        if (key === source) return ev.opt(pairs[i + 1]);
      }
      return ev.opt(def);
    },
  },
  ToLower: {
    min: 1,
    max: 2,
    impl: (ev, [s, c]) => {
      const text = ev.str(s, 'ToLower', 'source');
      return c ? text.toLocaleLowerCase(culture(ev, c, 'ToLower')) : text.toLowerCase();
    },
  },
  ToUpper: {
    min: 1,
    max: 2,
    impl: (ev, [s, c]) => {
      const text = ev.str(s, 'ToUpper', 'source');
      return c ? text.toLocaleUpperCase(culture(ev, c, 'ToUpper')) : text.toUpperCase();
    },
  },
  Word: {
    min: 3,
    max: 3,
    impl: (ev, [s, n, d]) => {
      const v = ev.opt(s);
      const number = ev.int(n, 'Word', 'WordNumber');
      if (v === null || number < 1) return '';
      const delimiters = ev.str(d, 'Word', 'delimiters');
      const words: string[] = [];
      let cur = '';
      for (const ch of toText(v, 'Word\'s String')) {
        if (delimiters.includes(ch)) {
          if (cur) words.push(cur);
          cur = '';
        } else cur += ch;
      }
      if (cur) words.push(cur);
      return words[number - 1] ?? '';
    },
  },
};

function culture(ev: Evaluator, a: Arg, fn: string): string {
  const name = ev.str(a, fn, 'culture');
  try {
    return Intl.getCanonicalLocales(name)[0];
  } catch {
    throw new EvaluationError(`${fn}: '${name}' is not a culture name such as en-US`, a?.start);
  }
}

/** The documented function names (for completion, hover and docs). */
export const ENTRA_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);
