/**
 * VS Code side of test uploads: "Send Test Upload…", "Show Provisioning Results", "Set Client Secret…",
 * "Clear Stored Credentials" and "Start Local Entra Stand-in". The sending, pacing, journal and polling are the
 * node-only upload engine (src/targets/entra/upload), shared with the CLI; this module adds choices, confirmation, progress,
 * SecretStorage and the results view.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { pickMappingDocument } from '../mappingPicker';
import type { LanguageClient } from 'vscode-languageclient/node';
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
import { DEFAULT_JOB_ID, startStandIn, type StandIn } from '../../../src/targets/entra/standin';
import { Requests, type PreviewData } from '../../../src/service/protocol';
import type { BulkRequest } from '../../../src/engine/types';
import type { CompiledMapping } from '../../../src/engine/transform/compile';
import type { ScimReadiness } from '../../../src/targets/scim';
import { stripPastedQuotes } from '../../../src/targets/entra/upload/endpoint';
import { Credentials } from './credentials';
import { openChoice, PrivateState, sealChoice, type StoredChoice } from './privateState';
import { RESTRICTED_MODE_MESSAGE } from '../trust';
import { addAttributeToApp, isAddAttributeArgs, jobNote } from './appPush';
import { pollLoop } from './pollLoop';
import {
  endpointInputProblem,
  previousStandInPort,
  readProfiles,
  resolveProfile,
  STAND_IN_CLIENT,
  standInProfile,
  suggestProfileName,
  tenantInputProblem,
  upsertProfile,
  userLevel,
  type AuthKind,
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

/** What the upload commands need from the language server: the raw client, or the client's typed wrapper. */
export interface UploadServer {
  exportBulk(uri: vscode.Uri): Promise<unknown>;
  preview(uri: vscode.Uri, recordIndex: number): Promise<unknown>;
}

export interface UploadDeps {
  output: vscode.LogOutputChannel;
  getClient(): LanguageClient | UploadServer | undefined;
  /** The record the preview shows for a mapping, so "Send Test Upload" can offer exactly that one. */
  previewRecord?(uri: vscode.Uri): number | undefined;
  /** Other stored secrets "Clear Stored Credentials" also deletes (HR source secrets); returns how many. */
  clearOtherSecrets?(): Promise<number>;
}

/** Arguments another view (the preview) may pass to `scimmap.sendTestUpload`. */
export interface SendTestUploadArgs {
  uri?: string;
  recordIndex?: number;
  /** These records (bulkId = externalId), e.g. "Send these records" in the preview, or Resend failed. */
  externalIds?: string[];
  /** How the confirmation names them ("the 231 records that failed"). */
  label?: string;
  /** The upload profile to use without asking (Resend failed: the run's own). */
  profile?: string;
}

/** Files in the private global storage (privateState.ts); the globalState keys of older versions are dropped. */
const PENDING_FILE = 'pending-run.json';
const LAST_RUN_FILE = 'last-run.json';
const OLD_STATE_KEYS = ['scimmap.upload.pendingRun', 'scimmap.upload.lastRun'];
const POLL_DEADLINE_MS = 15 * 60_000;

interface PendingRun {
  /** 'scim': a run to a SCIM profile (scim.ts resumes it). */
  kind?: 'scim';
  journalPath: string;
  profile: string;
  mappingUri: string;
  mappingName: string;
  /** One record is kept as a keyed hash of its externalId (privateState.ts), not the id. */
  choice: StoredChoice;
  records: number;
  host: string;
  startedAt: string;
}

interface LastRun {
  state: ResultsState;
  since: string;
}

/** What other commands (Plan Sync, Run Sync) reuse: the profile choice and the credentials. */
export interface UploadAccess {
  /** An Entra or a SCIM profile (Plan Sync, Run Sync). */
  pickProfile(title: string): Promise<ResolvedProfile | ResolvedScimProfile | undefined>;
  tokenProvider(r: ResolvedProfile): Promise<TokenProvider | undefined>;
  /** A SCIM profile's secret (asked for when none is stored), discovery and the mapping checked against the server. */
  scimReadiness(r: ResolvedScimProfile, mapping: CompiledMapping): Promise<{ ready: ScimReadiness; tokens: TokenProvider } | undefined>;
}

