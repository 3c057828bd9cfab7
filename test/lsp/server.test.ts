import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';
import { tempDir } from '../tempDirs';

const dir = tempDir('scimmap-lsp-');
fs.writeFileSync(path.join(dir, 'people.csv'), 'id,first,last,status,mgr\n1,Ana,Silva,Active,\n2,Bo,Berg,Active,1\n3,Cy,Chen,Inactive,2\n');
const mappingPath = path.join(dir, 'people.scimmap.yaml');
const uri = pathToFileURL(mappingPath).toString();
const good = `scimmap: 1
source:
  sample: people.csv
  key: id
target: entra
mappings:
  externalId: id
  userName: $lowercase(first & "." & last) & "@contoso.com"
  active: status = "Active"
  name.givenName: first
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value: mgr
`;
fs.writeFileSync(mappingPath, good);

const client = new LspClient({ SCIMMAP_EVAL_HARD_LIMIT_MS: '1500' });
after(() => client.stop());

test('initialize announces the features', async () => {
  const r = (await client.initialize()) as { capabilities: Record<string, unknown> };
  for (const cap of ['completionProvider', 'hoverProvider', 'codeActionProvider', 'inlayHintProvider', 'documentSymbolProvider', 'renameProvider']) {
    assert.ok(r.capabilities[cap], cap);
  }
});

test('open: a correct mapping publishes no diagnostics; a typo publishes one at the exact spot', async () => {
  await client.open(uri, good);
  await client.waitFor(uri, (d, p) => p.version === 1 && d.length === 0);
  const broken = good.replace('name.givenName: first', 'name.givenName: frist');
  await client.change(uri, 2, broken);
  const d = await client.waitFor(uri, (_, p) => p.version === 2);
  assert.deepEqual(d.map((x) => x.code), ['unknown-field']);
  const line = broken.split('\n').findIndex((l) => l.includes('frist'));
  assert.deepEqual(d[0].range, { start: { line, character: 18 }, end: { line, character: 23 } });
  assert.deepEqual((d[0].data as { candidates: string[] }).candidates, ['first']);
});

test('a burst of edits ends with the diagnostics of the last version', async () => {
  let text = good;
  for (let v = 3; v < 23; v++) {
    text = good.replace('name.givenName: first', `name.givenName: first & "${'x'.repeat(v)}`); // unterminated string each time
    await client.change(uri, v, text);
  }
  await client.change(uri, 23, good);
  const d = await client.waitFor(uri, (_, p) => p.version === 23);
  assert.deepEqual(d, []);
});

test('the sample changing on disk re-validates the mapping', async () => {
  fs.writeFileSync(path.join(dir, 'people.csv'), 'id,first,last,status,mgr\n1,Ana,Silva,Active,\n2,Bo,Berg,Active,1\n2,Cy,Chen,Inactive,9\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'people.csv')).toString(), type: 2 }] });
  const d = await client.waitFor(uri, (x) => x.length > 0);
  assert.deepEqual(d.map((x) => x.code).sort(), ['manager-reference', 'records-fail', 'sample-duplicate']);
});

test('a runaway expression is stopped, reported at its mapping, and hover keeps answering meanwhile', async () => {
  fs.writeFileSync(path.join(dir, 'people.csv'), `id,first,last,status,mgr\n1,${'a'.repeat(34)}!,Silva,Active,\n`);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'people.csv')).toString(), type: 2 }] });
  const runaway = good.replace('name.givenName: first', 'name.givenName: \'$match(first, /^(a+)+$/) ? "x" : first\'');
  await client.change(uri, 30, runaway);
  const started = Date.now();
  const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 4 } });
  assert.ok(Date.now() - started < 1000, 'hover answered while the worker is busy');
  void hover;
  const d = await client.waitFor(uri, (x, p) => p.version === 30 && x.some((y) => y.code === 'sample-error'));
  const hang = d.find((y) => y.code === 'sample-error')!;
  assert.match(String(hang.message), /did not finish/);
  assert.equal(hang.range.start.line, 9);
  // Fixing the expression clears it.
  await client.change(uri, 31, good);
  await client.waitFor(uri, (x, p) => p.version === 31 && !x.some((y) => y.code === 'sample-error'));
});

test('the Add active quick fix is checked on the sample in the worker (never one that is false on every record)', async () => {
  fs.writeFileSync(path.join(dir, 'lower.csv'), 'id,status\n1,active\n2,inactive\n3,active\n');
  const u = pathToFileURL(path.join(dir, 'noactive.scimmap.yaml')).toString();
  const text = 'scimmap: 1\nsource:\n  sample: lower.csv\n  key: id\ntarget: entra\nmappings:\n  externalId: id\n  userName: id & "@contoso.com"\n';
  await client.open(u, text);
  const d = await client.waitFor(u, (x) => x.some((y) => y.code === 'active-unmapped' && (y.data as { verified?: boolean })?.verified === true), 20_000);
  const diag = d.find((y) => y.code === 'active-unmapped')!;
  const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: u }, range: diag.range, context: { diagnostics: [diag] } })) as { title: string }[];
  // The sample's own spelling ("active"), with the counts it gives.
  assert.deepEqual(actions.map((a) => a.title), [`Add 'active: status = "active"' (true on 2, false on 1 of 3 sample records)`]);
});

test('an entra mapping without userName: an error on mappings:, and the Add userName fix only from a sample field with sign-in names', async () => {
  fs.writeFileSync(path.join(dir, 'mails.csv'), 'id,status,mail\n1,Active,ana@contoso.com\n2,Active,\n3,Active,cy@contoso.com\n');
  const u = pathToFileURL(path.join(dir, 'nouser.scimmap.yaml')).toString();
  const text = 'scimmap: 1\nsource:\n  sample: mails.csv\n  key: id\ntarget: entra\nmappings:\n  externalId: id\n  active: status = "Active"\n';
  await client.open(u, text);
  const isUser = (y: { code?: unknown; data?: unknown }) => y.code === 'missing-required' && (y.data as { attribute?: string })?.attribute === 'userName';
  const d = await client.waitFor(u, (x) => x.some((y) => isUser(y) && (y.data as { verified?: boolean }).verified === true), 20_000);
  const diag = d.find(isUser)!;
  assert.equal(diag.severity, 1);
  assert.deepEqual([diag.range.start.line, diag.range.start.character], [5, 0], 'on the mappings: key');
  const ask = async (dg: typeof diag) => (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: u }, range: dg.range, context: { diagnostics: [dg] } })) as { title: string; edit: { changes: Record<string, { newText: string }[]> } }[];
  const actions = await ask(diag);
  assert.deepEqual(actions.map((a) => a.title), ["Add 'userName: mail' (a sign-in name on 2 of 3 sample records)"]);
  assert.equal(actions[0].edit.changes[u][0].newText, '\n  userName: mail');
  // A sample whose only candidate is empty everywhere: the error stays, with no fix.
  fs.writeFileSync(path.join(dir, 'mails.csv'), 'id,status,mail\n1,Active,\n2,Active,\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'mails.csv')).toString(), type: 2 }] });
  const d2 = await client.waitFor(u, (x) => x.some((y) => isUser(y) && Array.isArray((y.data as { fixes?: unknown[] }).fixes) && (y.data as { fixes: unknown[] }).fixes.length === 0), 20_000);
  assert.deepEqual(await ask(d2.find(isUser)!), []);
});

test('close clears the diagnostics', async () => {
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await client.waitFor(uri, (d, p) => p.version === undefined && d.length === 0);
});
