/**
 * VS Code side of test uploads to a SCIM service provider ("kind": "scim" profiles): "Add SCIM Endpoint…" and the
 * SCIM branch of "Send Test Upload". The discovery, the compatibility check, the two passes and the journal are the
 * node-only SCIM target (src/targets/scim), the same code `scimmap upload` runs; this module adds the choices, the
 * SecretStorage prompt, the confirmation, progress and the results view.
 */
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { hashText, Journal, JournalError, redact, redactError, type TokenProvider, type UploadSummary } from '../../../src/targets/entra/upload';
import {
  addScimHost,
  bulkLimitsOf,
  checkScimReadiness,
  compileMappingText,
  DiscoveryError,
  findingLine,
  refusalLine,
  SCIM_CONCURRENCY,
  SCIM_RATE_PER_SECOND,
  ScimAuthError,
  ScimClient,
  scimDestinationProblem,
  scimHostsFile,
  scimTokenProvider,
  sendToScim,
  splitManager,
  type ScimReadiness,
} from '../../../src/targets/scim';
import type { BulkRequest } from '../../../src/engine/types';
import { stripPastedQuotes } from '../../../src/targets/entra/upload/endpoint';
import type { Credentials } from './credentials';
import {
  baseUrlInputProblem,
  describeScimProfile,
  hostsToAllow,
  resolveScimProfile,
  tokenUrlInputProblem,
  scimAuthOf,
  scimConfirmationText,
  scimSecretKey,
  secretPrompt,
  type ResolvedScimProfile,
  type ScimAuthKind,
  type ScimProfile,
} from './scimProfiles';
import { buildResultsState, type ResultsState } from './resultsModel';
import { MANAGER_SUFFIX } from './scimResults';
import { countOperations, describeChoice, externalIdOf, labelOf, locateSource, operationsOf, selectionIdentity, selectRequests, type RecordChoice } from './selection';

/** What the SCIM branch borrows from the upload controller (index.ts), so both paths pick and export alike. */
export interface ScimUploadHost {
  readonly credentials: Credentials;
  log(line: string): void;
  pickMapping(arg?: { uri?: string }): Promise<vscode.TextDocument | undefined>;
  exportBulk(doc: vscode.TextDocument): Promise<{ requests: BulkRequest[]; failed: number; source?: string; blocked: string[] }>;
  pickRecords(doc: vscode.TextDocument, requests: BulkRequest[], failed: number, arg?: { recordIndex?: number }): Promise<RecordChoice | undefined>;
  journalSetup(): { key: Buffer; dir: string };
  /** Shows (and keeps, for Export and Resend failed) the results of a run. */
  showResults(state: ResultsState): Promise<void>;
  setUploading(abort: AbortController | undefined): void;
  saveProfile(profile: ScimProfile): Promise<void>;
  profileNames(): string[];
  /** Keeps (or, with undefined, forgets) the run that "Send Test Upload" offers to resume. */
  savePending(run: ScimPendingRun | undefined): void;
}

/** What an interrupted SCIM run leaves for Resume (index.ts seals the choice before writing it). */
export interface ScimPendingRun {
  journalPath: string;
  profile: string;
  mappingUri: string;
  mappingName: string;
  choice: RecordChoice;
  records: number;
  host: string;
  startedAt: string;
}

/** Resume: the interrupted run's journal, mapping and records. */
export interface ScimResume {
  journalPath: string;
  doc: vscode.TextDocument;
  choice: RecordChoice;
  startedAt: string;
}

export interface ScimSendArgs {
  uri?: string;
  recordIndex?: number;
  externalIds?: string[];
  label?: string;
}

/** Rows of the profile picker for SCIM profiles; a profile that cannot be used says why (e.g. its host is not allowed). */
export function scimPickItems(profiles: readonly ScimProfile[], def?: string): Array<vscode.QuickPickItem & { scim: ScimProfile }> {
  return profiles.map((p) => {
    let where: string;
    try {
      where = describeScimProfile(resolveScimProfile(p, process.env));
    } catch (e) {
      where = `$(warning) ${(e as Error).message}`;
    }
    return { label: p.name, description: p.name === def ? 'default · SCIM' : 'SCIM', detail: where, scim: p };
  });
}

