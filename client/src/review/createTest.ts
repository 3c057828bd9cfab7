// "Create Test from Record": the record the preview shows (or the one given) and its payload become a case in
// the mapping's test file (<name>.scimmap.test.yaml, created when missing); the file opens at the new case.
import * as vscode from 'vscode';
import { requireMapping, type CommandContext } from '../commands/context';
import type { MappingTests } from './testController';

export async function createTestFromRecord(ctx: CommandContext, tests: MappingTests, arg?: unknown, index?: unknown): Promise<vscode.Uri | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('Create Test from Record reads the sample and evaluates the mapping: trust this workspace to use it.');
    return undefined;
  }
  const uri = await requireMapping(ctx, arg);
  if (!uri) return undefined;
  const recordIndex = typeof index === 'number' ? index : ctx.selection.get(uri);
  const created = await ctx.server.createTest(uri, recordIndex);
  if (!created) {
    void vscode.window.showErrorMessage('No record to create a test from: the mapping needs a source.sample with records (see the preview).');
    return undefined;
  }
  const testUri = vscode.Uri.parse(created.testUri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === testUri.toString());
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(testUri, new vscode.Range(0, 0, open.lineCount, 0), created.text);
    await vscode.workspace.applyEdit(edit);
    await open.save();
  } else {
    await vscode.workspace.fs.writeFile(testUri, Buffer.from(created.text, 'utf8'));
  }
  const editor = await vscode.window.showTextDocument(testUri, { preview: false });
  const at = new vscode.Position(created.line, 0);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.AtTop);
  await tests.refreshFile(testUri);
  void vscode.window.showInformationMessage(`Added the case "${created.name}" to ${vscode.workspace.asRelativePath(testUri)}. Run it from the Testing view or with \`scimmap test\`.`);
  return testUri;
}
