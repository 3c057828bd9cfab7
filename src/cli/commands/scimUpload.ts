/** `scimmap upload` for a `target: scim` mapping: discovery, compatibility check, then the two-pass send. */
import { resolve } from 'node:path';
import { CliIO, EXIT_FAILED, EXIT_OK, UsageError } from '../io';
import { toBulkRequests, type CompiledMapping, type TransformResult } from '../../engine/pipeline';
import type { EngineDiagnostic } from '../../engine/types';
import { ReaderError } from '../../engine/readers';
import { JournalError } from '../../delivery/journal';
import { redact, redactError, registerSecret } from '../../delivery/redact';
import type { TokenProvider } from '../../delivery/types';
import { bulkLimitsOf, checkAgainstServer, discover, DiscoveryError, EndpointError, findingLine, isEntraEndpoint, parseScimEndpoint, refusalLine, SCIM_RATE_PER_SECOND, ScimAuthError, ScimClient, scimTokenProvider, sendToScim, type CompatFinding, type ScimAuth, type ScimEndpoint, type ScimUploadSummary, type ScimVia, type ServerProfile } from '../../targets/scim';
import { CLIENT_AUTH_METHODS, type ClientAuthMethod } from '../../delivery/oauth';
import { AuthError, readSecretFile } from '../../targets/entra/upload/auth';
import { describeProgress, type UploadArgs } from './upload';
import { fromSavedServer } from '../../engine/analysis/serverSchema';
import { sourceUsageError, uploadInput } from '../source';
import { destinationProblem } from '../../engine/checks/preflight';
import { checkBeforeSending, mappingErrorsStop } from '../sendGate';
import { notAcceptedLines, resumeLines, transformErrorLines } from '../summaryLines';
import { openUploadJournal } from '../uploadJournal';

interface Loaded {
  mapping: CompiledMapping;
  diagnostics: EngineDiagnostic[];
  text: string;
}

export function scimEndpointOrUsage(raw: string, env: NodeJS.ProcessEnv): ScimEndpoint {
  try {
    return parseScimEndpoint(raw, env);
  } catch (e) {
    if (e instanceof EndpointError) throw new UsageError(e.message);
    throw e;
  }
}

/** The SCIM OAuth client-credentials variables (the Entra ones, SCIMMAP_CLIENT_ID …, are for Entra's sign-in). */
export const SCIM_OAUTH_ENV = ['SCIMMAP_SCIM_TOKEN_URL', 'SCIMMAP_SCIM_CLIENT_ID', 'SCIMMAP_SCIM_CLIENT_SECRET', 'SCIMMAP_SCIM_CLIENT_SECRET_FILE'] as const;

/** True when the environment names any SCIM credential (bearer or OAuth). */
export function hasScimCredentials(env: NodeJS.ProcessEnv): boolean {
  return !!env.SCIMMAP_TOKEN || SCIM_OAUTH_ENV.some((k) => !!env[k]);
}

/**
 * The SCIM sign-in from the environment: SCIMMAP_TOKEN (a bearer token the app issued), or OAuth 2.0 client
 * credentials: SCIMMAP_SCIM_TOKEN_URL + SCIMMAP_SCIM_CLIENT_ID + (SCIMMAP_SCIM_CLIENT_SECRET |
 * SCIMMAP_SCIM_CLIENT_SECRET_FILE) [+ SCIMMAP_SCIM_SCOPE, SCIMMAP_SCIM_RESOURCE, SCIMMAP_SCIM_CLIENT_AUTH].
 * Both kinds set is a usage error: which one wins is not guessed.
 */
