/**
 * Completion: SCIM attribute paths for mapping keys, the file's own keys and enumerated values, and JSONata
 * (sample fields, built-in functions, `let` bindings) in expression values. Works from the raw lines, so a
 * half-typed document completes as well as a valid one.
 */
import { filterStartsWith, functionParamLists, splitElementTail } from './completionScan';
import * as fs from 'node:fs';
import {
  CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, MarkupKind, Position, Range, TextEdit,
} from 'vscode-languageserver-types';
import { BUILTINS, signatureLabel } from '../../engine/jsonata/catalog';
import { BULK_KEYS, SOURCE_KEYS, SYNC_KEYS, TOP_LEVEL_KEYS } from '../../engine/mapping/parse';
import { AUTH_KEYS, PAGING_KEYS, SOURCE_FROM_KEYS } from '../../engine/mapping/sourceFrom';
import { findAttribute } from '../../engine/scim/registry';
import type { ScimAttribute, ScimSchema } from '../../engine/scim/schema';
import type { SchemaSet } from '../../engine/scim/registry';
import type { FeatureContext } from '../context';
import { attributeDetail, attributeMarkdown, fieldDetail, fieldMarkdown, functionMarkdown, functionSnippet, letCodeBlock, schemaMarkdown, truncate } from './describe';
import { scanPrefix } from './jsonataScan';
import { FieldNode, fieldTree, fieldNode, walkFields } from './locate';
import { escapeChoice, escapeSnippet, snippetToPlain } from './snippet';
import { parseKeyLine, placeAt, Place, splitLines } from './yamlContext';

const INLINE_TYPES = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary'];
const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
/** Attributes an HR mapping maps first: listed on top. */
const FIRST = new Set(['externalId', 'userName', 'active', 'displayName', 'name']);

/** What the client can take (from its capabilities). */
export interface CompletionOptions {
  /** `textDocument.completion.completionItem.snippetSupport`; without it every item is plain text. */
  snippets: boolean;
}

export function doComplete(ctx: FeatureContext, position: Position, options: CompletionOptions = { snippets: true }): CompletionList {
  const text = ctx.document.getText();
  const offset = ctx.document.offsetAt(position);
  const items: CompletionItem[] = [];
  const place = placeAt(text, offset);
  const range = (start: number) => Range.create(ctx.document.positionAt(start), ctx.document.positionAt(offset));
  if (place.kind === 'key') completeKey(ctx, place, offset, range, items);
  else if (place.kind === 'value') completeValue(ctx, place, offset, range, items);
  for (const item of items) finish(item, options);
  return { isIncomplete: false, items };
}

/** `plainText` of an item: what a client without snippet support inserts instead of the snippet. */
const PLAIN = Symbol('plainText');
type WithPlain = CompletionItem & { [PLAIN]?: string };

/**
 * Plain text for clients without snippets; no filterText where the label already starts with it (a client that
 * filters by the word before the cursor, like Neovim's omnifunc, then uses the textEdit's range instead).
 */
function finish(item: WithPlain, options: CompletionOptions): void {
  const plain = item[PLAIN];
  delete item[PLAIN];
  if (item.filterText !== undefined && item.label.startsWith(item.filterText)) delete item.filterText;
  if (item.insertTextFormat !== InsertTextFormat.Snippet || options.snippets) return;
  item.insertTextFormat = InsertTextFormat.PlainText;
  const edit = item.textEdit as TextEdit | undefined;
  if (edit) edit.newText = plain ?? snippetToPlain(edit.newText);
}

type RangeAt = (start: number) => Range;

// ---- keys ----------------------------------------------------------------------------------------------------

