// Mapping tests, change impact and the CSV2SCIM import through the real server over stdio: the requests the VS
// Code client's Testing view, "Create Test from Record", "Compare Preview with…" and "Import CSV2SCIM Mapping…" use.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { LspClient } from './lspClient';
import type { CreateTestResult, ImpactResult, ImportCsv2ScimResult, RunTestsResult, TestCasesResult } from '../../src/service/protocol';
import { tempDir } from '../tempDirs';

const root = path.resolve(__dirname, '../../..');
const dir = tempDir('scimmap-review-lsp-');
fs.cpSync(path.join(root, 'samples/workday'), dir, { recursive: true });
const mappingPath = path.join(dir, 'workday.scimmap.yaml');
const mappingUri = pathToFileURL(mappingPath).toString();
const testPath = path.join(dir, 'workday.scimmap.test.yaml');
const testUri = pathToFileURL(testPath).toString();
const original = fs.readFileSync(mappingPath, 'utf8');
const changed = original.replace(/^ {2}title: .*$/m, '  title: $uppercase(Employment.Position.Business_Title)');

const client = new LspClient();
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('scimmap/testCases lists the cases of a test file at their lines', async () => {
  await client.initialize();
  const r = await client.connection.sendRequest<TestCasesResult>('scimmap/testCases', { uri: testUri });
  assert.equal(r.mappingUri, mappingUri);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.cases.map((c) => c.name), ['Mei Horváth, an active employee with a manager and a hire date', 'record 100065, the next one in the export', 'a worker without an ID is not sent']);
  const lines = fs.readFileSync(testPath, 'utf8').split('\n');
  for (const c of r.cases) assert.match(lines[c.line], new RegExp(`- name: ${c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
});

test('scimmap/runTests runs against the mapping as edited (unsaved), with a diff for each failing case', async () => {
  let r = await client.connection.sendRequest<RunTestsResult>('scimmap/runTests', { uri: testUri });
  assert.deepEqual(r.cases.map((c) => c.status), ['passed', 'passed', 'passed']);
  await client.open(mappingUri, changed);
  r = await client.connection.sendRequest<RunTestsResult>('scimmap/runTests', { uri: testUri, names: ['Mei Horváth, an active employee with a manager and a hire date'] });
  assert.equal(r.cases.length, 1);
  const c = r.cases[0];
  assert.equal(c.status, 'failed');
  assert.deepEqual(c.lines, ['title: expected "Identity Engineer", got "IDENTITY ENGINEER"']);
  assert.equal(JSON.parse(c.expected!).expect.title, 'Identity Engineer');
  assert.equal(JSON.parse(c.actual!).expect.title, 'IDENTITY ENGINEER');
});

test('scimmap/impact compares the edited mapping with a base text on the sample', async () => {
  const r = await client.connection.sendRequest<ImpactResult>('scimmap/impact', { uri: mappingUri, baseText: original });
  assert.equal(r.records, 160);
  assert.deepEqual(Object.keys(r.impact.attributes), ['title']);
  assert.ok(r.impact.attributes.title.changed > 100);
  assert.equal(r.impact.changed.length, r.impact.changedRecords);
  assert.equal(r.baseErrors, 0);
});

test('scimmap/createTest appends a case for a sample record to the test file text', async () => {
  const r = await client.connection.sendRequest<CreateTestResult>('scimmap/createTest', { uri: mappingUri, recordIndex: 4 });
  assert.equal(r.testUri, testUri);
  const doc = parseYaml(r.text);
  assert.equal(doc.cases.length, 4);
  const added = doc.cases[3];
  assert.equal(added.name, r.name);
  assert.equal(added.expect.title, added.expect.title.toUpperCase(), 'the case records what the edited mapping produces');
  assert.match(r.text.split('\n')[r.line], /- name: /);
});

test('scimmap/importCsv2Scim translates a .psd1 and reports unreadable files as a message', async () => {
  const psd1 = path.join(dir, 'AttributeMapping.psd1');
  fs.copyFileSync(path.join(root, 'test/fixtures/csv2scim/AttributeMapping.psd1'), psd1);
  const csv = path.join(dir, 'hr.csv');
  fs.copyFileSync(path.join(root, 'test/fixtures/csv2scim/csv-with-2-records.csv'), csv);
  const r = await client.connection.sendRequest<ImportCsv2ScimResult>('scimmap/importCsv2Scim', { psd1Path: psd1, csvPath: csv, outPath: path.join(dir, 'AttributeMapping.scimmap.yaml') });
  assert.equal(r.mapped, 20);
  assert.equal(parseYaml(r.text!).source.sample, 'hr.csv');
  const missing = await client.connection.sendRequest<ImportCsv2ScimResult>('scimmap/importCsv2Scim', { psd1Path: path.join(dir, 'none.psd1'), outPath: path.join(dir, 'x.scimmap.yaml') });
  assert.match(missing.error!, /no such file/);
});
