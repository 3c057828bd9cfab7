/**
 * Quick fixes that rewrite an expression, checked against the sample before anyone is offered them.
 *
 * For a type or date problem on a mapping, candidate rewrites are built from the values the expression
 * actually produces on the sample; each candidate is evaluated on every sample record (jsonata's limits, in
 * the evaluation worker or the CLI — never on the language server's main thread) and kept only when it yields,
 * on every record, the value the conversion is meant to produce. The survivors go into the diagnostic's
 * `data.fixes`; the code-action provider only turns them into edits. `data.verified` says the check ran, so
 * "no fix survived" is not mistaken for "not checked yet".
 */
import type { AnalyzedMapping } from '../analysis';
import type { ResolvedMapping } from '../analysis/targets';
import type { CompiledMapping } from '../transform/compile';
import { checkAttributeValue, isOmitted, XSD_DATETIME } from '../transform/values';
import type { EngineDiagnostic } from '../types';
import type { EvaluateOptions, SampleEvaluator } from './evaluate';
import { checkSignInName } from '../checks/signInName';
import { guessActiveExpression, guessExternalIdExpression, guessUserNameExpression } from './guess';
import type { SampleSet } from './load';

export interface VerifiedFix {
  title: string;
  /** The new expression text (replaces the whole expression of the mapping). */
  expression: string;
}

/** Words read as booleans by the boolean fix (compared trimmed and lowercased). */
export const TRUE_WORDS = ['true', 'yes', 'y', '1'] as const;
export const FALSE_WORDS = ['false', 'no', 'n', '0'] as const;

const FIXABLE = new Set(['type-mismatch', 'sample-type', 'date-format']);
/** At most this many distinct values are shown in a fix title. */
const TITLE_VALUES = 6;

type Kind = 'string' | 'number' | 'boolean' | 'date';

interface Candidate {
  title: string;
  expression: string;
  /** The value the fix must produce for a raw value; NOT_CONVERTIBLE rejects the fix. */
  intended: (raw: unknown) => unknown;
}

const NOT_CONVERTIBLE = Symbol('not convertible');

/** Replaces the type and date diagnostics of expression mappings with copies carrying `data.fixes` and `data.verified`. */
export async function attachVerifiedFixes(m: CompiledMapping, sample: SampleSet, evaluator: SampleEvaluator, diagnostics: EngineDiagnostic[], opts: EvaluateOptions & { skip?: ReadonlySet<string> } = {}): Promise<void> {
  if (!sample.records.length) return;
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i];
    const attribute = (d.data as { attribute?: unknown } | undefined)?.attribute;
    let fixes: VerifiedFix[] | undefined;
    if (d.code === 'active-unmapped') fixes = await verifyActiveFix(m, sample, evaluator, guessActiveExpression(sample.fields), opts);
    else if (d.code === 'missing-required' && attribute === 'externalId') fixes = await verifyIdentityFix(m, sample, evaluator, 'externalId', guessExternalIdExpression(sample.fields, m.analysis.doc.source?.key?.value), opts);
    else if (d.code === 'missing-required' && attribute === 'userName') fixes = await verifyIdentityFix(m, sample, evaluator, 'userName', guessUserNameExpression(sample.fields), opts);
    else continue;
    diagnostics[i] = { ...d, data: { ...((d.data as object) ?? {}), verified: true, fixes } };
  }
  const done = new Map<string, VerifiedFix[]>();
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i];
    if (!FIXABLE.has(d.code)) continue;
    // From the analysis, not the compiled targets: a mapping with a static type error is not compiled.
    const a = mappingAt(m, d.start);
    const r = a?.resolved;
    const text = a && expressionText(a);
    if (!r || text === undefined) continue;
    if (opts.skip?.has(`${a.entry.key.value}\u0000${text}`)) continue; // ran past the hard time limit before
    const kind: Kind | undefined = d.code === 'date-format' ? 'date' : kindOf(r);
    if (!kind) continue;
    const key = `${a.entry.key.value}\u0000${kind}`;
    let fixes = done.get(key);
    if (!fixes) {
      // Told like a target evaluation, so that the worker's hard time limit pins a hang on this mapping.
      opts.onTarget?.(a.entry.key.value);
      fixes = await verify(m, r, sample, evaluator, text, kind, a.entry.key.value, opts.signal);
      done.set(key, fixes);
    }
    // A copy: static diagnostics are shared with the cached analysis.
    // `checked`: the text the fixes were built from, so that a fix is not applied to an expression edited since.
    diagnostics[i] = { ...d, data: { ...((d.data as object) ?? {}), verified: true, checked: text, fixes } };
  }
}