/** The profile's secret from SecretStorage, or asked for in a password box (stored for next time). */
async function secretFor(host: ScimUploadHost, r: ResolvedScimProfile, askAgain = false): Promise<string | undefined> {
  const key = scimSecretKey(r);
  const stored = askAgain ? undefined : await host.credentials.getKeyed(key);
  if (stored) return stored;
  const { title, prompt } = secretPrompt(r);
  const value = await vscode.window.showInputBox({ title, prompt, password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'The secret is empty') });
  if (value === undefined) return undefined;
  await host.credentials.storeKeyed(key, value.trim());
  return value.trim();
}

/** "Set Client Secret for Upload Profile…" for a SCIM profile: a new bearer token or client secret replaces the stored one. */
export async function setScimSecret(host: ScimUploadHost, r: ResolvedScimProfile): Promise<void> {
  if ((await secretFor(host, r, true)) === undefined) return;
  void vscode.window.showInformationMessage(`${r.profile.auth === 'bearer' ? 'Bearer token' : 'Client secret'} for '${r.profile.name}' stored in VS Code's secret storage.`);
}

function tokensFor(r: ResolvedScimProfile, secret: string): TokenProvider {
  try {
    return scimTokenProvider(scimAuthOf(r, secret), r.endpoint, { env: process.env });
  } catch (e) {
    if (e instanceof ScimAuthError) throw new Error(`profile '${r.profile.name}': ${e.message}`);
    throw e;
  }
}

