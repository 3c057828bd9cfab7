import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter, FilterNode } from '../../../src/engine/scim';
import { nodes, readReference, sexpr } from './helpers';

const VALID = readReference<string[]>('unboundid_valid_filters.json');
const INVALID = readReference<string[]>('unboundid_invalid_filters.json');

function parse(text: string): FilterNode {
  const r = parseFilter(text);
  if (!r.ok) assert.fail(`${JSON.stringify(text)}: ${r.error.message} at ${r.error.offset}`);
  return r.filter;
}

function error(text: string) {
  const r = parseFilter(text);
  assert.equal(r.ok, false, `${JSON.stringify(text)} should be rejected`);
  return (r as Extract<typeof r, { ok: false }>).error;
}

describe('UnboundID filter vectors', () => {
  it('has the expected number of vectors', () => {
    assert.equal(VALID.length, 34);
    assert.equal(INVALID.length, 38);
  });
  for (const text of VALID) {
    it(`accepts ${JSON.stringify(text)}`, () => {
      const f = parse(text);
      // Every node's range lies inside the text and the source there is non-empty.
      for (const n of nodes(f)) {
        assert.ok(n.start >= 0 && n.start < n.end && n.end <= text.length, `${n.kind} [${n.start},${n.end})`);
      }
    });
  }
  for (const text of INVALID) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const e = error(text);
      assert.ok(e.message.length > 0);
      assert.ok(e.offset >= 0 && e.length >= 0 && e.offset + e.length <= text.length, `offset ${e.offset}+${e.length} in ${text.length}`);
    });
  }
});

describe('filter precedence and AST shape', () => {
  const cases: Array<[string, string]> = [
    ['title pr and email pr or userType pr', '(or (and (pr title) (pr email)) (pr userType))'],
    ['title pr or email pr and userType pr', '(or (pr title) (and (pr email) (pr userType)))'],
    ['(title pr or email pr) and userType pr', '(and (or (pr title) (pr email)) (pr userType))'],
    ['title pr and not (email pr or userType pr)', '(and (pr title) (not (or (pr email) (pr userType))))'],
    ['not (title pr or email pr) and userType pr', '(and (not (or (pr title) (pr email))) (pr userType))'],
    ['a pr and b pr and c pr', '(and (and (pr a) (pr b)) (pr c))'],
    ['a pr or b pr or c pr', '(or (or (pr a) (pr b)) (pr c))'],
    ['userName Eq "john"', '(eq userName "john")'],
    ['title pr AND userType pr', '(and (pr title) (pr userType))'],
    ['urn:extension:members eq 25.52', '(eq urn:extension:members 25.52)'],
    ['urn:extension:isActive eq false', '(eq urn:extension:isActive false)'],
    ['x eq null', '(eq x null)'],
    ['x gt -1.5e3', '(gt x -1500)'],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', '(gt meta.lastModified "2011-05-13T04:42:34Z")'],
    [
      'emails[type eq "work" and value co "@"]',
      '(emails[] (and (eq type "work") (co value "@")))',
    ],
    [
      'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O\'Malley"',
      '(co urn:ietf:params:scim:schemas:core:2.0:User:name.familyName "O\'Malley")',
    ],
    ['members[$ref eq "x"]', '(members[] (eq $ref "x"))'],
    ['not(a pr)', '(not (pr a))'],
  ];
  for (const [text, expected] of cases) {
    it(text, () => assert.equal(sexpr(parse(text)), expected));
  }

  it('decodes JSON string escapes', () => {
    const f = parse('userName co "\\ufe00\\"\\n\\t\\\\\\/"');
    assert.equal(f.kind, 'compare');
    if (f.kind === 'compare') assert.equal(f.value.value, '\ufe00"\n\t\\/');
  });

  it('keeps source offsets on every node', () => {
    const text = ' (title pr) and not (userType eq "Employee") ';
    const f = parse(text);
    assert.equal(f.kind, 'and');
    if (f.kind !== 'and') return;
    // The logical node spans the parentheses of its left operand.
    assert.deepEqual([f.start, f.end], [1, text.length - 1]);
    assert.equal(text.slice(f.left.start, f.left.end), 'title pr');
    assert.equal(f.right.kind, 'not');
    if (f.right.kind !== 'not' || f.right.filter.kind !== 'compare') return assert.fail('shape');
    const cmp = f.right.filter;
    assert.equal(text.slice(cmp.start, cmp.end), 'userType eq "Employee"');
    assert.equal(text.slice(cmp.opRange.start, cmp.opRange.end), 'eq');
    assert.equal(text.slice(cmp.value.start, cmp.value.end), '"Employee"');
    assert.equal(cmp.value.raw, '"Employee"');
    assert.equal(text.slice(cmp.path.attributeRange.start, cmp.path.attributeRange.end), 'userType');
  });

  it('gives URN, attribute and sub-attribute ranges of an attribute path', () => {
    const text = 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName pr';
    const f = parse(text);
    if (f.kind !== 'present') return assert.fail('shape');
    const p = f.path;
    assert.equal(p.urn, 'urn:ietf:params:scim:schemas:core:2.0:User');
    assert.equal(text.slice(p.urnRange!.start, p.urnRange!.end), p.urn);
    assert.equal(text.slice(p.attributeRange.start, p.attributeRange.end), 'name');
    assert.equal(text.slice(p.subAttributeRange!.start, p.subAttributeRange!.end), 'givenName');
  });
});

