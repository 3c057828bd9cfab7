// "SCIM Mapper: Open Preview to the Side": one webview beside the mapping editor. It follows the active mapping,
// refreshes (debounced) when the mapping, its sample or its extension schema files change, and asks the language
// server for everything it shows, so the preview and the CLI run the same engine.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { isMappingDocument, type ScimmapServer } from '../languageServer';
import type { RecordSelection } from '../selection';
import { settings } from '../settings';
import { RESTRICTED_MODE_MESSAGE } from '../trust';
import { previewHtml } from './html';
import { parseFromWebview, type ToWebview } from './messages';

export class PreviewPanel implements vscode.Disposable {
  static readonly viewType = 'scimmap.preview';
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private rerun = false;
  /** The last message that showed data, replayed when the webview (re)loads. */
  private last: ToWebview | undefined;
  /** A filter asked for before the webview was ready (it is sent again on "ready"). */
  private pendingFilter: Extract<ToWebview, { type: 'filter' }> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: ScimmapServer,
    private readonly selection: RecordSelection,
    private readonly output: vscode.LogOutputChannel,
  ) {
    const samples = vscode.workspace.createFileSystemWatcher('**/*.{csv,tsv,txt,json,jsonl,ndjson}');
    const sampleChanged = (): void => this.schedule();
    this.disposables.push(
      samples,
      samples.onDidChange(sampleChanged),
      samples.onDidCreate(sampleChanged),
      samples.onDidDelete(sampleChanged),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.uri && e.document.uri.toString() === this.uri.toString() && e.contentChanges.length) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        // Follow the mapping being edited; other editors (and focusing the preview itself) leave it as it is.
        if (this.panel && e && isMappingDocument(e.document) && e.document.uri.toString() !== this.uri?.toString()) {
          this.setUri(e.document.uri);
        }
      }),
      selection.onDidChange((e) => {
        if (this.uri && e.uri.toString() === this.uri.toString()) void this.refresh();
      }),
      // Restricted Mode shows no preview (the sample is not read); trust granted: show it now.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
    );
  }

  /** The mapping the preview shows, while it is open. */
  get currentUri(): vscode.Uri | undefined {
    return this.panel ? this.uri : undefined;
  }

  show(uri: vscode.Uri, preserveFocus = true): void {
    if (!this.panel) this.panel = this.createPanel();
    else this.panel.reveal(undefined, preserveFocus);
    this.setUri(uri);
  }

  /** Opens the preview on `uri` with its record list filtered (from a diagnostic: the records it counts). */
  async showFiltered(uri: vscode.Uri, filter: { attribute?: string; code?: string; label?: string }): Promise<void> {
    await vscode.workspace.openTextDocument(uri); // the server previews open documents
    const message: Extract<ToWebview, { type: 'filter' }> = { type: 'filter', failingOnly: true, ...filter };
    // A new panel's script is not listening yet: it gets the filter when it says "ready".
    if (!this.panel) this.pendingFilter = message;
    this.show(uri, false);
    if (!this.pendingFilter) await this.panel?.webview.postMessage(message);
  }

  /**
   * After a window reload VS Code hands back the panel it had (registerWebviewPanelSerializer); the webview's saved
   * state names the mapping. Without one the panel says so instead of staying blank.
   */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = state && typeof state === 'object' ? (state as { uri?: unknown }).uri : undefined;
    const index = state && typeof state === 'object' ? (state as { selected?: unknown }).selected : undefined;
    if (this.panel) {
      // A second restored preview: one preview is kept (it follows the active mapping).
      panel.dispose();
      return;
    }
    this.panel = this.setUpPanel(panel);
    let uri: vscode.Uri | undefined;
    try {
      uri = typeof saved === 'string' ? vscode.Uri.parse(saved, true) : undefined;
      if (uri) await vscode.workspace.openTextDocument(uri);
    } catch {
      uri = undefined;
    }
    if (uri && Number.isInteger(index) && (index as number) >= 0) this.selection.setQuietly(uri, index as number);
    if (uri) this.setUri(uri);
    else await this.post({ type: 'error', message: 'Open a SCIM mapping (*.scimmap.yaml) and run "SCIM Mapper: Open Preview to the Side".' });
  }

  private createPanel(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      PreviewPanel.viewType,
      'SCIM Preview',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      PreviewPanel.webviewOptions(this.extensionUri),
    );
    return this.setUpPanel(panel);
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')], enableFindWidget: true };
  }

  private setUpPanel(panel: vscode.WebviewPanel): vscode.WebviewPanel {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.webview.options = PreviewPanel.webviewOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(media, 'preview-icon.svg');
    const { webview } = panel;
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString(),
      entraScriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview-entra.js')).toString(),
      entraStyleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview-entra.css')).toString(),
    });
    webview.onDidReceiveMessage((raw: unknown) => {
      const m = parseFromWebview(raw);
      if (!m) return;
      if (m.type === 'ready') {
        if (this.last) void webview.postMessage(this.last);
        else void this.refresh();
        if (this.pendingFilter) void webview.postMessage(this.pendingFilter);
        this.pendingFilter = undefined;
      } else if (m.type === 'select' && this.uri) {
        this.selection.set(this.uri, m.index);
      } else if (m.type === 'export' && this.uri) {
        void vscode.commands.executeCommand('scimmap.exportBulk', this.uri);
      } else if ((m.type === 'bulkRequest' || m.type === 'copyBulkRequest') && this.uri) {
        void this.bulkRequest(this.uri, m.index, m.type === 'copyBulkRequest');
      } else if (m.type === 'send' && this.uri) {
        this.sendRecords(this.uri, m.indexes);
      }
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.last = undefined;
      this.pendingFilter = undefined;
      if (this.timer) clearTimeout(this.timer);
    });
    return panel;
  }

  /** One BulkRequest whole, exactly as the export writes it (the server builds it; nothing is re-derived here). */
  private async bulkRequest(uri: vscode.Uri, index: number, copy: boolean): Promise<void> {
    try {
      const result = await this.server.exportBulk(uri);
      const request = result?.requests[index] as { Operations?: unknown[] } | undefined;
      if (!request) throw new Error(`BulkRequest #${index + 1} no longer exists (the mapping or the sample changed)`);
      const json = JSON.stringify(request, null, 2);
      if (copy) {
        await vscode.env.clipboard.writeText(json);
        void vscode.window.showInformationMessage(`Copied BulkRequest #${index + 1} (${request.Operations?.length ?? 0} operations) to the clipboard.`);
      } else {
        await this.panel?.webview.postMessage({ type: 'bulkRequest', index, json, operations: request.Operations?.length ?? 0 } satisfies ToWebview);
      }
    } catch (e) {
      this.output.error(`BulkRequest #${index + 1} of ${uri.toString()}: ${(e as Error)?.message ?? String(e)}`);
      void vscode.window.showErrorMessage(`Cannot show BulkRequest #${index + 1}: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  /** "Send these records": Send Test Upload with the listed records that map without errors (its confirmation asks). */
  private sendRecords(uri: vscode.Uri, indexes: number[]): void {
    const data = this.last?.type === 'update' ? this.last.data : undefined;
    if (!data || data.uri !== uri.toString()) return;
    const wanted = new Set(indexes);
    const externalIds = data.records.filter((r) => wanted.has(r.index) && r.status === 'ok' && r.bulkId).map((r) => r.bulkId!);
    if (!externalIds.length) return;
    void vscode.commands.executeCommand('scimmap.sendTestUpload', { uri: uri.toString(), externalIds, label: `${externalIds.length} record${externalIds.length === 1 ? '' : 's'} chosen in the preview` });
  }

  private setUri(uri: vscode.Uri): void {
    this.uri = uri;
    if (!this.panel) return;
    this.panel.title = `Preview ${basename(uri.path)}`;
    void this.post({ type: 'loading', file: basename(uri.path) });
    void this.refresh();
  }

  /** Refreshes after the user pauses typing (scimmap.preview.debounceMs). */
  private schedule(): void {
    if (!this.panel) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), settings.previewDebounceMs());
  }

  /** One request at a time; changes that arrive meanwhile cause exactly one more. */
  async refresh(): Promise<void> {
    if (!this.panel || !this.uri) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.rerun = false;
        const uri: vscode.Uri | undefined = this.uri;
        if (!uri) break;
        const file = basename(uri.path);
        try {
          const requested = this.selection.get(uri);
          const data = await this.server.preview(uri, requested);
          // Superseded (another mapping, another record, or an edit meanwhile): the loop asks again; showing this
          // answer first would flash an older record.
          if (uri !== this.uri || this.rerun) continue;
          if (!data) {
            const message = vscode.workspace.isTrusted ? `Open ${file} in an editor to preview it.` : `The preview reads the sample, which is off in Restricted Mode. ${RESTRICTED_MODE_MESSAGE}`;
            await this.post({ type: 'error', file, message });
          } else {
            // The server clamps the index to the records there are; keep the selection in step without a refresh.
            if (data.selected && data.selected.index !== requested && this.selection.get(uri) === requested) {
              this.selection.setQuietly(uri, data.selected.index);
            }
            await this.post({ type: 'update', file, data });
          }
        } catch (e) {
          this.output.error(`preview of ${uri.toString()} failed: ${(e as Error)?.message ?? String(e)}`);
          await this.post({ type: 'error', file, message: `The preview failed: ${(e as Error)?.message ?? String(e)}` });
        }
      } while (this.rerun && this.panel);
    } finally {
      this.running = false;
    }
  }

  private async post(m: ToWebview): Promise<void> {
    if (m.type !== 'loading') this.last = m;
    await this.panel?.webview.postMessage(m);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
