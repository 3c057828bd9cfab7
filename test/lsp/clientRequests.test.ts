// The custom requests and notifications the VS Code client relies on, against the real server over stdio:
// scimmap/status counts the sample records that fail, scimmap/scaffold drafts a mapping from a sample.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';
import type { ScaffoldResult, StatusParams } from '../../src/service/protocol';
import { tempDir } from '../tempDirs';

const dir = tempDir('scimmap-client-requests-');
fs.writeFileSync(path.join(dir, 'people.csv'), 'id,first,last,email,status,grade\n1,Ana,Silva,ana@contoso.com,Active,3\n2,Bo,Berg,bo@contoso.com,Active,x\n3,Cy,Chen,cy@contoso.com,Inactive,y\n');
const mappingPath = path.join(dir, 'people.scimmap.yaml');
const uri = pathToFileURL(mappingPath).toString();
const text = (grade: string): string => `scimmap: 1
source:
  sample: people.csv
  key: id
target: entra
mappings:
  externalId: id
  userName: email
  active: status = "Active"
  nickName: ${grade}
`;
fs.writeFileSync(mappingPath, text('$string($number(grade))'));

const client = new LspClient();
const statuses: StatusParams[] = [];
client.connection.onNotification('scimmap/status', (p: unknown) => {
  statuses.push(p as StatusParams);
});
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function nextStatus(pred: (s: StatusParams) => boolean, timeoutMs = 15_000): Promise<StatusParams> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = statuses.find(pred);
    if (s) return s;
    if (Date.now() > deadline) throw new Error(`no matching status; got ${JSON.stringify(statuses)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('scimmap/status counts the sample records on which a mapping fails', async () => {
  await client.initialize();
  await client.open(uri, text('$string($number(grade))'));
  const s = await nextStatus((x) => x.uri === uri && x.records === 3);
  assert.deepEqual({ ...s }, { uri, errors: 1, warnings: 0, failingRecords: 2, skippedRecords: 0, records: 3 });
  statuses.length = 0;
  await client.change(uri, 2, text('grade'));
  const fixed = await nextStatus((x) => x.uri === uri);
  assert.deepEqual({ ...fixed }, { uri, errors: 0, warnings: 0, failingRecords: 0, skippedRecords: 0, records: 3 });
  // Records left out as duplicates are counted apart: neither failing nor ok.
  statuses.length = 0;
  await client.change(uri, 3, text('grade').replace('externalId: id', 'externalId: \'id = "2" ? "1" : id\'').replace('  key: id\n', '  key: id\n  duplicates: first\n'));
  const dupes = await nextStatus((x) => x.uri === uri && (x.skippedRecords ?? 0) > 0);
  assert.deepEqual({ ...dupes }, { uri, errors: 0, warnings: 1, failingRecords: 0, skippedRecords: 1, records: 3 });
});

test('scimmap/scaffold drafts a mapping for a sample', async () => {
  const r = (await client.connection.sendRequest('scimmap/scaffold', { path: path.join(dir, 'people.csv') })) as ScaffoldResult;
  assert.match(r.text, /^ {2}externalId: id$/m);
  assert.match(r.text, /^ {2}userName: email$/m);
  assert.match(r.text, /^ {2}active: status = "Active"$/m);
  assert.ok(r.unmapped.includes('grade'));
  // A file that cannot be read answers null (guarded), not an error that breaks the client.
  assert.equal(await client.connection.sendRequest('scimmap/scaffold', { path: path.join(dir, 'missing.csv') }), null);
});