export function registerUploadCommands(context: vscode.ExtensionContext, deps: UploadDeps): UploadAccess {
  const c = new UploadController(context, deps);
  const guarded = (name: string, fn: (...args: never[]) => Promise<void>) =>
    vscode.commands.registerCommand(name, async (...args: never[]) => {
      try {
        await fn(...args);
      } catch (e) {
        const msg = redactError(e);
        deps.output.appendLine(`[upload] ${name}: ${msg}`);
        void vscode.window.showErrorMessage(msg);
      }
    });
  context.subscriptions.push(
    c,
    guarded('scimmap.sendTestUpload', (arg?: SendTestUploadArgs) => c.sendTestUpload(arg)),
    guarded('scimmap.showProvisioningResults', () => c.showProvisioningResults()),
    guarded('scimmap.resendFailed', () => c.resendFailed()),
    guarded('scimmap.setClientSecret', () => c.setClientSecret()),
    guarded('scimmap.clearCredentials', () => c.clearCredentials()),
    guarded('scimmap.startStandIn', () => c.startLocalStandIn()),
    guarded('scimmap.app.addAttribute', (arg?: unknown) => c.addAttributeToApp(arg)),
    guarded('scimmap.addScimEndpoint', async () => void (await c.addScimEndpoint())),
  );
  return {
    pickProfile: (title) => c.pickProfile(undefined, title, true),
    tokenProvider: (r) => c.tokens(r),
    scimReadiness: (r, mapping) => c.scimReadiness(r, mapping),
  };
}

type Cancelled = undefined;

