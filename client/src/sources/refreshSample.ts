/**
 * "Refresh Sample from Source": reads the mapping's source.from and writes its source.sample snapshot (0600), then
 * the language server picks the new sample up as for any sample edit. Off in Restricted Mode; each host or database
 * needs the user's confirmation once (remembered per host in globalState); secrets come from SecretStorage, asked
 * for once per variable name and host.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseMappingText } from '../../../src/engine/mapping/parse';
import type { SourceConfig } from '../../../src/engine/mapping/sourceFromModel';
import { openSource, SourceError } from '../../../src/sources';
import { addToGitignore, gitWorkTreeOf, isIgnoredByGitignore, snapshotFormat, snapshotTargetProblem, writeSnapshot } from '../../../src/sources/snapshot';
import { RESTRICTED_MODE_MESSAGE } from '../trust';
import { confirmationTargets, secretStorageKey } from './model';

const CONFIRMED = 'scimmap.sources.confirmedHosts';
const SECRET_INDEX = 'scimmap.sources.secretKeys';

/** Names the mapping's source reads secrets from (in the order a user is asked for them). */
function secretNames(c: SourceConfig): string[] {
  if (c.type === 'sql') return [c.connectionEnv];
  const a = c.auth;
  return [a.usernameEnv, a.passwordEnv, a.tokenEnv, a.clientIdEnv, a.clientSecretEnv, a.refreshTokenEnv, a.keyEnv].filter((x): x is string => !!x);
}