function completeKey(ctx: FeatureContext, place: Extract<Place, { kind: 'key' }>, offset: number, range: RangeAt, items: CompletionItem[]): void {
  const p = place.parents;
  if (p.length === 0) return topLevelKeys(ctx, place, range, items);
  if (p.length === 1 && p[0] === 'mappings') return attributePaths(ctx, place, offset, range, items);
  const fromKeys = p[0] !== 'source' || p[1] !== 'from' ? undefined : p.length === 2 ? sourceFromKeys(ctx) : p.length === 3 && p[2] === 'auth' ? AUTH_KEYS : p.length === 3 && p[2] === 'paging' ? PAGING_KEYS : undefined;
  if (fromKeys || (p.length === 1 && (p[0] === 'source' || p[0] === 'bulk' || p[0] === 'sync'))) {
    const present = siblingKeys(ctx.document.getText(), place.start, place.indent);
    for (const k of fromKeys ?? (p[0] === 'source' ? SOURCE_KEYS : p[0] === 'bulk' ? BULK_KEYS : SYNC_KEYS)) {
      if (present.has(k)) continue;
      items.push({ label: k, kind: CompletionItemKind.Property, textEdit: TextEdit.replace(range(place.start), place.hasColon ? k : `${k}: `) });
    }
  }
}

/** The keys of the source's type once `type:` is written, else every key a source may have. */
function sourceFromKeys(ctx: FeatureContext): readonly string[] {
  const t = /\n {4}type: *([a-z]+)/.exec(ctx.document.getText())?.[1];
  return (t && SOURCE_FROM_KEYS[t]) || [...new Set(Object.values(SOURCE_FROM_KEYS).flat())];
}

const TOP_SNIPPETS: Record<string, string> = {
  scimmap: 'scimmap: 1',
  name: 'name: ${1:Mapping name}',
  source: 'source:\n  sample: ${1:people.csv}\n  key: ${2:EmployeeId}',
  target: 'target: ${1|entra,scim|}',
  extensions: 'extensions:\n  urn:ietf:params:scim:schemas:extension:${1:company}:1.0:User:\n    ${2:HireDate}: ${3|dateTime,string,boolean,integer,decimal,reference,binary|}',
  let: "let:\n  ${1:domain}: '\"${2:contoso.com}\"'",
  mappings: 'mappings:\n  externalId: ${1:EmployeeId}',
  bulk: 'bulk:\n  size: ${1:50}',
  domains: 'domains:\n  - ${1:contoso.com}',
  onInvalid: 'onInvalid: ${1|fail-record,drop-attribute|}',
  clear: 'clear:\n  ${1:title}: ${2|null,""|}',
  checks: 'checks:\n  inactiveThreshold: ${1:50%}',
  sync: 'sync:\n  missing: ${1|disable,ignore|}',
  server: 'server: ${1:server-schema.json}',
};

const TOP_DOCS: Record<string, string> = {
  scimmap: 'Format version of this mapping file (always 1).',
  name: 'A name for the mapping, shown in previews and logs.',
  source: 'The HR sample file used for checks, previews and completion, and the field that identifies a record.',
  target: '`entra` (Microsoft Entra API-driven inbound provisioning) or `scim` (any SCIM 2.0 service).',
  extensions: 'Custom schema extensions: a URN with `name: type` pairs, or a path to a schema JSON file.',
  let: 'Named JSONata expressions, used in mappings as `$name`.',
  mappings: 'SCIM attribute path → JSONata expression over one HR record.',
  bulk: 'Size of bulk requests and how many errors stop one.',
  domains: "The tenant's verified domains: a userName outside them is a record error (`entra`).",
  onInvalid: 'What an invalid value does: `fail-record` (default) or `drop-attribute` (leave the attribute out, warn), with per-key exceptions. Identity attributes always fail the record.',
  clear: 'Mapping keys whose empty HR value is sent as `null` or `""`, so Entra clears the attribute (default: omitted).',
  checks: 'Thresholds of the checks over all records, e.g. `inactiveThreshold: 50%`.',
  sync: '`scimmap sync`: what happens to people absent from the export (`missing: disable` (default) or `ignore`).',
  app: "The provisioning app's saved schema (`scimmap app pull`): checks which attributes Entra keeps and what they set.",
  server: "`target: scim`: the SCIM server's saved discovery (`scimmap server pull`): extensions it does not declare, attributes it lacks and types that differ become diagnostics.",
};

