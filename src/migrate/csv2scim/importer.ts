/**
 * CSV2SCIM AttributeMapping.psd1 → *.scimmap.yaml. CSV2SCIM's rules, which the output keeps:
 * - a string value names a CSV column (PowerShell property access: case is ignored; a missing column is $null);
 * - a script block is evaluated with the row as `$_` (translated by scriptblock.ts);
 * - a hashtable is a complex attribute; an array of hashtables is a multi-valued attribute, one element each;
 * - a `urn:` key is a schema: the enterprise extension, or a custom one (declared under `extensions`).
 * What cannot be translated is kept in the output as a TODO comment and reported — never dropped silently.
 * The YAML is built with the yaml library's Document API, so no name or text from the .psd1 can inject keys.
 */
import { Document, Pair, Scalar, YAMLMap } from 'yaml';
import { ENTERPRISE_USER_URN } from '../../engine/types';
import { lineLocator, parsePsd1, Psd1Error, PsEntry, PsValue } from './psd1';
import { fieldRef, str, translateScriptblock, Translated, Untranslatable } from './scriptblock';

export interface ImportDiagnostic {
  severity: 'error' | 'warning' | 'information';
  code: 'psd1-syntax' | 'not-translated' | 'column-not-found' | 'column-case' | 'plain-constant' | 'not-a-mapping';
  message: string;
  /** 1-based, in the .psd1 file. */
  line: number;
  column: number;
}

export interface ImportOptions {
  /** The .psd1 file's name, for the header comment and messages. */
  psd1Name: string;
  /** The CSV header, when a CSV was given: columns resolve against it ignoring case. */
  columns?: string[];
  /** `source.sample`, relative to the output file. */
  sample?: string;
}

export interface ImportResult {
  /** The mapping file text, or undefined when the .psd1 could not be read at all. */
  text?: string;
  diagnostics: ImportDiagnostic[];
  /** Mapping entries written. */
  mapped: number;
  /** Entries kept as TODO comments. */
  todo: number;
}

interface Out {
  key: string;
  value: string | boolean | number;
  comment?: string;
}

interface Todo {
  /** Where the comment goes: before the entry `before`, or at the end. */
  lines: string[];
}

