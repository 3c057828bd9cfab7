// Inline values: the selected sample record's value at the end of each mapping line (the server's inlay hints).
// The setting scimmap.inlineValues.enabled turns them on and off; the record follows the shared selection.
import * as vscode from 'vscode';
import { isMappingDocument } from '../languageServer';
import { settings } from '../settings';
import type { CommandContext } from './context';

export async function toggleInlineValues(): Promise<void> {
  const on = !settings.inlineValuesEnabled();
  await settings.setInlineValuesEnabled(on);
  void vscode.window.setStatusBarMessage(`SCIM Mapper: inline sample values ${on ? 'on' : 'off'}`, 3000);
}

/** Keeps the server's selected record (per mapping) in step with the selection and the setting. */
export function syncInlineValues(ctx: CommandContext): vscode.Disposable {
  const push = (uri: vscode.Uri): void => {
    const index = settings.inlineValuesEnabled() ? ctx.selection.get(uri) : null;
    ctx.server.selectRecord(uri, index).catch((e) => ctx.output.warn(`selectRecord failed: ${String(e)}`));
  };
  const openMappings = (): vscode.Uri[] => vscode.workspace.textDocuments.filter(isMappingDocument).map((d) => d.uri);
  // The server starts with record 1 shown; only a disabled setting needs saying up front.
  if (!settings.inlineValuesEnabled()) for (const uri of openMappings()) push(uri);
  return vscode.Disposable.from(
    ctx.selection.onDidChange((e) => push(e.uri)),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isMappingDocument(d) && !settings.inlineValuesEnabled()) push(d.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (isMappingDocument(d)) ctx.selection.forget(d.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('scimmap.inlineValues.enabled')) for (const uri of openMappings()) push(uri);
    }),
  );
}
