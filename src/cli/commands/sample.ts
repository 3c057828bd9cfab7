/**
 * `scimmap sample pull <mapping> [--limit N]`: reads the mapping's source.from and writes the records to
 * source.sample — the local snapshot the language server and preview use. The snapshot is personal data:
 * written 0600 (atomically, through a temp file) and kept out of git when the user agrees (--gitignore).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMappingFile, MappingFileError } from '../../engine/pipeline';
import { CliIO, Command, EXIT_FAILED, EXIT_OK, UsageError } from '../io';
import { cliSourceRecords, sourceUsageError } from '../source';
import { addToGitignore, gitWorkTreeOf, isIgnoredByGitignore, snapshotFormat, snapshotTargetProblem, writeSnapshot } from '../../sources/snapshot';

const HELP = `Usage: scimmap sample pull <mapping.scimmap.yaml> [--limit N] [--gitignore]

Reads records from the mapping's source.from (an HR system, see docs/sources.md) and writes them to its
source.sample (a .json or .jsonl file), the snapshot the editor and \`scimmap preview\` use.

Options:
  --limit N     keep at most N records (default 1000)
  --gitignore   add the snapshot to the .gitignore of its git work tree (it holds personal data)

Secrets come from the environment variables the mapping names in source.from.auth or connectionEnv.
The snapshot is written with mode 0600. Exit codes: 0 written, 1 the mapping has errors, 2 usage or source error.
`;

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'pull a snapshot of the records from the mapping\'s source (sample pull)',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { limit: { type: 'string' }, gitignore: { type: 'boolean' } } });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const [sub, file, ...extra] = parsed.positionals;
    if (sub !== 'pull' || !file || extra.length) throw new UsageError('usage: scimmap sample pull <mapping> [--limit N] (see --help)');
    const limit = parsed.values.limit === undefined ? 1000 : Number(parsed.values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a whole number of at least 1');
    let loaded;
    try {
      loaded = await loadMappingFile(path.resolve(io.cwd, file));
    } catch (e) {
      if (e instanceof MappingFileError) throw new UsageError(e.message);
      throw e;
    }
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      for (const d of errors.slice(0, 10)) io.stderr.write(`${file}: error ${d.code} ${d.message}\n`);
      io.stderr.write(`scimmap sample: ${file} has ${errors.length} error(s); fix them first (scimmap validate ${file})\n`);
      return EXIT_FAILED;
    }
    const target = loaded.mapping.analysis.samplePath;
    if (!target) throw new UsageError('the mapping has no source.sample: name the snapshot file there (e.g. sample: hr-snapshot.jsonl)');
    const format = snapshotFormat(target, loaded.mapping.analysis.doc.source?.format?.value);
    if (!format) throw new UsageError(`source.sample ${path.basename(target)}: a snapshot is written as .json or .jsonl (records from HR systems are nested), and source.format, if given, must agree`);
    const problem = snapshotTargetProblem(path.resolve(io.cwd, file), target);
    if (problem) throw new UsageError(problem);
    let written;
    try {
      written = await writeSnapshot(target, format, cliSourceRecords(loaded.mapping, io, 'sample pull'), limit);
    } catch (e) {
      throw sourceUsageError(e) ?? e;
    }
    io.stdout.write(`Wrote ${written.records} record(s) to ${path.relative(io.cwd, target) || target} (mode 0600)${written.truncated ? `; stopped at --limit ${limit}` : ''}\n`);
    const repo = gitWorkTreeOf(target);
    if (repo && !isIgnoredByGitignore(repo, target)) {
      if (parsed.values.gitignore) {
        const line = addToGitignore(repo, target);
        io.stdout.write(`Added ${line} to ${path.join(repo, '.gitignore')}\n`);
      } else {
        io.stderr.write(`warning: the snapshot holds personal data and is inside the git work tree ${repo}: keep it out of the repository (run again with --gitignore, or add it to .gitignore)\n`);
      }
    }
    return EXIT_OK;
  },
};
