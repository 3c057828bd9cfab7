/**
 * The `server:` key over LSP (the real server over stdio): a target: scim mapping naming a saved SCIM server
 * discovery gets the undeclared extension at its key and a hover with the server's definition; re-pulling the
 * file re-validates — announced by the client (didChangeWatchedFiles), or seen by the server's own watcher for a
 * client that cannot register watchers.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';
import { CORE_USER_URN, ENTERPRISE_USER_URN } from '../../src/engine/types';
import type { ServerProfile } from '../../src/targets/scim';
import { tempDir } from '../tempDirs';

const ACME = 'urn:example:params:scim:schemas:extension:acme:1.0:User';

function profile(extensions: string[]): ServerProfile {
  return {
    scimmapServer: 1, endpoint: 'https://app.example.com/scim/v2', fetchedAt: '2026-12-01T00:00:00.000Z',
    config: { patch: true, bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 }, filter: { supported: true, maxResults: 100 }, etag: false },
    users: { endpoint: '/Users', schema: CORE_USER_URN, extensions: extensions.map((schema) => ({ schema, required: false })) },
    schemas: {
      [CORE_USER_URN]: [{ name: 'userName', type: 'string', multiValued: false, mutability: 'readWrite', required: true }, { name: 'active', type: 'boolean', multiValued: false }],
      [ENTERPRISE_USER_URN]: [{ name: 'department', type: 'string', multiValued: false }],
      [ACME]: [{ name: 'badge', type: 'string', multiValued: false, mutability: 'immutable' }],
    },
  };
}

function rig(): { dir: string; schemaPath: string; uri: string; text: string } {
  const dir = tempDir('scimmap-lsp-server-');
  const schemaPath = path.join(dir, 'server-schema.json');
  fs.writeFileSync(schemaPath, JSON.stringify(profile([ENTERPRISE_USER_URN])));
  const mappingPath = path.join(dir, 'people.scimmap.yaml');
  const text = `scimmap: 1
target: scim
server: server-schema.json
extensions:
  ${ACME}:
    badge: string
mappings:
  externalId: id
  userName: email
  active: true
  ${ACME}:badge: id
`;
  fs.writeFileSync(mappingPath, text);
  return { dir, schemaPath, uri: pathToFileURL(mappingPath).toString(), text };
}

const clients: LspClient[] = [];
const dirs: string[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('the undeclared extension at its key, the hover, and re-validation when the client announces a re-pull', async () => {
  const { dir, schemaPath, uri, text } = rig();
  dirs.push(dir);
  const client = new LspClient();
  clients.push(client);
  await client.initialize();
  await client.open(uri, text);
  const diags = await client.waitFor(uri, (d) => d.some((x) => x.code === 'server-extension-undeclared'));
  const undeclared = diags.filter((x) => x.code === 'server-extension-undeclared');
  assert.equal(undeclared.length, 1);
  assert.equal(undeclared[0]!.severity, 1);
  assert.deepEqual(undeclared[0]!.range, { start: { line: 10, character: 2 }, end: { line: 10, character: 2 + `${ACME}:badge`.length } });
  assert.match(String(undeclared[0]!.message), /does not declare the extension urn:example:params:scim:schemas:extension:acme:1\.0:User \(it declares .*enterprise:2\.0:User\)/);

  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 8, character: 4 } })) as { contents: { value: string } };
  assert.match(hover.contents.value, /\*\*On the server\*\*.*`userName` — `string`, single-valued, mutability `readWrite`, required/);

  // The app now declares the extension; `scimmap server pull` rewrites the file and the client says so.
  fs.writeFileSync(schemaPath, JSON.stringify(profile([ENTERPRISE_USER_URN, ACME])));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(schemaPath).toString(), type: 2 }] });
  await client.waitFor(uri, (d) => !d.some((x) => String(x.code).startsWith('server-')));
  const after = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 10, character: 4 } })) as { contents: { value: string } };
  assert.match(after.contents.value, /`badge` — `string`, single-valued, mutability `immutable`/);
});

test('a client that cannot register watchers: the server watches the saved discovery itself', async () => {
  const { dir, schemaPath, uri, text } = rig();
  dirs.push(dir);
  const client = new LspClient();
  clients.push(client);
  await client.initialize({ capabilities: {} });
  await client.open(uri, text);
  await client.waitFor(uri, (d) => d.some((x) => x.code === 'server-extension-undeclared'));
  // Replaced whole, as the pull does (a temporary file renamed into place).
  const tmp = path.join(dir, '.server-schema.json.tmp');
  fs.writeFileSync(tmp, JSON.stringify(profile([ENTERPRISE_USER_URN, ACME])));
  fs.renameSync(tmp, schemaPath);
  await client.waitFor(uri, (d) => !d.some((x) => String(x.code).startsWith('server-')), 30_000);
  // And a saved file that goes away is said at server:.
  fs.rmSync(schemaPath);
  const gone = await client.waitFor(uri, (d) => d.some((x) => x.code === 'server-schema'), 30_000);
  assert.equal(gone.find((x) => x.code === 'server-schema')!.range.start.line, 2);
});
