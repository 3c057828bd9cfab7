/** A real LSP client over stdio for tests: starts dist/server.js as a child process, like any editor would. */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const root = path.resolve(__dirname, '../../..');

export class LspClient {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: Array<() => void> = [];
  logs: string[] = [];

  constructor(env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [path.join(root, 'bin/scimmap-language-server.js'), '--stdio'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: unknown) => {
      const p = params as PublishDiagnosticsParams;
      this.diagnostics.set(p.uri, p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onNotification('window/logMessage', (p: unknown) => {
      this.logs.push((p as { message: string }).message);
    });
    // Every request the server sends (client/registerCapability, workspace/inlayHint/refresh …), answered null.
    this.connection.onRequest((method: string) => {
      this.requests.push(method);
      return null;
    });
    this.connection.listen();
  }

  /** Methods of the requests the server sent to this client. */
  readonly requests: string[] = [];

  /** `extra` is merged into the initialize params (capabilities, workspaceFolders, initializationOptions …). */
  async initialize(extra: Record<string, unknown> = {}): Promise<unknown> {
    const r = await this.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } }, ...extra });
    await this.connection.sendNotification('initialized', {});
    return r;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'scimmap', version, text } });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Resolves when diagnostics for `uri` satisfy `pred` (checked on every publish). */
  waitFor(uri: string, pred: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean, timeoutMs = 15_000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for diagnostics of ${uri}; last: ${JSON.stringify(this.diagnostics.get(uri)?.diagnostics.map((d) => d.code))}\n${this.logs.join('\n')}`)), timeoutMs);
      const check = () => {
        const p = this.diagnostics.get(uri);
        if (p && pred(p.diagnostics, p)) {
          clearTimeout(timer);
          resolve(p.diagnostics);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.connection.dispose();
    this.child.kill();
  }
}
