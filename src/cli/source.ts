/** `--from-source` for the CLI commands: the mapping's `source.from`, secrets from the environment, progress on stderr. */
import { createHash } from 'node:crypto';
import { fileIdentity, type InputIdentity } from '../delivery/journal';
import { inputOf, transformFile, transformRecords, type CompiledMapping, type TransformResult } from '../engine/pipeline';
import type { SourceRecord } from '../engine/readers';
import { envSecrets, openSource, SourceError, sourceTarget } from '../sources';
import type { SourceConfig } from '../engine/mapping/sourceFromModel';
import { CliIO, UsageError } from './io';

export function sourceConfigOf(mapping: CompiledMapping): SourceConfig {
  const from = mapping.analysis.doc.source?.from;
  if (!from) throw new UsageError('the mapping has no source.from: --from-source needs one (see docs/sources.md)');
  if (!from.config) throw new UsageError('source.from has errors; fix them first (scimmap validate)');
  return from.config;
}

/** The records of the mapping's source, streamed; progress lines go to stderr (records and pages, never data). */
export function cliSourceRecords(mapping: CompiledMapping, io: CliIO, command: string): AsyncIterable<SourceRecord> {
  const config = sourceConfigOf(mapping);
  const err = (line: string) => void io.stderr.write(`${line}\n`);
  err(`scimmap ${command}: reading from the ${config.type} source at ${sourceTarget(config, (n) => io.env[n])}`);
  const backoff = io.env.SCIMMAP_SOURCE_BACKOFF_MS ? Number(io.env.SCIMMAP_SOURCE_BACKOFF_MS) : undefined;
  const stream = openSource(config, {
    secrets: envSecrets(io.env),
    signal: io.signal,
    backoffMs: backoff !== undefined && Number.isFinite(backoff) && backoff >= 0 ? backoff : undefined,
    onPage: (p) => err(`source: ${p.records} record(s) in ${p.pages} ${config.type === 'sql' ? 'batch' : 'page'}${p.pages === 1 ? '' : 'es'.slice(config.type === 'sql' ? 0 : 1)}`),
    onRetry: (r) => err(`source: page ${r.page}: ${r.reason}; retrying in ${(r.delayMs / 1000).toFixed(1)} s (attempt ${r.attempt + 1})`),
  });
  return stream;
}

/** Source failures are one line, exit 2 (like a file that cannot be read). */
export function sourceUsageError(e: unknown): UsageError | undefined {
  return e instanceof SourceError ? new UsageError(e.message) : undefined;
}

export interface UploadInput {
  /** The export file (--input or source.sample); undefined with --from-source. */
  file?: string;
  /** A fresh pass over the mapped records (uploads read them twice: once to check, once to send). */
  results(): AsyncIterable<TransformResult>;
  /** What the journal fingerprints. */
  identity(): Promise<InputIdentity>;
}

/**
 * The records of `scimmap upload`, for both targets: the file, or (`--from-source`) the mapping's source.from.
 * `input` is the resolved --input, if any. Throws UsageError when the mapping has neither a file nor a source.
 */
export function uploadInput(m: CompiledMapping, io: CliIO, o: { fromSource: boolean; input?: string; limit?: number }): UploadInput {
  if (o.fromSource) {
    const config = sourceConfigOf(m);
    return {
      results: () => transformRecords(m, cliSourceRecords(m, io, 'upload'), { limit: o.limit, signal: io.signal }),
      // A live source has no file to fingerprint: the journal names the source (never a secret) instead.
      identity: async () => ({ path: `source.from ${config.type}`, size: 0, sha256: createHash('sha256').update(JSON.stringify(config)).digest('hex') }),
    };
  }
  let file: string;
  try {
    file = inputOf(m, o.input);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return { file, results: () => transformFile(m, { input: o.input, limit: o.limit, signal: io.signal }), identity: () => fileIdentity(file) };
}
