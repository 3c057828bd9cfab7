// Extension entry: starts the SCIM Mapper language server and wires the VS Code-only UI (preview, status bar,
// commands). Every language feature lives in the server so the CLI, the editor and the tests share one engine.
import * as vscode from 'vscode';
import { ScimmapServer, isMappingDocument } from './languageServer';
import { PreviewPanel } from './preview/previewPanel';
import { RecordSelection } from './selection';
import { MappingStatusBar } from './statusBar';
import { pickWorkspaceMapping, requireMapping, type CommandContext } from './commands/context';
import { exportBulk } from './commands/exportBulk';
import { syncInlineValues, toggleInlineValues } from './commands/inlineValues';
import { newMappingFromSample } from './commands/newMapping';
import { importCsv2ScimMapping } from './commands/importCsv2Scim';
import { MappingTests } from './review/testController';
import { createTestFromRecord } from './review/createTest';
import { comparePreview } from './review/comparePanel';
import { selectRecord } from './commands/selectRecord';
import { validateWorkspace } from './commands/validateWorkspace';
import { registerUploadCommands } from './upload';
import { SourceRefresher } from './sources/refreshSample';
import { SnapshotStatus } from './sources/snapshotStatus';
import { registerSyncCommands } from './sync';

let server: ScimmapServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('SCIM Mapper', { log: true });
  context.subscriptions.push(output);
  const register = (id: string, fn: (...args: unknown[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };
  register('scimmap.showOutput', () => output.show(true));

  server = await ScimmapServer.start(context, output);
  if (!server) {
    // No bundle: commands that need the server say so instead of "command not found".
    for (const id of ['openPreview', 'selectRecord', 'toggleInlineValues', 'exportBulk', 'validateWorkspace', 'newMappingFromSample', 'importCsv2Scim', 'createTestFromRecord', 'comparePreview']) {
      register(`scimmap.${id}`, () => vscode.window.showErrorMessage('The SCIM Mapper language server is not built: run `npm run build`.'));
    }
    return;
  }
  const selection = new RecordSelection();
  const preview = new PreviewPanel(context.extensionUri, server, selection, output);
  const status = new MappingStatusBar(server);
  const ctx: CommandContext = { server, preview, selection, status, output };
  context.subscriptions.push(selection, preview, status, syncInlineValues(ctx));

  register('scimmap.openPreview', async (arg) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document;
    const target = (uri instanceof vscode.Uri ? uri : isMappingDocument(uri) ? uri.uri : preview.currentUri) ?? (await pickWorkspaceMapping());
    if (target) preview.show(target);
    else void vscode.window.showInformationMessage('Open a SCIM mapping (*.scimmap.yaml) to preview it.');
  });
  // After a window reload the preview comes back where it was (activation event onWebviewPanel:scimmap.preview).
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(PreviewPanel.viewType, {
    deserializeWebviewPanel: (panel, state) => preview.restore(panel, state),
  }));
  // From a record-level diagnostic's code action (or the palette): the preview, filtered to the failing records.
  register('scimmap.showFailingRecords', async (arg) => {
    const a = arg && typeof arg === 'object' ? (arg as { uri?: unknown; attribute?: unknown; label?: unknown }) : {};
    const uri = typeof a.uri === 'string' ? vscode.Uri.parse(a.uri, true) : await requireMapping(ctx, arg);
    if (!uri) return;
    await preview.showFiltered(uri, {
      attribute: typeof a.attribute === 'string' ? a.attribute : undefined,
      label: typeof a.label === 'string' ? a.label : undefined,
    });
  });
  register('scimmap.selectRecord', (arg, index) => selectRecord(ctx, arg, index));
  register('scimmap.toggleInlineValues', () => toggleInlineValues());
  register('scimmap.exportBulk', (arg, target, format) => exportBulk(ctx, arg, target, format));
  register('scimmap.validateWorkspace', () => validateWorkspace(ctx));
  register('scimmap.newMappingFromSample', (arg) => newMappingFromSample(ctx, arg));
  register('scimmap.importCsv2Scim', (psd1, csv) => importCsv2ScimMapping(ctx, psd1, csv));
  const tests = new MappingTests(server, output);
  context.subscriptions.push(tests);
  void tests.discover();
  register('scimmap.createTestFromRecord', (arg, index) => createTestFromRecord(ctx, tests, arg, index));
  register('scimmap.comparePreview', (arg, base) => comparePreview(ctx, context.extensionUri, arg, base));

  // HR systems as sources (client/src/sources): refresh the snapshot, show its age
  const snapshot = new SnapshotStatus();
  const refresher = new SourceRefresher(context, output, () => snapshot.render());
  context.subscriptions.push(snapshot);
  register('scimmap.refreshSampleFromSource', (arg) => refresher.refresh(arg));

  // upload commands (client/src/upload)
  const uploads = registerUploadCommands(context, { output, getClient: () => server, previewRecord: (uri) => selection.get(uri), clearOtherSecrets: () => refresher.clear() });
  registerSyncCommands(context, { output, uploads });
  openWalkthroughOnce(context);
  output.info('activate() done: language server ready, commands registered'); // scripts/bench/activation.mjs reads this line's timestamp
}

const WALKTHROUGH_SHOWN = 'scimmap.walkthroughShown';

/** The Get Started walkthrough, on the first activation only (scimmap.walkthrough.openOnFirstRun turns it off). */
function openWalkthroughOnce(context: vscode.ExtensionContext): void {
  if (context.globalState.get<boolean>(WALKTHROUGH_SHOWN)) return;
  if (!vscode.workspace.getConfiguration('scimmap').get<boolean>('walkthrough.openOnFirstRun', true)) return;
  void context.globalState.update(WALKTHROUGH_SHOWN, true);
  void vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#scimmap.gettingStarted`, false);
}

export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
