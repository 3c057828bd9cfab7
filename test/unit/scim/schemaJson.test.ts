import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaSet, schemaFromJson, schemaFromTypeMap, ScimSchema } from '../../../src/engine/scim';
import { readReference } from './helpers';

const URN = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';

function errorsOf(json: unknown, id?: string): string[] {
  const r = schemaFromJson(json, id);
  assert.ok('errors' in r, 'expected errors');
  return r.errors;
}

function schemaOf(json: unknown, id?: string): ScimSchema {
  const r = schemaFromJson(json, id);
  if ('errors' in r) assert.fail(r.errors.join('\n'));
  return r.schema;
}

describe('schemaFromTypeMap', () => {
  it('builds singular read-write attributes of the given types', () => {
    const { schema, errors } = schemaFromTypeMap(URN, { HireDate: 'dateTime', CostCode: 'string', Grade: 'Integer' });
    assert.deepEqual(errors, []);
    assert.equal(schema.id, URN);
    assert.deepEqual(
      schema.attributes.map((a) => [a.name, a.type, a.multiValued, a.required, a.mutability]),
      [
        ['HireDate', 'dateTime', false, false, 'readWrite'],
        ['CostCode', 'string', false, false, 'readWrite'],
        ['Grade', 'integer', false, false, 'readWrite'],
      ],
    );
  });
  it('reports bad entries and keeps the good ones', () => {
    const { schema, errors } = schemaFromTypeMap(URN, {
      HireDate: 'datetme',
      'Cost Code': 'string',
      Level: 3,
      Badge: 'complex',
      Ok: 'boolean',
      ok: 'string',
    });
    assert.deepEqual(schema.attributes.map((a) => a.name), ['Ok']);
    assert.deepEqual(errors.map((e) => e.attribute), ['HireDate', 'Cost Code', 'Level', 'Badge', 'ok']);
    assert.match(errors[0].message, /did you mean "dateTime"/);
  });
  it('rejects something that is not a URN', () => {
    const { errors } = schemaFromTypeMap('contoso', { A: 'string' });
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /not a schema URN/);
  });
});

