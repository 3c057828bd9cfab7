/** `scimmap sync`: plan against the state of what Entra accepted, guard, send creates/updates/disables. */
import { resolve } from 'node:path';
import { CliIO, Command, EXIT_FAILED, UsageError } from '../io';
import { evalTimeoutSeconds } from '../watchdog';
import type { loadMappingFile } from '../../engine/pipeline';
import { loadMappingOrUsage, outputFormat, parseCommandArgs } from '../args';
import { destinationProblem } from '../../engine/checks/preflight';
import { JournalError } from '../../delivery/journal';
import type { TokenProvider } from '../../delivery/types';
import { AuthError, EndpointError, entraSyncTarget, entraTarget, journalKey, parseEndpoint, redact, redactError, tokenProviderFromEnv, type UploadEndpoint } from '../../targets/entra/upload';
import { checkAgainstServer, isEntraEndpoint, ScimClient, scimSyncSetup } from '../../targets/scim';
import { discoverOrExit, firstToken, hasScimCredentials, scimEndpointOrUsage, scimTokenFromEnv, staleSavedCopy } from './scimUpload';
import { fromSavedServer } from '../../engine/analysis/serverSchema';
import {
  CLASS_NAMES,
  DEFAULT_MAX_DISABLE,
  DEFAULT_MIN_RECORDS,
  defaultStatePath,
  parseThreshold,
  readHistory,
  runSync,
  StateError,
  syncFiles,
  userStateDir,
  ThresholdError,
  type GuardVerdict,
  type RunRecord,
  type SyncPlan,
  type SyncDestination,
  type SyncRunResult,
  type SyncTarget,
  type Threshold,
} from '../../sync';
import { describeProgress } from './upload';
import { WAIT_HELP, WAIT_OPTIONS, waitSettings, type WaitSettings } from '../provisioningWait';
import { waitAfterSync } from '../syncWait';

const HELP = `Usage: scimmap sync <mapping> --endpoint URL [options]
       scimmap sync <mapping> --endpoint URL --history

Production sync for Entra API-driven provisioning, or for any SCIM 2.0 service provider (a mapping with
target: scim). Compares the export with the state of what the service last accepted and sends: new people
(create), changed people (update, the complete record), people back after a disable (reactivate) and people
absent from the export (disable: for Entra externalId and active:false; for SCIM the matched server user is
PATCHed to active:false, PUT where PATCH is unsupported). Unchanged people are skipped unless --full. The plan is
printed first, always; the guards can refuse the whole run.

Options:
  --endpoint URL       the app's "Provisioning API Endpoint" (as for scimmap upload; the local stand-in works too);
                       for target: scim the service provider's SCIM base URL
  --concurrency N      target: scim only: operations in flight at once (default 4)
  --rate N             target: scim only: operations started per second at most (default 20)
  --no-bulk            target: scim only: one user per request even where the server supports /Bulk
  --input FILE         the HR export (default: the mapping's source.sample)
  --state FILE         the state file (default: per-user state directory, one per destination, endpoint and
                       mapping)
  --dry-run            show the plan and the guards' verdicts; send nothing, change nothing (no sign-in needed)
  --full               re-send unchanged records too
  --max-disable N|P%   refuse the run when more accounts would be disabled (default 500; P% of the active
                       accounts in the state)
  --min-records N|P%   refuse the run when the export has fewer records (default 90% of the last run's)
  --format text|json   output format (default text; json lists every externalId of the plan)
  --force              send despite dataset errors (e.g. active false on every record); the other guards stay
  --history            list the recorded runs of this state
${WAIT_HELP}  --eval-timeout SEC   hard limit per evaluation (default 10, or SCIMMAP_EVAL_TIMEOUT; 0: no limit)

Also refused: an empty or unreadable export. Records failing the mapping are never sent and never disabled.
The mapping's sync.missing: ignore turns disables off (HR systems that keep leavers with a status).

Sign-in (environment): as for scimmap upload (SCIMMAP_TOKEN, or SCIMMAP_TENANT_ID + SCIMMAP_CLIENT_ID with
SCIMMAP_CLIENT_SECRET or SCIMMAP_CLIENT_CERTIFICATE_PATH; SCIMMAP_AUTHORITY_HOST; target: scim: as for a SCIM
upload, SCIMMAP_TOKEN or OAuth client credentials, see scimmap upload --help). State directory: SCIMMAP_STATE_DIR overrides the per-user default; the
state is per destination (Entra or SCIM), endpoint and mapping.

Exit status: 0 all sent (with --wait: and provisioned without failure), 1 some records failed the mapping,
were not accepted (with --wait: failed provisioning or have no log entry yet), 2 usage or I/O error,
3 refused by a guard (nothing sent).
`;

