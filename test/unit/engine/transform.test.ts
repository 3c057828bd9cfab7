import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mappingDoc, transformOne } from './helpers';
import { CORE_USER_URN, ENTERPRISE_USER_URN } from '../../../src/engine/types';
import { batch, operationOf } from '../../../src/engine/transform/bulk';
import { toBulkRequests } from '../../../src/engine/pipeline';
import { DuplicateTracker } from '../../../src/engine/checks/duplicates';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { compileMapping } from '../../../src/engine/transform/compile';
import { transformRecord } from '../../../src/engine/transform/record';

const EXT = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';

test('the example of the format: every rule at once', async () => {
  const text = `scimmap: 1
name: Workday workers to Entra ID
source:
  key: WorkerID
target: entra
extensions:
  ${EXT}:
    HireDate: dateTime
    CostCode: string
let:
  domain: '"contoso.com"'
mappings:
  externalId: WorkerID
  userName: $lowercase(FirstName & "." & LastName) & "@" & $domain
  active: Status = "Active"
  name.givenName: FirstName
  emails[type eq "work"].value: WorkEmail
  emails[type eq "work"].primary: true
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value: ManagerID
  ${EXT}:HireDate: HireDate & "T00:00:00Z"
`;
  const { result, analysis } = await transformOne(text, { WorkerID: '701984', FirstName: 'Ana', LastName: 'Silva', Status: 'Active', WorkEmail: 'ana@contoso.com', ManagerID: '700001', HireDate: '2021-05-01' });
  assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(result.errors, []);
  assert.equal(result.key, '701984');
  assert.deepEqual(result.resource, {
    schemas: [CORE_USER_URN, ENTERPRISE_USER_URN, EXT],
    externalId: '701984',
    userName: 'ana.silva@contoso.com',
    active: true,
    name: { givenName: 'Ana' },
    emails: [{ type: 'work', value: 'ana@contoso.com', primary: true }],
    [ENTERPRISE_USER_URN]: { manager: { value: '700001' } },
    [EXT]: { HireDate: '2021-05-01T00:00:00Z' },
  });
});

test('undefined, null, "" and [] omit the attribute; an empty complex attribute is omitted', async () => {
  const { result } = await transformOne(mappingDoc('  externalId: id\n  active: true\n  title: missing\n  nickName: nul\n  displayName: empty\n  name.givenName: "[]"\n  name.familyName: nothing\n'), { id: '1', nul: null, empty: '' });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.resource, { schemas: [CORE_USER_URN, ENTERPRISE_USER_URN], externalId: '1', active: true });
});

test('paths with the same filter fill one element; elements keep the order of their first mapping', async () => {
  const m = mappingDoc(`  externalId: id
  active: true
  phoneNumbers[type eq "work"].value: work
  phoneNumbers[type eq "mobile"].value: mobile
  phoneNumbers[type eq "work"].primary: true
  emails[type eq "home"].value: home
`);
  // The work number is missing: its element has only the constant primary → still created (a mapped value).
  const { result } = await transformOne(m, { id: '1', mobile: '+1 555', home: 'h@x.org' });
  assert.deepEqual(result.resource.phoneNumbers, [{ type: 'work', primary: true }, { type: 'mobile', value: '+1 555' }]);
  const r2 = await transformOne(m, { id: '1', work: '+1 111', mobile: '+1 555' });
  assert.deepEqual(r2.result.resource.phoneNumbers, [{ type: 'work', value: '+1 111', primary: true }, { type: 'mobile', value: '+1 555' }]);
  assert.equal(r2.result.resource.emails, undefined, 'an element whose mapped sub-attributes are all omitted is omitted');
});

test('a filter with several equalities creates an element with all of them', async () => {
  const { result } = await transformOne(mappingDoc('  externalId: id\n  active: true\n  addresses[type eq "work" and primary eq true].locality: city\n'), { id: '1', city: 'Lyon' });
  assert.deepEqual(result.resource.addresses, [{ type: 'work', primary: true, locality: 'Lyon' }]);
});

test('canonical attribute names are emitted whatever the case in the key', async () => {
  const { result } = await transformOne(mappingDoc('  EXTERNALID: id\n  Active: true\n  Name.GivenName: n\n'), { id: '1', n: 'Zoë' });
  assert.deepEqual(result.resource, { schemas: [CORE_USER_URN, ENTERPRISE_USER_URN], externalId: '1', active: true, name: { givenName: 'Zoë' } });
});

test('no silent coercion: wrong JSON types are record errors naming the attribute', async () => {
  const m = mappingDoc(`  externalId: id
  active: status
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber: num
`, `extensions:\n  ${EXT}:\n    Level: integer\n    Start: dateTime\n`);
  const text = m.replace('mappings:\n', `mappings:\n  ${EXT}:Level: level\n  ${EXT}:Start: start\n`);
  const { result } = await transformOne(text, { id: '1', status: 'true', num: 42, level: '3', start: '2021-05-01' });
  const byAttr = Object.fromEntries(result.errors.map((e) => [e.attribute, e.code]));
  assert.deepEqual(byAttr, {
    active: 'type-mismatch',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'type-mismatch',
    [`${EXT}:Level`]: 'type-mismatch',
    [`${EXT}:Start`]: 'date-format',
  });
  for (const e of result.errors) assert.equal(e.index, 0);
  assert.match(result.errors.find((e) => e.attribute === 'active')!.message, /boolean/);
});