function topLevelKeys(ctx: FeatureContext, place: Extract<Place, { kind: 'key' }>, range: RangeAt, items: CompletionItem[]): void {
  if (place.indent !== 0) return;
  const present = siblingKeys(ctx.document.getText(), place.start, 0);
  // The saved copy of the other target's service would only be ignored (key-not-for-target).
  const otherTarget = ctx.analysis.target === 'scim' ? 'app' : 'server';
  TOP_LEVEL_KEYS.forEach((k, i) => {
    if (present.has(k) || k === otherTarget) return;
    items.push({
      label: k, kind: CompletionItemKind.Module, sortText: String(i).padStart(2, '0'),
      documentation: { kind: MarkupKind.Markdown, value: TOP_DOCS[k] ?? '' },
      insertTextFormat: place.hasColon ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
      textEdit: TextEdit.replace(range(place.start), place.hasColon ? k : TOP_SNIPPETS[k] ?? `${k}: `),
    });
  });
}

/** Keys at `indent` in the same block as the line at `lineStart` (excluding that line). */
function siblingKeys(text: string, lineStart: number, indent: number): Set<string> {
  const lines = splitLines(text);
  const at = lines.findIndex((l) => l.start <= lineStart && lineStart <= l.start + l.text.length);
  const out = new Set<string>();
  const collect = (l: (typeof lines)[number]) => {
    const kl = parseKeyLine(l.text);
    if (kl) out.add(kl.key);
  };
  for (let i = at - 1; i >= 0; i--) {
    const l = lines[i];
    if (l.blank || l.comment || l.indent > indent) continue;
    if (l.indent < indent) break;
    collect(l);
  }
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.blank || l.comment || l.indent > indent) continue;
    if (l.indent < indent) break;
    collect(l);
  }
  return out;
}

