/**
 * The provisioning app end to end against the stand-in, through the CLI: pull the schema → the custom attribute
 * the app lacks is flagged → push adds it (and a mapping) → the warning goes away → the next provisioning log sets
 * the Entra property; job status, pause (uploads staged), start (processed), permissions named on 403.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { startStandIn, StandIn } from '../../../src/targets/entra/standin';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { nodeFileHost } from '../../../src/engine/analysis/host';
import { defaultAppSchema } from '../../../src/targets/entra/app/defaultSchema';
import { appModel } from '../../../src/targets/entra/app/schema';
import { computeEntraUser, entraUserJson } from '../../../src/targets/entra/app/entraUser';
import { entraLanding } from '../../../src/service/features/entraHover';
import { tempDir } from '../../tempDirs';

const CONTOSO = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';

const MAPPING = `scimmap: 1
name: staff
source:
  sample: staff.csv
  key: Id
target: entra
app: app-schema.json
extensions:
  ${CONTOSO}:
    HireDate: dateTime
mappings:
  externalId: Id
  userName: Login & "@contoso.com"
  active: Status = "Active"
  displayName: First & " " & Last
  name.givenName: First
  name.familyName: Last
  ${CONTOSO}:HireDate: Hired & "T00:00:00-05:00"
`;

const CSV = `Id,Login,First,Last,Status,Hired
E1,ada,Ada,Lovelace,Active,2021-05-01
E2,alan,Alan,Turing,Active,2022-01-10
`;

function io(cwd: string, env: NodeJS.ProcessEnv): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: new PassThrough().on('data', (d) => (out += d)), stderr: new PassThrough().on('data', (d) => (err += d)), env, cwd, out: () => out, err: () => err };
}

async function withRig(f: (s: StandIn, dir: string, env: NodeJS.ProcessEnv) => Promise<void>, roles?: string[]): Promise<void> {
  const s = await startStandIn({ verifiedDomains: ['contoso.com'] });
  const dir = tempDir('scimmap-app-');
  try {
    writeFileSync(join(dir, 'staff.scimmap.yaml'), MAPPING);
    writeFileSync(join(dir, 'staff.csv'), CSV);
    await f(s, dir, { SCIMMAP_TOKEN: s.issueToken(roles ? { roles } : {}) });
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('pull → flagged → push → clean → the next provisioning log sets the Entra property', async () => {
  await withRig(async (s, dir, env) => {
    const mapping = join(dir, 'staff.scimmap.yaml');
    const ep = s.endpointUrl();
    const pull = io(dir, env);
    assert.equal(await runCli(['app', 'pull', mapping, '--endpoint', ep], pull), 0, pull.err());
    const saved = JSON.parse(readFileSync(join(dir, 'app-schema.json'), 'utf8'));
    assert.equal(saved.synchronizationRules[0].sourceDirectoryName, 'API');
    assert.equal(saved['@odata.context'], undefined);

    const v1 = io(dir, env);
    assert.equal(await runCli(['validate', mapping, '--no-sample'], v1), 0, v1.out());
    assert.match(v1.out(), /warning app-attribute-missing Entra ignores it: urn:ietf:params:scim:schemas:extension:contoso:1\.0:User:HireDate is not in the provisioning app's source attribute list/);

    // Before the push, an upload's HireDate is dropped: the stand-in logs no such property.
    const up1 = io(dir, env);
    assert.equal(await runCli(['upload', mapping, '--endpoint', ep, '--wait', '--poll-interval', '1'], up1), 0, up1.err() + up1.out());
    const first = [...s.users(undefinedJob(s)).values()];
    assert.equal(first.length, 2);
    assert.equal(first[0]!.properties.employeeHireDate, undefined);
    assert.equal(first[0]!.properties.givenName, 'Ada');

    const push = io(dir, env);
    const code = await runCli(['app', 'push', mapping, '--endpoint', ep, '--map', `${CONTOSO}:HireDate=employeeHireDate`, '--yes'], push);
    assert.equal(code, 0, push.err());
    assert.match(push.out(), /\+ attribute urn:ietf:params:scim:schemas:extension:contoso:1\.0:User:HireDate \(DateTime\)/);
    assert.match(push.out(), /\+ mapping \[urn:.*HireDate\] → employeeHireDate/);
    assert.match(push.out(), /refreshed /);
    assert.ok(appModel(s.appSchema()).attributes.has(`${CONTOSO}:HireDate`.toLowerCase()));

    const v2 = io(dir, env);
    await runCli(['validate', mapping, '--no-sample'], v2);
    assert.doesNotMatch(v2.out(), /app-attribute-missing|app-attribute-unused/, v2.out());

    // The Entra user as the CLI computes it now holds the property.
    const pv = io(dir, env);
    assert.equal(await runCli(['preview', mapping, '--format', 'entra'], pv), 0, pv.err());
    const users = JSON.parse(pv.out()) as Array<Record<string, unknown>>;
    assert.equal(users[0]!.employeeHireDate, '2021-05-01T00:00:00-05:00');
    assert.equal(users[0]!.employeeId, 'E1');
    assert.equal(users[0]!.accountEnabled, true);
    assert.equal(users[0]!.surname, 'Lovelace');

    const up2 = io(dir, env);
    assert.equal(await runCli(['upload', mapping, '--endpoint', ep, '--wait', '--poll-interval', '1', '--format', 'json'], up2), 0, up2.err());
    const logs = await (await fetch(`${s.url}/v1.0/auditLogs/provisioning?$filter=jobId eq '${undefinedJob(s)}'`, { headers: { Authorization: `Bearer ${env.SCIMMAP_TOKEN}` } })).json() as { value: Array<{ provisioningAction: string; modifiedProperties: Array<{ displayName: string; newValue: string }> }> };
    const updates = logs.value.filter((l) => l.provisioningAction === 'update');
    assert.equal(updates.length, 2);
    assert.deepEqual(updates[0]!.modifiedProperties.map((p) => p.displayName), ['employeeHireDate']);
    assert.equal(s.users(undefinedJob(s)).get('E1')!.properties.employeeHireDate, '2021-05-01T00:00:00-05:00');
  });
});

/** The stand-in's default job id (endpointUrl() uses it). */
function undefinedJob(s: StandIn): string {
  return decodeURIComponent(/jobs\/([^/]+)\/bulkUpload/.exec(s.endpointUrl())![1]!);
}