async function verify(m: CompiledMapping, t: ResolvedMapping, sample: SampleSet, evaluator: SampleEvaluator, text: string, kind: Kind, key: string, signal?: AbortSignal): Promise<VerifiedFix[]> {
  const raw = await evaluator.valuesOf(m, sample, text, key, signal);
  if (raw.error) return []; // the expression itself fails on a record: no conversion repairs that
  const out: VerifiedFix[] = [];
  for (const c of candidates(kind, text, raw.values)) {
    const got = await evaluator.valuesOf(m, sample, c.expression, key, signal);
    if (got.error) continue;
    if (raw.values.every((r, i) => yieldsIntended(t, c.intended(r), got.values[i]))) {
      out.push({ title: `${c.title} (checked on ${sample.records.length} sample record${sample.records.length === 1 ? '' : 's'})`, expression: c.expression });
      break; // the first (simplest) candidate that is right is enough
    }
  }
  return out;
}

function yieldsIntended(r: ResolvedMapping, want: unknown, got: unknown): boolean {
  if (want === NOT_CONVERTIBLE) return false;
  if (isOmitted(want)) return isOmitted(got);
  if (!sameValue(want, got)) return false;
  return !('problem' in checkAttributeValue(got, r.expected, r.expectedMultiValued));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && XSD_DATETIME.test(a) && XSD_DATETIME.test(b)) return Date.parse(a) === Date.parse(b) && zone(a) === zone(b);
  return a === b;
}

/** The zone part of an xsd:dateTime ("Z" and "+00:00" are the same zone). */
function zone(s: string): string {
  const z = /(Z|[+-]\d{2}:\d{2})$/.exec(s)?.[1] ?? '';
  return z === '+00:00' || z === '-00:00' ? 'Z' : z;
}

function kindOf(r: ResolvedMapping): Kind | undefined {
  if (r.expectedMultiValued) return undefined;
  switch (r.expected.type) {
    case 'string':
    case 'reference':
      return 'string';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'dateTime':
      return 'date';
    default:
      return undefined;
  }
}

const SIMPLE_PATH = /^(?:[\p{L}_][\p{L}\p{N}_]*|`[^`]+`)(?:\.(?:[\p{L}_][\p{L}\p{N}_]*|`[^`]+`))*$/u;

/** `X` as an operand: a simple path as is, anything else in parentheses. */
function operand(text: string): string {
  const x = text.trim();
  return SIMPLE_PATH.test(x) ? x : `(${x})`;
}

function candidates(kind: Kind, text: string, raws: unknown[]): Candidate[] {
  const x = operand(text);
  // As a function argument the text needs no parentheses unless it is a sequence of `;` expressions (then the
  // bare form does not parse and the parenthesised one is tried).
  const args = [text.trim(), `(${text.trim()})`];
  switch (kind) {
    case 'string':
      return args.map((a) => ({ title: 'Convert with $string()', expression: `$string(${a})`, intended: asString }));
    case 'number':
      return [
        ...args.map((a) => ({ title: 'Convert with $number()', expression: `$number(${a})`, intended: asNumber })),
        // Empty cells: omit the attribute instead of failing the record.
        { title: 'Convert with $number() (empty values omitted)', expression: `${x} ? $number(${x})`, intended: asNumber },
      ];
    case 'boolean':
      return booleanCandidates(x, raws);
    case 'date':
      return dateCandidates(text, raws);
  }
}

function asString(raw: unknown): unknown {
  if (raw === undefined || typeof raw === 'string') return raw;
  if (typeof raw === 'boolean') return String(raw);
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return NOT_CONVERTIBLE;
}

const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/; // linear: no two ways to split digits

function asNumber(raw: unknown): unknown {
  if (raw === undefined) return undefined;
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return NOT_CONVERTIBLE;
  if (raw.trim() === '') return undefined;
  return NUMBER_TEXT.test(raw.trim()) ? Number(raw) : NOT_CONVERTIBLE;
}

function wordOf(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw.trim().toLowerCase();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return undefined;
}

