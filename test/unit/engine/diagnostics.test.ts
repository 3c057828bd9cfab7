import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diag, mappingDoc, memoryHost } from './helpers';
import { parseMappingText } from '../../../src/engine/mapping/parse';
import { validateMapping } from '../../../src/engine/validate';
import { tempDir } from '../../tempDirs';

const base = (body: string, extra = '') => mappingDoc(`  externalId: id\n  userName: upn\n  active: true\n${body}`, extra);
const codes = (text: string) => diag(text).map((d) => `${d.code}@${d.at}`);

test('a correct mapping has no diagnostics', () => {
  assert.deepEqual(diag(mappingDoc('  externalId: id\n  active: true\n  userName: $lowercase(mail)\n  emails[type eq "work"].value: mail\n')), []);
});

test('yaml-syntax and mapping-structure', () => {
  assert.ok(codes('scimmap: 1\ntarget: entra\nmappings:\n  a: [\n').some((c) => c.startsWith('yaml-syntax')));
  assert.deepEqual(codes('scimmap: 1\ntarget: entra\nmapings:\n  externalId: id\n').filter((c) => c.startsWith('mapping-structure@mapings')), ['mapping-structure@mapings']);
  assert.ok(diag('scimmap: 1\ntarget: entra\nmapings: {}\n').some((d) => d.code === 'mapping-structure' && /Missing required key 'mappings'/.test(d.message)));
  assert.deepEqual(codes('scimmap: 1\ntarget: entrra\nmappings:\n  externalId: id\n  userName: upn\n  active: true\n'), ['mapping-structure@entrra']);
  assert.deepEqual(codes('scimmap: 2\ntarget: entra\nmappings:\n  externalId: id\n  userName: upn\n  active: true\n'), ['mapping-structure@2']);
  const missing = diag('scimmap: 1\nsource:\n  sample: nope.csv\ntarget: entra\nmappings:\n  externalId: id\n  userName: upn\n  active: true\n');
  assert.deepEqual(missing.map((d) => `${d.code}@${d.at}`), ['mapping-structure@nope.csv']);
  assert.deepEqual(codes(base('  title:\n')), ['mapping-structure@title']);
  assert.deepEqual(codes(base('  title: [a, b]\n')), ['mapping-structure@[a, b]']);
});

test('yaml aliases are refused (no alias bombs)', () => {
  const t = 'scimmap: 1\ntarget: entra\nlet:\n  a: &x \'"v"\'\n  b: *x\nmappings:\n  externalId: id\n  active: true\n';
  assert.ok(codes(t).includes('mapping-structure@*x'));
});

test('jsonata-syntax at the offending token, for every scalar style', () => {
  const cases: Array<[string, string]> = [
    ['  nickName: a +\n', '+'],
    ["  nickName: 'a & ''x'' & )'\n", ')'],
    ['  nickName: "a & \\"x\\" & )"\n', ')'],
    ['  nickName: |\n    a &\n      b & )\n', ')'],
    ['  nickName: >-\n    a &\n    b & )\n', ')'],
    ['  nickName: a\n    & b & )\n', ')'],
  ];
  for (const [body, at] of cases) {
    const d = diag(base(body)).filter((x) => x.code === 'jsonata-syntax');
    assert.equal(d.length, 1, body);
    assert.equal(d[0].at, at, `${JSON.stringify(body)} → ${JSON.stringify(d[0].at)}`);
  }
  assert.deepEqual(codes(base('  nickName: \'"abc\'\n')), ['jsonata-syntax@"abc']);
});

test('scalar offset maps point at the source character for every style', () => {
  const text = [
    'scimmap: 1', 'target: entra', 'mappings:',
    '  a: plain value & x',
    "  b: 'it''s & x'",
    '  c: "q\\t\\"x\\" & \\u00e9 end"',
    '  d: |', '    line1 &', '      line2', '  e: >-', '    folded', '    more', '  f: plain', '    continued', '',
  ].join('\n');
  const doc = parseMappingText(text);
  for (const m of doc.mappings) {
    if (m.value.kind !== 'expression') continue;
    const ex = m.value.expression;
    for (let i = 0; i < ex.text.length; i++) {
      const ch = ex.text[i];
      const at = text[ex.map.toDocument(i)];
      if (/[A-Za-z0-9&]/.test(ch)) assert.equal(at, ch, `${m.key.value}[${i}]`);
    }
  }
});

