/**
 * Reads a mapping document (YAML text) into the located model. Never throws: YAML and structure problems
 * become diagnostics and whatever is readable is kept, so that a half-typed file still gets every other check.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, YAMLMap, Pair, Node as YamlNode } from 'yaml';
import type { EngineDiagnostic } from '../types';
import { didYouMean } from '../scim/suggest';
import { encodingName } from '../readers/decode';
import {
  BulkSection, SyncSection, ChecksSection, ClearEntry, DUPLICATE_POLICIES, DuplicatePolicy, ExpressionSource, INVALID_POLICIES, InvalidPolicy, OnInvalidSection, ExtensionDecl, LetBinding, Located, MappingDocument, MappingEntry,
  SOURCE_FORMATS, SourceFormat, SourceSection, Span, TARGETS,
} from './model';
import { OffsetMap, scalarOffsetMap, ScalarStyle } from './scalarMap';
import { readSourceFrom } from './sourceFrom';
import { isDnsName } from '../checks/signInName';
import { unquotedExpressions } from './unquoted';

export const TOP_LEVEL_KEYS = ['scimmap', 'name', 'source', 'target', 'app', 'server', 'domains', 'extensions', 'let', 'mappings', 'onInvalid', 'clear', 'checks', 'bulk', 'sync'] as const;
/** Offered as did-you-mean candidates for a misspelt source.encoding (any WHATWG label is accepted). */
const COMMON_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'iso-8859-15', 'windows-1250', 'macintosh'];

export const SOURCE_KEYS = ['sample', 'key', 'format', 'delimiter', 'encoding', 'from', 'duplicates'] as const;
export const ON_INVALID_KEYS = ['default', 'fail-record', 'drop-attribute'] as const;
export const CHECKS_KEYS = ['inactiveThreshold'] as const;
export const BULK_KEYS = ['size', 'failOnErrors'] as const;
export const SYNC_KEYS = ['missing'] as const;
export const SYNC_MISSING = ['disable', 'ignore'] as const;
export const REQUIRED_TOP_LEVEL = ['scimmap', 'target', 'mappings'] as const;
export const FORMAT_VERSION = 1;

