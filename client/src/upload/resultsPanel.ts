/** The results webview: one panel, reused; data goes in by postMessage (see resultsModel.ts for the page). */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { resultsHtml, resultsView, type ResultsState } from './resultsModel';

/** What the page may ask for (its messages are untrusted: only these shapes are acted on). */
export interface ResultsActions {
  poll(): void;
  resendFailed(): void;
  export(format: 'csv' | 'json'): void;
  reveal(externalId: string): void;
}

export class ResultsPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private state?: ResultsState;

  constructor(private readonly actions: ResultsActions) {}

  show(state: ResultsState, preserveFocus = false): void {
    this.state = state;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('scimmap.uploadResults', 'Test Upload Results', { viewColumn: vscode.ViewColumn.Active, preserveFocus }, {
        enableScripts: true,
        // The page loads nothing: no local or remote resources at all.
        localResourceRoots: [],
      });
      const nonce = randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(16, 'n');
      this.panel.webview.html = resultsHtml(nonce, this.panel.webview.cspSource);
      this.panel.webview.onDidReceiveMessage((m: { type?: unknown; format?: unknown; externalId?: unknown }) => {
        // The page asks for the data when it (re)loads, e.g. after being hidden and shown again.
        if (m?.type === 'ready') this.post();
        else if (m?.type === 'poll') this.actions.poll();
        else if (m?.type === 'resendFailed') this.actions.resendFailed();
        else if (m?.type === 'export' && (m.format === 'csv' || m.format === 'json')) this.actions.export(m.format);
        else if (m?.type === 'reveal' && typeof m.externalId === 'string' && m.externalId.length <= 1024) this.actions.reveal(m.externalId);
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal(undefined, preserveFocus);
      this.post();
    }
  }

  /** Updates the data; shows nothing new if the user closed the panel. */
  update(state: ResultsState): void {
    this.state = state;
    this.post();
  }

  get visible(): boolean {
    return !!this.panel;
  }

  private post(): void {
    if (this.panel && this.state) void this.panel.webview.postMessage({ type: 'state', state: resultsView(this.state) });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