export function scimAuthFromEnv(env: NodeJS.ProcessEnv): ScimAuth {
  registerSecret(env.SCIMMAP_TOKEN);
  registerSecret(env.SCIMMAP_SCIM_CLIENT_SECRET);
  const oauthSet = SCIM_OAUTH_ENV.filter((k) => !!env[k]);
  if (env.SCIMMAP_TOKEN && oauthSet.length) {
    throw new UsageError(`both SCIMMAP_TOKEN (a bearer token) and OAuth client credentials (${oauthSet.join(', ')}) are set; unset the one you do not mean to use (scimmap does not guess which one wins)`);
  }
  if (env.SCIMMAP_TOKEN) return { kind: 'bearer', token: env.SCIMMAP_TOKEN };
  if (!oauthSet.length) {
    throw new UsageError('no credentials: set SCIMMAP_TOKEN to the bearer token the SCIM service provider issued, or SCIMMAP_SCIM_TOKEN_URL, SCIMMAP_SCIM_CLIENT_ID and SCIMMAP_SCIM_CLIENT_SECRET (or SCIMMAP_SCIM_CLIENT_SECRET_FILE) for OAuth client credentials');
  }
  if (env.SCIMMAP_SCIM_CLIENT_SECRET && env.SCIMMAP_SCIM_CLIENT_SECRET_FILE) throw new UsageError('set SCIMMAP_SCIM_CLIENT_SECRET or SCIMMAP_SCIM_CLIENT_SECRET_FILE, not both');
  const missing = [
    !env.SCIMMAP_SCIM_TOKEN_URL && 'SCIMMAP_SCIM_TOKEN_URL',
    !env.SCIMMAP_SCIM_CLIENT_ID && 'SCIMMAP_SCIM_CLIENT_ID',
    !env.SCIMMAP_SCIM_CLIENT_SECRET && !env.SCIMMAP_SCIM_CLIENT_SECRET_FILE && 'SCIMMAP_SCIM_CLIENT_SECRET (or SCIMMAP_SCIM_CLIENT_SECRET_FILE)',
  ].filter(Boolean);
  if (missing.length) throw new UsageError(`incomplete OAuth client credentials: set ${missing.join(', ')}`);
  const method = env.SCIMMAP_SCIM_CLIENT_AUTH || 'client_secret_basic';
  if (!(CLIENT_AUTH_METHODS as readonly string[]).includes(method)) throw new UsageError(`SCIMMAP_SCIM_CLIENT_AUTH must be ${CLIENT_AUTH_METHODS.join(' or ')}`);
  let clientSecret = env.SCIMMAP_SCIM_CLIENT_SECRET;
  if (!clientSecret) {
    try {
      clientSecret = readSecretFile(env.SCIMMAP_SCIM_CLIENT_SECRET_FILE!, 'SCIMMAP_SCIM_CLIENT_SECRET_FILE');
    } catch (e) {
      if (e instanceof AuthError) throw new UsageError(redactError(e));
      throw e;
    }
  }
  return {
    kind: 'clientCredentials',
    tokenUrl: env.SCIMMAP_SCIM_TOKEN_URL!,
    clientId: env.SCIMMAP_SCIM_CLIENT_ID!,
    clientSecret,
    scope: env.SCIMMAP_SCIM_SCOPE || undefined,
    resource: env.SCIMMAP_SCIM_RESOURCE || undefined,
    clientAuth: method as ClientAuthMethod,
  };
}

/** The token provider for `endpoint` from the environment (see scimAuthFromEnv); problems are usage errors. */
export function scimTokenFromEnv(env: NodeJS.ProcessEnv, endpoint?: ScimEndpoint): TokenProvider {
  try {
    const auth = scimAuthFromEnv(env);
    const tokens = scimTokenProvider(auth, endpoint, { env });
    return auth.kind === 'bearer' ? { ...tokens, description: `${tokens.description} (SCIMMAP_TOKEN)` } : tokens;
  } catch (e) {
    if (e instanceof ScimAuthError) throw new UsageError(redactError(e));
    throw e;
  }
}

/** The first token, before anything is read or sent: a refused sign-in stops the command with its reason. */
export async function firstToken(tokens: TokenProvider): Promise<string> {
  try {
    return await tokens.getToken();
  } catch (e) {
    if (e instanceof ScimAuthError) throw new UsageError(`sign-in failed: ${redactError(e)}; nothing was sent`);
    throw e;
  }
}

export async function discoverOrExit(client: ScimClient, token: string, io: CliIO): Promise<ServerProfile> {
  try {
    return await discover(client, token, io.signal);
  } catch (e) {
    if (e instanceof DiscoveryError) throw new UsageError(`discovery failed: ${redact(e.message)}`);
    throw new UsageError(`discovery failed: ${redactError(e)}`);
  }
}

function findingLines(findings: CompatFinding[]): string[] {
  return findings.map((f) => `  ${findingLine(f)}`);
}

const findingKey = (f: CompatFinding): string => JSON.stringify([f.severity, f.code, f.key ?? null, f.message]);

/**
 * The live discovery is the authority; the mapping's saved copy (server:) is what the editor and validate checked
 * against. When the two give different findings, the saved copy is stale: one line says so and how to refresh it.
 */