const LET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class Reader {
  readonly diagnostics: EngineDiagnostic[] = [];
  constructor(readonly text: string) {}

  structure(span: Span, message: string, data?: unknown): void {
    this.diagnostics.push({ code: 'mapping-structure', severity: 'error', message, start: span.start, end: span.end, data });
  }

  span(node: YamlNode | null | undefined, fallback: Span): Span {
    const r = node?.range;
    if (!r) return fallback;
    // Trim trailing whitespace/newlines some node ranges include.
    let end = r[1];
    while (end > r[0] && /\s/.test(this.text[end - 1])) end--;
    return { start: r[0], end: Math.max(end, r[0]) };
  }

  /** A plain string-valued scalar (strings only; numbers and booleans are reported). */
  string(node: unknown, what: string, at: Span): Located<string> | undefined {
    if (isAlias(node)) {
      this.structure(this.span(node, at), `${what}: YAML aliases are not supported in mapping files`);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value !== 'string') {
      this.structure(this.span(node as YamlNode, at), `${what} must be a string`);
      return undefined;
    }
    return { value: node.value, ...this.span(node, at) };
  }

  /** A string that must be one of `allowed`; anything else is reported with close matches and gives undefined. */
  oneOf<T extends string>(node: unknown, what: string, at: Span, allowed: readonly T[], unknown: (value: string) => string): Located<T> | undefined {
    const s = this.string(node, what, at);
    if (s && !(allowed as readonly string[]).includes(s.value)) {
      this.structure(s, unknown(s.value), { candidates: didYouMean(s.value, [...allowed]) });
      return undefined;
    }
    return s as Located<T> | undefined;
  }

  /** The value and offset map of a scalar, through its quoting style. */
  scalarMap(node: Scalar): OffsetMap {
    const value = String(node.value ?? '');
    const tok = node.srcToken as undefined | { type: string; offset: number; source: string; props?: { type: string; offset: number; source: string }[] };
    const style = (node.type ?? 'PLAIN') as ScalarStyle;
    if (tok && tok.type === 'block-scalar') {
      const props = tok.props ?? [];
      const header = props.find((p) => p.type === 'block-scalar-header')?.source ?? '|';
      const last = props[props.length - 1];
      const contentStart = last ? last.offset + last.source.length : tok.offset;
      return scalarOffsetMap(value, tok.source, contentStart, style, header);
    }
    if (tok && typeof tok.source === 'string') return scalarOffsetMap(value, tok.source, tok.offset, style);
    const start = node.range?.[0] ?? 0;
    return scalarOffsetMap(value, this.text.slice(start, node.range?.[1] ?? start), start, style);
  }

  pairs(node: unknown, what: string, at: Span): Pair<unknown, unknown>[] {
    if (node == null || (isScalar(node) && node.value == null)) return [];
    if (isAlias(node)) {
      this.structure(this.span(node, at), `${what}: YAML aliases are not supported in mapping files`);
      return [];
    }
    if (!isMap(node)) {
      this.structure(this.span(node as YamlNode, at), `${what} must be a mapping of keys to values`);
      return [];
    }
    return (node as YAMLMap).items;
  }

  key(pair: Pair<unknown, unknown>, at: Span): { name: string; span: Span; map: OffsetMap } | undefined {
    const k = pair.key;
    if (isScalar(k) && k.value != null && typeof k.value !== 'object') {
      const name = String(k.value);
      return { name, span: this.span(k, at), map: this.scalarMap(k) };
    }
    this.structure(this.span(k as YamlNode, at), 'keys must be plain strings');
    return undefined;
  }

  /** Checks keys of a section against the allowed names; returns pairs by (known) name, first wins. */
  section(pairs: Pair<unknown, unknown>[], allowed: readonly string[], where: string, at: Span): Map<string, { pair: Pair<unknown, unknown>; key: Span }> {
    const seen = new Map<string, { pair: Pair<unknown, unknown>; key: Span }>();
    for (const pair of pairs) {
      const key = this.key(pair, at);
      if (!key) continue;
      if (!allowed.includes(key.name)) {
        const candidates = didYouMean(key.name, allowed as string[]);
        const hint = candidates.length ? ` Did you mean '${candidates[0]}'?` : ` Allowed: ${allowed.join(', ')}.`;
        this.structure(key.span, `Unknown key '${key.name}' in ${where}.${hint}`, { candidates });
        continue;
      }
      if (seen.has(key.name)) {
        this.structure(key.span, `'${key.name}' appears twice in ${where}; only the first one is used`);
        continue;
      }
      seen.set(key.name, { pair, key: key.span });
    }
    return seen;
  }

  expression(node: Scalar, at: Span): ExpressionSource {
    const text = String(node.value);
    return { text, map: this.scalarMap(node), ...this.span(node, at) };
  }
}

