/** The Sync Plan webview: one panel, reused; data goes in by postMessage (see planModel.ts for the page). */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { planHtml, type PlanViewState } from './planModel';

export class PlanPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private state?: PlanViewState;

  constructor(private readonly onMessage: (type: 'run' | 'replan') => void) {}

  show(state: PlanViewState): void {
    this.state = state;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('scimmap.syncPlan', 'Sync Plan', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
      const nonce = randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(16, 'n');
      this.panel.webview.html = planHtml(nonce, this.panel.webview.cspSource);
      this.panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type === 'ready') this.post();
        else if (m?.type === 'run' || m?.type === 'replan') this.onMessage(m.type);
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal();
      this.post();
    }
  }

  private post(): void {
    if (this.panel && this.state) void this.panel.webview.postMessage({ type: 'state', state: this.state });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
