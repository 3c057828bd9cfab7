import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { compileMapping } from '../../../src/engine/transform/compile';
import { SampleEvaluator } from '../../../src/engine/sample/evaluate';
import { verifyActiveFix } from '../../../src/engine/sample/fixes';
import type { SampleSet } from '../../../src/engine/sample/load';

const sampleOf = (statuses: string[]): SampleSet => ({
  path: '/s.csv', version: statuses.join(','), records: statuses.map((Status, i) => ({ id: String(i + 1), Status })), keys: statuses.map(() => undefined), truncated: false, fields: [], warnings: [],
});
const TEXT = 'scimmap: 1\ntarget: entra\nmappings:\n  externalId: id\n';

async function check(statuses: string[], expression: string) {
  const sample = sampleOf(statuses);
  const m = compileMapping(analyzeMappingText(TEXT));
  const ev = new SampleEvaluator();
  await ev.evaluate(m, sample);
  return verifyActiveFix(m, sample, ev, expression);
}

test('the Add active fix is offered with its counts when it gives booleans and some true', async () => {
  const f = await check(['Active', 'Terminated', 'Active'], 'Status = "Active"');
  assert.deepEqual(f, [{ title: `Add 'active: Status = "Active"' (true on 2, false on 1 of 3 sample records)`, expression: 'Status = "Active"' }]);
});

test('never a fix that disables every account: wrong case, or values that never match', async () => {
  assert.deepEqual(await check(['active', 'inactive', 'active'], 'Status = "Active"'), []);
  assert.deepEqual(await check(['Leave', 'Terminated'], 'Status = "Active"'), []);
});

test('not a boolean on some record, or an error: no fix', async () => {
  assert.deepEqual(await check(['Active', 'Active'], 'Status'), []);
  assert.deepEqual(await check(['Active', 'x'], '$number(Status) > 0'), []);
});
