/** `scimmap test`: runs mapping test files (*.scimmap.test.yaml) and prints a diff per failing case. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMappingFile, MappingFileError } from '../../engine/pipeline';
import { positionSource, toLspDiagnostic } from '../../engine/positions';
import { ReaderError } from '../../engine/readers';
import { updateExpectations } from '../../review/editTests';
import { CaseResult, describeFailure, fileRecordLookup, runCases } from '../../review/runTests';
import { isTestFile, parseTestFile, testFileOf, TestFile } from '../../review/testFile';
import { findFiles, readTestText } from '../../review/files';
import { CliIO, Command, EXIT_FAILED, EXIT_OK, UsageError } from '../io';
import { evalTimeoutSeconds } from '../watchdog';

const HELP = `Usage: scimmap test [mapping or test files, or folders]... [--update [--yes]] [--format text|json]

Runs the cases of mapping test files (<name>.scimmap.test.yaml beside <name>.scimmap.yaml; docs/mapping-tests.md):
each case's record goes through the mapping and must produce exactly the expected SCIM resource (and the
expected record errors). Without arguments, every test file below the current folder runs.

Options:
  --update          rewrite the expectations of failing cases with what the mapping produces now
                    (asks first; --yes answers for you, e.g. in scripts)
  --format text|json  text: a line per case and a diff per failing case; json: every result
  --eval-timeout SEC  stop with exit code 1 when one evaluation runs longer (default 10; 0: no limit)

Exit codes: 0 every case passed (or was updated), 1 a case failed or a file has problems, 2 usage or I/O error.
`;

interface FileRun { file: string; mapping: string; problems: string[]; results: CaseResult[] }

export const testCommand: Command = {
  name: 'test',
  summary: 'run mapping tests (*.scimmap.test.yaml)',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { update: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false }, format: { type: 'string', default: 'text' }, 'eval-timeout': { type: 'string' } } });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not '${values.format}'`);
    const files = testFilesOf(positionals, io.cwd);
    if (!files.length) throw new UsageError(positionals.length ? 'no test files found there (*.scimmap.test.yaml)' : 'no test files (*.scimmap.test.yaml) below this folder');

    const watchdog = io.watchdog?.(evalTimeoutSeconds(values['eval-timeout'], io.env));
    const runs: FileRun[] = [];
    try {
      for (const f of files) runs.push(await runFile(f, io));
    } finally {
      watchdog?.stop();
    }

    const rel = (p: string) => path.relative(io.cwd, p) || p;
    const failing = runs.flatMap((r) => r.results.filter((c) => c.status !== 'passed').map((c) => ({ run: r, c })));
    const problems = runs.some((r) => r.problems.length);
    if (values.format === 'json') {
      io.stdout.write(JSON.stringify(runs.map((r) => ({
        file: rel(r.file), mapping: rel(r.mapping), problems: r.problems,
        cases: r.results.map((c) => ({
          name: c.name, line: c.line + 1, status: c.status, record: c.recordLabel, ...(c.message ? { message: c.message } : {}),
          changes: c.changes.map((d) => ({ path: d.path, expected: d.before, actual: d.after })),
          missingErrors: c.missingErrors, unexpectedErrors: c.unexpectedErrors.map((e) => ({ code: e.code, attribute: e.attribute, message: e.message })),
        })),
      })), null, 2) + '\n');
    } else {
      for (const r of runs) {
        io.stdout.write(`${rel(r.file)}\n`);
        for (const p of r.problems) io.stdout.write(`  ${p}\n`);
        for (const c of r.results) {
          if (c.status === 'passed') { io.stdout.write(`  ✓ ${c.name}\n`); continue; }
          io.stdout.write(`  ✗ ${c.name} — ${c.recordLabel} (${rel(r.file)}:${c.line + 1})\n`);
          for (const line of describeFailure(c)) io.stdout.write(`      ${line}\n`);
        }
      }
      const total = runs.reduce((n, r) => n + r.results.length, 0);
      const failed = failing.filter((f) => f.c.status === 'failed').length;
      const errored = failing.length - failed;
      io.stdout.write(`${total} case${total === 1 ? '' : 's'}: ${total - failing.length} passed, ${failed} failed${errored ? `, ${errored} could not run` : ''}\n`);
    }

    if (!values.update) return failing.length || problems ? EXIT_FAILED : EXIT_OK;
    const updatable = failing.filter((f) => f.c.status === 'failed' && f.c.actual);
    if (!updatable.length) return failing.length || problems ? EXIT_FAILED : EXIT_OK;
    if (!values.yes) {
      const ok = await confirm(io, `Rewrite the expectations of ${updatable.length} failing case${updatable.length === 1 ? '' : 's'} in ${new Set(updatable.map((u) => u.run.file)).size} file(s) with what the mapping produces now? [y/N] `);
      if (!ok) { io.stderr.write('nothing rewritten\n'); return EXIT_FAILED; }
    }
    for (const run of runs) {
      const mine = updatable.filter((u) => u.run === run).map((u) => u.c);
      if (!mine.length) continue;
      fs.writeFileSync(run.file, updateExpectations(fs.readFileSync(run.file, 'utf8'), mine));
      io.stdout.write(`updated ${mine.length} case${mine.length === 1 ? '' : 's'} in ${rel(run.file)}\n`);
    }
    const left = failing.length - updatable.length;
    return left || problems ? EXIT_FAILED : EXIT_OK;
  },
};

/** Mapping files name their test file; folders are searched; nothing given: the current folder. */
function testFilesOf(positionals: string[], cwd: string): string[] {
  const out = new Set<string>();
  for (const p of positionals.length ? positionals : ['.']) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try { st = fs.statSync(abs); } catch { throw new UsageError(`${p}: no such file or folder`); }
    if (st.isDirectory()) for (const f of findFiles(abs, isTestFile)) out.add(f);
    else if (isTestFile(abs)) out.add(abs);
    else if (/\.scimmap\.ya?ml$/i.test(abs)) {
      const t = testFileOf(abs);
      if (!fs.existsSync(t)) throw new UsageError(`${p} has no test file (${path.basename(t)}); create one from the preview ("Create Test from Record") or see docs/mapping-tests.md`);
      out.add(t);
    } else throw new UsageError(`${p} is neither a mapping, a test file nor a folder`);
  }
  return [...out].sort();
}

