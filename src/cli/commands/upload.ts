/** `scimmap upload`: map records and send them to the bulkUpload endpoint (or the local stand-in). */
import { resolve } from 'node:path';
import { CliIO, Command, EXIT_FAILED, EXIT_OK, UsageError } from '../io';
import { evalTimeoutSeconds } from '../watchdog';
import { MappingFileError, toBulkRequests, TransformResult } from '../../engine/pipeline';
import { loadMappingOrUsage, outputFormat, parseCommandArgs } from '../args';
import { checkBeforeSending, mappingErrorsStop } from '../sendGate';
import { notAcceptedLines, resumeLines, transformErrorLines } from '../summaryLines';
import { openUploadJournal } from '../uploadJournal';
import { sourceUsageError, uploadInput } from '../source';
import { uploadToScim } from './scimUpload';
import { AppGraphError, getJobStatus, jobWarning } from '../../targets/entra/app/graph';
import type { UploadEndpoint } from '../../targets/entra/upload/endpoint';
import type { TokenProvider } from '../../delivery/types';
import { ReaderError } from '../../engine/readers';
import { destinationProblem } from '../../engine/checks/preflight';
import { isDnsName } from '../../engine/checks/signInName';
import {
  AuthError,
  EndpointError,
  JournalError,
  parseEndpoint,
  PollResult,
  redact,
  redactError,
  tokenProviderFromEnv,
  UploadProgress,
  uploadBatches,
  UploadSummary,
} from '../../targets/entra/upload';
import { provisioned, provisioningJson, provisioningLines, WAIT_HELP, WAIT_OPTIONS, waitForProvisioning, waitSettings, type WaitSettings } from '../provisioningWait';

const HELP = `Usage: scimmap upload <mapping> --endpoint URL [options]

Maps the records and sends them to Microsoft Entra API-driven provisioning (bulkUpload), bulk.size per
request (at most 50), at most 40 requests per 5 seconds. Progress goes to stderr, the summary to stdout.

Before anything is sent, the whole input is read once and checked: records with errors are left out (the
others are sent, exit 1); findings that make every record wrong (externalId or userName empty on every
record, active false on every record) stop the upload before the first request unless --force.

A mapping with target: scim goes to a SCIM 2.0 service provider instead: --endpoint is its base URL
(https://app.example/scim/v2; http on loopback with a port for tests). The server's ServiceProviderConfig,
ResourceTypes and Schemas are read first and a mapping the server cannot take is refused before anything is sent;
users are matched by externalId (then userName), created with POST or updated with PATCH, and manager links are
set to the server's ids in a second pass. Bearer token in SCIMMAP_TOKEN, or OAuth client credentials (below);
hosts other than loopback, the token URL's too, must be on your allowlist (SCIMMAP_SCIM_HOSTS or
~/.config/scimmap/scim-hosts). See docs/scim-targets.md.

Options:
  --endpoint URL       the app's "Provisioning API Endpoint" (https://graph.microsoft.com/{v1.0|beta}/servicePrincipals/
                       {id}/synchronization/jobs/{jobId}/bulkUpload; national clouds and the local stand-in work too)
  --input FILE         records to send (default: the mapping's source.sample)
  --from-source        read the records from the mapping's source.from (an HR system, docs/sources.md),
                       page by page, instead of a file; progress (records, pages) on stderr
  --limit N            send only the first N records
  --dry-run            map and batch, send nothing (no sign-in needed)
${WAIT_HELP}  --format text|json   summary format (default text)
  --journal FILE       where to keep the run journal (default: the state directory,
                       $XDG_STATE_HOME/scimmap/uploads/<time>.jsonl or ~/.local/state/scimmap/uploads/…)
  --resume JOURNAL     continue an interrupted upload: records already accepted are not sent again
  --concurrency N      target: scim only: operations in flight at once (default 4)
  --rate N             target: scim only: operations started per second at most (default 20)
  --no-bulk            target: scim only: send one user per request even where the server supports /Bulk
  --bulk-size N        target: scim only: users per /Bulk request at most (default 100; never more than the
                       server's maxOperations, and always within its maxPayloadSize)
  --fail-on-errors N   target: scim only: the /Bulk failOnErrors (the server stops a request after N errors;
                       default: not sent, the server goes on)
  --eval-timeout SEC   stop with exit code 1 when one evaluation of a mapping on a record runs longer
                       (default 10, or SCIMMAP_EVAL_TIMEOUT; 0: no limit)
  --domain NAME        a verified domain of the tenant (repeatable; replaces the mapping's domains:):
                       a userName outside them is a record error
  --force              send even when a dataset-level check fails (e.g. active false on every record)

Sign-in (environment):
  SCIMMAP_TOKEN                         a pre-acquired access token, or
  SCIMMAP_TENANT_ID, SCIMMAP_CLIENT_ID  with SCIMMAP_CLIENT_SECRET, SCIMMAP_CLIENT_SECRET_FILE (a file holding it) or
                                        SCIMMAP_CLIENT_CERTIFICATE_PATH (PEM with key and certificate;
                                        SCIMMAP_CLIENT_CERTIFICATE_PASSWORD if encrypted)
  SCIMMAP_AUTHORITY_HOST                sign-in host; follows the endpoint's cloud (the stand-in's URL for a loopback
                                        endpoint) and must belong with it: mixtures are refused
Sign-in to a SCIM service provider (target: scim; environment):
  SCIMMAP_TOKEN                         the bearer token the app issued, or OAuth 2.0 client credentials:
  SCIMMAP_SCIM_TOKEN_URL                the token endpoint (https; its host on the SCIM host allowlist)
  SCIMMAP_SCIM_CLIENT_ID                with SCIMMAP_SCIM_CLIENT_SECRET or SCIMMAP_SCIM_CLIENT_SECRET_FILE
  SCIMMAP_SCIM_SCOPE, SCIMMAP_SCIM_RESOURCE   optional scope and RFC 8707 resource
  SCIMMAP_SCIM_CLIENT_AUTH              client_secret_basic (default) or client_secret_post
                                        (SCIMMAP_TOKEN and client credentials both set is refused)

Exit status: 0 when every record was accepted (with --wait: and provisioned without failure), 1 otherwise,
2 for usage errors.
`;

