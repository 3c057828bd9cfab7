/**
 * The upload commands' implementation (registered in index.ts): Send Test Upload to an Entra profile (SCIM
 * profiles: scim.ts), resume, results and polling, secrets, the local stand-in. Profiles: profilePicker.ts; records:
 * recordPicker.ts; the interrupted-run hand-off: resumeHandOff.ts; the stand-in: standInCommand.ts.
 */
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import {
  ensurePrivateDir,
  hashText,
  Journal,
  journalKey,
  JournalError,
  logLagNotice,
  pollProvisioningResults,
  resultsCsv,
  resultsJson,
  redact,
  redactError,
  uploadBatches,
  type TokenProvider,
  type UploadSummary,
} from '../../../src/targets/entra/upload';
import { Requests, type PreviewData } from '../../../src/service/protocol';
import type { BulkRequest } from '../../../src/engine/types';
import type { CompiledMapping } from '../../../src/engine/transform/compile';
import type { ScimReadiness } from '../../../src/targets/scim';
import { Credentials } from './credentials';
import { openChoice, PrivateState, sealChoice } from './privateState';
import { RESTRICTED_MODE_MESSAGE } from '../trust';
import { pickMappingDocument } from '../mappingPicker';
import type { SendTestUploadArgs, UploadDeps, UploadServer } from './api';
import { ProfilePicker } from './profilePicker';
import { LocalStandIn } from './standInCommand';
import { pickRecords, previewedRecord } from './recordPicker';
import { askAboutInterruptedRun, LAST_RUN_FILE, OLD_STATE_KEYS, PENDING_FILE, type LastRun, type PendingRun } from './resumeHandOff';
import { addAttributeToApp, isAddAttributeArgs, jobNote } from './appPush';
import { pollLoop } from './pollLoop';
import {
  resolveProfile,
  type ResolvedProfile,
  type UploadProfile,
} from './profiles';
import { applyOutcomes, acceptedExternalIds, buildResultsState, failedExternalIds, pendingExternalIds, resultRows, type ResultsState } from './resultsModel';
import { ResultsPanel } from './resultsPanel';
import { scimResultsCsv, scimResultsJson } from './scimResults';
import { addScimEndpoint, scimPickItems, scimReadiness, sendTestUploadToScim, setScimSecret, type ScimUploadHost } from './scim';
import { resolveScimProfile, type ResolvedScimProfile, type ScimProfile } from './scimProfiles';
import {
  checkExport,
  confirmationText,
  countOperations,
  describeChoice,
  describeProgress,
  externalIdOf,
  labelOf,
  locateSource,
  operationsOf,
  selectionIdentity,
  selectRequests,
  type RecordChoice,
} from './selection';


const POLL_DEADLINE_MS = 15 * 60_000;

type Cancelled = undefined;

