import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { ReaderError, detectDelimiter } from '../../../src/engine/readers';
import { readAll, tmpFile, values } from './helpers';

/** Asserts a ReaderError with code, line and a message fragment. */
async function rejectsReader(p: Promise<unknown>, code: string, line: number | undefined, fragment: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ReaderError, `not a ReaderError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.line, line, e.message);
    assert.match(e.message, fragment);
    return true;
  });
}

describe('CSV reader', () => {
  it('reads header names and string cells, with 1-based record lines', async () => {
    const p = tmpFile('basic.csv', 'id,name,age\n1,Ana,33\n2,Bo,41\n');
    const { records, header } = await readAll(p);
    assert.deepEqual(header, ['id', 'name', 'age']);
    assert.deepEqual(records, [
      { index: 0, line: 2, value: { id: '1', name: 'Ana', age: '33' } },
      { index: 1, line: 3, value: { id: '2', name: 'Bo', age: '41' } },
    ]);
  });

  it('handles quoted delimiters, escaped quotes and embedded newlines (line numbers stay right)', async () => {
    const p = tmpFile('quotes.csv', 'id,note,city\n1,"a, b","He said ""hi"""\n2,"two\nlines\nhere",Oslo\n3,x,y\n');
    const { records } = await readAll(p);
    assert.deepEqual(records.map((r) => r.value), [
      { id: '1', note: 'a, b', city: 'He said "hi"' },
      { id: '2', note: 'two\nlines\nhere', city: 'Oslo' },
      { id: '3', note: 'x', city: 'y' },
    ]);
    assert.deepEqual(records.map((r) => r.line), [2, 3, 6]);
  });

  it('strips a UTF-8 BOM and reads CRLF line endings (CRLF inside quotes is kept)', async () => {
    const p = tmpFile('bom.csv', '\uFEFFid,name\r\n1,"Zoë\r\nØrsted"\r\n2,Seán\r\n');
    const { records, header } = await readAll(p);
    assert.deepEqual(header, ['id', 'name']);
    assert.deepEqual(records.map((r) => r.value), [{ id: '1', name: 'Zoë\r\nØrsted' }, { id: '2', name: 'Seán' }]);
    assert.deepEqual(records.map((r) => r.line), [2, 4]);
  });

  it('reads a file with mixed LF and CRLF endings', async () => {
    const p = tmpFile('mixed.csv', 'a,b\r\n1,2\n3,4\r\n');
    assert.deepEqual(await values(p), [{ a: '1', b: '2' }, { a: '3', b: '4' }]);
  });

  it('auto-detects ; and tab delimiters from the header line', async () => {
    const semi = tmpFile('semi.csv', 'id;name;city\n1;"Smith, J";Lyon\n');
    assert.deepEqual(await values(semi), [{ id: '1', name: 'Smith, J', city: 'Lyon' }]);
    const tab = tmpFile('tab.txt', 'id\tname\n7\tO\'Brien, S\n');
    assert.deepEqual(await values(tab), [{ id: '7', name: "O'Brien, S" }]);
    const pipe = tmpFile('pipe.csv', 'a|b\n1|2\n');
    assert.deepEqual(await values(pipe), [{ a: '1', b: '2' }]);
  });

  it('uses an explicit delimiter and tab for .tsv', async () => {
    const p = tmpFile('explicit.csv', 'a;b,c\n1;2,3\n');
    assert.deepEqual(await values(p, { delimiter: ',' }), [{ 'a;b': '1;2', c: '3' }]);
    const tsv = tmpFile('one.tsv', 'a,b\tc\n1,2\t3\n');
    assert.deepEqual(await values(tsv), [{ 'a,b': '1,2', c: '3' }]);
  });

  it('detectDelimiter ignores delimiters inside quotes and falls back to ","', () => {
    assert.equal(detectDelimiter('"a;b;c",d,e'), ',');
    assert.equal(detectDelimiter('a;b,c;d'), ';');
    assert.equal(detectDelimiter('single'), ',');
  });

  it('keeps empty cells as "" and skips blank lines', async () => {
    const p = tmpFile('empty.csv', 'a,b,c\n1,,\n\n,,3\n');
    const { records } = await readAll(p);
    assert.deepEqual(records.map((r) => r.value), [{ a: '1', b: '', c: '' }, { a: '', b: '', c: '3' }]);
    assert.deepEqual(records.map((r) => r.line), [2, 4]);
  });

  it('does not coerce values (numbers, booleans and padding stay as written)', async () => {
    const p = tmpFile('strings.csv', 'n,b,pad\n007,true, x \n');
    assert.deepEqual(await values(p), [{ n: '007', b: 'true', pad: ' x ' }]);
  });

  it('reports a row with too many fields with the file and line', async () => {
    const p = tmpFile('workers.csv', 'a,b,c\n1,2,3\n1,"x\ny",3\n4,5,6,7\n');
    await rejectsReader(readAll(p), 'ragged-row', 5, /workers\.csv:5: row has 4 fields, header has 3$/);
  });

  it('reports a row with too few fields', async () => {
    const p = tmpFile('short.csv', 'a,b,c\n1,2\n');
    await rejectsReader(readAll(p), 'ragged-row', 2, /row has 2 fields, header has 3$/);
  });

  it('rejects duplicate header names (after trimming)', async () => {
    const p = tmpFile('dup.csv', 'id,Email, Email \n1,a,b\n');
    await rejectsReader(readAll(p), 'duplicate-header', 1, /duplicate header name "Email" \(columns 2 and 3\)/);
  });

  it('rejects an empty header name', async () => {
    const p = tmpFile('emptyhdr.csv', 'id,,x\n1,2,3\n');
    await rejectsReader(readAll(p), 'empty-header', 1, /header column 2 has no name/);
  });

  it('trims header names and warns about (but keeps) quote characters in them', async () => {
    const p = tmpFile('hdrquote.csv', ' id ,HireDate",\'CostCode\'\n1,2020-01-01,C1\n');
    const { records, warnings, header } = await readAll(p);
    assert.deepEqual(header, ['id', 'HireDate"', "'CostCode'"]);
    assert.deepEqual(records[0].value, { id: '1', 'HireDate"': '2020-01-01', "'CostCode'": 'C1' });
    assert.equal(warnings.length, 2);
    assert.ok(warnings.every((w) => w.code === 'header-quotes' && w.line === 1));
    assert.match(warnings[0].message, /"HireDate\\"" contains quote characters/);
  });

  it('keeps a stray quote inside an unquoted cell as text', async () => {
    const p = tmpFile('stray.csv', 'a,b\n5" screen,x\n');
    assert.deepEqual(await values(p), [{ a: '5" screen', b: 'x' }]);
  });

  it('reports an unclosed quote at the record that opened it', async () => {
    const p = tmpFile('unclosed.csv', 'a,b\n1,2\n3,"oops\n5,6\n');
    await rejectsReader(readAll(p), 'unclosed-quote', 3, /unclosed\.csv:3: a quoted value opened in this record is never closed/);
  });

  it('rejects an empty file and a header-only file gives no records', async () => {
    await rejectsReader(readAll(tmpFile('empty-file.csv', '')), 'empty-file', undefined, /empty/);
    await rejectsReader(readAll(tmpFile('bom-only.csv', '\uFEFF\n')), 'empty-file', undefined, /empty/);
    const { records, header } = await readAll(tmpFile('hdr-only.csv', 'a,b\r\n'));
    assert.deepEqual(records, []);
    assert.deepEqual(header, ['a', 'b']);
  });

  it('rejects CR-only line endings with a clear message', async () => {
    await rejectsReader(readAll(tmpFile('mac.csv', 'a,b\r1,2\r')), 'cr-line-endings', undefined, /CR only/);
  });

  it('keeps a header named __proto__ as a plain field', async () => {
    const p = tmpFile('proto.csv', '__proto__,b\nx,y\n');
    const [v] = await values(p);
    assert.deepEqual(Object.keys(v), ['__proto__', 'b']);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });

  it('names the file as given in messages', async () => {
    const p = tmpFile('named.csv', 'a\n');
    await assert.rejects(readAll(p + '.missing.csv'), (e: unknown) => {
      assert.ok(e instanceof ReaderError);
      assert.equal(e.code, 'io');
      assert.match(e.message, new RegExp(basename(p) + '\\.missing\\.csv: cannot read file: no such file'));
      return true;
    });
  });
});