export function importCsv2Scim(psd1Text: string, options: ImportOptions): ImportResult {
  const text = psd1Text.replace(/^\uFEFF/, '');
  const diagnostics: ImportDiagnostic[] = [];
  const at = lineLocator(text);
  const report = (severity: ImportDiagnostic['severity'], code: ImportDiagnostic['code'], message: string, offset: number) => {
    diagnostics.push({ severity, code, message, ...at(offset) });
  };

  let root: PsValue;
  try {
    root = parsePsd1(text);
  } catch (e) {
    if (!(e instanceof Psd1Error)) throw e;
    report('error', 'psd1-syntax', e.message, e.offset);
    return { diagnostics, mapped: 0, todo: 0 };
  }
  if (root.kind !== 'hashtable') {
    report('error', 'not-a-mapping', 'an AttributeMapping file is one hashtable @{ … }', root.span.start);
    return { diagnostics, mapped: 0, todo: 0 };
  }

  const byLower = new Map<string, string>();
  for (const c of options.columns ?? []) if (!byLower.has(c.toLowerCase())) byLower.set(c.toLowerCase(), c);
  const column = (name: string, offset: number): string => {
    if (!options.columns) return name;
    const hit = byLower.get(name.toLowerCase());
    if (hit === undefined) {
      report('warning', 'column-not-found', `the CSV has no column ${JSON.stringify(name)}: CSV2SCIM sends null here; the imported mapping names the column as written`, offset);
      return name;
    }
    if (hit !== name) report('information', 'column-case', `column ${JSON.stringify(name)} is ${JSON.stringify(hit)} in the CSV header (PowerShell ignores case, JSONata does not)`, offset);
    return hit;
  };

  const entries: Array<Out | Todo> = [];
  const extensions = new Map<string, Map<string, string>>();
  let mapped = 0;
  let todo = 0;

  const keep = (entry: PsEntry, path: string, reason: string, offset: number) => {
    todo++;
    report('warning', 'not-translated', `${path}: ${reason} — kept as a TODO comment in the output`, offset);
    const { line, column: col } = at(entry.keySpan.start);
    const source = text.slice(entry.keySpan.start, entry.value.span.end).split('\n').map((l) => l.trimEnd());
    entries.push({ lines: [`TODO(csv2scim) ${options.psd1Name}:${line}:${col} not translated (${reason}); write it in JSONata:`, ...source.map((l) => `  ${l}`)] });
  };

  /** A value that yields one attribute value: a column name or a script block. */
  const scalar = (v: PsValue): Translated => {
    if (v.kind === 'string') {
      if (v.expandable) throw new Untranslatable('a double-quoted string with $ names no column', v.span.start);
      return { expr: fieldRef(column(v.value, v.span.start), v.span.start), type: 'string' };
    }
    if (v.kind === 'scriptblock') return translateScriptblock(v.text, v.bodyStart, column);
    if (v.kind === 'number' || v.kind === 'bool' || v.kind === 'null') {
      report('warning', 'plain-constant', `a plain ${v.kind === 'null' ? '$null' : String((v as { value: unknown }).value)} is read by CSV2SCIM as a column name, not as a constant; write { ${v.kind === 'bool' ? (v.value ? '$true' : '$false') : v.kind === 'null' ? '$null' : v.value} } for a constant`, v.span.start);
      throw new Untranslatable('a plain constant names a column in CSV2SCIM', v.span.start);
    }
    throw new Untranslatable(`a ${v.kind} is not one value`, v.span.start);
  };

  const emit = (path: string, t: Translated, entry: PsEntry) => {
    // Constants go out as YAML constants, text constants as JSONata string literals.
    const expr = unwrapParens(t.expr);
    const value: string | boolean | number = expr === 'true' ? true : expr === 'false' ? false : /^-?\d+(\.\d+)?$/.test(expr) ? Number(expr) : expr;
    entries.push({ key: path, value, comment: entry.comments.length ? entry.comments.join('\n') : undefined });
    mapped++;
  };

  const walk = (entry: PsEntry, prefix: string, depth: number, urn?: string) => {
    const key = entry.key;
    const path = prefix ? `${prefix}${urn && prefix === `${urn}:` ? '' : '.'}${key}` : key;
    const v = entry.value;
    try {
      if (depth === 0 && /^urn:/i.test(key)) {
        if (v.kind !== 'hashtable') throw new Untranslatable('a schema URN key needs a hashtable of its attributes', v.span.start);
        const isEnterprise = key.toLowerCase() === ENTERPRISE_USER_URN.toLowerCase();
        const schemaUrn = isEnterprise ? ENTERPRISE_USER_URN : key;
        if (!isEnterprise && !extensions.has(schemaUrn)) extensions.set(schemaUrn, new Map());
        for (const e of v.entries) walk(e, `${schemaUrn}:`, 1, schemaUrn);
        return;
      }
      if (v.kind === 'hashtable') {
        if (urn && urn !== ENTERPRISE_USER_URN) throw new Untranslatable('a complex custom attribute needs an RFC 7643 schema file (extensions: URN: file.json)', v.span.start);
        if (depth >= (urn ? 2 : 1)) throw new Untranslatable('SCIM attributes nest one level (attribute.subAttribute)', v.span.start);
        for (const e of v.entries) walk(e, path, depth + 1, urn);
        return;
      }
      if (v.kind === 'array') {
        multiValued(entry, path, v);
        return;
      }
      const t = scalar(v);
      if (urn && urn !== ENTERPRISE_USER_URN && depth === 1) extensions.get(urn)!.set(key, t.type === 'bool' ? 'boolean' : t.type === 'number' ? 'decimal' : 'string');
      emit(path, t, entry);
    } catch (e) {
      if (!(e instanceof Untranslatable)) throw e;
      keep(entry, path, e.message, e.offset);
    }
  };

  /** `@( @{ type = { 'work' }; value = 'Col' } )` → `attr[type eq "work"].value`; otherwise one JSONata array. */
  const multiValued = (entry: PsEntry, path: string, v: Extract<PsValue, { kind: 'array' }>) => {
    const elements = v.items;
    if (!elements.length || elements.some((e) => e.kind !== 'hashtable')) {
      throw new Untranslatable('a list of plain values for a multi-valued attribute is not translated (elements need sub-attributes)', v.span.start);
    }
    const tables = elements as Array<Extract<PsValue, { kind: 'hashtable' }>>;
    const types = tables.map((t) => {
      const typeEntry = t.entries.find((e) => e.key.toLowerCase() === 'type');
      if (!typeEntry) return undefined;
      const tt = scalar(typeEntry.value);
      return /^"(?:[^"\\]|\\.)*"$/.test(tt.expr) ? (JSON.parse(tt.expr) as string) : undefined;
    });
    const distinct = new Set(types);
    if (types.every((t) => t !== undefined) && distinct.size === types.length) {
      tables.forEach((t, i) => {
        for (const e of t.entries) {
          if (e.key.toLowerCase() === 'type') continue;
          const sub = `${path}[type eq ${str(types[i]!)}].${e.key}`;
          try {
            if (e.value.kind === 'hashtable' || e.value.kind === 'array') throw new Untranslatable('sub-attributes hold one value', e.value.span.start);
            emit(sub, scalar(e.value), e);
          } catch (err) {
            if (!(err instanceof Untranslatable)) throw err;
            keep(e, sub, err.message, err.offset);
          }
        }
      });
      return;
    }
    // Elements without a constant, distinct type: the whole attribute as a JSONata array of objects.
    const objects = tables.map((t) => {
      const fields = t.entries.map((e) => {
        if (e.value.kind === 'hashtable' || e.value.kind === 'array') throw new Untranslatable('sub-attributes hold one value', e.value.span.start);
        return `${str(e.key)}: ${scalar(e.value).expr}`;
      });
      return `{${fields.join(', ')}}`;
    });
    emit(path, { expr: `[${objects.join(', ')}]`, type: 'unknown' }, entry);
  };

  for (const entry of root.entries) walk(entry, '', 0);

  const identity = root.entries.find((e) => e.key.toLowerCase() === 'externalid');
  const key = identity?.value.kind === 'string' && !identity.value.expandable ? column(identity.value.value, identity.value.span.start) : undefined;
  return { text: render(options, entries, extensions, key), diagnostics: dedupe(diagnostics), mapped, todo };
}

