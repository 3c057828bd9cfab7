/**
 * Which mapping a command works on: the active or a visible scimmap editor, else the workspace's only
 * *.scimmap.yaml, else the user's pick. Shared by the upload and sync commands so they choose alike.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';

/** `title` names the command in the picker ("Plan Sync: which mapping?"). Undefined when the user cancels. */
export async function pickMappingDocument(title: string): Promise<vscode.TextDocument | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'scimmap') return active;
  const visible = vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.languageId === 'scimmap');
  if (visible) return visible;
  const files = await vscode.workspace.findFiles('**/*.scimmap.yaml', '**/node_modules/**', 500);
  if (!files.length) throw new Error('no mapping file (*.scimmap.yaml) in the workspace');
  if (files.length === 1) return vscode.workspace.openTextDocument(files[0]!);
  const pick = await vscode.window.showQuickPick(
    files.map((u) => ({ label: basename(u.fsPath), description: vscode.workspace.asRelativePath(u), uri: u })),
    { title: `${title}: which mapping?`, ignoreFocusOut: true },
  );
  return pick ? vscode.workspace.openTextDocument(pick.uri) : undefined;
}
