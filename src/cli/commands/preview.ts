/** `scimmap preview`: HR records → SCIM resources or BulkRequests, streamed. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMappingFile, MappingFileError, toBulkRequests, transformFile, transformRecords, TransformResult } from '../../engine/pipeline';
import { cliSourceRecords, sourceUsageError } from '../source';
import { positionSource, toLspDiagnostic } from '../../engine/positions';
import { ReaderError } from '../../engine/readers';
import { CliIO, Command, EXIT_FAILED, EXIT_OK, UsageError } from '../io';
import { evalTimeoutSeconds } from '../watchdog';
import { DEFAULT_LIMITS } from '../../engine/jsonata/compile';
import { computeEntraUser, entraUserJson } from '../../targets/entra/app/entraUser';

const HELP = `Usage: scimmap preview <mapping.scimmap.yaml> [--input FILE | --from-source] [--format users|bulk|ndjson|entra|records] [--app FILE] [--limit N] [--eval-timeout SEC]

Transforms HR records with a mapping and prints the SCIM payloads.

Options:
  --input FILE      read records from FILE instead of the mapping's source.sample (csv, json, jsonl)
  --from-source     read records from the mapping's source.from (an HR system, docs/sources.md), page by
                    page; progress (records, pages) on stderr; secrets from the variables it names
  --format F        users: a JSON array of SCIM User resources (default)
                    bulk: a JSON array of BulkRequest objects (as uploaded; 50 operations each for Entra)
                    ndjson: one resource per line, streamed (for large files)
                    entra: a JSON array with one object per record: Entra user property → the value
                    the provisioning app's attribute mappings compute ({"computedByEntra": why} where
                    only Entra can compute it). Needs the app schema (the mapping's app:, or --app)
                    records: a JSON array with one entry per input record, sent or not:
                    {"record", "key", "status": "ok"|"error"|"skipped", "errors" | "skipped" | "resource"}
  --app FILE        the saved provisioning app schema (scimmap app pull) instead of the mapping's app:
  --limit N         transform at most the first N records
  --eval-timeout SEC  stop with exit code 1 when one evaluation of a mapping on a record runs longer
                    (default 10, or SCIMMAP_EVAL_TIMEOUT; 0: no limit)

Records that fail are reported on stderr (record number, key, attribute, message) and left out;
the others are still printed. Records skipped without an error (a duplicate with source.duplicates:
first|last) are not sent either: one "skipped:" line each on stderr, and a count at the end. Exit codes: 0 all records ok, 1 some record failed or the mapping has
errors, 2 usage or I/O error.
`;

function describe(r: TransformResult): string[] {
  return r.errors.map((e) => `record ${e.index + 1}${e.key ? ` (${e.key})` : ''}${e.attribute ? ` ${e.attribute}` : ''}: ${e.code}: ${e.message}`);
}

export const previewCommand: Command = {
  name: 'preview',
  summary: 'transform records and print SCIM users or bulk requests',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { input: { type: 'string' }, 'from-source': { type: 'boolean' }, format: { type: 'string', default: 'users' }, limit: { type: 'string' }, 'eval-timeout': { type: 'string' }, app: { type: 'string' } } });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('name exactly one mapping file (see --help)');
    const format = values.format!;
    if (!['users', 'bulk', 'ndjson', 'entra', 'records'].includes(format)) throw new UsageError(`--format must be users, bulk, ndjson, entra or records, not '${format}'`);
    if (values.input && values['from-source']) throw new UsageError('--input and --from-source exclude each other');
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new UsageError('--limit must be a whole number');

    const file = positionals[0];
    let loaded;
    try {
      loaded = await loadMappingFile(path.resolve(io.cwd, file), DEFAULT_LIMITS, {}, values.app === undefined ? undefined : path.resolve(io.cwd, values.app));
    } catch (e) {
      if (e instanceof MappingFileError) throw new UsageError(e.message.replace(/^\/.*?: /, `${file}: `));
      throw e;
    }
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      const pos = positionSource(loaded.text);
      for (const d of errors) {
        const l = toLspDiagnostic(pos, d);
        io.stderr.write(`${file}:${l.range.start.line + 1}:${l.range.start.character + 1} error ${d.code} ${d.message}\n`);
      }
      io.stderr.write(`scimmap preview: ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (scimmap validate ${file})\n`);
      return EXIT_FAILED;
    }
    const app = loaded.mapping.analysis.app;
    if (format === 'entra' && !app?.model) {
      throw new UsageError(app ? `the provisioning app schema ${app.path} ${app.error}` : `--format entra needs the provisioning app schema: add app: FILE to ${file} or pass --app FILE (save it with scimmap app pull)`);
    }
    const input = values.input ? path.resolve(io.cwd, values.input) : undefined;
    const watchdog = io.watchdog?.(evalTimeoutSeconds(values['eval-timeout'], io.env));
    let failed = 0;
    let count = 0;
    let skipped = 0;
    const warned = new Map<string, number>();
    const onFail = (r: TransformResult) => {
      failed++;
      for (const line of describe(r)) io.stderr.write(`${line}\n`);
    };
    // Skipped records (source.duplicates: first|last) are not failures, but they are not sent either: a line each.
    const onSkipped = (r: TransformResult) => {
      skipped++;
      io.stderr.write(`${skippedLine(r)}\n`);
    };
    const noteWarnings = (r: TransformResult) => {
      for (const code of new Set(r.warnings.map((w) => w.code))) warned.set(code, (warned.get(code) ?? 0) + 1);
    };
    try {
      const results = values['from-source']
        ? transformRecords(loaded.mapping, cliSourceRecords(loaded.mapping, io, 'preview'), { limit, signal: io.signal })
        : transformFile(loaded.mapping, { input, limit, signal: io.signal, onWarning: (w) => io.stderr.write(`${w.code === 'unwrapped' ? 'note' : 'warning'}: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}\n`) });
      if (format === 'bulk') {
        let first = true;
        io.stdout.write('[');
        for await (const req of toBulkRequests(tap(results, noteWarnings), loaded.mapping.bulkSize, onFail, loaded.mapping.failOnErrors, onSkipped)) {
          count += req.Operations.length;
          await write(io, `${first ? '\n' : ',\n'}${JSON.stringify(req, null, 2)}`);
          first = false;
        }
        io.stdout.write(first ? ']\n' : '\n]\n');
      } else if (format === 'records') {
        // Every record with its status, so that a skipped one never reads like one that is sent.
        let first = true;
        io.stdout.write('[');
        for await (const r of results) {
          if (r.errors.length) onFail(r);
          else if (r.skipped) onSkipped(r);
          else {
            noteWarnings(r);
            count++;
          }
          await write(io, `${first ? '\n' : ',\n'}${JSON.stringify(recordEntry(r), null, 2)}`);
          first = false;
        }
        io.stdout.write(first ? ']\n' : '\n]\n');
      } else {
        let first = true;
        if (format !== 'ndjson') io.stdout.write('[');
        for await (const r of results) {
          if (r.errors.length) {
            onFail(r);
            continue;
          }
          if (r.skipped) {
            onSkipped(r);
            continue;
          }
          noteWarnings(r);
          count++;
          if (format === 'ndjson') await write(io, `${JSON.stringify(r.resource)}\n`);
          else if (format === 'entra') {
            const user = entraUserJson(computeEntraUser(r.resource as Record<string, unknown>, app!.model!));
            await write(io, `${first ? '\n' : ',\n'}${JSON.stringify(user, null, 2)}`);
            first = false;
          } else {
            await write(io, `${first ? '\n' : ',\n'}${JSON.stringify(r.resource, null, 2)}`);
            first = false;
          }
        }
        if (format !== 'ndjson') io.stdout.write(first ? ']\n' : '\n]\n');
      }
    } catch (e) {
      if (e instanceof ReaderError || e instanceof MappingFileError) throw new UsageError(e.message);
      throw sourceUsageError(e) ?? e;
    } finally {
      watchdog?.stop();
    }
    if (warned.size) io.stderr.write(`warning: records with value warnings (still sent): ${[...warned].map(([c, n]) => `${c} ${n}`).join(', ')} (scimmap validate shows where)\n`);
    if (skipped) io.stderr.write(`${skipped} record${skipped === 1 ? '' : 's'} skipped, not sent (source.duplicates: ${loaded.mapping.duplicates})\n`);
    if (failed || skipped) io.stderr.write(`${count} ok, ${failed} failed, ${skipped} skipped\n`);
    return failed ? EXIT_FAILED : EXIT_OK;
  },
};

/** "skipped: record 3 (1001): duplicate-skipped: externalId "1001" was already sent with record 1; …". */
function skippedLine(r: TransformResult): string {
  const s = r.skipped!;
  return `skipped: record ${r.index + 1}${r.key ? ` (${r.key})` : ''}: ${s.code}: ${s.message}`;
}

/** One entry of `--format records`: the record's status and, by status, its errors, the reason it is skipped or its payload. */
export function recordEntry(r: TransformResult): Record<string, unknown> {
  const head = { record: r.index + 1, ...(r.key === undefined ? {} : { key: r.key }) };
  if (r.errors.length) return { ...head, status: 'error', errors: r.errors.map((e) => ({ code: e.code, ...(e.attribute ? { attribute: e.attribute } : {}), message: e.message })) };
  if (r.skipped) return { ...head, status: 'skipped', skipped: { code: r.skipped.code, message: r.skipped.message } };
  return { ...head, status: 'ok', resource: r.resource, ...(r.warnings.length ? { warnings: r.warnings.map((w) => ({ code: w.code, ...(w.attribute ? { attribute: w.attribute } : {}), message: w.message })) } : {}) };
}

async function* tap<T>(items: AsyncIterable<T>, f: (x: T) => void): AsyncIterable<T> {
  for await (const x of items) {
    f(x);
    yield x;
  }
}

/** Respects back-pressure so streaming a million records keeps memory flat. */
function write(io: CliIO, chunk: string): Promise<void> | void {
  if (io.stdout.write(chunk)) return;
  return new Promise((resolve) => io.stdout.once('drain', () => resolve()));
}
