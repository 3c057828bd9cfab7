/**
 * Writing test files: `scimmap test --update` rewrites expectations from what the mapping produces now, and
 * "Create Test from Record" appends a case. Both go through the yaml library's Document API, so comments and
 * the other cases stay as they are and no record value can turn into YAML structure.
 */
import * as path from 'node:path';
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type { RecordError, ScimResource } from '../engine/types';
import type { CaseResult } from './runTests';

function errorsOf(errors: RecordError[]): Array<Record<string, string>> {
  return errors.map((e) => ({ code: e.code, ...(e.attribute ? { attribute: e.attribute } : {}) }));
}

/** The text with each listed result's `expect` (and `expectErrors`) set to what the mapping produced. */
export function updateExpectations(text: string, results: CaseResult[]): string {
  const doc = parseDocument(text);
  const cases = doc.get('cases', true);
  if (!isSeq(cases)) return text;
  for (const r of results) {
    const node = cases.items[r.index];
    if (!isMap(node) || !r.actual) continue;
    node.set('expect', doc.createNode(r.actual.resource));
    if (r.actual.errors.length || node.has('expectErrors')) {
      if (r.actual.errors.length) node.set('expectErrors', doc.createNode(errorsOf(r.actual.errors)));
      else node.delete('expectErrors');
    }
  }
  return doc.toString({ lineWidth: 0 });
}

export interface NewCase {
  /** The sample record's source.key value; without one the case names the record by its position. */
  key?: string;
  /** 1-based position in the sample. */
  recordNumber: number;
  resource: ScimResource;
  errors: RecordError[];
}

/** Appends a case (or starts a test file when `text` is undefined); returns the text and the new case's name. */
export function appendCase(text: string | undefined, testPath: string, mappingPath: string, c: NewCase): { text: string; name: string } {
  let doc: Document;
  if (text === undefined || !text.trim()) {
    doc = new Document({ 'scimmap-test': 1, mapping: path.relative(path.dirname(testPath), mappingPath).split(path.sep).join('/'), cases: [] });
    doc.commentBefore = ` Tests for ${path.basename(mappingPath)}: run with \`scimmap test\` or from the Testing view.\n Format: docs/mapping-tests.md`;
  } else {
    doc = parseDocument(text);
  }
  let cases = doc.get('cases', true);
  if (!isSeq(cases)) {
    cases = new YAMLSeq();
    (doc.contents as YAMLMap).set('cases', cases);
  }
  const seq = cases as YAMLSeq;
  const taken = new Set(seq.items.map((it) => (isMap(it) ? String(it.get('name')) : '')));
  const base = c.key !== undefined ? `record ${c.key}` : `record number ${c.recordNumber}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
  const item: Record<string, unknown> = { name, ...(c.key !== undefined ? { record: c.key } : { recordNumber: c.recordNumber }), expect: c.resource };
  if (c.errors.length) item.expectErrors = errorsOf(c.errors);
  seq.add(doc.createNode(item));
  return { text: doc.toString({ lineWidth: 0 }), name };
}
