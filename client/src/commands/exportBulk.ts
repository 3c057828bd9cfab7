// "Export Bulk Requests…": every sample record through the mapping, batched as an upload would send them
// (bulkId = externalId, at most bulk.size operations each), written as a JSON array of SCIM BulkRequests, as one JSON
// document per BulkRequest in a folder, or as NDJSON (one BulkRequest per line).
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

export type ExportFormat = 'array' | 'folder' | 'ndjson';
const isExportFormat = (x: unknown): x is ExportFormat => x === 'array' || x === 'folder' || x === 'ndjson';

/** A target named *.ndjson / *.jsonl is NDJSON; one without an extension is a folder; else one JSON array. */
function formatOfTarget(u: vscode.Uri): ExportFormat {
  const name = basename(u.path).toLowerCase();
  if (/\.(ndjson|jsonl)$/.test(name)) return 'ndjson';
  return /\.[a-z0-9]+$/.test(name) ? 'array' : 'folder';
}

/** The files an export writes: one array, one document per BulkRequest (0001.json …), or one request per line. */
export function exportFiles(file: vscode.Uri, requests: unknown[], kind: ExportFormat): [vscode.Uri, string][] {
  if (kind === 'ndjson') return [[file, requests.map((r) => `${JSON.stringify(r)}\n`).join('')]];
  if (kind === 'folder') {
    const width = Math.max(4, String(requests.length).length);
    return requests.map((r, i) => [vscode.Uri.joinPath(file, `${String(i + 1).padStart(width, '0')}.json`), `${JSON.stringify(r, null, 2)}\n`]);
  }
  return [[file, `${JSON.stringify(requests, null, 2)}\n`]];
}

/** `target` (a Uri) skips the dialogs: for other commands and tests; `format` says how to write it. */
export async function exportBulk(ctx: CommandContext, arg?: unknown, target?: unknown, format?: unknown): Promise<ExportSummary | undefined> {
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
  const stem = basename(uri.path).replace(/\.scimmap\.ya?ml$/i, '');
  let kind = isExportFormat(format) ? format : target instanceof vscode.Uri ? formatOfTarget(target) : undefined;
  if (!kind) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'One JSON array', description: `${stem}.bulk.json`, detail: 'Every BulkRequest in one file', format: 'array' as const },
        { label: 'One file per BulkRequest', description: `${stem}.bulk/0001.json …`, detail: 'A folder with one JSON document per BulkRequest, each ready to POST', format: 'folder' as const },
        { label: 'NDJSON', description: `${stem}.bulk.ndjson`, detail: 'One BulkRequest per line', format: 'ndjson' as const },
      ],
      { title: `Export ${result.requests.length} BulkRequest${result.requests.length === 1 ? '' : 's'} as…`, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    kind = pick.format;
  }
  let file = target instanceof vscode.Uri ? target : undefined;
  if (!file && kind === 'folder') {
    const picked = await vscode.window.showOpenDialog({
      title: 'Export Bulk Requests: choose a folder (a new folder is created in it)',
      defaultUri: vscode.Uri.joinPath(uri, '..'),
      canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Export Here',
    });
    if (!picked?.[0]) return undefined;
    file = vscode.Uri.joinPath(picked[0], `${stem}.bulk`);
  } else if (!file) {
    const ext = kind === 'ndjson' ? 'ndjson' : 'json';
    file = await vscode.window.showSaveDialog({
      title: 'Export Bulk Requests',
      defaultUri: vscode.Uri.joinPath(uri, '..', `${stem}.bulk.${ext}`),
      filters: kind === 'ndjson' ? { 'NDJSON': ['ndjson', 'jsonl'] } : { 'JSON': ['json'] },
      saveLabel: 'Export',
    });
    if (!file) return undefined;
  }
  for (const [f, text] of exportFiles(file, result.requests, kind)) await vscode.workspace.fs.writeFile(f, Buffer.from(text, 'utf8'));
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
