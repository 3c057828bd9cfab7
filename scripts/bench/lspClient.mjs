// A small LSP client over stdio for the benchmark (the same approach as test/lsp/lspClient.ts, but for any server).
import { spawn } from 'node:child_process';
import { require } from './util.mjs';

const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

export class BenchLspClient {
  /** @param {string[]} args node arguments; @param {object} settings answered to workspace/configuration */
  constructor(args, { env = {}, settings = {} } = {}) {
    this.spawnedAt = performance.now();
    this.child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', () => undefined);
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.publishes = new Map(); // uri → count
    this.last = new Map();
    this.waiters = [];
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      this.publishes.set(p.uri, (this.publishes.get(p.uri) ?? 0) + 1);
      this.last.set(p.uri, p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onNotification(() => undefined);
    this.connection.onRequest('workspace/configuration', (p) => p.items.map((i) => (i.section ? settings[i.section] ?? null : settings)));
    this.connection.onRequest(() => null);
    this.connection.listen();
  }

  async initialize(capabilities = {}) {
    const r = await this.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities });
    this.readyMs = performance.now() - this.spawnedAt;
    await this.connection.sendNotification('initialized', {});
    return r;
  }

  open(uri, text, languageId, version = 1) {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri, version, text) {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Resolves with the first publish for `uri` after `count` publishes that satisfies `pred`. */
  waitPublish(uri, after, pred = () => true, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for diagnostics of ${uri}`)), timeoutMs);
      const check = () => {
        const p = this.last.get(uri);
        if ((this.publishes.get(uri) ?? 0) > after && p && pred(p)) {
          clearTimeout(timer);
          resolve(p);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  count(uri) {
    return this.publishes.get(uri) ?? 0;
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  async stop() {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    // Give the server a moment to exit by itself (so that e.g. --cpu-prof writes its profile), then make sure.
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await Promise.race([new Promise((r) => this.child.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
    }
    this.connection.dispose();
    this.child.kill();
  }
}