test('job: status, pause stages uploads without processing them, start processes them; 403 names the permission', async () => {
  await withRig(async (s, dir, env) => {
    const ep = s.endpointUrl();
    assert.equal(await runCli(['app', 'pull', join(dir, 'staff.scimmap.yaml'), '--endpoint', ep], io(dir, env)), 0);
    const st = io(dir, env);
    assert.equal(await runCli(['app', 'status', '--endpoint', ep], st), 0, st.err());
    assert.match(st.out(), /: Active/);
    assert.equal(await runCli(['app', 'pause', '--endpoint', ep], io(dir, env)), 0);
    const st2 = io(dir, env);
    await runCli(['app', 'status', '--endpoint', ep], st2);
    assert.match(st2.out(), /: Paused/);
    assert.match(st2.err(), /paused: records will be staged but not processed/);

    const up = io(dir, env);
    await runCli(['upload', join(dir, 'staff.scimmap.yaml'), '--endpoint', ep], up);
    assert.match(up.err(), /paused: records will be staged but not processed/, up.err());
    s.flushLogs();
    assert.equal(s.users(undefinedJob(s)).size, 0, 'nothing processed while paused');
    assert.equal(await runCli(['app', 'start', '--endpoint', ep], io(dir, env)), 0);
    s.flushLogs();
    assert.equal(s.users(undefinedJob(s)).size, 2, 'processed after start');

    s.setJobStatus('Quarantine');
    const q = io(dir, env);
    await runCli(['app', 'status', '--endpoint', ep], q);
    assert.match(q.err(), /quarantine/);
    assert.equal(await runCli(['app', 'restart', '--endpoint', ep], io(dir, env)), 0);
    assert.match((await statusOf(dir, env, ep)), /: Active/);
  });
  await withRig(async (s, dir, env) => {
    const x = io(dir, env);
    assert.equal(await runCli(['app', 'pull', join(dir, 'staff.scimmap.yaml'), '--endpoint', s.endpointUrl()], x), 1);
    assert.match(x.err(), /needs the Graph application permission Synchronization\.Read\.All/);
    const y = io(dir, env);
    assert.equal(await runCli(['app', 'pause', '--endpoint', s.endpointUrl()], y), 1);
    assert.match(y.err(), /Synchronization\.ReadWrite\.All/);
  }, ['SynchronizationData-User.Upload']);
});