class UploadController implements vscode.Disposable {
  private readonly credentials: Credentials;
  private readonly state: PrivateState;
  private warnedIgnored = false;
  private readonly panel: ResultsPanel;
  private standIn?: StandIn;
  /** The one client secret the running stand-in accepts (generated at start; also in SecretStorage). */
  private standInSecret?: string;
  private uploading?: AbortController;
  private polling?: AbortController;
  /** The last run; `profile` is absent for a SCIM run (no provisioning logs to read with it). */
  private last?: { state: ResultsState; profile?: ResolvedProfile; since: Date };

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: UploadDeps,
  ) {
    this.credentials = new Credentials(context);
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

  /** The user's profiles: only the user-level setting is read (a workspace cannot define or redirect a profile). */
  private profiles(): UploadProfile[] {
    return this.allProfiles().profiles;
  }

  /** Entra and SCIM profiles, from the user-level setting only. */
  private allProfiles(): { profiles: UploadProfile[]; scim: ScimProfile[] } {
    const { value, ignored } = userLevel('scimmap.upload.profiles', vscode.workspace.getConfiguration('scimmap.upload').inspect<unknown>('profiles'));
    const { profiles, scim, problems } = readProfiles(value);
    for (const p of [...ignored, ...problems]) this.log(`settings: ${p}`);
    if (ignored.length && !this.warnedIgnored) {
      this.warnedIgnored = true;
      void vscode.window.showWarningMessage('Upload profiles in this workspace\'s settings are ignored: where uploads go and sign in is read from your user settings only.');
    }
    return { profiles, scim };
  }

  private defaultProfile(): string | undefined {
    const { value, ignored } = userLevel('scimmap.upload.defaultProfile', vscode.workspace.getConfiguration('scimmap.upload').inspect<string>('defaultProfile'));
    for (const p of ignored) this.log(`settings: ${p}`);
    return typeof value === 'string' && value ? value : undefined;
  }

  /** Writes the list to the user settings, the only level it is read from. */
  private async saveProfile(profile: UploadProfile | ScimProfile): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('scimmap.upload');
    const current = cfg.inspect<unknown[]>('profiles')?.globalValue ?? [];
    await cfg.update('profiles', upsertProfile(Array.isArray(current) ? current : [], profile), vscode.ConfigurationTarget.Global);
  }

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
  async pickProfile(preferred?: string, title = 'Send Test Upload: where to?', withScim = true): Promise<ResolvedProfile | ResolvedScimProfile | Cancelled> {
    const { profiles, scim } = this.allProfiles();
    const scimOffered = withScim ? scim : [];
    const asked = preferred ? profiles.find((p) => p.name === preferred) : undefined;
    if (asked) return resolveProfile(asked);
    const askedScim = preferred ? scimOffered.find((p) => p.name === preferred) : undefined;
    if (askedScim) return resolveScimProfile(askedScim, process.env);
    const def = this.defaultProfile();
    // The setting means "use without asking"; the modal confirmation still names where the records go.
    const preset = def ? profiles.find((p) => p.name === def) : undefined;
    if (preset) return resolveProfile(preset);
    const presetScim = def ? scimOffered.find((p) => p.name === def) : undefined;
    if (presetScim) return resolveScimProfile(presetScim, process.env);
    if (def && !scim.some((p) => p.name === def)) this.log(`settings: scimmap.upload.defaultProfile names '${def}', which is not among the profiles; asking instead`);
    const ordered = [...profiles].sort((a, b) => Number(b.name === def) - Number(a.name === def));
    type Item = vscode.QuickPickItem & { profile?: UploadProfile; scim?: ScimProfile; addScim?: true };
    const items: Item[] = ordered.map((p) => {
      let where: string;
      try {
        const r = resolveProfile(p);
        where = `${new URL(r.endpoint.origin).host} · job …${r.endpoint.jobId.slice(-8)}${r.endpoint.loopback ? ' · local stand-in' : ''}`;
      } catch (e) {
        where = `$(warning) ${(e as Error).message}`;
      }
      return { label: p.name, description: p.name === def ? 'default' : undefined, detail: where, profile: p };
    });
    items.push(...scimPickItems(scimOffered, def));
    items.push({ label: '$(add) New profile from a Provisioning API Endpoint URL…' });
    if (withScim) items.push({ label: '$(add) Add SCIM Endpoint…', detail: 'Any SCIM 2.0 service provider (target: scim mappings)', addScim: true });
    const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Upload profile (scimmap.upload.profiles)', ignoreFocusOut: true });
    if (!pick) return undefined;
    if (pick.addScim) return this.addScimEndpoint();
    // Resolving refuses a host that is not on the allowlist, with how to add it.
    if (pick.scim) return resolveScimProfile(pick.scim, process.env);
    if (!pick.profile) return this.createProfile();
    return resolveProfile(pick.profile);
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
      saveProfile: (p) => this.saveProfile(p),
      savePending: (run) => {
        const key = this.journalSetup().key;
        this.state.write(PENDING_FILE, run ? ({ ...run, kind: 'scim', choice: sealChoice(run.choice, key) } satisfies PendingRun) : undefined);
      },
      profileNames: () => {
        const { profiles, scim } = this.allProfiles();
        return [...profiles, ...scim].map((p) => p.name);
      },
    };
  }

  private async createProfile(): Promise<ResolvedProfile | Cancelled> {
    const url = await vscode.window.showInputBox({
      title: 'New upload profile (1/4): endpoint',
      prompt: 'Paste the Provisioning API Endpoint (Entra portal → Enterprise applications → your API-driven provisioning app → Overview)',
      placeHolder: 'https://graph.microsoft.com/beta/servicePrincipals/{id}/synchronization/jobs/{jobId}/bulkUpload',
      ignoreFocusOut: true,
      validateInput: endpointInputProblem,
    });
    if (url === undefined) return undefined;
    type AuthItem = vscode.QuickPickItem & { auth: AuthKind };
    const auth = await vscode.window.showQuickPick<AuthItem>(
      [
        { label: 'Client secret', detail: 'App registration with SynchronizationData-User.Upload; the secret is kept in VS Code secret storage', auth: 'clientSecret' },
        { label: 'Certificate', detail: 'App registration with a certificate (PEM file with private key and certificate)', auth: 'certificate' },
        { label: 'Sign in with a Microsoft account', detail: 'Delegated SynchronizationData-User.Upload (an administrator account)', auth: 'signIn' },
      ],
      { title: 'New upload profile (2/4): sign-in', ignoreFocusOut: true },
    );
    if (!auth) return undefined;
    const tenantId = await vscode.window.showInputBox({
      title: 'New upload profile (3/4): tenant',
      prompt: auth.auth === 'signIn' ? 'Directory (tenant) id or domain (empty: the account\'s home tenant)' : 'Directory (tenant) id or domain, e.g. contoso.onmicrosoft.com',
      ignoreFocusOut: true,
      validateInput: (v) => tenantInputProblem(v, auth.auth !== 'signIn'),
    });
    if (tenantId === undefined) return undefined;
    let clientId: string | undefined;
    let certificatePath: string | undefined;
    if (auth.auth !== 'signIn') {
      clientId = await vscode.window.showInputBox({
        title: 'New upload profile (4/4): application (client) id',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'The app registration\'s application (client) id'),
      });
      if (clientId === undefined) return undefined;
      if (auth.auth === 'certificate') {
        const files = await vscode.window.showOpenDialog({ title: 'PEM file with the private key and certificate', canSelectMany: false, filters: { PEM: ['pem', 'crt', 'key'] } });
        if (!files?.[0]) return undefined;
        certificatePath = files[0].fsPath;
      }
    }
    const endpointUrl = stripPastedQuotes(url);
    const draft: UploadProfile = { name: '', endpoint: endpointUrl, tenantId: tenantId.trim() || undefined, clientId: clientId?.trim(), auth: auth.auth, certificatePath };
    const resolvedDraft = resolveProfile({ ...draft, name: 'new' });
    const name = await vscode.window.showInputBox({
      title: 'Name of the new upload profile',
      value: suggestProfileName(resolvedDraft.endpoint, this.profiles()),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A name'),
    });
    if (name === undefined) return undefined;
    const profile = { ...draft, name: name.trim() };
    await this.saveProfile(profile);
    this.log(`saved upload profile '${profile.name}' (${resolvedDraft.endpoint.url})`);
    return resolveProfile(profile);
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

  private async currentRecord(doc: vscode.TextDocument, arg?: SendTestUploadArgs): Promise<{ externalId: string; label: string } | undefined> {
    const index = arg?.recordIndex ?? this.deps.previewRecord?.(doc.uri);
    if (index === undefined) return undefined;
    const preview = (await this.server().preview(doc.uri, index)) as PreviewData | null;
    const ext = preview?.selected?.resource?.externalId;
    if (typeof ext !== 'string' && typeof ext !== 'number') return undefined;
    const row = preview?.records.find((r) => r.index === index);
    return { externalId: String(ext), label: row?.label ?? String(ext) };
  }

  private async pickRecords(doc: vscode.TextDocument, requests: BulkRequest[], failed: number, arg?: SendTestUploadArgs): Promise<RecordChoice | Cancelled> {
    const ops = operationsOf(requests);
    const total = ops.length;
    if (!total) throw new Error(`no record of ${basename(doc.uri.fsPath)}'s sample maps without errors${failed ? ` (${failed} failing)` : ''}; nothing to send`);
    type Item = vscode.QuickPickItem & { choice?: RecordChoice; ask?: 'first' | 'one' };
    const items: Item[] = [];
    const current = await this.currentRecord(doc, arg).catch(() => undefined);
    if (current) items.push({ label: '$(person) The current preview record', description: current.label, choice: { kind: 'record', externalId: current.externalId, label: current.label } });
    items.push({ label: '$(list-ordered) First N records…', description: `of ${total}`, ask: 'first' });
    items.push({ label: `$(list-flat) All ${total} records`, description: failed ? `${failed} with mapping errors are left out` : undefined, choice: { kind: 'all' } });
    items.push({ label: '$(search) One record…', ask: 'one' });
    const pick = await vscode.window.showQuickPick(items, { title: `Send Test Upload: which records of ${basename(doc.uri.fsPath)}?`, ignoreFocusOut: true });
    if (!pick) return undefined;
    if (pick.choice) return pick.choice;
    if (pick.ask === 'first') {
      const n = await vscode.window.showInputBox({
        title: 'How many records, from the start of the sample?',
        value: String(Math.min(5, total)),
        ignoreFocusOut: true,
        validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= total ? undefined : `A number from 1 to ${total}`),
      });
      return n === undefined ? undefined : { kind: 'first', count: Number(n.trim()) };
    }
    const one = await vscode.window.showQuickPick(
      ops.map((op) => ({ label: labelOf(op), description: externalIdOf(op), op })),
      { title: 'Which record?', matchOnDescription: true, ignoreFocusOut: true },
    );
    if (!one) return undefined;
    return { kind: 'record', externalId: externalIdOf(one.op) ?? one.op.bulkId, label: one.label };
  }

  // ---------- commands ----------

  async sendTestUpload(arg?: SendTestUploadArgs): Promise<void> {
    if (!this.requireTrust('Send Test Upload')) return;
    if (this.uploading) {
      void vscode.window.showWarningMessage('A test upload is already running; cancel it from its progress notification first.');
      return;
    }
    const pending = this.state.read<PendingRun>(PENDING_FILE);
    if (pending && existsSync(pending.journalPath)) {
      const answer = await vscode.window.showWarningMessage(
        `An upload of ${pending.records} record(s) to ${pending.host} (profile '${pending.profile}') was interrupted on ${new Date(pending.startedAt).toLocaleString()}.`,
        { modal: true, detail: 'Resume sends only the records that were not accepted yet. A new upload forgets the interrupted one.' },
        'Resume',
        'Start a New Upload',
      );
      if (answer === undefined) return;
      if (answer === 'Resume') return this.resume(pending);
      this.state.write(PENDING_FILE, undefined);
    }

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
      const sp = this.allProfiles().scim.find((x) => x.name === p.profile);
      if (!sp) throw new Error(`SCIM profile '${p.profile}' of the interrupted upload no longer exists; start a new upload`);
      const resolved = resolveScimProfile(sp, process.env);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(p.mappingUri));
      const choice = openChoice(p.choice, (await this.exportBulk(doc)).requests, this.journalSetup().key);
      return sendTestUploadToScim(this.scimHost(), resolved, undefined, { journalPath: p.journalPath, doc, choice, startedAt: p.startedAt });
    }
    const profile = this.profiles().find((x) => x.name === p.profile);
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
    const profile = saved && this.profiles().find((p) => p.name === saved.profile);
    if (!saved || !profile) return undefined;
    this.last = { state: saved.state, profile: resolveProfile(profile), since: new Date(saved.since) };
    return this.last;
  }

  async setClientSecret(): Promise<void> {
    const { profiles, scim } = this.allProfiles();
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
    const n = (await this.credentials.clearAll(this.profiles())) + ((await this.deps.clearOtherSecrets?.()) ?? 0);
    this.log(`cleared ${n} stored secret(s)`);
    void vscode.window.showInformationMessage(
      `Deleted ${n} stored secret(s) and the cached tokens. Microsoft account sign-ins are managed under Accounts in the activity bar.`,
    );
  }

  async startLocalStandIn(): Promise<void> {
    if (!this.requireTrust('The local Entra stand-in')) return;
    const fresh = !this.standIn;
    if (!this.standIn) {
      const port = previousStandInPort(this.profiles());
      // This instance accepts exactly one client: the stand-in profile's, with a secret generated now and kept in
      // SecretStorage. Another process or a web page on this machine cannot get a token from it.
      const secret = randomBytes(24).toString('base64url');
      this.standInSecret = secret;
      const opts = {
        // One line per request: debug level (the output channel's level menu shows them when wanted).
        log: (line: string) => this.deps.output.debug(`[stand-in] ${line}`),
        clients: [{ clientId: STAND_IN_CLIENT, clientSecret: secret }],
      };
      try {
        this.standIn = await startStandIn({ ...opts, port: port ?? 0 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
        this.standIn = await startStandIn({ ...opts, port: 0 });
      }
    }
    const s = this.standIn;
    const profile = standInProfile(s.endpointUrl(DEFAULT_JOB_ID));
    await this.saveProfile(profile);
    // A fresh instance replaces any secret an earlier one left under the same identity (same port); a running one
    // puts its secret back if it was cleared ("Clear Stored Credentials") meanwhile.
    const resolvedStandIn = resolveProfile(profile);
    if (this.standInSecret && (fresh || !(await this.credentials.hasSecret(resolvedStandIn)))) await this.credentials.storeSecret(resolvedStandIn, this.standInSecret);
    this.log(`stand-in listening on ${s.url}; profile '${profile.name}' → ${profile.endpoint}`);
    void vscode.window.showInformationMessage(`Local Entra stand-in running at ${s.url} (profile '${profile.name}'). Nothing sent to it leaves this machine.`, 'Send Test Upload…').then((a) => {
      if (a) void vscode.commands.executeCommand('scimmap.sendTestUpload');
    });
  }

  dispose(): void {
    this.uploading?.abort();
    this.polling?.abort();
    this.panel.dispose();
    void this.standIn?.close();
    this.standIn = undefined;
  }
}

