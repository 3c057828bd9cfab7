/**
 * docs/mapping.schema.json (the JSON Schema editors use for *.scimmap.yaml) must accept every bundled sample
 * mapping, reject broken documents, and agree with the engine's own reader about what is well-formed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { BULK_KEYS, REQUIRED_TOP_LEVEL, SOURCE_KEYS, TOP_LEVEL_KEYS } from '../../../src/engine/mapping/parse';

/** The repository root, from the compiled location out/test/unit/docs. */
const ROOT = resolve(__dirname, '../../../..');
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'docs/mapping.schema.json'), 'utf8')) as object;

const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
const validate = ajv.compile(SCHEMA);

function schemaErrors(text: string): string[] {
  const doc: unknown = parseYaml(text);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** Problems the engine's reader reports about the document's shape (not about SCIM paths or types). */
function engineStructureCodes(text: string): string[] {
  return analyzeMappingText(text)
    .diagnostics.filter((d) => d.severity === 'error' && (d.code === 'mapping-structure' || d.code === 'yaml-syntax'))
    .map((d) => `${d.code}: ${d.message}`);
}

function findMappings(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(findMappings(p));
    else if (name.endsWith('.scimmap.yaml')) out.push(p);
  }
  return out.sort();
}

const HEAD = 'scimmap: 1\ntarget: entra\n';

/** Well-formed documents beyond the samples: every key and value kind the format allows. */
const VALID: Record<string, string> = {
  'the example of the format': `scimmap: 1
name: Workday workers to Entra ID
source:
  sample: workers.csv
  key: WorkerID
target: entra
extensions:
  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:
    HireDate: dateTime
    CostCode: string
let:
  domain: '"contoso.com"'
mappings:
  externalId: WorkerID
  userName: $lowercase(FirstName & "." & LastName) & "@" & $domain
  active: Status = "Active"
  name.givenName: FirstName
  emails[type eq "work"].value: WorkEmail
  emails[type eq "work"].primary: true
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value: ManagerID
  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:HireDate: HireDate & "T00:00:00Z"
`,
  'target scim with bulk settings and source options': `scimmap: 1
target: scim
source:
  sample: people.txt
  format: csv
  delimiter: "\\t"
  encoding: windows-1252
bulk:
  size: 200
  failOnErrors: 5
mappings:
  userName: Login
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber: 42
`,
  'schema-file extension, constants in let, block scalars, null failOnErrors': `${HEAD}extensions:
  urn:ietf:params:scim:schemas:extension:acme:2.0:User: schemas/acme.json
let:
  n: 5
  flag: false
  wd: |-
    function($d) { $d & "T00:00:00Z" }
bulk:
  failOnErrors: null
mappings:
  externalId: >-
    $string(ID)
  active: true
  addresses[type eq "work" and primary eq true].locality: City
`,
  'empty optional sections': `${HEAD}source:\nlet:\nextensions:\nbulk:\nmappings:\n  externalId: ID\n  active: true\n`,
  'the safety settings: domains, duplicates, onInvalid, clear, checks': `${HEAD}source:\n  duplicates: last\ndomains:\n  - contoso.com\n  - contoso.onmicrosoft.com\nmappings:\n  externalId: ID\n  active: true\n  title: Title\n  nickName: Nick\nonInvalid:\n  default: drop-attribute\n  fail-record:\n    - title\nclear:\n  title: null\n  nickName: ""\nchecks:\n  inactiveThreshold: 80%\n`,
  'onInvalid short form, threshold as a number': `${HEAD}onInvalid: fail-record\nchecks:\n  inactiveThreshold: 0.9\nmappings:\n  externalId: ID\n  active: true\n`,
};