export const EXIT_REFUSED = 3;

interface SyncArgs {
  mapping: string;
  endpoint?: string;
  input?: string;
  state?: string;
  dryRun: boolean;
  full: boolean;
  maxDisable: Threshold;
  minRecords: Threshold;
  format: 'text' | 'json';
  history: boolean;
  force: boolean;
  evalTimeout?: string;
  concurrency?: number;
  rate?: number;
  /** target: scim: one user per request even where the server supports /Bulk. */
  noBulk: boolean;
  wait: WaitSettings;
}

function parse(args: string[]): SyncArgs {
  const parsed = parseCommandArgs(args, {
    endpoint: { type: 'string' },
    input: { type: 'string' },
    state: { type: 'string' },
    'dry-run': { type: 'boolean' },
    full: { type: 'boolean' },
    'max-disable': { type: 'string' },
    'min-records': { type: 'string' },
    format: { type: 'string' },
    history: { type: 'boolean' },
    force: { type: 'boolean' },
    'eval-timeout': { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    'no-bulk': { type: 'boolean' },
    ...WAIT_OPTIONS,
  });
  const v = parsed.values;
  if (parsed.positionals.length !== 1) throw new UsageError('expected exactly one mapping file (scimmap sync <mapping> --endpoint URL)');
  const format = outputFormat(v.format);
  if (!v.endpoint) throw new UsageError('--endpoint URL is required (the state and the history belong to one endpoint)');
  const threshold = (name: string, raw: string | undefined, dflt: Threshold): Threshold => {
    if (raw === undefined) return dflt;
    try {
      return parseThreshold(raw, `--${name}`);
    } catch (e) {
      if (e instanceof ThresholdError) throw new UsageError(e.message);
      throw e;
    }
  };
  if (v.history && (v['dry-run'] || v.full || v.input || v.wait)) throw new UsageError('--history lists past runs: it takes no --dry-run, --full, --input or --wait');
  if (v['dry-run'] && v.wait) throw new UsageError('--dry-run sends nothing: there is nothing to --wait for');
  return {
    mapping: parsed.positionals[0]!,
    endpoint: v.endpoint,
    input: v.input,
    state: v.state,
    dryRun: v['dry-run'] === true,
    full: v.full === true,
    maxDisable: threshold('max-disable', v['max-disable'], DEFAULT_MAX_DISABLE),
    minRecords: threshold('min-records', v['min-records'], DEFAULT_MIN_RECORDS),
    format,
    history: v.history === true,
    force: v.force === true,
    evalTimeout: v['eval-timeout'],
    concurrency: positiveInt('--concurrency', v.concurrency, 32),
    rate: positiveInt('--rate', v.rate, 1000),
    noBulk: v['no-bulk'] === true,
    wait: waitSettings(v),
  };
}

function positiveInt(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw new UsageError(`${name}: expected a whole number from 1 to ${max}, got '${raw}'`);
  return n;
}

export const syncCommand: Command = {
  name: 'sync',
  summary: 'production sync: creates, updates and disables leavers, with accidental-deletion guards',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    const a = parse(args);
    const mappingPath = resolve(io.cwd, a.mapping);
    const loaded: LoadedMapping = await loadMappingOrUsage(mappingPath);
    // The mapping's target picks the destination; the state is per destination, endpoint and mapping.
    const destination: SyncDestination = loaded.mapping.target === 'scim' ? 'scim' : 'entra';
    const endpointUrl = destination === 'scim' ? scimEndpointUrl(a, loaded, io) : parseOrUsage(a.endpoint!).url;
    const statePath = a.state ? resolve(io.cwd, a.state) : defaultStatePath(endpointUrl, mappingPath, io.env, destination);
    if (a.history) return history(statePath, a, io);
    const watchdog = io.watchdog?.(evalTimeoutSeconds(a.evalTimeout, io.env));
    try {
      return await sync(a, loaded, destination, mappingPath, statePath, io);
    } catch (e) {
      if (e instanceof StateError || e instanceof JournalError) throw new UsageError(e.message);
      if ((e as NodeJS.ErrnoException).code && (e as NodeJS.ErrnoException).syscall) throw new UsageError(`cannot use the state at ${statePath}: ${(e as Error).message}`);
      throw e;
    } finally {
      watchdog?.stop();
    }
  },
};

type LoadedMapping = Awaited<ReturnType<typeof loadMappingFile>>;

