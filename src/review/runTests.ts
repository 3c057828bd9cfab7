/**
 * Runs mapping test cases: each case's record goes through the same pipeline as preview and upload
 * (transformRecords, so every record-level check applies), and the resource and record errors are compared
 * with the expectation. Pure apart from `fileRecordLookup`, which streams the sample to find the cases' records.
 */
import { openRecords, SourceFormat, SourceRecord } from '../engine/readers';
import { transformRecords } from '../engine/pipeline';
import type { CompiledMapping } from '../engine/transform/compile';
import { readKey } from '../engine/transform/record';
import type { RecordError, ScimResource } from '../engine/types';
import { AttributeChange, diffResources } from './resourceDiff';
import type { CaseInput, ExpectedError, TestCase, TestFile } from './testFile';

export interface CaseResult {
  name: string;
  index: number;
  line: number;
  status: 'passed' | 'failed' | 'error';
  /** Why a case could not run (`error`), e.g. its record is not in the sample. */
  message?: string;
  /** Attribute differences: `before` is the expectation, `after` what the mapping produced. */
  changes: AttributeChange[];
  /** Expected record errors that did not occur, and record errors that were not expected. */
  missingErrors: ExpectedError[];
  unexpectedErrors: RecordError[];
  /** Which record ran: `record 12 (100048)` or `inline record`. */
  recordLabel: string;
  actual?: { resource: ScimResource; errors: RecordError[] };
}

/** Finds a case's record: by source.key value or by 1-based position. */
export interface RecordLookup {
  byKey(key: string): SourceRecord | undefined;
  byNumber(n: number): SourceRecord | undefined;
}

export async function runCases(compiled: CompiledMapping, cases: TestCase[], lookup: RecordLookup): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases) out.push(await runCase(compiled, c, lookup));
  return out;
}

async function runCase(compiled: CompiledMapping, c: TestCase, lookup: RecordLookup): Promise<CaseResult> {
  const base = { name: c.name, index: c.index, line: c.line, changes: [], missingErrors: [], unexpectedErrors: [] };
  const rec = c.input.kind === 'inline' ? { index: 0, value: c.input.value } : c.input.kind === 'record' ? lookup.byKey(c.input.key) : lookup.byNumber(c.input.number);
  if (!rec) {
    const what = c.input.kind === 'record' ? `no sample record has the key ${JSON.stringify(c.input.key)}${compiled.keyField ? ` (source.key: ${compiled.keyField})` : ' (the mapping has no source.key)'}` : `the sample has no record ${(c.input as { number: number }).number}`;
    return { ...base, status: 'error', message: what, recordLabel: labelOf(c.input) };
  }
  let result;
  for await (const r of transformRecords(compiled, [rec])) result = r;
  if (!result) return { ...base, status: 'error', message: 'the record produced no result', recordLabel: labelOf(c.input) };
  const recordLabel = c.input.kind === 'inline' ? 'inline record' : `record ${rec.index + 1}${result.key ? ` (${result.key})` : ''}`;
  const changes = c.expect === undefined ? [] : diffResources(c.expect, result.resource);
  const expected = c.expectErrors ?? [];
  const matches = (e: ExpectedError, a: RecordError) =>
    (e.code === undefined || e.code === a.code) && (e.attribute === undefined || e.attribute.toLowerCase() === (a.attribute ?? '').toLowerCase()) && (e.message === undefined || a.message.includes(e.message));
  const missingErrors = expected.filter((e) => !result!.errors.some((a) => matches(e, a)));
  const unexpectedErrors = result.errors.filter((a) => !expected.some((e) => matches(e, a)));
  const passed = !changes.length && !missingErrors.length && !unexpectedErrors.length;
  return { ...base, status: passed ? 'passed' : 'failed', changes, missingErrors, unexpectedErrors, recordLabel, actual: { resource: result.resource, errors: result.errors } };
}

function labelOf(input: CaseInput): string {
  return input.kind === 'inline' ? 'inline record' : input.kind === 'record' ? `record ${JSON.stringify(input.key)}` : `record ${input.number}`;
}

/** A lookup over records already in memory (the editor's sample). */
export function memoryRecordLookup(records: Record<string, unknown>[], keyField: string | undefined): RecordLookup {
  let byKey: Map<string, number> | undefined;
  return {
    byKey(key) {
      if (!byKey) {
        byKey = new Map();
        records.forEach((r, i) => { const k = readKey(r, keyField); if (k !== undefined && !byKey!.has(k)) byKey!.set(k, i); });
      }
      const i = byKey.get(key);
      return i === undefined ? undefined : { index: i, value: records[i] };
    },
    byNumber(n) {
      return n >= 1 && n <= records.length ? { index: n - 1, value: records[n - 1] } : undefined;
    },
  };
}

/** Streams a sample file once, keeping only the records the cases name (bounded memory on big exports). */
export async function fileRecordLookup(samplePath: string, file: TestFile, keyField: string | undefined, opts: { format?: SourceFormat; delimiter?: string; encoding?: string; signal?: AbortSignal } = {}): Promise<RecordLookup> {
  const keys = new Set<string>();
  const numbers = new Set<number>();
  for (const c of file.cases) {
    if (c.input.kind === 'record') keys.add(c.input.key);
    else if (c.input.kind === 'recordNumber') numbers.add(c.input.number);
  }
  const found = new Map<string, SourceRecord>();
  const at = new Map<number, SourceRecord>();
  if (keys.size || numbers.size) {
    const maxNumber = Math.max(0, ...numbers);
    for await (const rec of openRecords(samplePath, opts)) {
      const k = readKey(rec.value, keyField);
      if (k !== undefined && keys.has(k) && !found.has(k)) found.set(k, rec);
      if (numbers.has(rec.index + 1)) at.set(rec.index + 1, rec);
      if (found.size === keys.size && rec.index + 1 >= maxNumber) break;
    }
  }
  return { byKey: (k) => found.get(k), byNumber: (n) => at.get(n) };
}

/** The readable report of one failed case, one line per difference. */
export function describeFailure(r: CaseResult): string[] {
  if (r.status === 'error') return [r.message ?? 'could not run'];
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  return [
    ...r.changes.map((c) => `${c.path}: expected ${show(c.before)}, got ${show(c.after)}`),
    ...r.missingErrors.map((e) => `expected record error ${[e.code, e.attribute && `at ${e.attribute}`, e.message && JSON.stringify(e.message)].filter(Boolean).join(' ')}: did not occur`),
    ...r.unexpectedErrors.map((e) => `unexpected record error ${e.code}${e.attribute ? ` at ${e.attribute}` : ''}: ${e.message}`),
  ];
}
