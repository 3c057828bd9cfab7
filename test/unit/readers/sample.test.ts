import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jsonata from 'jsonata';
import { ReaderError, fieldPath, inferFields, readSample, type SourceRecord } from '../../../src/engine/readers';
import { tmpFile } from './helpers';

const rec = (index: number, value: Record<string, unknown>): SourceRecord => ({ index, value });

describe('readSample', () => {
  const csv = 'id,name\n' + Array.from({ length: 50 }, (_, i) => `${i},n${i}`).join('\n') + '\n';

  it('stops after the limit and says the file was truncated', async () => {
    const r = await readSample(tmpFile('s.csv', csv), { limit: 10 });
    assert.equal(r.records.length, 10);
    assert.equal(r.truncated, true);
    assert.deepEqual(r.records[9].value, { id: '9', name: 'n9' });
    assert.deepEqual(r.header, ['id', 'name']);
    assert.deepEqual(r.warnings, []);
  });

  it('is not truncated when the file has exactly `limit` records', async () => {
    const r = await readSample(tmpFile('s50.csv', csv), { limit: 50 });
    assert.equal(r.records.length, 50);
    assert.equal(r.truncated, false);
  });

  it('does not read past the limit (a later error is never reached)', async () => {
    const r = await readSample(tmpFile('later-error.csv', csv + '1,2,3\n'), { limit: 5 });
    assert.equal(r.records.length, 5);
    assert.equal(r.truncated, true);
  });

  it('throws a ReaderError by default, or returns what it read with onError: partial', async () => {
    const p = tmpFile('bad.csv', 'a,b\n1,2\n3,4\n5\n');
    await assert.rejects(readSample(p), ReaderError);
    const r = await readSample(p, { onError: 'partial' });
    assert.equal(r.records.length, 2);
    assert.equal(r.error?.code, 'ragged-row');
    assert.equal(r.error?.line, 4);
  });

  it('returns warnings as formatted strings', async () => {
    const r = await readSample(tmpFile('q.csv', 'a,"b""x"\n1,2\n'));
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /q\.csv:1: header name "b\\"x" contains quote characters/);
  });
});

describe('inferFields', () => {
  const records = [
    rec(0, { id: '1', Personal: { First: 'José', 'Last Name': 'Álvarez' }, Phones: [{ Type: 'work', Number: '+1 555' }], tags: ['a', 'b'], age: 33 }),
    rec(1, { id: '2', Personal: { First: 'Zoë' }, Phones: [], tags: [], age: null, and: 'x' }),
    rec(2, { id: '3', Personal: { First: '' }, Phones: [{ Type: 'mobile' }, { Type: 'work', Number: '' }], age: '41' }),
    rec(3, { id: '3', Personal: { First: 'Seán' } }),
  ];
  const fields = inferFields(records);
  const byPath = new Map(fields.map((f) => [f.path, f]));

  it('lists every path in order of first appearance', () => {
    assert.deepEqual(fields.map((f) => f.path), [
      'id', 'Personal', 'Personal.First', 'Personal.`Last Name`', 'Phones', 'Phones[]', 'Phones[].Type', 'Phones[].Number',
      'tags', 'tags[]', 'age', '`and`',
    ]);
    assert.deepEqual(byPath.get('Personal.`Last Name`')?.segments, ['Personal', 'Last Name']);
    assert.deepEqual(byPath.get('Phones[].Number')?.segments, ['Phones', '[]', 'Number']);
  });

  it('collects types, up to 3 distinct examples, and present/empty counts', () => {
    assert.deepEqual(byPath.get('id'), { path: 'id', segments: ['id'], types: ['string'], examples: ['1', '2', '3'], present: 4, empty: 0 });
    const first = byPath.get('Personal.First');
    assert.deepEqual(first?.examples, ['José', 'Zoë', 'Seán']);
    assert.equal(first?.present, 3);
    assert.equal(first?.empty, 1);
    assert.deepEqual(byPath.get('age')?.types, ['number', 'null', 'string']);
    assert.equal(byPath.get('age')?.empty, 2);
    assert.deepEqual(byPath.get('Phones')?.types, ['array']);
    assert.equal(byPath.get('Phones')?.present, 2);
    assert.deepEqual(byPath.get('Phones[].Number')?.examples, ['+1 555']);
    assert.equal(byPath.get('Phones[].Number')?.present, 1);
    assert.equal(byPath.get('Phones[].Type')?.present, 2);
    assert.deepEqual(byPath.get('tags[]')?.types, ['string']);
    assert.equal(byPath.get('`and`')?.empty, 3);
  });

  it('produces paths that are valid JSONata selecting the field', async () => {
    const value = records[0].value;
    assert.equal(await jsonata(fieldPath(['Personal', 'Last Name'])).evaluate(value), 'Álvarez');
    assert.deepEqual([...((await jsonata('Phones[].Number').evaluate(value)) as string[])], ['+1 555']);
    assert.equal(await jsonata('`and`').evaluate(records[1].value), 'x');
  });

  it('returns nothing for no records', () => {
    assert.deepEqual(inferFields([]), []);
  });
});
