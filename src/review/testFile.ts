/**
 * Mapping test files (`<name>.scimmap.test.yaml`, docs/mapping-tests.md): a located model of the cases, so the
 * CLI, the Testing view and diagnostics can point at the line of each case. Pure: text in, model out.
 */
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';

export interface Span { start: number; end: number }

export type CaseInput =
  | { kind: 'record'; key: string }
  | { kind: 'recordNumber'; number: number }
  | { kind: 'inline'; value: Record<string, unknown> };

export interface ExpectedError { code?: string; attribute?: string; message?: string }

export interface TestCase {
  name: string;
  /** Position in `cases` (0-based). */
  index: number;
  /** The whole case item, and its name's value. */
  span: Span;
  nameSpan: Span;
  /** 0-based line of the case item (for the Testing view and messages). */
  line: number;
  input: CaseInput;
  /** The SCIM resource the record must produce, exactly (key order aside). */
  expect?: unknown;
  /** The record errors the record must produce (each must occur; no other may). */
  expectErrors?: ExpectedError[];
}

export interface TestFileProblem { message: string; span: Span; line: number }

export interface TestFile {
  /** Absolute path of the mapping the cases test. */
  mappingPath: string;
  cases: TestCase[];
  problems: TestFileProblem[];
}

export const TEST_FILE_SUFFIX = '.scimmap.test.yaml';
const TOP_KEYS = new Set(['scimmap-test', 'mapping', 'cases']);
const CASE_KEYS = new Set(['name', 'record', 'recordNumber', 'input', 'expect', 'expectErrors']);

export function isTestFile(p: string): boolean {
  return p.toLowerCase().endsWith(TEST_FILE_SUFFIX);
}

/** `people.scimmap.test.yaml` ↔ `people.scimmap.yaml`. */
export function defaultMappingOf(testPath: string): string {
  return testPath.slice(0, -TEST_FILE_SUFFIX.length) + '.scimmap.yaml';
}
export function testFileOf(mappingPath: string): string {
  return mappingPath.replace(/\.scimmap\.ya?ml$/i, '') + TEST_FILE_SUFFIX;
}

/** A node's [start, value-end, end] offsets, whatever its kind. */
const rangeOf = (n: unknown): number[] | undefined => (n as { range?: number[] } | null | undefined)?.range;

export function parseTestFile(text: string, filePath: string): TestFile {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problems: TestFileProblem[] = [];
  const lineOf = (offset: number) => lines.linePos(offset).line - 1;
  const problem = (message: string, range: readonly number[] | undefined) => {
    const span = { start: range?.[0] ?? 0, end: range?.[1] ?? 0 };
    problems.push({ message, span, line: lineOf(span.start) });
  };
  const out: TestFile = { mappingPath: defaultMappingOf(filePath), cases: [], problems };
  for (const e of doc.errors) problem(e.message.split('\n')[0], e.pos);
  if (doc.errors.length) return out;
  let aliases = false;
  visit(doc, { Alias: () => { aliases = true; return visit.BREAK; } });
  if (aliases) { problem('anchors and aliases are not supported in test files', doc.contents?.range as number[] | undefined); return out; }
  const root = doc.contents;
  if (!isMap(root)) { problem('a test file is a mapping with `scimmap-test: 1` and `cases:`', root?.range as number[] | undefined); return out; }
  let version = false;
  for (const item of root.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    const range = rangeOf(item.key);
    if (!TOP_KEYS.has(key)) problem(`unknown key ${JSON.stringify(key)} (expected scimmap-test, mapping, cases)`, range);
    if (key === 'scimmap-test') {
      version = true;
      if (!isScalar(item.value) || item.value.value !== 1) problem('`scimmap-test` must be 1', rangeOf(item.value));
    }
    if (key === 'mapping') {
      if (!isScalar(item.value) || typeof item.value.value !== 'string' || !item.value.value) problem('`mapping` is the path of the mapping file, relative to this file', range);
      else out.mappingPath = path.resolve(path.dirname(filePath), item.value.value);
    }
  }
  if (!version) problem('`scimmap-test: 1` is missing', root.range as number[] | undefined);
  const cases = root.get('cases', true);
  if (!isSeq(cases)) {
    problem('`cases` is a list of test cases', rangeOf(cases) ?? root.range as number[] | undefined);
    return out;
  }
  const names = new Set<string>();
  cases.items.forEach((node, index) => {
    const range = rangeOf(node);
    if (!isMap(node)) { problem(`case ${index + 1} is not a mapping`, range); return; }
    for (const it of node.items) {
      const k = isScalar(it.key) ? String(it.key.value) : '';
      if (!CASE_KEYS.has(k)) problem(`unknown case key ${JSON.stringify(k)} (expected ${[...CASE_KEYS].join(', ')})`, rangeOf(it.key));
    }
    const nameNode = node.get('name', true);
    const name = isScalar(nameNode) && nameNode.value !== null && nameNode.value !== '' ? String(nameNode.value) : undefined;
    if (!name) { problem(`case ${index + 1} needs a \`name\``, range); return; }
    if (names.has(name)) { problem(`two cases are named ${JSON.stringify(name)}`, nameNode!.range as number[]); return; }
    names.add(name);
    const given = ['record', 'recordNumber', 'input'].filter((k) => node.has(k));
    if (given.length !== 1) { problem(`case ${JSON.stringify(name)} needs exactly one of record (a sample record's key), recordNumber or input (an inline record)`, range); return; }
    let input: CaseInput;
    const v = node.get(given[0], true);
    if (given[0] === 'record') {
      if (!isScalar(v) || v.value === null || typeof v.value === 'object') { problem('`record` is the key of a sample record (source.key)', rangeOf(v) ?? range); return; }
      input = { kind: 'record', key: String(v.value) };
    } else if (given[0] === 'recordNumber') {
      if (!isScalar(v) || !Number.isInteger(v.value) || (v.value as number) < 1) { problem('`recordNumber` is a record\'s position in the sample, from 1', rangeOf(v) ?? range); return; }
      input = { kind: 'recordNumber', number: v.value as number };
    } else {
      const value = node.toJSON().input;
      if (!value || typeof value !== 'object' || Array.isArray(value)) { problem('`input` is one HR record (a mapping of fields)', rangeOf(v) ?? range); return; }
      input = { kind: 'inline', value };
    }
    const json = node.toJSON() as Record<string, unknown>;
    if (!('expect' in json) && !('expectErrors' in json)) { problem(`case ${JSON.stringify(name)} needs \`expect\` (the SCIM resource) or \`expectErrors\``, range); return; }
    let expectErrors: ExpectedError[] | undefined;
    if ('expectErrors' in json) {
      const list = json.expectErrors;
      const ok = Array.isArray(list) && list.every((e) => e && typeof e === 'object' && !Array.isArray(e) && Object.keys(e).every((k) => ['code', 'attribute', 'message'].includes(k) && typeof (e as Record<string, unknown>)[k] === 'string'));
      if (!ok) { problem('`expectErrors` is a list of { code, attribute, message } (each optional text)', rangeOf(node.get('expectErrors', true)) ?? range); return; }
      expectErrors = list as ExpectedError[];
    }
    const start = range?.[0] ?? 0;
    out.cases.push({
      name, index, span: { start, end: range?.[1] ?? start }, nameSpan: { start: (nameNode!.range as number[])[0], end: (nameNode!.range as number[])[1] },
      line: lineOf(start), input, ...('expect' in json ? { expect: json.expect } : {}), ...(expectErrors ? { expectErrors } : {}),
    });
  });
  return out;
}
