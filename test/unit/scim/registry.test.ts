import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  ResolveFailure,
  ResolvedTarget,
  SchemaSet,
  createSchemaSet,
  parseTargetPath,
  resolveTargetPath,
  schemaFromTypeMap,
} from '../../../src/engine/scim';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CONTOSO = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';

function makeSet(): SchemaSet {
  const { schema, errors } = schemaFromTypeMap(CONTOSO, { HireDate: 'dateTime', CostCode: 'string' });
  assert.deepEqual(errors, []);
  return createSchemaSet([schema]);
}
const set = makeSet();

function resolve(key: string) {
  const p = parseTargetPath(key);
  if (!p.ok) assert.fail(`${key}: ${p.error.message}`);
  return resolveTargetPath(set, p.path);
}

function resolved(key: string): ResolvedTarget {
  const r = resolve(key);
  if (!r.ok) assert.fail(`${key}: ${r.kind} ${r.message}`);
  return r;
}

function failed(key: string): ResolveFailure & { text: string } {
  const r = resolve(key);
  if (r.ok) assert.fail(`${key} should not resolve`);
  return { ...r, text: key.slice(r.range.start, r.range.end) };
}

describe('SchemaSet', () => {
  it('holds core User, enterprise and custom extensions, found by URN ignoring case', () => {
    assert.equal(set.core, CORE_USER_SCHEMA);
    assert.deepEqual(set.extensions.map((s) => s.id), [ENT, CONTOSO]);
    assert.equal(set.schema(ENT.toUpperCase()), ENTERPRISE_USER_SCHEMA);
    assert.equal(set.schema(CONTOSO)!.attributes.length, 2);
    assert.deepEqual(set.common.map((a) => a.name), ['id', 'externalId', 'meta']);
  });
  it('lets a later schema with the same URN replace an earlier one', () => {
    const a = schemaFromTypeMap(CONTOSO, { A: 'string' }).schema;
    const b = schemaFromTypeMap(CONTOSO.toLowerCase(), { B: 'string' }).schema;
    const s = createSchemaSet([a, b]);
    assert.equal(s.extensions.length, 2);
    assert.equal(s.schema(CONTOSO)!.attributes[0].name, 'B');
  });
});

describe('resolveTargetPath', () => {
  it('resolves core attributes, sub-attributes and value paths with canonical spelling', () => {
    const u = resolved('USERNAME');
    assert.deepEqual([u.schema.id, u.attribute.name, u.common], [CORE_USER_SCHEMA.id, 'userName', false]);
    const g = resolved('name.GivenName');
    assert.deepEqual([g.attribute.name, g.subAttribute?.name], ['name', 'givenName']);
    const e = resolved('emails[TYPE eq "work"].Value');
    assert.deepEqual([e.attribute.name, e.subAttribute?.name], ['emails', 'value']);
    assert.equal(resolved('emails[type eq "work"]').subAttribute, undefined);
  });

  it('resolves the common attributes, bare or under the core URN', () => {
    const x = resolved('externalId');
    assert.deepEqual([x.attribute.name, x.common, x.schema.id], ['externalId', true, CORE_USER_SCHEMA.id]);
    assert.equal(resolved('meta.lastModified').subAttribute?.type, 'dateTime');
    assert.equal(resolved(`${CORE_USER_SCHEMA.id}:externalId`).attribute.name, 'externalId');
    assert.equal(resolved(`${CORE_USER_SCHEMA.id}:name.familyName`).subAttribute?.name, 'familyName');
  });

  it('resolves extension attributes under their URN', () => {
    const m = resolved(`${ENT}:manager.value`);
    assert.deepEqual([m.schema.id, m.attribute.name, m.subAttribute?.name], [ENT, 'manager', 'value']);
    const h = resolved(`${CONTOSO.toLowerCase()}:hiredate`);
    assert.deepEqual([h.schema.id, h.attribute.name, h.attribute.type], [CONTOSO, 'HireDate', 'dateTime']);
  });

  it('does not search extensions for a bare name, but suggests the URN form', () => {
    const f = failed('department');
    assert.equal(f.kind, 'unknown-attribute');
    assert.equal(f.text, 'department');
    assert.deepEqual(f.candidates, [`${ENT}:department`]);
    assert.match(f.message, /URN prefix/);
    assert.deepEqual(failed('HireDat').candidates, [`${CONTOSO}:HireDate`]);
  });

  it('suggests close names for an unknown attribute', () => {
    const f = failed('usrName');
    assert.equal(f.kind, 'unknown-attribute');
    assert.deepEqual([f.text, f.candidates[0]], ['usrName', 'userName']);
    assert.ok(f.candidates.length <= 5);
    assert.deepEqual(failed('externalID2').candidates, ['externalId']);
    const ext = failed(`${ENT}:departmnt`);
    assert.deepEqual([ext.kind, ext.text, ext.candidates], ['unknown-attribute', 'departmnt', ['department']]);
  });

  it('reports an unknown schema URN with suggestions', () => {
    const f = failed('urn:ietf:params:scim:schemas:extension:enterprize:2.0:User:department');
    assert.equal(f.kind, 'unknown-schema');
    assert.equal(f.text, 'urn:ietf:params:scim:schemas:extension:enterprize:2.0:User');
    assert.deepEqual(f.candidates, [ENT]);
    assert.equal(failed('urn:example:foo:bar').kind, 'unknown-schema');
  });

  it('reports a URN with no attribute', () => {
    const f = failed(ENT);
    assert.equal(f.kind, 'missing-attribute');
    assert.equal(f.text, ENT);
    assert.match(f.message, /add ":" and an attribute name/);
  });

  it('reports unknown sub-attributes', () => {
    const f = failed('name.givenNam');
    assert.deepEqual([f.kind, f.text, f.candidates], ['unknown-sub-attribute', 'givenNam', ['givenName']]);
    const g = failed('emails[type eq "work"].valeu');
    assert.deepEqual([g.kind, g.text, g.candidates], ['unknown-sub-attribute', 'valeu', ['value']]);
  });

  it('reports a sub-attribute of a simple attribute', () => {
    const f = failed('userName.value');
    assert.deepEqual([f.kind, f.text], ['not-complex', 'value']);
  });

  it('reports filters on singular or simple attributes', () => {
    const f = failed('name[givenName eq "x"].familyName');
    assert.deepEqual([f.kind, f.text], ['filter-on-singular', '[givenName eq "x"]']);
    const g = failed(`${ENT}:manager[value pr].value`);
    assert.equal(g.kind, 'filter-on-singular');
  });

  it('checks the attributes named inside a filter', () => {
    const f = failed('emails[tpye eq "work"].value');
    assert.deepEqual([f.kind, f.text, f.candidates], ['unknown-filter-attribute', 'tpye', ['type']]);
    const g = failed('emails[type eq "work" and value.x pr].value');
    assert.deepEqual([g.kind, g.text], ['not-complex', 'x']);
    const h = failed(`emails[${CORE_USER_SCHEMA.id}:type eq "work"].value`);
    assert.equal(h.kind, 'unknown-filter-attribute');
    assert.equal(h.text, `${CORE_USER_SCHEMA.id}:`);
    assert.ok(resolve('emails[not (type eq "home") or PRIMARY eq true].value').ok);
  });
});