/** Ends a message with one full stop (server details often end with their own punctuation). */
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/** Discovery and the compatibility check, with the progress shown; a refused token can be replaced once. */
export async function scimReadiness(host: ScimUploadHost, r: ResolvedScimProfile, mapping: Parameters<typeof checkScimReadiness>[2]): Promise<{ ready: ScimReadiness; tokens: TokenProvider } | undefined> {
  const where = new URL(r.endpoint.origin).host;
  for (let attempt = 0; ; attempt++) {
    const secret = await secretFor(host, r, attempt > 0);
    if (secret === undefined) return undefined;
    const tokens = tokensFor(r, secret);
    try {
      const ready = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading what ${where} supports (ServiceProviderConfig, ResourceTypes, Schemas)…` }, () =>
        checkScimReadiness(new ScimClient(r.endpoint), tokens, mapping),
      );
      return { ready, tokens };
    } catch (e) {
      const refusedToken = e instanceof DiscoveryError && / HTTP 40[13] /.test(`${e.message} `);
      const msg = `Discovery at ${r.endpoint.url} failed: ${redactError(e)}`;
      host.log(msg);
      if (!refusedToken || attempt > 0) throw new Error(`${sentence(msg)} Nothing was sent.`);
      const again = await vscode.window.showErrorMessage(`${sentence(msg)} Nothing was sent.`, { modal: true, detail: 'The stored secret was refused. Enter a new one (it replaces the stored one)?' }, 'Enter a New Secret');
      if (again !== 'Enter a New Secret') return undefined;
    }
  }
}

/** "Send Test Upload" with a SCIM profile: the same refusals and checks as `scimmap upload`, then the two passes. */
export async function sendTestUploadToScim(host: ScimUploadHost, r: ResolvedScimProfile, arg?: ScimSendArgs, resume?: ScimResume): Promise<void> {
  const doc = resume?.doc ?? (await host.pickMapping(arg));
  if (!doc) return;
  const name = basename(doc.uri.fsPath);
  // The mapping as the editor holds it: the records the language server exports come from the same text.
  const { mapping, diagnostics } = compileMappingText(doc.getText(), doc.uri.fsPath);
  const mismatch = scimDestinationProblem(mapping);
  if (mismatch) throw new Error(`${name}: ${mismatch}. Nothing was sent.`);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${name} has ${errors.length} error(s); fix them first (see the Problems panel). Nothing was sent.`);

  const { requests, failed, source, blocked } = await host.exportBulk(doc);
  if (blocked.length && !resume) {
    const force = await vscode.window.showErrorMessage(`Nothing was sent: a check over all sample records of ${name} failed.`, { modal: true, detail: blocked.join('\n') }, 'Send Anyway');
    if (force !== 'Send Anyway') return;
  }
  const given = Array.isArray(arg?.externalIds) ? arg.externalIds.filter((x): x is string => typeof x === 'string') : undefined;
  const choice: RecordChoice | undefined = resume?.choice ?? (given?.length ? { kind: 'records', externalIds: given, label: arg?.label } : await host.pickRecords(doc, requests, failed, arg));
  if (!choice) return;
  const selected = selectRequests(requests, choice);
  const records = countOperations(selected);

  // A resume continues the interrupted run's journal; one whose records changed since is refused (journal identity).
  const storage = host.journalSetup();
  const identity = { endpoint: r.endpoint.url, mappingHash: hashText(doc.getText()), input: selectionIdentity(selected, doc.uri.fsPath) };
  let journal: Journal | undefined;
  if (resume) {
    try {
      journal = Journal.resume(resume.journalPath, identity, storage.key);
    } catch (e) {
      if (!(e instanceof JournalError)) throw e;
      host.savePending(undefined);
      throw new Error(`${e.message.replace(/^cannot resume: /, 'Cannot resume: ')}. Start a new upload instead.`);
    }
  }
  try {
    await confirmAndSend(host, r, { doc, name, mapping, requests, selected, records, choice, source, journal, identity, storage, startedAt: resume?.startedAt });
  } finally {
    journal?.close('cancelled'); // a no-op once the send closed it
  }
}

interface SendPlan {
  doc: vscode.TextDocument;
  name: string;
  mapping: Parameters<typeof checkScimReadiness>[2];
  requests: BulkRequest[];
  selected: BulkRequest[];
  records: number;
  choice: RecordChoice;
  source?: string;
  /** The resumed journal; a new one is created after the confirmation otherwise. */
  journal?: Journal;
  identity: Parameters<typeof Journal.create>[1];
  storage: { key: Buffer; dir: string };
  startedAt?: string;
}

async function confirmAndSend(host: ScimUploadHost, r: ResolvedScimProfile, o: SendPlan): Promise<void> {
  const { doc, name, mapping, requests, selected, records, choice, source } = o;
  const checked = await scimReadiness(host, r, mapping);
  if (!checked) return;
  const { ready, tokens } = checked;
  for (const f of ready.findings) host.log(`${r.endpoint.url}: ${findingLine(f)}`);
  if (ready.errors.length) {
    // Same refusal as the CLI: nothing is sent when the server cannot take what the mapping produces.
    void vscode.window.showErrorMessage(`Nothing was sent: ${new URL(r.endpoint.origin).host} cannot take ${name} (${ready.errors.length} error${ready.errors.length === 1 ? '' : 's'}).`, {
      modal: true,
      detail: [...ready.errors.map(findingLine), '', refusalLine(r.endpoint.url, ready.errors), 'See docs/scim-targets.md ("Discovery before sending") for each code and its fix.'].join('\n'),
    });
    return;
  }

  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const src = source ? locateSource(source, folders) : undefined;
  const managers = operationsOf(selected).filter((op) => splitManager(op.data).manager !== undefined).length;
  // /Bulk where the server supports it (with both limits), as `scimmap upload`; else one user per request.
  const limits = bulkLimitsOf(ready.server.config);
  const bulk = typeof limits !== 'string';
  const text = scimConfirmationText(r, {
    records,
    what: describeChoice(choice, countOperations(requests)),
    mappingName: name,
    sourceLine: src ? (src.relative ?? `${src.path} — OUTSIDE the workspace`) : '(unknown)',
    signIn: r.profile.auth === 'bearer' ? 'a bearer token from VS Code\'s secret storage' : `client credentials of ${r.profile.clientId} at ${new URL(r.tokenUrl!).host}`,
    server: ready.server.config,
    managers,
    warnings: ready.findings.filter((f) => f.severity === 'warning').map(findingLine),
    resume: o.journal ? { previouslyAccepted: o.journal.previouslyAccepted } : undefined,
    bulk: typeof limits === 'string' ? undefined : { maxOperations: limits.maxOperations },
  });
  const ok = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, o.journal ? 'Resume Upload' : 'Send');
  if (!ok) return;

  const journal = o.journal ?? Journal.create(join(o.storage.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`), o.identity, o.storage.key);
  const where = new URL(r.endpoint.origin).host;
  const pending: ScimPendingRun = {
    journalPath: journal.path, profile: r.profile.name, mappingUri: doc.uri.toString(), mappingName: name, choice, records, host: where, startedAt: o.startedAt ?? new Date().toISOString(),
  };
  // Saved before sending: if VS Code dies mid-run, the next "Send Test Upload" offers to resume.
  host.savePending(pending);
  const abort = new AbortController();
  host.setUploading(abort);
  const path = typeof limits === 'string' ? `one user per request: ${limits}` : `over /Bulk, up to ${limits.maxOperations} users per request`;
  host.log(`sending ${describeChoice(choice, countOperations(requests))} (${records} user(s), ${managers} manager link(s)) to ${r.endpoint.url} (SCIM, ${path}) with ${tokens.description}; journal ${journal.path}${journal.resumed ? ` (resuming, ${journal.previouslyAccepted} operation(s) already done)` : ''}`);
  let summary: UploadSummary;
  try {
    summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Uploading to ${where} (SCIM)`, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      const total = records + managers;
      let done = 0;
      return sendToScim(selected, {
        client: new ScimClient(r.endpoint),
        server: ready.server,
        tokens,
        journal,
        signal: abort.signal,
        concurrency: SCIM_CONCURRENCY,
        pacing: { maxCalls: SCIM_RATE_PER_SECOND, windowMs: 1000 },
        // /Bulk where the server supports it (as the CLI): a batch then holds several operations, so progress
        // counts the operations (records and manager links) each batch answered or a resume skipped.
        onProgress: (e) => {
          if (e.type === 'batch-done' || e.type === 'skipped') {
            const n = e.type === 'batch-done' ? e.batch.operations : e.operations;
            done += n;
            progress.report({ increment: (100 * n) / Math.max(1, total), message: `${Math.min(done, total)} of ${total} operation(s) done` });
          } else if (e.type === 'retry') {
            const line = `${bulk ? 'batch' : 'operation'} ${e.seq + 1}: ${e.reason}; retrying in ${(e.delayMs / 1000).toFixed(1)} s`;
            host.log(line);
            // The count stays in view while a batch waits.
            progress.report({ message: redact(`${Math.min(done, total)} of ${total} operation(s) done · ${line}`) });
          } else if (e.type === 'stopped') host.log(`stopped: ${e.message}`);
        },
      });
    });
  } catch (e) {
    journal.close('cancelled');
    throw new Error(redactError(e));
  } finally {
    host.setUploading(undefined);
  }

  const labels: Record<string, string> = {};
  for (const op of operationsOf(selected)) labels[externalIdOf(op) ?? op.bulkId] = labelOf(op);
  const state = buildResultsState(summary, { runId: journal.runId, profile: r.profile.name, host: where, jobId: '', labels, notice: '', mappingUri: doc.uri.toString(), target: 'scim' });
  await host.showResults(state);
  const t = summary.totals;
  const unfinished = !!summary.stopped || t.notSent > 0;
  host.savePending(unfinished ? pending : undefined);
  host.log(`done: ${t.accepted} operation(s) accepted, ${t.failed} failed, ${t.notSent} not sent, ${t.retried} retried call(s) in ${(summary.durationMs / 1000).toFixed(1)} s${summary.stopped ? `; stopped: ${summary.stopped.message}` : ''}`);
  // Counted against what was chosen: a cancelled run has not even read every record yet.
  const done = (link: boolean): number => summary.records.filter((x) => x.bulkId.endsWith(MANAGER_SUFFIX) === link && x.status === 'accepted').length;
  const line = `${done(false)} of ${records} user(s) and ${done(true)} of ${managers} manager link(s) done by ${where}${t.failed ? `, ${t.failed} failed` : ''}.`;
  if (unfinished) {
    const why = summary.stopped?.reason === 'cancelled' ? 'Upload cancelled.' : sentence(`Upload stopped${summary.stopped ? `: ${summary.stopped.message}` : ''}`);
    void vscode.window.showWarningMessage(`${why} ${line} "Send Test Upload" offers to resume it.`, 'Resume').then((a) => {
      if (a === 'Resume') void vscode.commands.executeCommand('scimmap.sendTestUpload');
    });
  } else if (t.failed || t.notSent) void vscode.window.showWarningMessage(line);
  else void vscode.window.showInformationMessage(line);
}