/** Broken documents: the schema must reject each, and the engine must report the code given. */
const BROKEN: { name: string; text: string; engine: string }[] = [
  { name: 'missing scimmap', text: 'target: entra\nmappings:\n  externalId: ID\n', engine: 'mapping-structure' },
  { name: 'missing target', text: 'scimmap: 1\nmappings:\n  externalId: ID\n', engine: 'mapping-structure' },
  { name: 'missing mappings', text: HEAD, engine: 'mapping-structure' },
  { name: 'version 2', text: 'scimmap: 2\ntarget: entra\nmappings:\n  externalId: ID\n', engine: 'mapping-structure' },
  { name: 'version as a string', text: 'scimmap: "1"\ntarget: entra\nmappings:\n  externalId: ID\n', engine: 'mapping-structure' },
  { name: 'unknown target', text: 'scimmap: 1\ntarget: entr\nmappings:\n  externalId: ID\n', engine: 'mapping-structure' },
  { name: 'unknown top-level key', text: `${HEAD}mapping:\n  x: y\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'name not a string', text: `${HEAD}name: 12\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'unknown source key', text: `${HEAD}source:\n  samp: x.csv\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'unknown source format', text: `${HEAD}source:\n  format: xml\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'two-character delimiter', text: `${HEAD}source:\n  delimiter: ";;"\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'empty source encoding', text: `${HEAD}source:\n  encoding: ""\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'bulk size 0', text: `${HEAD}bulk:\n  size: 0\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'bulk size not whole', text: `${HEAD}bulk:\n  size: 2.5\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'failOnErrors 0', text: `${HEAD}bulk:\n  failOnErrors: 0\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'unknown bulk key', text: `${HEAD}bulk:\n  batch: 10\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'extension key not a URN', text: `${HEAD}extensions:\n  contoso:\n    HireDate: dateTime\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'unknown extension type', text: `${HEAD}extensions:\n  urn:x:contoso:User:\n    HireDate: date\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'bad extension attribute name', text: `${HEAD}extensions:\n  urn:x:contoso:User:\n    1st: string\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'enterprise declared as an extension', text: `${HEAD}extensions:\n  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:\n    X: string\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'bad let name', text: `${HEAD}let:\n  my-domain: '"x"'\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'let value a list', text: `${HEAD}let:\n  d: [1, 2]\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'mapping value empty', text: `${HEAD}mappings:\n  externalId: ID\n  title:\n`, engine: 'mapping-structure' },
  { name: 'mapping value a list', text: `${HEAD}mappings:\n  externalId: ID\n  emails: [Email]\n`, engine: 'mapping-structure' },
  { name: 'mapping value a nested mapping', text: `${HEAD}mappings:\n  externalId: ID\n  name:\n    givenName: First\n`, engine: 'mapping-structure' },
  { name: 'mappings a list', text: `${HEAD}mappings:\n  - externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'unknown duplicates policy', text: `${HEAD}source:\n  duplicates: newest\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'domains not a list', text: `${HEAD}domains: contoso.com\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'unknown onInvalid policy', text: `${HEAD}onInvalid: skip\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'unknown onInvalid key', text: `${HEAD}onInvalid:\n  drop:\n    - title\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'clear with a value', text: `${HEAD}clear:\n  title: "n/a"\nmappings:\n  externalId: ID\n  title: T\n`, engine: 'mapping-structure' },
  { name: 'threshold above 100%', text: `${HEAD}checks:\n  inactiveThreshold: 1.5\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'unknown checks key', text: `${HEAD}checks:\n  maxInactive: 0.5\nmappings:\n  externalId: ID\n`, engine: 'mapping-structure' },
  { name: 'mapping key with a space', text: `${HEAD}mappings:\n  externalId: ID\n  given name: First\n`, engine: 'invalid-path' },
];

describe('docs/mapping.schema.json', () => {
  const samples = findMappings(join(ROOT, 'samples'));

  it('finds the sample mappings', () => {
    assert.ok(samples.length >= 1, 'no samples/**/*.scimmap.yaml found');
  });

  for (const file of samples) {
    const name = relative(ROOT, file);
    it(`accepts ${name}`, () => {
      const text = readFileSync(file, 'utf8');
      assert.deepEqual(schemaErrors(text), []);
      assert.deepEqual(engineStructureCodes(text), [], 'the engine finds structure problems the schema lets through');
    });
  }

  for (const [name, text] of Object.entries(VALID)) {
    it(`accepts: ${name}`, () => {
      assert.deepEqual(schemaErrors(text), []);
      assert.deepEqual(engineStructureCodes(text), [], 'the engine finds structure problems the schema lets through');
    });
  }

  for (const c of BROKEN) {
    it(`rejects: ${c.name}`, () => {
      assert.notDeepEqual(schemaErrors(c.text), [], 'the schema accepts it');
      const codes = analyzeMappingText(c.text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
      assert.ok(codes.includes(c.engine), `the engine reports ${codes.join(', ') || 'nothing'}, not ${c.engine}`);
    });
  }

  it('describes every top-level key the engine reads, and requires the same ones', () => {
    const s = SCHEMA as { required: string[]; properties: Record<string, { properties?: Record<string, unknown> }> };
    assert.deepEqual(Object.keys(s.properties).sort(), [...TOP_LEVEL_KEYS].sort());
    assert.deepEqual([...s.required].sort(), [...REQUIRED_TOP_LEVEL].sort());
    assert.deepEqual(Object.keys(s.properties.source.properties ?? {}).sort(), [...SOURCE_KEYS].sort());
    assert.deepEqual(Object.keys(s.properties.bulk.properties ?? {}).sort(), [...BULK_KEYS].sort());
  });
});