describe('filter error positions', () => {
  const cases: Array<[string, string, number, number, RegExp?]> = [
    // text, token at the error (or '' for end of text), offset, length, message pattern
    ['', '', 0, 0, /empty/],
    ['foo', '', 3, 0, /operator/],
    ['userName lte "x"', 'lte', 9, 3, /unknown operator/],
    ['userName bad "john"', 'bad', 9, 3, /unknown operator/],
    ['userName eq', '', 11, 0, /value/],
    ["userName eq 'bjensen'", "'", 12, 1, /double quotes/],
    ['userName eq "bjensen', '"bjensen', 12, 8, /unterminated/],
    ['userName eq "\\a"', '\\a', 13, 2, /escape/],
    ['userName co "\\ufe" or userName co "a"', '\\ufe', 13, 4, /hexadecimal/],
    ['userName eq bjensen', 'bjensen', 12, 7, /value/],
    ['userName eq True', 'True', 12, 4, /lower case/],
    ['userName eq ("john")', '(', 12, 1, /value/],
    ['(userName eq "john"', '', 19, 0, /close/],
    ['userName eq "john")', ')', 18, 1, /unmatched/],
    ['userName eq "john" userName pr', 'userName', 19, 8, /"and" or "or"/],
    ['userName pr and', '', 15, 0, /expression/],
    ['and or', 'and', 0, 3, /expression/],
    ['not userName pr', 'not', 0, 3, /parenthesized/],
    ['userName[])', ']', 9, 1, /expression/],
    ['userName[userName[bar pr]]', '[', 17, 1, /nested/],
    ['userName[userName pr)', ')', 20, 1, /"]"/],
    ['[value eq "false"]', '[', 0, 1, /expression/],
    ['x eq 01', '01', 5, 2, /number/],
    ['x eq 5abc', '5abc', 5, 4, /number/],
    ['name. pr', '', 5, 0, /sub-attribute/],
    ['a.b.c pr', '.c', 3, 2, /one sub-attribute/],
    ['x eq "a\u0001"', '\u0001', 7, 1, /control/],
  ];
  for (const [text, token, offset, length, pattern] of cases) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(token)} at ${offset}`, () => {
      const e = error(text);
      assert.deepEqual({ offset: e.offset, length: e.length }, { offset, length }, e.message);
      assert.equal(text.slice(e.offset, e.offset + e.length), token);
      if (pattern) assert.match(e.message, pattern);
    });
  }

  it('never throws, whatever the input', () => {
    const alphabet = ['a', ' ', '(', ')', '[', ']', '"', '\\', 'eq', 'pr', 'and', 'not', ':', '.', '1', '-', 'u'];
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 12;
      for (let j = 0; j < n; j++) s += alphabet[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length];
      const r = parseFilter(s);
      if (!r.ok) assert.ok(r.error.offset >= 0 && r.error.offset + r.error.length <= s.length, s);
    }
  });
});