test('invalid-path, unknown-schema, unknown-attribute with candidates, read-only-attribute', () => {
  assert.deepEqual(codes(base('  emails[type eq].value: m\n')).map((c) => c.split('@')[0]), ['invalid-path']);
  assert.deepEqual(codes(base('  urn:ietf:params:scim:schemas:extension:foo:1.0:User:x: m\n')), ['unknown-schema@urn:ietf:params:scim:schemas:extension:foo:1.0:User']);
  const unknown = diag(base('  titel: m\n'))[0];
  assert.equal(unknown.code, 'unknown-attribute');
  assert.equal(unknown.at, 'titel');
  assert.deepEqual((unknown.data as { candidates: string[] }).candidates[0], 'title');
  assert.deepEqual(codes(base('  name.givenNam: m\n')), ['unknown-attribute@givenNam']);
  assert.deepEqual(codes(base('  id: m\n  meta.created: m\n  groups: m\n')).map((c) => c.split('@')[0]), ['read-only-attribute', 'read-only-attribute', 'read-only-attribute']);
  assert.deepEqual(codes(base('  emails.value: m\n')).map((c) => c.split('@')[0]), ['invalid-path']);
  assert.deepEqual(codes(base('  emails[type eq "work" or type eq "home"].value: m\n')).map((c) => c.split('@')[0]), ['invalid-path']);
});

test('duplicate-target: the same path twice, or a path with its parent', () => {
  assert.deepEqual(codes(base('  name: m\n  name.givenName: m\n')), ['duplicate-target@name.givenName']);
  assert.deepEqual(codes(base('  title: a\n  Title: b\n')), ['duplicate-target@Title']);
  assert.deepEqual(codes(base('  emails[type eq "work"].value: a\n  emails[type eq "work"].value: b\n')), ['duplicate-target@emails[type eq "work"].value']);
  assert.deepEqual(codes(base('  emails[type eq "work"].value: a\n  emails[type eq "home"].value: b\n')), []);
});

test('missing-required and active-unmapped', () => {
  assert.deepEqual(codes(mappingDoc('  userName: upn\n  active: true\n')), ['missing-required@mappings']);
  assert.deepEqual(codes(mappingDoc('  externalId: id\n  userName: upn\n')), ['active-unmapped@mappings']);
  assert.deepEqual(codes(mappingDoc('  externalId: id\n', '', 'scim')), ['missing-required@mappings']);
  // Entra: externalId, userName and active are all required statically, each one error on `mappings:`.
  const none = diag(mappingDoc('  displayName: name\n'));
  assert.deepEqual(none.map((d) => `${d.code}:${d.severity}:${(d.data as { attribute: string }).attribute}@${d.at}`), ['missing-required:error:externalId@mappings', 'missing-required:error:userName@mappings', 'active-unmapped:error:active@mappings']);
  assert.match(none[1].message, /userName.*userPrincipalName/);
  // A userName sub-path or an extension attribute of the same name is not userName.
  assert.deepEqual(codes(mappingDoc('  externalId: id\n  active: true\n  urn:ietf:params:scim:schemas:extension:c:1.0:User:userName: u\n', 'extensions:\n  urn:ietf:params:scim:schemas:extension:c:1.0:User:\n    userName: string\n')), ['missing-required@mappings']);
});

test('type-mismatch from constants and certain expression types; canonical values warn', () => {
  assert.deepEqual(codes(base('  nickName: 42\n')), ['type-mismatch@42']);
  assert.deepEqual(codes(base('  nickName: a = b\n')), ['type-mismatch@a = b']);
  assert.deepEqual(codes(base('  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager: m\n')), ['type-mismatch@m'].slice(0, 0));
  assert.deepEqual(codes(mappingDoc('  externalId: id\n  userName: upn\n  active: \'"yes"\'\n')), ['type-mismatch@\'"yes"\'']);
  assert.deepEqual(codes(mappingDoc('  externalId: id\n  userName: upn\n  active: $count(x)\n')), ['type-mismatch@$count(x)']);
  assert.deepEqual(codes(base('  name: a & b\n')), ['type-mismatch@a & b']);
  const w = diag(base('  emails[type eq "wrok"].value: m\n'));
  assert.deepEqual(w.map((d) => `${d.code}:${d.severity}@${d.at}`), ['type-mismatch:warning@wrok']);
  assert.deepEqual((w[0].data as { candidates: string[] }).candidates, ['work']);
});