async function statusOf(dir: string, env: NodeJS.ProcessEnv, ep: string): Promise<string> {
  const x = io(dir, env);
  await runCli(['app', 'status', '--endpoint', ep], x);
  return x.out();
}

test('diagnostics against a saved schema: unused, type mismatch, multi-valued custom, matching attribute, bad file', () => {
  const dir = tempDir('scimmap-app-diag-');
  try {
    const schema = defaultAppSchema();
    const api = schema.directories[0]!.objects[0]!.attributes;
    api.push({ name: `${CONTOSO}:HireDate`, type: 'String' }, { name: `${CONTOSO}:Badges`, type: 'String', multivalued: true });
    writeFileSync(join(dir, 'app.json'), JSON.stringify(schema));
    const text = `scimmap: 1
target: entra
app: app.json
extensions:
  ${CONTOSO}:
    HireDate: dateTime
    Badges: string
mappings:
  externalId: Id
  active: true
  ${CONTOSO}:HireDate: Hired
  ${CONTOSO}:Badges: Badge
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter: Cost
`;
    const a = analyzeMappingText(text, { filePath: join(dir, 'm.scimmap.yaml'), host: nodeFileHost });
    const codes = a.diagnostics.map((d) => `${d.code}:${d.severity}:${text.slice(d.start, d.end)}`);
    assert.ok(codes.includes(`app-type-mismatch:warning:${CONTOSO}:HireDate`), codes.join('\n'));
    assert.ok(codes.includes(`app-multivalued:warning:${CONTOSO}:Badges`), codes.join('\n'));
    assert.ok(codes.includes(`app-attribute-unused:information:${CONTOSO}:HireDate`), codes.join('\n'));
    assert.ok(codes.includes('app-attribute-unused:information:urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter'), codes.join('\n'));
    assert.ok(!codes.some((c) => c.startsWith('app-matching-unmapped')));

    const noMatch = text.replace('  externalId: Id\n', '');
    const b = analyzeMappingText(noMatch, { filePath: join(dir, 'm.scimmap.yaml'), host: nodeFileHost });
    const m = b.diagnostics.find((d) => d.code === 'app-matching-unmapped');
    assert.ok(m && m.severity === 'error' && /matches users by externalId → employeeId/.test(m.message));

    writeFileSync(join(dir, 'bad.json'), '{"directories": 3}');
    const c = analyzeMappingText(text.replace('app: app.json', 'app: bad.json'), { filePath: join(dir, 'm.scimmap.yaml'), host: nodeFileHost });
    const bad = c.diagnostics.find((d) => d.code === 'app-schema')!;
    assert.match(bad.message, /is not a provisioning app schema: directories must be an array/);
    assert.equal(text.replace('app: app.json', 'app: bad.json').slice(bad.start, bad.end), 'bad.json');
    const d = analyzeMappingText(text.replace('app: app.json', 'app: missing.json'), { filePath: join(dir, 'm.scimmap.yaml'), host: nodeFileHost });
    assert.match(d.diagnostics.find((x) => x.code === 'app-schema')!.message, /does not exist/);
    // --app overrides the mapping's app:
    const e = analyzeMappingText(text.replace('app: app.json', 'app: missing.json'), { filePath: join(dir, 'm.scimmap.yaml'), host: nodeFileHost, appPath: join(dir, 'app.json') });
    assert.ok(!e.diagnostics.some((x) => x.code === 'app-schema'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Entra user: Direct, Constant and Expression mappings; dropped attributes; computed by Entra', () => {
  const schema = defaultAppSchema();
  const om = schema.synchronizationRules[0]!.objectMappings[0]!;
  om.attributeMappings.push(
    { targetAttributeName: 'usageLocation', source: { type: 'Constant', name: 'US' }, flowType: 'Always' },
    { targetAttributeName: 'mailNickname', source: { type: 'Function', name: 'ToLower', expression: 'ToLower(Join(".", [name.givenName], [name.familyName]))' }, flowType: 'ObjectAddOnly' },
    { targetAttributeName: 'officeLocation', source: { type: 'Function', name: 'Now', expression: 'Now()' } },
  );
  const model = appModel(schema);
  const resource = {
    schemas: [], externalId: 'E1', userName: 'ada@contoso.com', active: true, name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ type: 'work', value: 'ada@contoso.com' }],
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D', manager: { value: 'E0' } },
    [CONTOSO]: { HireDate: '2021-05-01' },
  };
  const user = computeEntraUser(resource, model);
  const json = entraUserJson(user);
  assert.equal(json.employeeId, 'E1');
  assert.equal(json.userPrincipalName, 'ada@contoso.com');
  assert.equal(json.accountEnabled, true);
  assert.equal(json.mail, 'ada@contoso.com');
  assert.equal(json.department, 'R&D');
  assert.equal(json.manager, 'E0');
  assert.equal(json.usageLocation, 'US');
  assert.equal(json.mailNickname, 'ada.lovelace');
  assert.deepEqual(json.officeLocation, { computedByEntra: 'Now: the time when Entra processes the record' });
  assert.equal('title' in json, false, 'an absent source sets nothing');
  assert.deepEqual(user.dropped, [`${CONTOSO}:HireDate`]);
  const update = entraUserJson(computeEntraUser(resource, model, { creating: false }));
  assert.equal('mailNickname' in update, false, 'ObjectAddOnly applies only on creation');
});

test('hover section: expression text from the schema is shown in a fence it cannot close; ignored and unused say so', () => {
  const schema = defaultAppSchema();
  schema.synchronizationRules[0]!.objectMappings[0]!.attributeMappings.push({
    targetAttributeName: 'jobTitle2', flowType: 'ObjectAddOnly',
    source: { type: 'Function', expression: 'Append([title], "``` <script>x</script>")' },
  });
  const files = new Map([['/w/app.json', JSON.stringify(schema)]]);
  const host = { readText: (p: string) => files.get(p), exists: (p: string) => files.has(p) };
  const text = 'scimmap: 1\ntarget: entra\napp: app.json\nmappings:\n  externalId: Id\n  active: true\n  title: T\n  nickName: N\n';
  const a = analyzeMappingText(text, { filePath: '/w/m.scimmap.yaml', host });
  const md = (key: string) => entraLanding(a, a.mappings.find((m) => m.entry.key.value === key)!.entry)!;
  const title = md('title');
  assert.match(title, /sets ` jobTitle ` — Direct/);
  assert.match(title, /````\nAppend\(\[title\], "``` <script>x<\/script>"\)\n````/, 'a fence longer than any backtick run inside');
  assert.match(title, /applies only when the user is created/);
  assert.match(md('nickName'), /ignored — ` nickName ` is not in the provisioning app's source attribute list/);
  assert.match(md('externalId'), /matching attribute/);
});

test('scimmap app: usage errors, and push without --yes and no terminal refuses', async () => {
  await withRig(async (s, dir, env) => {
    const mapping = join(dir, 'staff.scimmap.yaml');
    assert.equal(await runCli(['app'], io(dir, env)), 2);
    assert.equal(await runCli(['app', 'frobnicate', '--endpoint', s.endpointUrl()], io(dir, env)), 2);
    assert.equal(await runCli(['app', 'pull', '--endpoint', s.endpointUrl()], io(dir, env)), 2);
    assert.equal(await runCli(['app', 'status'], io(dir, env)), 2);
    const evil = io(dir, env);
    assert.equal(await runCli(['app', 'status', '--endpoint', 'https://evil.example.com/v1.0/servicePrincipals/a/synchronization/jobs/b/bulkUpload'], evil), 2);
    assert.match(evil.err(), /not a Microsoft Graph host/);
    assert.equal(await runCli(['app', 'pull', mapping, '--endpoint', s.endpointUrl()], io(dir, env)), 0);
    const before = JSON.stringify(s.appSchema());
    const x = io(dir, env);
    assert.equal(await runCli(['app', 'push', mapping, '--endpoint', s.endpointUrl()], x), 1);
    assert.match(x.out(), /\+ attribute urn:.*HireDate \(DateTime\)/);
    assert.match(x.err(), /not pushed: confirm with --yes/);
    assert.equal(JSON.stringify(s.appSchema()), before, 'nothing was written');
    const declined = io(dir, env);
    declined.confirm = async () => false;
    assert.equal(await runCli(['app', 'push', mapping, '--endpoint', s.endpointUrl()], declined), 1);
    assert.equal(JSON.stringify(s.appSchema()), before);
    const bad = io(dir, env);
    assert.equal(await runCli(['app', 'push', mapping, '--endpoint', s.endpointUrl(), '--attribute', 'nope'], bad), 2);
    assert.match(bad.err(), /--attribute nope: the mapping does not send it/);
  });
});

test('app pull/push write only where a mapping may name a file: refuses outside paths, non-.json names and symlinks', async () => {
  await withRig(async (s, dir, env) => {
    const sub = join(dir, 'm');
    mkdirSync(sub);
    const write = (app: string) => writeFileSync(join(sub, 'x.scimmap.yaml'), MAPPING.replace('app: app-schema.json', `app: ${app}`));
    for (const [app, why] of [['../outside.json', /outside the mapping's folder/], ['notes.txt', /not a \.json file/], ['//host/share/a.json', /UNC/]] as const) {
      write(app);
      const x = io(dir, env);
      assert.equal(await runCli(['app', 'pull', join(sub, 'x.scimmap.yaml'), '--endpoint', s.endpointUrl()], x), 2, app);
      assert.match(x.err(), why);
    }
    writeFileSync(join(dir, 'victim.json'), 'keep');
    symlinkSync(join(dir, 'victim.json'), join(sub, 'link.json'));
    write('link.json');
    const y = io(dir, env);
    assert.equal(await runCli(['app', 'pull', join(sub, 'x.scimmap.yaml'), '--endpoint', s.endpointUrl()], y), 2);
    assert.match(y.err(), /symbolic link/);
    assert.equal(readFileSync(join(dir, 'victim.json'), 'utf8'), 'keep');
  });
});

test('userName is required for entra unless the saved app computes userPrincipalName from other attributes', () => {
  const dir = tempDir('scimmap-app-upn-');
  const text = (app: string) => `scimmap: 1\ntarget: entra\napp: ${app}\nmappings:\n  externalId: Id\n  active: true\n  displayName: Name\n`;
  const userNameError = (app: string) => analyzeMappingText(text(app), { filePath: join(dir, 'm.scimmap.yaml'), host: nodeFileHost }).diagnostics
    .filter((d) => d.code === 'missing-required' && (d.data as { attribute?: string }).attribute === 'userName');
  // The default app maps userName → userPrincipalName: without userName Entra cannot create a user.
  writeFileSync(join(dir, 'default.json'), JSON.stringify(defaultAppSchema()));
  assert.equal(userNameError('default.json').length, 1);
  // An app whose userPrincipalName is Join("", [externalId], "@contoso.com") does not read userName.
  const schema = defaultAppSchema();
  const upn = schema.synchronizationRules[0]!.objectMappings[0]!.attributeMappings.find((m) => m.targetAttributeName === 'userPrincipalName')!;
  upn.source = { type: 'Function', name: 'Join', expression: 'Join("", [externalId], "@contoso.com")', parameters: [] };
  writeFileSync(join(dir, 'joined.json'), JSON.stringify(schema));
  assert.deepEqual(userNameError('joined.json'), []);
});
