/** `scimmap app`: the provisioning app behind the bulkUpload endpoint — its schema (pull, push) and its job. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeMappingText } from '../../engine/analysis';
import { FileHost, nodeFileHost, resolveRelative } from '../../engine/analysis/host';
import { FileRefusedError, readTextFile } from '../../engine/files/boundedReader';
import { savedSchemaTargetProblem, writeSavedSchema } from '../../targets/entra/app/savedSchema';
import { AuthError, tokenProviderFromEnv } from '../../targets/entra/upload/auth';
import { EndpointError, parseEndpoint, UploadEndpoint } from '../../targets/entra/upload/endpoint';
import { redact, redactError } from '../../delivery/redact';
import type { TokenProvider } from '../../delivery/types';
import { AppGraphError, getAppSchema, getJobStatus, jobAction, jobWarning, putAppSchema } from '../../targets/entra/app/graph';
import { describePlan, planPush } from '../../targets/entra/app/push';
import { appModel } from '../../targets/entra/app/schema';
import { CliIO, Command, EXIT_FAILED, EXIT_OK, UsageError } from '../io';

const HELP = `Usage: scimmap app pull <mapping> --endpoint URL [--out FILE]
       scimmap app push <mapping> --endpoint URL [--attribute NAME]... [--map SOURCE=PROPERTY]... [--yes]
       scimmap app status|start|pause|restart --endpoint URL

The provisioning app behind the bulkUpload endpoint (--endpoint is the app's Provisioning API Endpoint; its
service principal and job are taken from it).

  pull     saves the app's synchronizationSchema as Graph returns it (JSON; no secrets, no personal data) to
           --out, else to the mapping's app: file, else to app-schema.json beside the mapping. Commit it:
           validate, preview and the editor use it offline (mapping key app:, or --app FILE).
  push     adds the attributes the mapping sends that the app's source attribute list lacks (types from the
           mapping's schema) — only those named with --attribute when given — and, with --map, Direct
           attribute mappings SOURCE → Entra PROPERTY. Prints the change and asks first unless --yes. Reads
           the schema right before writing it back whole, and refreshes the saved schema file.
  status   the job's state; warns when it is paused or quarantined (uploads are staged, not processed).
  start, pause, restart
           the job actions (restart lifts a quarantine and resets the job's scope).

Permissions: reading needs Synchronization.Read.All, writing (push, start, pause, restart)
Synchronization.ReadWrite.All. Credentials as for scimmap upload (SCIMMAP_TOKEN, or SCIMMAP_TENANT_ID,
SCIMMAP_CLIENT_ID and SCIMMAP_CLIENT_SECRET, SCIMMAP_CLIENT_SECRET_FILE or SCIMMAP_CLIENT_CERTIFICATE_PATH).

Exit codes: 0 ok, 1 refused or failed (Graph error, declined), 2 usage or I/O error.
`;

const ACTIONS = ['pull', 'push', 'status', 'start', 'pause', 'restart'] as const;

export const appCommand: Command = {
  name: 'app',
  summary: "read and change the provisioning app's schema and job (pull, push, status, start, pause, restart)",
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args, allowPositionals: true,
        options: { endpoint: { type: 'string' }, out: { type: 'string' }, yes: { type: 'boolean', default: false }, attribute: { type: 'string', multiple: true }, map: { type: 'string', multiple: true }, format: { type: 'string', default: 'text' } },
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    const [action, mapping, ...extra] = positionals;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`name an action: ${ACTIONS.join(', ')} (see --help)`);
    const needsMapping = action === 'pull' || action === 'push';
    if (needsMapping && !mapping) throw new UsageError(`app ${action} needs the mapping file`);
    if ((!needsMapping && mapping) || extra.length) throw new UsageError(`unexpected argument '${needsMapping ? extra[0] : mapping}'`);
    if (!values.endpoint) throw new UsageError('--endpoint URL is required (the app\'s Provisioning API Endpoint)');
    let ep: UploadEndpoint;
    try {
      ep = parseEndpoint(values.endpoint);
    } catch (e) {
      if (e instanceof EndpointError) throw new UsageError(e.message);
      throw e;
    }
    let tokens: TokenProvider;
    try {
      tokens = tokenProviderFromEnv(io.env, { endpoint: ep });
    } catch (e) {
      if (e instanceof AuthError) throw new UsageError(redactError(e));
      throw e;
    }
    const err = (line: string) => void io.stderr.write(redact(line) + '\n');
    try {
      switch (action) {
        case 'pull':
          return await pull(ep, tokens, path.resolve(io.cwd, mapping!), values.out ? path.resolve(io.cwd, values.out) : undefined, io, err);
        case 'push':
          return await push(ep, tokens, path.resolve(io.cwd, mapping!), values.attribute ?? [], values.map ?? [], values.yes!, io, err);
        case 'status': {
          const s = await getJobStatus(ep, tokens);
          if (values.format === 'json') io.stdout.write(JSON.stringify(s, null, 2) + '\n');
          else io.stdout.write(`job ${ep.jobId}: ${s.code}${s.lastExecution?.timeEnded ? `, last cycle ended ${s.lastExecution.timeEnded}` : ''}\n`);
          const w = jobWarning(s);
          if (w) err(`warning: ${w}`);
          return EXIT_OK;
        }
        default:
          await jobAction(ep, tokens, action as 'start' | 'pause' | 'restart');
          io.stdout.write(`job ${ep.jobId}: ${action} requested\n`);
          return EXIT_OK;
      }
    } catch (e) {
      if (e instanceof AppGraphError) {
        err(`scimmap app ${action}: ${e.message}`);
        return EXIT_FAILED;
      }
      throw new Error(redactError(e));
    }
  },
};

function readMapping(file: string): string {
  try {
    return readTextFile(file, 'mapping');
  } catch (e) {
    if (e instanceof FileRefusedError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * Where the schema is saved: --out, else the mapping's app:, else app-schema.json beside the mapping. A path the
 * mapping names is checked like a snapshot target (the mapping may be hostile); --out is the user's own choice.
 */
