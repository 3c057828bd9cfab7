import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { ReaderError, detectFormat, openRecords } from '../../../src/engine/readers';
import { readAll, tmpFile } from './helpers';

describe('text decoding and file checks', () => {
  it('refuses a binary file named .csv', async () => {
    const bytes = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40), Buffer.from('id,name\n')]);
    await assert.rejects(readAll(tmpFile('workers.csv', bytes)), (e: unknown) => {
      assert.ok(e instanceof ReaderError);
      assert.equal(e.code, 'binary-file');
      assert.match(e.message, /workers\.csv: does not look like a text file/);
      return true;
    });
  });

  it('refuses UTF-16 with a hint', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]);
    await assert.rejects(readAll(tmpFile('utf16.csv', bytes)), /UTF-16 encoded; save it as UTF-8/);
  });

  it('replaces invalid UTF-8 and reports one warning with the line', async () => {
    // "José" and "Zoë" in Windows-1252: lone 0xE9 / 0xEB bytes
    const bytes = Buffer.concat([
      Buffer.from('id,name\n1,Ana\n2,Jos'), Buffer.from([0xe9]), Buffer.from('\n3,Zo'), Buffer.from([0xeb]), Buffer.from('\n'),
    ]);
    const seen: string[] = [];
    const { records, warnings } = await readAll(tmpFile('latin1.csv', bytes), { onWarning: (w) => seen.push(w.code) });
    assert.deepEqual(records.map((r) => r.value.name), ['Ana', 'Jos\uFFFD', 'Zo\uFFFD']);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].code, 'invalid-utf8');
    assert.equal(warnings[0].line, 3);
    assert.match(warnings[0].message, /invalid UTF-8.*save it as UTF-8/);
    assert.deepEqual(seen, ['invalid-utf8']);
  });

  it('does not warn about a real U+FFFD written as valid UTF-8', async () => {
    const { records, warnings } = await readAll(tmpFile('fffd.jsonl', '{"a":"\uFFFD"}\n'));
    assert.equal(records[0].value.a, '\uFFFD');
    assert.deepEqual(warnings, []);
  });

  it('keeps multi-byte characters split across read chunks intact', async () => {
    const pad = 'x'.repeat(64 * 1024 - 1); // "é" straddles the first chunk boundary
    const { records, warnings } = await readAll(tmpFile('split.jsonl', `{"p":"${pad.slice(7)}é"}\n`));
    assert.ok((records[0].value.p as string).endsWith('xé'));
    assert.deepEqual(warnings, []);
  });

  it('detects the format from the extension, or refuses to guess', () => {
    assert.equal(detectFormat('a/b.CSV'), 'csv');
    assert.equal(detectFormat('b.tsv'), 'csv');
    assert.equal(detectFormat('b.txt'), 'csv');
    assert.equal(detectFormat('b.json'), 'json');
    assert.equal(detectFormat('b.ndjson'), 'jsonl');
    assert.equal(detectFormat('b.jsonl'), 'jsonl');
    assert.equal(detectFormat('b.xlsx', 'csv'), 'csv');
    assert.throws(() => detectFormat('b.xlsx'), /cannot tell the format from the extension "\.xlsx"/);
  });

  it('a directory gives a clear I/O error', async () => {
    await assert.rejects(readAll(dirname(tmpFile('x.csv', 'a\n')), { format: 'csv' }), /is a directory, not a regular file/);
  });

  it('honours an AbortSignal', async () => {
    const p = tmpFile('abort.jsonl', '{"a":1}\n'.repeat(100_000));
    const ac = new AbortController();
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of openRecords(p, { signal: ac.signal })) {
          if (++n === 10) ac.abort();
        }
      })(),
      { name: 'AbortError' },
    );
    assert.ok(n < 100_000);
  });
});