test('unknown functions and variables', () => {
  assert.deepEqual(codes(base('  nickName: $lowercas(a)\n')), ['unknown-function@$lowercas']);
  assert.deepEqual(codes(base('  nickName: $nope\n')), ['unknown-variable@$nope']);
  assert.deepEqual(codes(base('  nickName: "($x := 1; $x)"\n')), []);
});

test('checks against the sample: unknown-field, sample-error, sample-type, date-format, sample-duplicate, manager-reference', async () => {
  const csv = 'id,first,mgr,start,n\n1,Ana,2,2021-05-01,x\n2,Bo,9,2021-05-01T00:00:00Z,x\n3,Cy,,,x\n';
  const ext = 'urn:ietf:params:scim:schemas:extension:c:1.0:User';
  const text = `scimmap: 1
source:
  sample: s.csv
  key: id
target: entra
extensions:
  ${ext}:
    Start: dateTime
mappings:
  externalId: id
  active: true
  displayName: frist
  nickName: $substring(first, "x")
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value: mgr
  ${ext}:Start: start
  userName: n
  title: '$number(id) = 1 ? first : $number(id)'
`;
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = tempDir('scimmap-');
  fs.writeFileSync(path.join(dir, 's.csv'), csv);
  fs.writeFileSync(path.join(dir, 'm.scimmap.yaml'), text);
  const r = await validateMapping(text, { filePath: path.join(dir, 'm.scimmap.yaml') });
  const got = r.diagnostics.map((d) => `${d.code}@${text.slice(d.start, d.end)}`);
  assert.deepEqual(got.sort(), [
    'date-format@start',
    'manager-reference@mgr',
    'records-fail@mappings',
    'same-value@n',
    'sample-duplicate@n',
    'user-name-format@n',
    'sample-error@$substring(first, "x")',
    "sample-type@'$number(id) = 1 ? first : $number(id)'",
    'unknown-field@frist',
  ].sort());
  const dup = r.diagnostics.find((d) => d.code === 'sample-duplicate')!;
  assert.match(dup.message, /record 1 \(1\) and record 2 \(2\)/);
  const unknownField = r.diagnostics.find((d) => d.code === 'unknown-field')!;
  assert.deepEqual((unknownField.data as { candidates: string[] }).candidates, ['first']);
  void memoryHost;
});

test('a sub-attribute fixed by the filter cannot be mapped; entra bulk limits', () => {
  assert.deepEqual(codes(base('  emails[type eq "work"].type: \'"home"\'\n')), ['duplicate-target@type']);
  assert.deepEqual(codes(base('', 'bulk:\n  size: 200\n')), ['mapping-structure@200']);
});

test('a half-typed block scalar never throws, in analysis or validation', async () => {
  for (const text of ['scimmap: 1\ntarget: entra\nmappings:\n  externalId: Id\n  displayName: |\n  title: x\n', 'scimmap: 1\ntarget: entra\nmappings:\n  externalId: Id\n  displayName: >-']) {
    const r = await validateMapping(text, { host: memoryHost() });
    assert.ok(r.diagnostics.some((d) => d.code === 'jsonata-syntax' || d.code === 'mapping-structure'), text);
  }
  assert.deepEqual(diag(base('  nickName: $lower(a)\n')).map((d) => (d.data as { candidates: string[] }).candidates[0]), ['$lowercase']);
});

test('a Workday Report_Entry wrapper is information on source.sample, not a warning', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = tempDir('scimmap-wd-');
  fs.writeFileSync(path.join(dir, 'w.json'), '{"Report_Entry": [{"id": "1"}, {"id": "2"}]}');
  const text = 'scimmap: 1\nsource:\n  sample: w.json\ntarget: entra\nmappings:\n  externalId: id\n  userName: id & "@contoso.com"\n  active: true\n';
  const r = await validateMapping(text, { filePath: path.join(dir, 'm.scimmap.yaml') });
  assert.deepEqual(r.diagnostics.map((d) => `${d.code}:${d.severity}`), ['mapping-structure:information']);
  assert.equal(r.sample?.records.length, 2);
});
