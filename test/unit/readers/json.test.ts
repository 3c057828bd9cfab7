import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReaderError, MAX_JSON_RECORD_CHARS, openRecords, readSample, type SourceRecord } from '../../../src/engine/readers';
import { readJsonArray } from '../../../src/engine/readers/json';
import { readJsonLines } from '../../../src/engine/readers/jsonl';
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

/** Feeds text in chunks of `size` characters, so that every token can straddle a chunk boundary. */
async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(gen: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

describe('JSON wrapper object (Workday RaaS)', () => {
  const workday = `{
  "Report_Entry": [
    {
      "Employee_ID": "100048",
      "Legal_Name": {"First_Name": "José", "Last_Name": "Álvarez"},
      "Phones": [{"Number": "+1 555 0100", "Type": "Work"}]
    },
    {"Employee_ID": "100049", "note": "} ] { [ \\" in a string"}
  ]
}
`;

  it('streams the records of the single array key with their lines and an `unwrapped` warning', async () => {
    const { records, warnings } = await readAll(tmpFile('workday.json', workday));
    assert.deepEqual(records, [
      {
        index: 0,
        line: 3,
        value: { Employee_ID: '100048', Legal_Name: { First_Name: 'José', Last_Name: 'Álvarez' }, Phones: [{ Number: '+1 555 0100', Type: 'Work' }] },
      },
      { index: 1, line: 8, value: { Employee_ID: '100049', note: '} ] { [ " in a string' } },
    ]);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].code, 'unwrapped');
    assert.equal(warnings[0].line, 2);
    assert.equal(warnings[0].message, 'records read from the "Report_Entry" array');
  });

  it('reads the same with any chunking (tokens split across reads)', async () => {
    const whole = await collect(readJsonArray('w.json', chunks(workday, workday.length)));
    for (const size of [1, 2, 3, 7]) {
      const warned: string[] = [];
      const got = await collect(readJsonArray('w.json', chunks(workday, size), { warn: (code, message) => warned.push(`${code}: ${message}`) }));
      assert.deepEqual(got, whole, `chunk size ${size}`);
      assert.deepEqual(warned, ['unwrapped: records read from the "Report_Entry" array']);
    }
    const escapedKey = await collect(readJsonArray('k.json', chunks('{"Re\\u0070ort \\"E\\"": [{"a":1}]}', 1), { warn: (_c, m) => assert.equal(m, 'records read from the "Report \\"E\\"" array') }));
    assert.deepEqual(escapedKey.map((r) => r.value), [{ a: 1 }]);
  });

  it('an empty wrapped array has no records (still reported)', async () => {
    const { records, warnings } = await readAll(tmpFile('wrapped-empty.json', '{"Report_Entry": []}'));
    assert.deepEqual(records, []);
    assert.deepEqual(warnings.map((w) => w.code), ['unwrapped']);
  });

  it('`unwrapped` is told apart from other reader warnings by its code', async () => {
    const s = await readSample(tmpFile('wrapped-sample.json', '{"Report_Entry": [{"a":1}]}'));
    assert.deepEqual(s.warnings, [`${tmpFile('wrapped-sample.json', '{"Report_Entry": [{"a":1}]}')}:1: records read from the "Report_Entry" array`]);
    assert.deepEqual(s.details.map((w) => w.code), ['unwrapped']);
    const csv = await readSample(tmpFile('quotes.csv', 'id,"""q"""\n1,2\n'));
    assert.equal(csv.warnings.length, 1);
    assert.notEqual(csv.details[0].code, 'unwrapped');
  });

  it('rejects a second key after the array, once its records are read', async () => {
    const p = tmpFile('two-keys.json', '{"Report_Entry": [{"a":1},{"a":2}],\n "Other": []}');
    await rejectsReader(readAll(p), 'not-an-array', 1, 35, /two-keys\.json:1:35: the top-level object has more keys after "Report_Entry"/);
    const partial = await readSample(p, { onError: 'partial' });
    assert.equal(partial.records.length, 2);
    assert.equal(partial.error?.code, 'not-an-array');
  });

  it('rejects other top-level objects, naming the wrapper form', async () => {
    await rejectsReader(readAll(tmpFile('obj-value.json', '{"Report_Entry": {"a": 1}}')), 'not-an-array', 1, 1, /key "Report_Entry" holds an object, not an array; .*\{"Report_Entry": \[\.\.\.\]\}.*JSONL/);
    await rejectsReader(readAll(tmpFile('str-value.json', '\n{"Report_Entry": "x"}')), 'not-an-array', 2, 1, /holds a string, not an array/);
    await rejectsReader(readAll(tmpFile('meta-first.json', '{"count": 2, "Report_Entry": []}')), 'not-an-array', 1, 1, /key "count" holds a number/);
    await rejectsReader(readAll(tmpFile('empty-obj.json', '{ }')), 'not-an-array', 1, 1, /empty object; expected an array of objects, or an object with a single key/);
  });

  it('reports a malformed wrapper as a syntax error', async () => {
    await rejectsReader(readAll(tmpFile('w-unclosed.json', '{"Report_Entry": [{"a":1}]\n')), 'json-syntax', 2, 1, /'\}' missing at the end/);
    await rejectsReader(readAll(tmpFile('w-unclosed2.json', '{"Report_Entry": [{"a":1}')), 'json-syntax', 1, 26, /array is not closed/);
    await rejectsReader(readAll(tmpFile('w-after.json', '{"R": []} x')), 'json-syntax', 1, 11, /after the closing '\}'/);
    await rejectsReader(readAll(tmpFile('w-nocolon.json', '{"R" []}')), 'json-syntax', 1, 6, /expected ':' after the key "R"/);
    await rejectsReader(readAll(tmpFile('w-nokey.json', '{R: []}')), 'json-syntax', 1, 2, /expected a key in double quotes/);
    await rejectsReader(readAll(tmpFile('w-badkey.json', '{"\\x": []}')), 'json-syntax', 1, 2, /invalid key in the top-level object/);
  });
});

