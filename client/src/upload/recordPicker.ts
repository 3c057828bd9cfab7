/** Which records a test upload sends: the quick picks of "Send Test Upload…" (SCIM uploads use them too). */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { BulkRequest } from '../../../src/engine/types';
import type { PreviewData } from '../../../src/service/protocol';
import type { UploadServer } from './api';
import { externalIdOf, labelOf, operationsOf, type RecordChoice } from './selection';

/** The record the preview shows (`index`), as its externalId and label; undefined when there is none. */
export async function previewedRecord(server: UploadServer, doc: vscode.TextDocument, index: number | undefined): Promise<{ externalId: string; label: string } | undefined> {
if (index === undefined) return undefined;
const preview = (await server.preview(doc.uri, index)) as PreviewData | null;
  const ext = preview?.selected?.resource?.externalId;
  if (typeof ext !== 'string' && typeof ext !== 'number') return undefined;
  const row = preview?.records.find((r) => r.index === index);
  return { externalId: String(ext), label: row?.label ?? String(ext) };
}

/**
 * Which of the mapping's records to send: the preview's current one (`current`, when there is one), the first N,
 * all, or one picked by name. Undefined: cancelled.
 */
export async function pickRecords(
doc: vscode.TextDocument,
requests: BulkRequest[],
failed: number,
current: () => Promise<{ externalId: string; label: string } | undefined>,
): Promise<RecordChoice | undefined> {
  const ops = operationsOf(requests);
  const total = ops.length;
  if (!total) throw new Error(`no record of ${basename(doc.uri.fsPath)}'s sample maps without errors${failed ? ` (${failed} failing)` : ''}; nothing to send`);
  type Item = vscode.QuickPickItem & { choice?: RecordChoice; ask?: 'first' | 'one' };
  const items: Item[] = [];
  const shown = await current().catch(() => undefined);
  if (shown) items.push({ label: '$(person) The current preview record', description: shown.label, choice: { kind: 'record', externalId: shown.externalId, label: shown.label } });
  items.push({ label: '$(list-ordered) First N records…', description: `of ${total}`, ask: 'first' });
  items.push({ label: `$(list-flat) All ${total} records`, description: failed ? `${failed} with mapping errors are left out` : undefined, choice: { kind: 'all' } });
  items.push({ label: '$(search) One record…', ask: 'one' });
  const pick = await vscode.window.showQuickPick(items, { title: `Send Test Upload: which records of ${basename(doc.uri.fsPath)}?`, ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.choice) return pick.choice;
  if (pick.ask === 'first') {
    const n = await vscode.window.showInputBox({
      title: 'How many records, from the start of the sample?',
      value: String(Math.min(5, total)),
      ignoreFocusOut: true,
      validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= total ? undefined : `A number from 1 to ${total}`),
    });
    return n === undefined ? undefined : { kind: 'first', count: Number(n.trim()) };
  }
  const one = await vscode.window.showQuickPick(
    ops.map((op) => ({ label: labelOf(op), description: externalIdOf(op), op })),
    { title: 'Which record?', matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!one) return undefined;
  return { kind: 'record', externalId: externalIdOf(one.op) ?? one.op.bulkId, label: one.label };
}
