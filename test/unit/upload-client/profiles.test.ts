import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  endpointInputProblem, previousStandInPort, ProfileError, readProfiles, resolveProfile, secretKey, STAND_IN_PROFILE,
  standInProfile, suggestProfileName, tenantInputProblem, upsertProfile, userLevel,
} from '../../../client/src/upload/profiles';
import { startStandIn, DEFAULT_JOB_ID } from '../../../src/targets/entra/standin';
import { STAND_IN_CLIENT } from '../../../client/src/upload/profiles';
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
  assert.deepEqual(readProfiles(undefined), { profiles: [], scim: [], problems: [] });
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

const LOOPBACK = 'http://127.0.0.1:8400/beta/servicePrincipals/s/synchronization/jobs/j/bulkUpload';

test('the sign-in host follows the endpoint; mixtures are refused in the profile (repro: authorityHost to a local listener)', () => {
  const prod = { name: 'Contoso prod', endpoint: PORTAL, tenantId: 'contoso.onmicrosoft.com', clientId: 'app' };
  // The hostile repository's variant: same name, tenant and client, plus a sign-in host on a local listener.
  assert.throws(() => resolveProfile({ ...prod, authorityHost: 'http://127.0.0.1:8765' }), (e: Error) => e instanceof ProfileError && /public cloud.*not http:\/\/127\.0\.0\.1:8765/.test(e.message));
  for (const bad of ['https://evil.example.com', 'http://login.microsoftonline.com', 'https://login.microsoftonline.us', 'https://login.microsoftonline.com:8443', 'https://login.microsoftonline.com/tenant']) {
    assert.throws(() => resolveProfile({ ...prod, authorityHost: bad }), ProfileError, bad);
  }
  assert.equal(resolveProfile({ ...prod, authorityHost: 'https://LOGIN.microsoftonline.com/' }).authorityHost, 'https://login.microsoftonline.com');
  const china = PORTAL.replace('graph.microsoft.com', 'microsoftgraph.chinacloudapi.cn');
  assert.equal(resolveProfile({ ...prod, endpoint: china }).authorityHost, 'https://login.chinacloudapi.cn');
  assert.throws(() => resolveProfile({ ...prod, endpoint: china, authorityHost: 'https://login.microsoftonline.com' }), /china cloud/);
  // The mirror case: a loopback endpoint with the real Microsoft sign-in host (a real token over plain http).
  assert.throws(() => resolveProfile({ ...prod, endpoint: LOOPBACK, authorityHost: 'https://login.microsoftonline.com' }), /loopback endpoint signs in only on loopback/);
  assert.equal(resolveProfile({ ...prod, endpoint: LOOPBACK }).authorityHost, 'http://127.0.0.1:8400');
  // Delegated sign-in is a public-cloud Microsoft account: never to the stand-in or another cloud.
  assert.throws(() => resolveProfile({ name: 'Me', endpoint: LOOPBACK, auth: 'signIn' }), /signIn.*graph\.microsoft\.com/);
  assert.throws(() => resolveProfile({ name: 'Me', endpoint: china, auth: 'signIn' }), /china/);
});

test('upload settings are read from the user level only: workspace and folder values are ignored and reported', () => {
  const user = [{ name: 'Contoso prod', endpoint: PORTAL, tenantId: 't', clientId: 'a' }];
  const hostile = [{ name: 'Contoso prod', endpoint: PORTAL, tenantId: 't', clientId: 'a', authorityHost: 'http://127.0.0.1:8765' }];
  const r = userLevel('scimmap.upload.profiles', { globalValue: user, workspaceValue: hostile, workspaceFolderValue: hostile });
  assert.equal(r.value, user);
  assert.equal(r.ignored.length, 2);
  assert.match(r.ignored[0]!, /workspace settings is ignored/);
  const d = userLevel('scimmap.upload.defaultProfile', { workspaceValue: 'Contoso prod' });
  assert.equal(d.value, undefined, 'a workspace cannot pick the default profile');
  assert.deepEqual(userLevel('x', undefined), { value: undefined, ignored: [] });
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

test('secret keys are the full resolved identity: endpoint origin, sign-in host, tenant and client — not the name', () => {
  const base = { name: 'P', endpoint: PORTAL, tenantId: 't1', clientId: 'c' };
  const a = secretKey(resolveProfile(base));
  assert.equal(a, secretKey(resolveProfile({ ...base, name: 'Renamed' })), 'a rename keeps the secret');
  assert.notEqual(a, secretKey(resolveProfile({ ...base, tenantId: 't2' })));
  assert.notEqual(a, secretKey(resolveProfile({ ...base, clientId: 'd' })));
  assert.notEqual(a, secretKey(resolveProfile({ ...base, endpoint: LOOPBACK })), 'another endpoint host finds no secret');
  assert.notEqual(secretKey(resolveProfile({ ...base, endpoint: LOOPBACK })), secretKey(resolveProfile({ ...base, endpoint: LOOPBACK, authorityHost: 'http://127.0.0.1:9999' })), 'another sign-in host finds no secret');
  assert.notEqual(a, secretKey(resolveProfile({ ...base, endpoint: PORTAL.replace('graph.microsoft.com', 'graph.microsoft.us') })));
  assert.notEqual(a, secretKey(resolveProfile(base), 'certificatePassphrase'));
  assert.match(a, /graph\.microsoft\.com.*login\.microsoftonline\.com.*t1.*c$/);
});

test('upsertProfile replaces by name in place, keeps unknown fields, and appends new ones', () => {
  const list = [{ name: 'A', endpoint: 'x', note: 'keep' }, { name: STAND_IN_PROFILE, endpoint: 'old' }];
  const out = upsertProfile(list, standInProfile('http://127.0.0.1:1234/beta/servicePrincipals/s/synchronization/jobs/j/bulkUpload'));
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

test('the stand-in profile signs in at the stand-in with the generated secret it registered, and with no other', async () => {
  const generated = 'generated-secret-0123456789';
  const s = await startStandIn({ clients: [{ clientId: STAND_IN_CLIENT, clientSecret: generated }] });
  try {
    const r = resolveProfile(standInProfile(s.endpointUrl(DEFAULT_JOB_ID)));
    assert.ok(r.endpoint.loopback);
    assert.equal(r.authorityHost, s.url);
    const sign = (secret: string) => clientCredentialsProvider({ tenantId: r.profile.tenantId!, clientId: r.profile.clientId!, clientSecret: secret, authorityHost: r.authorityHost, endpoint: r.endpoint }).getToken();
    const token = await sign(generated);
    assert.ok(s.issuedTokens().includes(token));
    await assert.rejects(sign('whatever-secret-1'), /invalid_client|7000215/);
  } finally {
    await s.close();
  }
});
