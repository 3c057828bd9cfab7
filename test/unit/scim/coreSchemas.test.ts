import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  COMMON_ATTRIBUTES,
  CORE_GROUP_SCHEMA,
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  ScimAttribute,
  ScimSchema,
} from '../../../src/engine/scim';
import { readReference } from './helpers';

interface RefAttribute {
  name: string;
  type?: string;
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: string;
  returned?: string;
  uniqueness?: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: RefAttribute[];
  description?: string;
}
interface RefSchema {
  id: string;
  name: string;
  attributes: RefAttribute[];
}

/** The facts of an attribute, with RFC 7643 §2.2 defaults for characteristics the JSON leaves out. */
function refFacts(a: RefAttribute): unknown {
  return {
    name: a.name,
    type: a.type ?? 'string',
    multiValued: a.multiValued ?? false,
    required: a.required ?? false,
    caseExact: a.caseExact ?? false,
    mutability: a.mutability ?? 'readWrite',
    returned: a.returned ?? 'default',
    uniqueness: a.uniqueness ?? 'none',
    canonicalValues: a.canonicalValues?.length ? a.canonicalValues : undefined,
    referenceTypes: a.referenceTypes?.length ? a.referenceTypes : undefined,
    subAttributes: a.subAttributes ? [...a.subAttributes].sort(byName).map(refFacts) : undefined,
  };
}

function ourFacts(a: ScimAttribute): unknown {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
    canonicalValues: a.canonicalValues,
    referenceTypes: a.referenceTypes,
    subAttributes: a.subAttributes ? [...a.subAttributes].sort(byName).map(ourFacts) : undefined,
  };
}

function byName(x: { name: string }, y: { name: string }): number {
  return x.name.localeCompare(y.name);
}

function walk<T extends { subAttributes?: T[] }>(list: T[], prefix = ''): Array<[string, T]> {
  return list.flatMap((a: T & { name?: string }) => {
    const p = prefix + (a as { name: string }).name;
    return [[p, a] as [string, T], ...walk(a.subAttributes ?? [], `${p}.`)];
  });
}

const PAIRS: Array<[string, ScimSchema]> = [
  ['rfc7643-8.7.1-schema-user.ERRATA-HEAD-d5db17c.json', CORE_USER_SCHEMA],
  ['rfc7643-8.7.1-schema-group.ERRATA-HEAD-d5db17c.json', CORE_GROUP_SCHEMA],
  ['rfc7643-8.7.1-schema-enterprise_user.ERRATA-HEAD-d5db17c.json', ENTERPRISE_USER_SCHEMA],
];

describe('core schemas conform to RFC 7643 §8.7.1 (errata)', () => {
  for (const [file, ours] of PAIRS) {
    const ref = readReference<RefSchema>(file);
    describe(ref.name, () => {
      it('has the same id and name', () => {
        assert.equal(ours.id, ref.id);
        assert.equal(ours.name, ref.name);
      });
      it('has the same attributes in the same order', () => {
        assert.deepEqual(ours.attributes.map((a) => a.name), ref.attributes.map((a) => a.name));
      });
      for (const r of ref.attributes) {
        it(`${r.name}: every characteristic and sub-attribute matches`, () => {
          const a = ours.attributes.find((x) => x.name === r.name);
          assert.ok(a, `missing ${r.name}`);
          assert.deepEqual(ourFacts(a), refFacts(r));
        });
      }
      it('describes every attribute in our own words', () => {
        const refByPath = new Map(walk(ref.attributes));
        for (const [path, a] of walk(ours.attributes)) {
          assert.ok(a.description.trim().length > 0, `${path} has no description`);
          const theirs = refByPath.get(path)?.description ?? '';
          assert.notEqual(a.description, theirs, `${path} copies the RFC description`);
          assert.ok(!theirs.includes(a.description.slice(0, 30)) || a.description.length < 12, `${path} quotes the RFC`);
        }
      });
    });
  }
});

describe('common attributes', () => {
  const by = (n: string) => COMMON_ATTRIBUTES.find((a) => a.name === n)!;
  it('id is read-only, server-unique, case-exact and always returned', () => {
    const id = by('id');
    assert.deepEqual(
      [id.type, id.mutability, id.uniqueness, id.caseExact, id.returned, id.multiValued],
      ['string', 'readOnly', 'server', true, 'always', false],
    );
  });
  it('externalId is read-write and case-exact, with an Entra note', () => {
    const e = by('externalId');
    assert.deepEqual([e.type, e.mutability, e.caseExact], ['string', 'readWrite', true]);
    assert.match(e.entra ?? '', /employeeId/);
  });
  it('meta is a read-only complex attribute with the five RFC sub-attributes', () => {
    const m = by('meta');
    assert.equal(m.type, 'complex');
    assert.equal(m.mutability, 'readOnly');
    assert.deepEqual(
      m.subAttributes!.map((s) => [s.name, s.type, s.mutability]),
      [
        ['resourceType', 'string', 'readOnly'],
        ['created', 'dateTime', 'readOnly'],
        ['lastModified', 'dateTime', 'readOnly'],
        ['location', 'reference', 'readOnly'],
        ['version', 'string', 'readOnly'],
      ],
    );
  });
});

describe('Entra notes', () => {
  const user = (n: string) => CORE_USER_SCHEMA.attributes.find((a) => a.name === n)!;
  const ent = (n: string) => ENTERPRISE_USER_SCHEMA.attributes.find((a) => a.name === n)!;
  it('covers the attributes Entra uses or treats specially', () => {
    for (const n of ['userName', 'active', 'displayName', 'name', 'emails', 'phoneNumbers', 'addresses', 'title', 'userType', 'preferredLanguage', 'groups']) {
      assert.ok(user(n).entra, `${n} has no Entra note`);
    }
    for (const n of ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']) {
      assert.ok(ent(n).entra, `${n} has no Entra note`);
    }
  });
  it('warns about active, userName domains and manager.value', () => {
    assert.match(user('active').entra!, /disabled/);
    assert.match(user('userName').entra!, /verified domain/);
    assert.match(ent('manager').subAttributes!.find((s) => s.name === 'value')!.entra!, /externalId/);
    assert.match(user('groups').entra!, /not provisioned/);
  });
});
