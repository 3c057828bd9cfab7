import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReaderError, openRecords } from '../../../server/src/engine/readers';
import { readAll, tmpFile, values } from './helpers';

async function rejectsReader(p: Promise<unknown>, code: string, line: number | undefined, column: number | undefined, fragment: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ReaderError, `not a ReaderError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.line, line, e.message);
    assert.equal(e.column, column, e.message);
    assert.match(e.message, fragment);
    return true;
  });
}

describe('JSON array reader', () => {
  it('streams nested objects with their start lines', async () => {
    const text = `[
  {"id": "1", "Personal": {"Name": {"First": "José", "Last": "Álvarez"}}, "tags": ["a", "}"]},
  {
    "id": "2", "note": "braces { [ \\" inside strings",
    "Personal": {"Name": {"First": "Zoë"}}
  }
]
`;
    const { records } = await readAll(tmpFile('nested.json', text));
    assert.deepEqual(records, [
      { index: 0, line: 2, value: { id: '1', Personal: { Name: { First: 'José', Last: 'Álvarez' } }, tags: ['a', '}'] } },
      { index: 1, line: 3, value: { id: '2', note: 'braces { [ " inside strings', Personal: { Name: { First: 'Zoë' } } } },
    ]);
  });

  it('reads an element split across read chunks', async () => {
    const big = 'x'.repeat(200_000);
    const text = `[{"a":"${big}","b":{"c":[1,2,{"d":"}"}]}},{"a":"2"}]`;
    const recs = await values(tmpFile('big-element.json', text));
    assert.equal(recs.length, 2);
    assert.equal((recs[0].a as string).length, 200_000);
    assert.deepEqual(recs[0].b, { c: [1, 2, { d: '}' }] });
  });

  it('accepts an empty array, a BOM and CRLF', async () => {
    assert.deepEqual(await values(tmpFile('empty-array.json', ' [ ] ')), []);
    assert.deepEqual(await values(tmpFile('bom.json', '\uFEFF[\r\n{"a":1}\r\n]\r\n')), [{ a: 1 }]);
  });

  it('rejects a non-object element with its position', async () => {
    const text = '[\n  {"a": 1},\n  "oops",\n  {"a": 2}\n]';
    await rejectsReader(readAll(tmpFile('mixed.json', text)), 'not-an-object', 3, 3, /mixed\.json:3:3: element 2 is a string, not an object/);
    await rejectsReader(readAll(tmpFile('arr.json', '[[1]]')), 'not-an-object', 1, 2, /element 1 is an array/);
    await rejectsReader(readAll(tmpFile('null.json', '[{},null]')), 'not-an-object', 1, 5, /element 2 is null/);
  });

  it('rejects a top-level object, pointing at JSONL', async () => {
    await rejectsReader(readAll(tmpFile('obj.json', '{"a":1}\n{"a":2}\n')), 'not-an-array', 1, 1, /expected an array of objects.*JSONL/);
    await rejectsReader(readAll(tmpFile('str.json', '"x"')), 'not-an-array', 1, 1, /expected a JSON array/);
    await rejectsReader(readAll(tmpFile('nothing.json', '  \n')), 'empty-file', 1, 1, /empty/);
  });

  it('reports syntax errors inside an element at their line and column', async () => {
    const text = '[\n{"a": 1},\n{"a": 1,\n "b": }\n]';
    await rejectsReader(readAll(tmpFile('syntax.json', text)), 'json-syntax', 3, 1, /invalid JSON in element 2/);
    const text2 = '[{"a": 1 "b": 2}]';
    await rejectsReader(readAll(tmpFile('syntax2.json', text2)), 'json-syntax', 1, 10, /invalid JSON in element 1: Expected ',' or '}' after property value$/);
  });

  it('reports a missing comma, trailing comma, unclosed array and trailing content', async () => {
    await rejectsReader(readAll(tmpFile('comma.json', '[{"a":1} {"a":2}]')), 'json-syntax', 1, 10, /expected ',' or '\]' after element 1/);
    await rejectsReader(readAll(tmpFile('trailing.json', '[{"a":1},\n]')), 'json-syntax', 2, 1, /trailing comma/);
    await rejectsReader(readAll(tmpFile('open.json', '[{"a":1},\n{"a":')), 'json-syntax', 2, 1, /element 2 is not closed/);
    await rejectsReader(readAll(tmpFile('open2.json', '[{"a":1}\n')), 'json-syntax', 2, 1, /array is not closed/);
    await rejectsReader(readAll(tmpFile('after.json', '[{"a":1}] x')), 'json-syntax', 1, 11, /after the closing/);
  });

  it('stops early without reading the rest when the consumer breaks', async () => {
    const p = tmpFile('many.json', '[' + Array.from({ length: 1000 }, (_, i) => `{"i":${i}}`).join(',') + ',BROKEN');
    const seen: number[] = [];
    for await (const r of openRecords(p)) {
      seen.push(r.value.i as number);
      if (seen.length === 3) break;
    }
    assert.deepEqual(seen, [0, 1, 2]);
  });
});

describe('JSONL reader', () => {
  it('reads one object per line, skipping blank lines, with CRLF', async () => {
    const { records } = await readAll(tmpFile('people.jsonl', '{"a":1}\r\n\r\n  \n{"a":{"b":[2]}}\n{"a":3}'));
    assert.deepEqual(records, [
      { index: 0, line: 1, value: { a: 1 } },
      { index: 1, line: 4, value: { a: { b: [2] } } },
      { index: 2, line: 5, value: { a: 3 } },
    ]);
  });

  it('also reads .ndjson and an explicit format', async () => {
    assert.deepEqual(await values(tmpFile('x.ndjson', '{"a":1}\n')), [{ a: 1 }]);
    assert.deepEqual(await values(tmpFile('x.log', '{"a":1}\n'), { format: 'jsonl' }), [{ a: 1 }]);
  });

  it('reports a bad line with its number and column', async () => {
    await rejectsReader(readAll(tmpFile('bad.jsonl', '{"a":1}\n\n{"a":1,}\n')), 'json-syntax', 3, 8, /bad\.jsonl:3:8: invalid JSON/);
    await rejectsReader(readAll(tmpFile('bad2.jsonl', '{"a":1}\n{"a" 1}\n')), 'json-syntax', 2, 6, /bad2\.jsonl:2:6: invalid JSON: Expected ':' after property name$/);
  });

  it('rejects a line that is not an object', async () => {
    await rejectsReader(readAll(tmpFile('arr.jsonl', '{"a":1}\n[1,2]\n')), 'not-an-object', 2, undefined, /line is an array, not a JSON object/);
    await rejectsReader(readAll(tmpFile('num.jsonl', '42\n')), 'not-an-object', 1, undefined, /line is a number/);
  });

  it('an empty JSONL file has no records', async () => {
    assert.deepEqual(await values(tmpFile('empty.jsonl', '')), []);
  });
});
