/** Status bar: how old the active mapping's source snapshot is (mappings with a source.from only); click → refresh. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseMappingText } from '../../../src/engine/mapping/parse';
import { ageText } from './model';

export class SnapshotStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('scimmap.snapshot', vscode.StatusBarAlignment.Left, 49);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private readonly timer = setInterval(() => this.render(), 60_000);

  constructor() {
    this.item.name = 'SCIM Mapper Snapshot';
    this.item.command = 'scimmap.refreshSampleFromSource';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidSaveTextDocument(() => this.render()),
    );
    this.render();
  }

  render(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !doc.fileName.endsWith('.scimmap.yaml') || doc.uri.scheme !== 'file') return this.item.hide();
    const src = parseMappingText(doc.getText()).source;
    if (!src?.from || !src.sample) return this.item.hide();
    const file = path.resolve(path.dirname(doc.uri.fsPath), src.sample.value);
    let mtime: number | undefined;
    try {
      mtime = fs.statSync(file).mtimeMs;
    } catch {
      mtime = undefined;
    }
    this.item.text = mtime === undefined ? '$(cloud-download) No snapshot' : `$(history) Snapshot ${ageText(Date.now() - mtime)}`;
    this.item.tooltip = mtime === undefined ? `No snapshot of the source yet: click to pull ${src.sample.value}` : `${src.sample.value} was pulled from the source ${new Date(mtime).toLocaleString()}. Click to refresh it.`;
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