async function runFile(file: string, io: CliIO): Promise<FileRun> {
  const rel = (p: string) => path.relative(io.cwd, p) || p;
  let parsed: TestFile;
  try {
    parsed = parseTestFile(readTestText(file), file);
  } catch (e) {
    throw new UsageError(`${rel(file)}: ${(e as Error).message}`);
  }
  const run: FileRun = { file, mapping: parsed.mappingPath, problems: parsed.problems.map((p) => `${rel(file)}:${p.line + 1}: ${p.message}`), results: [] };
  let loaded;
  try {
    loaded = await loadMappingFile(parsed.mappingPath);
  } catch (e) {
    if (e instanceof MappingFileError) { run.problems.push(`${rel(file)}: mapping ${e.message}`); return run; }
    throw e;
  }
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const pos = positionSource(loaded.text);
    for (const d of errors) {
      const l = toLspDiagnostic(pos, d);
      run.problems.push(`${rel(parsed.mappingPath)}:${l.range.start.line + 1}:${l.range.start.character + 1}: error ${d.code} ${d.message}`);
    }
    return run;
  }
  const a = loaded.mapping.analysis;
  const needsSample = parsed.cases.some((c) => c.input.kind !== 'inline');
  if (needsSample && !a.samplePath) { run.problems.push(`${rel(file)}: cases name sample records, but the mapping has no source.sample`); return run; }
  try {
    const lookup = needsSample
      ? await fileRecordLookup(a.samplePath!, parsed, loaded.mapping.keyField, { format: a.doc.source?.format?.value, delimiter: a.doc.source?.delimiter?.value, encoding: a.doc.source?.encoding?.value, signal: io.signal })
      : { byKey: () => undefined, byNumber: () => undefined };
    run.results = await runCases(loaded.mapping, parsed.cases, lookup);
  } catch (e) {
    if (e instanceof ReaderError) { run.problems.push(`${rel(a.samplePath!)}: ${e.message}`); return run; }
    throw e;
  }
  return run;
}

/** Asks on the terminal; no terminal (a pipe, CI) means no. */
async function confirm(io: CliIO, question: string): Promise<boolean> {
  const stdin = io.stdin;
  if (!stdin || !(stdin as { isTTY?: boolean }).isTTY) {
    io.stderr.write('not a terminal: pass --yes to rewrite expectations without asking\n');
    return false;
  }
  io.stderr.write(question);
  return new Promise((resolve) => {
    let answer = '';
    const onData = (chunk: Buffer | string) => {
      answer += chunk.toString();
      if (answer.includes('\n')) { stdin.off('data', onData); stdin.pause(); resolve(/^\s*y(es)?\s*$/i.test(answer.split('\n')[0])); }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
