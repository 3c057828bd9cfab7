import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './lspClient';

const client = new LspClient();
after(() => client.stop());
const uri = 'file:///tmp/scimmap-standalone/upn.jsonata';

test('standalone .jsonata files get syntax diagnostics, completion and hover', async () => {
  await client.initialize();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'jsonata', version: 1, text: '$lowercase(First)\n  & "@" & ' } });
  const d = await client.waitFor(uri, (_, p) => p.version === 1);
  assert.deepEqual(d.map((x) => x.code), ['jsonata-syntax']);
  assert.equal(d[0].range.start.line, 1);
  await client.change(uri, 2, '$lowercase(First) & "@contoso.com"');
  assert.deepEqual(await client.waitFor(uri, (_, p) => p.version === 2), []);
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } })) as { contents: { value: string }; range?: { start: { line: number; character: number } } };
  assert.match(JSON.stringify(hover.contents), /lowercase/);
  if (hover.range) assert.deepEqual(hover.range.start, { line: 0, character: 0 });
  await client.change(uri, 3, '$lowe');
  const list = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 5 } })) as { items: { label: string }[] } | { label: string }[];
  const items = Array.isArray(list) ? list : list.items;
  assert.ok(items.some((i) => i.label.includes('lowercase')), JSON.stringify(items.slice(0, 5)));
});
