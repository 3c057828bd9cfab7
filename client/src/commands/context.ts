// What every command receives, and how a command finds the mapping it acts on.
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

export async function requireMapping(ctx: CommandContext, arg: unknown): Promise<vscode.Uri | undefined> {
  const uri = mappingFor(ctx, arg);
  if (!uri) {
    void vscode.window.showInformationMessage('Open a SCIM mapping (*.scimmap.yaml) first.');
    return undefined;
  }
  // The server works on open documents (unsaved edits included); opening is cheap when it already is.
  await vscode.workspace.openTextDocument(uri);
  return uri;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
