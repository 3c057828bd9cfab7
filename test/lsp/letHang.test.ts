import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';
import { tempDir } from '../tempDirs';

const dir = tempDir('scimmap-lethang-');
fs.writeFileSync(path.join(dir, 'p.csv'), `id,first\n1,${'a'.repeat(34)}!\n`);
const uri = pathToFileURL(path.join(dir, 'p.scimmap.yaml')).toString();
const text = (letValue: string) => `scimmap: 1\nsource:\n  sample: p.csv\ntarget: entra\nlet:\n  nick: ${letValue}\nmappings:\n  externalId: id\n  userName: id & "@contoso.com"\n  active: true\n  nickName: $nick\n`;

const client = new LspClient({ SCIMMAP_EVAL_HARD_LIMIT_MS: '1500' });
after(() => client.stop());

test('a let binding that never finishes is reported at the binding and skipped until it changes', async () => {
  await client.initialize();
  await client.open(uri, text(`'$match(first, /^(a+)+$/) ? "x" : first'`));
  const d = await client.waitFor(uri, (x, p) => p.version === 1 && x.some((y) => y.code === 'sample-error'));
  const hang = d.find((y) => y.code === 'sample-error')!;
  assert.match(String(hang.message), /did not finish/);
  assert.equal(hang.range.start.line, 5, 'on the let binding');
  await client.change(uri, 2, text('first'));
  await client.waitFor(uri, (x, p) => p.version === 2 && x.length === 0);
});
