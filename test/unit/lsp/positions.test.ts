import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateEncoding, PositionCodec, utf16ToUtf8, utf8ToUtf16 } from '../../../src/lsp/positions';

describe('position encodings', () => {
  it('negotiates the first encoding the client prefers that the server speaks, utf-16 by default', () => {
    assert.equal(negotiateEncoding(undefined), 'utf-16');
    assert.equal(negotiateEncoding([]), 'utf-16');
    assert.equal(negotiateEncoding(['utf-8', 'utf-16']), 'utf-8');
    assert.equal(negotiateEncoding(['utf-32', 'utf-16', 'utf-8']), 'utf-16');
    assert.equal(negotiateEncoding(['utf-32']), 'utf-16');
  });

  it('converts columns after ASCII, ñ (2 bytes), € (3 bytes) and emoji (4 bytes, a surrogate pair)', () => {
    const line = 'añ€🎉x';
    // UTF-16 units: a=0 ñ=1 €=2 🎉=3,4 x=5; UTF-8 bytes: a=0 ñ=1 €=3 🎉=6 x=10
    const pairs: [number, number][] = [[0, 0], [1, 1], [2, 3], [3, 6], [5, 10], [6, 11]];
    for (const [u16, u8] of pairs) {
      assert.equal(utf16ToUtf8(line, u16), u8, `utf16 ${u16}`);
      assert.equal(utf8ToUtf16(line, u8), u16, `utf8 ${u8}`);
    }
    assert.equal(utf8ToUtf16(line, 7), 3, 'inside a character: its start');
    assert.equal(utf8ToUtf16(line, 99), line.length, 'clamped to the line');
  });

  it('converts a result for the client without touching the server\'s value, per document', () => {
    const lines: Record<string, string[]> = { 'file:///a': ['ñ x'], 'file:///b': ['🎉 y'] };
    const codec = new PositionCodec('utf-8', (u) => (lines[u] ? (n) => lines[u][n] : undefined));
    const value = {
      range: { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } },
      location: { uri: 'file:///b', range: { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } } },
      edit: { changes: { 'file:///b': [{ range: { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }, newText: '' }] } },
      data: { origin: { line: 0, character: 2 } },
    };
    const out = codec.toClient('file:///a', value);
    assert.deepEqual(out.range, { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } });
    assert.deepEqual(out.location.range.start, { line: 0, character: 5 });
    assert.deepEqual(out.edit.changes['file:///b'][0].range.start, { line: 0, character: 5 });
    assert.deepEqual(out.data, value.data, 'data is the server\'s own');
    assert.equal(value.range.start.character, 2, 'the original is unchanged');
    assert.deepEqual(codec.toServer('file:///a', { line: 0, character: 3 }), { line: 0, character: 2 });
    const shared = { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } };
    const list = codec.toClient('file:///a', { items: [{ textEdit: { range: shared } }, { textEdit: { range: shared } }] });
    assert.deepEqual(list.items.map((i) => i.textEdit.range.start.character), [3, 3], 'a range shared by items is converted once');
    const utf16 = new PositionCodec('utf-16', () => undefined);
    assert.equal(utf16.toClient('file:///a', value), value, 'utf-16: nothing to convert');
  });
});
