// "Export Bulk Requests…": every sample record through the mapping, batched as an upload would send them
// (bulkId = externalId, at most bulk.size operations each), written as a JSON array of SCIM BulkRequests.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { errorText, requireMapping, type CommandContext } from './context';
import { RESTRICTED_MODE_MESSAGE } from '../trust';

export interface ExportSummary {
  file: vscode.Uri;
  requests: number;
  operations: number;
  failed: number;
}

/** `target` (a Uri) skips the save dialog: for other commands and tests. */
export async function exportBulk(ctx: CommandContext, arg?: unknown, target?: unknown): Promise<ExportSummary | undefined> {
  const uri = await requireMapping(ctx, arg);
  if (!uri) return undefined;
  if (!vscode.workspace.isTrusted) {
    // The server reads no sample in Restricted Mode, so there is nothing to build BulkRequests from.
    void vscode.window.showWarningMessage(`Export Bulk Requests reads the sample, which is off in Restricted Mode. ${RESTRICTED_MODE_MESSAGE}`);
    return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Building BulkRequests from ${basename(uri.path)}…` },
    () => ctx.server.exportBulk(uri),
  ).then((r) => r, (e: unknown) => {
    ctx.output.error(`export failed: ${errorText(e)}`);
    return null;
  });
  if (!result) {
    void vscode.window.showErrorMessage(`Could not build BulkRequests from ${basename(uri.path)}: see SCIM Mapper: Show Output.`);
    return undefined;
  }
  if (!result.requests.length) {
    const why = result.failed ? `all ${result.failed} sample records fail` : 'the sample has no records';
    void vscode.window.showWarningMessage(`Nothing to export from ${basename(uri.path)}: ${why}.`);
    return undefined;
  }
  let file = target instanceof vscode.Uri ? target : undefined;
  if (!file) {
    const stem = basename(uri.path).replace(/\.scimmap\.ya?ml$/i, '');
    file = await vscode.window.showSaveDialog({
      title: 'Export Bulk Requests',
      defaultUri: vscode.Uri.joinPath(uri, '..', `${stem}.bulk.json`),
      filters: { 'JSON': ['json'] },
      saveLabel: 'Export',
    });
    if (!file) return undefined;
  }
  await vscode.workspace.fs.writeFile(file, Buffer.from(`${JSON.stringify(result.requests, null, 2)}\n`, 'utf8'));
  const operations = result.requests.reduce<number>((n, r) => n + ((r as { Operations?: unknown[] }).Operations?.length ?? 0), 0);
  const summary: ExportSummary = { file, requests: result.requests.length, operations, failed: result.failed };
  const left = result.failed ? ` ${result.failed} failing record${result.failed === 1 ? '' : 's'} left out.` : '';
  ctx.output.info(`exported ${summary.requests} BulkRequests (${operations} operations) to ${file.fsPath}.${left}`);
  void vscode.window.showInformationMessage(
    `Exported ${summary.requests} BulkRequest${summary.requests === 1 ? '' : 's'} (${operations} users) to ${basename(file.path)}.${left}`,
    'Open',
  ).then((choice) => {
    if (choice === 'Open') void vscode.window.showTextDocument(file!);
  });
  return summary;
}