interface UploadArgs {
  mapping: string;
  endpoint?: string;
  input?: string;
  fromSource: boolean;
  limit?: number;
  dryRun: boolean;
  wait: boolean;
  /** --wait, --wait-timeout, --poll-interval (src/cli/provisioningWait.ts, shared with sync). */
  waitSettings: WaitSettings;
  format: 'text' | 'json';
  journal?: string;
  resume?: string;
  evalTimeout?: string;
  domains?: string[];
  force: boolean;
  /** SCIM only: operations in flight at once, and operations started per second. */
  concurrency?: number;
  rate?: number;
  /** SCIM only: false with --no-bulk; users per /Bulk request; RFC 7644 failOnErrors. */
  bulk: boolean;
  bulkSize?: number;
  failOnErrors?: number;
}

function parse(args: string[]): UploadArgs {
  const parsed = parseCommandArgs(args, {
    endpoint: { type: 'string' },
    input: { type: 'string' },
    'from-source': { type: 'boolean' },
    limit: { type: 'string' },
    'dry-run': { type: 'boolean' },
    ...WAIT_OPTIONS,
    format: { type: 'string' },
    journal: { type: 'string' },
    resume: { type: 'string' },
    'eval-timeout': { type: 'string' },
    domain: { type: 'string', multiple: true },
    force: { type: 'boolean' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    'no-bulk': { type: 'boolean' },
    'bulk-size': { type: 'string' },
    'fail-on-errors': { type: 'string' },
  });
  const v = parsed.values;
  if (parsed.positionals.length !== 1) throw new UsageError('expected exactly one mapping file (scimmap upload <mapping> --endpoint URL)');
  const int = (name: string, raw: string | undefined, min: number): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name}: expected an integer ≥ ${min}, got '${raw}'`);
    return n;
  };
  const format = outputFormat(v.format);
  if (!v.endpoint && !v['dry-run']) throw new UsageError('--endpoint URL is required (copy the Provisioning API Endpoint from the portal)');
  if (v.input && v['from-source']) throw new UsageError('--input and --from-source exclude each other');
  if (v.resume && v['from-source']) throw new UsageError('--resume needs the same input as the interrupted run; a live source cannot promise that (pull a snapshot with scimmap sample pull and upload it with --input)');
  if (v.journal && v.resume) throw new UsageError('--journal and --resume exclude each other');
  if (v['dry-run'] && (v.resume || v.wait)) throw new UsageError('--dry-run sends nothing: it takes neither --resume nor --wait');
  const waiting = waitSettings(v);
  return {
    mapping: parsed.positionals[0]!,
    endpoint: v.endpoint,
    input: v.input,
    fromSource: v['from-source'] === true,
    limit: int('limit', v.limit, 1),
    dryRun: v['dry-run'] === true,
    wait: waiting.wait,
    waitSettings: waiting,
    format,
    journal: v.journal,
    resume: v.resume,
    evalTimeout: v['eval-timeout'],
    domains: v.domain?.length ? v.domain : undefined,
    force: v.force === true,
    concurrency: Math.min(int('concurrency', v.concurrency, 1) ?? 4, 32),
    rate: int('rate', v.rate, 1),
    bulk: v['no-bulk'] !== true,
    bulkSize: int('bulk-size', v['bulk-size'], 1),
    failOnErrors: int('fail-on-errors', v['fail-on-errors'], 1),
  };
}

export type { UploadArgs };

export function describeProgress(e: UploadProgress): string | undefined {
  switch (e.type) {
    case 'batch-done': {
      const b = e.batch;
      const t = e.totals;
      const head = `batch ${b.seq + 1}: ${b.operations} record(s)`;
      const counts = `[${t.accepted + t.previouslyAccepted} accepted, ${t.failed} failed so far]`;
      if (b.status === 'accepted') return `${head} accepted (HTTP 202${b.requestId ? `, request-id ${b.requestId}` : ''}${b.attempts > 1 ? `, ${b.attempts} attempts` : ''}) ${counts}`;
      return `${head} ${b.status}${b.httpStatus ? ` (HTTP ${b.httpStatus})` : ''}: ${b.errorCode ?? ''} ${b.errorMessage ?? ''} ${counts}`;
    }
    case 'retry':
      return `batch ${e.seq + 1}: ${e.reason}; retrying in ${(e.delayMs / 1000).toFixed(1)} s`;
    case 'token-refresh':
      return `batch ${e.seq + 1}: token rejected; signing in again`;
    case 'skipped':
      return `batch ${e.seq + 1}: ${e.operations} record(s) already accepted by the interrupted run; not sent again`;
    case 'stopped':
      return `stopped: ${e.message}`;
    default:
      return undefined;
  }
}

function textSummary(s: UploadSummary, transformErrors: TransformResult[], poll?: PollResult, skipped = 0): string {
  const t = s.totals;
  const lines = [
    `Upload to ${s.endpoint}`,
    `  sent        ${t.sent} record(s) in ${t.calls} call(s)`,
    `  accepted    ${t.accepted}${t.previouslyAccepted ? ` (+${t.previouslyAccepted} accepted by the interrupted run)` : ''}`,
    `  failed      ${t.failed}`,
    `  not sent    ${t.notSent + transformErrors.length + skipped}${transformErrors.length ? ` (${transformErrors.length} with mapping errors)` : ''}${skipped ? ` (${skipped} duplicates left out by source.duplicates)` : ''}`,
    `  retried     ${t.retried} call(s)`,
    `  time        ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  if (s.stopped) lines.push(`  stopped     ${s.stopped.message}`);
  lines.push(...notAcceptedLines(s, 'Records not accepted:'));
  if (transformErrors.length) lines.push('', 'Records with mapping errors (not sent):', ...transformErrorLines(transformErrors));
  // The totals the results view shows; the reason and recommended action once per error code, not per record.
  if (poll) lines.push('', ...provisioningLines(s.records, poll));
  lines.push(...resumeLines(s));
  return lines.join('\n') + '\n';
}

