/**
 * The headless pipeline shared by the CLI and uploads: mapping file → compiled mapping; source records →
 * SCIM resources (streamed, bounded memory) → BulkRequests.
 */
import * as fs from 'node:fs';
import { FileRefusedError, readTextFile } from './files/boundedReader';
import { analyzeMappingText } from './analysis';
import { nodeFileHost, resolveRelative } from './analysis/host';
import { DEFAULT_LIMITS, EvaluationLimits } from './jsonata/compile';
import { openRecords, ReaderWarning, SourceRecord } from './readers';
import { bulkRequest, operationOf } from './transform/bulk';
import { CompiledMapping, compileMapping, CompileOptions } from './transform/compile';
import type { IdIndex } from './transform/idIndex';
import { DuplicateTracker, latestIndexes, type KnownIds } from './checks/duplicates';
import { transformRecord, TransformResult } from './transform/record';
import type { BulkOperation, BulkRequest, EngineDiagnostic } from './types';
import { LET_BINDINGS, probe } from './watchdog';

export type { CompiledMapping } from './transform/compile';
export type { TransformResult } from './transform/record';

export class MappingFileError extends Error {}

export async function loadMappingFile(filePath: string, limits: EvaluationLimits = DEFAULT_LIMITS, options: CompileOptions = {}, appPath?: string): Promise<{ mapping: CompiledMapping; diagnostics: EngineDiagnostic[]; text: string }> {
  const abs = resolveRelative(undefined, filePath);
  let text: string;
  try {
    text = readTextFile(abs, 'mapping'); // drops a BOM as editors do: positions agree
  } catch (e) {
    throw new MappingFileError(`${filePath}: ${e instanceof FileRefusedError ? e.reason : (e as Error).message}`);
  }
  const analysis = analyzeMappingText(text, { filePath: abs, host: nodeFileHost, appPath });
  return { mapping: compileMapping(analysis, limits, options), diagnostics: analysis.diagnostics, text };
}

export interface TransformFileOptions {
  /** A source file other than the mapping's sample. */
  input?: string;
  limit?: number;
  signal?: AbortSignal;
  onWarning?: (w: ReaderWarning) => void;
  collectValues?: boolean;
  /** Ids the caller already holds (the sync state), reused by the duplicate-externalId check instead of copied. */
  knownIds?: KnownIds;
}

/** The file a transform reads: --input, else the mapping's sample. */
export function inputOf(mapping: CompiledMapping, input?: string): string {
  const p = input ? resolveRelative(undefined, input) : mapping.analysis.samplePath;
  if (!p) throw new MappingFileError('no input: the mapping has no source.sample; pass --input FILE');
  return p;
}

/**
 * Streams results in input order, with the duplicate checks of `source.duplicates` across the whole stream.
 * For `duplicates: last` the file is read twice: a first pass evaluates only externalId (and the let
 * bindings) to learn the latest record per id, the second transforms and sends.
 */
export async function* transformFile(mapping: CompiledMapping, opts: TransformFileOptions = {}): AsyncIterable<TransformResult> {
  const open = () => {
    const file = inputOf(mapping, opts.input);
    const src = mapping.analysis.doc.source;
    const format = opts.input ? undefined : src?.format?.value;
    // source.encoding applies to --input too: it cannot be guessed from the file, and it is the same HR system's export.
    return openRecords(file, { format, delimiter: opts.input ? undefined : src?.delimiter?.value, encoding: src?.encoding?.value, signal: opts.signal, onWarning: opts.onWarning });
  };
  if (mapping.duplicates === 'last') {
    // A pipe (`--input /dev/stdin`, a FIFO) would be empty the second time: refuse rather than send nothing.
    const file = inputOf(mapping, opts.input);
    let regular = false;
    try {
      regular = fs.statSync(file).isFile();
    } catch {
      regular = true; // let the reader report the missing file as usual
    }
    if (!regular) throw new MappingFileError(`source.duplicates: last reads the input twice; ${file} is not a regular file (a pipe or a device): save it to a file first`);
  }
  const latest = mapping.duplicates === 'last' ? await latestIndexes(externalIds(mapping, open(), opts)) : undefined;
  yield* transformRecords(mapping, open(), { ...opts, latest });
}

async function* externalIds(mapping: CompiledMapping, records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>, opts: Pick<TransformFileOptions, 'limit' | 'signal'>): AsyncIterable<{ index: number; externalId: unknown }> {
  const only = new Set(mapping.targets.filter((t) => t.resolved.container === null && t.resolved.attribute.name === 'externalId' && !t.resolved.subAttribute).map((t) => t.key));
  let n = 0;
  for await (const rec of records) {
    if ((opts.limit !== undefined && n >= opts.limit) || opts.signal?.aborted) break;
    n++;
    const r = await transformRecord(mapping, rec.value, rec.index, { only });
    yield { index: rec.index, externalId: r.resource.externalId };
  }
}

/** Transforms records in order, checking externalIds and userNames for duplicates across the whole stream. */
export async function* transformRecords(
  mapping: CompiledMapping,
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  opts: Pick<TransformFileOptions, 'limit' | 'signal' | 'collectValues' | 'knownIds'> & { latest?: IdIndex } = {},
): AsyncIterable<TransformResult> {
  let latest = opts.latest;
  if (mapping.duplicates === 'last' && !latest) {
    // In memory (the editor's sample, an export): a first pass is cheap. A one-shot stream cannot be read twice.
    if (!Array.isArray(records)) throw new MappingFileError('source.duplicates: last reads the input twice; it needs a file (or records in memory), not a stream');
    latest = await latestIndexes(externalIds(mapping, records, opts));
  }
  const seen = new DuplicateTracker(mapping.duplicates, latest, opts.knownIds);
  let n = 0;
  for await (const rec of records) {
    if (opts.limit !== undefined && n >= opts.limit) break;
    if (opts.signal?.aborted) break;
    n++;
    probe(LET_BINDINGS, rec.index); // the let bindings come first; transformRecord probes each target
    const result = await transformRecord(mapping, rec.value, rec.index, { collectValues: opts.collectValues });
    seen.check(result);
    yield result;
  }
}

/**
 * Groups good results into BulkRequests of at most `size` operations; failed records go to onError, records
 * another duplicate wins over (`source.duplicates: first|last`) to onSkipped. Neither is ever sent.
 */
export async function* toBulkRequests(results: AsyncIterable<TransformResult> | Iterable<TransformResult>, size = 50, onError: ((r: TransformResult) => void) | undefined, failOnErrors: number | null | undefined, onSkipped?: (r: TransformResult) => void): AsyncIterable<BulkRequest> {
  let ops: BulkOperation[] = [];
  for await (const r of results) {
    if (r.errors.length) {
      onError?.(r);
      continue;
    }
    if (r.skipped) {
      onSkipped?.(r);
      continue;
    }
    ops.push(operationOf(r.resource, r.index));
    if (ops.length >= size) {
      yield bulkRequest(ops, failOnErrors);
      ops = [];
    }
  }
  if (ops.length) yield bulkRequest(ops, failOnErrors);
}
