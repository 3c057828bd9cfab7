/** `scimmap server pull`: read a SCIM service provider's discovery endpoints and save them as JSON. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliIO, Command, EXIT_FAILED, EXIT_OK, UsageError } from '../io';
import { loadMappingFile, MappingFileError } from '../../engine/pipeline';
import { checkAgainstServer, ScimClient } from '../../targets/scim';
import { discoverOrExit, scimEndpointOrUsage, scimTokenFromEnv } from './scimUpload';

const HELP = `Usage: scimmap server pull <mapping> --endpoint URL [--out FILE]

Reads the SCIM service provider's /ServiceProviderConfig, /ResourceTypes and /Schemas (bearer token in
SCIMMAP_TOKEN) and writes what it declares as JSON (default: server-schema.json next to the mapping), then lists
what of the mapping the server cannot take. Exit status 1 when there are such errors.
`;

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
    const tokens = scimTokenFromEnv(io.env);
    let loaded;
    try {
      loaded = await loadMappingFile(resolve(io.cwd, mappingPath));
    } catch (e) {
      if (e instanceof MappingFileError) throw new UsageError(e.message);
      throw e;
    }
    const profile = await discoverOrExit(new ScimClient(endpoint), await tokens.getToken(), io);
    const out = resolve(io.cwd, parsed.values.out ?? resolve(resolve(io.cwd, mappingPath), '..', 'server-schema.json'));
    writeFileSync(out, JSON.stringify(profile, null, 2) + '\n');
    io.stdout.write(`wrote ${out}\n`);
    const findings = checkAgainstServer(loaded.mapping, profile);
    for (const f of findings) io.stdout.write(`  ${f.severity}: ${f.code}${f.key ? ` (${f.key})` : ''}: ${f.message}\n`);
    if (!findings.length) io.stdout.write('  the server declares everything this mapping sends\n');
    return findings.some((f) => f.severity === 'error') ? EXIT_FAILED : EXIT_OK;
  },
};
