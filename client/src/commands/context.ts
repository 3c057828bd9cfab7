// What every command receives, and how a command finds the mapping it acts on.
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { isMappingDocument, type ScimmapServer } from '../languageServer';
import type { PreviewPanel } from '../preview/previewPanel';
import type { RecordSelection } from '../selection';
import type { MappingStatusBar } from '../statusBar';

export interface CommandContext {
  server: ScimmapServer;
  preview: PreviewPanel;
  selection: RecordSelection;
  status: MappingStatusBar;
  output: vscode.LogOutputChannel;
}

/**
 * The mapping a command acts on: an explicit Uri argument (menus, other commands, tests), else the active mapping
 * editor, else the mapping the preview shows (when the preview has focus).
 */
export function mappingFor(ctx: CommandContext, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  if (isMappingDocument(doc)) return doc.uri;
  return ctx.preview.currentUri;
}

/**
 * No mapping in view (a walkthrough step run from the Welcome page): the workspace's mapping, or a pick among them,
 * opened in an editor so the language server has it.
 */
export async function pickWorkspaceMapping(): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*.scimmap.{yaml,yml}', '**/node_modules/**', 500);
  if (!files.length) return undefined;
  files.sort((a, b) => a.path.localeCompare(b.path));
  const uri = files.length === 1
    ? files[0]
    : (await vscode.window.showQuickPick(files.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Which mapping?', ignoreFocusOut: true }))?.uri;
  if (uri) await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

export async function requireMapping(ctx: CommandContext, arg: unknown): Promise<vscode.Uri | undefined> {
  const uri = mappingFor(ctx, arg) ?? (await pickWorkspaceMapping());
  if (!uri) {
    void vscode.window.showInformationMessage('Open a SCIM mapping (*.scimmap.yaml) first.');
    return undefined;
  }
  // The server works on open documents (unsaved edits included); opening is cheap when it already is.
  await vscode.workspace.openTextDocument(uri);
  return uri;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** A new mapping beside `source` named after it: people.csv → people.scimmap.yaml, or people-2.scimmap.yaml when that exists. */
export async function freeMappingUri(source: vscode.Uri): Promise<vscode.Uri> {
  const stem = basename(source.fsPath).replace(/\.[^.]+$/, '');
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.file(join(dirname(source.fsPath), `${stem}${n === 1 ? '' : `-${n}`}.scimmap.yaml`));
    if (!(await exists(uri))) return uri;
  }
}
