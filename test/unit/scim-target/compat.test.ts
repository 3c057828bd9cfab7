/** Compatibility findings of a mapping against a server's declared schemas (no network). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadMappingFile } from '../../../src/engine/pipeline';
import { checkAgainstServer, patchOperations, splitManager, type ServerProfile } from '../../../src/targets/scim';
import { CORE_USER_URN, ENTERPRISE_USER_URN } from '../../../src/engine/types';

const HR = join(process.cwd(), 'test/fixtures/scim-target/hr.scimmap.yaml');

function profile(over: Partial<ServerProfile['config']> = {}, userAttrs = [
  { name: 'userName', type: 'string', multiValued: false },
  { name: 'active', type: 'boolean', multiValued: false },
  { name: 'displayName', type: 'string', multiValued: false },
  { name: 'title', type: 'string', multiValued: false },
  { name: 'name', type: 'complex', multiValued: false, subAttributes: [{ name: 'givenName', type: 'string', multiValued: false }, { name: 'familyName', type: 'string', multiValued: false }] },
  { name: 'emails', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string', multiValued: false }, { name: 'type', type: 'string', multiValued: false }, { name: 'primary', type: 'boolean', multiValued: false }] },
]): ServerProfile {
  return {
    scimmapServer: 1, endpoint: 'http://127.0.0.1:1/scim', fetchedAt: '',
    config: { patch: true, bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 }, filter: { supported: true, maxResults: 100 }, etag: false, ...over },
    users: { endpoint: '/Users', schema: CORE_USER_URN, extensions: [{ schema: ENTERPRISE_USER_URN, required: false }] },
    schemas: { [CORE_USER_URN]: userAttrs },
  };
}

test('no findings when the server declares everything; the unchecked extension is a warning', async () => {
  const { mapping } = await loadMappingFile(HR);
  const f = checkAgainstServer(mapping, profile());
  assert.deepEqual(f.map((x) => [x.severity, x.code]), [['warning', 'server-schema-unknown']]);
});

test('a missing attribute, a type difference, a read-only attribute and no filter support are errors', async () => {
  const { mapping } = await loadMappingFile(HR);
  const attrs = profile().schemas[CORE_USER_URN]!.filter((a) => a.name !== 'title').map((a) => (a.name === 'active' ? { ...a, type: 'string' } : a.name === 'displayName' ? { ...a, mutability: 'readOnly' } : a));
  const f = checkAgainstServer(mapping, profile({ filter: { supported: false, maxResults: 0 } }, attrs)).filter((x) => x.severity === 'error');
  assert.deepEqual(f.map((x) => [x.code, x.key]), [
    ['server-no-filter', undefined],
    ['server-type-mismatch', 'active'],
    ['server-read-only', 'displayName'],
    ['server-attribute-missing', 'title'],
  ]);
});

test('PATCH replaces exactly the carried attributes; work e-mail merged into the server\'s list by type', () => {
  const ops = patchOperations(
    { schemas: [CORE_USER_URN], externalId: 'E1', userName: 'a@x', name: { givenName: 'A' }, emails: [{ type: 'work', value: 'new@x', primary: true }], [ENTERPRISE_USER_URN]: { department: 'D' } },
    { emails: [{ type: 'home', value: 'h@x', primary: true }, { type: 'work', value: 'old@x' }] },
  );
  assert.deepEqual(ops, [
    { op: 'replace', path: 'externalId', value: 'E1' },
    { op: 'replace', path: 'userName', value: 'a@x' },
    { op: 'replace', path: 'name.givenName', value: 'A' },
    { op: 'replace', path: 'emails', value: [{ type: 'home', value: 'h@x', primary: false }, { type: 'work', value: 'new@x', primary: true }] },
    { op: 'replace', path: `${ENTERPRISE_USER_URN}:department`, value: 'D' },
  ]);
});

test('splitManager takes the manager out (and an emptied extension with its schema URN)', () => {
  const r = splitManager({ schemas: [CORE_USER_URN, ENTERPRISE_USER_URN], externalId: 'E1', [ENTERPRISE_USER_URN]: { manager: { value: 'E0' } } });
  assert.equal(r.manager, 'E0');
  assert.deepEqual(r.resource, { schemas: [CORE_USER_URN], externalId: 'E1' });
});
