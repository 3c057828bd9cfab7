/**
 * The one validation function: static checks plus the checks against the sample data. `scimmap validate`
 * and the language server (inside its evaluation worker) both call it, so they report the same diagnostics.
 */
import { analyzeMappingText, MappingAnalysis } from './analysis';
import { ExpressionCache } from './analysis/expressions';
import { FileHost, nodeFileHost } from './analysis/host';
import { DEFAULT_LIMITS, EvaluationLimits } from './jsonata/compile';
import { formatWarning, SAMPLE_BYTE_BUDGET } from './readers';
import { formatBytes } from './files/boundedReader';
import { sampleDiagnostics } from './sample/diagnostics';
import { attachVerifiedFixes } from './sample/fixes';
import { EvaluateOptions, letKey, SampleEvaluation, SampleEvaluator } from './sample/evaluate';
import { DEFAULT_SAMPLE_RECORDS, loadSample, SampleSet } from './sample/load';
import { CompiledMapping, compileMapping, CompileOptions } from './transform/compile';
import { checkSampleRecords, SampleChecksCache, SampleRecordChecks, sampleCheckDiagnostics } from './checks/sample';
import type { EngineDiagnostic } from './types';

export interface ValidateOptions extends EvaluateOptions {
  filePath?: string;
  host?: FileHost;
  cache?: ExpressionCache;
  limits?: EvaluationLimits;
  /** Check against the sample (default true). */
  useSample?: boolean;
  sampleRecords?: number;
  /** Supplies the sample (the server caches it across versions); default: read the file. */
  getSample?: (path: string, analysis: MappingAnalysis) => Promise<SampleSet>;
  evaluator?: SampleEvaluator;
  /** Absolute path of a saved provisioning app schema, instead of the mapping's `app:`. */
  appPath?: string;
  /**
   * Mapping keys not to evaluate on the sample, as `key + "\u0000" + expression text` (the server puts here
   * an expression that once ran past the hard time limit, until its text changes).
   */
  skip?: ReadonlySet<string>;
  /** Compile options (verified domains from an upload profile). */
  compile?: CompileOptions;
}

export interface ValidationResult {
  analysis: MappingAnalysis;
  compiled: CompiledMapping;
  sample?: SampleSet;
  evaluation?: SampleEvaluation;
  /** Record- and dataset-level checks over the sample (what would not be sent, and why). */
  records?: SampleRecordChecks;
  diagnostics: EngineDiagnostic[];
}

/** The record checks' kept results live as long as the evaluator whose (cached) target results they are built on. */
const checksCaches = new WeakMap<SampleEvaluator, SampleChecksCache>();
function checksCacheOf(evaluator: SampleEvaluator): SampleChecksCache {
  let c = checksCaches.get(evaluator);
  if (!c) checksCaches.set(evaluator, (c = new SampleChecksCache()));
  return c;
}

const FILE_REFUSAL_CODES = new Set(['path-refused', 'not-regular-file', 'file-too-large']);

export function sampleOptions(analysis: MappingAnalysis) {
  const src = analysis.doc.source;
  return { format: src?.format?.value, delimiter: src?.delimiter?.value, encoding: src?.encoding?.value, keyField: src?.key?.value };
}

