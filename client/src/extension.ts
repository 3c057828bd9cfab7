// Extension entry: starts the SCIM Mapper language server (dist/server.js, bundled next to this file) over IPC.
// Every feature lives in the server so the CLI, the editor and the tests share one engine.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('SCIM Mapper', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  if (!existsSync(serverModule)) {
    // Highlighting and language configuration still work; say why the rest does not instead of failing activation.
    output.appendLine(`Language server not found at ${serverModule}; run \`npm run build\`.`);
    return;
  }

  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
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
  };

  client = new LanguageClient('scimmap', 'SCIM Mapper', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
