/**
 * One sync run: plan against the state, evaluate the guards, then (unless refused or a dry run) send through the
 * shared delivery loop and record in the state exactly the operations the target accepted. Every run is
 * re-planned from the state, so a run killed at any point is completed by the next one: an accepted operation is
 * in the state (not sent again), an unconfirmed one is planned again (a disable is never lost).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fileIdentity, hashText, Journal } from '../delivery/journal';
import { mergeSummaries } from '../delivery/summary';
import type { DeliveryOptions } from '../delivery/uploader';
import type { TokenProvider, UploadProgress, UploadSummary } from '../delivery/types';
import { inputOf, transformFile, type CompiledMapping } from '../engine/pipeline';
import { ReaderError } from '../engine/readers';
import { addResult, datasetFindings, DatasetStats } from '../engine/checks/dataset';
import { decide, destinationProblem } from '../engine/checks/preflight';
import type { ScimResource } from '../engine/types';
import { disablesHeld, evaluateGuards, refused, type GuardVerdict, type Threshold } from './guards';
import { appendHistory, type RunStart } from './history';
import { syncFiles } from './paths';
import { C_CREATE, C_REACTIVATE, C_UNCHANGED, C_UPDATE, computePlan, externalIdOf, isActive, type SyncPlan } from './plan';
import { DISABLED_HASH, StateError, SyncState, type StateUpdate } from './stateStore';
import type { SyncChange, SyncDestination, SyncRecorder, SyncSendContext, SyncTarget } from './target';

export const EXIT_SYNC_OK = 0;
export const EXIT_SYNC_FAILED = 1;
export const EXIT_SYNC_REFUSED = 3;

export interface SyncRunOptions {
  mapping: CompiledMapping;
  mappingPath: string;
  mappingText: string;
  /** Absolute path of the export; default the mapping's source.sample. */
  input?: string;
  statePath: string;
  /** Endpoint URL, for the history and the plan (the target posts). */
  endpointUrl: string;
  /** The kind of service the state belongs to (default entra): a state of the other kind is refused. */
  destination?: SyncDestination;
  /** Absent for a dry run. */
  target?: SyncTarget;
  /** The per-user key the run journal hashes externalIds with (delivery/stateDir.ts journalKey); needed to send. */
  journalKey?: Buffer;
  tokens?: TokenProvider;
  dryRun?: boolean;
  full?: boolean;
  maxDisable: Threshold;
  minRecords: Threshold;
  /** Verdicts of the target's own checks before sending (SCIM: compatibility with the server's schemas). */
  targetVerdicts?: GuardVerdict[];
  /** Send despite dataset errors (externalId empty everywhere, active false on every record…). */
  force?: boolean;
  /** Keep every externalId per class in the plan (--format json), not only the first few. */
  listAll?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: UploadProgress) => void;
  /** Called once the plan and verdicts are known, before anything is sent. */
  onPlan?: (plan: SyncPlan | undefined, verdicts: GuardVerdict[]) => void;
  /**
   * Asked once the guards passed, before anything is written or sent (VS Code's confirmation names the counts of
   * this very plan). False: nothing is sent.
   */
  approve?: (plan: SyncPlan, verdicts: GuardVerdict[]) => Promise<boolean>;
  /** Pacing, retries, concurrency (tests). */
  delivery?: Pick<DeliveryOptions, 'pacing' | 'retry' | 'concurrency' | 'requestTimeoutMs' | 'random'>;
}

export interface SyncRunResult {
  runId: string;
  statePath: string;
  historyPath: string;
  journalPath?: string;
  plan?: SyncPlan;
  verdicts: GuardVerdict[];
  refused: boolean;
  disablesHeld: boolean;
  /** `approve` said no: nothing was sent. */
  declined?: boolean;
  summary?: UploadSummary;
  /** Bytes of an unconfirmed tail cut from the state log (a crash mid-write), when > 0. */
  stateRepairedBytes: number;
  exitCode: number;
}

export class SyncIoError extends Error {}

export async function runSync(o: SyncRunOptions): Promise<SyncRunResult> {
  // Every caller (CLI, VS Code) gets the same refusal: a mapping's payloads are only right for its own kind of target.
  const destination = o.destination ?? 'entra';
  if (destination === 'entra' && destinationProblem(o.mapping, 'entra')) throw new SyncIoError(destinationProblem(o.mapping, 'entra')!);
  if (destination === 'scim' && o.mapping.target !== 'scim') throw new SyncIoError(`this mapping has target: ${o.mapping.target}, but the sync goes to a SCIM service provider; set target: scim in the mapping (and fix what validate then reports)`);
  const files = syncFiles(o.statePath);
  const runId = randomUUID();
  const state = SyncState.open(files.state, { readOnly: o.dryRun });
  try {
    return await runWithState(o, state, files, runId);
  } finally {
    state.close();
  }
}

