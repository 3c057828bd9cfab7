// Mapping tests in VS Code's Testing view: one item per *.scimmap.test.yaml, one child per case at its line.
// The language server parses the files and runs the cases (the same runner as `scimmap test`); this module only
// maps its answers onto the TestController API: passed, failed with a diff (expected/actual JSON), or errored.
import * as vscode from 'vscode';
import type { ScimmapServer } from '../languageServer';

const GLOB = '**/*.scimmap.test.yaml';

export class MappingTests implements vscode.Disposable {
  readonly controller: vscode.TestController;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly server: ScimmapServer, private readonly output: vscode.LogOutputChannel) {
    this.controller = vscode.tests.createTestController('scimmap.mappingTests', 'SCIM Mapper mapping tests');
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
      else await this.refreshFile(item.uri!);
    };
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher(GLOB);
    this.disposables.push(
      this.controller,
      watcher,
      watcher.onDidCreate((u) => void this.refreshFile(u)),
      watcher.onDidChange((u) => void this.refreshFile(u)),
      watcher.onDidDelete((u) => this.controller.items.delete(u.toString())),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.path.endsWith('.scimmap.test.yaml')) void this.refreshFile(e.document.uri);
      }),
    );
  }

  async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles(GLOB, '**/node_modules/**', 2000);
    for (const f of files) await this.refreshFile(f);
  }

  /** (Re)reads one test file's cases; returns its item. */
  async refreshFile(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    let cases;
    try {
      cases = await this.server.testCases(uri);
    } catch (e) {
      this.output.error(`reading tests of ${uri.fsPath}: ${(e as Error)?.message ?? String(e)}`);
    }
    if (!cases) {
      this.controller.items.delete(uri.toString());
      return undefined;
    }
    let file = this.controller.items.get(uri.toString());
    if (!file) {
      file = this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
      this.controller.items.add(file);
    }
    file.canResolveChildren = false;
    file.error = cases.problems.length ? cases.problems.map((p) => `line ${p.line + 1}: ${p.message}`).join('\n') : undefined;
    const children: vscode.TestItem[] = [];
    for (const c of cases.cases) {
      const item = this.controller.createTestItem(`${uri.toString()}#${c.name}`, c.name, uri);
      item.range = new vscode.Range(c.line, 0, c.line, 0);
      children.push(item);
    }
    file.children.replace(children);
    return file;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    // Group what to run by file: a file item runs all its cases, a case item only itself.
    const byFile = new Map<string, { file: vscode.TestItem; cases?: vscode.TestItem[] }>();
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else this.controller.items.forEach((i) => roots.push(i));
    for (const item of roots) {
      const file = item.parent ?? item;
      const entry = byFile.get(file.id) ?? { file };
      if (item.parent) entry.cases = [...(entry.cases ?? []), item];
      else entry.cases = undefined;
      byFile.set(file.id, entry);
    }
    for (const { file, cases } of byFile.values()) {
      if (token.isCancellationRequested) break;
      const items = cases ?? (() => { const all: vscode.TestItem[] = []; file.children.forEach((c) => all.push(c)); return all; })();
      const excluded = new Set((request.exclude ?? []).map((e) => e.id));
      const wanted = items.filter((i) => !excluded.has(i.id));
      for (const i of wanted) run.started(i);
      let result;
      try {
        result = await this.server.runTests(file.uri!, cases ? wanted.map((i) => i.label) : undefined);
      } catch (e) {
        result = null;
        this.output.error(`running ${file.uri!.fsPath}: ${(e as Error)?.message ?? String(e)}`);
      }
      if (!result) {
        for (const i of wanted) run.errored(i, new vscode.TestMessage('The language server could not run this test file (see SCIM Mapper: Show Output).'));
        continue;
      }
      const byName = new Map(result.cases.map((c) => [c.name, c]));
      for (const i of wanted) {
        const c = byName.get(i.label);
        if (!c) {
          run.errored(i, new vscode.TestMessage(result.problems.join('\n') || 'This case did not run.'));
          continue;
        }
        if (c.status === 'passed') { run.passed(i); continue; }
        const text = `${c.lines.join('\n')}\n(${c.record})`;
        const message = c.expected !== undefined && c.actual !== undefined ? vscode.TestMessage.diff(text, c.expected, c.actual) : new vscode.TestMessage(text);
        message.location = new vscode.Location(file.uri!, new vscode.Position(c.line, 0));
        if (c.status === 'failed') run.failed(i, message);
        else run.errored(i, message);
      }
    }
    run.end();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
