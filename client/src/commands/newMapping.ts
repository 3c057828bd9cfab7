// "New Mapping from Sample…": pick an HR export; the language server drafts a mapping from its fields (common HR
// names mapped to SCIM attributes); the draft is written next to the sample and opened, where it is validated.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { errorText, freeMappingUri, type CommandContext } from './context';

/** `arg`: a sample Uri (explorer context menu, tests); otherwise an open dialog. Returns the new mapping. */
export async function newMappingFromSample(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  let sample = arg instanceof vscode.Uri ? arg : undefined;
  if (!sample) {
    const picked = await vscode.window.showOpenDialog({
      title: 'New Mapping from Sample: choose an HR export',
      openLabel: 'Draft Mapping',
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { 'HR exports': ['csv', 'tsv', 'json', 'jsonl', 'ndjson'], 'All files': ['*'] },
    });
    sample = picked?.[0];
    if (!sample) return undefined;
  }
  if (sample.scheme !== 'file') {
    void vscode.window.showErrorMessage('New Mapping from Sample needs a file on disk.');
    return undefined;
  }
  let draft;
  try {
    draft = await ctx.server.scaffold(sample.fsPath);
  } catch (e) {
    ctx.output.error(`scaffold failed: ${errorText(e)}`);
  }
  if (!draft) {
    void vscode.window.showErrorMessage(`Could not read fields from ${basename(sample.fsPath)}: see SCIM Mapper: Show Output.`);
    return undefined;
  }
  const target = await freeMappingUri(sample);
  await vscode.workspace.fs.writeFile(target, Buffer.from(draft.text, 'utf8'));
  // Opening it makes the server validate it; report that result with the draft (and return only once it is known).
  const validated = ctx.status.nextStatus(target, 30_000);
  const editor = await vscode.window.showTextDocument(target);
  const status = await validated;
  ctx.output.info(`drafted ${target.fsPath}: ${draft.mapped.length} attributes mapped; not mapped: ${draft.unmapped.join(', ') || 'none'}`);
  const unmapped = draft.unmapped.length ? ` ${draft.unmapped.length} field${draft.unmapped.length === 1 ? '' : 's'} left for you to map.` : '';
  const health = !status ? '' : status.errors ? ` It has ${status.errors} error${status.errors === 1 ? '' : 's'} to fix.` : ' It validates without errors.';
  void vscode.window.showInformationMessage(`Drafted ${basename(target.fsPath)} with ${draft.mapped.length} mapped attributes.${health}${unmapped} Review each line.`);
  return editor.document.uri;
}
