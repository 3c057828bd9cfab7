// Status bar item: the health of the mapping being edited (errors, warnings, sample records failing); click → preview.
import * as vscode from 'vscode';
import { isMappingDocument, type ScimmapServer, type StatusParams } from './languageServer';

export class MappingStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly statuses = new Map<string, StatusParams>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly waiters = new Map<string, Array<(s: StatusParams) => void>>();
  /** The mapping shown: the active mapping editor, kept while a webview (the preview) has focus. */
  private shown: vscode.Uri | undefined;

  constructor(server: ScimmapServer) {
    this.item = vscode.window.createStatusBarItem('scimmap.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'SCIM Mapper';
    this.item.command = 'scimmap.openPreview';
    this.disposables.push(
      this.item,
      server.onStatus((s) => {
        this.statuses.set(s.uri, s);
        for (const resolve of this.waiters.get(s.uri) ?? []) resolve(s);
        this.waiters.delete(s.uri);
        if (this.shown?.toString() === s.uri) this.render();
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => this.follow(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.statuses.delete(d.uri.toString())),
    );
    this.follow(vscode.window.activeTextEditor);
  }

  /** The last status the server sent for a mapping, if any. */
  statusOf(uri: vscode.Uri): StatusParams | undefined {
    return this.statuses.get(uri.toString());
  }

  /** Resolves with the next status for `uri` (after a validation), or undefined after `timeoutMs`. */
  nextStatus(uri: vscode.Uri, timeoutMs: number): Promise<StatusParams | undefined> {
    return new Promise((resolve) => {
      const key = uri.toString();
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      const list = this.waiters.get(key) ?? [];
      list.push((s) => {
        clearTimeout(timer);
        resolve(s);
      });
      this.waiters.set(key, list);
    });
  }

  private follow(editor: vscode.TextEditor | undefined): void {
    if (editor && isMappingDocument(editor.document)) this.shown = editor.document.uri;
    else if (editor) this.shown = undefined; // another text editor: not about a mapping any more
    this.render();
  }

  private render(): void {
    const s = this.shown && this.statuses.get(this.shown.toString());
    if (!this.shown) {
      this.item.hide();
      return;
    }
    if (!s) {
      this.item.text = '$(sync~spin) SCIM';
      this.item.tooltip = 'SCIM Mapper: checking the mapping…';
      this.item.backgroundColor = undefined;
      this.item.accessibilityInformation = { label: 'SCIM Mapper: checking the mapping' };
      this.item.show();
      return;
    }
    const parts = [`$(error) ${s.errors}`, `$(warning) ${s.warnings}`];
    // Skipped records (left out without an error, e.g. duplicates) are neither failing nor ok.
    const skipped = s.skippedRecords ?? 0;
    if (s.records > 0) parts.push(s.failingRecords ? `$(person) ${s.failingRecords}/${s.records} failing` : `$(pass) ${s.records - skipped} ok`);
    if (s.records > 0 && skipped) parts.push(`$(debug-step-over) ${skipped} skipped`);
    this.item.text = `SCIM ${parts.join(' ')}`;
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    const sample = s.records > 0 ? `${plural(s.failingRecords, 'sample record')} of ${s.records} failing${skipped ? `, ${skipped} skipped (not sent)` : ''}` : 'no sample records';
    const summary = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${sample}`;
    this.item.tooltip = `SCIM Mapper: ${summary}. Click to open the preview.`;
    this.item.accessibilityInformation = { label: `SCIM Mapper: ${summary}` };
    this.item.backgroundColor = s.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : s.warnings > 0 || s.failingRecords > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
