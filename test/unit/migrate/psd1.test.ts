import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineCol, parsePsd1, Psd1Error, PsValue } from '../../../src/migrate/csv2scim/psd1';

/** The parsed value without spans, for compact assertions. */
function plain(v: PsValue): unknown {
  switch (v.kind) {
    case 'hashtable': return Object.fromEntries(v.entries.map((e) => [e.key, plain(e.value)]));
    case 'array': return v.items.map(plain);
    case 'scriptblock': return { block: v.text.trim() };
    case 'null': return null;
    default: return v.value;
  }
}

test('hashtables, nesting, arrays, strings, numbers, booleans and $null', () => {
  const v = parsePsd1(`@{
    externalId = 'WorkerID'
    "urn:x:User" = @{ a = 'A'; b = "B" }
    list = @( @{ type = { 'work' } }, @{ type = { 'home' } } )
    comma = 'a', 'b',
      'c'
    n = 42; f = -1.5
    t = $true; F = $FALSE; z = $null
    'quoted key' = 'x'
  }`);
  assert.deepEqual(plain(v), {
    externalId: 'WorkerID',
    'urn:x:User': { a: 'A', b: 'B' },
    list: [{ type: { block: "'work'" } }, { type: { block: "'home'" } }],
    comma: ['a', 'b', 'c'],
    n: 42, f: -1.5,
    t: true, F: false, z: null,
    'quoted key': 'x',
  });
});

test("string escapes: '' in single quotes, `` ` `` and \"\" in double quotes; here-strings", () => {
  const v = parsePsd1(`@{ a = 'O''Brien'; b = "tab\`there ""q"""; c = @'\nline one\nline 'two'\n'@\n}`);
  assert.deepEqual(plain(v), { a: "O'Brien", b: 'tab\there "q"', c: "line one\nline 'two'" });
});

test('comments (line and block) are skipped and kept for the entry below them', () => {
  const v = parsePsd1(`# file header\n@{\n  # the HR id\n  externalId = 'WorkerID' # trailing\n  <# block\n  comment #>\n  userName = 'UPN'\n}`);
  assert.equal(v.kind, 'hashtable');
  if (v.kind !== 'hashtable') return;
  assert.deepEqual(v.entries.map((e) => e.key), ['externalId', 'userName']);
  assert.deepEqual(v.entries[0].comments, ['the HR id']);
  assert.ok(v.entries[1].comments.includes('comment #>'.replace(' #>', '')) || v.entries[1].comments.join(' ').includes('comment'));
});

test('script blocks keep their text; braces inside strings and comments do not end them', () => {
  const v = parsePsd1(`@{ a = { if ($_.'X' -eq '}') { '{' } else { "}" } # }\n } }`);
  assert.equal(v.kind, 'hashtable');
  if (v.kind !== 'hashtable') return;
  const block = v.entries[0].value;
  assert.equal(block.kind, 'scriptblock');
  if (block.kind === 'scriptblock') assert.match(block.text, /else \{ "\}" \} # \}\n $/);
});

test('a UTF-8 BOM is accepted', () => {
  assert.deepEqual(plain(parsePsd1(`\uFEFF@{ a = 'b' }`)), { a: 'b' });
});

const errors: Array<[string, RegExp, string]> = [
  [`@{ a = 'b'`, /never closed/, '1:1'],
  [`@{ a 'b' }`, /`=` expected/, '1:6'],
  [`@{ a = $env:X }`, /variable/, '1:8'],
  [`@{ a = b }`, /strings need quotes/, '1:8'],
  [`@{ a = 'b\n}`, /never closed/, '1:8'],
  [`@{ a = { 'x' }`, /never closed/, '1:1'],
  [`@{ a = 'b' } extra`, /after the top-level value/, '1:14'],
  [`<# open`, /never closed/, '1:1'],
  [`@{ a = 'b' 'c' }`, /new line or `}` expected/, '1:12'],
];
for (const [text, why, where] of errors) {
  test(`syntax error with its place: ${JSON.stringify(text)}`, () => {
    assert.throws(() => parsePsd1(text), (e: unknown) => {
      assert.ok(e instanceof Psd1Error);
      assert.match(e.message, why);
      const { line, column } = lineCol(text, e.offset);
      assert.equal(`${line}:${column}`, where);
      return true;
    });
  });
}

test('nesting is bounded: a deep file is refused, not recursed into', () => {
  const deep = '@{ a = '.repeat(200) + "'x'" + ' }'.repeat(200);
  assert.throws(() => parsePsd1(deep), /nested deeper than 64/);
});

// A quadratic scan of these inputs takes minutes (the suite would stall); a linear one milliseconds.
test('long inputs parse in linear time (200,000 characters of quotes, spaces, comments)', () => {
  assert.deepEqual(plain(parsePsd1(`@{ a = '${"''".repeat(100_000)}' }`)), { a: "'".repeat(100_000) });
  assert.deepEqual(plain(parsePsd1(`@{${' '.repeat(200_000)}a = 'b' }`)), { a: 'b' });
  assert.deepEqual(plain(parsePsd1(`@{ ${'# c\n'.repeat(50_000)} a = 'b' }`)), { a: 'b' });
  assert.throws(() => parsePsd1(`@{ a = { ${'{'.repeat(200_000)} }`), Psd1Error);
});
