import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { openRecords } from '../../../server/src/engine/readers';
import { tmpFile } from './helpers';

const ROWS = 200_000;

it(`streams ${ROWS} generated CSV rows from a temp file`, async () => {
  const path = tmpFile('big.csv', '');
  const out = createWriteStream(path);
  out.write('\uFEFFid;name;note\r\n');
  for (let i = 0; i < ROWS; i++) {
    // every 1000th row has a quoted value with an embedded newline
    const note = i % 1000 === 0 ? '"two\r\nlines; quoted"' : 'plain';
    if (!out.write(`${i};Person ${i};${note}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');

  let count = 0;
  let last: { index: number; line?: number; value: Record<string, unknown> } | undefined;
  for await (const rec of openRecords(path)) {
    count++;
    last = rec;
  }
  assert.equal(count, ROWS);
  assert.equal(last?.index, ROWS - 1);
  assert.deepEqual(last?.value, { id: String(ROWS - 1), name: `Person ${ROWS - 1}`, note: 'plain' });
  assert.equal(last?.line, ROWS + 1 + ROWS / 1000); // header + one extra line per embedded newline
});
