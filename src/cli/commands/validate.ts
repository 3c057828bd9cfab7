/** `scimmap validate`: the language server's diagnostics, headless (same function, same codes). */
import { FileRefusedError, readTextFile } from '../../engine/files/boundedReader';
import { parseArgs } from 'node:util';
import { positionSource, toLspDiagnostic } from '../../engine/positions';
import { validateMapping } from '../../engine/validate';
import { nodeFileHost, resolveRelative } from '../../engine/analysis/host';
import { CliIO, Command, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../io';
import { LET_BINDINGS, probe } from '../../engine/watchdog';
import { evalTimeoutSeconds } from '../watchdog';

const HELP = `Usage: scimmap validate <mapping.scimmap.yaml>... [--format text|json] [--no-sample] [--allow-record-errors] [--app FILE] [--eval-timeout SEC]

Checks mapping files: YAML, structure, JSONata syntax, SCIM target paths and types, and — against each
mapping's source.sample — unknown fields, evaluation errors, wrong value types, duplicates, manager links,
what every record needs (externalId, userName as a sign-in name, active), value standards, and findings over
all records (active false everywhere, attributes always empty); with a saved SCIM server discovery (server:,
scimmap server pull) what the server cannot take. A summary per mapping counts the sample
records that would not be sent ("37 of 1,000 records fail: duplicate-external-id 36, missing-user-name 1").

Options:
  --format text|json   text: one line per problem, file:line:col severity code message (1-based)
                       json: [{"file": ..., "diagnostics": [LSP Diagnostic, 0-based ranges]}]
  --no-sample          skip the checks against the sample data
  --sample-records N   check at most N sample records (default 100000)
  --allow-record-errors  exit 0 even when some sample records would not be sent (their errors are still
                       printed); errors in the mapping itself and dataset errors still fail
  --app FILE           check against this saved provisioning app schema (scimmap app pull) instead of
                       the mapping's app: (attributes Entra ignores, unused ones, types, matching)
  --eval-timeout SEC   stop with exit code 1 when one evaluation of a mapping on a record runs longer
                       (default 10, or SCIMMAP_EVAL_TIMEOUT; 0: no limit)

Exit codes: 0 no errors, 1 errors found (including sample records that would not be sent), 2 usage or
I/O error.
`;

const SEVERITY_NAME = ['', 'error', 'warning', 'info', 'hint'];

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check mapping files (the same diagnostics as the editor)',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'text' }, 'no-sample': { type: 'boolean', default: false }, 'sample-records': { type: 'string' }, 'eval-timeout': { type: 'string' }, 'allow-record-errors': { type: 'boolean', default: false }, app: { type: 'string' } } });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not '${values.format}'`);
    if (!positionals.length) throw new UsageError('name at least one mapping file (see --help)');
    const sampleRecords = values['sample-records'] === undefined ? undefined : Number(values['sample-records']);
    if (sampleRecords !== undefined && (!Number.isInteger(sampleRecords) || sampleRecords < 1)) throw new UsageError('--sample-records must be a whole number of at least 1');

    const watchdog = io.watchdog?.(evalTimeoutSeconds(values['eval-timeout'], io.env));
    try {
      const appPath = values.app === undefined ? undefined : resolveRelative(io.cwd, values.app);
      if (appPath && !nodeFileHost.exists(appPath)) throw new UsageError(`--app: ${values.app} does not exist`);
      return await validateFiles(positionals, values.format, !values['no-sample'], sampleRecords, io, values['allow-record-errors'] === true, appPath);
    } finally {
      watchdog?.stop();
    }
  },
};

async function validateFiles(positionals: string[], format: string, useSample: boolean, sampleRecords: number | undefined, io: CliIO, allowRecordErrors: boolean, appPath?: string): Promise<number> {
  const results: { file: string; diagnostics: ReturnType<typeof toLspDiagnostic>[] }[] = [];
  let errors = 0;
  let ioError = false;
  for (const file of positionals) {
    const abs = resolveRelative(io.cwd, file);
    let text: string;
    try {
      // Editors drop a byte order mark before the server sees the text: drop it too, so positions agree.
      // (readTextFile drops it, and refuses FIFOs, devices, UNC paths and files over the mapping cap.)
      text = readTextFile(abs, 'mapping');
    } catch (e) {
      io.stderr.write(`scimmap validate: ${file}: ${e instanceof FileRefusedError ? e.reason : `cannot be read (${(e as Error).message})`}\n`);
      ioError = true;
      continue;
    }
    probe(LET_BINDINGS, -1); // the sample evaluation starts with the let bindings of every record
    const r = await validateMapping(text, { filePath: abs, useSample, sampleRecords, appPath });
    const pos = positionSource(text);
    const diagnostics = r.diagnostics.map((d) => toLspDiagnostic(pos, d));
    errors += r.diagnostics.filter((d) => d.severity === 'error' && !(allowRecordErrors && d.scope === 'record')).length;
    results.push({ file, diagnostics });
    if (format === 'text') {
      for (const d of diagnostics) {
        io.stdout.write(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY_NAME[d.severity ?? 1]} ${d.code} ${d.message}\n`);
      }
    }
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  if (ioError) return EXIT_USAGE;
  return errors ? EXIT_FAILED : EXIT_OK;
}