export function staleSavedCopy(mappingArg: string, mapping: CompiledMapping, live: ServerProfile, liveFindings: CompatFinding[]): string | undefined {
  const saved = mapping.analysis.server;
  const named = mapping.analysis.doc.server?.value;
  if (!saved || named === undefined) return undefined;
  const refresh = `refresh it with: scimmap server pull ${mappingArg} --endpoint ${live.endpoint}`;
  if (!saved.profile) return `warning: the saved server discovery '${named}' ${saved.error}; the live server was checked instead; ${refresh}`;
  const before = new Set(checkAgainstServer(mapping, saved.profile).map(findingKey));
  const now = new Set(liveFindings.map(findingKey));
  const same = before.size === now.size && [...now].every((k) => before.has(k));
  if (same) return undefined;
  const added = [...now].filter((k) => !before.has(k)).length;
  const gone = [...before].filter((k) => !now.has(k)).length;
  return `warning: the saved server discovery '${named}' is stale: the live server's findings differ from it (${added} new, ${gone} no longer apply); the live server's apply; ${refresh}, and commit it`;
}


function viaLine(v: ScimVia): string {
  if (v.path === 'users' || !v.bulk) return `one user per request (${v.reason ?? 'no /Bulk'})`;
  const b = v.bulk;
  const avg = b.requests ? (b.operations / b.requests).toFixed(1) : '0';
  return `/Bulk: ${b.requests} request(s), ${avg} operations on average, largest ${b.largestRequest.operations} operations / ${b.largestRequest.bytes} bytes (server limits ${b.maxOperations} operations / ${b.maxPayloadSize} bytes); lookups ${b.lookups}`;
}