test('integers, decimals, dateTimes with offsets and fractions are accepted as they are', async () => {
  const text = mappingDoc(`  externalId: id\n  active: true\n  ${EXT}:Level: 3\n  ${EXT}:Ratio: 0.5\n  ${EXT}:Start: start\n`, `extensions:\n  ${EXT}:\n    Level: integer\n    Ratio: decimal\n    Start: dateTime\n`);
  const { result } = await transformOne(text, { id: '1', start: '2020-03-16T00:00:00.000-07:00' });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.resource[EXT], { Level: 3, Ratio: 0.5, Start: '2020-03-16T00:00:00.000-07:00' });
});

test('an evaluation error is a record error with the jsonata code', async () => {
  const { result } = await transformOne(mappingDoc('  externalId: id\n  active: true\n  nickName: $uppercase(t)\n'), { id: '1', t: { a: 1 } });
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0].code, 'expression-error');
  assert.equal(result.errors[0].attribute, 'nickName');
});

test('evaluation is bounded: infinite recursion stops with an error instead of hanging', async () => {
  const { result } = await transformOne(mappingDoc('  externalId: id\n  active: true\n  nickName: "($f := function($x){ $f($x) }; $f(1))"\n'), { id: '1' });
  assert.equal(result.errors[0]?.code, 'expression-error');
});

test('entra: a record without externalId fails; scim: without userName', async () => {
  const a = await transformOne(mappingDoc('  externalId: id\n  active: true\n'), {});
  assert.equal(a.result.errors[0].code, 'missing-external-id');
  const b = await transformOne(mappingDoc('  userName: u\n', '', 'scim'), {});
  assert.equal(b.result.errors[0].code, 'missing-user-name');
  const c = await transformOne(mappingDoc('  userName: u\n', '', 'scim'), { u: 'x' });
  assert.deepEqual(c.result.resource.schemas, [CORE_USER_URN], 'scim: the enterprise schema only when used');
});

test('a multi-valued attribute mapped whole takes a list or a single object', async () => {
  const m = mappingDoc(`  externalId: id\n  active: true\n  emails: '[{"value": mail, "type": "work"}]'\n  phoneNumbers: '{"value": phone, "type": "work"}'\n`);
  const { result } = await transformOne(m, { id: '1', mail: 'a@b.c', phone: '1' });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.resource.emails, [{ value: 'a@b.c', type: 'work' }]);
  assert.deepEqual(result.resource.phoneNumbers, [{ value: '1', type: 'work' }]);
  const bad = await transformOne(mappingDoc(`  externalId: id\n  active: true\n  emails: '[{"value": mail, "kind": "x"}]'\n`), { id: '1', mail: 'a@b.c' });
  assert.equal(bad.result.errors[0].code, 'type-mismatch');
  assert.match(bad.result.errors[0].message, /kind/);
});

test('bulk: at most 50 operations per request, bulkId = externalId, order kept; duplicates are errors', async () => {
  const ops = Array.from({ length: 120 }, (_, i) => operationOf({ schemas: [CORE_USER_URN], externalId: `E${i}` }, i));
  const reqs = batch(ops, 50, null);
  assert.deepEqual(reqs.map((r) => r.Operations.length), [50, 50, 20]);
  assert.equal(reqs[1].Operations[0].bulkId, 'E50');
  assert.deepEqual(Object.keys(reqs[0]), ['schemas', 'Operations', 'failOnErrors']);
  assert.equal(reqs[0].failOnErrors, null);
  assert.deepEqual(reqs[0].Operations[0], { method: 'POST', bulkId: 'E0', path: '/Users', data: { schemas: [CORE_USER_URN], externalId: 'E0' } });
  const seen = new DuplicateTracker();
  const first = { index: 0, resource: { externalId: 'X' }, errors: [] };
  const second = { index: 1, resource: { externalId: 'X' }, errors: [] as { code: string }[] };
  seen.check(first as never);
  seen.check(second as never);
  assert.equal(second.errors[0].code, 'duplicate-external-id');
});

test('let bindings see the bindings above them and the record', async () => {
  const m = mappingDoc('  externalId: id\n  active: true\n  userName: $upn\n', `let:\n  domain: '"x.org"'\n  upn: 'id & "@" & $domain'\n`);
  const { result } = await transformOne(m, { id: 'a1' });
  assert.equal(result.resource.userName, 'a1@x.org');
});

test('objects and lists that end up empty are omitted too', async () => {
  const m = mappingDoc(`  externalId: id\n  active: true\n  name: '{"givenName": g}'\n  emails: '[{"value": e}]'\n  phoneNumbers[type eq "work"]: '{"value": p}'\n`);
  const { result } = await transformOne(m, { id: '1' });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.resource, { schemas: [CORE_USER_URN, ENTERPRISE_USER_URN], externalId: '1', active: true });
});

test('scim target: RFC 7644 BulkRequests with the configured size, failOnErrors only when set', async () => {
  const run = async (extra: string) => {
    const compiled = compileMapping(analyzeMappingText(`scimmap: 1\ntarget: scim\n${extra}mappings:\n  userName: u\n  externalId: u\n`));
    async function* results() {
      for (let i = 0; i < 5; i++) yield await transformRecord(compiled, { u: `u${i}` }, i);
    }
    const out = [];
    for await (const r of toBulkRequests(results(), compiled.bulkSize, undefined, compiled.failOnErrors)) out.push(r);
    return out;
  };
  const plain = await run('bulk:\n  size: 2\n');
  assert.deepEqual(plain.map((r) => r.Operations.length), [2, 2, 1]);
  assert.equal('failOnErrors' in plain[0], false);
  assert.deepEqual(plain[0].Operations[1].data.schemas, [CORE_USER_URN]);
  const limited = await run('bulk:\n  size: 10\n  failOnErrors: 3\n');
  assert.equal(limited[0].failOnErrors, 3);
});