/**
 * Maps the yes/no words that occur in the sample, case-insensitively; any other value gets no value (the record
 * then fails the required-attribute checks instead of silently becoming false). Never `$boolean()`:
 * `$boolean("False")` is true.
 */
function booleanCandidates(x: string, raws: unknown[]): Candidate[] {
  const seen = new Map<string, string>(); // word → first spelling in the sample
  for (const r of raws) {
    if (r === undefined || r === null || r === '') continue;
    const w = wordOf(r);
    if (w === undefined) return [];
    if (!(TRUE_WORDS as readonly string[]).includes(w) && !(FALSE_WORDS as readonly string[]).includes(w)) return []; // e.g. "Active": a comparison is needed, not a mapping
    if (!seen.has(w)) seen.set(w, typeof r === 'string' ? JSON.stringify(r) : String(r));
  }
  if (!seen.size) return [];
  const words = [...seen.keys()];
  const yes = words.filter((w) => (TRUE_WORDS as readonly string[]).includes(w));
  const no = words.filter((w) => (FALSE_WORDS as readonly string[]).includes(w));
  const list = (ws: string[]) => `[${ws.map((w) => JSON.stringify(w)).join(', ')}]`;
  const branches = [yes.length ? `$v in ${list(yes)} ? true` : '', no.length ? `$v in ${list(no)} ? false` : ''].filter(Boolean).join(' : ');
  const expression = `($v := $lowercase($trim($string(${x}))); ${branches})`;
  const shown = words.slice(0, TITLE_VALUES).map((w) => `${seen.get(w)} → ${(TRUE_WORDS as readonly string[]).includes(w) ? 'true' : 'false'}`);
  const title = `Map the sample's values: ${shown.join(', ')}${words.length > TITLE_VALUES ? ', …' : ''}; any other value: no value`;
  const intended = (raw: unknown): unknown => {
    if (raw === undefined || raw === null || raw === '') return undefined;
    const w = wordOf(raw);
    return w !== undefined && yes.includes(w) ? true : w !== undefined && no.includes(w) ? false : undefined;
  };
  return [{ title, expression, intended }];
}

const PLAIN_DATE = /^(\d{4}-\d{2}-\d{2})$/;
const DATE_WITH_ZONE = /^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})$/;
const DOTTED_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;

/** What a date value should become: midnight, in the value's own zone (UTC when it has none). */
function intendedDate(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return NOT_CONVERTIBLE;
  if (XSD_DATETIME.test(raw)) return raw;
  let m = PLAIN_DATE.exec(raw);
  if (m) return `${m[1]}T00:00:00Z`;
  m = DATE_WITH_ZONE.exec(raw);
  if (m) return `${m[1]}T00:00:00${m[2]}`;
  m = DOTTED_DATE.exec(raw);
  if (m) return `${m[3]}-${m[2]}-${m[1]}T00:00:00Z`;
  return NOT_CONVERTIBLE;
}

/** The sample's date shapes decide the rewrite; a shape we cannot read with confidence (01/02/2020) gets none. */
function dateCandidates(text: string, raws: unknown[]): Candidate[] {
  let plain: string | undefined;
  let zoned: string | undefined;
  let dotted: string | undefined;
  for (const r of raws) {
    if (typeof r !== 'string' || r === '' || XSD_DATETIME.test(r)) continue;
    if (PLAIN_DATE.test(r)) plain ??= r;
    else if (DATE_WITH_ZONE.test(r)) zoned ??= r;
    else if (DOTTED_DATE.test(r)) dotted ??= r;
    else return [];
  }
  const t = text.trim();
  const simple = SIMPLE_PATH.test(t);
  const x = simple ? t : '$d';
  const zonedBody = `$substring(${x}, 0, 10) & "T00:00:00" & $substring(${x}, 10)`;
  let body: string;
  if (dotted) {
    if (plain || zoned) return [];
    body = `$fromMillis($toMillis(${x}, "[D01].[M01].[Y0001]"))`;
  } else if (plain && zoned) body = `$length(${x}) = 10 ? ${x} & "T00:00:00Z" : ${zonedBody}`;
  else if (zoned) body = zonedBody;
  else if (plain) body = `${x} & "T00:00:00Z"`;
  else return [];
  // Values that are already xsd:dateTime stay as they are.
  if (raws.some((r) => typeof r === 'string' && XSD_DATETIME.test(r))) body = `$contains(${x}, "T") ? ${x} : (${body})`;
  // Guarded, so that a record without a date keeps omitting the attribute instead of sending "T00:00:00Z".
  const expression = simple ? `${x} ? ${body}` : `($d := ${t}; $d ? ${body})`;
  const example = dotted ?? zoned ?? plain!;
  return [{ title: `Make it an xsd:dateTime: ${JSON.stringify(example)} → ${JSON.stringify(intendedDate(example))}`, expression, intended: intendedDate }];
}

