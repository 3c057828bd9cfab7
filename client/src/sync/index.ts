/**
 * VS Code side of production sync: "Plan Sync…" (a dry run shown in the Sync Plan view) and "Run Sync" (the same
 * plan sent after a confirmation naming the endpoint, the sign-in host and the counts per class). The destination
 * is the profile's: Entra's bulkUpload, or a SCIM service provider (a "kind": "scim" profile, target: scim
 * mappings only; discovery and the compatibility check first, their errors a refusing `server` guard). The
 * planning, guards, state and sending are src/sync with the targets the CLI uses; the state is the same per-user
 * file `scimmap sync` uses for this destination, endpoint and mapping.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { pickMappingDocument } from '../mappingPicker';
import { loadMappingFile } from '../../../src/engine/pipeline';
import { destinationProblem } from '../../../src/engine/checks/preflight';
import { fromSavedServer } from '../../../src/engine/analysis/serverSchema';
import { DEFAULT_MAX_DISABLE, DEFAULT_MIN_RECORDS, defaultStatePath, runSync, userStateDir, type GuardVerdict, type SyncDestination, type SyncRunResult, type SyncTarget } from '../../../src/sync';
import { entraSyncTarget, entraTarget, journalKey, redact, redactError, type TokenProvider } from '../../../src/targets/entra/upload';
import { isLoopbackHost } from '../../../src/targets/entra/upload/endpoint';
import { findingLine, ScimClient, scimDestinationProblem, scimSyncSetup } from '../../../src/targets/scim';
import type { ResolvedProfile } from '../upload/profiles';
import type { ResolvedScimProfile } from '../upload/scimProfiles';
import type { CompiledMapping } from '../../../src/engine/transform/compile';
import { describeProgress } from '../upload/selection';
import type { UploadAccess } from '../upload';
import { RESTRICTED_MODE_MESSAGE } from '../trust';
import { countsLine, planViewState, syncConfirmation, type PlanContext } from './planModel';
import { PlanPanel } from './planPanel';

interface Target {
  resolved: ResolvedProfile | ResolvedScimProfile;
  mapping: vscode.Uri;
  input: string;
}

export function registerSyncCommands(context: vscode.ExtensionContext, deps: { output: vscode.OutputChannel; uploads: UploadAccess }): void {
  const c = new SyncController(deps.output, deps.uploads);
  const guarded = (name: string, fn: () => Promise<void>) =>
    vscode.commands.registerCommand(name, async () => {
      try {
        await fn();
      } catch (e) {
        const msg = redactError(e);
        deps.output.appendLine(`[sync] ${name}: ${msg}`);
        void vscode.window.showErrorMessage(msg);
      }
    });
  context.subscriptions.push(c, guarded('scimmap.planSync', () => c.plan()), guarded('scimmap.runSync', () => c.run()));
}

class SyncController implements vscode.Disposable {
  private readonly panel: PlanPanel;
  private last?: Target;
  private running?: AbortController;

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly uploads: UploadAccess,
  ) {
    this.panel = new PlanPanel((type) => void (type === 'run' ? this.run(this.last) : this.plan(this.last)).catch((e) => this.fail(e)));
  }

  private log(line: string): void {
    this.output.appendLine(redact(`[sync] ${line}`));
  }

  private fail(e: unknown): void {
    const msg = redactError(e);
    this.log(msg);
    void vscode.window.showErrorMessage(msg);
  }

  private async pickTarget(title: string): Promise<Target | undefined> {
    const resolved = await this.uploads.pickProfile(`${title}: where to?`);
    if (!resolved) return undefined;
    const doc = await pickMappingDocument(title);
    if (!doc) return undefined;
    if (doc.isDirty && !(await doc.save())) throw new Error(`save ${basename(doc.uri.fsPath)} first: a sync uses the mapping on disk, as the scheduled job does`);
    const loaded = await loadMappingFile(doc.uri.fsPath);
    const sample = loaded.mapping.analysis.samplePath;
    type Item = vscode.QuickPickItem & { path?: string };
    const items: Item[] = [];
    if (sample) items.push({ label: '$(file) The mapping\'s sample', description: vscode.workspace.asRelativePath(sample), path: sample });
    items.push({ label: '$(folder-opened) Another HR export…' });
    const pick = await vscode.window.showQuickPick(items, { title: `${title}: which export?`, placeHolder: 'The complete HR export: anyone missing from it is a leaver', ignoreFocusOut: true });
    if (!pick) return undefined;
    let input = pick.path;
    if (!input) {
      const files = await vscode.window.showOpenDialog({ title: 'HR export', canSelectMany: false, filters: { 'HR export': ['csv', 'tsv', 'json', 'jsonl', 'ndjson'] } });
      if (!files?.[0]) return undefined;
      input = files[0].fsPath;
    }
    return { resolved, mapping: doc.uri, input };
  }

  private context(t: Target): PlanContext {
    const common = { profile: t.resolved.profile.name, mapping: basename(t.mapping.fsPath), input: t.input };
    const r = t.resolved;
    if (!isScim(r)) return { ...common, destination: 'entra', endpoint: r.endpoint, signInHost: r.authorityHost };
    const loopback = isLoopbackHost(new URL(r.endpoint.origin).hostname);
    return { ...common, destination: 'scim', endpoint: { url: r.endpoint.url, origin: r.endpoint.origin, loopback }, signInHost: r.tokenUrl ?? r.endpoint.origin };
  }

  private async options(t: Target) {
    const loaded = await loadMappingFile(t.mapping.fsPath);
    const name = basename(t.mapping.fsPath);
    const destination: SyncDestination = isScim(t.resolved) ? 'scim' : 'entra';
    // The profile and the mapping's target must agree, both ways, before anything is signed in or sent.
    const mismatch = destination === 'scim' ? scimDestinationProblem(loaded.mapping) : destinationProblem(loaded.mapping, 'entra');
    if (mismatch) throw new Error(`${name}: ${mismatch} (profile '${t.resolved.profile.name}'). Nothing was sent.`);
    // For target: scim the saved server copy's findings are not the mapping's errors: the live server decides (the
    // `server` guard of Run Sync), as for `scimmap sync`.
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error' && !(destination === 'scim' && fromSavedServer(d)));
    if (errors.length) throw new Error(`${name} has ${errors.length} error(s); fix them first (see the Problems panel)`);
    return {
      mapping: loaded.mapping,
      mappingPath: t.mapping.fsPath,
      mappingText: loaded.text,
      input: t.input,
      destination,
      statePath: defaultStatePath(t.resolved.endpoint.url, t.mapping.fsPath, process.env, destination),
      endpointUrl: t.resolved.endpoint.url,
      maxDisable: DEFAULT_MAX_DISABLE,
      minRecords: DEFAULT_MIN_RECORDS,
    };
  }

  /** A sync reads the export and evaluates the mapping: a trusted workspace only, as uploads. */
  private requireTrust(what: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(`${what} is not available in Restricted Mode. ${RESTRICTED_MODE_MESSAGE}`, 'Manage Workspace Trust').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return false;
  }

  /** "Plan Sync…": a dry run; nothing is sent, the state is not touched. */
  async plan(target?: Target): Promise<void> {
    if (!this.requireTrust('Plan Sync')) return;
    const t = target ?? (await this.pickTarget('Plan Sync'));
    if (!t) return;
    // Remembered for Run Sync only once the profile and the mapping agree.
    const o = await this.options(t);
    this.last = t;
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Planning sync of ${basename(t.mapping.fsPath)}…` }, () => runSync({ ...o, dryRun: true, listAll: true }));
    this.show(r, t, 'plan');
    this.log(`plan for ${t.resolved.endpoint.url}: ${this.summary(r)}`);
  }

  /** "Run Sync": plans again, confirms with this plan's counts, sends. */
  async run(target?: Target): Promise<void> {
    if (!this.requireTrust('Run Sync')) return;
    if (this.running) {
      void vscode.window.showWarningMessage('A sync is already running; cancel it from its progress notification first.');
      return;
    }
    const t = target ?? this.last ?? (await this.pickTarget('Run Sync'));
    if (!t) return;
    const o = await this.options(t);
    this.last = t;
    const way = await this.delivery(t, o.mapping);
    if (!way) return;
    const { tokens } = way;
    const ctx = this.context(t);
    const abort = new AbortController();
    this.running = abort;
    try {
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Sync to ${new URL(t.resolved.endpoint.origin).host}`, cancellable: true },
        async (progress, cancel) => {
          cancel.onCancellationRequested(() => abort.abort());
          return runSync({
            ...o,
            target: way.target,
            targetVerdicts: way.targetVerdicts,
            journalKey: journalKey(userStateDir()),
            tokens,
            listAll: true,
            signal: abort.signal,
            approve: async (plan) => {
              const text = syncConfirmation(plan, { ...ctx, signIn: way.signIn, statePath: o.statePath, path: way.path, warnings: way.warnings });
              const ok = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, 'Run Sync');
              if (ok) this.log(`sending to ${t.resolved.endpoint.url}: ${countsLine(planViewState({ ...emptyResult(o.statePath), plan }, ctx, 'plan').classes)}`);
              return ok === 'Run Sync';
            },
            onProgress: (e) => {
              const raw = describeProgress(e);
              // A SCIM server answers each operation (2xx), not with Entra's 202 for a whole request.
              const line = raw && ctx.destination === 'scim' ? raw.replace(/ accepted \(HTTP 202/, ' answered (HTTP 2xx') : raw;
              if (!line) return;
              this.log(line);
              progress.report({ message: line });
            },
          });
        },
      );
      if (r.declined) return;
      this.show(r, t, r.refused ? 'plan' : 'result');
      this.log(`run ${r.runId}: ${this.summary(r)} (exit ${r.exitCode})`);
      if (r.refused) {
        void vscode.window.showErrorMessage(`Sync refused by a guard; nothing was sent. ${r.verdicts.filter((v) => v.verdict === 'refuse').map((v) => v.message).join('; ')}`);
      } else {
        const s = r.summary?.totals;
        const text = `Sync: ${s?.accepted ?? 0} operation(s) accepted${s?.failed ? `, ${s.failed} failed` : ''}${s?.notSent ? `, ${s.notSent} not sent` : ''}.`;
        if (r.exitCode === 0) void vscode.window.showInformationMessage(text);
        else void vscode.window.showWarningMessage(`${text} See the Sync Plan view and the SCIM Mapper output.`);
      }
    } finally {
      this.running = undefined;
    }
  }

  /**
   * How Run Sync reaches the profile's destination. Entra: the profile's sign-in (a sign-in host that does not
   * belong with the endpoint is refused here, before anything is asked or sent). SCIM: the secret from
   * SecretStorage, discovery and the compatibility check (shared with Send Test Upload and `scimmap sync`).
   */
  private async delivery(t: Target, mapping: CompiledMapping): Promise<Delivery | undefined> {
    const r = t.resolved;
    if (!isScim(r)) {
      const tokens = await this.uploads.tokenProvider(r);
      if (!tokens) return undefined;
      return { tokens, target: entraSyncTarget(entraTarget(r.endpoint, tokens), mapping), signIn: tokens.description };
    }
    const checked = await this.uploads.scimReadiness(r, mapping);
    if (!checked) return undefined;
    const { ready, tokens } = checked;
    for (const f of ready.findings) this.log(`${r.endpoint.url}: ${findingLine(f)}`);
    const setup = scimSyncSetup(new ScimClient(r.endpoint), ready.server, ready.findings);
    this.log(`${r.endpoint.url}: SCIM; ${setup.path}`);
    const signIn = r.profile.auth === 'bearer' ? `a bearer token from VS Code's secret storage` : `client credentials of ${r.profile.clientId} at ${new URL(r.tokenUrl!).host}`;
    return { tokens, target: setup.target, targetVerdicts: setup.targetVerdicts, signIn, path: setup.path, warnings: ready.findings.filter((f) => f.severity === 'warning').map(findingLine) };
  }

  private show(r: SyncRunResult, t: Target, kind: 'plan' | 'result'): void {
    this.panel.show(planViewState(r, this.context(t), kind));
  }

  private summary(r: SyncRunResult): string {
    const guards = r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.verdict} ${v.guard}`);
    return `${r.plan ? countsLine(planViewState(r, this.context(this.last!), 'plan').classes) : 'no plan'}${guards.length ? `; ${guards.join(', ')}` : ''}`;
  }

  dispose(): void {
    this.running?.abort();
    this.panel.dispose();
  }
}

interface Delivery {
  tokens: TokenProvider;
  target: SyncTarget;
  /** SCIM: the discovery findings as `server` guard verdicts. */
  targetVerdicts?: GuardVerdict[];
  /** Who signs in, for the confirmation. */
  signIn: string;
  path?: string;
  warnings?: string[];
}

const isScim = (r: ResolvedProfile | ResolvedScimProfile): r is ResolvedScimProfile => 'kind' in r && r.kind === 'scim';

function emptyResult(statePath: string): SyncRunResult {
  return { runId: '', statePath, historyPath: '', verdicts: [], refused: false, disablesHeld: false, stateRepairedBytes: 0, exitCode: 0 };
}