/** How one run reaches its destination: the target (absent for a dry run) and what the plan and stderr name. */
interface Destination {
  url: string;
  target?: SyncTarget;
  tokens?: TokenProvider;
  /** "Syncing to …" */
  sendingLine?: string;
  /** target: scim: changed records go over /Bulk (progress lines then count each request's operations). */
  bulk?: boolean;
  targetVerdicts?: GuardVerdict[];
  /** Entra: the bulkUpload endpoint, whose provisioning logs --wait reads. */
  entraEndpoint?: UploadEndpoint;
}

function scimEndpointUrl(a: SyncArgs, loaded: LoadedMapping, io: CliIO): string {
  // A target: scim mapping to Entra's bulkUpload: the same refusal as uploads give.
  if (isEntraEndpoint(a.endpoint!)) throw new UsageError(`${a.mapping}: ${destinationProblem(loaded.mapping, 'entra')}`);
  return scimEndpointOrUsage(a.endpoint!, io.env).url;
}

function entraDestination(a: SyncArgs, loaded: LoadedMapping, io: CliIO): Destination {
  const endpoint = parseOrUsage(a.endpoint!);
  for (const w of endpoint.warnings ?? []) io.stderr.write(redact(`warning: ${w}`) + '\n');
  const wrongTarget = destinationProblem(loaded.mapping, 'entra');
  if (wrongTarget) throw new UsageError(wrongTarget);
  if (a.dryRun) return { url: endpoint.url };
  let tokens: TokenProvider;
  try {
    tokens = tokenProviderFromEnv(io.env, { endpoint });
  } catch (e) {
    if (e instanceof AuthError) throw new UsageError(redactError(e));
    throw e;
  }
  return { url: endpoint.url, tokens, entraEndpoint: endpoint, target: entraSyncTarget(entraTarget(endpoint, tokens), loaded.mapping), sendingLine: `Syncing to ${endpoint.url} (job ${endpoint.jobId}) with ${tokens.description}` };
}

/**
 * A SCIM service provider: discovery and the compatibility check first (as for upload), their refusal a guard
 * verdict (`server`) so that the plan and the history show it. A dry run without SCIMMAP_TOKEN plans only.
 */
async function scimDestination(a: SyncArgs, io: CliIO, loaded: LoadedMapping): Promise<Destination> {
  const endpoint = scimEndpointOrUsage(a.endpoint!, io.env);
  const tokens = a.dryRun && !hasScimCredentials(io.env) ? undefined : scimTokenFromEnv(io.env, endpoint);
  if (!tokens) return { url: endpoint.url };
  const client = new ScimClient(endpoint);
  const server = await discoverOrExit(client, await firstToken(tokens), io);
  const findings = checkAgainstServer(loaded.mapping, server);
  const stale = staleSavedCopy(a.mapping, loaded.mapping, server, findings);
  if (stale) io.stderr.write(redact(stale) + '\n');
  const setup = scimSyncSetup(client, server, findings, { concurrency: a.concurrency, rate: a.rate, bulk: a.noBulk ? false : undefined });
  return {
    url: endpoint.url,
    tokens,
    target: a.dryRun ? undefined : setup.target,
    targetVerdicts: setup.targetVerdicts,
    bulk: setup.bulk,
    sendingLine: `Syncing to ${endpoint.url} (SCIM; ${setup.path}) with ${tokens.description}`,
  };
}

/**
 * The shared progress line in SCIM words: one operation per request, or with /Bulk a batch's operations (a Bulk
 * request's users, or one leaver: deactivations go one by one), each counted in the totals by its own status.
 */
