/** `scimmap diff`: what a mapping change does to the payloads — per attribute, how many records change. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeMappingText } from '../../engine/analysis';
import { nodeFileHost } from '../../engine/analysis/host';
import { inputOf, loadMappingFile, MappingFileError } from '../../engine/pipeline';
import { openRecords, ReaderError } from '../../engine/readers';
import { compileMapping } from '../../engine/transform/compile';
import { BaseError, readBaseMapping } from '../../review/files';
import { compareMappings, Impact } from '../../review/impact';
import { CliIO, Command, EXIT_OK, UsageError } from '../io';
import { evalTimeoutSeconds } from '../watchdog';

const HELP = `Usage: scimmap diff <mapping.scimmap.yaml> --base <git revision | file> [--input FILE] [--limit N]
                    [--examples N] [--format text|json]

Runs the mapping and its base version (a file, or the mapping as committed at a git revision such as HEAD,
main or a commit) on the same records, and reports per target attribute how many records change, with
examples (before → after), and which records start or stop failing.

Options:
  --base REV|FILE   the version to compare with (required)
  --input FILE      records to use (default: the mapping's source.sample)
  --limit N         compare at most the first N records
  --examples N      examples per attribute (default 3)
  --format json     {"records", "changedRecords", "attributes": {path: {"changed", "examples": [{"record",
                    "before", "after"}]}}, "startFailing": {"count", "examples"}, "stopFailing": {…}}

Exit codes: 0 compared (whatever changed), 2 usage or I/O error.
`;

export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare the payloads of a mapping with its base version (git revision or file)',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { base: { type: 'string' }, input: { type: 'string' }, limit: { type: 'string' }, examples: { type: 'string' }, format: { type: 'string', default: 'text' }, 'eval-timeout': { type: 'string' } } });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('name exactly one mapping file (see --help)');
    if (!values.base) throw new UsageError('--base is required: a git revision (HEAD, main, a commit) or a file');
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not '${values.format}'`);
    const limit = wholeNumber(values.limit, '--limit');
    const examples = wholeNumber(values.examples, '--examples') ?? 3;

    const file = positionals[0];
    const mappingPath = path.resolve(io.cwd, file);
    let head;
    let base;
    try {
      head = await loadMappingFile(mappingPath);
      const b = await readBaseMapping(mappingPath, values.base, io.cwd);
      base = compileMapping(analyzeMappingText(b.text, { filePath: mappingPath, host: nodeFileHost }));
    } catch (e) {
      if (e instanceof MappingFileError || e instanceof BaseError) throw new UsageError(e.message);
      throw e;
    }
    const input = inputOf(head.mapping, values.input ? path.resolve(io.cwd, values.input) : undefined);
    const src = head.mapping.analysis.doc.source;
    const watchdog = io.watchdog?.(evalTimeoutSeconds(values['eval-timeout'], io.env));
    let impact: Impact;
    try {
      const records = openRecords(input, values.input ? { encoding: src?.encoding?.value, signal: io.signal } : { format: src?.format?.value, delimiter: src?.delimiter?.value, encoding: src?.encoding?.value, signal: io.signal });
      impact = await compareMappings(base, head.mapping, limited(records, limit), { examples, signal: io.signal });
    } catch (e) {
      if (e instanceof ReaderError) throw new UsageError(e.message);
      throw e;
    } finally {
      watchdog?.stop();
    }
    const baseErrors = base.analysis.diagnostics.filter((d) => d.severity === 'error').length;
    if (values.format === 'json') {
      const { changed: _whole, ...rest } = impact;
      io.stdout.write(JSON.stringify({ base: values.base, input: path.relative(io.cwd, input) || input, ...(baseErrors ? { baseErrors } : {}), ...rest }, null, 2) + '\n');
      return EXIT_OK;
    }
    io.stdout.write(report(impact, file, values.base, path.relative(io.cwd, input) || input, baseErrors));
    return EXIT_OK;
  },
};

function wholeNumber(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number`);
  return n;
}

async function* limited<T>(it: AsyncIterable<T>, limit: number | undefined): AsyncIterable<T> {
  if (limit === 0) return;
  let n = 0;
  for await (const x of it) {
    yield x;
    if (limit !== undefined && ++n >= limit) return;
  }
}

const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));

function report(i: Impact, file: string, base: string, input: string, baseErrors: number): string {
  const lines = [`${file} against ${base}, on ${input} (${i.records} record${i.records === 1 ? '' : 's'})`];
  if (baseErrors) lines.push(`  note: the ${base} version has ${baseErrors} error${baseErrors === 1 ? '' : 's'} of its own`);
  lines.push(`  ${i.changedRecords} record${i.changedRecords === 1 ? '' : 's'} change; ${i.startFailing.count} start failing; ${i.stopFailing.count} stop failing`);
  const paths = Object.entries(i.attributes).sort((a, b) => b[1].changed - a[1].changed || (a[0] < b[0] ? -1 : 1));
  if (!paths.length) lines.push('  no attribute changes');
  const width = Math.min(60, Math.max(0, ...paths.map(([p]) => p.length)));
  for (const [p, a] of paths) {
    lines.push(`  ${p.padEnd(width)}  ${a.changed} record${a.changed === 1 ? '' : 's'}`);
    for (const e of a.examples) lines.push(`      ${e.record}: ${show(e.before)} → ${show(e.after)}`);
  }
  for (const [what, f] of [['start failing', i.startFailing], ['stop failing', i.stopFailing]] as const) {
    if (!f.count) continue;
    lines.push(`  ${what}: ${f.count}`);
    for (const e of f.examples) lines.push(`      ${e.record}: ${e.errors.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
