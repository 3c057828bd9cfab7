// "Validate All Mappings in the Workspace": opens every *.scimmap.yaml so the language server checks it and its
// diagnostics land in the Problems panel, then reports the totals.
import * as vscode from 'vscode';
import { errorText, type CommandContext } from './context';

export interface WorkspaceValidation {
  mappings: number;
  withErrors: number;
  errors: number;
  warnings: number;
  failingRecords: number;
  /** Mappings that did not report within the time limit. */
  pending: number;
}

export async function validateWorkspace(ctx: CommandContext, timeoutMs = 60_000): Promise<WorkspaceValidation> {
  const files = await vscode.workspace.findFiles('**/*.scimmap.yaml', '**/{node_modules,.git}/**', 500);
  const result: WorkspaceValidation = { mappings: files.length, withErrors: 0, errors: 0, warnings: 0, failingRecords: 0, pending: 0 };
  if (!files.length) {
    void vscode.window.showInformationMessage('No *.scimmap.yaml files in this workspace. Try SCIM Mapper: New Mapping from Sample…');
    return result;
  }
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Validating ${files.length} mapping${files.length === 1 ? '' : 's'}…` },
    async () => {
      await Promise.all(files.map(async (uri) => {
        // Listen before opening: the first status for a newly opened mapping is its validation.
        const known = ctx.status.statusOf(uri);
        const next = known ? undefined : ctx.status.nextStatus(uri, timeoutMs);
        try {
          await vscode.workspace.openTextDocument(uri);
        } catch (e) {
          ctx.output.warn(`cannot open ${uri.fsPath}: ${errorText(e)}`);
        }
        const s = known ?? (await next);
        if (!s) {
          result.pending++;
          return;
        }
        result.errors += s.errors;
        result.warnings += s.warnings;
        result.failingRecords += s.failingRecords;
        if (s.errors) result.withErrors++;
      }));
    },
  );
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  const p = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const text = `Validated ${p(result.mappings, 'mapping')}: ${p(result.errors, 'error')}, ${p(result.warnings, 'warning')}` +
    `${result.failingRecords ? `, ${p(result.failingRecords, 'failing sample record')}` : ''}` +
    `${result.pending ? ` (${result.pending} still checking)` : ''}.`;
  ctx.output.info(text);
  if (result.errors) void vscode.window.showWarningMessage(text);
  else void vscode.window.showInformationMessage(text);
  return result;
}
