import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  endpointInputProblem, previousStandInPort, ProfileError, readProfiles, resolveProfile, secretKey, STAND_IN_PROFILE,
  standInProfile, suggestProfileName, tenantInputProblem, upsertProfile,
} from '../../../client/src/upload/profiles';
import { startStandIn, DEFAULT_JOB_ID } from '../../../src/targets/entra/standin';
import { clientCredentialsProvider } from '../../../src/targets/entra/upload';

const JOB = 'API2AAD.0123456789abcdef0123456789abcdef.11111111-2222-3333-4444-555555555555';
const SP = '8a1c0f6e-1111-2222-3333-444455556666';
const PORTAL = `https://graph.microsoft.com/beta/servicePrincipals/${SP}/synchronization/jobs/${JOB}/bulkUpload`;

test('readProfiles keeps valid entries and reports the others', () => {
  const { profiles, problems } = readProfiles([
    { name: 'Prod', endpoint: PORTAL, tenantId: 'contoso.onmicrosoft.com', clientId: 'app', auth: 'clientSecret' },
    { endpoint: PORTAL },
    'nope',
    { name: 'Prod', endpoint: PORTAL },
    { name: 'Odd', endpoint: PORTAL, auth: 'password' },
  ]);
  assert.deepEqual(profiles.map((p) => p.name), ['Prod', 'Odd']);
  assert.equal(profiles[1]!.auth, undefined);
  assert.equal(problems.length, 4, problems.join('\n'));
  assert.deepEqual(readProfiles(undefined), { profiles: [], problems: [] });
  assert.match(readProfiles({}).problems[0]!, /array/);
});

