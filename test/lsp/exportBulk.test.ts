import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, root } from './lspClient';

const client = new LspClient();
after(() => client.stop());

test('scimmap/exportBulk returns the same BulkRequests as `scimmap preview --format bulk`', async () => {
  await client.initialize();
  const file = path.join(root, 'samples/custom-hr/custom-hr.scimmap.yaml');
  const uri = pathToFileURL(file).toString();
  await client.open(uri, fs.readFileSync(file, 'utf8'));
  const r = (await client.connection.sendRequest('scimmap/exportBulk', { uri })) as { requests: unknown[]; failed: number };
  assert.equal(r.failed, 0);
  assert.deepEqual(r.requests, JSON.parse(fs.readFileSync(path.join(root, 'test/golden/custom-hr.bulk.json'), 'utf8')));
});
