import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../../src/cli/main';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { compileMapping } from '../../../src/engine/transform/compile';
import { appendCase, updateExpectations } from '../../../src/review/editTests';
import { compareMappings } from '../../../src/review/impact';
import { diffResources, flatten } from '../../../src/review/resourceDiff';
import { memoryRecordLookup, runCases } from '../../../src/review/runTests';
import { parseTestFile } from '../../../src/review/testFile';
import { tempDir } from '../../tempDirs';

const root = path.resolve(__dirname, '../../../..');

test('resource paths: sub-attributes, elements by type, extension attributes as mapping keys write them', () => {
  const r = {
    schemas: ['a', 'b'], userName: 'x', name: { givenName: 'A' },
    emails: [{ type: 'work', value: 'w@x' }, { type: 'home', value: 'h@x' }],
    phoneNumbers: [{ value: '1' }, { value: '2' }],
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'D', manager: { value: 'M' } },
  };
  assert.deepEqual([...flatten(r).keys()], [
    'schemas', 'userName', 'name.givenName', 'emails[type eq "work"].type', 'emails[type eq "work"].value', 'emails[type eq "home"].type', 'emails[type eq "home"].value',
    'phoneNumbers[0].value', 'phoneNumbers[1].value',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
  ]);
  const after = { ...r, userName: 'y', nickName: 'n', name: {} };
  assert.deepEqual(diffResources(r, after), [
    { path: 'userName', before: 'x', after: 'y' },
    { path: 'name.givenName', before: 'A', after: undefined },
    { path: 'name', before: undefined, after: {} },
    { path: 'nickName', before: undefined, after: 'n' },
  ]);
  assert.deepEqual(diffResources({ a: { b: 1, c: 2 } }, { a: { c: 2, b: 1 } }), [], 'key order does not matter');
});

const MAPPING = `scimmap: 1
target: entra
source:
  key: id
mappings:
  externalId: id
  userName: upn
  active: status = "Active"
  title: title
`;
const RECORDS = [
  { id: '1', upn: 'a@contoso.com', status: 'Active', title: 'Engineer' },
  { id: '2', upn: 'b@contoso.com', status: 'Terminated', title: 'Manager' },
];