test('resolveProfile: portal URL, cloud sign-in host, and what is missing', () => {
  const r = resolveProfile({ name: 'Prod', endpoint: PORTAL, tenantId: 'contoso.onmicrosoft.com', clientId: 'app' });
  assert.equal(r.profile.auth, 'clientSecret');
  assert.equal(r.endpoint.jobId, JOB);
  assert.equal(r.endpoint.servicePrincipalId, SP);
  assert.equal(r.authorityHost, 'https://login.microsoftonline.com');
  const gov = resolveProfile({ name: 'Gov', endpoint: PORTAL.replace('graph.microsoft.com', 'graph.microsoft.us'), tenantId: 't', clientId: 'a' });
  assert.equal(gov.authorityHost, 'https://login.microsoftonline.us');
  const ids = resolveProfile({ name: 'Ids', servicePrincipalId: SP, jobId: JOB, tenantId: 't', clientId: 'a' });
  assert.match(ids.endpoint.url, /^https:\/\/graph\.microsoft\.com\/v1\.0\//);
  assert.throws(() => resolveProfile({ name: 'X', tenantId: 't', clientId: 'a' }), /no endpoint/);
  assert.throws(() => resolveProfile({ name: 'X', endpoint: PORTAL, clientId: 'a' }), /tenantId is required/);
  assert.throws(() => resolveProfile({ name: 'X', endpoint: PORTAL, tenantId: 't' }), /clientId/);
  assert.throws(() => resolveProfile({ name: 'X', endpoint: PORTAL, tenantId: 't', clientId: 'a', auth: 'certificate' }), /certificatePath/);
  assert.throws(() => resolveProfile({ name: 'X', endpoint: PORTAL, tenantId: 'a/b', clientId: 'a' }), /invalid tenant/);
  // Delegated sign-in needs neither tenant nor client id.
  assert.equal(resolveProfile({ name: 'Me', endpoint: PORTAL, auth: 'signIn' }).profile.auth, 'signIn');
});

test('resolveProfile refuses endpoints off the allowlist with the profile named', () => {
  for (const bad of [
    'https://evil.example.com/beta/servicePrincipals/x/synchronization/jobs/y/bulkUpload',
    'http://graph.microsoft.com/beta/servicePrincipals/x/synchronization/jobs/y/bulkUpload',
    'http://127.0.0.1/beta/servicePrincipals/x/synchronization/jobs/y/bulkUpload',
    'https://graph.microsoft.com/beta/users',
  ]) {
    assert.throws(() => resolveProfile({ name: 'Bad', endpoint: bad, tenantId: 't', clientId: 'a' }), (e: Error) => e instanceof ProfileError && /profile 'Bad'/.test(e.message), bad);
  }
});

test('input box validators', () => {
  assert.equal(endpointInputProblem(PORTAL), undefined);
  assert.equal(endpointInputProblem(`"${PORTAL}"`), undefined, 'quotes from a copy are tolerated');
  assert.match(endpointInputProblem('') ?? '', /Paste/);
  assert.match(endpointInputProblem('https://example.com/x') ?? '', /not a Microsoft Graph host/);
  assert.equal(tenantInputProblem('', false), undefined);
  assert.ok(tenantInputProblem('', true));
  assert.ok(tenantInputProblem('a b', true));
  assert.equal(tenantInputProblem('0000-aaaa', true), undefined);
});

test('secret keys differ by profile, tenant and client; never contain a secret', () => {
  const a = secretKey({ name: 'P', tenantId: 't1', clientId: 'c' });
  assert.notEqual(a, secretKey({ name: 'P', tenantId: 't2', clientId: 'c' }));
  assert.notEqual(a, secretKey({ name: 'Q', tenantId: 't1', clientId: 'c' }));
  assert.notEqual(a, secretKey({ name: 'P', tenantId: 't1', clientId: 'c' }, 'certificatePassphrase'));
});

test('upsertProfile replaces by name in place, keeps unknown fields, and appends new ones', () => {
  const list = [{ name: 'A', endpoint: 'x', note: 'keep' }, { name: STAND_IN_PROFILE, endpoint: 'old' }];
  const out = upsertProfile(list, standInProfile('http://127.0.0.1:1234/beta/servicePrincipals/s/synchronization/jobs/j/bulkUpload', 'http://127.0.0.1:1234'));
  assert.equal(out.length, 2);
  assert.deepEqual(out[0], list[0]);
  assert.match((out[1] as { endpoint: string }).endpoint, /:1234\//);
  assert.equal(upsertProfile(list, { name: 'B', endpoint: 'y' }).length, 3);
  assert.equal(list[1]!.endpoint, 'old', 'the input is not mutated');
});

test('previousStandInPort and suggestProfileName', () => {
  assert.equal(previousStandInPort([{ name: STAND_IN_PROFILE, endpoint: 'http://127.0.0.1:8400/beta/x' }]), 8400);
  assert.equal(previousStandInPort([{ name: 'Other', endpoint: 'http://127.0.0.1:8400/beta/x' }]), undefined);
  assert.equal(previousStandInPort([{ name: STAND_IN_PROFILE, endpoint: 'garbage' }]), undefined);
  const ep = resolveProfile({ name: 'x', endpoint: PORTAL, auth: 'signIn' }).endpoint;
  const first = suggestProfileName(ep, []);
  assert.equal(first, 'Entra job 11111111');
  assert.equal(suggestProfileName(ep, [{ name: first }]), 'Entra job 11111111 (2)');
});

test('the stand-in profile resolves and signs in against the stand-in with any secret (no prompt needed)', async () => {
  const s = await startStandIn();
  try {
    const r = resolveProfile(standInProfile(s.endpointUrl(DEFAULT_JOB_ID), s.authorityHost));
    assert.ok(r.endpoint.loopback);
    assert.equal(r.authorityHost, s.url);
    const token = await clientCredentialsProvider({ tenantId: r.profile.tenantId!, clientId: r.profile.clientId!, clientSecret: 'whatever-secret-1', authorityHost: r.authorityHost, scope: r.endpoint.scope }).getToken();
    assert.ok(s.issuedTokens().includes(token));
  } finally {
    await s.close();
  }
});
