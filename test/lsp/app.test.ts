/**
 * The provisioning app over LSP: a mapping naming a saved app schema gets "Entra ignores it" at the key, a quick
 * fix that runs the push command, a hover saying where each attribute lands, and the warning goes away when the
 * schema file changes (didChangeWatchedFiles), as after the quick fix's push.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';
import { defaultAppSchema } from '../../src/targets/entra/app/defaultSchema';
import { planPush } from '../../src/targets/entra/app/push';
import { tempDir } from '../tempDirs';

const CONTOSO = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';
const dir = tempDir('scimmap-lsp-app-');
const schemaPath = path.join(dir, 'app-schema.json');
fs.writeFileSync(schemaPath, JSON.stringify(defaultAppSchema()));
fs.writeFileSync(path.join(dir, 'staff.csv'), 'Id,First,Hired\nE1,Ada,2021-05-01\n');
const mappingPath = path.join(dir, 'staff.scimmap.yaml');
const uri = pathToFileURL(mappingPath).toString();
const text = `scimmap: 1
source:
  sample: staff.csv
target: entra
app: app-schema.json
extensions:
  ${CONTOSO}:
    HireDate: dateTime
mappings:
  externalId: Id
  active: true
  name.givenName: First
  ${CONTOSO}:HireDate: Hired & "T00:00:00Z"
`;
fs.writeFileSync(mappingPath, text);

const client = new LspClient();
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('app-attribute-missing at the key, its quick fix, the hover, and re-validation on schema change', async () => {
  await client.initialize();
  await client.open(uri, text);
  const diags = await client.waitFor(uri, (d) => d.some((x) => x.code === 'app-attribute-missing'));
  const missing = diags.find((x) => x.code === 'app-attribute-missing')!;
  assert.equal(missing.severity, 2);
  assert.equal(missing.range.start.line, 12);
  assert.match(String(missing.message), /^Entra ignores it/);

  const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing] } })) as Array<{ title: string; command?: { command: string; arguments: Array<Record<string, unknown>> } }>;
  const fix = actions.find((a) => a.title === 'Add to the provisioning app…');
  assert.ok(fix?.command, JSON.stringify(actions));
  assert.equal(fix.command.command, 'scimmap.app.addAttribute');
  assert.deepEqual({ ...fix.command.arguments[0], mapping: undefined }, { mapping: undefined, attribute: `${CONTOSO}:HireDate`, type: 'DateTime', appSchema: schemaPath });

  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 11, character: 4 } })) as { contents: { value: string } };
  assert.match(hover.contents.value, /In Entra/);
  assert.match(hover.contents.value, /sets `\s?givenName\s?` — Direct/);
  assert.match(hover.contents.value, /applies always/);

  // What the quick fix's push does to the saved file: the attribute and a mapping. The server re-validates.
  const plan = planPush(defaultAppSchema(), { attributes: [{ name: `${CONTOSO}:HireDate`, type: 'DateTime' }], mappings: [{ source: `${CONTOSO}:HireDate`, target: 'employeeHireDate' }] });
  fs.writeFileSync(schemaPath, JSON.stringify(plan.schema));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(schemaPath).toString(), type: 2 }] });
  await client.waitFor(uri, (d) => !d.some((x) => x.code?.toString().startsWith('app-')));
  const after = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 12, character: 4 } })) as { contents: { value: string } };
  assert.match(after.contents.value, /sets `\s?employeeHireDate\s?` — Direct/);
});
