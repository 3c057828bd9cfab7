/** Record- and dataset-level safety checks (issue 11): nothing harmful leaves as "ok". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mappingDoc, memoryHost, transformOne, diag } from './helpers';
import { checkSignInName, isDnsName } from '../../../src/engine/checks/signInName';
import { checkCountry, checkEmail, checkLanguageTag, checkTimezone, ISO_COUNTRIES } from '../../../src/engine/checks/standards';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { compileMapping } from '../../../src/engine/transform/compile';
import { toBulkRequests, transformFile, transformRecords } from '../../../src/engine/pipeline';
import { validateMapping } from '../../../src/engine/validate';
import { decide, destinationProblem, failureSummary, preflight } from '../../../src/engine/checks/preflight';
import type { TransformResult } from '../../../src/engine/transform/record';
import { tempDir } from '../../tempDirs';

const root = path.resolve(__dirname, '../../../..');

test('userName as an Entra sign-in name: characters, dots, lengths, domain', () => {
  assert.equal(checkSignInName('ana.silva@contoso.com'), undefined);
  assert.equal(checkSignInName("o'brien_2#^~!-x@sub.contoso.co.uk"), undefined);
  const code = (v: string, d?: string[]) => checkSignInName(v, d)?.code;
  assert.equal(code('EMP1222'), 'user-name-format');
  assert.match(checkSignInName('EMP1222')!.message, /no "@domain"/);
  assert.equal(code('a@b@contoso.com'), 'user-name-format');
  assert.equal(code('.ana@contoso.com'), 'user-name-format');
  assert.equal(code('ana.@contoso.com'), 'user-name-format');
  assert.equal(code('an..a@contoso.com'), 'user-name-format');
  assert.equal(code('zoë@contoso.com'), 'user-name-format');
  assert.equal(code('a b@contoso.com'), 'user-name-format');
  assert.equal(code(`${'a'.repeat(64)}@contoso.com`), undefined);
  assert.equal(code(`${'a'.repeat(65)}@contoso.com`), 'user-name-format');
  assert.equal(code(`a@${'b'.repeat(44)}.com`), undefined); // 48 after the @ at most
  assert.equal(code(`a@${'b'.repeat(45)}.com`), 'user-name-format');
  assert.equal(code('ana@contoso'), 'user-name-domain');
  assert.equal(code('ana@-contoso.com'), 'user-name-domain');
  assert.equal(code('ana@contoso.com', ['fabrikam.com']), 'user-name-domain');
  assert.equal(code('ana@Contoso.COM', ['contoso.com']), undefined);
  assert.ok(isDnsName('contoso.onmicrosoft.com') && !isDnsName('contoso..com') && !isDnsName('1.2.3.4'));
  // Linear on hostile input (no backtracking regular expression).
  assert.equal(code(`${'.'.repeat(100_000)}@x`), 'user-name-format');
});

test('value standards: ISO 3166-1 alpha-2, language tags, IANA time zones, e-mail shape', () => {
  assert.equal(ISO_COUNTRIES.size, 249);
  assert.equal(checkCountry('GB'), undefined);
  assert.match(checkCountry('UK')!, /Did you mean "GB"\?/);
  assert.match(checkCountry('USA')!, /Did you mean "US"\?/);
  assert.match(checkCountry('Germany')!, /Did you mean "DE"\?/);
  assert.match(checkCountry('de')!, /Did you mean "DE"\?/);
  assert.doesNotMatch(checkCountry('XX')!, /Did you mean/);
  assert.equal(checkLanguageTag('en-US'), undefined);
  assert.equal(checkLanguageTag('de'), undefined);
  assert.match(checkLanguageTag('en_US')!, /Did you mean "en-US"\?/);
  assert.ok(checkLanguageTag('English'));
  assert.equal(checkLanguageTag('da, en-GB;q=0.8', true), undefined);
  assert.equal(checkTimezone('Europe/Berlin'), undefined);
  assert.equal(checkTimezone('UTC'), undefined);
  assert.equal(checkTimezone('Asia/Calcutta'), undefined);
  assert.ok(checkTimezone('+01:00'));
  assert.ok(checkTimezone('CET+1'));
  assert.match(checkTimezone('europe/berlin')!, /"Europe\/Berlin"/);
  assert.equal(checkEmail('a.b@contoso.com'), undefined);
  for (const bad of ['a.b', 'a@b', 'a @b.com', '@b.com', 'a@b.', 'a@@b.com']) assert.ok(checkEmail(bad), bad);
});

test('entra: a record whose externalId, userName or active comes out empty is a record error naming it', async () => {
  const m = mappingDoc('  externalId: id\n  userName: upn\n  active: \'Status = "Active" ? true : Status = "Left" ? false\'\n');
  const ok = await transformOne(m, { id: '1', upn: 'a@contoso.com', Status: 'Active' });
  assert.deepEqual(ok.result.errors, []);
  const noActive = await transformOne(m, { id: '1', upn: 'a@contoso.com', Status: 'Unknown' });
  assert.deepEqual(noActive.result.errors.map((e) => [e.code, e.attribute]), [['missing-active', 'active']]);
  const noUser = await transformOne(m, { id: '1', Status: 'Left' });
  assert.deepEqual(noUser.result.errors.map((e) => [e.code, e.attribute]), [['missing-user-name', 'userName']]);
  const noId = await transformOne(m, { upn: 'a@contoso.com', Status: 'Left' });
  assert.deepEqual(noId.result.errors.map((e) => [e.code, e.attribute]), [['missing-external-id', 'externalId']]);
  const badUpn = await transformOne(m, { id: '1', upn: 'EMP1222', Status: 'Left' });
  assert.deepEqual(badUpn.result.errors.map((e) => e.code), ['user-name-format']);
});

test('domains: from the mapping, or replaced by the caller (upload profile)', async () => {
  const text = mappingDoc('  externalId: id\n  userName: upn\n  active: true\n', 'domains:\n  - contoso.com\n');
  assert.deepEqual(diag(text), []);
  const a = analyzeMappingText(text, { host: memoryHost() });
  const records = [{ index: 0, value: { id: '1', upn: 'a@contoso.com' } }, { index: 1, value: { id: '2', upn: 'b@fabrikam.com' } }];
  const run = async (domains?: string[]) => {
    const out: TransformResult[] = [];
    for await (const r of transformRecords(compileMapping(a, undefined, { domains }), records)) out.push(r);
    return out.map((r) => r.errors.map((e) => e.code).join());
  };
  assert.deepEqual(await run(), ['', 'user-name-domain']);
  assert.deepEqual(await run(['fabrikam.com']), ['user-name-domain', '']);
  assert.ok(diag(mappingDoc('  externalId: id\n  userName: id & "@contoso.com"\n  active: true\n', 'domains:\n  - not a domain\n')).some((d) => d.code === 'mapping-structure' && d.at === 'not a domain'));
});

test('scim: userName and schema-required extension attributes must have a value', async () => {
  const m = mappingDoc('  userName: u\n', '', 'scim');
  assert.deepEqual((await transformOne(m, {})).result.errors.map((e) => e.code), ['missing-user-name']);
  assert.deepEqual((await transformOne(m, { u: 'x' })).result.errors, []);
});

test('value standards are per-record warnings: the record is still sent', async () => {
  const m = mappingDoc(
    '  externalId: id\n  userName: upn\n  active: true\n  addresses[type eq "work"].country: c\n  locale: loc\n  timezone: tz\n  emails[type eq "work"].value: mail\n  phoneNumbers: \'[{"value": phone}]\'\n',
  );
  const r = (await transformOne(m, { id: '1', upn: 'a@contoso.com', c: 'UK', loc: 'en_GB', tz: 'GMT+1', mail: 'nope', phone: '1' })).result;
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings.map((w) => [w.code, w.attribute]), [
    ['country-code', 'addresses[type eq "work"].country'],
    ['language-tag', 'locale'],
    ['timezone', 'timezone'],
    ['email-format', 'emails[type eq "work"].value'],
    ['missing-type', 'phoneNumbers'],
  ]);
  assert.match(r.warnings[0].message, /"UK".*Did you mean "GB"/);
});

test('onInvalid: drop-attribute leaves an invalid optional value out with a warning; identity always fails', async () => {
  const ext = 'urn:ietf:params:scim:schemas:extension:c:1.0:User';
  const head = `extensions:\n  ${ext}:\n    Start: dateTime\n`;
  const body = `  externalId: id\n  userName: upn\n  active: true\n  ${ext}:Start: start\n  title: $substring(t, "x")\n`;
  const rec = { id: '1', upn: 'a@contoso.com', start: '2021-05-01', t: 'x' };
  const strict = (await transformOne(mappingDoc(body, head), rec)).result;
  assert.deepEqual(strict.errors.map((e) => e.code).sort(), ['date-format', 'expression-error']);
  const lenient = (await transformOne(mappingDoc(body, `${head}onInvalid:\n  default: drop-attribute\n  fail-record:\n    - title\n`), rec)).result;
  assert.deepEqual(lenient.errors.map((e) => [e.code, e.attribute]), [['expression-error', 'title']]);
  assert.deepEqual(lenient.warnings.map((e) => [e.code, e.attribute]), [['attribute-dropped', `${ext}:Start`]]);
  assert.equal((lenient.resource[ext] as object | undefined) ?? undefined, undefined);
  // The short form, and identity keys that cannot be dropped.
  const short = (await transformOne(mappingDoc(`  externalId: $substring(id, "x")\n  userName: upn\n  active: true\n  title: $substring(t, "x")\n`, 'onInvalid: drop-attribute\n'), rec)).result;
  assert.deepEqual(short.errors.map((e) => [e.code, e.attribute]), [["expression-error", "externalId"]]);
  assert.deepEqual(short.warnings.map((e) => e.attribute), ['title']);
  const bad = diag(mappingDoc('  externalId: id\n  userName: id & "@contoso.com"\n  active: true\n  title: t\n', 'onInvalid:\n  drop-attribute:\n    - externalId\n    - titel\n'));
  assert.deepEqual(bad.map((d) => `${d.code}@${d.at}`), ['mapping-structure@externalId', 'mapping-structure@titel']);
  assert.match(bad[1].message, /Did you mean 'title'/);
});

test('clear: an empty HR value is sent as an explicit null or "" only where the mapping says so', async () => {
  const body = '  externalId: id\n  userName: upn\n  active: true\n  title: t\n  name.givenName: g\n  nickName: n\n';
  const rec = { id: '1', upn: 'a@contoso.com', t: '', g: '' };
  const plain = (await transformOne(mappingDoc(body), rec)).result.resource;
  assert.equal('title' in plain, false);
  const cleared = (await transformOne(mappingDoc(body, 'clear:\n  title: null\n  name.givenName: ""\n'), rec)).result.resource;
  assert.equal(cleared.title, null);
  assert.deepEqual(cleared.name, { givenName: '' });
  assert.equal('nickName' in cleared, false);
  const filled = (await transformOne(mappingDoc(body, 'clear:\n  title: null\n'), { ...rec, t: 'CEO' })).result.resource;
  assert.equal(filled.title, 'CEO');
  const bad = diag(mappingDoc('  externalId: id\n  userName: id & "@contoso.com"\n  active: true\n  emails[type eq "work"].value: m\n', 'clear:\n  active: null\n  emails[type eq "work"].value: null\n  title: 5\n'));
  assert.deepEqual(bad.map((d) => `${d.code}@${d.at}`), ['mapping-structure@active', 'mapping-structure@emails[type eq "work"].value', 'mapping-structure@5']);
});

async function stream(text: string, records: Record<string, unknown>[]) {
  const m = compileMapping(analyzeMappingText(text, { host: memoryHost() }));
  const out: TransformResult[] = [];
  for await (const r of transformRecords(m, records.map((value, index) => ({ index, value })))) out.push(r);
  return { m, out };
}

test('duplicates: externalId by source.duplicates (error, first, last); userName always, ignoring case', async () => {
  const body = '  externalId: id\n  userName: upn\n  active: true\n  title: t\n';
  const recs = [
    { id: '1', upn: 'a@contoso.com', t: 'old' },
    { id: '2', upn: 'b@contoso.com', t: 'other' },
    { id: '1', upn: 'a@contoso.com', t: 'new' },
    { id: '4', upn: 'B@Contoso.COM', t: 'another person, the same sign-in name' },
  ];
  const summary = (out: TransformResult[]) => out.map((r) => r.errors.map((e) => e.code).join() || (r.skipped ? `skipped` : 'ok'));
  assert.deepEqual(summary((await stream(mappingDoc(body), recs)).out), ['ok', 'ok', 'duplicate-external-id', 'duplicate-user-name']);
  assert.deepEqual(summary((await stream(mappingDoc(body, 'source:\n  duplicates: first\n'), recs)).out), ['ok', 'ok', 'skipped', 'duplicate-user-name']);
  const last = await stream(mappingDoc(body, 'source:\n  duplicates: last\n'), recs);
  assert.deepEqual(summary(last.out), ['skipped', 'ok', 'ok', 'duplicate-user-name']);
  assert.match(last.out[0].skipped!.message, /record 3/);
  // The later record wins, and the earlier one is never batched.
  const sent: string[] = [];
  for await (const req of toBulkRequests((async function* () { yield* last.out; })(), 50, undefined, null)) for (const op of req.Operations) sent.push(`${op.bulkId}:${op.data.title}`);
  assert.deepEqual(sent, ['2:other', '1:new']);
  // `last` needs two passes: a one-shot stream is refused with a clear error.
  async function* once() {
    yield { index: 0, value: recs[0] };
  }
  await assert.rejects(async () => {
    for await (const _ of transformRecords(last.m, once())) void _;
  }, /duplicates: last reads the input twice/);
});

test('a record without externalId (scim) never gets a bulkId a real externalId has in its request', async () => {
  const { out } = await stream(mappingDoc('  userName: u\n  externalId: e\n', '', 'scim'), [{ u: 'a' }, { u: 'b', e: 'record-1' }, { u: 'c', e: 'record-1~2' }]);
  const ids: string[] = [];
  for await (const req of toBulkRequests((async function* () { yield* out; })(), 10, undefined, undefined)) for (const op of req.Operations) ids.push(op.bulkId);
  assert.equal(new Set(ids).size, 3, ids.join());
  assert.deepEqual(ids.slice(1), ['record-1', 'record-1~2']);
});

function tempMapping(text: string, files: Record<string, string>): string {
  const dir = tempDir('scimmap-safety-');
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body);
  const file = path.join(dir, 'm.scimmap.yaml');
  fs.writeFileSync(file, text);
  return file;
}

async function validateFile(file: string) {
  const text = fs.readFileSync(file, 'utf8');
  const r = await validateMapping(text, { filePath: file });
  return { r, text, got: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, scope: d.scope, at: text.slice(d.start, d.end), message: d.message })) };
}

const WORKERS = 'id,upn,Status,Mail,Dept\n1,a@contoso.com,Active,a@contoso.com,\n2,b@contoso.com,Active,a@contoso.com,\n3,c@contoso.com,Terminated,a@contoso.com,\n';

test('dataset: active false on every record is an error; above the threshold a warning that counts the accounts', async () => {
  const map = (active: string, extra = '') => `scimmap: 1\ntarget: entra\nsource:\n  sample: w.csv\n${extra}mappings:\n  externalId: id\n  userName: upn\n  active: ${active}\n`;
  const wrongCase = await validateFile(tempMapping(map('Status = "active"'), { 'w.csv': WORKERS }));
  const all = wrongCase.got.find((d) => d.code === 'all-inactive')!;
  assert.equal(all.severity, 'error');
  assert.equal(all.scope, 'dataset');
  assert.equal(all.at, 'Status = "active"');
  assert.match(all.message, /every record \(3 of 3\): every account would be disabled/);
  const fine = await validateFile(tempMapping(map('Status = "Active"'), { 'w.csv': WORKERS }));
  assert.deepEqual(fine.got.map((d) => d.code), []);
  const many = await validateFile(tempMapping(map('Status = "Terminated"'), { 'w.csv': WORKERS }));
  assert.deepEqual(many.got.map((d) => [d.code, d.severity]), [['many-inactive', 'warning']]);
  assert.match(many.got[0].message, /false on 2 of 3 records \(66\.7%, more than 50%\): 2 accounts would be disabled/);
  const raised = await validateFile(tempMapping(map('Status = "Terminated"', 'checks:\n  inactiveThreshold: 70%\n'), { 'w.csv': WORKERS }));
  assert.deepEqual(raised.got, []);
});

test('dataset: an attribute empty on every record, a field that never has a value, one value for every person', async () => {
  const text = 'scimmap: 1\ntarget: entra\nsource:\n  sample: w.csv\n  key: id\nmappings:\n  externalId: ContractorID\n  userName: upn\n  active: true\n  emails[type eq "work"].value: Mail\n  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department: Dept\n';
  const { got } = await validateFile(tempMapping(text, { 'w.csv': WORKERS }));
  const by = (code: string) => got.filter((d) => d.code === code).map((d) => `${d.severity}@${d.at}`);
  // Dept: the empty column is reported at the field, not twice on the line.
  assert.deepEqual(by('always-empty'), ['error@ContractorID']);
  assert.deepEqual(by('field-always-empty'), ['warning@Dept']);
  assert.deepEqual(by('same-value'), ['warning@Mail']);
  assert.deepEqual(by('unknown-field'), ['warning@ContractorID']);
  // The record errors behind the always-empty externalId are counted once, in the summary.
  assert.deepEqual(by('missing-external-id'), []);
  assert.deepEqual(got.filter((d) => d.code === 'records-fail').map((d) => d.message), ['3 of 3 records fail: missing-external-id 3 (they would not be sent)']);
});

test("Microsoft's csv-with-1000-records.csv with AttributeMapping.psd1's mapping: the expected failures and summary", async () => {
  const file = path.join(root, 'test/fixtures/csv2scim/AttributeMapping.scimmap.yaml');
  const { got, r } = await validateFile(file);
  const summary = got.find((d) => d.code === 'records-fail')!;
  assert.equal(summary.message, '1,000 of 1,000 records fail: user-name-format 1,000, duplicate-external-id 376 (they would not be sent)');
  assert.equal(summary.at, 'mappings');
  const upn = got.find((d) => d.code === 'user-name-format')!;
  assert.equal(upn.at, 'UserID');
  assert.match(upn.message, /"EMP1222" is not a sign-in name.*no "@domain".* on 1,000 of 1,000 records/);
  const country = got.find((d) => d.code === 'country-code')!;
  assert.equal(country.severity, 'warning');
  assert.match(country.message, /"UK".*Did you mean "GB"\? — on 196 of 1,000 records/);
  const inactive = got.find((d) => d.code === 'many-inactive')!;
  assert.match(inactive.message, /false on 504 of 1,000 records \(50\.4%, more than 50%\): 504 accounts would be disabled/);
  assert.equal(r.records!.errors.size, 1000);
  assert.equal([...r.records!.errors.values()].filter((l) => l.some((e) => e.code === 'duplicate-external-id')).length, 376);
});

test('preflight: record errors leave their records out; dataset errors stop the delivery unless forced', async () => {
  const m = compileMapping(analyzeMappingText(mappingDoc('  externalId: id\n  userName: upn\n  active: Status = "active"\n'), { host: memoryHost() }));
  const recs = [{ id: '1', upn: 'a@contoso.com', Status: 'Active' }, { id: '2', upn: 'b@contoso.com', Status: 'Active' }, { id: '2', upn: 'c@contoso.com', Status: 'Active' }];
  const p = await preflight(m, transformRecords(m, recs.map((value, index) => ({ index, value }))));
  assert.deepEqual([p.total, p.failed, p.sendable], [3, 1, 2]);
  assert.equal(failureSummary(p), '1 of 3 records fail: duplicate-external-id 1');
  const d = decide(p);
  assert.equal(d.send, false);
  assert.match(d.reasons[0], /^active: active is false on every record/);
  assert.equal(decide(p, { force: true }).send, true);
  const scim = compileMapping(analyzeMappingText(mappingDoc('  userName: u\n', '', 'scim'), { host: memoryHost() }));
  assert.match(destinationProblem(scim, 'entra')!, /target: scim/);
  assert.equal(destinationProblem(m, 'entra'), undefined);
});

test('every safety diagnostic code is documented in docs/diagnostics.md with an example and a fix', () => {
  const doc = fs.readFileSync(path.join(root, 'docs/diagnostics.md'), 'utf8');
  const sections = doc.split(/\n### /).slice(1);
  const codes = ['records-fail', 'missing-external-id', 'missing-user-name', 'missing-active', 'missing-required-attribute', 'user-name-format', 'user-name-domain', 'country-code', 'language-tag', 'timezone', 'email-format', 'missing-type', 'all-inactive', 'many-inactive', 'always-empty', 'same-value', 'field-always-empty'];
  for (const code of codes) {
    const s = sections.find((x) => x.split('\n')[0].split(', ').includes(code));
    assert.ok(s, `no section for ${code}`);
    assert.match(s, /```yaml[\s\S]+```/, `${code}: no example`);
    assert.match(s, /\*\*Fix:\*\*/, `${code}: no fix`);
  }
  const format = fs.readFileSync(path.join(root, 'docs/mapping-format.md'), 'utf8');
  for (const code of ['duplicate-user-name', 'duplicate-skipped', 'attribute-dropped', 'missing-active']) assert.ok(format.includes(`\`${code}\``), code);
});

