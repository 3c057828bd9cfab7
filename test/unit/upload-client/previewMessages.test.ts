// The preview webview's messages are untrusted input: only the known shapes get through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview } from '../../../client/src/preview/messages';

test('preview messages: known shapes pass, anything else is dropped', () => {
  assert.deepEqual(parseFromWebview({ type: 'select', index: 3 }), { type: 'select', index: 3 });
  assert.deepEqual(parseFromWebview({ type: 'bulkRequest', index: 0 }), { type: 'bulkRequest', index: 0 });
  assert.deepEqual(parseFromWebview({ type: 'copyBulkRequest', index: 2, extra: '<x>' }), { type: 'copyBulkRequest', index: 2 });
  assert.deepEqual(parseFromWebview({ type: 'send', indexes: [0, 4] }), { type: 'send', indexes: [0, 4] });
  for (const bad of [
    null, 'select', { type: 'select', index: -1 }, { type: 'select', index: 1.5 }, { type: 'bulkRequest', index: '0' },
    { type: 'send', indexes: [0, 'x'] }, { type: 'send', indexes: 3 }, { type: 'send', indexes: Array.from({ length: 10_001 }, (_, i) => i) },
    { type: 'eval', code: 'x' },
  ]) assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
});