export const uploadCommand: Command = {
  name: 'upload',
  summary: 'send mapped records to Entra API-driven provisioning (or the local stand-in)',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    const a = parse(args);
    const watchdog = io.watchdog?.(evalTimeoutSeconds(a.evalTimeout, io.env));
    try {
      return await upload(a, io);
    } finally {
      watchdog?.stop();
    }
  },
};

async function upload(a: UploadArgs, io: CliIO): Promise<number> {
  const err = (line: string): void => void io.stderr.write(redact(line) + '\n');
  for (const d of a.domains ?? []) if (!isDnsName(d)) throw new UsageError(`--domain: '${d}' is not a domain name such as contoso.com`);
  const loaded = await loadMappingOrUsage(resolve(io.cwd, a.mapping), undefined, { domains: a.domains });
  // The endpoint kind must match the mapping's target, in both directions.
  if (loaded.mapping.target === 'scim') return uploadToScim(a, io, loaded);
  const endpoint = a.endpoint ? parseOrUsage(a.endpoint) : undefined;
  for (const w of endpoint?.warnings ?? []) err(`warning: ${w}`);
  const mappingErrors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (mappingErrorsStop(a.mapping, mappingErrors, err)) return EXIT_FAILED;
  const wrongTarget = destinationProblem(loaded.mapping, 'entra');
  if (wrongTarget) throw new UsageError(`${a.mapping}: ${wrongTarget}`);
  const m = loaded.mapping;
  // The records, from the file or (--from-source) from the HR system: read twice, once to check, once to send.
  const source = uploadInput(m, io, { fromSource: a.fromSource, input: a.input ? resolve(io.cwd, a.input) : undefined, limit: a.limit });
  const results = source.results;
  // First pass over the whole input: what fails, and whether anything may be sent at all.
  const checked = await checkBeforeSending(m, results(), err, {
    force: a.force,
    usageErrors: [ReaderError, MappingFileError],
    afterSummary: (c) => {
      if (c.skipped) err(`${c.skipped} record(s) left out: another record with the same externalId is sent (source.duplicates: ${loaded.mapping.duplicates})`);
    },
  });
  if (!checked) return EXIT_FAILED;

  const transformErrors: TransformResult[] = [];
  const batches = (): AsyncIterable<import('../../engine/types').BulkRequest> => toBulkRequests(results(), m.bulkSize, (r) => void transformErrors.push(r), m.failOnErrors);

  if (a.dryRun) {
    let count = 0;
    let records = 0;
    try {
      for await (const b of batches()) {
        count++;
        records += b.Operations.length;
      }
    } catch (e) {
      if (e instanceof ReaderError) throw new UsageError(e.message);
      throw sourceUsageError(e) ?? e;
    }
    if (a.format === 'json') {
      io.stdout.write(JSON.stringify({ dryRun: true, endpoint: endpoint?.url, requests: count, records, skipped: checked.skipped, dataset: checked.dataset, transformErrors: transformErrors.map(jsonError) }, null, 2) + '\n');
    } else {
      io.stdout.write(`Dry run: ${records} record(s) in ${count} request(s) would be sent${endpoint ? ` to ${endpoint.url}` : ''}; ${transformErrors.length} record(s) have mapping errors${checked.skipped ? `; ${checked.skipped} duplicate(s) left out` : ''}.\n`);
      if (transformErrors.length) io.stdout.write(transformErrorLines(transformErrors).join('\n') + '\n');
    }
    return transformErrors.length ? EXIT_FAILED : EXIT_OK;
  }

  const ep = endpoint!;
  let tokens;
  try {
    tokens = tokenProviderFromEnv(io.env, { endpoint: ep });
  } catch (e) {
    if (e instanceof AuthError) throw new UsageError(redactError(e));
    throw e;
  }

  await warnIfJobIdle(ep, tokens, err);

  const journal = await openUploadJournal(
    { endpoint: ep.url, mappingText: loaded.text, input: () => source.identity(), resume: a.resume, journal: a.journal, cwd: io.cwd, env: io.env, inRepository: (path, repo, uploads) => `warning: the journal ${path} is inside the git work tree ${repo}; it holds no ids in clear text, but keep it out of the repository (.gitignore) or leave out --journal (default: ${uploads})` },
    err,
  );
  err(`Uploading to ${ep.url} (job ${ep.jobId}) with ${tokens.description}`);
  err(`journal: ${journal.path}${journal.resumed ? ` (resuming; ${journal.previouslyAccepted} record(s) already accepted${journal.inDoubt ? `, ${journal.inDoubt} batch(es) in doubt will be re-sent as updates` : ''})` : ''}`);

  const since = new Date(Date.now() - 60_000);
  let summary: UploadSummary;
  try {
    summary = await uploadBatches(batches(), {
      endpoint: ep,
      tokens,
      journal,
      signal: io.signal,
      onProgress: (e) => {
        const line = describeProgress(e);
        if (line) err(line);
      },
    });
  } catch (e) {
    if (e instanceof ReaderError) throw new UsageError(e.message);
    if (e instanceof JournalError) throw new UsageError(e.message);
    const se = sourceUsageError(e);
    if (se) throw se;
    throw new Error(redactError(e));
  }

  const poll = a.wait ? await waitForProvisioning({ endpoint: ep, tokens, records: summary.records, since, settings: a.waitSettings, signal: io.signal, err }) : undefined;

  if (a.format === 'json') {
    io.stdout.write(redact(JSON.stringify({ ...summary, skipped: checked.skipped, dataset: checked.dataset, transformErrors: transformErrors.map(jsonError), ...provisioningJson(summary.records, poll) }, null, 2)) + '\n');
  } else {
    io.stdout.write(redact(textSummary(summary, transformErrors, poll, checked.skipped)));
  }
  const t = summary.totals;
  const allAccepted = !summary.stopped && t.failed === 0 && t.notSent === 0 && transformErrors.length === 0;
  return allAccepted && provisioned(a.waitSettings, poll) ? EXIT_OK : EXIT_FAILED;
}

