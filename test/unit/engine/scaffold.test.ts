// New Mapping from Sample: the drafted mapping maps common HR names and validates cleanly on its own sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scaffoldFromFile, scaffoldMapping, yamlScalar, type ScaffoldField } from '../../../src/engine/scaffold';
import { validateMapping } from '../../../src/engine/validate';

const ROOT = resolve(__dirname, '../../../..');
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const field = (name: string, examples: Array<string | number | boolean> = [], types = ['string']): ScaffoldField => ({
  path: name.includes(' ') ? `\`${name}\`` : name, segments: [name], examples, types,
});

const targets = (fields: ScaffoldField[]): Record<string, string> =>
  Object.fromEntries(scaffoldMapping({ sampleFile: 'hr.csv', fields }).mapped.map((m) => [m.target, m.source]));

test('common HR field names map to the SCIM attributes Entra expects', () => {
  const t = targets([
    field('WorkerID'), field('FirstName'), field('Surname'), field('WorkEmail'), field('Status', ['Active', 'Terminated']),
    field('JobTitle'), field('Department'), field('ManagerID'), field('Notes'),
  ]);
  assert.equal(t.externalId, 'WorkerID');
  assert.equal(t.userName, 'WorkEmail');
  assert.equal(t['emails[type eq "work"].value'], 'WorkEmail');
  assert.equal(t['name.givenName'], 'FirstName');
  assert.equal(t['name.familyName'], 'Surname');
  assert.equal(t.active, 'Status = "Active"');
  assert.equal(t.title, 'JobTitle');
  assert.equal(t[`${ENT}:department`], 'Department');
  assert.equal(t[`${ENT}:manager.value`], 'ManagerID', 'ManagerID is the manager, not the id');
  assert.equal(t[`${ENT}:employeeNumber`], 'WorkerID');
  assert.equal(t.displayName, '$join([FirstName, Surname], " ")');
});

test('id, userId and employeeId variants are the externalId; status values are read from the data', () => {
  assert.equal(targets([field('employee_id'), field('email')]).externalId, 'employee_id');
  assert.equal(targets([field('userId'), field('given_name'), field('family_name')]).externalId, 'userId');
  assert.equal(targets([field('id'), field('status', ['active', 'inactive'])]).active, 'status = "active"');
  assert.equal(targets([field('id'), field('IsActive', [true, false], ['boolean'])]).active, 'IsActive');
  assert.match(targets([field('id'), field('Status', ['Hired', 'Left'])]).active ?? '', /^\$lowercase\(Status\) in/);
});

test('without an e-mail the UPN is built from the names and a domain binding', () => {
  const out = scaffoldMapping({ sampleFile: 'hr.csv', fields: [field('EmpNo'), field('GivenName'), field('LastName')] });
  assert.match(out.text, /userName: \$replace\(\$lowercase\(GivenName & "\." & LastName\), \/\[\^a-z0-9\._-\]\/, ""\) & "@" & \$domain/);
  assert.match(out.text, /^let:\n {2}domain: '"contoso\.com"'$/m);
});

test('YAML scalars are quoted only when they must be', () => {
  assert.equal(yamlScalar('FirstName'), 'FirstName');
  assert.equal(yamlScalar('Status = "Active"'), 'Status = "Active"');
  assert.equal(yamlScalar('`Cost Center`'), "'`Cost Center`'");
  assert.equal(yamlScalar("it's: odd"), '"it\'s: odd"');
  assert.equal(yamlScalar('true'), "'true'");
});

for (const sample of ['custom-hr/people.csv', 'successfactors/employees.csv', 'workday/workers.json']) {
  test(`a draft for samples/${sample} validates without errors on that sample`, async () => {
    {
      const out = await scaffoldFromFile(join(ROOT, 'samples', sample));
      assert.ok(out.mapped.some((m) => m.target === 'externalId'), out.text);
      assert.ok(out.mapped.some((m) => m.target === 'userName'), out.text);
      // Every sample has a work e-mail column: it is mapped even when gaps keep it from being the userName.
      assert.ok(out.mapped.some((m) => m.target === 'emails[type eq "work"].value'), out.text);
      // Validate as if written next to the sample (read-only use of samples/).
      const v = await validateMapping(out.text, { filePath: join(ROOT, 'samples', sample.replace(/\.\w+$/, '.draft.scimmap.yaml')) });
      const errors = v.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
      assert.deepEqual(errors, [], out.text);
    }
  });
}

test('a CSV with a header and no rows still drafts a mapping', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scaffold-'));
  try {
    const file = join(dir, 'empty.csv');
    writeFileSync(file, 'EmployeeID,First Name,Last Name,Email\n');
    const out = await scaffoldFromFile(file);
    assert.equal(out.mapped.find((m) => m.target === 'externalId')?.source, 'EmployeeID');
    assert.equal(out.mapped.find((m) => m.target === 'name.givenName')?.source, '`First Name`');
    assert.match(out.text, /^ {2}name\.givenName: '`First Name`'$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