function textSummary(s: ScimUploadSummary, transformErrors: TransformResult[]): string {
  const t = s.totals;
  const pass1 = s.records.filter((r) => !r.bulkId.endsWith(':manager'));
  const links = s.records.filter((r) => r.bulkId.endsWith(':manager'));
  const count = (rs: typeof pass1, action: string): number => rs.filter((r) => r.status === 'accepted' && r.action === action).length;
  const lines = [
    `Upload to ${s.endpoint}`,
    `  sent        ${viaLine(s.via)}`,
    `  created     ${count(pass1, 'created')}`,
    `  updated     ${count(pass1, 'updated') + count(pass1, 'unchanged')}`,
    `  managers    ${count(links, 'linked')} linked, ${count(links, 'unchanged')} already linked, ${links.filter((r) => r.status === 'failed').length} failed`,
    `  failed      ${t.failed}`,
    `  not sent    ${t.notSent + transformErrors.length}${transformErrors.length ? ` (${transformErrors.length} with mapping errors)` : ''}`,
    `  previously  ${t.previouslyAccepted} (done by the interrupted run)`,
    `  retried     ${t.retried} call(s)`,
    `  time        ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  if (s.stopped) lines.push(`  stopped     ${s.stopped.message}`);
  lines.push(...notAcceptedLines(s, 'Operations not done:', (r) => (r.bulkId.endsWith(':manager') ? ' (manager link)' : '')));
  if (transformErrors.length) lines.push('', 'Records with mapping errors (not sent):', ...transformErrorLines(transformErrors));
  lines.push(...resumeLines(s));
  return lines.join('\n') + '\n';
}

export async function uploadToScim(a: UploadArgs, io: CliIO, loaded: Loaded): Promise<number> {
  const err = (line: string): void => void io.stderr.write(redact(line) + '\n');
  if (a.wait) throw new UsageError('--wait reads Entra provisioning logs; a SCIM service provider answers each operation directly (no --wait needed)');
  // A target: scim mapping to Entra's bulkUpload: the same refusal as the Entra path gives (engine/checks/preflight).
  if (a.endpoint && isEntraEndpoint(a.endpoint)) throw new UsageError(`${a.mapping}: ${destinationProblem(loaded.mapping, 'entra')}`);
  const endpoint = a.endpoint ? scimEndpointOrUsage(a.endpoint, io.env) : undefined;
  // The saved server discovery's findings (server:) are not the mapping's errors: the live server decides below.
  const mappingErrors = loaded.diagnostics.filter((d) => d.severity === 'error' && !fromSavedServer(d));
  if (mappingErrorsStop(a.mapping, mappingErrors, err)) return EXIT_FAILED;
  // The records, from the file or (--from-source) the mapping's HR source, exactly as for Entra (cli/source.ts).
  const source = uploadInput(loaded.mapping, io, { fromSource: a.fromSource, input: a.input ? resolve(io.cwd, a.input) : undefined, limit: a.limit });
  // The same first pass over the whole input as for Entra: dataset checks (e.g. active false on every record) stop
  // the upload before the first request unless --force.
  const checked = await checkBeforeSending(loaded.mapping, source.results(), err, { force: a.force, usageErrors: [ReaderError] });
  if (!checked) return EXIT_FAILED;

  const transformErrors: TransformResult[] = [];
  const requests = () => toBulkRequests(source.results(), 50, (r) => void transformErrors.push(r), undefined);

  const tokens = endpoint && (!a.dryRun || hasScimCredentials(io.env)) ? scimTokenFromEnv(io.env, endpoint) : undefined;
  let server: ServerProfile | undefined;
  let findings: CompatFinding[] = [];
  const client = endpoint ? new ScimClient(endpoint) : undefined;
  if (client && tokens) {
    server = await discoverOrExit(client, await firstToken(tokens), io);
    findings = checkAgainstServer(loaded.mapping, server);
    const stale = staleSavedCopy(a.mapping, loaded.mapping, server, findings);
    if (stale) err(stale);
    for (const line of findingLines(findings)) err(line);
    if (findings.some((f) => f.severity === 'error')) {
      err(refusalLine(endpoint!.url, findings.filter((f) => f.severity === 'error')));
      if (a.format === 'json') io.stdout.write(JSON.stringify({ refused: true, endpoint: endpoint!.url, findings }, null, 2) + '\n');
      return EXIT_FAILED;
    }
  }

  if (a.dryRun) {
    let records = 0;
    try {
      for await (const b of requests()) records += b.Operations.length;
    } catch (e) {
      if (e instanceof ReaderError) throw new UsageError(e.message);
      throw sourceUsageError(e) ?? e;
    }
    if (a.format === 'json') io.stdout.write(JSON.stringify({ dryRun: true, endpoint: endpoint?.url, records, checked: !!server, findings, transformErrors: transformErrors.length }, null, 2) + '\n');
    else io.stdout.write(`Dry run: ${records} user(s) would be sent${endpoint ? ` to ${endpoint.url}` : ''}${server ? ' (the server\'s schemas were checked)' : ''}; ${transformErrors.length} record(s) have mapping errors.\n`);
    return transformErrors.length ? EXIT_FAILED : EXIT_OK;
  }
  if (!client || !server || !tokens) throw new UsageError('--endpoint URL is required (the SCIM service provider\'s base URL)');

  const journal = await openUploadJournal(
    { endpoint: endpoint!.url, mappingText: loaded.text, input: () => source.identity(), resume: a.resume, journal: a.journal, cwd: io.cwd, env: io.env, inRepository: (path, repo) => `warning: the journal ${path} is inside the git work tree ${repo}; keep it out of the repository` },
    err,
  );
  const limits = a.bulk ? bulkLimitsOf(server.config, { size: a.bulkSize, failOnErrors: a.failOnErrors }) : 'one user per request (--no-bulk)';
  const path = typeof limits === 'string' ? limits : `/Bulk, up to ${limits.maxOperations} users and ${limits.maxPayloadSize} bytes per request`;
  err(`Uploading to ${endpoint!.url} (SCIM; ${path}; patch ${server.config.patch ? 'yes' : 'no: PUT'}, etag ${server.config.etag ? 'yes' : 'no'}) with ${tokens.description}`);
  err(`journal: ${journal.path}${journal.resumed ? ` (resuming; ${journal.previouslyAccepted} operation(s) already done)` : ''}`);
  let summary: ScimUploadSummary;
  try {
    summary = await sendToScim(requests(), {
      client,
      server,
      bulk: a.bulk ? { size: a.bulkSize, failOnErrors: a.failOnErrors } : false,
      tokens,
      journal,
      signal: io.signal,
      concurrency: a.concurrency,
      pacing: { maxCalls: a.rate ?? SCIM_RATE_PER_SECOND, windowMs: 1000 },
      onProgress: (e) => {
        const line = describeProgress(e);
        if (line) err(typeof limits === 'string' ? line.replace(/^batch (\d+): (\d+) record\(s\) accepted \(HTTP 202/, 'operation $1: done (HTTP 2xx') : line.replace(/^batch (\d+): (\d+) record\(s\) accepted \(HTTP 202/, 'batch $1: $2 operation(s) answered over /Bulk (HTTP 200'));
      },
    });
  } catch (e) {
    if (e instanceof ReaderError || e instanceof JournalError) throw new UsageError(e.message);
    throw sourceUsageError(e) ?? new Error(redactError(e));
  }
  if (a.format === 'json') {
    io.stdout.write(redact(JSON.stringify({ ...summary, target: 'scim', findings, transformErrors: transformErrors.map((r) => ({ index: r.index, key: r.key, errors: r.errors.map((x) => ({ code: x.code, attribute: x.attribute, message: x.message })) })) }, null, 2)) + '\n');
  } else io.stdout.write(redact(textSummary(summary, transformErrors)));
  const t = summary.totals;
  return !summary.stopped && t.failed === 0 && t.notSent === 0 && transformErrors.length === 0 ? EXIT_OK : EXIT_FAILED;
}