/** The upload commands' state: the running upload, the polling, the last results, the stand-in. */
export class UploadController implements vscode.Disposable {
  private readonly credentials: Credentials;
  private readonly state: PrivateState;
  private readonly profilePicker: ProfilePicker;
  private readonly panel: ResultsPanel;
  private readonly standIn: LocalStandIn;
  private uploading?: AbortController;
  private polling?: AbortController;
  /** The last run; `profile` is absent for a SCIM run (no provisioning logs to read with it). */
  private last?: { state: ResultsState; profile?: ResolvedProfile; since: Date };

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: UploadDeps,
  ) {
    this.credentials = new Credentials(context);
    this.profilePicker = new ProfilePicker((line) => this.log(line));
    this.standIn = new LocalStandIn({ output: deps.output, profiles: this.profilePicker, credentials: this.credentials, log: (line) => this.log(line) });
    this.state = new PrivateState(context.globalStorageUri.fsPath);
    // Older versions kept these (with names and externalIds) in VS Code's shared state database.
    for (const k of OLD_STATE_KEYS) if (context.globalState.get(k) !== undefined) void context.globalState.update(k, undefined);
    const report = (what: string) => (e: unknown): void => {
      this.log(`${what}: ${redactError(e)}`);
      void vscode.window.showErrorMessage(redactError(e));
    };
    this.panel = new ResultsPanel({
      poll: () => void this.showProvisioningResults().catch(report('poll')),
      resendFailed: () => void this.resendFailed().catch(report('resend failed')),
      export: (format) => void this.exportResults(format).catch(report('export results')),
      reveal: (externalId) => void this.revealRecord(externalId).catch(report('show record')),
    });
  }

  private log(line: string): void {
    this.deps.output.appendLine(redact(`[upload] ${line}`));
  }

  // ---------- profiles ----------

  /** Uploads and the stand-in need a trusted workspace: a repository opened in Restricted Mode gets static checks only. */
  private requireTrust(what: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(`${what} is not available in Restricted Mode. ${RESTRICTED_MODE_MESSAGE}`, 'Manage Workspace Trust').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return false;
  }

  /** Credentials for `r` (asks for a missing secret; signs in only when a token is needed). */
  tokens(r: ResolvedProfile): Promise<TokenProvider | undefined> {
    return this.credentials.tokenProvider(r, 'upload', true);
  }

  /** An Entra profile, or with `withScim` also a SCIM endpoint (Send Test Upload). */
  pickProfile(preferred?: string, title = 'Send Test Upload: where to?', withScim = true): Promise<ResolvedProfile | ResolvedScimProfile | Cancelled> {
    return this.profilePicker.pick({ preferred, title, withScim, addScim: () => this.addScimEndpoint() });
  }

  scimReadiness(r: ResolvedScimProfile, mapping: CompiledMapping): Promise<{ ready: ScimReadiness; tokens: TokenProvider } | undefined> {
    return scimReadiness(this.scimHost(), r, mapping);
  }

  addScimEndpoint(): Promise<ResolvedScimProfile | undefined> {
    return addScimEndpoint(this.scimHost());
  }

  /** What the SCIM branch (scim.ts) uses of this controller. */
  private scimHost(): ScimUploadHost {
    return {
      credentials: this.credentials,
      log: (line) => this.log(line),
      pickMapping: (arg) => this.pickMapping(arg),
      exportBulk: (doc) => this.exportBulk(doc),
      pickRecords: (doc, requests, failed, arg) => this.pickRecords(doc, requests, failed, arg),
      journalSetup: () => this.journalSetup(),
      showResults: async (state) => {
        this.polling?.abort();
        this.last = { state, since: new Date() };
        await this.persistLast();
        this.panel.show(state, true);
      },
      setUploading: (abort) => void (this.uploading = abort),
      saveProfile: (p) => this.profilePicker.save(p),
      savePending: (run) => {
        const key = this.journalSetup().key;
        this.state.write(PENDING_FILE, run ? ({ ...run, kind: 'scim', choice: sealChoice(run.choice, key) } satisfies PendingRun) : undefined);
      },
      profileNames: () => {
        const { profiles, scim } = this.profilePicker.all();
        return [...profiles, ...scim].map((p) => p.name);
      },
    };
  }

  // ---------- mapping and records ----------

  private async pickMapping(arg?: SendTestUploadArgs): Promise<vscode.TextDocument | Cancelled> {
    if (arg?.uri) return vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri));
    return pickMappingDocument('Send Test Upload');
  }

  private server(): UploadServer {
    const c = this.deps.getClient();
    if (!c) throw new Error('the SCIM Mapper language server is not running (see the SCIM Mapper output)');
    if ('exportBulk' in c) return c;
    return {
      exportBulk: (uri) => c.sendRequest(Requests.exportBulk, { uri: uri.toString() }),
      preview: (uri, recordIndex) => c.sendRequest(Requests.preview, { uri: uri.toString(), recordIndex }),
    };
  }

  /** The mapping's BulkRequests, built by the language server from the sample (records with mapping errors left out). */
  private async exportBulk(doc: vscode.TextDocument): Promise<{ requests: BulkRequest[]; failed: number; source?: string; blocked: string[]; refused?: string }> {
    const server = this.server();
    // A document opened a moment ago may not have reached the server yet: it answers null until it has.
    for (let attempt = 0; ; attempt++) {
      const raw = await server.exportBulk(doc.uri);
      if (raw || attempt >= 20) return checkExport(raw);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private pickRecords(doc: vscode.TextDocument, requests: BulkRequest[], failed: number, arg?: SendTestUploadArgs): Promise<RecordChoice | Cancelled> {
    return pickRecords(doc, requests, failed, () => previewedRecord(this.server(), doc, arg?.recordIndex ?? this.deps.previewRecord?.(doc.uri)));
  }

  // ---------- commands ----------

  async sendTestUpload(arg?: SendTestUploadArgs): Promise<void> {
    if (!this.requireTrust('Send Test Upload')) return;
    if (this.uploading) {
      void vscode.window.showWarningMessage('A test upload is already running; cancel it from its progress notification first.');
      return;
    }
    const interrupted = await askAboutInterruptedRun(this.state);
    if (interrupted === 'cancelled') return;
    if (interrupted) return this.resume(interrupted);

    const picked = await this.pickProfile(arg?.profile);
    if (!picked) return;
    if ('kind' in picked) return sendTestUploadToScim(this.scimHost(), picked, arg);
    const resolved = picked;
    const doc = await this.pickMapping(arg);
    if (!doc) return;
    const { requests, failed, source, blocked, refused } = await this.exportBulk(doc);
    if (refused) throw new Error(refused);
    if (blocked.length) {
      // The engine's send decision: a finding that makes every record wrong stops the upload unless confirmed.
      const force = await vscode.window.showErrorMessage(
        `Nothing was sent: a check over all sample records of ${basename(doc.uri.fsPath)} failed.`,
        { modal: true, detail: blocked.join('\n') },
        'Send Anyway',
      );
      if (force !== 'Send Anyway') return;
    }
    const given = Array.isArray(arg?.externalIds) ? arg.externalIds.filter((x): x is string => typeof x === 'string') : undefined;
    const choice: RecordChoice | undefined = given?.length ? { kind: 'records', externalIds: given, label: arg?.label } : await this.pickRecords(doc, requests, failed, arg);
    if (!choice) return;
    const selected = selectRequests(requests, choice);
    await this.run({ resolved, doc, selected, choice, total: countOperations(requests), source });
  }

  /** The quick fix "Add to the provisioning app…" (code action of app-attribute-missing). */
  async addAttributeToApp(arg: unknown): Promise<void> {
    if (!isAddAttributeArgs(arg)) throw new Error('Add to the provisioning app: run it from the quick fix of an "Entra ignores it" warning');
    if (!this.requireTrust('Add to the provisioning app')) return;
    const resolved = await this.pickProfile(undefined, 'Add to the provisioning app: which Entra profile?', false);
    if (!resolved) return;
    if ('kind' in resolved) throw new Error(`profile '${resolved.profile.name}' is a SCIM endpoint; the provisioning app belongs to an Entra profile`);
    const tokens = await this.credentials.tokenProvider(resolved, 'sync', true);
    if (!tokens) return;
    await addAttributeToApp(arg, resolved, tokens, (l) => this.log(l));
  }

  private async resume(p: PendingRun): Promise<void> {
    if (p.kind === 'scim') {
      const sp = this.profilePicker.all().scim.find((x) => x.name === p.profile);
      if (!sp) throw new Error(`SCIM profile '${p.profile}' of the interrupted upload no longer exists; start a new upload`);
      const resolved = resolveScimProfile(sp, process.env);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(p.mappingUri));
      const choice = openChoice(p.choice, (await this.exportBulk(doc)).requests, this.journalSetup().key);
      return sendTestUploadToScim(this.scimHost(), resolved, undefined, { journalPath: p.journalPath, doc, choice, startedAt: p.startedAt });
    }
    const profile = this.profilePicker.profiles().find((x) => x.name === p.profile);
    if (!profile) throw new Error(`profile '${p.profile}' of the interrupted upload no longer exists; start a new upload`);
    const resolved = resolveProfile(profile);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(p.mappingUri));
    const { requests, source } = await this.exportBulk(doc);
    const choice = openChoice(p.choice, requests, this.journalSetup().key);
    const selected = selectRequests(requests, choice);
    await this.run({ resolved, doc, selected, choice, total: countOperations(requests), source, resumeFrom: p });
  }

  /** The journal key (HMAC of externalIds) and journal folder, in the extension's global storage (0700). */
  private journalSetup(): { key: Buffer; dir: string } {
    const root = ensurePrivateDir(this.context.globalStorageUri.fsPath);
    return { key: journalKey(root), dir: ensurePrivateDir(join(root, 'uploads')) };
  }

  private async run(o: { resolved: ResolvedProfile; doc: vscode.TextDocument; selected: BulkRequest[]; choice: RecordChoice; total: number; source?: string; resumeFrom?: PendingRun }): Promise<void> {
    const { resolved, doc, selected } = o;
    const storage = this.journalSetup();
    const endpoint = resolved.endpoint;
    const host = new URL(endpoint.origin).host;
    const records = countOperations(selected);
    const identity = { endpoint: endpoint.url, mappingHash: hashText(doc.getText()), input: selectionIdentity(selected, doc.uri.fsPath) };

    let journal: Journal | undefined;
    if (o.resumeFrom) {
      try {
        journal = Journal.resume(o.resumeFrom.journalPath, identity, storage.key);
      } catch (e) {
        if (!(e instanceof JournalError)) throw e;
        this.state.write(PENDING_FILE, undefined);
        throw new Error(`${e.message.replace(/^cannot resume: /, 'Cannot resume: ')}. Start a new upload instead.`);
      }
    }
    try {
      // The secret is asked here (first use), before the confirmation; nothing is signed in or sent until confirmed.
      const tokens = await this.credentials.tokenProvider(resolved, 'upload', true);
      if (!tokens) return journal?.close('cancelled');
      const text = confirmationText(resolved, {
        records,
        requests: selected.length,
        choice: o.choice,
        total: o.total,
        signIn: tokens.description,
        mappingName: basename(doc.uri.fsPath),
        source: o.source ? locateSource(o.source, (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath)) : undefined,
        resume: journal ? { previouslyAccepted: journal.previouslyAccepted } : undefined,
      });
      const ok = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, o.resumeFrom ? 'Resume Upload' : 'Send');
      if (!ok) return journal?.close('cancelled');
      // Only after the confirmation (nothing is signed in before): a paused or quarantined job stages the records
      // without processing them. Delegated sign-ins hold no Synchronization scope, so only app profiles check.
      const idle = resolved.profile.auth === 'signIn' ? undefined : await jobNote(endpoint, tokens, (l) => this.log(l));
      if (idle) {
        const go = await vscode.window.showWarningMessage(`${idle}.`, { modal: true, detail: 'Send anyway, or cancel and start the job first (scimmap app start, or the Entra portal).' }, 'Send Anyway');
        if (go !== 'Send Anyway') return journal?.close('cancelled');
      }

      const journalPath = join(storage.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
      journal ??= Journal.create(journalPath, identity, storage.key);
      const pending: PendingRun = o.resumeFrom ?? {
        journalPath: journal.path,
        profile: resolved.profile.name,
        mappingUri: doc.uri.toString(),
        mappingName: basename(doc.uri.fsPath),
        choice: sealChoice(o.choice, storage.key),
        records,
        host,
        startedAt: new Date().toISOString(),
      };
      // Saved before sending: if VS Code dies mid-run, the next "Send Test Upload" offers to resume.
      this.state.write(PENDING_FILE, pending);
      const j = journal;
      journal = undefined; // uploadBatches closes it
      await this.upload(resolved, selected, tokens, j, pending, describeChoice(o.choice, o.total));
    } finally {
      journal?.close('cancelled');
    }
  }

  private async upload(resolved: ResolvedProfile, selected: BulkRequest[], tokens: TokenProvider, journal: Journal, pending: PendingRun, what: string): Promise<void> {
    const endpoint = resolved.endpoint;
    const host = new URL(endpoint.origin).host;
    const records = countOperations(selected);
    const since = new Date(Date.now() - 60_000); // clock skew between this machine and Entra's log timestamps
    const abort = new AbortController();
    this.uploading = abort;
    this.log(`sending ${what} (${records} record(s)) to ${endpoint.url} with ${tokens.description}; journal ${journal.path}${journal.resumed ? ` (resuming, ${journal.previouslyAccepted} already accepted)` : ''}`);
    let summary: UploadSummary;
    try {
      summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Uploading to ${host}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          progress.report({ message: `${records} record(s) in ${selected.length} request(s)…` });
          let done = 0;
          return uploadBatches(selected, {
            endpoint,
            tokens,
            journal,
            signal: abort.signal,
            onProgress: (e) => {
              const line = describeProgress(e);
              if (line) this.log(line);
              if (e.type === 'batch-done' || e.type === 'skipped') {
                const n = e.type === 'batch-done' ? e.batch.operations : e.operations;
                done += n;
                progress.report({ increment: (100 * n) / Math.max(1, records), message: `${done} of ${records} record(s) done` });
              } else if (e.type === 'retry' || e.type === 'token-refresh') {
                progress.report({ message: redact(line ?? '') });
              }
            },
          });
        },
      );
    } finally {
      this.uploading = undefined;
    }

    const t = summary.totals;
    const unfinished = !!summary.stopped || t.notSent > 0 || summary.batches.some((b) => b.status === 'in-doubt');
    this.state.write(PENDING_FILE, unfinished ? pending : undefined);
    const accepted = t.accepted + t.previouslyAccepted;
    this.log(`done: ${accepted} accepted, ${t.failed} failed, ${t.notSent} not sent, ${t.retried} retried call(s) in ${(summary.durationMs / 1000).toFixed(1)} s${summary.stopped ? `; stopped: ${summary.stopped.message}` : ''}`);

    const labels: Record<string, string> = {};
    for (const op of operationsOf(selected)) labels[externalIdOf(op) ?? op.bulkId] = labelOf(op);
    const notice = logLagNotice(endpoint);
    const state = buildResultsState(summary, { runId: journal.runId, profile: resolved.profile.name, host, jobId: endpoint.jobId, labels, notice, mappingUri: pending.mappingUri });
    this.last = { state, profile: resolved, since };
    await this.persistLast();
    this.panel.show(state, true);

    const headline = `${accepted} of ${records} record(s) accepted by ${host}${t.failed ? `, ${t.failed} failed` : ''}${t.notSent ? `, ${t.notSent} not sent` : ''}.`;
    if (unfinished) {
      const why = summary.stopped?.reason === 'cancelled' ? 'Upload cancelled' : `Upload stopped${summary.stopped ? `: ${summary.stopped.message}` : ''}`;
      const actions = summary.stopped?.reason === 'unauthorized' && resolved.profile.auth === 'clientSecret' ? ['Resume', 'Set Client Secret…'] : ['Resume'];
      void vscode.window.showWarningMessage(`${why}. ${headline} "Send Test Upload" offers to resume it.`, ...actions).then((a) => {
        if (a === 'Resume') void vscode.commands.executeCommand('scimmap.sendTestUpload');
        if (a === 'Set Client Secret…') void vscode.commands.executeCommand('scimmap.setClientSecret');
      });
    } else {
      void vscode.window.showInformationMessage(`${headline} ${accepted ? notice : ''}`.trim());
    }
    if (accepted) void this.startPolling(false, false);
  }

  private async persistLast(): Promise<void> {
    if (!this.last) return;
    const value: LastRun & { profile: string } = { state: this.last.state, since: this.last.since.toISOString(), profile: this.last.state.profile };
    this.state.write(LAST_RUN_FILE, value);
  }

  /** Polls in the background until every accepted record is logged or the deadline passes; `all` re-reads logged ones too. */
  private async startPolling(interactive: boolean, all: boolean): Promise<void> {
    const last = this.last;
    if (!last?.profile) return; // a SCIM run: the server answered each operation, there are no logs to read
    const lastProfile = last.profile;
    this.polling?.abort();
    const abort = new AbortController();
    this.polling = abort;
    const endpoint = lastProfile.endpoint;
    const setPoll = (poll: Partial<ResultsState['poll']>): void => {
      if (this.last !== last) return;
      last.state = { ...last.state, poll: { ...last.state.poll, ...poll } };
      this.panel.update(last.state);
    };
    let tokens: TokenProvider | undefined;
    try {
      tokens = await this.credentials.tokenProvider(lastProfile, 'logs', interactive);
    } catch (e) {
      setPoll({ state: 'failed', message: `Cannot read the provisioning logs: ${redactError(e)}` });
      return;
    }
    if (!tokens) {
      setPoll({ state: 'failed', message: 'Cannot read the provisioning logs without signing in; run "Show Provisioning Results".' });
      return;
    }
    const tk = tokens;
    let firstRound = all;
    setPoll({ state: 'waiting', message: 'Reading the provisioning logs…' });
    try {
      const end = await pollLoop({
        pending: () => {
          const ids = firstRound ? acceptedExternalIds(last.state) : pendingExternalIds(last.state);
          firstRound = false;
          return ids;
        },
        pollOnce: async (ids) =>
          (await pollProvisioningResults({
            endpoint,
            tokens: tk,
            externalIds: ids,
            since: last.since,
            deadlineMs: 0, // one round; pollLoop paces the rounds and updates the view in between
            signal: abort.signal,
          })).outcomes,
        onOutcomes: (outcomes) => {
          if (this.last !== last) return;
          last.state = applyOutcomes(last.state, outcomes);
          const p = last.state.poll;
          setPoll({ state: 'waiting', message: p.found < p.total ? 'Waiting for Entra to log the rest.' : 'Every accepted record is logged.', lastPolledAt: new Date().toISOString() });
          void this.persistLast();
        },
        intervalMs: endpoint.loopback ? 3000 : 30_000,
        deadlineMs: POLL_DEADLINE_MS,
        signal: abort.signal,
      });
      if (end === 'complete') setPoll({ state: 'complete', message: 'Every accepted record is logged.' });
      else if (end === 'timed-out') setPoll({ state: 'timed-out', message: 'Stopped waiting after 15 minutes; "Show Provisioning Results" checks again.' });
      if (end === 'complete') this.log(`provisioning logs: all ${last.state.poll.total} record(s) logged`);
    } catch (e) {
      if (!abort.signal.aborted) setPoll({ state: 'failed', message: `Reading the provisioning logs failed: ${redactError(e)}` });
    } finally {
      if (this.polling === abort) this.polling = undefined;
    }
  }

  async showProvisioningResults(): Promise<void> {
    if (!this.last && !this.restoreLast()) {
      void vscode.window.showInformationMessage('No test upload to show yet: run "Send Test Upload…" first.');
      return;
    }
    if (!this.last) return;
    this.panel.show(this.last.state);
    if (!acceptedExternalIds(this.last.state).length) return;
    await this.startPolling(true, true);
  }

  /** Resend failed: exactly the records that failed, from the mapping as it is now, through the usual confirmation. */
  async resendFailed(): Promise<void> {
    const last = this.last ?? this.restoreLast();
    if (!last) {
      void vscode.window.showInformationMessage('No test upload to resend from yet: run "Send Test Upload…" first.');
      return;
    }
    const ids = failedExternalIds(last.state);
    if (!ids.length) {
      void vscode.window.showInformationMessage('No record of the last test upload failed: nothing to resend.');
      return;
    }
    if (!last.state.mappingUri) throw new Error('the mapping of the last test upload is unknown; send the records with "Send Test Upload" instead');
    await this.sendTestUpload({ uri: last.state.mappingUri, externalIds: ids, label: `the ${ids.length} record${ids.length === 1 ? '' : 's'} that failed in the last upload`, profile: last.state.profile });
  }

  /** Export the results (externalId, action, status, code, reason, time) as CSV or JSON. */
  async exportResults(format: 'csv' | 'json'): Promise<void> {
    const last = this.last ?? this.restoreLast();
    if (!last) return;
    const rows = resultRows(last.state);
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `upload-results-${last.state.startedAt.replace(/[:.]/g, '-')}.${format}`;
    const file = await vscode.window.showSaveDialog({
      title: 'Export upload results',
      defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined,
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      saveLabel: 'Export',
    });
    if (!file) return;
    const scim = last.state.target === 'scim';
    const text = format === 'csv' ? (scim ? scimResultsCsv(rows) : resultsCsv(rows)) : scim ? scimResultsJson(rows) : resultsJson(rows);
    await vscode.workspace.fs.writeFile(file, Buffer.from(text, 'utf8'));
    this.log(`exported ${rows.length} result(s) to ${file.fsPath}`);
    void vscode.window.showInformationMessage(`Exported ${rows.length} result${rows.length === 1 ? '' : 's'} to ${basename(file.path)}.`);
  }

  /** A results row → its HR record in the preview (found by the bulkId the preview reports for each record). */
  async revealRecord(externalId: string): Promise<void> {
    const uriText = (this.last ?? this.restoreLast())?.state.mappingUri;
    if (!uriText) return;
    const uri = vscode.Uri.parse(uriText, true);
    await vscode.workspace.openTextDocument(uri);
    const data = (await this.server().preview(uri, 0)) as PreviewData | null;
    const row = data?.records.find((r) => r.bulkId === externalId) ?? data?.records.find((r) => r.key === externalId);
    if (!row) throw new Error(`record ${externalId} is not in ${basename(uri.path)}'s sample any more`);
    await vscode.commands.executeCommand('scimmap.openPreview', uri);
    await vscode.commands.executeCommand('scimmap.selectRecord', uri, row.index);
  }

  private restoreLast(): UploadController['last'] {
    const saved = this.state.read<LastRun & { profile: string }>(LAST_RUN_FILE);
    if (saved?.state?.target === 'scim') {
      this.last = { state: saved.state, since: new Date(saved.since) };
      return this.last;
    }
    const profile = saved && this.profilePicker.profiles().find((p) => p.name === saved.profile);
    if (!saved || !profile) return undefined;
    this.last = { state: saved.state, profile: resolveProfile(profile), since: new Date(saved.since) };
    return this.last;
  }

  async setClientSecret(): Promise<void> {
    const { profiles, scim } = this.profilePicker.all();
    const candidates = profiles.filter((p) => (p.auth ?? 'clientSecret') === 'clientSecret');
    if (scim.length) {
      // SCIM profiles (bearer token or client secret) are offered too, after the Entra ones.
      const pick = await vscode.window.showQuickPick<vscode.QuickPickItem & { profile?: UploadProfile; scim?: ScimProfile }>(
        [...candidates.map((p) => ({ label: p.name, description: 'Entra · client secret', profile: p })), ...scimPickItems(scim)],
        { title: 'Set the secret of which profile?', ignoreFocusOut: true },
      );
      if (!pick) return;
      if (pick.scim) return setScimSecret(this.scimHost(), resolveScimProfile(pick.scim, process.env));
      candidates.splice(0, candidates.length, pick.profile!);
    }
    if (!candidates.length) {
      void vscode.window.showInformationMessage('No upload profile signs in with a client secret (scimmap.upload.profiles).');
      return;
    }
    const describe = async (p: UploadProfile): Promise<string> => {
      try {
        const r = resolveProfile(p);
        return `${(await this.credentials.hasSecret(r)) ? 'secret stored' : 'no secret yet'} · sign-in at ${new URL(r.authorityHost).host}`;
      } catch (e) {
        return `$(warning) ${(e as Error).message}`;
      }
    };
    const pick =
      candidates.length === 1
        ? { profile: candidates[0]! }
        : await vscode.window.showQuickPick(
            await Promise.all(candidates.map(async (p) => ({ label: p.name, description: await describe(p), profile: p }))),
            { title: 'Set the client secret of which profile?', ignoreFocusOut: true },
          );
    if (!pick) return;
    // Endpoint, sign-in host, tenant and client id must be valid: the secret is stored under them.
    const resolved = resolveProfile(pick.profile);
    if ((await this.credentials.askSecret(resolved)) !== undefined) {
      void vscode.window.showInformationMessage(`Client secret for '${pick.profile.name}' stored in VS Code's secret storage.`);
    }
  }

  async clearCredentials(): Promise<void> {
    const n = (await this.credentials.clearAll(this.profilePicker.profiles())) + ((await this.deps.clearOtherSecrets?.()) ?? 0);
    this.log(`cleared ${n} stored secret(s)`);
    void vscode.window.showInformationMessage(
      `Deleted ${n} stored secret(s) and the cached tokens. Microsoft account sign-ins are managed under Accounts in the activity bar.`,
    );
  }

  async startLocalStandIn(): Promise<void> {
    if (!this.requireTrust('The local Entra stand-in')) return;
    await this.standIn.start();
  }

  dispose(): void {
    this.uploading?.abort();
    this.polling?.abort();
    this.panel.dispose();
    this.standIn.dispose();
  }
}