function attributePaths(ctx: FeatureContext, place: Extract<Place, { kind: 'key' }>, offset: number, range: RangeAt, items: CompletionItem[]): void {
  const set = ctx.analysis.schemas.set;
  let start = place.start;
  let p = place.prefix;
  if (p.startsWith('"') || p.startsWith("'")) {
    start++;
    p = p.slice(1);
  }
  const colon = place.hasColon ? '' : ': ';
  const mapped = new Set(ctx.analysis.mappings.filter((m) => m.entry.key.start !== start).map((m) => m.entry.key.value.toLowerCase()));
  const push = (item: CompletionItem, newText: string, snippet = false) => {
    items.push({ ...item, textEdit: TextEdit.replace(range(start), newText), insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText });
  };
  const attrItem = (a: ScimAttribute, label: string, filterText: string, owner?: string, schema?: ScimSchema): CompletionItem => ({
    label, filterText, detail: attributeDetail(a),
    kind: a.subAttributes?.length ? CompletionItemKind.Module : CompletionItemKind.Property,
    documentation: { kind: MarkupKind.Markdown, value: attributeMarkdown(a, owner, schema) },
    sortText: `${FIRST.has(a.name) && !owner ? '0' : a.required ? '1' : '2'}${label}`,
  });

  // emails[type eq "wo|  → canonical values
  let m = /^(.*?)\[\s*([A-Za-z][\w$-]*)\s+eq\s+"([^"]*)$/i.exec(p);
  if (m) {
    const sub = findAttribute(headAttribute(set, m[1])?.subAttributes, m[2]);
    const close = place.suffix.startsWith('"') ? '' : '"]';
    for (const v of sub?.canonicalValues ?? []) {
      items.push({ label: v, kind: CompletionItemKind.EnumMember, detail: `${sub!.name} canonical value`, textEdit: TextEdit.replace(range(offset - m[3].length), v + close) });
    }
    return;
  }
  // emails[ty|  → the sub-attributes an element is identified by
  m = /^(.*?)\[\s*([A-Za-z]*)$/.exec(p);
  if (m) {
    const attr = headAttribute(set, m[1]);
    for (const s of attr?.subAttributes ?? []) {
      if (s.mutability === 'readOnly') continue;
      const value = s.canonicalValues?.length ? `"\${1|${s.canonicalValues.map(escapeChoice).join(',')}|}"` : s.type === 'boolean' ? '${1|true,false|}' : '"$1"';
      items.push({
        label: `${s.name} eq`, kind: CompletionItemKind.Property, detail: attributeDetail(s), filterText: s.name, sortText: s.name === 'type' ? '0' : `1${s.name}`,
        documentation: { kind: MarkupKind.Markdown, value: attributeMarkdown(s, attr!.name) },
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: TextEdit.replace(range(offset - m[2].length), `${escapeSnippet(s.name)} eq ${value}]`),
      });
    }
    return;
  }
  // emails[type eq "work"].va|  → sub-attributes of the element
  const tail = splitElementTail(p);
  if (tail) {
    const [head, filter, word] = tail;
    const attr = headAttribute(set, head);
    for (const s of attr?.subAttributes ?? []) {
      if (s.mutability === 'readOnly' || filterStartsWith(filter, s.name)) continue;
      const full = `${head}${filter}.${s.name}`;
      if (mapped.has(full.toLowerCase())) continue;
      // The edit replaces the typed segment only: word-filtering clients match the label against it.
      items.push({ ...attrItem(s, s.name, s.name, attr!.name), insertTextFormat: InsertTextFormat.PlainText, textEdit: TextEdit.replace(range(offset - word.length), s.name + colon) });
    }
    return;
  }
  // name.gi| or urn:…:manager.va|  → sub-attributes of a singular complex attribute
  m = /^(.*[^:])\.([\w$-]*)$/.exec(p);
  const head = m ? headAttribute(set, m[1]) : undefined;
  if (m && head) {
    if (head.multiValued) return;
    for (const s of head.subAttributes ?? []) {
      if (s.mutability === 'readOnly') continue;
      const full = `${m[1]}.${s.name}`;
      if (mapped.has(full.toLowerCase())) continue;
      items.push({ ...attrItem(s, s.name, s.name, head.name), insertTextFormat: InsertTextFormat.PlainText, textEdit: TextEdit.replace(range(offset - m[2].length), s.name + colon) });
    }
    return;
  }
  // urn:…:User:att|  → attributes of that schema; a partial URN → the schemas in play
  const schema = p.includes(':') ? set.extensions.find((s) => p.toLowerCase().startsWith(`${s.id.toLowerCase()}:`)) : undefined;
  const inUrn = /^u(r(n(:.*)?)?)?$/i.test(p) && p.length > 0;
  if (schema) {
    for (const a of schema.attributes) pushAttribute(a, `${schema.id}:`, schema);
    return;
  }
  if (p.includes(':') && !inUrn) return;
  if (!p.includes(':')) {
    for (const a of [...set.common, ...set.core.attributes]) pushAttribute(a, '');
  }
  for (const s of set.extensions) {
    items.push({
      label: `${s.id}:`, kind: CompletionItemKind.Module, detail: s.name, sortText: `3${s.id}`,
      documentation: { kind: MarkupKind.Markdown, value: schemaMarkdown(s) },
      textEdit: TextEdit.replace(range(start), `${s.id}:`), command: TRIGGER_SUGGEST,
    });
    for (const a of s.attributes) pushAttribute(a, `${s.id}:`, s, !inUrn);
  }

  function pushAttribute(a: ScimAttribute, urnPrefix: string, schema?: ScimSchema, byName = false): void {
    if (a.mutability === 'readOnly') return;
    const full = `${urnPrefix}${a.name}`;
    const item = attrItem(a, full, byName ? a.name : full, undefined, schema);
    if (schema) item.sortText = `4${a.name}`;
    if (schema && byName) item.labelDetails = { description: schema.name };
    if (a.type === 'complex' && a.multiValued) {
      // An element of a multi-valued attribute is named by its type: emails[type eq "work"].value
      const type = findAttribute(a.subAttributes, 'type');
      const values = type?.canonicalValues?.length ? `\${1|${type.canonicalValues.map(escapeChoice).join(',')}|}` : '${1:work}';
      const subs = (a.subAttributes ?? []).filter((s) => s.name !== 'type' && s.mutability !== 'readOnly').map((s) => escapeChoice(s.name));
      const filter = type ? `[type eq "${values}"]` : '';
      const lit = escapeSnippet(full);
      const snippet = subs.length ? `${lit}${filter}.\${2|${subs.join(',')}|}${colon}` : `${lit}${filter}${colon}`;
      push({ ...item, label: `${full}[type eq "…"]` }, snippet, true);
      if (!mapped.has(full.toLowerCase())) push({ ...item, label: `${full} (whole list)`, sortText: `5${a.name}` }, `${full}${colon}`);
      return;
    }
    if (a.type === 'complex') {
      push({ ...item, command: TRIGGER_SUGGEST }, `${full}.`);
      return;
    }
    if (mapped.has(full.toLowerCase())) return;
    push(item, full + colon);
  }
}