export function parseMappingText(text: string): MappingDocument {
  const r = new Reader(text);
  const doc: MappingDocument = { text, extensions: [], lets: [], mappings: [], clear: [], diagnostics: r.diagnostics };
  const lineCounter = new LineCounter();
  let yamlDoc;
  try {
    yamlDoc = parseDocument(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false, lineCounter, strict: true });
  } catch (e) {
    r.diagnostics.push({ code: 'yaml-syntax', severity: 'error', message: `YAML could not be read: ${(e as Error).message}`, start: 0, end: Math.min(text.length, 1) });
    return doc;
  }
  for (const err of yamlDoc.errors) {
    const [s, e] = err.pos;
    r.diagnostics.push({ code: 'yaml-syntax', severity: 'error', message: yamlMessage(err.message), start: s, end: Math.max(e, s) });
  }
  for (const w of yamlDoc.warnings) {
    const [s, e] = w.pos;
    r.diagnostics.push({ code: 'yaml-syntax', severity: 'warning', message: yamlMessage(w.message), start: s, end: Math.max(e, s) });
  }
  const whole: Span = { start: 0, end: Math.min(text.length, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length) };
  const root = yamlDoc.contents;
  if (root == null || (isScalar(root) && root.value == null)) {
    r.structure(whole, 'The mapping file is empty: it needs at least `scimmap: 1`, `target:` and `mappings:`');
    return doc;
  }
  if (!isMap(root)) {
    if (!yamlDoc.errors.length) r.structure(r.span(root, whole), 'A mapping file is a YAML mapping with the keys scimmap, name, source, target, extensions, let and mappings');
    return doc;
  }
  const top = r.section(root.items, TOP_LEVEL_KEYS, 'the mapping file', whole);

  for (const req of REQUIRED_TOP_LEVEL) {
    if (!top.has(req)) {
      const hint = req === 'scimmap' ? 'add `scimmap: 1` as the first line' : req === 'target' ? 'add `target: entra` (or `scim`)' : 'add a `mappings:` section';
      r.structure(whole, `Missing required key '${req}': ${hint}`, { missing: req });
    }
  }

  const version = top.get('scimmap');
  if (version) {
    const v = version.pair.value;
    const span = r.span(v as YamlNode, version.key);
    doc.version = { value: isScalar(v) ? v.value : undefined, ...span };
    if (!isScalar(v) || v.value !== FORMAT_VERSION) {
      r.structure(span, `Unsupported mapping format version: expected \`scimmap: ${FORMAT_VERSION}\``);
    }
  }
  // Each optional section is read only when present, so an absent key leaves its field unset; the order of the
  // calls is the order of the diagnostics.
  const read = <T>(key: (typeof TOP_LEVEL_KEYS)[number], reader: (r: Reader, node: unknown, at: Span) => T, assign: (value: T, key: Span) => void): void => {
    const entry = top.get(key);
    if (entry) assign(reader(r, entry.pair.value, entry.key), entry.key);
  };
  const stringAt = (what: string) => (rd: Reader, node: unknown, at: Span) => rd.string(node, what, at);
  read('name', stringAt("'name'"), (v) => (doc.name = v));
  read('app', stringAt("'app'"), (v) => (doc.app = v));
  read('server', stringAt("'server'"), (v) => (doc.server = v));
  read('target', readTarget, (v) => {
    if (v) doc.target = v;
  });
  read('source', readSource, (v) => (doc.source = v));
  read('bulk', readBulk, (v) => (doc.bulk = v));
  read('sync', readSync, (v) => (doc.sync = v));
  read('domains', readDomains, (v, key) => Object.assign(doc, { domainsKey: key, domains: v } satisfies Partial<MappingDocument>));
  read('onInvalid', readOnInvalid, (v) => (doc.onInvalid = v));
  read('clear', readClear, (v) => (doc.clear = v));
  read('checks', readChecks, (v) => (doc.checks = v));
  read('extensions', readExtensions, (v) => (doc.extensions = v));
  read('let', readLets, (v) => (doc.lets = v));
  read('mappings', readMappings, (v, key) => Object.assign(doc, { mappingsKey: key, mappings: v } satisfies Partial<MappingDocument>));
  const lets = top.get('let');
  const mappings = top.get('mappings');
  // Unquoted expressions that YAML misread: one clear diagnostic each, and no entry built from the misreading.
  const pairsOf = (n: unknown): Pair<unknown, unknown>[] => (isMap(n) ? (n as YAMLMap).items : []);
  const misread = unquotedExpressions(text, [...pairsOf(lets?.pair.value), ...pairsOf(mappings?.pair.value)], r.diagnostics);
  if (misread.size) {
    doc.mappings = doc.mappings.filter((m) => !misread.has(m.key.start));
    doc.lets = doc.lets.filter((l) => !misread.has(l.name.start));
  }
  return doc;
}

function readTarget(r: Reader, node: unknown, at: Span): Located<string> | undefined {
  const t = r.string(node, "'target'", at);
  if (t && !(TARGETS as readonly string[]).includes(t.value)) {
    const candidates = didYouMean(t.value, TARGETS as unknown as string[]);
    r.structure(t, `Unknown target '${t.value}': use 'entra' (Microsoft Entra API-driven inbound provisioning) or 'scim' (any SCIM 2.0 service provider)`, { candidates });
  }
  return t;
}

function yamlMessage(m: string): string {
  // The yaml package appends "at line X, column Y" only with prettyErrors; keep its first sentence.
  return `YAML: ${m.split('\n')[0]}`;
}

