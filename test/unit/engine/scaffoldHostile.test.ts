/**
 * New Mapping from Sample with hostile header names (line breaks, quotes, `: `, `#`, `-`, `&`/`*`, `!`, unicode,
 * bidi and zero-width characters): the draft parses to exactly the intended keys and mappings — nothing a header
 * says can add a mapping such as `active: "false"` — and the unmapped list is written once. Also Microsoft's
 * CSV2SCIM sample header.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { commentText, scaffoldFromFile, scaffoldMapping, type ScaffoldField, type ScaffoldOutput } from '../../../src/engine/scaffold';
import { fieldPath } from '../../../src/engine/readers';
import { parseMappingText } from '../../../src/engine/mapping/parse';
import { validateMapping } from '../../../src/engine/validate';
import { seededRandom } from '../../../src/targets/entra/standin/rng';

const ROOT = resolve(__dirname, '../../../..');
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const FRAGMENTS = [
  '\n', '\r\n', '\r', '"', "'", ': ', ':', '#', ' #', ' # x', '- ', '-', '&a ', '*a', '!', '!!str ', '|', '>', '{', '}', '[', ']', ',', '`',
  '\u2028', '\u2029', '\u0085', '\u202e', '\u200b', '\ufeff', 'é', '日本', '🙂', '\t', '%', '@', '? ', '---', '...', '\\', '\u0007',
  '\n  active: "false"', '\nmappings:\n  active: false', '\n  externalId: x\n', "'\n  active: 'false", '"\n  active: "false', ' ', '  ',
];
const ROLES = ['WorkerID', 'Email', 'FirstName', 'LastName', 'Status', 'JobTitle', 'Department', 'ManagerID', 'City', 'ZipCode', 'CountryCode', 'UserID', 'HireDate', 'StreetAddress', 'Notes', ''];
const TOP = new Set(['scimmap', 'name', 'source', 'target', 'mappings', 'let', 'extensions']);

function hostileName(r: () => number): string {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  let s = '';
  const parts = 1 + Math.floor(r() * 4);
  for (let i = 0; i < parts; i++) s += r() < 0.5 ? pick(FRAGMENTS) : pick(ROLES);
  return s;
}

/** Checks that the text parses to exactly what `out.mapped` says, and nothing else. */
function assertExact(out: ScaffoldOutput, sampleFile: string, context: string): void {
  const doc = parseDocument(out.text, { uniqueKeys: true });
  assert.deepEqual(doc.errors.map((e) => e.message), [], `${context}\n${out.text}`);
  const js = doc.toJS() as Record<string, unknown>;
  for (const k of Object.keys(js)) assert.ok(TOP.has(k), `unexpected top-level key ${JSON.stringify(k)}\n${out.text}`);
  const intended = Object.fromEntries(out.mapped.map((m) => [m.target, m.source]));
  assert.deepEqual(js.mappings ?? {}, intended, `${context}\n${out.text}`);
  assert.equal((js.source as Record<string, unknown>).sample, sampleFile);
  assert.equal(js.target, 'entra');
  // The mappings are the ones the scaffold writes, never a key from the data.
  for (const t of Object.keys(intended)) assert.match(t, /^(externalId|userName|active|displayName|name\.\w+|nickName|title|userType|emails\[type eq "work"\]\.(value|primary)|phoneNumbers\[type eq "(work|mobile)"\]\.value|addresses\[type eq "work"\]\.\w+|urn:ietf:params:scim:schemas:extension:(enterprise:2\.0|csv:1\.0):User:[\w.-]+)$/, t);
  if ('active' in intended) assert.notEqual(String(intended.active).trim().toLowerCase(), 'false');
  // Our own parser agrees, without a YAML error.
  const parsed = parseMappingText(out.text);
  assert.deepEqual(parsed.diagnostics.filter((d) => d.code === 'yaml-syntax').map((d) => d.message), [], context);
  assert.deepEqual(parsed.mappings.map((m) => m.key.value), Object.keys(intended));
  // Comments hold no raw line breaks or format characters from the data.
  const comments = out.text.split('\n').filter((l) => l.trimStart().startsWith('#'));
  for (const c of comments) assert.doesNotMatch(c, /[\p{C}\u2028\u2029]/u, JSON.stringify(c));
  assert.ok(out.text.split('Not mapped yet').length <= 2, 'the unmapped list at most once');
}

