/** The provisioning-app pieces on their own: .NET formats, the regex screen, the push plan, the stand-in's schema and job endpoints, hostile schemas. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDate, parseExact, parseLenient } from '../../../src/targets/entra/expressions/dotnetDate';
import { compileDotNetRegex, expandReplacement } from '../../../src/targets/entra/expressions/regex';
import { evaluateExpressionText } from '../../../src/targets/entra/expressions';
import { defaultAppSchema } from '../../../src/targets/entra/app/defaultSchema';
import { planPush } from '../../../src/targets/entra/app/push';
import { appModel, AppSchemaError, parseAppSchema } from '../../../src/targets/entra/app/schema';
import { startStandIn } from '../../../src/targets/entra/standin';

test('.NET custom formats: format and exact parse, quotes, escapes, AM/PM, offsets, invalid dates', () => {
  const t = Date.UTC(2024, 2, 7, 21, 5, 1, 250);
  assert.equal(formatDate(t, 'yyyy-MM-ddTHH:mm:ss.fffK'), '2024-03-07T21:05:01.250Z');
  assert.equal(formatDate(t, 'M/d/yyyy h:mm:ss tt'), '3/7/2024 9:05:01 PM');
  assert.equal(formatDate(t, "dddd, MMMM d 'at' H\\h"), 'Thursday, March 7 at 21h');
  assert.equal(formatDate(t, 'yy MMM dd zzz'), '24 Mar 07 +00:00');
  assert.equal(formatDate(t, 'yyyy %Q'), '2024 Q', 'Q is no .NET specifier: a literal');
  assert.equal(formatDate(t, 'ss.ffffffff'), undefined, 'more than 7 f: .NET refuses the format');
  assert.equal(parseExact('2020-12-31-08:00', 'yyyy-MM-ddzzz'), Date.UTC(2020, 11, 31, 8));
  assert.equal(parseExact(' 12/31/2020 10:00:00 PM ', 'M/d/yyyy hh:mm:ss tt'), Date.UTC(2020, 11, 31, 22));
  assert.equal(parseExact('12/31/2020 12:30:00 AM', 'M/d/yyyy hh:mm:ss tt'), Date.UTC(2020, 11, 31, 0, 30));
  assert.equal(parseExact('2021-02-31', 'yyyy-MM-dd'), undefined, '31 February');
  assert.equal(parseExact('2021-02-01x', 'yyyy-MM-dd'), undefined, 'trailing text');
  assert.equal(parseLenient('2021-08-24'), Date.UTC(2021, 7, 24));
  assert.equal(parseLenient('2021-08-24T10:11:12.5+02:00'), Date.UTC(2021, 7, 24, 8, 11, 12, 500));
  assert.equal(parseLenient('24.08.2021'), undefined);
});

test('regex screen: runs the documented patterns, refuses catastrophic and .NET-only ones', () => {
  for (const ok of ['\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})', '[()\\s-]+', '(?<streetNumber>^\\d*)', '(?<Suffix>@(.)*)', '[a-zA-Z_]*', '(ab)?c', '(?:x{2})+']) {
    assert.equal(compileDotNetRegex(ok).ok, true, ok);
  }
  for (const bad of ['(a+)+$', '(a|b)*c', '(?:a*)*', '(x+x+)+y', '(\\w)\\1', '\\k<n>', '(?i)a', '(?>a)', '\\Aabc', '[a-z-[aeiou]]', '\\p{L}', '(a', 'a)']) {
    assert.equal(compileDotNetRegex(bad).ok, false, bad);
  }
  const m = /(?<a>x)(y)/d.exec('_xy_')!;
  assert.equal(expandReplacement('$$-${a}-$2-$&-$`-$\'-$9-${zz}', m, '_xy_'), '$-x-y-xy-_-_-$9-${zz}');
});

test('the evaluator stays bounded on hostile expressions and values', () => {
  const deep = 'Append('.repeat(99) + '"x"' + ', "y")'.repeat(99);
  assert.equal(evaluateExpressionText(deep, { attribute: () => null }).kind, 'value');
  assert.equal(evaluateExpressionText('x'.repeat(10_001), { attribute: () => null }).kind, 'error');
  const r = evaluateExpressionText('Replace([v], , "(a|a)*$", , "", , )', { attribute: () => 'a'.repeat(5000) });
  assert.equal(r.kind, 'computedByEntra');
  assert.equal(evaluateExpressionText('RandomString(1000,1,1,1,1)', { attribute: () => null, random: Math.random }).kind, 'error');
});

test('push plan: adds attributes and Direct mappings, keeps everything else, refuses to remap a mapped property', () => {
  const base = defaultAppSchema() as ReturnType<typeof defaultAppSchema> & { extra?: unknown };
  (base as Record<string, unknown>).unknownField = { keep: true };
  const plan = planPush(base, {
    attributes: [{ name: 'urn:x:1.0:User:HireDate', type: 'DateTime' }, { name: 'userName', type: 'String' }],
    mappings: [{ source: 'urn:x:1.0:User:HireDate', target: 'employeeHireDate' }, { source: 'userName', target: 'displayName' }, { source: 'nope', target: 'city' }],
  });
  assert.deepEqual(plan.addedAttributes.map((a) => [a.name, a.type]), [['urn:x:1.0:User:HireDate', 'DateTime']]);
  assert.deepEqual(plan.addedMappings.map((m) => m.targetAttributeName), ['employeeHireDate']);
  assert.equal(plan.skipped.length, 2);
  assert.deepEqual((plan.schema as Record<string, unknown>).unknownField, { keep: true });
  assert.equal(appModel(base).attributes.has('urn:x:1.0:user:hiredate'), false, 'the input is not modified');
});

test('hostile schema files: wrong shapes and deep nesting are errors, not crashes', () => {
  assert.throws(() => parseAppSchema('[]'), AppSchemaError);
  assert.throws(() => parseAppSchema('{"directories": [], "synchronizationRules": [{"sourceDirectoryName": 1}]}'), /sourceDirectoryName must be a string/);
  const s = defaultAppSchema();
  let src: Record<string, unknown> = { type: 'Attribute', name: 'x' };
  for (let i = 0; i < 500; i++) src = { type: 'Function', name: 'F', parameters: [{ key: 'k', value: src }] };
  s.synchronizationRules[0]!.objectMappings[0]!.attributeMappings.push({ targetAttributeName: 'city', source: src as never });
  assert.throws(() => appModel(parseAppSchema(JSON.stringify(s))), /nested more than 100 deep/);
  const noRule = defaultAppSchema();
  noRule.synchronizationRules[0]!.objectMappings[0]!.targetObjectName = 'Group';
  assert.throws(() => appModel(noRule), /no synchronization rule with an object mapping to User/);
});

test('stand-in: schema GET/PUT with roles, bad PUT is 400, job actions and 405s', async () => {
  const s = await startStandIn();
  try {
    const url = s.endpointUrl().replace(/\/bulkUpload$/, '');
    const rw = { Authorization: `Bearer ${s.issueToken()}` };
    const ro = { Authorization: `Bearer ${s.issueToken({ roles: ['Synchronization.Read.All'] })}` };
    const got = await fetch(`${url}/schema`, { headers: ro });
    assert.equal(got.status, 200);
    const schema = (await got.json()) as Record<string, unknown>;
    assert.equal((schema.synchronizationRules as unknown[]).length, 1);
    const denied = await fetch(`${url}/schema`, { method: 'PUT', headers: ro, body: JSON.stringify(schema) });
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /Synchronization\.ReadWrite\.All/);
    const bad = await fetch(`${url}/schema`, { method: 'PUT', headers: rw, body: '{"directories": {}}' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /directories must be an array/);
    const ok = await fetch(`${url}/schema`, { method: 'PUT', headers: rw, body: JSON.stringify(schema) });
    assert.equal(ok.status, 204);
    assert.equal((await fetch(`${url}/pause`, { method: 'POST', headers: rw })).status, 204);
    const job = (await (await fetch(url, { headers: ro })).json()) as { status: { code: string }; schedule: { state: string } };
    assert.deepEqual([job.status.code, job.schedule.state], ['Paused', 'Disabled']);
    assert.equal((await fetch(`${url}/start`, { headers: rw })).status, 405);
    assert.equal((await fetch(`${url}/start`, { method: 'POST', headers: ro })).status, 403);
  } finally {
    await s.close();
  }
});
