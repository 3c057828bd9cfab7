/**
 * The server adapts to what a client declares (over stdio, like any editor): no snippets → plain text; no
 * dynamic watcher registration → it watches the sample itself; only requests the client advertised; UTF-8
 * positions when the client prefers them; pull diagnostics for clients that pull; quick fixes from the server's
 * own offsets (also in .jsonata files).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionList, Diagnostic, DocumentDiagnosticReport, Hover, InitializeResult, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from './lspClient';
import { tempDir } from '../tempDirs';

const dir = tempDir('scimmap-clients-');
const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const records = (withDepartment: boolean) => JSON.stringify([
  { Id: '1', Email: 'ana@contoso.com', Personal: { Legal_Name: 'Ana Núñez' }, ...(withDepartment ? { Department: 'Ventas' } : {}) },
]);
const MAPPING = `scimmap: 1
source:
  sample: people.json
  key: Id
target: entra
mappings:
  externalId: Id
  userName: Email
  displayName: '"🎉 ñ " & Personal.Legl_Name'
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department: Department
  title: $lowerc
`;

/** A folder with a sample and a mapping; returns the mapping's URI. */
function workspace(name: string): { uri: string; folder: string } {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'people.json'), records(false));
  fs.writeFileSync(path.join(folder, 'people.scimmap.yaml'), MAPPING);
  return { uri: pathToFileURL(path.join(folder, 'people.scimmap.yaml')).toString(), folder };
}

function client(): LspClient {
  const c = new LspClient({ SCIMMAP_DEBOUNCE_MS: '10' });
  clients.push(c);
  return c;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
const utf8Col = (line: string, needle: string) => Buffer.byteLength(line.slice(0, line.indexOf(needle)), 'utf8');

test('a client without snippets, watchers, inlay-hint refresh or registration gets plain text and no requests', async () => {
  const { uri, folder } = workspace('minimal');
  const c = client();
  await c.initialize({ capabilities: { textDocument: { completion: { completionItem: { snippetSupport: false } } } } });
  await c.open(uri, MAPPING);
  await c.waitFor(uri, (d) => d.some((x) => x.code === 'unknown-field' && /Department/.test(String(x.message))));
  await c.connection.sendRequest('scimmap/selectRecord', { uri, recordIndex: 0 });

  const line = lineOf(MAPPING, 'title: $lowerc');
  const list = (await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: 16 } })) as CompletionList;
  const fn = list.items.find((i) => i.label === '$lowercase')!;
  assert.equal(fn.insertTextFormat ?? 1, 1);
  assert.equal((fn.textEdit as TextEdit).newText, '$lowercase()');
  assert.ok(list.items.every((i) => i.insertTextFormat !== 2), 'no snippet anywhere');

  // The sample changes on disk: the server notices by itself (no didChangeWatchedFiles from this client).
  fs.writeFileSync(path.join(folder, 'people.json'), records(true));
  await c.waitFor(uri, (d) => d.length > 0 && !d.some((x) => /Department/.test(String(x.message))));
  assert.deepEqual(c.requests, [], 'the server sent no request this client did not advertise');
});

test('a VS Code-like client gets snippets with an escaped $, a watcher registration and inlay-hint refreshes', async () => {
  const { uri } = workspace('full');
  const c = client();
  await c.initialize({ capabilities: {
    textDocument: { completion: { completionItem: { snippetSupport: true } } },
    workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, inlayHint: { refreshSupport: true } },
  } });
  await c.open(uri, MAPPING);
  await c.waitFor(uri, (d) => d.some((x) => x.code === 'unknown-field'));
  const line = lineOf(MAPPING, 'title: $lowerc');
  const list = (await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: 16 } })) as CompletionList;
  const fn = list.items.find((i) => i.label === '$lowercase')!;
  assert.equal(fn.insertTextFormat, 2);
  assert.equal((fn.textEdit as TextEdit).newText, '\\$lowercase(${1:str})');
  assert.ok(c.requests.includes('client/registerCapability'));
  const deadline = Date.now() + 10_000;
  while (!c.requests.includes('workspace/inlayHint/refresh') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(c.requests.includes('workspace/inlayHint/refresh'));
});