function render(options: ImportOptions, entries: Array<Out | Todo>, extensions: Map<string, Map<string, string>>, key: string | undefined): string {
  const doc = new Document({});
  const top = doc.contents as YAMLMap;
  doc.commentBefore = ` Imported from ${options.psd1Name} (CSV2SCIM AttributeMapping) by \`scimmap import csv2scim\`.\n Review each line: docs/migrating-from-csv2scim.md lists where SCIM Mapper is stricter than CSV2SCIM.`;
  top.add(doc.createPair('scimmap', 1));
  top.add(doc.createPair('name', `Imported from ${options.psd1Name}`));
  const source: Record<string, string> = {};
  if (options.sample) source.sample = options.sample;
  if (key) source.key = key;
  if (Object.keys(source).length) top.add(doc.createPair('source', source));
  top.add(doc.createPair('target', 'entra'));
  if (extensions.size) {
    const ext = new YAMLMap();
    for (const [urn, attrs] of extensions) ext.add(doc.createPair(urn, Object.fromEntries(attrs)));
    top.add(new Pair(doc.createNode('extensions'), ext));
  }
  const mappings = new YAMLMap();
  // YAMLMap.add looks for the key among all pairs first (quadratic on a .psd1 with 20,000 entries): keep the keys
  // in a set and append, refusing a repeated key as add() does.
  const keys = new Set<string>();
  let pendingComment: string[] = [];
  for (const e of entries) {
    if ('lines' in e) { pendingComment.push(...e.lines); continue; }
    const pair = doc.createPair(e.key, e.value) as Pair<Scalar, Scalar>;
    const comment = [...(e.comment ? e.comment.split('\n') : []), ...pendingComment];
    if (comment.length) (pair.key as Scalar).commentBefore = comment.map((l) => ` ${l}`).join('\n');
    pendingComment = [];
    if (keys.has(e.key)) throw new Error(`Key ${e.key} already set`);
    keys.add(e.key);
    mappings.items.push(pair);
  }
  if (pendingComment.length) mappings.comment = pendingComment.map((l) => ` ${l}`).join('\n');
  top.add(new Pair(doc.createNode('mappings'), mappings));
  return doc.toString({ lineWidth: 0 });
}

/** `(a = b)` → `a = b` when the outer parentheses enclose the whole expression (strings skipped). */
export function unwrapParens(e: string): string {
  if (!e.startsWith('(') || !e.endsWith(')')) return e;
  let depth = 0;
  for (let i = 0; i < e.length; i++) {
    const c = e[i];
    if (c === '"' || c === '`' || c === '/') {
      // skip a string, a backtick name or a regex literal (escapes inside strings and regexes)
      const close = c;
      for (i++; i < e.length && e[i] !== close; i++) if (e[i] === '\\') i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i < e.length - 1) return e;
  }
  return e.slice(1, -1);
}

function dedupe(ds: ImportDiagnostic[]): ImportDiagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

