/**
 * The headless pipeline shared by the CLI and uploads: mapping file → compiled mapping; source records →
 * SCIM resources (streamed, bounded memory) → BulkRequests.
 */
import { FileRefusedError, readTextFile } from './files/boundedReader';
import { analyzeMappingText } from './analysis';
import { nodeFileHost, resolveRelative } from './analysis/host';
import { DEFAULT_LIMITS, EvaluationLimits } from './jsonata/compile';
import { openRecords, ReaderWarning, SourceRecord } from './readers';
import { bulkRequest, operationOf } from './transform/bulk';
import { CompiledMapping, compileMapping } from './transform/compile';
import { IdIndex } from './transform/idIndex';
import { transformRecord, TransformResult } from './transform/record';
import type { BulkOperation, BulkRequest, EngineDiagnostic } from './types';
import { LET_BINDINGS, probe } from './watchdog';

export type { CompiledMapping } from './transform/compile';
export type { TransformResult } from './transform/record';

export class MappingFileError extends Error {}

export async function loadMappingFile(filePath: string, limits: EvaluationLimits = DEFAULT_LIMITS): Promise<{ mapping: CompiledMapping; diagnostics: EngineDiagnostic[]; text: string }> {
  const abs = resolveRelative(undefined, filePath);
  let text: string;
  try {
    text = readTextFile(abs, 'mapping'); // drops a BOM as editors do: positions agree
  } catch (e) {
    throw new MappingFileError(`${filePath}: ${e instanceof FileRefusedError ? e.reason : (e as Error).message}`);
  }
  const analysis = analyzeMappingText(text, { filePath: abs, host: nodeFileHost });
  return { mapping: compileMapping(analysis, limits), diagnostics: analysis.diagnostics, text };
}

export interface TransformFileOptions {
  /** A source file other than the mapping's sample. */
  input?: string;
  limit?: number;
  signal?: AbortSignal;
  onWarning?: (w: ReaderWarning) => void;
  collectValues?: boolean;
}

/** The file a transform reads: --input, else the mapping's sample. */
export function inputOf(mapping: CompiledMapping, input?: string): string {
  const p = input ? resolveRelative(undefined, input) : mapping.analysis.samplePath;
  if (!p) throw new MappingFileError('no input: the mapping has no source.sample; pass --input FILE');
  return p;
}

/**
 * Streams results in input order. A second record with an externalId seen before gets a
 * `duplicate-external-id` error (Entra would apply both to the same user).
 */
export async function* transformFile(mapping: CompiledMapping, opts: TransformFileOptions = {}): AsyncIterable<TransformResult> {
  const file = inputOf(mapping, opts.input);
  const src = mapping.analysis.doc.source;
  const format = opts.input ? undefined : src?.format?.value;
  const records = openRecords(file, { format, delimiter: opts.input ? undefined : src?.delimiter?.value, signal: opts.signal, onWarning: opts.onWarning });
  yield* transformRecords(mapping, records, opts);
}

/** Transforms records in order, checking externalIds for duplicates across the whole stream. */
export async function* transformRecords(
  mapping: CompiledMapping,
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  opts: Pick<TransformFileOptions, 'limit' | 'signal' | 'collectValues'> = {},
): AsyncIterable<TransformResult> {
  const seen = new IdIndex();
  let n = 0;
  for await (const rec of records) {
    if (opts.limit !== undefined && n >= opts.limit) break;
    if (opts.signal?.aborted) break;
    n++;
    probe(LET_BINDINGS, rec.index); // the let bindings come first; transformRecord probes each target
    const result = await transformRecord(mapping, rec.value, rec.index, { collectValues: opts.collectValues });
    checkDuplicate(result, seen);
    yield result;
  }
}

export function checkDuplicate(result: TransformResult, seen: IdIndex): void {
  const ext = result.resource.externalId;
  if (typeof ext !== 'string' || ext === '') return;
  const first = seen.firstSeen(ext, result.index);
  if (first !== undefined) {
    result.errors.push({ index: result.index, key: result.key, attribute: 'externalId', code: 'duplicate-external-id', message: `externalId ${JSON.stringify(ext)} is also the externalId of record ${first + 1}` });
  }
}

/** Groups good results into BulkRequests of at most `size` operations; failed records go to onError. */
export async function* toBulkRequests(results: AsyncIterable<TransformResult> | Iterable<TransformResult>, size = 50, onError: ((r: TransformResult) => void) | undefined, failOnErrors: number | null | undefined): AsyncIterable<BulkRequest> {
  let ops: BulkOperation[] = [];
  for await (const r of results) {
    if (r.errors.length) {
      onError?.(r);
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
