/**
 * Mapping tests for the editor (Testing view): runs a test file's cases against the mapping as the editor has it
 * (unsaved edits included), on the sample the worker already holds; records beyond its cap are streamed from the file.
 */
import { pathToFileURL } from 'node:url';
import type { ValidationResult } from '../engine/validate';
import { CaseResult, describeFailure, fileRecordLookup, memoryRecordLookup, RecordLookup, runCases } from '../review/runTests';
import { parseTestFile } from '../review/testFile';
import type { CaseOutcome, RunTestsResult } from './protocol';

const json = (v: unknown) => JSON.stringify(v, null, 2);

function outcome(r: CaseResult, expected: unknown, expectErrors: unknown): CaseOutcome {
  const o: CaseOutcome = { name: r.name, index: r.index, line: r.line, status: r.status, record: r.recordLabel, lines: r.status === 'passed' ? [] : describeFailure(r) };
  if (r.status === 'failed' && r.actual) {
    const errs = (e: unknown[]) => (e.length ? { expectErrors: e } : {});
    o.expected = json({ ...(expected !== undefined ? { expect: expected } : {}), ...errs((expectErrors as unknown[]) ?? []) });
    o.actual = json({ ...(expected !== undefined ? { expect: r.actual.resource } : {}), ...errs(r.actual.errors.map((e) => ({ code: e.code, ...(e.attribute ? { attribute: e.attribute } : {}) }))) });
  }
  return o;
}

export async function runTestFile(v: ValidationResult, testText: string, testPath: string, names?: string[]): Promise<RunTestsResult> {
  const file = parseTestFile(testText, testPath);
  const result: RunTestsResult = { mappingUri: pathToFileURL(file.mappingPath).toString(), cases: [], problems: file.problems.map((p) => `line ${p.line + 1}: ${p.message}`) };
  const errors = v.analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    result.problems.push(`the mapping has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.slice(0, 3).map((e) => e.message).join('; ')}`);
    return result;
  }
  const cases = names ? file.cases.filter((c) => names.includes(c.name)) : file.cases;
  const s = v.sample;
  const keyField = v.compiled.keyField;
  let lookup: RecordLookup = memoryRecordLookup(s?.records ?? [], keyField);
  const needed = cases.filter((c) => (c.input.kind === 'record' && !lookup.byKey(c.input.key)) || (c.input.kind === 'recordNumber' && !lookup.byNumber(c.input.number)));
  if (needed.length && s?.truncated && v.analysis.samplePath) {
    const src = v.analysis.doc.source;
    lookup = await fileRecordLookup(v.analysis.samplePath, { ...file, cases }, keyField, { format: src?.format?.value, delimiter: src?.delimiter?.value, encoding: src?.encoding?.value });
  }
  const results = await runCases(v.compiled, cases, lookup);
  result.cases = results.map((r, i) => outcome(r, cases[i].expect, cases[i].expectErrors));
  return result;
}
