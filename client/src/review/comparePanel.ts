// "Compare Preview with…": the mapping as edited against a base version (HEAD by default, another revision, or a
// file), evaluated by the language server on the same sample — per attribute how many records change, records that
// start or stop failing, and a side-by-side view per changed record. The webview only shows data (textContent).
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { requireMapping, errorText, type CommandContext } from '../commands/context';
import { attr, contentSecurityPolicy, newNonce } from '../preview/html';
import { BaseError, readBaseMapping } from '../../../src/review/files';
import type { ImpactResult } from '../languageServer';

/** Where the base version comes from: `arg` (tests, other commands) or a quick pick, HEAD first. */
async function chooseBase(arg: unknown, mapping: vscode.Uri): Promise<string | undefined> {
  if (typeof arg === 'string' && arg) return arg;
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'HEAD', description: 'the last commit', base: 'HEAD' },
      { label: 'Another git revision…', description: 'a branch, tag or commit', base: '' },
      { label: 'A file…', description: 'another version of the mapping on disk', base: 'file' },
    ],
    { title: `Compare ${basename(mapping.fsPath)} with…`, placeHolder: 'HEAD' },
  );
  if (!pick) return undefined;
  if (pick.base === 'HEAD') return 'HEAD';
  if (pick.base === 'file') {
    const f = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: mapping, filters: { 'Mapping files': ['yaml', 'yml'] } });
    return f?.[0]?.fsPath;
  }
  return vscode.window.showInputBox({ title: 'Git revision to compare with', value: 'main', validateInput: (v) => (/^[A-Za-z0-9][A-Za-z0-9._/@{}~^-]*$/.test(v) && !v.includes('..') ? undefined : 'a branch, tag or commit') });
}

export async function comparePreview(ctx: CommandContext, extensionUri: vscode.Uri, arg?: unknown, baseArg?: unknown): Promise<ImpactResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('Compare Preview runs git and evaluates the mapping on its sample: trust this workspace to use it.');
    return undefined;
  }
  const uri = await requireMapping(ctx, arg);
  if (!uri || uri.scheme !== 'file') return undefined;
  const base = await chooseBase(baseArg, uri);
  if (!base) return undefined;
  let baseText: string;
  try {
    baseText = (await readBaseMapping(uri.fsPath, base, vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? uri.fsPath)).text;
  } catch (e) {
    void vscode.window.showErrorMessage(e instanceof BaseError ? e.message : `Could not read the base version: ${errorText(e)}`);
    return undefined;
  }
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing ${basename(uri.fsPath)} with ${base}…` }, () => ctx.server.impact(uri, baseText));
  if (!result) {
    void vscode.window.showErrorMessage('The comparison failed: see SCIM Mapper: Show Output.');
    return undefined;
  }
  ComparePanel.show(extensionUri, uri, base.includes('/') || base.includes('\\') ? basename(base) : base, result);
  return result;
}

class ComparePanel {
  private static panel: vscode.WebviewPanel | undefined;

  static show(extensionUri: vscode.Uri, uri: vscode.Uri, baseLabel: string, result: ImpactResult): void {
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    let panel = ComparePanel.panel;
    if (!panel) {
      panel = vscode.window.createWebviewPanel('scimmap.compare', 'Compare', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, localResourceRoots: [media], enableFindWidget: true });
      ComparePanel.panel = panel;
      panel.onDidDispose(() => (ComparePanel.panel = undefined));
    }
    panel.title = `Compare ${basename(uri.fsPath)} ↔ ${baseLabel}`;
    const webview = panel.webview;
    const nonce = newNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'compare.js')).toString();
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'compare.css')).toString();
    const data = { file: basename(uri.fsPath), base: baseLabel, ...result };
    webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(webview.cspSource, nonce))}">
<link rel="stylesheet" href="${attr(style)}" nonce="${nonce}"><title>Compare</title></head>
<body>
<header><h1 id="title"></h1><p id="summary" role="status"></p></header>
<main>
<section aria-labelledby="attr-h"><h2 id="attr-h">Attributes that change</h2><table id="attributes"><thead><tr><th scope="col">Attribute</th><th scope="col">Records</th><th scope="col">Examples (before → after)</th></tr></thead><tbody></tbody></table></section>
<section aria-labelledby="fail-h"><h2 id="fail-h">Failing records</h2><div id="failing"></div></section>
<section aria-labelledby="rec-h"><h2 id="rec-h">Changed records</h2><div class="records"><div id="record-list" role="listbox" tabindex="0" aria-label="Changed records"></div><div class="side"><div><h3 id="before-h"></h3><pre id="before"></pre></div><div><h3 id="after-h"></h3><pre id="after"></pre></div></div></div></section>
</main>
<script nonce="${nonce}" id="data" type="application/json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script nonce="${nonce}" src="${attr(script)}"></script>
</body></html>`;
    panel.reveal(vscode.ViewColumn.Beside);
  }
}