function readSource(r: Reader, node: unknown, at: Span): SourceSection {
  const section: SourceSection = { ...r.span(node as YamlNode, at) };
  const keys = r.section(r.pairs(node, "'source'", at), SOURCE_KEYS, "'source'", at);
  const sample = keys.get('sample');
  if (sample) section.sample = r.string(sample.pair.value, "'source.sample'", sample.key);
  const key = keys.get('key');
  if (key) section.key = r.string(key.pair.value, "'source.key'", key.key);
  const format = keys.get('format');
  if (format) {
    const f = r.oneOf<SourceFormat>(format.pair.value, "'source.format'", format.key, SOURCE_FORMATS, (v) => `Unknown source format '${v}': use csv, json or jsonl`);
    if (f) section.format = f;
  }
  const delimiter = keys.get('delimiter');
  if (delimiter) {
    const d = r.string(delimiter.pair.value, "'source.delimiter'", delimiter.key);
    if (d && d.value.length !== 1) r.structure(d, 'source.delimiter must be a single character, e.g. ";" or "\\t"');
    else if (d) section.delimiter = d;
  }
  const encoding = keys.get('encoding');
  if (encoding) {
    const e = r.string(encoding.pair.value, "'source.encoding'", encoding.key);
    // Checked against this runtime's decoder, so that the name accepted here is the one the reader uses.
    if (e && encodingName(e.value) === undefined) {
      r.structure(e, `Unknown source encoding '${e.value}': use a name such as utf-8, utf-16le, windows-1252 or iso-8859-1`, { candidates: didYouMean(e.value, COMMON_ENCODINGS) });
    } else if (e) section.encoding = e;
  }
  const from = keys.get('from');
  if (from) section.from = readSourceFrom(r, from.pair.value, from.key);
  const duplicates = keys.get('duplicates');
  if (duplicates) {
    const d = r.oneOf<DuplicatePolicy>(duplicates.pair.value, "'source.duplicates'", duplicates.key, DUPLICATE_POLICIES, (v) => `Unknown source.duplicates '${v}': use error (later records with a known externalId fail), first or last (one record per externalId is sent)`);
    if (d) section.duplicates = d;
  }
  return section;
}

function readDomains(r: Reader, node: unknown, at: Span): Located<string>[] {
  const out: Located<string>[] = [];
  if (!isSeq(node)) {
    r.structure(r.span(node as YamlNode, at), "'domains' must be a list of the tenant's verified domains, e.g. [contoso.com, contoso.onmicrosoft.com]");
    return out;
  }
  for (const item of node.items) {
    const d = r.string(item, 'a domain', at);
    if (!d) continue;
    if (!isDnsName(d.value)) r.structure(d, `'${d.value}' is not a domain name such as contoso.com`);
    else out.push(d);
  }
  return out;
}

function readOnInvalid(r: Reader, node: unknown, at: Span): OnInvalidSection {
  const section: OnInvalidSection = { ...r.span(node as YamlNode, at), exceptions: [] };
  const policy = (n: unknown, what: string, span: Span): Located<InvalidPolicy> | undefined =>
    r.oneOf<InvalidPolicy>(n, what, span, INVALID_POLICIES, (v) => `Unknown ${what} '${v}': use fail-record or drop-attribute`);
  if (isScalar(node)) {
    section.default = policy(node, "'onInvalid'", at);
    return section;
  }
  const keys = r.section(r.pairs(node, "'onInvalid'", at), ON_INVALID_KEYS, "'onInvalid'", at);
  const def = keys.get('default');
  if (def) section.default = policy(def.pair.value, "'onInvalid.default'", def.key);
  for (const name of ['fail-record', 'drop-attribute'] as const) {
    const list = keys.get(name);
    if (!list) continue;
    const v = list.pair.value;
    if (!isSeq(v)) {
      r.structure(r.span(v as YamlNode, list.key), `'onInvalid.${name}' must be a list of mapping keys`);
      continue;
    }
    for (const item of v.items) {
      const k = r.string(item, `an 'onInvalid.${name}' entry`, list.key);
      if (k) section.exceptions.push({ key: k, policy: name });
    }
  }
  return section;
}