export class SourceRefresher {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly onRefreshed: (uri: vscode.Uri) => void,
  ) {}

  async refresh(arg?: unknown): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(`Refresh Sample from Source connects to an HR system, which is off in Restricted Mode. ${RESTRICTED_MODE_MESSAGE}`);
      return false;
    }
    const doc = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg) : vscode.window.activeTextEditor?.document;
    if (!doc || !doc.fileName.endsWith('.scimmap.yaml')) {
      void vscode.window.showInformationMessage('Open a SCIM mapping (*.scimmap.yaml) with a source.from to refresh its sample.');
      return false;
    }
    const parsed = parseMappingText(doc.getText());
    const from = parsed.source?.from;
    const sample = parsed.source?.sample?.value;
    if (!from) return this.fail('This mapping has no source.from: add one to read records from an HR system (see docs/sources.md).');
    if (!from.config) return this.fail('source.from has errors: fix them first (see the Problems panel).');
    if (!sample) return this.fail('This mapping has no source.sample: name the snapshot file there (e.g. sample: hr-snapshot.jsonl).');
    if (doc.uri.scheme !== 'file') return this.fail('Only mappings saved on disk can have a snapshot.');
    const target = path.resolve(path.dirname(doc.uri.fsPath), sample);
    const format = snapshotFormat(target, parsed.source?.format?.value);
    if (!format) return this.fail(`A snapshot is written as .json or .jsonl (and source.format, if given, must agree), not ${path.basename(target)}.`);
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const problem = snapshotTargetProblem(doc.uri.fsPath, target, folders);
    if (problem) return this.fail(`Not refreshed: ${problem}.`);
    const config = from.config;
    // HTTP: the host is in the mapping, so it is confirmed before any secret is asked for. SQL: the host is in the
    // connection string (a secret), so it is confirmed right after that is known, before connecting.
    if (config.type !== 'sql' && !(await this.confirm(confirmationTargets(config), config.type, doc.uri))) return false;
    const values = new Map<string, string>();
    for (const name of secretNames(config)) {
      const v = await this.secret(config, name);
      if (v === undefined) return false;
      values.set(name, v);
    }
    if (config.type === 'sql' && !(await this.confirm(confirmationTargets(config, values.get(config.connectionEnv)), config.type, doc.uri))) return false;

    const limit = Math.min(vscode.workspace.getConfiguration('scimmap').get<number>('sample.maxRecords', 10_000), 100_000);
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${config.type} source`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
        const stream = openSource(config, {
          secrets: (n) => values.get(n),
          signal: abort.signal,
          onPage: (p) => progress.report({ message: `${p.records} record(s), ${p.pages} page(s)` }),
          onRetry: (r) => this.output.warn(`source page ${r.page}: ${r.reason}; retrying in ${(r.delayMs / 1000).toFixed(1)} s`),
        });
        return writeSnapshot(target, format, stream, limit);
      });
      this.output.info(`Refreshed ${sample}: ${result.records} record(s) from the ${config.type} source (mode 0600)`);
      this.onRefreshed(doc.uri);
      void vscode.window.showInformationMessage(`Wrote ${result.records} record(s) to ${sample}${result.truncated ? ` (the first ${limit}: scimmap.sample.maxRecords)` : ''}.`);
      await this.offerGitignore(target);
      return true;
    } catch (e) {
      const msg = e instanceof SourceError ? e.message : `could not refresh the sample: ${(e as Error).message}`;
      this.output.error(msg);
      void vscode.window.showErrorMessage(msg);
      return false;
    }
  }

  private fail(message: string): false {
    void vscode.window.showWarningMessage(message);
    return false;
  }

  private async secret(config: SourceConfig, name: string): Promise<string | undefined> {
    const key = secretStorageKey(config, name);
    const stored = await this.context.secrets.get(key);
    if (stored) return stored;
    const where = config.type === 'sql' ? `the ${config.driver} database` : new URL(config.url).origin;
    const value = await vscode.window.showInputBox({
      title: `SCIM Mapper: ${name}`,
      prompt: `Value of ${name} for ${where} (kept in VS Code's secret storage, never in the mapping or settings)`,
      password: true,
      ignoreFocusOut: true,
    });
    if (!value) return undefined;
    await this.context.secrets.store(key, value);
    const keys = new Set(this.context.globalState.get<string[]>(SECRET_INDEX, []));
    keys.add(key);
    await this.context.globalState.update(SECRET_INDEX, [...keys]);
    return value;
  }

  /** Modal confirmation per host (or database) on first use; the answer is remembered per host. */
  private async confirm(targets: string[], type: string, mapping: vscode.Uri): Promise<boolean> {
    const known = new Set(this.context.globalState.get<string[]>(CONFIRMED, []));
    const fresh = targets.filter((t) => !known.has(t));
    if (!fresh.length) return true;
    const answer = await vscode.window.showWarningMessage(
      `${path.basename(mapping.fsPath)} asks to read HR records from ${fresh.join(' and ')} (${type} source) with the credentials you give it. Connect only if you know this host.`,
      { modal: true },
      'Connect',
    );
    if (answer !== 'Connect') return false;
    for (const t of fresh) known.add(t);
    await this.context.globalState.update(CONFIRMED, [...known]);
    return true;
  }

  private async offerGitignore(file: string): Promise<void> {
    const repo = gitWorkTreeOf(file);
    if (!repo || isIgnoredByGitignore(repo, file)) return;
    const answer = await vscode.window.showWarningMessage(`The snapshot ${path.basename(file)} holds personal data and is inside a git work tree. Add it to .gitignore?`, 'Add to .gitignore', 'Not now');
    if (answer === 'Add to .gitignore') {
      const line = addToGitignore(repo, file);
      this.output.info(`Added ${line} to ${path.join(repo, '.gitignore')}`);
    }
  }

  /** For "Clear Stored Credentials": forget source secrets and confirmed hosts; returns how many secrets were stored. */
  async clear(): Promise<number> {
    const keys = this.context.globalState.get<string[]>(SECRET_INDEX, []);
    let n = 0;
    for (const k of keys) {
      if ((await this.context.secrets.get(k)) !== undefined) n++;
      await this.context.secrets.delete(k);
    }
    await this.context.globalState.update(SECRET_INDEX, []);
    await this.context.globalState.update(CONFIRMED, []);
    return n;
  }
}