function scimProgressLine(line: string, bulk: boolean): string {
  if (bulk) return line.replace(/^batch (\d+): (\d+) record\(s\) accepted \(HTTP 202/, 'batch $1: $2 operation(s) answered (HTTP 2xx');
  return line.replace(/^batch (\d+): \d+ record\(s\) accepted \(HTTP 202/, 'operation $1: done (HTTP 2xx').replace(/^batch (\d+): \d+ record\(s\) failed/, 'operation $1: failed');
}

async function sync(a: SyncArgs, loaded: LoadedMapping, destination: SyncDestination, mappingPath: string, statePath: string, io: CliIO): Promise<number> {
  const err = (line: string): void => void io.stderr.write(redact(line) + '\n');
  // For target: scim the saved server discovery's findings (server:) are not the mapping's errors: the live server
  // decides (the `server` guard), as for upload.
  const mappingErrors = loaded.diagnostics.filter((d) => d.severity === 'error' && !(destination === 'scim' && fromSavedServer(d)));
  if (mappingErrors.length) {
    err(`${a.mapping}: ${mappingErrors.length} error(s) in the mapping; fix them first (scimmap check ${a.mapping})`);
    for (const d of mappingErrors.slice(0, 10)) err(`  ${d.code}: ${d.message}`);
    return EXIT_FAILED;
  }
  if (destination === 'entra' && (a.concurrency || a.rate)) throw new UsageError('--concurrency and --rate are for target: scim; Entra\'s bulkUpload is paced by its documented limit');
  if (destination === 'entra' && a.noBulk) throw new UsageError('--no-bulk is for target: scim (SCIM /Bulk); Entra\'s bulkUpload always takes batches');
  if (destination === 'scim' && a.wait.wait) throw new UsageError('--wait reads Entra provisioning logs; a SCIM service provider answers each operation directly (no --wait needed)');
  const dest = destination === 'scim' ? await scimDestination(a, io, loaded) : entraDestination(a, loaded, io);
  let input: string | undefined;
  try {
    input = a.input ? resolve(io.cwd, a.input) : undefined;
    if (!input) input = loaded.mapping.analysis.samplePath;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!input) throw new UsageError('no input: the mapping has no source.sample; pass --input FILE');

  const since = new Date(Date.now() - 60_000);
  const result = await runSync({
    mapping: loaded.mapping,
    mappingPath,
    mappingText: loaded.text,
    input,
    statePath,
    endpointUrl: dest.url,
    destination,
    target: dest.target,
    targetVerdicts: dest.targetVerdicts,
    journalKey: a.dryRun ? undefined : journalKey(userStateDir(io.env)),
    tokens: dest.tokens,
    dryRun: a.dryRun,
    full: a.full,
    force: a.force,
    maxDisable: a.maxDisable,
    minRecords: a.minRecords,
    listAll: a.format === 'json',
    signal: io.signal,
    onPlan: (plan, verdicts) => {
      if (a.format === 'text') io.stdout.write(redact(planText(plan, verdicts, dest.url, statePath, a.dryRun)));
      if (!a.dryRun && !verdicts.some((v) => v.verdict === 'refuse') && plan && dest.sendingLine) err(dest.sendingLine);
    },
    onProgress: (e) => {
      const line = describeProgress(e);
      if (line) err(destination === 'scim' ? scimProgressLine(line, dest.bulk === true) : line);
    },
  });
  if (result.stateRepairedBytes) err(`state: cut ${result.stateRepairedBytes} unconfirmed byte(s) left by an interrupted run (their operations were planned again)`);
  const waited = await waitAfterSync(result, { endpoint: dest.entraEndpoint, tokens: dest.tokens, since, settings: a.wait, signal: io.signal, err });
  if (a.format === 'json') io.stdout.write(redact(JSON.stringify({ ...(jsonResult(result, dest.url, destination, a.dryRun) as object), ...waited.json, exitCode: waited.exitCode }, null, 2)) + '\n');
  else io.stdout.write(redact(resultText(result, a.dryRun) + waited.text));
  return waited.exitCode;
}

function planText(plan: SyncPlan | undefined, verdicts: GuardVerdict[], endpoint: string, statePath: string, dryRun: boolean): string {
  const lines = [`Sync plan${dryRun ? ' (dry run)' : ''} for ${endpoint}`, `  state: ${statePath}`];
  if (plan) {
    const c = plan.counts;
    lines.push(`  ${plan.exportRecords} record(s) in the export; ${plan.stateEntries} in the state (${plan.stateActive} active)`);
    lines.push(`  ${CLASS_NAMES.map((k) => `${k} ${c[k]}`).join(' · ')}${c.missingIgnored ? ` · absent but ignored (sync.missing: ignore) ${c.missingIgnored}` : ''}`);
    for (const k of CLASS_NAMES) {
      if (!c[k] || k === 'failed') continue;
      const ids = plan.ids[k];
      lines.push(`  ${k.padEnd(11)} ${ids.join(', ')}${c[k] > ids.length ? `, … (+${c[k] - ids.length})` : ''}`);
    }
    if (plan.failures.length) {
      lines.push('  failed (never sent, never disabled):');
      for (const f of plan.failures) lines.push(`    record ${f.record}${f.externalId ? ` (${f.externalId})` : f.key ? ` (${f.key})` : ''}: ${f.errors.map((x) => `${x.attribute ? `${x.attribute}: ` : ''}${x.message}`).join('; ')}`);
      if (c.failed > plan.failures.length) lines.push(`    … and ${c.failed - plan.failures.length} more (--format json lists all)`);
    }
  }
  lines.push('Guards:');
  for (const v of verdicts) lines.push(`  ${v.verdict.padEnd(6)} ${v.guard}: ${v.message}${v.verdict !== 'pass' && v.override ? `\n         to override: ${v.override}` : ''}`);
  return lines.join('\n') + '\n';
}

function resultText(r: SyncRunResult, dryRun: boolean): string {
  if (r.refused) return 'Refused by a guard: nothing was sent and the state is unchanged.\n';
  if (dryRun) return 'Dry run: nothing was sent.\n';
  const s = r.summary;
  if (!s) return '';
  const t = s.totals;
  const lines = [
    `Sent ${t.sent} operation(s) in ${t.calls} call(s): ${t.accepted} accepted, ${t.failed} failed, ${t.notSent} not sent (${(s.durationMs / 1000).toFixed(1)} s)`,
  ];
  if (r.disablesHeld) lines.push('Disables were held back (see the guards above).');
  if (s.stopped) lines.push(`Stopped: ${s.stopped.message}. Run the same command again: it re-plans from the state, nothing accepted is sent twice.`);
  const bad = s.records.filter((x) => x.status !== 'accepted');
  for (const x of bad.slice(0, 20)) lines.push(`  ${x.externalId ?? x.bulkId}${x.bulkId.endsWith(':manager') ? ' (manager link)' : ''}  ${x.status}  ${x.errorCode ?? ''} ${x.errorMessage ?? ''}`.trimEnd());
  if (bad.length > 20) lines.push(`  … and ${bad.length - 20} more (--format json for all)`);
  if (r.journalPath) lines.push(`journal: ${r.journalPath}`);
  return lines.join('\n') + '\n';
}

function jsonResult(r: SyncRunResult, endpoint: string, destination: SyncDestination, dryRun: boolean): unknown {
  const p = r.plan;
  return {
    runId: r.runId,
    endpoint,
    destination,
    dryRun,
    state: r.statePath,
    plan: p && { exportRecords: p.exportRecords, stateEntries: p.stateEntries, stateActive: p.stateActive, missing: p.missing, counts: p.counts, unidentified: p.unidentified, ids: p.ids, failures: p.failures },
    guards: r.verdicts,
    refused: r.refused,
    disablesHeld: r.disablesHeld,
    sent: r.summary && { totals: r.summary.totals, stopped: r.summary.stopped, notAccepted: r.summary.records.filter((x) => x.status !== 'accepted'), durationMs: r.summary.durationMs },
    journal: r.journalPath,
    exitCode: r.exitCode,
  };
}

function history(statePath: string, a: SyncArgs, io: CliIO): number {
  const files = syncFiles(statePath);
  let runs: RunRecord[];
  try {
    runs = readHistory(files.history);
  } catch (e) {
    throw new UsageError(`cannot read the history ${files.history}: ${(e as Error).message}`);
  }
  if (a.format === 'json') {
    io.stdout.write(JSON.stringify({ state: files.state, history: files.history, runs }, null, 2) + '\n');
    return 0;
  }
  if (!runs.length) {
    io.stdout.write(`No sync runs recorded for ${files.state}\n`);
    return 0;
  }
  const lines = [`Sync runs for ${files.state} (oldest first):`];
  for (const r of runs) {
    const s = r.start;
    const kind = s.dryRun ? 'dry run' : s.refused ? 'refused' : r.interrupted ? 'interrupted' : 'sent';
    const counts = CLASS_NAMES.map((k) => `${k} ${s.counts[k]}`).join(', ');
    const sent = r.end?.sent ? `; accepted ${r.end.sent.accepted}, failed ${r.end.sent.failed}, not sent ${r.end.sent.notSent}` : '';
    lines.push(`  ${s.at}  ${kind.padEnd(11)} ${s.exportRecords} record(s): ${counts}${sent}; exit ${r.end ? r.end.exitCode : '-'}`);
    for (const v of s.guards.filter((g) => g.verdict !== 'pass')) lines.push(`      ${v.verdict} ${v.guard}: ${v.message}`);
    if (r.end?.stopped) lines.push(`      stopped: ${r.end.stopped}`);
    if (s.journal) lines.push(`      journal: ${s.journal}`);
  }
  io.stdout.write(redact(lines.join('\n')) + '\n');
  return 0;
}

function parseOrUsage(url: string): UploadEndpoint {
  try {
    return parseEndpoint(url);
  } catch (e) {
    if (e instanceof EndpointError) throw new UsageError(e.message);
    throw e;
  }
}