async function runWithState(o: SyncRunOptions, state: SyncState & { tornBytes: number }, files: ReturnType<typeof syncFiles>, runId: string): Promise<SyncRunResult> {
  const base = { runId, statePath: files.state, historyPath: files.history, stateRepairedBytes: state.tornBytes };
  const destination = o.destination ?? 'entra';
  checkDestination(state, destination, files.state);
  const inputFile = inputOf(o.mapping, o.input);
  const unreadable = (why: string): SyncRunResult => {
    const verdicts: GuardVerdict[] = [{ guard: 'export-readable', verdict: 'refuse', message: `the export cannot be read: ${why}`, override: 'none: fix the export' }];
    o.onPlan?.(undefined, verdicts);
    const counts = { create: 0, update: 0, unchanged: 0, reactivate: 0, disable: 0, failed: 0, missingIgnored: 0, skipped: 0 };
    appendHistory(files.history, { type: 'start', runId, at: new Date().toISOString(), endpoint: o.endpointUrl, mapping: o.mappingPath, input: inputFile, dryRun: o.dryRun === true, full: o.full === true, counts, exportRecords: 0, guards: verdicts, refused: true });
    appendHistory(files.history, { type: 'end', runId, at: new Date().toISOString(), exitCode: EXIT_SYNC_REFUSED });
    return { ...base, verdicts, refused: true, disablesHeld: false, exitCode: EXIT_SYNC_REFUSED };
  };

  let identity;
  try {
    identity = await fileIdentity(inputFile);
  } catch (e) {
    return unreadable(describeIoError(e));
  }
  let plan: SyncPlan;
  const stats = new DatasetStats(o.mapping);
  try {
    plan = await computePlan(transformFile(o.mapping, { input: o.input, signal: o.signal, knownIds: state.table }), state, { missing: o.mapping.syncMissing, listAll: o.listAll, onResult: (r) => addResult(stats, r) });
  } catch (e) {
    if (e instanceof ReaderError || (e as NodeJS.ErrnoException).code) return unreadable(describeIoError(e));
    throw e;
  }
  if (o.signal?.aborted) throw new SyncIoError('cancelled while planning; nothing was sent');
  const verdicts = evaluateGuards({ plan, lastExportRecords: state.meta.lastExportRecords, maxDisable: o.maxDisable, minRecords: o.minRecords });
  // The engine's dataset checks (the same decision uploads make): an error there makes every record wrong.
  const dataset = datasetFindings(o.mapping, stats);
  const decision = decide({ dataset }, { force: o.force });
  if (!decision.send) {
    for (const reason of decision.reasons) verdicts.push({ guard: 'dataset', verdict: 'refuse', message: reason, override: '--force, once you know the export is right (the other guards still apply)' });
  } else if (o.force) {
    for (const d of dataset.filter((x) => x.blocking)) verdicts.push({ guard: 'dataset', verdict: 'pass', message: `${d.attribute}: ${d.message} (sent anyway: --force)` });
  }
  verdicts.push(...(o.targetVerdicts ?? []));
  const isRefused = refused(verdicts);
  const held = disablesHeld(verdicts);
  o.onPlan?.(plan, verdicts);
  const mappingFailed = plan.counts.failed > 0;

  const start: RunStart = {
    type: 'start',
    runId,
    at: new Date().toISOString(),
    endpoint: o.endpointUrl,
    mapping: o.mappingPath,
    input: inputFile,
    dryRun: o.dryRun === true,
    full: o.full === true,
    counts: plan.counts,
    exportRecords: plan.exportRecords,
    guards: verdicts,
    refused: isRefused,
  };
  if (o.dryRun || isRefused) {
    const exitCode = isRefused ? EXIT_SYNC_REFUSED : mappingFailed ? EXIT_SYNC_FAILED : EXIT_SYNC_OK;
    appendHistory(files.history, start);
    appendHistory(files.history, { type: 'end', runId, at: new Date().toISOString(), exitCode });
    return { ...base, plan, verdicts, refused: isRefused, disablesHeld: held, exitCode };
  }
  if (!o.target || !o.tokens || !o.journalKey) throw new SyncIoError('no endpoint, sign-in or journal key to send with');
  if (o.approve && !(await o.approve(plan, verdicts))) {
    appendHistory(files.history, start);
    appendHistory(files.history, { type: 'end', runId, at: new Date().toISOString(), exitCode: EXIT_SYNC_FAILED, stopped: 'not confirmed' });
    return { ...base, plan, verdicts, refused: false, disablesHeld: held, declined: true, exitCode: EXIT_SYNC_FAILED };
  }

  fs.mkdirSync(files.runs, { recursive: true, mode: 0o700 });
  const journal = Journal.create(join(files.runs, `${start.at.replace(/[:.]/g, '-')}-${runId.slice(0, 8)}.jsonl`), {
    endpoint: o.endpointUrl,
    mappingHash: hashText(o.mappingText),
    input: identity,
  }, o.journalKey);
  start.journal = journal.path;
  appendHistory(files.history, start);
  state.setMeta({ ...state.meta, lastExportRecords: plan.exportRecords, lastRunAt: start.at, endpoint: o.endpointUrl, mapping: o.mappingPath, destination });

  // The send pass maps the file again; it must be the file that was planned.
  const again = await fileIdentity(inputFile).catch(() => undefined);
  if (!again || again.sha256 !== identity.sha256) {
    journal.close('input-changed');
    appendHistory(files.history, { type: 'end', runId, at: new Date().toISOString(), exitCode: EXIT_SYNC_REFUSED, stopped: 'the export changed while planning' });
    const v: GuardVerdict = { guard: 'export-readable', verdict: 'refuse', message: 'the export changed between planning and sending; nothing was sent', override: 'run again when the export is complete' };
    return { ...base, plan, verdicts: [...verdicts, v], refused: true, disablesHeld: held, exitCode: EXIT_SYNC_REFUSED, journalPath: journal.path };
  }

  const entryOf = (r: ScimResource): StateUpdate | undefined => {
    const id = externalIdOf(r as Record<string, unknown>);
    return id === undefined ? undefined : { externalId: id, hash: state.payloadHash(r), active: isActive(r as Record<string, unknown>) };
  };
  const recorder: SyncRecorder = {
    entryOf,
    record: (entries) => state.apply(entries),
    sent: (resources) => state.apply(resources.map(entryOf).filter((u): u is StateUpdate => u !== undefined)),
    deactivated: (ids) => state.apply(ids.map((externalId) => ({ externalId, hash: DISABLED_HASH, active: false }))),
  };

  async function* changes(): AsyncIterable<SyncChange> {
    let i = 0;
    for await (const r of transformFile(o.mapping, { input: o.input, signal: o.signal, knownIds: state.table })) {
      const c = plan.classes[i++];
      if (r.errors.length) continue;
      if (c === C_CREATE || c === C_UPDATE || c === C_REACTIVATE || (o.full && c === C_UNCHANGED)) yield { resource: r.resource, index: r.index };
    }
  }
  function* leavers(): Iterable<string> {
    for (const e of plan.disables) yield state.table.id(e);
  }

  const target = o.target;
  const ctx: SyncSendContext = { tokens: o.tokens, journal, recorder, signal: o.signal, onProgress: o.onProgress, delivery: o.delivery };
  let summary: UploadSummary;
  try {
    // Sends first, then the leavers, in one journal; a stopped send (403, throttled for too long…) deactivates no one.
    const deactivating = !held && plan.disables.length > 0;
    summary = await target.send(changes(), { ...ctx, keepJournalOpen: deactivating });
    if (deactivating && !summary.stopped) summary = mergeSummaries(summary, await target.deactivate(leavers(), { ...ctx, firstOrdinal: summary.totals.records }));
    else if (deactivating) {
      journal.close(summary.stopped!.reason);
      if (!o.signal?.aborted) summary = withUnsentLeavers(summary, leavers());
    }
  } catch (e) {
    try {
      journal.close('error');
    } catch {
      /* the original error is the one to report */
    }
    appendHistory(files.history, { type: 'end', runId, at: new Date().toISOString(), exitCode: EXIT_SYNC_FAILED, stopped: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  const t = summary.totals;
  const ok = !summary.stopped && t.failed === 0 && t.notSent === 0 && !mappingFailed && !held;
  const exitCode = ok ? EXIT_SYNC_OK : EXIT_SYNC_FAILED;
  appendHistory(files.history, {
    type: 'end',
    runId,
    at: new Date().toISOString(),
    exitCode,
    sent: { accepted: t.accepted, failed: t.failed, notSent: t.notSent, calls: t.calls },
    stopped: summary.stopped?.message,
  });
  return { ...base, plan, verdicts, refused: false, disablesHeld: held, summary, journalPath: journal.path, exitCode };
}

/** A stopped run lists the leavers it never reached as not sent, so that the summary accounts for every operation. */
function withUnsentLeavers(s: UploadSummary, ids: Iterable<string>): UploadSummary {
  const records = [...s.records];
  const totals = { ...s.totals };
  for (const externalId of ids) {
    records.push({ ordinal: totals.records++, bulkId: externalId, externalId, batch: -1, status: 'not-sent', errorCode: 'NotSent', errorMessage: s.stopped?.message });
    totals.notSent++;
  }
  return { ...s, records, totals };
}

const DESTINATION_NAME: Record<SyncDestination, string> = { entra: 'Entra (bulkUpload)', scim: 'a SCIM service provider' };

/**
 * A state remembers what one kind of service accepted: planning a SCIM sync from an Entra state (or the reverse)
 * would skip people the other service never got and disable people it never had. States written before SCIM
 * targets existed carry no destination: they are Entra's.
 */
function checkDestination(state: SyncState, destination: SyncDestination, path: string): void {
  const theirs = state.meta.destination ?? (state.meta.endpoint !== undefined || state.table.size > 0 ? 'entra' : undefined);
  if (theirs === undefined || theirs === destination) return;
  throw new StateError(`the state ${path} belongs to a sync to ${DESTINATION_NAME[theirs]}${state.meta.endpoint ? ` (${state.meta.endpoint})` : ''}, not to ${DESTINATION_NAME[destination]}; use another --state (the default state is per destination)`);
}

function describeIoError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
