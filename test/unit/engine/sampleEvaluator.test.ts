import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { compileMapping } from '../../../src/engine/transform/compile';
import { SampleEvaluator } from '../../../src/engine/sample/evaluate';
import type { SampleSet } from '../../../src/engine/sample/load';

const sample: SampleSet = {
  path: '/s.csv', version: 'v1', records: [{ id: '1', n: 'Zoë' }, { id: '2', n: 'Seán' }], keys: ['1', '2'], truncated: false, fields: [], warnings: [],
};
const limits = { timeout: 50, stack: 300, sequence: 100_000 };
const text = (target: string) => `scimmap: 1\ntarget: entra\nlet:\n  up: 'function($s) { $uppercase($s) }'\nmappings:\n  externalId: id\n  active: true\n  nickName: ${target}\n`;

test('a function defined under let is not timed from when the lets were evaluated (cached lets, later target)', async () => {
  const ev = new SampleEvaluator();
  const first = await ev.evaluate(compileMapping(analyzeMappingText(text('$up(n)')), limits), sample);
  assert.deepEqual(first.targets.get('nickName')!.problems, []);
  // The lets stay cached; only the edited target is evaluated again, well past the 50 ms limit.
  await new Promise((r) => setTimeout(r, 120));
  const second = await ev.evaluate(compileMapping(analyzeMappingText(text('$up(n) & "!"')), limits), sample);
  assert.deepEqual(second.evaluated, ['nickName']);
  assert.deepEqual(second.targets.get('nickName')!.problems, []);
  assert.deepEqual(second.targets.get('nickName')!.values, ['ZOË!', 'SEÁN!']);
});

// A binding named like a built-in makes the fast path bail (it cannot know the user's function) and fall back
// to jsonata per record: that fallback must get a freshly created function too, not the cached one.
for (const [name, def, use, want] of [
  ['trim', 'function($s) { $uppercase($s) }', '$trim(n)', ['ZOË', 'SEÁN']],
  ['join', 'function($a, $b) { $a & "-" & $b }', '$join(n, id)', ['Zoë-1', 'Seán-2']],
  ['exists', 'function($s) { "yes" }', '$exists(n) & ""', ['yes', 'yes']],
] as const) {
  test(`a let function named like the built-in $${name} is re-created for a fast expression's fallback`, async () => {
    const t = (target: string) => `scimmap: 1\ntarget: entra\nlet:\n  ${name}: '${def}'\nmappings:\n  externalId: id\n  active: true\n  nickName: '${target}'\n`;
    const ev = new SampleEvaluator();
    await ev.evaluate(compileMapping(analyzeMappingText(t('n')), limits), sample);
    await new Promise((r) => setTimeout(r, 120)); // past the 50 ms timeout of the evaluation that made the function
    const compiled = compileMapping(analyzeMappingText(t(use)), limits);
    assert.equal(compiled.targets.find((x) => x.key === 'nickName')!.fast, true, 'the expression is in the fast subset');
    const r = await ev.evaluate(compiled, sample);
    assert.deepEqual(r.evaluated, ['nickName']);
    assert.deepEqual(r.targets.get('nickName')!.problems, []);
    assert.deepEqual(r.targets.get('nickName')!.values, want);
  });
}