function savedPath(mappingFile: string, text: string): { file: string; named: boolean } {
  const a = analyzeMappingText(text, { filePath: mappingFile });
  const file = a.doc.app ? resolveRelative(path.dirname(mappingFile), a.doc.app.value) : path.join(path.dirname(mappingFile), 'app-schema.json');
  const problem = savedSchemaTargetProblem(mappingFile, file);
  if (problem) throw new UsageError(problem);
  return { file, named: !!a.doc.app };
}

function writeSchema(file: string, schema: unknown): void {
  try {
    writeSavedSchema(file, schema);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

async function pull(ep: UploadEndpoint, tokens: TokenProvider, mappingFile: string, out: string | undefined, io: CliIO, err: (l: string) => void): Promise<number> {
  const text = readMapping(mappingFile);
  const target = out ? { file: out, named: false } : savedPath(mappingFile, text);
  const schema = await getAppSchema(ep, tokens);
  writeSchema(target.file, schema);
  const rel = path.relative(path.dirname(mappingFile), target.file).split(path.sep).join('/');
  io.stdout.write(`saved the provisioning app schema to ${target.file}\n`);
  if (!target.named) err(`note: add \`app: ${rel}\` to ${path.basename(mappingFile)} (or pass --app ${rel} to validate and preview) to check the mapping against it`);
  return EXIT_OK;
}

async function push(ep: UploadEndpoint, tokens: TokenProvider, mappingFile: string, only: string[], maps: string[], yes: boolean, io: CliIO, err: (l: string) => void): Promise<number> {
  const text = readMapping(mappingFile);
  const mappingPairs = maps.map((m) => {
    const i = m.lastIndexOf('=');
    if (i <= 0 || i === m.length - 1) throw new UsageError(`--map takes SOURCE=PROPERTY, e.g. urn:…:User:HireDate=employeeHireDate; got '${m}'`);
    return { source: m.slice(0, i), target: m.slice(i + 1) };
  });
  const current = await getAppSchema(ep, tokens);
  // The mapping checked against the schema just read: its app-attribute-missing findings are what to add.
  const virtual = path.join(path.dirname(mappingFile), '\u0000current-app-schema.json');
  const currentText = JSON.stringify(current);
  const host: FileHost = {
    readText: (p, kind) => (p === virtual ? currentText : nodeFileHost.readText(p, kind)),
    exists: (p) => p === virtual || nodeFileHost.exists(p),
    refusal: (p, kind) => (p === virtual ? undefined : nodeFileHost.refusal?.(p, kind)),
  };
  const analysis = analyzeMappingText(text, { filePath: mappingFile, host, appPath: virtual });
  const missing = analysis.diagnostics.filter((d) => d.code === 'app-attribute-missing').map((d) => d.data as { attribute: string; type: string });
  const lower = new Set(only.map((o) => o.toLowerCase()));
  for (const o of only) if (!missing.some((m) => m.attribute.toLowerCase() === o.toLowerCase()) && !appModel(current).attributes.has(o.toLowerCase())) {
    throw new UsageError(`--attribute ${o}: the mapping does not send it`);
  }
  const attributes = only.length ? missing.filter((m) => lower.has(m.attribute.toLowerCase())) : missing;
  const saved = savedPath(mappingFile, text);
  const plan = planPush(current, { attributes: attributes.map((a) => ({ name: a.attribute, type: a.type })), mappings: mappingPairs });
  if (!plan.addedAttributes.length && !plan.addedMappings.length) {
    io.stdout.write('The provisioning app already has every attribute the mapping sends; nothing to push.\n');
    if (plan.skipped.length) io.stdout.write(describePlan(plan, appModel(current).sourceDirectory.name) + '\n');
    if (saved.named) writeSchema(saved.file, current);
    return plan.skipped.length ? EXIT_FAILED : EXIT_OK;
  }
  io.stdout.write(`Changes to the provisioning app (job ${ep.jobId}):\n${describePlan(plan, appModel(current).sourceDirectory.name)}\n`);
  if (!yes) {
    if (!io.confirm) {
      err('not pushed: confirm with --yes (no terminal to ask on)');
      return EXIT_FAILED;
    }
    if (!(await io.confirm('Write these changes to the provisioning app?'))) {
      err('not pushed');
      return EXIT_FAILED;
    }
  }
  await putAppSchema(ep, tokens, plan.schema);
  io.stdout.write(`pushed: ${plan.addedAttributes.length} attribute(s), ${plan.addedMappings.length} mapping(s)\n`);
  // Refresh the saved copy from Graph so offline checks see what the app now has.
  if (saved.named) {
    writeSchema(saved.file, await getAppSchema(ep, tokens));
    io.stdout.write(`refreshed ${saved.file}\n`);
  }
  return EXIT_OK;
}
