// The extensionTestsPath suite: runs inside the extension host with the full `vscode` API, the way
// @vscode/test-electron runs extension tests. Used by test/e2e/extensionHost.test.ts through code-server (which does
// not propagate the exit code, so results also go to the file named by SCIMMAP_VSCODE_TEST_RESULTS) and by
// test/vscode/runTest.ts through @vscode/test-electron (where a throw from run() fails the run).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

interface Outcome {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

const EXTENSION_ID = 'scim-mapper.scim-mapper';
const tests: { name: string; fn: () => Promise<void> }[] = [];
const test = (name: string, fn: () => Promise<void>): void => {
  tests.push({ name, fn });
};

async function waitFor<T>(what: string, probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

const codesOf = (uri: vscode.Uri): string[] =>
  vscode.languages.getDiagnostics(uri).map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}`);

test('the extension activates and registers its commands', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  await ext.activate();
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['openPreview', 'selectRecord', 'toggleInlineValues', 'exportBulk', 'validateWorkspace', 'newMappingFromSample', 'showOutput']) {
    assert.ok(commands.includes(`scimmap.${id}`), `scimmap.${id} is not registered`);
  }
  // Every contributed command has a title in the SCIM Mapper category.
  const contributed = (ext.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } }).contributes.commands;
  assert.ok(contributed.every((c) => c.category === 'SCIM Mapper' && c.title.length > 0));
});

test('an opened mapping gets its diagnostics from the language server', async () => {
  const uri = workspaceFile('seeded.scimmap.yaml');
  await vscode.window.showTextDocument(uri);
  const codes = await waitFor('diagnostics of seeded.scimmap.yaml', () => codesOf(uri), (c) => c.includes('unknown-attribute'));
  assert.deepEqual(codes.sort(), ['unknown-attribute', 'unknown-field']);
  const d = vscode.languages.getDiagnostics(uri).find((x) => x.message.includes('givenNam'))!;
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  assert.equal(d.range.start.line, 11);
  // Fix it through an edit, as typing would: the error goes away.
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, d.range.end, 'e');
  assert.ok(await vscode.workspace.applyEdit(edit));
  await waitFor('the error to clear', () => codesOf(uri), (c) => !c.includes('unknown-attribute'));
  assert.match(doc.lineAt(11).text, /name\.givenName:/);
});

test('scimmap.exportBulk writes BulkRequests (bulkId = externalId, at most 50 operations)', async () => {
  const uri = workspaceFile('preview.scimmap.yaml');
  await vscode.window.showTextDocument(uri);
  await waitFor('diagnostics of preview.scimmap.yaml', () => codesOf(uri), (c) => c.includes('sample-error'));
  const target = workspaceFile('exported.bulk.json');
  const summary = await vscode.commands.executeCommand<{ requests: number; operations: number; failed: number }>('scimmap.exportBulk', uri, target);
  assert.deepEqual({ requests: summary.requests, operations: summary.operations, failed: summary.failed }, { requests: 1, operations: 3, failed: 1 });
  const requests = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8')) as Array<{
    schemas: string[]; Operations: Array<{ method: string; path: string; bulkId: string; data: { externalId: string; schemas: string[] } }>;
  }>;
  for (const r of requests) {
    assert.deepEqual(r.schemas, ['urn:ietf:params:scim:api:messages:2.0:BulkRequest']);
    assert.ok(r.Operations.length <= 50);
    for (const op of r.Operations) {
      assert.equal(op.method, 'POST');
      assert.equal(op.path, '/Users');
      assert.equal(op.bulkId, op.data.externalId);
      assert.ok(op.data.schemas.includes('urn:ietf:params:scim:schemas:core:2.0:User'));
    }
  }
});

test('scimmap.exportBulk writes one JSON document per BulkRequest into a folder, or NDJSON', async () => {
  const uri = workspaceFile('preview.scimmap.yaml');
  await vscode.window.showTextDocument(uri);
  const folder = workspaceFile('exported.bulk');
  const inFolder = await vscode.commands.executeCommand<{ requests: number; operations: number }>('scimmap.exportBulk', uri, folder, 'folder');
  assert.equal(inFolder.requests, 1);
  const files = (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name).sort();
  assert.deepEqual(files, ['0001.json']);
  const one = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '0001.json'))).toString('utf8')) as { schemas: string[]; Operations: unknown[] };
  assert.deepEqual(one.schemas, ['urn:ietf:params:scim:api:messages:2.0:BulkRequest']);
  assert.equal(one.Operations.length, 3);
  const ndjson = workspaceFile('exported.bulk.ndjson');
  await vscode.commands.executeCommand('scimmap.exportBulk', uri, ndjson);
  const lines = Buffer.from(await vscode.workspace.fs.readFile(ndjson)).toString('utf8').split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  assert.equal(lines.length, 1);
  assert.deepEqual((JSON.parse(lines[0]!) as { Operations: unknown[] }).Operations.length, 3);
});

test('scimmap.selectRecord and the preview follow the chosen record', async () => {
  const uri = workspaceFile('preview.scimmap.yaml');
  await vscode.window.showTextDocument(uri);
  await vscode.commands.executeCommand('scimmap.openPreview', uri);
  assert.equal(await vscode.commands.executeCommand('scimmap.selectRecord', uri, 3), 3);
  // The preview tab exists beside the editor.
  await waitFor('the preview tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Preview preview.scimmap.yaml'), (x) => x);
});

test('scimmap.toggleInlineValues flips scimmap.inlineValues.enabled', async () => {
  const before = vscode.workspace.getConfiguration('scimmap').get<boolean>('inlineValues.enabled');
  await vscode.commands.executeCommand('scimmap.toggleInlineValues');
  await waitFor('the setting to flip', () => vscode.workspace.getConfiguration('scimmap').get<boolean>('inlineValues.enabled'), (v) => v === !before);
  await vscode.commands.executeCommand('scimmap.toggleInlineValues');
  await waitFor('the setting to flip back', () => vscode.workspace.getConfiguration('scimmap').get<boolean>('inlineValues.enabled'), (v) => v === before);
});

test('scimmap.newMappingFromSample drafts a mapping that validates without errors', async () => {
  const created = await vscode.commands.executeCommand<vscode.Uri>('scimmap.newMappingFromSample', workspaceFile('new-hires.csv'));
  assert.ok(created && created.path.endsWith('/new-hires.scimmap.yaml'), String(created));
  const doc = await vscode.workspace.openTextDocument(created);
  assert.match(doc.getText(), /^ {2}externalId: employeeId$/m);
  // The command returns once the server has validated the draft on its sample.
  const errors = vscode.languages.getDiagnostics(created).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  assert.deepEqual(errors.map((d) => d.message), []);
});

test('scimmap.validateWorkspace reports every mapping', async () => {
  const found = await vscode.workspace.findFiles('**/*.scimmap.yaml');
  const result = await vscode.commands.executeCommand<{ mappings: number; errors: number; pending: number }>('scimmap.validateWorkspace');
  assert.equal(result.mappings, found.length);
  assert.equal(result.pending, 0);
  assert.ok(result.errors >= 1, 'preview.scimmap.yaml has a sample error');
});

/** Entry point called by the extension host (extensionTestsPath). */
export async function run(): Promise<void> {
  const results: Outcome[] = [];
  for (const t of tests) {
    const started = Date.now();
    try {
      await t.fn();
      results.push({ name: t.name, ok: true, ms: Date.now() - started });
    } catch (e) {
      results.push({ name: t.name, ok: false, ms: Date.now() - started, error: (e as Error)?.stack ?? String(e) });
    }
  }
  const file = process.env.SCIMMAP_VSCODE_TEST_RESULTS;
  if (file) writeFileSync(file, JSON.stringify(results, null, 2));
  for (const r of results) console.log(`${r.ok ? 'ok' : 'FAILED'} ${r.name} (${r.ms} ms)${r.error ? `\n${r.error}` : ''}`);
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${failed.length} of ${results.length} extension tests failed`);
}