/** The attribute a path head names: `emails`, `name`, `urn:…:User:manager`. */
function headAttribute(set: SchemaSet, head: string): ScimAttribute | undefined {
  const i = head.lastIndexOf(':');
  if (i < 0) return findAttribute(set.core.attributes, head) ?? findAttribute(set.common, head);
  const schema = set.schema(head.slice(0, i));
  return schema ? findAttribute(schema.attributes, head.slice(i + 1)) : undefined;
}

/** The run of `[\w.-]` at the end of `s`, scanned backwards: `/[\w.-]*$/` is quadratic on a long line. */
function trailingWord(s: string): string {
  let i = s.length;
  while (i > 0 && /[\w.-]/.test(s[i - 1])) i--;
  return s.slice(i);
}

// ---- values --------------------------------------------------------------------------------------------------

function completeValue(ctx: FeatureContext, place: Extract<Place, { kind: 'value' }>, offset: number, range: RangeAt, items: CompletionItem[]): void {
  const p = place.parents;
  const word = trailingWord(place.prefix);
  const choices = (values: string[], kind: CompletionItemKind, detail?: string) => {
    for (const v of values) items.push({ label: v, kind, detail, textEdit: TextEdit.replace(range(offset - word.length), v) });
  };
  if (p.length === 0) {
    if (place.key === 'target') choices(['entra', 'scim'], CompletionItemKind.EnumMember);
    if (place.key === 'scimmap') choices(['1'], CompletionItemKind.Value);
    if (place.key === 'onInvalid') choices(['fail-record', 'drop-attribute'], CompletionItemKind.EnumMember);
    // The saved app schema / server discovery: the .json files beside the mapping (pull writes them there).
    if (place.key === 'server' || place.key === 'app') choices(sampleFiles(ctx).filter((f) => /\.json$/i.test(f)), CompletionItemKind.File);
    return;
  }
  if (p.length === 1 && p[0] === 'onInvalid' && place.key === 'default') return choices(['fail-record', 'drop-attribute'], CompletionItemKind.EnumMember);
  if (p.length === 1 && p[0] === 'source') {
    if (place.key === 'format') choices(['csv', 'json', 'jsonl'], CompletionItemKind.EnumMember);
    if (place.key === 'delimiter') choices([',', ';', '|'], CompletionItemKind.Value);
    if (place.key === 'duplicates') choices(['error', 'first', 'last'], CompletionItemKind.EnumMember);
    if (place.key === 'key' && ctx.sample) {
      for (const f of ctx.sample.fields) {
        if (f.segments.length !== 1) continue;
        items.push({ label: f.segments[0], kind: CompletionItemKind.Field, detail: fieldDetail(f), documentation: { kind: MarkupKind.Markdown, value: fieldMarkdown(f) }, textEdit: TextEdit.replace(range(offset - word.length), f.segments[0]) });
      }
    }
    if (place.key === 'sample') choices(sampleFiles(ctx), CompletionItemKind.File);
    return;
  }
  if (p.length === 2 && p[0] === 'extensions') return choices(INLINE_TYPES, CompletionItemKind.TypeParameter, 'SCIM type');
  if (p.length === 1 && (p[0] === 'mappings' || p[0] === 'let')) completeExpression(ctx, place, offset, range, items);
}

function sampleFiles(ctx: FeatureContext): string[] {
  const dir = ctx.analysis.baseDir;
  if (!dir) return [];
  try {
    return fs.readdirSync(dir).filter((f) => /\.(csv|json|jsonl|ndjson)$/i.test(f)).slice(0, 100);
  } catch {
    return [];
  }
}