/**
 * "Add SCIM Endpoint…": a profile in the user settings, its hosts on the user's allowlist (after asking), and its
 * secret in SecretStorage. The allowlist is the file the CLI reads, so one decision covers both.
 */
export async function addScimEndpoint(host: ScimUploadHost): Promise<ResolvedScimProfile | undefined> {
  const raw = await vscode.window.showInputBox({
    title: 'Add SCIM endpoint (1/3): base URL',
    prompt: 'The SCIM 2.0 base URL of the app (https; http only on 127.0.0.1/localhost with a port)',
    placeHolder: 'https://app.example.com/scim/v2',
    ignoreFocusOut: true,
    validateInput: baseUrlInputProblem,
  });
  if (raw === undefined) return undefined;
  let baseUrl = stripPastedQuotes(raw);
  while (baseUrl.endsWith('/')) baseUrl = baseUrl.slice(0, -1);
  type AuthItem = vscode.QuickPickItem & { auth: ScimAuthKind };
  const auth = await vscode.window.showQuickPick<AuthItem>(
    [
      { label: 'Bearer token', detail: 'A token the app issued for provisioning; kept in VS Code\'s secret storage', auth: 'bearer' },
      { label: 'OAuth 2.0 client credentials', detail: 'A client id and secret exchanged for a token at the app\'s token URL', auth: 'clientCredentials' },
    ],
    { title: 'Add SCIM endpoint (2/3): sign-in', ignoreFocusOut: true },
  );
  if (!auth) return undefined;
  const draft: ScimProfile = { name: '', kind: 'scim', baseUrl, auth: auth.auth };
  if (auth.auth === 'clientCredentials') {
    const tokenUrl = await vscode.window.showInputBox({ title: 'Token URL', placeHolder: 'https://app.example.com/oauth/token', ignoreFocusOut: true, validateInput: tokenUrlInputProblem });
    if (tokenUrl === undefined) return undefined;
    const clientId = await vscode.window.showInputBox({ title: 'Client id', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'The client id the app issued') });
    if (clientId === undefined) return undefined;
    const scope = await vscode.window.showInputBox({ title: 'Scope (optional)', prompt: 'Leave empty when the app needs none', ignoreFocusOut: true });
    if (scope === undefined) return undefined;
    Object.assign(draft, { tokenUrl: new URL(tokenUrl.trim()).href, clientId: clientId.trim(), scope: scope.trim() || undefined });
  }
  const origin = new URL(baseUrl).host;
  let name = `SCIM ${origin}`;
  for (let i = 2; host.profileNames().includes(name); i++) name = `SCIM ${origin} (${i})`;
  const picked = await vscode.window.showInputBox({ title: 'Add SCIM endpoint (3/3): profile name', value: name, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A name') });
  if (picked === undefined) return undefined;
  const profile: ScimProfile = { ...draft, name: picked.trim() };

  const hosts = hostsToAllow(baseUrl, profile.tokenUrl);
  if (hosts.length) {
    const file = scimHostsFile(process.env);
    const yes = await vscode.window.showWarningMessage(
      `Allow SCIM Mapper to send HR records and credentials to ${hosts.join(' and ')}?`,
      { modal: true, detail: `The host${hosts.length === 1 ? ' is' : 's are'} added to your SCIM host allowlist, ${file}, which the scimmap CLI reads too. A workspace or mapping can never add hosts there.` },
      'Add to Allowlist',
    );
    if (yes !== 'Add to Allowlist') return undefined;
    for (const h of hosts) {
      const res = addScimHost(h, process.env);
      host.log(res.added ? `added ${res.host} to the SCIM host allowlist ${res.file}` : `${res.host} is already on the SCIM host allowlist`);
    }
  }
  const resolved = resolveScimProfile(profile, process.env);
  await host.saveProfile(profile);
  host.log(`saved SCIM profile '${profile.name}' (${resolved.endpoint.url})`);
  if ((await secretFor(host, resolved)) === undefined) {
    void vscode.window.showInformationMessage(`SCIM profile '${profile.name}' saved; Send Test Upload asks for its ${profile.auth === 'bearer' ? 'token' : 'client secret'}.`);
    return resolved;
  }
  void vscode.window.showInformationMessage(`SCIM profile '${profile.name}' saved (${resolved.endpoint.url}); its secret is in VS Code's secret storage.`, 'Send Test Upload…').then((a) => {
    if (a) void vscode.commands.executeCommand('scimmap.sendTestUpload', { profile: profile.name });
  });
  return resolved;
}