/**
 * Before sending: a paused or quarantined job stages the records without processing them. Reading the job needs
 * Synchronization.Read.All, which an upload-only app may lack: then this says so once and goes on.
 */
async function warnIfJobIdle(ep: UploadEndpoint, tokens: TokenProvider, err: (line: string) => void): Promise<void> {
  try {
    const w = jobWarning(await getJobStatus(ep, tokens));
    if (w) err(`warning: ${w}`);
  } catch (e) {
    if (e instanceof AppGraphError && e.status === 403) err('note: the job status was not checked (reading it needs Synchronization.Read.All); if the job is paused, records are staged but not processed');
    else if (e instanceof AppGraphError) err(`note: the job status was not checked: ${e.message}`);
    // Anything else (sign-in failed, network): the upload itself reports it, with its own retries and wording.
  }
}

function parseOrUsage(url: string) {
  try {
    return parseEndpoint(url);
  } catch (e) {
    if (e instanceof EndpointError && !/bulkUpload/i.test(url)) {
      throw new UsageError(`${e.message}\nThis mapping has target: entra (the default), which is sent to an Entra bulkUpload endpoint. If ${url.slice(0, 200)} is a SCIM service provider's base URL, set target: scim in the mapping.`);
    }
    if (e instanceof EndpointError) throw new UsageError(e.message);
    throw e;
  }
}

function jsonError(r: TransformResult): { index: number; key?: string; errors: Array<{ code: string; attribute?: string; message: string }> } {
  return { index: r.index, key: r.key, errors: r.errors.map((x) => ({ code: x.code, attribute: x.attribute, message: redact(x.message) })) };
}