function mappingAt(m: CompiledMapping, offset: number): AnalyzedMapping | undefined {
  return m.analysis.mappings.find((x) => {
    const v = x.entry.value;
    return v.kind === 'expression' && v.expression.start <= offset && offset <= v.expression.end;
  });
}

/** The expression's text; undefined for a string literal (its fix is exact and needs no sample: codeActions). */
function expressionText(a: AnalyzedMapping): string | undefined {
  const v = a.entry.value;
  if (v.kind !== 'expression' || !a.expression || a.expression.compiled.errors.length || (a.expression.compiled.ast as { type?: string } | undefined)?.type === 'string') return undefined;
  return v.expression.text;
}

/**
 * The `active` mapping a quick fix would add (guessed from the sample's fields, guessActive.ts), checked on
 * every sample record: it must give a boolean on every record and must not give false on all of them (that would
 * disable every account). The title says how many records come out true and false.
 */
export async function verifyActiveFix(m: CompiledMapping, sample: SampleSet, evaluator: SampleEvaluator, expression: string | undefined, opts: EvaluateOptions = {}): Promise<VerifiedFix[]> {
  if (!sample.records.length || expression === undefined) return [];
  opts.onTarget?.('active');
  const got = await evaluator.valuesOf(m, sample, expression, 'active', opts.signal);
  if (got.error) return [];
  let yes = 0;
  for (const v of got.values) {
    if (typeof v !== 'boolean') return [];
    if (v) yes++;
  }
  if (yes === 0) return [];
  const n = sample.records.length;
  return [{ title: `Add 'active: ${expression}' (true on ${yes}, false on ${n - yes} of ${n} sample records)`, expression }];
}

/**
 * The externalId or userName mapping a quick fix would add (guess.ts), checked on every sample record. It is
 * offered only when it gives a usable value on at least one record — a text (a number becomes `$string(…)`), for
 * Entra's userName one that is a sign-in name, for externalId one no other record has — so that a field that is
 * empty everywhere is never proposed. The title says on how many records it gives one; the others would fail
 * their record check (missing-external-id, missing-user-name …) and are reported there once it is added.
 */
export async function verifyIdentityFix(m: CompiledMapping, sample: SampleSet, evaluator: SampleEvaluator, attribute: 'externalId' | 'userName', path: string | undefined, opts: EvaluateOptions = {}): Promise<VerifiedFix[]> {
  if (!sample.records.length || path === undefined) return [];
  const n = sample.records.length;
  opts.onTarget?.(attribute);
  const raw = await evaluator.valuesOf(m, sample, path, attribute, opts.signal);
  if (raw.error) return [];
  // Numbers (JSON ids) are not SCIM strings: convert them explicitly, never by accident.
  const numeric = raw.values.some((v) => typeof v === 'number');
  const expression = numeric ? `$string(${path})` : path;
  const got = numeric ? await evaluator.valuesOf(m, sample, expression, attribute, opts.signal) : raw;
  if (got.error) return [];
  const seen = new Map<string, number>();
  for (const v of got.values) if (typeof v === 'string' && v !== '') seen.set(v, (seen.get(v) ?? 0) + 1);
  let usable = 0;
  for (const v of got.values) {
    if (typeof v !== 'string' || v === '') continue;
    if (attribute === 'externalId' && seen.get(v)! > 1) continue;
    if (attribute === 'userName' && m.target === 'entra' && checkSignInName(v)) continue;
    usable++;
  }
  if (!usable) return [];
  const what = attribute === 'externalId' ? 'a unique value' : m.target === 'entra' ? 'a sign-in name' : 'a value';
  return [{ title: `Add '${attribute}: ${expression}' (${what} on ${usable} of ${n} sample record${n === 1 ? '' : 's'})`, expression }];
}