test('property: 400 drafts over hostile header names parse to exactly the intended mappings', () => {
  const r = seededRandom(12);
  for (let i = 0; i < 400; i++) {
    const names = new Set<string>();
    const n = 1 + Math.floor(r() * 12);
    for (let k = 0; k < n; k++) names.add(hostileName(r));
    names.delete('');
    const fields: ScaffoldField[] = [...names].map((name) => ({
      path: fieldPath([name]), segments: [name], types: ['string'],
      examples: /status/i.test(name) ? ['Active', 'Inactive'] : /hire/i.test(name) ? ['2020-01-31'] : ['x'],
    }));
    const sampleFile = r() < 0.2 ? `${hostileName(r)}.csv` : 'hr.csv';
    const out = scaffoldMapping({ sampleFile, fields });
    assertExact(out, sampleFile, JSON.stringify([...names]));
  }
});

test('a header cell with a line break cannot inject active: "false"; data rows list the unmapped fields once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scaffold-hostile-'));
  try {
    const headers = ['WorkerID', 'Status', 'Email', 'Notes\n  active: "false"', 'Cost Center', '# x', '- y', '&anchor', '*alias', '!tag', 'Zürich 🙂', 'a`b'];
    const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const file = join(dir, 'hr.csv');
    writeFileSync(file, `${headers.map(csvCell).join(',')}\n1,Active,a@contoso.com,n,CC1,x,y,z,w,v,u,t\n2,Inactive,b@contoso.com,n,CC2,x,y,z,w,v,u,t\n`);
    const out = await scaffoldFromFile(file);
    assertExact(out, 'hr.csv', 'csv');
    const js = parseDocument(out.text).toJS() as { mappings: Record<string, string> };
    assert.equal(js.mappings.active, 'Status = "Active"');
    assert.equal(out.text.split('Not mapped yet').length, 2, out.text);
    assert.deepEqual(new Set(out.unmapped).size, out.unmapped.length, 'each unmapped field once');
    assert.ok(out.unmapped.includes('`# x`') && out.unmapped.includes('`a`b`'), JSON.stringify(out.unmapped));
    assert.match(out.text, /# Not mapped yet: .*`Notes\\n {2}active: "false"`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('comment text escapes line breaks and format characters', () => {
  assert.equal(commentText('a\nb\r\t\u2028\u202e\u200b\u0000'), 'a\\nb\\r\\t\\u{2028}\\u{202e}\\u{200b}\\u{0}');
  assert.equal(commentText('plain: text # ok'), 'plain: text # ok');
});

test("Microsoft's CSV2SCIM sample: address, UserID and HireDate columns are mapped, and the draft validates", async () => {
  const sample = join(ROOT, 'test/fixtures/reference/csv2scim-csv-with-2-records.csv');
  const out = await scaffoldFromFile(sample);
  const t = Object.fromEntries(out.mapped.map((m) => [m.target, m.source]));
  assert.equal(t.externalId, 'WorkerID');
  assert.equal(t.userName, 'UserID & "@" & $domain', 'UserID has no domain in the sample');
  assert.equal(t.active, 'WorkerStatus = "Active"');
  assert.equal(t['addresses[type eq "work"].streetAddress'], 'StreetAddress');
  assert.equal(t['addresses[type eq "work"].locality'], 'City');
  assert.equal(t['addresses[type eq "work"].postalCode'], 'ZipCode');
  assert.equal(t['addresses[type eq "work"].country'], 'CountryCode');
  assert.equal(t['urn:ietf:params:scim:schemas:extension:csv:1.0:User:HireDate'], 'HireDate ? HireDate & "T00:00:00Z"');
  assert.equal(t[`${ENT}:manager.value`], 'ManagerID');
  assert.equal(t.displayName, 'FullName');
  assert.equal(t.userType, 'WorkerType');
  const v = await validateMapping(out.text, { filePath: sample.replace(/\.csv$/, '.draft.scimmap.yaml') });
  assert.deepEqual(v.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`), [], out.text);
});
