// "Import CSV2SCIM Mapping…": pick an AttributeMapping.psd1 (and, optionally, the CSV it is used with); the language
// server translates it (src/migrate/csv2scim); the mapping is written next to the .psd1 and opened. Untranslated
// entries are TODO comments in the file; each message with its .psd1 line goes to the output channel.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { errorText, freeMappingUri, type CommandContext } from './context';

/** `psd1Arg`/`csvArg`: Uris (explorer context menu, tests; csvArg null: no CSV); otherwise open dialogs. */
export async function importCsv2ScimMapping(ctx: CommandContext, psd1Arg?: unknown, csvArg?: unknown): Promise<vscode.Uri | undefined> {
  let psd1 = psd1Arg instanceof vscode.Uri ? psd1Arg : undefined;
  if (!psd1) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Import CSV2SCIM Mapping: choose an AttributeMapping.psd1',
      openLabel: 'Import',
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { 'PowerShell data files': ['psd1'], 'All files': ['*'] },
    });
    psd1 = picked?.[0];
    if (!psd1) return undefined;
  }
  let csv = csvArg instanceof vscode.Uri ? csvArg : undefined;
  if (csvArg === undefined) {
    const picked = await vscode.window.showOpenDialog({
      title: 'The CSV it is used with (columns are matched ignoring case; Cancel: none)',
      openLabel: 'Use this CSV',
      canSelectMany: false,
      defaultUri: vscode.Uri.file(dirname(psd1.fsPath)),
      filters: { 'CSV files': ['csv', 'tsv', 'txt'], 'All files': ['*'] },
    });
    csv = picked?.[0];
  }
  if (psd1.scheme !== 'file' || (csv && csv.scheme !== 'file')) {
    void vscode.window.showErrorMessage('Import CSV2SCIM Mapping needs files on disk.');
    return undefined;
  }
  const target = await freeMappingUri(psd1);
  let result;
  try {
    result = await ctx.server.importCsv2Scim({ psd1Path: psd1.fsPath, csvPath: csv?.fsPath, outPath: target.fsPath });
  } catch (e) {
    ctx.output.error(`import failed: ${errorText(e)}`);
  }
  if (!result || result.error) {
    void vscode.window.showErrorMessage(`Could not import ${basename(psd1.fsPath)}: ${result?.error ?? 'see SCIM Mapper: Show Output.'}`);
    return undefined;
  }
  for (const d of result.diagnostics) ctx.output.warn(`${basename(psd1.fsPath)}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}`);
  if (result.text === undefined) {
    const first = result.diagnostics[0];
    void vscode.window.showErrorMessage(`${basename(psd1.fsPath)} could not be read${first ? ` (line ${first.line}: ${first.message})` : ''}.`);
    return undefined;
  }
  await vscode.workspace.fs.writeFile(target, Buffer.from(result.text, 'utf8'));
  const editor = await vscode.window.showTextDocument(target);
  const todo = result.todo ? ` ${result.todo} entr${result.todo === 1 ? 'y is' : 'ies are'} TODO comments to write in JSONata (see SCIM Mapper: Show Output).` : '';
  void vscode.window.showInformationMessage(`Imported ${basename(psd1.fsPath)} as ${basename(target.fsPath)}: ${result.mapped} mappings.${todo} Review each line.`);
  return editor.document.uri;
}
