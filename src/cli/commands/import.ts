/** `scimmap import csv2scim`: a CSV2SCIM AttributeMapping.psd1 → a *.scimmap.yaml next to it (or --out). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveRelative } from '../../engine/analysis/host';
import { defaultOutPath, ImportFileError, importCsv2ScimFiles } from '../../migrate/csv2scim/files';
import { CliIO, Command, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../io';

const HELP = `Usage: scimmap import csv2scim <AttributeMapping.psd1> [--csv FILE] [--out FILE] [--force]

Translates a CSV2SCIM attribute mapping (PowerShell data file) into a SCIM Mapper mapping file.
Column names, nested hashtables, @( @{ type = { 'work' }; … } ) elements, urn: keys and the common script-block
shapes ($_.'Col' -eq 'x', -ne, -like, -match, -replace, -and, -or, -not, +, if/else, constants) are translated
with PowerShell's case-insensitive comparisons. Anything else is kept as a TODO comment and reported.

Options:
  --csv FILE    the HR export the mapping is used with: columns are matched against its header ignoring case
                (as PowerShell does) and it becomes the mapping's source.sample
  --out FILE    where to write (default: <name>.scimmap.yaml next to the .psd1); an existing file is kept
                unless --force
  --force       overwrite --out

Exit codes: 0 translated completely, 1 written with TODOs (or errors in the .psd1), 2 usage or I/O error.
See docs/migrating-from-csv2scim.md.
`;

export const importCommand: Command = {
  name: 'import',
  summary: 'import a CSV2SCIM AttributeMapping.psd1 as a mapping file',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { csv: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } } });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const [kind, file, ...rest] = parsed.positionals;
    if (kind !== 'csv2scim') throw new UsageError(kind ? `unknown import kind '${kind}' (only csv2scim)` : 'name what to import: scimmap import csv2scim <AttributeMapping.psd1>');
    if (!file) throw new UsageError('name the AttributeMapping.psd1 file');
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);

    const psd1Path = resolveRelative(io.cwd, file);
    const outPath = parsed.values.out ? resolveRelative(io.cwd, parsed.values.out) : defaultOutPath(psd1Path);
    if (fs.existsSync(outPath) && !parsed.values.force) throw new UsageError(`${path.relative(io.cwd, outPath) || outPath} exists; pass --force to overwrite it`);
    let result;
    try {
      result = await importCsv2ScimFiles({ psd1Path, csvPath: parsed.values.csv ? resolveRelative(io.cwd, parsed.values.csv) : undefined, outPath });
    } catch (e) {
      if (e instanceof ImportFileError) throw new UsageError(e.message);
      throw e;
    }
    for (const d of result.diagnostics) {
      io.stderr.write(`${file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}\n`);
    }
    if (result.text === undefined) return EXIT_FAILED;
    try {
      fs.writeFileSync(outPath, result.text);
    } catch (e) {
      io.stderr.write(`scimmap import: cannot write ${outPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT_USAGE;
    }
    const rel = path.relative(io.cwd, outPath) || outPath;
    io.stdout.write(`wrote ${rel}: ${result.mapped} mapping${result.mapped === 1 ? '' : 's'}${result.todo ? `, ${result.todo} kept as TODO comments` : ''}\n`);
    io.stdout.write(`next: scimmap validate ${rel}\n`);
    return result.todo || result.diagnostics.some((d) => d.severity === 'error') ? EXIT_FAILED : EXIT_OK;
  },
};
