// Which profile Send Test Upload / Plan Sync use without asking, and the picker's Entra rows (client/src/upload/profileChoice.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entraProfileRows, presetProfile } from '../../../client/src/upload/profileChoice';
import type { UploadProfile } from '../../../client/src/upload/profiles';
import type { ScimProfile } from '../../../client/src/upload/scimProfiles';
import { tempDir } from '../../tempDirs';

const JOB = 'API2AAD.0123456789abcdef0123456789abcdef.11111111-2222-3333-4444-555555555555';
const SP = '8a1c0f6e-1111-2222-3333-444455556666';
const PORTAL = `https://graph.microsoft.com/beta/servicePrincipals/${SP}/synchronization/jobs/${JOB}/bulkUpload`;
const prod: UploadProfile = { name: 'Prod', endpoint: PORTAL, tenantId: 'contoso.onmicrosoft.com', clientId: 'app' };
const test2: UploadProfile = { name: 'Test', endpoint: PORTAL, tenantId: 'contoso.onmicrosoft.com', clientId: 'app2' };
const broken: UploadProfile = { name: 'Broken', tenantId: 't', clientId: 'a' };
const local: ScimProfile = { name: 'Local', kind: 'scim', baseUrl: 'http://127.0.0.1:8080/scim/v2', auth: 'bearer' };
const env = (): NodeJS.ProcessEnv => ({ XDG_CONFIG_HOME: tempDir('scimmap-choice-'), HOME: '/nonexistent' });

test('presetProfile: the caller’s profile first, then the default setting, else ask', () => {
  const all = { profiles: [prod, test2], scim: [local] };
  assert.equal(presetProfile({ ...all, preferred: 'Test', defaultName: 'Prod' }, env())?.profile.name, 'Test');
  assert.equal(presetProfile({ ...all, defaultName: 'Prod' }, env())?.profile.name, 'Prod');
  assert.equal(presetProfile({ ...all, preferred: 'Gone', defaultName: 'Prod' }, env())?.profile.name, 'Prod', 'an unknown preferred name falls back to the default');
  assert.equal(presetProfile({ ...all, defaultName: 'Gone' }, env()), undefined);
  assert.equal(presetProfile(all, env()), undefined);
  const scim = presetProfile({ ...all, defaultName: 'Local' }, env());
  assert.ok(scim && 'kind' in scim && scim.profile.name === 'Local');
  assert.equal(presetProfile({ profiles: [prod], scim: [], defaultName: 'Local' }, env()), undefined, 'a SCIM default counts only where SCIM is offered');
});

test('presetProfile: an invalid preset is an error with the reason, not a silent other profile', () => {
  assert.throws(() => presetProfile({ profiles: [broken, prod], scim: [], defaultName: 'Broken' }, env()), /no endpoint/);
});

test('entraProfileRows: default first, where each one sends, the reason for an invalid one', () => {
  const rows = entraProfileRows([test2, broken, prod], 'Prod');
  assert.deepEqual(rows.map((r) => r.label), ['Prod', 'Test', 'Broken']);
  assert.equal(rows[0]!.description, 'default');
  assert.equal(rows[1]!.description, undefined);
  assert.equal(rows[0]!.detail, `graph.microsoft.com · job …${JOB.slice(-8)}`);
  assert.match(rows[2]!.detail, /^\$\(warning\) .*no endpoint/);
  assert.equal(rows[0]!.profile, prod);
});