test('test files: located cases; every shape problem is reported at its line', () => {
  const t = parseTestFile(`scimmap-test: 1
cases:
  - name: one
    record: "1"
    expect: {externalId: "1"}
  - name: two
    recordNumber: 2
    expectErrors: [{code: missing-user-name}]
  - name: inline
    input: {id: "3"}
    expect: {}
  - name: one
    record: "1"
    expect: {}
  - name: no input
    expect: {}
  - name: both
    record: "1"
    input: {}
    expect: {}
  - name: nothing expected
    record: "1"
  - record: "1"
    expect: {}
  - name: bad errors
    record: "1"
    expectErrors: [{code: 1}]
  - name: typo
    record: "1"
    expected: {}
`, '/w/people.scimmap.test.yaml');
  assert.equal(t.mappingPath, '/w/people.scimmap.yaml');
  assert.deepEqual(t.cases.map((c) => [c.name, c.line, c.input.kind]), [['one', 2, 'record'], ['two', 5, 'recordNumber'], ['inline', 8, 'inline']]);
  assert.deepEqual(t.problems.map((p) => [p.line, p.message.replace(/ \(.*/, '')]), [
    [11, 'two cases are named "one"'],
    [14, 'case "no input" needs exactly one of record'],
    [16, 'case "both" needs exactly one of record'],
    [20, 'case "nothing expected" needs `expect`'],
    [22, 'case 8 needs a `name`'],
    [26, '`expectErrors` is a list of { code, attribute, message }'],
    [29, 'unknown case key "expected"'],
    [27, 'case "typo" needs `expect`'],
  ]);
  assert.match(parseTestFile('cases: []', '/w/x.scimmap.test.yaml').problems[0].message, /`scimmap-test: 1` is missing/);
  assert.match(parseTestFile('scimmap-test: 1\na: &x 1\ncases: [*x]', '/w/x.scimmap.test.yaml').problems[0].message, /aliases/);
  assert.equal(parseTestFile('scimmap-test: 1\nmapping: ../m/other.scimmap.yaml\ncases: []', '/w/t/x.scimmap.test.yaml').mappingPath, '/w/m/other.scimmap.yaml');
});

async function runText(testText: string, mapping = MAPPING) {
  const compiled = compileMapping(analyzeMappingText(mapping));
  const file = parseTestFile(testText, '/w/p.scimmap.test.yaml');
  assert.deepEqual(file.problems, []);
  return runCases(compiled, file.cases, memoryRecordLookup(RECORDS, 'id'));
}

test('cases pass on exactly the expected resource and errors, and fail with a diff per attribute', async () => {
  const resource1 = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'], externalId: '1', userName: 'a@contoso.com', active: true, title: 'Engineer' };
  const results = await runText(`scimmap-test: 1
cases:
  - name: pass
    record: "1"
    expect: ${JSON.stringify(resource1)}
  - name: title changed
    recordNumber: 1
    expect: ${JSON.stringify({ ...resource1, title: 'Senior Engineer', nickName: 'A' })}
  - name: missing id fails
    input: {upn: x@contoso.com, status: Active}
    expectErrors: [{code: missing-external-id, attribute: externalId}]
  - name: an error nobody expected
    input: {upn: x@contoso.com, status: Active}
    expect: {}
  - name: expected error that does not occur
    record: "2"
    expectErrors: [{code: missing-external-id}]
  - name: unknown key
    record: "77"
    expect: {}
`);
  assert.deepEqual(results.map((r) => r.status), ['passed', 'failed', 'passed', 'failed', 'failed', 'error']);
  assert.deepEqual(results[1].changes, [{ path: 'title', before: 'Senior Engineer', after: 'Engineer' }, { path: 'nickName', before: 'A', after: undefined }]);
  assert.equal(results[1].recordLabel, 'record 1 (1)');
  assert.deepEqual(results[3].unexpectedErrors.map((e) => e.code), ['missing-external-id']);
  assert.deepEqual(results[4].missingErrors, [{ code: 'missing-external-id' }]);
  assert.match(results[5].message!, /no sample record has the key "77"/);
});

test('--update rewrites only the failing expectations and keeps comments; Create Test appends a uniquely named case', async () => {
  const text = `# my tests\nscimmap-test: 1\ncases:\n  # the engineer\n  - name: e\n    record: "1"\n    expect: {title: old}\n`;
  const results = await runText(text);
  const updated = updateExpectations(text, results);
  assert.match(updated, /^# my tests/);
  assert.match(updated, /# the engineer/);
  assert.equal(parseYaml(updated).cases[0].expect.title, 'Engineer');
  assert.deepEqual((await runText(updated)).map((r) => r.status), ['passed']);

  const first = appendCase(undefined, '/w/p.scimmap.test.yaml', '/w/p.scimmap.yaml', { key: '1', recordNumber: 1, resource: { externalId: '1' }, errors: [] });
  const second = appendCase(first.text, '/w/p.scimmap.test.yaml', '/w/p.scimmap.yaml', { key: '1', recordNumber: 1, resource: { externalId: '1' }, errors: [{ index: 0, code: 'x', message: 'm', attribute: 'userName' }] });
  assert.equal(second.name, 'record 1 (2)');
  const doc = parseYaml(second.text);
  assert.equal(doc.mapping, 'p.scimmap.yaml');
  assert.deepEqual(doc.cases.map((c: { name: string }) => c.name), ['record 1', 'record 1 (2)']);
  assert.deepEqual(doc.cases[1].expectErrors, [{ code: 'x', attribute: 'userName' }]);
  // A hostile key cannot become YAML structure.
  const hostile = appendCase(undefined, '/w/p.scimmap.test.yaml', '/w/p.scimmap.yaml', { key: '1"\n  - name: x\n    expect: {}', recordNumber: 1, resource: {}, errors: [] });
  assert.equal(parseYaml(hostile.text).cases.length, 1);
});

test('impact: per attribute the records that change, with examples; records that start and stop failing', async () => {
  const base = compileMapping(analyzeMappingText(MAPPING));
  const head = compileMapping(analyzeMappingText(MAPPING.replace('title: title', 'title: $uppercase(title)').replace('externalId: id', `externalId: 'id = "2" ? undefined : id'`)));
  const records = [...RECORDS, { id: '3', upn: 'c@contoso.com', status: 'Active', title: 'ENGINEER' }].map((value, index) => ({ index, value }));
  const i = await compareMappings(base, head, records, { examples: 1, keepRecords: 5 });
  assert.equal(i.records, 3);
  assert.equal(i.changedRecords, 2);
  assert.deepEqual(Object.keys(i.attributes).sort(), ['externalId', 'title']);
  assert.deepEqual(i.attributes.title, { changed: 2, examples: [{ record: 'record 1 (1)', before: 'Engineer', after: 'ENGINEER' }] });
  assert.equal(i.attributes.externalId.changed, 1);
  assert.equal(i.startFailing.count, 1);
  assert.deepEqual(i.startFailing.examples, [{ record: 'record 2 (2)', errors: ['missing-external-id at externalId'] }]);
  assert.equal(i.stopFailing.count, 0);
  assert.equal(i.changed.length, 2);
  const back = await compareMappings(head, base, records);
  assert.equal(back.stopFailing.count, 1);
});

test('impact: duplicates are checked per version over the one stream (a repeated id fails in both)', async () => {
  const m = compileMapping(analyzeMappingText(MAPPING));
  const records = [RECORDS[0], RECORDS[0]].map((value, index) => ({ index, value }));
  const i = await compareMappings(m, m, records);
  assert.equal(i.changedRecords, 0);
  assert.equal(i.startFailing.count, 0);
});

async function cli(args: string[], cwd: string, stdin?: NodeJS.ReadableStream) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await runCli(args, { stdout, stderr, env: {}, cwd, stdin });
  return { code, out, err };
}

function workspace(): string {
  const dir = tempDir('scimmap-review-');
  fs.cpSync(path.join(root, 'samples/workday'), dir, { recursive: true });
  return dir;
}

test('CLI: scimmap test runs the sample test file; a change fails with a readable diff; --update --yes fixes it', async () => {
  const dir = workspace();
  try {
    let r = await cli(['test'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /3 cases: 3 passed, 0 failed/);
    const mapping = path.join(dir, 'workday.scimmap.yaml');
    fs.writeFileSync(mapping, fs.readFileSync(mapping, 'utf8').replace(/^ {2}title: .*$/m, '  title: $uppercase(Employment.Position.Business_Title)'));
    r = await cli(['test', 'workday.scimmap.yaml'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /✗ Mei Horváth, an active employee with a manager and a hire date — record 1 \(100048\) \(workday\.scimmap\.test\.yaml:\d+\)\n {6}title: expected "Identity Engineer", got "IDENTITY ENGINEER"/);
    assert.match(r.out, /3 cases: 1 passed, 2 failed/);
    const json = JSON.parse((await cli(['test', '--format', 'json'], dir)).out);
    assert.deepEqual(json[0].cases[0].changes, [{ path: 'title', expected: 'Identity Engineer', actual: 'IDENTITY ENGINEER' }]);
    const piped = new PassThrough();
    r = await cli(['test', '--update'], dir, piped);
    assert.equal(r.code, 1);
    assert.match(r.err, /not a terminal: pass --yes/);
    r = await cli(['test', '--update', '--yes'], dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /updated 2 cases in workday\.scimmap\.test\.yaml/);
    assert.equal((await cli(['test'], dir)).code, 0);
    assert.equal((await cli(['test', 'nope.scimmap.yaml'], dir)).code, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: scimmap diff against HEAD and against a file (text and json)', async () => {
  const dir = workspace();
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
    git('init', '-q', '.');
    git('add', '-A');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'base');
    const mapping = path.join(dir, 'workday.scimmap.yaml');
    fs.copyFileSync(mapping, path.join(dir, 'base.scimmap.yaml'));
    fs.writeFileSync(mapping, fs.readFileSync(mapping, 'utf8').replace(/^ {2}title: .*$/m, '  title: $uppercase(Employment.Position.Business_Title)'));
    const r = await cli(['diff', 'workday.scimmap.yaml', '--base', 'HEAD', '--examples', '1'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /workday\.scimmap\.yaml against HEAD, on workers\.json \(160 records\)/);
    assert.match(r.out, /\n {2}title {2}\d+ records\n {6}record 1 \(100048\): "Identity Engineer" → "IDENTITY ENGINEER"\n/);
    const j = JSON.parse((await cli(['diff', 'workday.scimmap.yaml', '--base', 'base.scimmap.yaml', '--format', 'json'], dir)).out);
    assert.deepEqual(Object.keys(j.attributes), ['title']);
    assert.ok(j.attributes.title.changed > 100 && j.attributes.title.changed <= 160);
    assert.equal(j.attributes.title.examples.length, 3);
    assert.equal(j.records, 160);
    assert.equal((await cli(['diff', 'workday.scimmap.yaml', '--base', 'no-such-rev'], dir)).code, 2);
    assert.equal((await cli(['diff', 'workday.scimmap.yaml', '--base', '--output=/tmp/x'], dir)).code, 2);
    assert.equal((await cli(['diff', 'workday.scimmap.yaml'], dir)).code, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('docs/mapping-test.schema.json accepts the bundled test files and agrees with the parser on broken cases', () => {
  const validate = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(root, 'docs/mapping-test.schema.json'), 'utf8')));
  const sample = fs.readFileSync(path.join(root, 'samples/workday/workday.scimmap.test.yaml'), 'utf8');
  assert.ok(validate(parseYaml(sample)), JSON.stringify(validate.errors));
  assert.deepEqual(parseTestFile(sample, path.join(root, 'samples/workday/workday.scimmap.test.yaml')).problems, []);
  const broken = [
    'scimmap-test: 1\ncases:\n  - name: a\n    expect: {}\n',
    'scimmap-test: 1\ncases:\n  - name: a\n    record: "1"\n',
    'scimmap-test: 1\ncases:\n  - name: a\n    record: "1"\n    input: {}\n    expect: {}\n',
    'scimmap-test: 1\ncases:\n  - name: a\n    record: "1"\n    expect: {}\n    extra: 1\n',
    'scimmap-test: 2\ncases: []\n',
  ];
  for (const b of broken) {
    assert.equal(validate(parseYaml(b)), false, b);
    assert.ok(parseTestFile(b, '/w/x.scimmap.test.yaml').problems.length > 0, b);
  }
});