export async function validateMapping(text: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const host = options.host ?? nodeFileHost;
  const analysis = analyzeMappingText(text, { filePath: options.filePath, host, cache: options.cache, appPath: options.appPath });
  const compiled = compileMapping(analysis, options.limits ?? DEFAULT_LIMITS, options.compile);
  if (options.skip?.size) {
    compiled.targets = compiled.targets.filter((t) => !options.skip!.has(`${t.key}\u0000${expressionTextOf(analysis, t.key)}`));
    compiled.lets = compiled.lets.filter((l) => !options.skip!.has(`${letKey(l.name)}\u0000${expressionTextOf(analysis, letKey(l.name))}`));
  }
  const diagnostics = [...analysis.diagnostics];
  const result: ValidationResult = { analysis, compiled, diagnostics };
  if (options.useSample === false || !analysis.samplePath || !analysis.sampleExists) return result;

  const src = analysis.doc.source!.sample!;
  let sample: SampleSet;
  try {
    sample = options.getSample
      ? await options.getSample(analysis.samplePath, analysis)
      : await loadSample(analysis.samplePath, { ...sampleOptions(analysis), limit: options.sampleRecords ?? DEFAULT_SAMPLE_RECORDS });
  } catch (e) {
    diagnostics.push({ code: 'mapping-structure', severity: 'error', message: `Sample '${src.value}' cannot be read: ${(e as Error).message}`, start: src.start, end: src.end });
    return result;
  }
  result.sample = sample;
  if (sample.error && FILE_REFUSAL_CODES.has(sample.errorCode ?? '')) {
    // Checked before the analysis too; here when the file changed in between (a swapped-in FIFO or device).
    diagnostics.push({ code: 'file-refused', severity: 'error', message: `Sample file '${src.value}' is not read: ${sample.errorDetail}`, start: src.start, end: src.end });
  } else if (sample.error) {
    diagnostics.push({ code: 'mapping-structure', severity: 'error', message: `Sample '${src.value}' has an error after ${sample.records.length} records (those were checked): ${sample.error}`, start: src.start, end: src.end });
  }
  // Reader warnings (quotes in header names) explain odd field names and values: show them.
  // Records read from a Workday-style {"Report_Entry": [...]} wrapper are normal: information, no squiggle.
  for (const warning of sample.warnings) {
    const w = formatWarning(warning);
    const where = w.startsWith(sample.path) ? w.slice(sample.path.length) : `: ${w}`;
    const severity = warning.code === 'unwrapped' ? 'information' : 'warning';
    diagnostics.push({ code: 'mapping-structure', severity, message: `${src.value}${where}`, start: src.start, end: src.end });
  }
  if (sample.truncated) {
    diagnostics.push({ code: 'sample-truncated', severity: 'information', message: `The sample is large: checks ran on its first ${sample.records.length} records${sample.truncatedBy === 'bytes' ? ` (reading stops after ${formatBytes(SAMPLE_BYTE_BUDGET)})` : ''}`, start: src.start, end: src.end });
  }
  const evaluator = options.evaluator ?? new SampleEvaluator();
  const evaluation = await evaluator.evaluate(compiled, sample, options);
  result.evaluation = evaluation;
  diagnostics.push(...sampleDiagnostics(compiled, sample, evaluation));
  if (!options.signal?.aborted) {
    result.records = await checkSampleRecords(compiled, sample, evaluation, checksCacheOf(evaluator));
    // A mapping that is empty everywhere because of a misspelt or empty field is already reported at that field.
    const fieldFindings = diagnostics.filter((d) => d.code === 'unknown-field' || d.code === 'field-always-empty' || d.code === 'unknown-variable');
    const covered = (d: EngineDiagnostic) => d.code === 'always-empty' && d.severity === 'warning' && fieldFindings.some((f) => f.start >= d.start && f.end <= d.end);
    diagnostics.push(...sampleCheckDiagnostics(compiled, sample, result.records).filter((d) => !covered(d)));
    // The summary is information beside the errors it counts; should none be shown, it is the error itself.
    const summary = diagnostics.find((d) => d.code === 'records-fail');
    if (summary && !diagnostics.some((d) => d !== summary && d.severity === 'error')) summary.severity = 'error';
  }
  await attachVerifiedFixes(compiled, sample, evaluator, diagnostics, options);
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);
  return result;
}

/** The source text behind a progress key: a mapping key, or `$name` for a let binding. */
export function expressionTextOf(analysis: MappingAnalysis, key: string): string {
  if (key.startsWith('$')) return analysis.lets.find((l) => letKey(l.binding.name.value) === key)?.expression.source.text ?? '';
  const v = analysis.mappings.find((m) => m.entry.key.value === key)?.entry.value;
  return v?.kind === 'expression' ? v.expression.text : v?.kind === 'constant' ? String(v.value) : '';
}
