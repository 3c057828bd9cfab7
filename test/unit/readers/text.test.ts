import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { ReaderError, decodeBytes, decodeStream, detectFormat, openRecords } from '../../../src/engine/readers';
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

  it('reads UTF-16 LE and BE with a BOM (CSV, JSON, JSONL)', async () => {
    const csv = 'id,name\r\n1,José\r\n2,Zoë 😀\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv, 'utf16le').swap16()]);
    for (const [name, bytes] of [['le.csv', le], ['be.csv', be]] as const) {
      const { records, warnings } = await readAll(tmpFile(name, bytes));
      assert.deepEqual(records.map((r) => [r.line, r.value.name]), [[2, 'José'], [3, 'Zoë 😀']], name);
      assert.deepEqual(warnings, []);
    }
    const json = '[{"id":"1","name":"Åsa"}]';
    const { records } = await readAll(tmpFile('le.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')])));
    assert.equal(records[0].value.name, 'Åsa');
    const jsonl = '{"n":"Ødegård"}\n{"n":"Ñ"}\n';
    const l = await readAll(tmpFile('be.jsonl', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(jsonl, 'utf16le').swap16()])));
    assert.deepEqual(l.records.map((r) => r.value.n), ['Ødegård', 'Ñ']);
  });

  it('reads an Excel "Unicode Text" export: UTF-16 LE with a BOM, tab-separated, .txt', async () => {
    const txt = 'EmployeeID\tName\tCity\r\nE1\tRenée\tMålmö\r\n';
    const { records } = await readAll(tmpFile('excel.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(txt, 'utf16le')])));
    assert.deepEqual(records[0].value, { EmployeeID: 'E1', Name: 'Renée', City: 'Målmö' });
  });

  it('keeps UTF-16 code units and surrogate pairs split across read chunks intact', async () => {
    // 64 KiB chunks: an odd prefix puts a code unit (and then a surrogate pair) across the boundary.
    const pad = 'x'.repeat(32 * 1024 - 8);
    const text = `{"p":"${pad}😀é"}\n{"q":"${pad}😀"}\n`; // BOM + 2 × 32,766 units: the pair straddles 64 KiB
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const { records } = await readAll(tmpFile('split16.jsonl', bytes));
    assert.ok((records[0].value.p as string).endsWith('x😀é'));
    assert.ok((records[1].value.q as string).endsWith('x😀'));
  });

  it('UTF-16 without a BOM is refused with a hint to set source.encoding, and read when it is set', async () => {
    const bytes = Buffer.from('a,b\n1,2\n', 'utf16le');
    await assert.rejects(readAll(tmpFile('nobom16.csv', bytes)), (e: unknown) => {
      assert.ok(e instanceof ReaderError);
      assert.equal(e.code, 'binary-file');
      assert.match(e.message, /set source\.encoding to utf-16le/);
      return true;
    });
    const { records } = await readAll(tmpFile('nobom16b.csv', bytes), { encoding: 'utf-16le' });
    assert.deepEqual(records[0].value, { a: '1', b: '2' });
  });

  it('decodes windows-1252 and iso-8859-1 with source.encoding', async () => {
    // "José" "Zoë" "€" in Windows-1252: single bytes 0xE9, 0xEB, 0x80
    const bytes = Buffer.concat([
      Buffer.from('id,name\n1,Ana\n2,Jos'), Buffer.from([0xe9]), Buffer.from('\n3,Zo'), Buffer.from([0xeb]), Buffer.from(' '), Buffer.from([0x80]), Buffer.from('\n'),
    ]);
    for (const encoding of ['windows-1252', 'iso-8859-1', 'Windows-1252', 'latin1', 'cp1252']) {
      const { records, warnings } = await readAll(tmpFile('cp1252.csv', bytes), { encoding });
      assert.deepEqual(records.map((r) => r.value.name), ['Ana', 'José', 'Zoë €'], encoding);
      assert.deepEqual(warnings, []);
    }
    // A UTF-8 BOM wins over the declared encoding (the file says what it is).
    const { records } = await readAll(tmpFile('bom8.csv', Buffer.from('\ufeffid,name\n1,José\n')), { encoding: 'windows-1252' });
    assert.equal(records[0].value.name, 'José');
  });

  it('decodeStream: one byte per chunk gives the same text for UTF-8, UTF-16 LE/BE and windows-1252', async () => {
    const text = 'id,name\n1,José Ødegård 😀\n';
    const cases: [Buffer, string | undefined][] = [
      [Buffer.from(text), undefined],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), undefined],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), undefined],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), 'windows-1252'],
    ];
    const bytewise = async function* (b: Buffer) {
      for (let i = 0; i < b.length; i++) yield b.subarray(i, i + 1);
    };
    for (const [bytes, encoding] of cases) {
      let out = '';
      for await (const t of decodeStream(bytewise(bytes), { file: 'f', encoding })) out += t;
      assert.equal(out, text);
      assert.equal(decodeBytes(bytes, { file: 'f', encoding }), text);
    }
    let latin = '';
    for await (const t of decodeStream(bytewise(Buffer.from('Jos\xe9 \x80', 'latin1')), { file: 'f', encoding: 'windows-1252' })) latin += t;
    assert.equal(latin, 'José €');
    assert.throws(() => decodeBytes(Buffer.from([0x61, 0x0a, 0x62, 0xff]), { file: 'f' }), /f:2: the file is not valid UTF-8 \(byte 3: 0xff\)/);
  });

  it('an unknown encoding is an error', async () => {
    await assert.rejects(readAll(tmpFile('enc.csv', 'a\n1\n'), { encoding: 'klingon' }), (e: unknown) => {
      assert.ok(e instanceof ReaderError);
      assert.equal(e.code, 'unknown-encoding');
      return true;
    });
  });

  it('invalid UTF-8 without an encoding is an error with its line and byte, suggesting source.encoding', async () => {
    const bytes = Buffer.concat([Buffer.from('id,name\n1,Ana\n2,Jos'), Buffer.from([0xe9]), Buffer.from('\n3,Zo\n')]);
    const seen: string[] = [];
    const stream = openRecords(tmpFile('latin1.csv', bytes), { onWarning: (w) => seen.push(w.code) });
    const got: unknown[] = [];
    await assert.rejects(
      (async () => {
        for await (const r of stream) got.push(r.value.name);
      })(),
      (e: unknown) => {
        assert.ok(e instanceof ReaderError);
        assert.equal(e.code, 'invalid-utf8');
        assert.equal(e.line, 3);
        assert.match(e.message, /^.*latin1\.csv:3: the file is not valid UTF-8 \(byte 19: 0xe9\).*set source\.encoding \(e\.g\. windows-1252/);
        return true;
      },
    );
    assert.deepEqual(seen, []);
    // With a UTF-8 BOM the offset still counts from the start of the file.
    await assert.rejects(readAll(tmpFile('bom-latin1.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]))), /latin1\.csv:3: the file is not valid UTF-8 \(byte 22: 0xe9\)/);
  });

  it('locates invalid UTF-8 far into the file and after a multi-byte character split across chunks', async () => {
    const pad = 'x'.repeat(64 * 1024 - 1);
    const head = Buffer.from(`{"p":"${pad.slice(7)}é"}\n{"q":"ok"}\n{"r":"`);
    const bytes = Buffer.concat([head, Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]);
    await assert.rejects(readAll(tmpFile('far.jsonl', bytes)), (e: unknown) => {
      assert.ok(e instanceof ReaderError);
      assert.equal(e.code, 'invalid-utf8');
      assert.equal(e.line, 3);
      assert.match(e.message, new RegExp(`byte ${head.length}: 0xc3`));
      return true;
    });
    // A sequence cut off by the end of the file.
    await assert.rejects(readAll(tmpFile('cut.jsonl', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xe2, 0x82])]))), (e: unknown) => {
      assert.ok(e instanceof ReaderError);
      assert.equal(e.code, 'invalid-utf8');
      assert.match(e.message, /the file ends inside a character/);
      return true;
    });
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
