import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import { compileEvaluator } from '../../../src/engine/jsonata/fast';
import { parseWithPicture, workdayDateToIso, odataV2DateToIso } from '../../../src/engine/hrDates';
import { doComplete, doHover } from '../../../src/service/features';
import { diag, mappingDoc, transformOne } from '../engine/helpers';
import { at, HEAD } from '../service/cursor';

test('$hrDate reads a picture into a UTC xsd:dateTime', () => {
  assert.deepEqual(parseWithPicture('3/16/2020', 'M/d/yyyy'), { iso: '2020-03-16T00:00:00Z' });
  assert.deepEqual(parseWithPicture('16.03.2020', 'dd.MM.yyyy'), { iso: '2020-03-16T00:00:00Z' });
  assert.deepEqual(parseWithPicture('20200316', 'yyyyMMdd'), { iso: '2020-03-16T00:00:00Z' });
  assert.deepEqual(parseWithPicture('16/3/99 14:05', 'd/M/yy HH:mm'), { iso: '1999-03-16T14:05:00Z' });
  assert.ok('error' in parseWithPicture('2/30/2020', 'M/d/yyyy'), 'February 30th');
  assert.ok('error' in parseWithPicture('2020-03-16', 'M/d/yyyy'));
  assert.ok('error' in parseWithPicture('3/16/2020x', 'M/d/yyyy'));
  assert.ok('error' in parseWithPicture('3/16/2020', 'HH:mm'));
});

test('Workday and SuccessFactors dates', () => {
  assert.equal(workdayDateToIso('2020-03-16-07:00'), '2020-03-16T07:00:00Z');
  assert.equal(workdayDateToIso('2020-03-16+01:00'), '2020-03-15T23:00:00Z');
  assert.equal(workdayDateToIso('2020-03-16Z'), '2020-03-16T00:00:00Z');
  assert.equal(workdayDateToIso('2020-03-16T08:30:00.000-07:00'), '2020-03-16T15:30:00Z');
  assert.equal(workdayDateToIso('2020-13-16'), undefined);
  assert.equal(odataV2DateToIso('/Date(1492098664000)/'), '2017-04-13T15:51:04Z');
  assert.equal(odataV2DateToIso('/Date(1492098664000+0000)/'), '2017-04-13T15:51:04Z');
  assert.equal(odataV2DateToIso('/Date(-86400000)/'), '1969-12-31T00:00:00Z');
  assert.equal(odataV2DateToIso('/Date(abc)/'), undefined);
});

test('the helpers evaluate in mappings; the fast path hands them to jsonata', async () => {
  const text = mappingDoc('  externalId: id\n  userName: email\n  title: $hrDate(hired, "M/d/yyyy")\n');
  const { result } = await transformOne(text, { id: 'E1', email: 'a@contoso.com', hired: '3/16/2020' });
  assert.deepEqual(result.errors, []);
  assert.equal((result.resource as { title?: string }).title, '2020-03-16T00:00:00Z');
  for (const [expr, input, want] of [
    ['$hrDate(d, "dd.MM.yyyy")', { d: '16.03.2020' }, '2020-03-16T00:00:00Z'],
    ['$workdayDate(d)', { d: '2020-03-16-07:00' }, '2020-03-16T07:00:00Z'],
    ['$sfDate(d)', { d: '/Date(1492098664000)/' }, '2017-04-13T15:51:04Z'],
    ['$sfDate(d)', { d: '2017-04-13T15:51:04Z' }, '2017-04-13T15:51:04Z'],
    ['$hrDate(missing, "M/d/yyyy")', { d: 'x' }, undefined],
  ] as const) {
    const e = compileEvaluator(expr);
    assert.equal(e.fast, false, `${expr}: unknown to the fast path, so jsonata evaluates it`);
    assert.equal(await e.evaluate(input, {}), want, expr);
  }
  await assert.rejects(Promise.resolve(compileEvaluator('$hrDate(d, "M/d/yyyy")').evaluate({ d: '16.03.2020' }, {})), /\$hrDate: "16\.03\.2020" does not match the picture "M\/d\/yyyy"/);
});

test('the helpers are known to the checks, completion and hover', () => {
  assert.ok(!diag(mappingDoc('  externalId: id\n  userName: $hrDate(d, "M/d/yyyy")\n')).some((d) => d.code === 'unknown-function'));
  const c = at(`${HEAD}mappings:\n  externalId: id\n  userName: $hrD|\n`);
  const items: CompletionItem[] = doComplete(c.ctx, c.position).items;
  assert.ok(items.some((i) => i.label === '$hrDate' || i.label === 'hrDate'), items.map((i) => i.label).join(', '));
  const h = at(`${HEAD}mappings:\n  externalId: id\n  userName: $workday|Date(d)\n`);
  const hover = doHover(h.ctx, h.position);
  assert.match(JSON.stringify(hover), /Workday date/);
});
