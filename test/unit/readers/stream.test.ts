import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { openRecords } from '../../../src/engine/readers';
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

it(`streams ${ROWS} elements of a generated Workday {"Report_Entry": [...]} file`, async () => {
  const path = tmpFile('big-wrapped.json', '');
  const out = createWriteStream(path);
  out.write('{"Report_Entry": [\n');
  let batch = ''; // written 1000 elements at a time: per-element writes would dominate the run time
  for (let i = 0; i < ROWS; i++) {
    batch += `  {"Employee_ID": "${i}", "Legal_Name": {"First_Name": "P${i}", "Last_Name": "L"}, "Phones": [{"Number": "${i}"}]}${i < ROWS - 1 ? ',' : ''}\n`;
    if (i % 1000 === 999) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.write(batch);
  out.write(']}\n');
  out.end();
  await once(out, 'finish');

  let count = 0;
  let last: { index: number; line?: number } | undefined;
  const stream = openRecords(path);
  for await (const rec of stream) {
    count++;
    last = rec;
  }
  assert.equal(count, ROWS);
  assert.equal(last?.index, ROWS - 1);
  assert.equal(last?.line, ROWS + 1);
  assert.deepEqual(stream.warnings.map((w) => w.code), ['unwrapped']);
});
