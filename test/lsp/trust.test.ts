// Workspace Trust over LSP: a client that says the workspace is untrusted gets static checks only (no sample is read,
// no file outside the workspace folders), and full features once it says trust was granted; a client that says
// nothing gets full features.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, root } from './lspClient';
import { tempDir } from '../tempDirs';

const codes = (d: Array<{ code?: string | number }>) => d.map((x) => String(x.code)).sort();

function workspace(): { dir: string; ws: string; mapping: string; text: string } {
  const dir = tempDir('scimmap-trust-');
  const ws = join(dir, 'ws');
  cpSync(join(root, 'test/fixtures/trust-workspace'), ws, { recursive: true });
  // An extension schema outside the workspace folder: an untrusted workspace must not make the server read it.
  writeFileSync(join(dir, 'outside.schema.json'), JSON.stringify({ id: 'urn:test:ext:1.0:User', attributes: [{ name: 'Grade', type: 'string' }] }));
  const mapping = join(ws, 'restricted.scimmap.yaml');
  const text = `scimmap: 1
source:
  sample: people.csv
  key: id
target: entra
extensions:
  urn:test:ext:1.0:User: ../outside.schema.json
mappings:
  externalId: id
  userName: login & "@contoso.com"
  active: true
  name.givenNam: firstName
  name.familyName: frstName
`;
  return { dir, ws, mapping, text };
}

test('untrusted: static diagnostics and a restricted-mode note, no sample checks, no export, no file outside; trust turns them on', async () => {
  const { dir, ws, mapping, text } = workspace();
  const c = new LspClient();
  try {
    await c.initialize({ workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }], initializationOptions: { workspaceTrusted: false } });
    const uri = pathToFileURL(mapping).href;
    await c.open(uri, text);
    const restricted = await c.waitFor(uri, (d) => d.some((x) => x.code === 'restricted-mode'));
    assert.ok(codes(restricted).includes('unknown-attribute'), JSON.stringify(restricted));
    assert.ok(!codes(restricted).includes('unknown-field'), 'a sample-based diagnostic appeared in Restricted Mode');
    const note = restricted.find((x) => x.code === 'restricted-mode')!;
    assert.equal(note.severity, 3);
    assert.equal(note.range.start.line, 2, 'the note sits on source.sample');
    assert.match(String(note.message), /Trust this workspace/);
    // The schema outside the workspace folder was not read.
    assert.ok(restricted.some((x) => /outside\.schema\.json' cannot be read/.test(String(x.message))), JSON.stringify(restricted.map((x) => x.message)));
    assert.equal(await c.connection.sendRequest('scimmap/exportBulk', { uri }), null);
    assert.equal(await c.connection.sendRequest('scimmap/preview', { uri, recordIndex: 0 }), null);

    await c.connection.sendNotification('scimmap/workspaceTrust', { trusted: true });
    const full = await c.waitFor(uri, (d) => d.some((x) => x.code === 'unknown-field'));
    assert.ok(!codes(full).includes('restricted-mode'));
    assert.ok(!full.some((x) => /cannot be read/.test(String(x.message))), 'the schema is read once trusted');
    const exported = (await c.connection.sendRequest('scimmap/exportBulk', { uri })) as { requests: unknown[]; source?: string } | null;
    assert.ok(exported && exported.requests.length === 1);
    assert.equal(exported.source, join(ws, 'people.csv'));
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a client that says nothing about trust gets full features (other editors)', async () => {
  const { dir, mapping, text } = workspace();
  const c = new LspClient();
  try {
    await c.initialize();
    const uri = pathToFileURL(mapping).href;
    await c.open(uri, text);
    const d = await c.waitFor(uri, (x) => x.some((y) => y.code === 'unknown-field'));
    assert.ok(!codes(d).includes('restricted-mode'));
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
