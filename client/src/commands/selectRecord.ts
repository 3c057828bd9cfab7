// "Select Sample Record": a quick pick of the sample's records (key and name); the preview and inline values follow.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { requireMapping, type CommandContext } from './context';

interface RecordItem extends vscode.QuickPickItem {
  index: number;
}

export async function selectRecord(ctx: CommandContext, arg?: unknown, index?: unknown): Promise<number | undefined> {
  const uri = await requireMapping(ctx, arg);
  if (!uri) return undefined;
  if (typeof index === 'number' && Number.isInteger(index) && index >= 0) {
    ctx.selection.set(uri, index); // programmatic use (tests, other extensions)
    return index;
  }
  const pick = vscode.window.createQuickPick<RecordItem>();
  pick.title = `Sample record for ${basename(uri.path)}`;
  pick.placeholder = 'Type a key or a name';
  pick.matchOnDescription = true;
  pick.busy = true;
  pick.show();
  try {
    const data = await ctx.server.preview(uri, ctx.selection.get(uri));
    if (!data || !data.records.length) {
      pick.hide();
      void vscode.window.showInformationMessage(data?.message ?? `${basename(uri.path)} has no sample records to choose from.`);
      return undefined;
    }
    const current = ctx.selection.get(uri);
    pick.items = data.records.map((r) => ({
      index: r.index,
      label: r.key ?? `record ${r.index + 1}`,
      description: r.label,
      detail: undefined,
      iconPath: new vscode.ThemeIcon(r.status === 'error' ? 'error' : 'pass'),
    }));
    const active = pick.items.find((i) => i.index === current);
    if (active) pick.activeItems = [active];
    pick.busy = false;
    const chosen = await new Promise<RecordItem | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0] ?? pick.activeItems[0]));
      pick.onDidHide(() => resolve(undefined));
    });
    if (!chosen) return undefined;
    ctx.selection.set(uri, chosen.index);
    if (!ctx.preview.currentUri) ctx.preview.show(uri);
    return chosen.index;
  } finally {
    pick.dispose();
  }
}
