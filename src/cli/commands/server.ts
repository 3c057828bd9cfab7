/** `scimmap server pull`: read a SCIM service provider's discovery endpoints and save them as JSON. */
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { CliIO, Command, EXIT_FAILED, EXIT_OK, UsageError } from '../io';
import { loadMappingFile, MappingFileError } from '../../engine/pipeline';
import { resolveRelative } from '../../engine/analysis/host';
import { checkAgainstServer, ScimClient } from '../../targets/scim';
import { SERVER_DISCOVERY_FILE, savedFileTargetProblem, writeSavedJson } from '../../delivery/savedFile';
import { discoverOrExit, firstToken, scimEndpointOrUsage, scimTokenFromEnv } from './scimUpload';

const HELP = `Usage: scimmap server pull <mapping> --endpoint URL [--out FILE]

Reads the SCIM service provider's /ServiceProviderConfig, /ResourceTypes and /Schemas (bearer token in
SCIMMAP_TOKEN, or OAuth client credentials in SCIMMAP_SCIM_TOKEN_URL, SCIMMAP_SCIM_CLIENT_ID and
SCIMMAP_SCIM_CLIENT_SECRET[_FILE]; docs/scim-targets.md) and writes what it declares as JSON — to --out FILE, else
to the file the mapping's server: names, else to server-schema.json next to the mapping — then lists what of the
mapping the server cannot take. Commit the file: the editor and scimmap validate check the mapping against it.
Exit status 1 when there are such errors.
`;

/**
 * Where the discovery is saved: --out (the user's own choice), else the mapping's server:, else server-schema.json
 * beside the mapping. A path the mapping names is checked like a snapshot target (the mapping may be hostile).
 */
function savedPath(mappingFile: string, named: string | undefined, out: string | undefined, cwd: string): { file: string; named: boolean } {
  if (out !== undefined) return { file: resolve(cwd, out), named: false };
  const file = named !== undefined ? resolveRelative(dirname(mappingFile), named) : join(dirname(mappingFile), 'server-schema.json');
  const problem = savedFileTargetProblem(mappingFile, file, SERVER_DISCOVERY_FILE);
  if (problem) throw new UsageError(problem);
  return { file, named: named !== undefined };
}

export const serverCommand: Command = {
  name: 'server',
  summary: 'save a SCIM service provider\'s discovery (server pull) and check a mapping against it',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args, strict: true, allowPositionals: true, options: { endpoint: { type: 'string' }, out: { type: 'string' } } });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const [sub, mappingPath, ...rest] = parsed.positionals;
    if (sub !== 'pull' || !mappingPath || rest.length) throw new UsageError('expected: scimmap server pull <mapping> --endpoint URL [--out FILE]');
    if (!parsed.values.endpoint) throw new UsageError('--endpoint URL is required (the SCIM base URL)');
    const endpoint = scimEndpointOrUsage(parsed.values.endpoint, io.env);
    const tokens = scimTokenFromEnv(io.env, endpoint);
    const mappingFile = resolve(io.cwd, mappingPath);
    let loaded;
    try {
      loaded = await loadMappingFile(mappingFile);
    } catch (e) {
      if (e instanceof MappingFileError) throw new UsageError(e.message);
      throw e;
    }
    // Checked before anything is asked of the server: a refused target fails fast.
    const target = savedPath(mappingFile, loaded.mapping.analysis.doc.server?.value, parsed.values.out, io.cwd);
    const profile = await discoverOrExit(new ScimClient(endpoint), await firstToken(tokens), io);
    try {
      writeSavedJson(target.file, profile);
    } catch (e) {
      throw new UsageError(`cannot write ${target.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    io.stdout.write(`wrote ${target.file}\n`);
    if (!target.named && parsed.values.out === undefined) {
      const rel = relative(dirname(mappingFile), target.file).split(sep).join('/');
      io.stderr.write(`note: add \`server: ${rel}\` to ${basename(mappingFile)} to check the mapping against it in the editor and in scimmap validate\n`);
    }
    const findings = checkAgainstServer(loaded.mapping, profile);
    for (const f of findings) io.stdout.write(`  ${f.severity}: ${f.code}${f.key ? ` (${f.key})` : ''}: ${f.message}\n`);
    if (!findings.length) io.stdout.write('  the server declares everything this mapping sends\n');
    return findings.some((f) => f.severity === 'error') ? EXIT_FAILED : EXIT_OK;
  },
};