function readClear(r: Reader, node: unknown, at: Span): ClearEntry[] {
  const out: ClearEntry[] = [];
  for (const pair of r.pairs(node, "'clear'", at)) {
    const key = r.key(pair, at);
    if (!key) continue;
    const v = pair.value;
    const span = r.span(v as YamlNode, key.span);
    const value = v == null || (isScalar(v) && v.value === null) ? null : isScalar(v) && v.value === '' ? '' : undefined;
    if (value === undefined) {
      r.structure(span.start === span.end ? key.span : span, `clear: '${key.name}' takes null or "" (what is sent when the HR value is empty)`);
      continue;
    }
    out.push({ key: { value: key.name, ...key.span }, value: { value, ...(span.start === span.end ? key.span : span) } });
  }
  return out;
}

function readChecks(r: Reader, node: unknown, at: Span): ChecksSection {
  const section: ChecksSection = { ...r.span(node as YamlNode, at) };
  const keys = r.section(r.pairs(node, "'checks'", at), CHECKS_KEYS, "'checks'", at);
  const t = keys.get('inactiveThreshold');
  if (t) {
    const v = t.pair.value;
    const span = r.span(v as YamlNode, t.key);
    const raw = isScalar(v) ? v.value : undefined;
    const pct = typeof raw === 'string' ? /^(\d{1,3}(?:\.\d{1,4})?)\s?%$/.exec(raw) : null;
    const share = typeof raw === 'number' ? raw : pct ? Number(pct[1]) / 100 : NaN;
    if (share >= 0 && share <= 1) section.inactiveThreshold = { value: share, ...span };
    else r.structure(span, 'checks.inactiveThreshold is a share of the records: a number from 0 to 1 or a percentage such as "50%"');
  }
  return section;
}

function readBulk(r: Reader, node: unknown, at: Span): BulkSection {
  const section: BulkSection = { ...r.span(node as YamlNode, at) };
  const keys = r.section(r.pairs(node, "'bulk'", at), BULK_KEYS, "'bulk'", at);
  const size = keys.get('size');
  if (size) {
    const v = size.pair.value;
    const span = r.span(v as YamlNode, size.key);
    if (isScalar(v) && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 1) section.size = { value: v.value, ...span };
    else r.structure(span, 'bulk.size must be a whole number of operations per request, at least 1');
  }
  const foe = keys.get('failOnErrors');
  if (foe) {
    const v = foe.pair.value;
    const span = r.span(v as YamlNode, foe.key);
    if (isScalar(v) && (v.value === null || (typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 1))) section.failOnErrors = { value: v.value as number | null, ...span };
    else r.structure(span, 'bulk.failOnErrors must be null or a whole number of at least 1');
  }
  return section;
}

function readSync(r: Reader, node: unknown, at: Span): SyncSection {
  const section: SyncSection = { ...r.span(node as YamlNode, at) };
  const keys = r.section(r.pairs(node, "'sync'", at), SYNC_KEYS, "'sync'", at);
  const missing = keys.get('missing');
  if (missing) {
    const m = r.oneOf(missing.pair.value, "'sync.missing'", missing.key, SYNC_MISSING, (v) => `sync.missing must be disable (default: records absent from the export are disabled) or ignore, not '${v}'`);
    if (m) section.missing = m;
  }
  return section;
}

const INLINE_TYPES = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary'];