test('UTF-8 positions when the client prefers them: diagnostics, edits, hover, completion, quick fixes', async () => {
  const { uri } = workspace('utf8');
  const c = client();
  const init = (await c.initialize({ capabilities: { general: { positionEncodings: ['utf-8', 'utf-16'] } } })) as InitializeResult;
  assert.equal(init.capabilities.positionEncoding, 'utf-8');
  await c.open(uri, MAPPING);
  const diags = await c.waitFor(uri, (d) => d.some((x) => x.code === 'unknown-field' && /Legl_Name/.test(String(x.message))));
  const lines = MAPPING.split('\n');
  const row = lineOf(MAPPING, 'Legl_Name');
  const d = diags.find((x) => /Legl_Name/.test(String(x.message)))!;
  const col = utf8Col(lines[row], 'Legl_Name');
  assert.deepEqual(d.range, { start: { line: row, character: col }, end: { line: row, character: col + 9 } }, 'byte columns');

  // A quick fix computed from the server's offsets, sent back in bytes, with a client range that is off.
  const actions = (await c.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri }, range: d.range, context: { diagnostics: [{ ...d, range: { start: { line: row, character: 3 }, end: { line: row, character: 5 } } }] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title === "Change to 'Legal_Name'")!;
  const edit = fix.edit!.changes![uri][0];
  assert.deepEqual(edit.range, d.range);
  assert.equal(edit.newText, 'Legal_Name');

  // An incremental change in bytes, then hover and completion in bytes.
  await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: d.range, text: 'Legal_Name' }] });
  await c.waitFor(uri, (x, p) => p.version === 2 && !x.some((y) => /Legl_Name/.test(String(y.message))));
  const hover = (await c.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: row, character: col + 2 } })) as Hover;
  assert.match((hover.contents as { value: string }).value, /Legal\\?_Name/, 'hover of the field (markdown-escaped)');
  assert.deepEqual(hover.range, { start: { line: row, character: col }, end: { line: row, character: col + 10 } });
  const line = lineOf(MAPPING, 'title: $lowerc');
  const list = (await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: 16 } })) as CompletionList;
  assert.deepEqual((list.items.find((i) => i.label === '$lowercase')!.textEdit as TextEdit).range.start, { line, character: 9 });
  // After non-ASCII text on the same line (every item shares the range: converted once).
  const text3 = `${MAPPING}  nickName: $lowercase("ñ🎉") & $upperc\n`;
  await c.change(uri, 3, text3);
  const row3 = lineOf(text3, 'nickName:');
  const line3 = text3.split('\n')[row3];
  const at3 = await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: row3, character: Buffer.byteLength(line3) } }) as CompletionList;
  const up = at3.items.find((i) => i.label === '$uppercase')!.textEdit as TextEdit;
  assert.deepEqual(up.range, { start: { line: row3, character: utf8Col(line3, '$upperc') }, end: { line: row3, character: Buffer.byteLength(line3) } });
  assert.ok(at3.items.every((i) => JSON.stringify((i.textEdit as TextEdit).range) === JSON.stringify(up.range)));
});

test('a client that pulls diagnostics gets them by textDocument/diagnostic, sample checks included, and no pushes', async () => {
  const { uri, folder } = workspace('pull');
  const c = client();
  const init = (await c.initialize({ capabilities: { textDocument: { diagnostic: {} }, workspace: { diagnostics: { refreshSupport: true } } } })) as InitializeResult;
  assert.ok(init.capabilities.diagnosticProvider);
  await c.open(uri, MAPPING);
  const report = (await c.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport & { items: Diagnostic[]; resultId: string };
  assert.equal(report.kind, 'full');
  assert.ok(report.items.some((d) => d.code === 'unknown-field' && /Department/.test(String(d.message))), 'sample checks are in the pulled report');
  const again = (await c.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId: report.resultId })) as DocumentDiagnosticReport;
  assert.equal(again.kind, 'unchanged');
  const changed = MAPPING.replace('Legl_Name', 'Legal_Name');
  await c.change(uri, 2, changed);
  const next = (await c.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport & { items: Diagnostic[] };
  assert.ok(!next.items.some((d) => /Legl_Name/.test(String(d.message))), 'the report of the new version');
  // The sample changes on disk: the pulled report is stale, so the server asks the client to pull again.
  fs.writeFileSync(path.join(folder, 'people.json'), records(true));
  const deadline = Date.now() + 15_000;
  while (!c.requests.includes('workspace/diagnostic/refresh') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(c.requests, ['workspace/diagnostic/refresh']);
  const fresh = (await c.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport & { items: Diagnostic[] };
  assert.ok(!fresh.items.some((d) => /Department/.test(String(d.message))));
  assert.equal(c.diagnostics.size, 0, 'nothing pushed');
});

test('.jsonata files get the quick fix their message suggests', async () => {
  const file = path.join(dir, 'ascii.jsonata');
  const text = '/* ñ 🎉 */ $lowercse(name)\n';
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const c = client();
  await c.initialize();
  await c.open(uri, text);
  const diags = await c.waitFor(uri, (d) => d.some((x) => x.code === 'unknown-function'));
  const d = diags.find((x) => x.code === 'unknown-function')!;
  assert.match(String(d.message), /Did you mean \$lowercase\?/);
  const actions = (await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
  const fix = actions.find((a) => a.title === "Change to '$lowercase'");
  assert.ok(fix, JSON.stringify(actions));
  assert.deepEqual(fix.diagnostics, [d], 'the action names the client\'s diagnostic as sent');
  const doc = TextDocument.create(uri, 'jsonata', 1, text);
  assert.equal(TextDocument.applyEdits(doc, fix.edit!.changes![uri]), '/* ñ 🎉 */ $lowercase(name)\n');
});