test('scim: an extension attribute its schema marks required — unmapped is an error, mapped but empty a record error', async () => {
  const urn = 'urn:example:params:scim:schemas:extension:acme:1.0:User';
  const schema = JSON.stringify({ id: urn, name: 'Acme', attributes: [{ name: 'badge', type: 'string', multiValued: false, required: true }, { name: 'floor', type: 'string', multiValued: false }] });
  const host = memoryHost({ '/m/acme.json': schema });
  const head = `extensions:\n  ${urn}: acme.json\n`;
  const unmapped = diag(mappingDoc(`  userName: u\n  ${urn}:floor: f\n`, head, 'scim'), host);
  assert.deepEqual(unmapped.map((d) => `${d.code}@${d.at}`), ['missing-required@mappings']);
  assert.match(unmapped[0].message, /acme:1\.0:User:badge: its schema marks it required/);
  const text = mappingDoc(`  userName: u\n  ${urn}:floor: f\n  ${urn}:badge: b\n`, head, 'scim');
  assert.deepEqual(diag(text, host), []);
  const m = compileMapping(analyzeMappingText(text, { host, filePath: '/m/x.scimmap.yaml' }));
  const out: TransformResult[] = [];
  for await (const r of transformRecords(m, [{ index: 0, value: { u: 'a', f: '3', b: 'B1' } }, { index: 1, value: { u: 'b', f: '4' } }, { index: 2, value: { u: 'c' } }])) out.push(r);
  assert.deepEqual(out.map((r) => r.errors.map((e) => e.code).join()), ['', 'missing-required-attribute', '']);
  assert.match(out[1].errors[0].message, /badge is empty: the schema .* requires it/);
});

test('source.duplicates: last over a file reads it twice and sends the last record; a pipe is refused', async () => {
  const dir = tempDir('scimmap-last-');
  try {
    fs.writeFileSync(path.join(dir, 'p.csv'), 'id,upn,t\n1,a@contoso.com,old\n2,b@contoso.com,x\n1,a@contoso.com,new\n');
    const text = 'scimmap: 1\ntarget: entra\nsource:\n  sample: p.csv\n  duplicates: last\nmappings:\n  externalId: id\n  userName: upn\n  active: true\n  title: t\n';
    const m = compileMapping(analyzeMappingText(text, { filePath: path.join(dir, 'm.scimmap.yaml'), host: { readText: () => undefined, exists: () => true } }));
    const sent: string[] = [];
    for await (const r of transformFile(m)) if (!r.errors.length && !r.skipped) sent.push(`${r.resource.externalId}:${r.resource.title}`);
    assert.deepEqual(sent, ['2:x', '1:new']);
    if (process.platform !== 'win32') {
      const fifo = path.join(dir, 'pipe.csv');
      execFileSync('mkfifo', [fifo]);
      await assert.rejects(async () => {
        for await (const _ of transformFile(m, { input: fifo })) void _;
      }, /not a regular file/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
