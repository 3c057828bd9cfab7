/** `scimmap init`: drafts a mapping file from a sample's field names (the editor's "New Mapping from Sample"). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveRelative } from '../../engine/analysis/host';
import { scaffoldFromFile } from '../../engine/scaffold';
import { CliIO, Command, EXIT_OK, UsageError } from '../io';

const HELP = `Usage: scimmap init --from <sample.csv|.tsv|.json|.jsonl> [--out <mapping.scimmap.yaml>] [--force]

Drafts a mapping file from the field names (and first records) of an HR export: common names such as WorkerID,
FirstName, Email, Status, ManagerID, StreetAddress, ZipCode or HireDate are mapped to the SCIM attributes Entra
expects, the others are listed in a comment. Review every line, then run scimmap validate.

Options:
  --from FILE   the sample to draft from (read through the same bounded reader as every sample)
  --out FILE    write the draft there (source.sample is then relative to it); refuses to overwrite an
                existing file unless --force. Default: print the draft on stdout.
  --force       overwrite --out if it exists

Exit codes: 0 drafted, 2 usage or I/O error (the sample cannot be read, --out exists).
`;

export const initCommand: Command = {
  name: 'init',
  summary: 'draft a mapping file from a sample',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: false, options: { from: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } } });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values } = parsed;
    if (!values.from) throw new UsageError('name the sample with --from FILE (see --help)');
    const sample = resolveRelative(io.cwd, values.from);
    const out = values.out === undefined ? undefined : resolveRelative(io.cwd, values.out);
    // source.sample as the mapping resolves it: relative to the mapping's folder (the current folder for stdout).
    const ref = path.relative(out ? path.dirname(out) : io.cwd, sample).split(path.sep).join('/') || path.basename(sample);
    let text: string;
    try {
      text = (await scaffoldFromFile(sample, ref)).text;
    } catch (e) {
      throw new UsageError(`${values.from}: ${(e as Error).message.replace(`${sample}: `, '')}`);
    }
    if (!out) {
      io.stdout.write(text);
      return EXIT_OK;
    }
    try {
      fs.writeFileSync(out, text, { flag: values.force ? 'w' : 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'EEXIST' ? `${values.out} exists; pass --force to overwrite it` : `${values.out}: cannot be written (${code ?? (e as Error).message})`);
    }
    io.stderr.write(`scimmap init: wrote ${values.out}; review it, then run scimmap validate ${values.out}\n`);
    return EXIT_OK;
  },
};