describe('schemaFromJson', () => {
  it('reads the RFC 7643 enterprise schema document', () => {
    const json = readReference('rfc7643-8.7.1-schema-enterprise_user.ERRATA-HEAD-d5db17c.json');
    const s = schemaOf(json);
    assert.equal(s.id, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
    assert.deepEqual(s.attributes.map((a) => a.name), ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
    const manager = s.attributes[5];
    assert.deepEqual([manager.type, manager.caseExact, manager.uniqueness], ['complex', false, 'none']);
    assert.deepEqual(manager.subAttributes!.map((a) => a.name), ['value', '$ref', 'displayName']);
    assert.deepEqual(manager.subAttributes![1].referenceTypes, ['User']);
  });

  it('reads the RFC 7643 User schema document (every attribute)', () => {
    const s = schemaOf(readReference('rfc7643-8.7.1-schema-user.ERRATA-HEAD-d5db17c.json'));
    assert.equal(s.attributes.length, 21);
  });

  it('takes the URN from the mapping when the file has no id, and applies RFC defaults', () => {
    const s = schemaOf({ attributes: [{ name: 'HireDate', type: 'dateTime' }] }, URN);
    assert.equal(s.id, URN);
    assert.equal(s.name, 'User');
    assert.deepEqual(s.attributes[0], {
      name: 'HireDate',
      type: 'dateTime',
      multiValued: false,
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
      description: '',
    });
  });

  it('accepts member names and keywords in any case', () => {
    const s = schemaOf({ ID: URN, Attributes: [{ Name: 'Badge', TYPE: 'complex', multivalued: true, Mutability: 'readwrite', subattributes: [{ name: 'value', type: 'String' }] }] });
    assert.deepEqual([s.attributes[0].type, s.attributes[0].multiValued, s.attributes[0].mutability], ['complex', true, 'readWrite']);
    assert.equal(s.attributes[0].subAttributes![0].type, 'string');
    // The resulting schema plugs into a SchemaSet.
    assert.equal(createSchemaSet([s]).schema(URN), s);
  });

  const cases: Array<[string, unknown, RegExp, string?]> = [
    ['not an object', [1, 2], /JSON object/],
    ['null', null, /JSON object/],
    ['no id', { attributes: [] }, /^id: missing/],
    ['id of the wrong type', { id: 5, attributes: [] }, /^id: must be a string/],
    ['id that is no URN', { id: 'contoso', attributes: [] }, /^id: "contoso" is not a schema URN/],
    ['id that disagrees with the mapping', { id: `${URN}2`, attributes: [] }, /does not match the URN/, URN],
    ['no attributes', { id: URN }, /^attributes: missing/],
    ['attributes not an array', { id: URN, attributes: {} }, /^attributes: must be an array/],
    ['attribute not an object', { id: URN, attributes: ['x'] }, /^attributes\[0\]: must be an object/],
    ['attribute without name', { id: URN, attributes: [{ type: 'string' }] }, /^attributes\[0\]\.name: missing/],
    ['invalid name', { id: URN, attributes: [{ name: 'Hire Date', type: 'string' }] }, /not a valid attribute name/],
    ['unknown type', { id: URN, attributes: [{ name: 'a', type: 'strng' }] }, /^attributes\[0\]\.type: "strng" is not a SCIM type \(did you mean "string"\?\)/],
    ['boolean as a string', { id: URN, attributes: [{ name: 'a', type: 'string', multiValued: 'false' }] }, /multiValued: must be true or false/],
    ['bad mutability', { id: URN, attributes: [{ name: 'a', type: 'string', mutability: 'readwrit' }] }, /mutability: "readwrit" is not valid \(did you mean "readWrite"\?\)/],
    ['bad returned', { id: URN, attributes: [{ name: 'a', type: 'string', returned: 1 }] }, /returned: 1 is not valid/],
    ['bad uniqueness', { id: URN, attributes: [{ name: 'a', type: 'string', uniqueness: 'unique' }] }, /uniqueness/],
    ['canonicalValues not strings', { id: URN, attributes: [{ name: 'a', type: 'string', canonicalValues: [1] }] }, /canonicalValues: must be an array of strings/],
    ['referenceTypes on a string', { id: URN, attributes: [{ name: 'a', type: 'string', referenceTypes: ['User'] }] }, /only "reference" attributes/],
    ['complex without sub-attributes', { id: URN, attributes: [{ name: 'a', type: 'complex' }] }, /needs a non-empty array/],
    ['sub-attributes on a string', { id: URN, attributes: [{ name: 'a', type: 'string', subAttributes: [{ name: 'b', type: 'string' }] }] }, /only complex attributes/],
    [
      'nested complex',
      { id: URN, attributes: [{ name: 'a', type: 'complex', subAttributes: [{ name: 'b', type: 'complex', subAttributes: [{ name: 'c', type: 'string' }] }] }] },
      /^attributes\[0\]\.subAttributes\[0\]\.type: a sub-attribute cannot be complex/,
    ],
    ['duplicate names', { id: URN, attributes: [{ name: 'a', type: 'string' }, { name: 'A', type: 'string' }] }, /^attributes\[1\]\.name: "A" is defined twice/],
    ['description not a string', { id: URN, description: 3, attributes: [] }, /^description: must be a string/],
  ];
  for (const [title, json, pattern, id] of cases) {
    it(`rejects ${title}`, () => {
      const errors = errorsOf(json, id);
      assert.ok(errors.some((e) => pattern.test(e)), errors.join('\n'));
    });
  }

  it('reports every problem at once', () => {
    const errors = errorsOf({ attributes: [{ name: 'a', type: 'x' }, { name: '1', type: 'string' }] });
    assert.equal(errors.length, 3, errors.join('\n'));
  });
});
