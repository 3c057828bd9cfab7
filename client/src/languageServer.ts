// Starts the bundled language server (dist/server.js) over IPC and wraps SCIM Mapper's custom requests in typed
// calls, so the rest of the client never spells a method name or a params shape.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  Requests, StatusNotification, WorkspaceTrustNotification, type ServerInitializationOptions, type WorkspaceTrustParams,
  type ExportBulkParams, type ExportBulkResult, type ImportCsv2ScimParams, type ImportCsv2ScimResult, type TestCasesResult, type RunTestsResult, type CreateTestResult, type ImpactResult, type PreviewData, type PreviewParams, type ScaffoldParams, type ScaffoldResult,
  type SelectRecordParams, type StatusParams,
} from '../../src/service/protocol';
import { settings } from './settings';

export type { ExportBulkResult, ImportCsv2ScimResult, TestCasesResult, RunTestsResult, CaseOutcome, CreateTestResult, ImpactResult, Impact, PreviewData, ScaffoldResult, StatusParams } from '../../src/service/protocol';

export const isMappingDocument = (d: vscode.TextDocument | undefined): d is vscode.TextDocument =>
  !!d && d.languageId === 'scimmap' && (d.uri.scheme === 'file' || d.uri.scheme === 'untitled');

/** The language server as the client's features see it. */
export class ScimmapServer implements vscode.Disposable {
  private readonly statusEmitter = new vscode.EventEmitter<StatusParams>();
  /** After each validation of a mapping: its error, warning and failing-record counts. */
  readonly onStatus = this.statusEmitter.event;

  private constructor(private readonly client: LanguageClient) {
    client.onNotification(StatusNotification, (p: StatusParams) => this.statusEmitter.fire(p));
  }

  static async start(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<ScimmapServer | undefined> {
    const serverModule = context.asAbsolutePath('dist/server.js');
    if (!existsSync(serverModule)) {
      // Highlighting and language configuration still work; say why the rest does not instead of failing activation.
      output.error(`Language server not found at ${serverModule}; run \`npm run build\`.`);
      return undefined;
    }
    // The worker reads this many sample records (it inherits the server's environment).
    const env = { ...process.env, SCIMMAP_SAMPLE_RECORDS: String(settings.sampleMaxRecords()) };
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      // file: the server reads samples and extension schemas next to the mapping; untitled: scratch mappings.
      documentSelector: ['file', 'untitled'].flatMap((scheme) => [
        { scheme, language: 'scimmap' },
        { scheme, language: 'jsonata' },
      ]),
      synchronize: {
        // Samples and other mappings feed diagnostics and the preview, so the server hears about their changes.
        fileEvents: [
          vscode.workspace.createFileSystemWatcher('**/*.{csv,json,jsonl,ndjson,tsv}'),
          vscode.workspace.createFileSystemWatcher('**/*.scimmap.yaml'),
        ],
      },
      outputChannel: output,
      // Restricted Mode: the server then reads no sample and no file outside the workspace folders (src/service/trust.ts).
      // Pushed diagnostics: published as soon as the sample checks finish (the status bar and preview follow the
      // same run); the server answers pull requests only for clients that do not ask for push.
      initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted, diagnostics: 'push' } satisfies ServerInitializationOptions,
    };
    // Id 'scimmap' makes vscode-languageclient read the `scimmap.trace.server` setting.
    const client = new LanguageClient('scimmap', 'SCIM Mapper', serverOptions, clientOptions);
    await client.start();
    // Trust granted later: the server turns the full features on without a reload.
    context.subscriptions.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        const p: WorkspaceTrustParams = { trusted: true };
        void client.sendNotification(WorkspaceTrustNotification, p);
      }),
    );
    return new ScimmapServer(client);
  }

  preview(uri: vscode.Uri, recordIndex: number): Promise<PreviewData | null> {
    const p: PreviewParams = { uri: uri.toString(), recordIndex };
    return this.client.sendRequest<PreviewData | null>(Requests.preview, p);
  }

  exportBulk(uri: vscode.Uri): Promise<ExportBulkResult | null> {
    const p: ExportBulkParams = { uri: uri.toString() };
    return this.client.sendRequest<ExportBulkResult | null>(Requests.exportBulk, p);
  }

  /** Drives the inline values (inlay hints); null turns them off for this mapping. */
  async selectRecord(uri: vscode.Uri, recordIndex: number | null): Promise<void> {
    const p: SelectRecordParams = { uri: uri.toString(), recordIndex };
    await this.client.sendRequest(Requests.selectRecord, p);
  }

  scaffold(path: string): Promise<ScaffoldResult | null> {
    const p: ScaffoldParams = { path };
    return this.client.sendRequest<ScaffoldResult | null>(Requests.scaffold, p);
  }

  testCases(uri: vscode.Uri): Promise<TestCasesResult | null> {
    return this.client.sendRequest<TestCasesResult | null>(Requests.testCases, { uri: uri.toString() });
  }

  runTests(uri: vscode.Uri, names?: string[]): Promise<RunTestsResult | null> {
    return this.client.sendRequest<RunTestsResult | null>(Requests.runTests, { uri: uri.toString(), names });
  }

  createTest(uri: vscode.Uri, recordIndex: number): Promise<CreateTestResult | null> {
    return this.client.sendRequest<CreateTestResult | null>(Requests.createTest, { uri: uri.toString(), recordIndex });
  }

  impact(uri: vscode.Uri, baseText: string): Promise<ImpactResult | null> {
    return this.client.sendRequest<ImpactResult | null>(Requests.impact, { uri: uri.toString(), baseText });
  }

  importCsv2Scim(p: ImportCsv2ScimParams): Promise<ImportCsv2ScimResult | null> {
    return this.client.sendRequest<ImportCsv2ScimResult | null>(Requests.importCsv2Scim, p);
  }

  async dispose(): Promise<void> {
    this.statusEmitter.dispose();
    await this.client.stop();
  }
}