function readExtensions(r: Reader, node: unknown, at: Span): ExtensionDecl[] {
  const out: ExtensionDecl[] = [];
  for (const pair of r.pairs(node, "'extensions'", at)) {
    const key = r.key(pair, at);
    if (!key) continue;
    const urn: Located<string> = { value: key.name, ...key.span };
    if (!/^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$/i.test(key.name)) {
      r.structure(key.span, `Extension '${key.name}' is not a schema URN, e.g. urn:ietf:params:scim:schemas:extension:contoso:1.0:User`);
      continue;
    }
    if (out.some((e) => e.urn.value.toLowerCase() === key.name.toLowerCase())) {
      r.structure(key.span, `Extension '${key.name}' is declared twice`);
      continue;
    }
    const v = pair.value;
    if (isScalar(v) && typeof v.value === 'string') {
      out.push({ urn, kind: 'file', attributes: [], file: { value: v.value, ...r.span(v, key.span) } });
      continue;
    }
    const decl: ExtensionDecl = { urn, kind: 'inline', attributes: [] };
    for (const attr of r.pairs(v, `extension '${key.name}'`, key.span)) {
      const ak = r.key(attr, key.span);
      if (!ak) continue;
      const type = r.string(attr.value, `the type of '${ak.name}'`, ak.span);
      if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(ak.name)) {
        r.structure(ak.span, `'${ak.name}' is not a valid SCIM attribute name (letters, digits, '-' and '_', starting with a letter)`);
        continue;
      }
      if (decl.attributes.some((a) => a.name.value.toLowerCase() === ak.name.toLowerCase())) {
        r.structure(ak.span, `Attribute '${ak.name}' is declared twice in '${key.name}'`);
        continue;
      }
      if (!type) continue;
      if (!INLINE_TYPES.includes(type.value)) {
        const candidates = didYouMean(type.value, INLINE_TYPES);
        const hint = candidates.length ? ` Did you mean '${candidates[0]}'?` : '';
        r.structure(type, `Unknown SCIM type '${type.value}': use one of ${INLINE_TYPES.join(', ')} (complex attributes need a schema file).${hint}`, { candidates });
        continue;
      }
      decl.attributes.push({ name: { value: ak.name, ...ak.span }, type });
    }
    out.push(decl);
  }
  return out;
}

function readLets(r: Reader, node: unknown, at: Span): LetBinding[] {
  const out: LetBinding[] = [];
  for (const pair of r.pairs(node, "'let'", at)) {
    const key = r.key(pair, at);
    if (!key) continue;
    if (!LET_NAME.test(key.name)) {
      r.structure(key.span, `'${key.name}' is not a valid binding name: use letters, digits and '_' (it becomes $${key.name})`);
      continue;
    }
    if (out.some((l) => l.name.value === key.name)) {
      r.structure(key.span, `Binding '${key.name}' is defined twice`);
      continue;
    }
    const v = pair.value;
    if (isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean')) {
      const expression = typeof v.value === 'string' ? r.expression(v, key.span) : { text: String(v.value), map: r.scalarMap(v), ...r.span(v, key.span) };
      out.push({ name: { value: key.name, ...key.span }, expression });
    } else {
      r.structure(r.span(v as YamlNode, key.span), `Binding '${key.name}' needs a JSONata expression (a string constant is written '"text"')`);
    }
  }
  return out;
}

function readMappings(r: Reader, node: unknown, at: Span): MappingEntry[] {
  const out: MappingEntry[] = [];
  for (const pair of r.pairs(node, "'mappings'", at)) {
    const key = r.key(pair, at);
    if (!key) continue;
    const entryKey: Located<string> = { value: key.name, ...key.span };
    const v = pair.value;
    if (v == null || (isScalar(v) && v.value == null)) {
      const span = v ? r.span(v as YamlNode, key.span) : { start: key.span.end, end: key.span.end };
      r.structure({ start: key.span.start, end: key.span.end }, `'${key.name}' has no value: write a JSONata expression, or remove the line`);
      out.push({ key: entryKey, keyMap: key.map, value: { kind: 'empty', span } });
      continue;
    }
    if (isScalar(v) && typeof v.value === 'string') {
      out.push({ key: entryKey, keyMap: key.map, value: { kind: 'expression', expression: r.expression(v, key.span) } });
    } else if (isScalar(v) && (typeof v.value === 'boolean' || typeof v.value === 'number')) {
      out.push({ key: entryKey, keyMap: key.map, value: { kind: 'constant', value: v.value, span: r.span(v, key.span) } });
    } else if (isAlias(v)) {
      r.structure(r.span(v, key.span), 'YAML aliases are not supported in mapping files');
    } else {
      const kind = isSeq(v) ? 'a list' : isMap(v) ? 'a nested mapping' : 'this value';
      r.structure(r.span(v as YamlNode, key.span), `'${key.name}' maps to ${kind}: a mapping value is one JSONata expression (e.g. '[{"value": Email}]' for a list)`);
    }
  }
  return out;
}
