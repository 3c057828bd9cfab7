import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filterEqualities, parseFilter, parseTargetPath, TargetPath, TextRange } from '../../../src/engine/scim';
import { sexpr } from './helpers';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function ok(text: string): TargetPath {
  const r = parseTargetPath(text);
  if (!r.ok) assert.fail(`${text}: ${r.error.message} at ${r.error.offset}`);
  return r.path;
}

const at = (text: string, r: TextRange | undefined) => (r ? text.slice(r.start, r.end) : undefined);

/** Path parts as the slices of the key text their ranges point at (so ranges are checked too). */
function parts(text: string) {
  const p = ok(text);
  assert.equal(at(text, p.urnRange), p.urn);
  assert.equal(at(text, p.attributeRange), p.attribute);
  assert.equal(at(text, p.subAttributeRange), p.subAttribute);
  return {
    urn: p.urn,
    attribute: p.attribute,
    filter: p.filter ? sexpr(p.filter) : undefined,
    filterText: at(text, p.filterRange),
    subAttribute: p.subAttribute,
  };
}

describe('parseTargetPath', () => {
  it('parses simple attributes and sub-attributes', () => {
    assert.deepEqual(parts('userName'), { urn: undefined, attribute: 'userName', filter: undefined, filterText: undefined, subAttribute: undefined });
    assert.deepEqual(parts('name.givenName'), { urn: undefined, attribute: 'name', filter: undefined, filterText: undefined, subAttribute: 'givenName' });
    assert.deepEqual(parts('groups.$ref').subAttribute, '$ref');
  });

  it('parses a value path with a sub-attribute', () => {
    assert.deepEqual(parts('emails[type eq "work"].value'), {
      urn: undefined,
      attribute: 'emails',
      filter: '(eq type "work")',
      filterText: '[type eq "work"]',
      subAttribute: 'value',
    });
    assert.deepEqual(parts('emails[type eq "work" and primary eq true]').filter, '(and (eq type "work") (eq primary true))');
  });

  it('splits an enterprise URN from its attribute at the last colon', () => {
    assert.deepEqual(parts(`${ENT}:manager.value`), {
      urn: ENT,
      attribute: 'manager',
      filter: undefined,
      filterText: undefined,
      subAttribute: 'value',
    });
    const custom = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';
    assert.deepEqual(parts(`${custom}:HireDate`).urn, custom);
    assert.deepEqual(parts(`${custom}:HireDate`).attribute, 'HireDate');
  });

  it('is not confused by ":" and "." inside the filter', () => {
    const key = 'urn:ietf:params:scim:schemas:core:2.0:User:emails[value co "x:y.z" and type eq "a:b"].display';
    const p = parts(key);
    assert.equal(p.urn, 'urn:ietf:params:scim:schemas:core:2.0:User');
    assert.equal(p.attribute, 'emails');
    assert.equal(p.filter, '(and (co value "x:y.z") (eq type "a:b"))');
    assert.equal(p.subAttribute, 'display');
    assert.equal(parts('addresses[type eq "work]."].locality').filter, '(eq type "work].")');
  });

  it('keeps filter node offsets relative to the whole key', () => {
    const key = 'phoneNumbers[type eq "mobile"].value';
    const p = ok(key);
    assert.equal(p.filter!.kind, 'compare');
    assert.equal(key.slice(p.filter!.start, p.filter!.end), 'type eq "mobile"');
  });

  const errors: Array<[string, string, number, number, RegExp]> = [
    ['', '', 0, 0, /empty/],
    [' userName', ' ', 0, 1, /white space/],
    ['userName ', ' ', 8, 1, /white space/],
    ['name.', '', 5, 0, /sub-attribute name/],
    ['.name', '', 0, 0, /attribute name/],
    ['name.givenName.x', '.x', 14, 2, /one sub-attribute/],
    [`${ENT}:`, '', ENT.length + 1, 0, /attribute name after/],
    ['foo:bar', 'foo', 0, 3, /not a schema URN/],
    ['1abc', '1abc', 0, 4, /not a valid attribute name/],
    ['emails[type eq "work"', '', 21, 0, /"]"/],
    ['emails[type eq work].value', 'work', 15, 4, /value/],
    ['emails[]', ']', 7, 1, /expression/],
    ['emails[type eq "work"].', '', 23, 0, /sub-attribute name/],
    ['emails[type eq "work"]value', 'v', 22, 1, /unexpected/],
    ['emails[type eq "work"].value.x', '.', 28, 1, /unexpected/],
    ['emails.value[type eq "work"]', 'value', 7, 5, /before the sub-attribute/],
    ['emails[addresses[type pr]]', '[', 16, 1, /nested/],
    ['name givenName', ' ', 4, 1, /unexpected/],
    ['#x', '#', 0, 1, /attribute name/],
  ];
  for (const [text, token, offset, length, pattern] of errors) {
    it(`rejects ${JSON.stringify(text)} at ${JSON.stringify(token)}`, () => {
      const r = parseTargetPath(text);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.deepEqual([r.error.offset, r.error.length], [offset, length], r.error.message);
      assert.equal(text.slice(offset, offset + length), token);
      assert.match(r.error.message, pattern);
    });
  }
});

describe('filterEqualities', () => {
  const eqs = (filter: string) => {
    const r = parseFilter(filter);
    assert.ok(r.ok, filter);
    return filterEqualities(r.filter);
  };
  it('collects eq comparisons joined by and', () => {
    assert.deepEqual(eqs('type eq "work"'), { type: 'work' });
    assert.deepEqual(eqs('type eq "work" and primary eq true'), { type: 'work', primary: true });
    assert.deepEqual(eqs('(type EQ "work") and (display eq "x" and n eq 2)'), { type: 'work', display: 'x', n: 2 });
  });
  it('returns undefined for anything it cannot build an element from', () => {
    for (const f of [
      'type ne "work"',
      'type eq "work" or type eq "home"',
      'not (type eq "work")',
      'type pr',
      'type eq null',
      'name.type eq "x"',
      'urn:x:y:type eq "x"',
      'type eq "work" and TYPE eq "home"',
      'value co "@"',
      'emails[type eq "work"]',
    ]) {
      assert.equal(eqs(f), undefined, f);
    }
  });
  it('works on the filter of a parsed target path', () => {
    const r = parseTargetPath('emails[type eq "work" and primary eq true].value');
    assert.ok(r.ok && r.path.filter);
    assert.deepEqual(filterEqualities(r.path.filter), { type: 'work', primary: true });
  });
});