function completeExpression(ctx: FeatureContext, place: Extract<Place, { kind: 'value' }>, offset: number, range: RangeAt, items: CompletionItem[]): void {
  const scan = scanPrefix(place.prefix);
  if (scan.inert) return;
  const r = range(offset - scan.word.length);
  const fieldItem = (n: FieldNode, label: string): CompletionItem => {
    const item: CompletionItem = { label, kind: CompletionItemKind.Field, sortText: `1${label}`, textEdit: TextEdit.replace(r, label) };
    if (n.info) {
      item.detail = fieldDetail(n.info);
      item.documentation = { kind: MarkupKind.Markdown, value: fieldMarkdown(n.info) };
    } else if (n.children.size) item.detail = `object: ${[...n.children.keys()].slice(0, 4).join(', ')}${n.children.size > 4 ? ', …' : ''}`;
    return item;
  };

  if (scan.after !== undefined) {
    // After a dot: the sub-fields of that path.
    const node = scan.after ? fieldNode(ctx.sample, scan.after) : undefined;
    for (const child of node?.children.values() ?? []) items.push(fieldItem(child, child.path.slice(node!.path ? node!.path.length + 1 : 0)));
    return;
  }
  const isVar = scan.word.startsWith('$');
  if (!isVar && ctx.sample) {
    for (const n of walkFields(fieldTree(ctx.sample))) items.push(fieldItem(n, n.path));
  }
  if (scan.word.startsWith('`')) return;

  // let bindings above this one (a binding only sees those above it), and names bound in the expression.
  const lets = ctx.analysis.lets;
  const own = place.parents[0] === 'let' ? lets.findIndex((l) => l.binding.name.start === place.keyOffset) : -1;
  for (const l of own >= 0 ? lets.slice(0, own) : lets) {
    const name = l.binding.name.value;
    const ast = l.expression.compiled.ast;
    const params = ast?.type === 'lambda' ? ((ast.arguments ?? []) as { value: string }[]).map((a) => a.value) : undefined;
    items.push({
      label: `$${name}`, kind: params ? CompletionItemKind.Function : CompletionItemKind.Variable, sortText: `0${name}`,
      detail: params ? `$${name}(${params.join(', ')}) — let` : `let ${name}`,
      documentation: { kind: MarkupKind.Markdown, value: letCodeBlock(l.binding.expression.text, 400) },
      insertTextFormat: params ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: TextEdit.replace(r, params ? `${escapeSnippet(`$${name}`)}(${params.map((a, i) => `\${${i + 1}:${escapeSnippet(a)}}`).join(', ')})` : `$${name}`),
      [PLAIN]: params ? `$${name}()` : undefined,
    } as WithPlain);
  }
  const bound = new Set<string>();
  for (const m of place.prefix.matchAll(/\$([A-Za-z_]\w*)\s*:=/g)) bound.add(m[1]);
  for (const list of functionParamLists(place.prefix)) for (const v of list.matchAll(/\$([A-Za-z_]\w*)/g)) bound.add(v[1]);
  for (const b of bound) {
    if (`$${b}` === scan.word) continue;
    items.push({ label: `$${b}`, kind: CompletionItemKind.Variable, detail: 'bound in this expression', sortText: `0${b}`, textEdit: TextEdit.replace(r, `$${b}`) });
  }
  if (isVar && scan.word.length <= 2) {
    items.push({ label: '$', kind: CompletionItemKind.Variable, detail: 'the current record (or the current item in a path)', sortText: '9$', textEdit: TextEdit.replace(r, '$') });
    items.push({ label: '$$', kind: CompletionItemKind.Variable, detail: 'the whole record', sortText: '9$$', textEdit: TextEdit.replace(r, '$$') });
  }
  for (const f of BUILTINS) {
    items.push({
      label: `$${f.name}`, kind: CompletionItemKind.Function, detail: signatureLabel(f), sortText: `2${f.name}`,
      documentation: { kind: MarkupKind.Markdown, value: functionMarkdown(f) },
      insertTextFormat: InsertTextFormat.Snippet, textEdit: TextEdit.replace(r, functionSnippet(f)),
      [PLAIN]: `$${f.name}()`,
    } as WithPlain);
  }
  if (!isVar) {
    for (const k of ['true', 'false', 'null', 'and', 'or', 'in']) items.push({ label: k, kind: CompletionItemKind.Keyword, sortText: `3${k}`, textEdit: TextEdit.replace(r, k) });
  }
}