describe('record size cap (JSON, JSONL)', () => {
  const cap = MAX_JSON_RECORD_CHARS;

  it(`is ${cap} characters, larger than CSV's`, () => {
    assert.equal(cap, 16 * 1024 * 1024);
  });

  it('fails on a JSON element over the cap, at the element, from a real file', async () => {
    const big = `{"big":"${'x'.repeat(cap)}"}`;
    await rejectsReader(readAll(tmpFile('huge.json', `[\n{"a":1},\n  ${big}\n]`)), 'record-too-large', 3, 3, new RegExp(`huge\\.json:3:3: element 2 is longer than ${cap} characters`));
  });

  it('fails on a JSONL line over the cap, at its line, from a real file', async () => {
    const big = `{"big":"${'x'.repeat(cap)}"}`;
    await rejectsReader(readAll(tmpFile('huge.jsonl', `{"a":1}\n\n${big}\n{"a":2}\n`)), 'record-too-large', 3, undefined, new RegExp(`huge\\.jsonl:3: line is longer than ${cap} characters`));
  });

  it('accepts a record of exactly the cap and refuses one character more', async () => {
    const exact = '[{"a":"' + 'x'.repeat(12) + '"}]'; // element: 20 characters
    assert.equal((await collect(readJsonArray('e.json', chunks(exact, 3), { maxRecordChars: 20 }))).length, 1);
    await rejectsReader(collect(readJsonArray('e.json', chunks(exact, 3), { maxRecordChars: 19 })), 'record-too-large', 1, 2, /element 1 is longer than 19 characters/);
    const line = '{"a":"' + 'x'.repeat(14) + '"}'; // 22 characters
    assert.equal((await collect(readJsonLines('e.jsonl', chunks(`${line}\n${line}`, 5), { maxRecordChars: 22 }))).length, 2);
    await rejectsReader(collect(readJsonLines('e.jsonl', chunks(`${line}\n${line}`, 5), { maxRecordChars: 21 })), 'record-too-large', 1, undefined, /line is longer than 21/);
    await rejectsReader(collect(readJsonLines('e.jsonl', chunks(`{}\n${line}`, 50), { maxRecordChars: 21 })), 'record-too-large', 2, undefined, /line is longer/);
  });

  it('stops reading once an endless record passes the cap', async () => {
    let pulled = 0;
    async function* endless(head: string): AsyncGenerator<string> {
      yield head;
      for (;;) {
        pulled++;
        yield 'x'.repeat(1000);
      }
    }
    await rejectsReader(collect(readJsonArray('u.json', endless('[{"a":1},\n{"open":"'), { maxRecordChars: 10_000 })), 'record-too-large', 2, 1, /element 2/);
    assert.ok(pulled <= 11, `pulled ${pulled} chunks`);
    pulled = 0;
    await rejectsReader(collect(readJsonLines('u.jsonl', endless('{"a":1}\n{"open":"'), { maxRecordChars: 10_000 })), 'record-too-large', 2, undefined, /line is longer/);
    assert.ok(pulled <= 11, `pulled ${pulled} chunks`);
  });
});

describe('nesting depth and the sample byte budget', () => {
  const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1); // `depth` levels of objects

  it('accepts 64 levels and refuses 65, at the bracket that passes, in JSON and JSONL', async () => {
    assert.equal((await collect(readJsonArray('d.json', chunks(`[${nested(64)}]`, 7)))).length, 1);
    await rejectsReader(collect(readJsonArray('d.json', chunks(`[{"id":1},\n${nested(65)}]`, 7))), 'too-deep', 2, 321, /element 2 is nested deeper than 64 levels of objects and arrays/);
    await rejectsReader(collect(readJsonArray('d.json', chunks('[{"a":' + '['.repeat(64) + ']'.repeat(64) + '}]', 5))), 'too-deep', 1, 70, /deeper than 64 levels/);
    assert.equal((await collect(readJsonLines('d.jsonl', chunks(`${nested(64)}\n`, 9)))).length, 1);
    await rejectsReader(collect(readJsonLines('d.jsonl', chunks(`{}\n${nested(65)}\n`, 9))), 'too-deep', 2, 321, /record 2 is nested deeper than 64 levels/);
    // Brackets inside strings do not count.
    assert.equal((await collect(readJsonLines('s.jsonl', chunks(`{"a":"${'['.repeat(500)}"}\n`, 9)))).length, 1);
    assert.equal((await collect(readJsonArray('s.json', chunks(`[{"a":"${'{'.repeat(500)}"}]`, 9)))).length, 1);
  });

  it('a deep record in a sample: the records before it are kept, with the error', async () => {
    const s = await readSample(tmpFile('deep-sample.json', `[{"id":"1"},{"id":"2","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`), { onError: 'partial' });
    assert.equal(s.records.length, 1);
    assert.equal(s.error?.code, 'too-deep');
  });

  it('readSample stops after the record that passes the byte budget and says why', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `{"id":"${i}","pad":"${'x'.repeat(100)}"}`).join('\n');
    const s = await readSample(tmpFile('budget.jsonl', rows), { maxBytes: 64 * 1024 });
    assert.equal(s.truncated, true);
    assert.equal(s.truncatedBy, 'bytes');
    assert.ok(s.records.length > 0 && s.records.length < 2000, String(s.records.length));
    const all = await readSample(tmpFile('budget2.jsonl', rows), { limit: 10 });
    assert.equal(all.truncatedBy, 'records');
  });
});
